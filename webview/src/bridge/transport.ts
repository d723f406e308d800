/**
 * How bytes move between the webview and the host. The bridge sees only this interface, so tests inject a
 * fake (a recorded `post` and MessageEvents dispatched on `window`) and the real webview uses VS Code's API.
 */

export interface Transport {
  /** Send one message to the host. Must not throw. */
  post(message: unknown): void;
  /** Receive raw messages from the host (unvalidated). Returns an unsubscribe function. */
  listen(handler: (data: unknown) => void): () => void;
}

type MessageTarget = Pick<Window, 'addEventListener' | 'removeEventListener'>;

/** A transport that posts with `post` and receives the `message` events dispatched on `target` (window by default). */
export function windowTransport(post: (message: unknown) => void, target: MessageTarget = window): Transport {
  return {
    post(message) {
      try {
        post(message);
      } catch (err) {
        console.error('[cairn/bridge] postMessage failed:', err);
      }
    },
    listen(handler) {
      const onMessage = (ev: Event) => handler((ev as MessageEvent).data);
      target.addEventListener('message', onMessage);
      return () => target.removeEventListener('message', onMessage);
    },
  };
}

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare const acquireVsCodeApi: undefined | (() => VsCodeApi);

/**
 * The transport of a real webview: `acquireVsCodeApi()` (callable only once per page, so it is cached here).
 * Outside VS Code (a plain browser, a test without injection) posts go nowhere and are logged once.
 */
let cachedApi: VsCodeApi | null | undefined;
export function defaultTransport(): Transport {
  if (cachedApi === undefined) {
    cachedApi = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : null;
  }
  const api = cachedApi;
  if (api) return windowTransport((m) => api.postMessage(m));
  let warned = false;
  return windowTransport(() => {
    if (!warned) console.warn('[cairn/bridge] not running inside a VS Code webview: messages to the host are dropped');
    warned = true;
  });
}
