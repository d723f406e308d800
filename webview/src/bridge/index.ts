export { createBridge, BridgeError, errorText, errorStack } from './bridge';
export type { Bridge, BridgeErrorCode, BridgeOptions, RequestOptions } from './bridge';
export { windowTransport, defaultTransport } from './transport';
export type { Transport } from './transport';
export { installGlobalErrorReporting } from './globalErrors';
