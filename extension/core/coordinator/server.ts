/**
 * The coordinator's end of the worker connections: a WebSocket server on 127.0.0.1 only (an ephemeral port), with
 * a secret token made for this run. A client proves itself in the handshake (`Authorization: Bearer <token>` and
 * `X-Cairn-Worker: <id>` of a worker this coordinator started and that is not connected yet); anything else is
 * refused with 401 before a WebSocket exists. The token is compared in constant time and never logged.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { CoordinatorMessage, MAX_FRAME_BYTES, parseFrame, WorkerMessage } from './wire';

/** A fresh secret: 32 random bytes, hex. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** Constant-time comparison of two secrets of any length (both are hashed to the same length first). */
export function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

export interface WorkerLink {
  send(m: CoordinatorMessage): void;
  close(): void;
}

export interface ServerHandlers {
  /** Whether `workerId` may connect now (started by this coordinator, not connected yet). */
  expects(workerId: string): boolean;
  connected(workerId: string, link: WorkerLink): void;
  message(workerId: string, m: WorkerMessage): void;
  /** The connection ended (the worker closed it, died, or sent something invalid). */
  closed(workerId: string, why: string): void;
}

export class CoordinatorServer {
  readonly token = newToken();
  /** Handshakes refused (for tests and diagnostics; never the presented token). */
  refused = 0;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private port = 0;

  private constructor(private readonly h: ServerHandlers) {
    this.http = createServer((_req, res) => { res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket only\n'); });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
    this.http.on('upgrade', (req, socket, head) => {
      const workerId = this.authorize(req);
      if (!workerId) {
        this.refused++;
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(workerId, ws));
    });
  }

  static async start(h: ServerHandlers): Promise<CoordinatorServer> {
    const s = new CoordinatorServer(h);
    await new Promise<void>((resolve, reject) => {
      s.http.once('error', reject);
      s.http.listen(0, '127.0.0.1', () => { s.http.off('error', reject); resolve(); });
    });
    s.port = (s.http.address() as AddressInfo).port;
    return s;
  }

  get url(): string { return `ws://127.0.0.1:${this.port}`; }

  private authorize(req: IncomingMessage): string | undefined {
    const auth = req.headers.authorization;
    const id = req.headers['x-cairn-worker'];
    if (typeof auth !== 'string' || typeof id !== 'string') return undefined;
    const m = /^Bearer ([^\s]+)$/.exec(auth);
    if (!m || !sameSecret(m[1]!, this.token)) return undefined;
    return this.h.expects(id) ? id : undefined;
  }

  private accept(workerId: string, ws: WebSocket): void {
    let open = true;
    const close = (why: string) => {
      if (!open) return;
      open = false;
      try { ws.terminate(); } catch { /* already gone */ }
      this.h.closed(workerId, why);
    };
    ws.on('message', (data) => {
      const m = parseFrame(WorkerMessage, data);
      if (!m) return close('the worker sent a message that is not part of the protocol');
      this.h.message(workerId, m);
    });
    ws.on('close', () => close('the connection closed'));
    ws.on('error', (e) => close(`connection error: ${e.message}`));
    this.h.connected(workerId, {
      send: (m) => { if (open) ws.send(JSON.stringify(m)); },
      close: () => { if (open) { open = false; ws.close(1000); } },
    });
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}
