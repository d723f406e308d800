/** Window errors and unhandled promise rejections go to the host log through the bridge (deduplicated there). */
import { errorStack, errorText, type Bridge } from './bridge';

type ErrorTarget = Pick<Window, 'addEventListener' | 'removeEventListener'>;

export function installGlobalErrorReporting(bridge: Pick<Bridge, 'reportError'>, target: ErrorTarget = window): () => void {
  const onError = (ev: Event) => {
    const e = ev as ErrorEvent;
    const err: unknown = e.error;
    const where = e.filename ? ` (${e.filename}:${e.lineno}:${e.colno})` : '';
    bridge.reportError(`uncaught error in webview: ${err !== undefined && err !== null ? errorText(err) : e.message}${where}`, errorStack(err));
  };
  const onRejection = (ev: Event) => {
    const reason: unknown = (ev as PromiseRejectionEvent).reason;
    bridge.reportError(`unhandled rejection in webview: ${errorText(reason)}`, errorStack(reason));
  };
  target.addEventListener('error', onError);
  target.addEventListener('unhandledrejection', onRejection);
  return () => {
    target.removeEventListener('error', onError);
    target.removeEventListener('unhandledrejection', onRejection);
  };
}
