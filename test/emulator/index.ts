// Public entry point of the Anthropic Messages API emulator. See README.md.
export { startEmulator, type Emulator, type EmulatorOptions } from './server';
export type { ApiError, Brain, Fault, RecordedExchange, Rule, RuleMatch, Scenario, ScriptBlock, ScriptItem, ScriptTurn, SseEvent, StopReason, UsageReport } from './types';
export type { CacheStats } from './cache';
export type { ChunkingOptions } from './sse';
export { defaultMinCacheableTokens, LOOKBACK_BLOCKS, MAX_BREAKPOINTS, TTL_MS } from './cache';
export { DEFAULT_REPLY_PREFIX, loadScenario, parseScenario } from './scenario';
export { SPEND_LIMIT_MESSAGE, WORKSPACE_LIMIT_MESSAGE, RATE_LIMIT_MESSAGE } from './faults';
export { parseRecordFile } from './record';
export { MESSAGE_OVERHEAD, REQUEST_OVERHEAD, tokensOf } from './tokens';
export { buildPrompt } from './prompt';
export { DEMO_MODEL_ID, DEFAULT_BRAINS, demoTour } from './demo';
