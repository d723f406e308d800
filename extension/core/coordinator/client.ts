/** The worker's end of its connection: it presents the run's token in the handshake, then speaks wire.ts. */
import { WebSocket } from 'ws';
import { CoordinatorMessage, MAX_FRAME_BYTES, parseFrame, type WorkerBoot, type WorkerMessage } from './wire';

export interface WorkerConnection {
  send(m: WorkerMessage): void;
  onMessage(fn: (m: CoordinatorMessage) => void): void;
  /** Resolves when the connection ends (the coordinator closed it or went away). */
  closed: Promise<void>;
  close(): void;
}

export function connectWorker(boot: Pick<WorkerBoot, 'url' | 'token' | 'workerId'>, timeoutMs = 30_000): Promise<WorkerConnection> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(boot.url, {
      headers: { authorization: `Bearer ${boot.token}`, 'x-cairn-worker': boot.workerId },
      maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false, handshakeTimeout: timeoutMs,
    });
    const handlers: Array<(m: CoordinatorMessage) => void> = [];
    let ended!: () => void;
    const closed = new Promise<void>((r) => { ended = r; });
    ws.once('unexpected-response', (_req, res) => reject(new Error(`the coordinator refused the connection (HTTP ${res.statusCode})`)));
    ws.once('error', (e) => reject(new Error(`could not reach the coordinator: ${e.message}`)));
    ws.on('close', () => ended());
    ws.on('message', (data) => {
      const m = parseFrame(CoordinatorMessage, data);
      if (!m) { ws.terminate(); return; }
      for (const h of handlers) h(m);
    });
    ws.once('open', () => resolve({
      send: (m) => { if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m)); },
      onMessage: (fn) => { handlers.push(fn); },
      closed,
      close: () => ws.close(1000),
    }));
  });
}
