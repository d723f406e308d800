// The coordinator's WebSocket: on 127.0.0.1 only, and a client that does not present this run's token (or names a
// worker the coordinator did not start, or one already connected) is refused before a WebSocket exists.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CoordinatorServer, newToken, sameSecret } from '../../../extension/core/coordinator/server';
import { connectWorker } from '../../../extension/core/coordinator/client';
import type { WorkerMessage } from '../../../extension/core/coordinator/wire';

let server: CoordinatorServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

/** Opens a raw client; resolves with the HTTP status of a refusal, or 101 when the socket opened. */
function attempt(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); ws.terminate(); });
    ws.once('open', () => { resolve(101); ws.terminate(); });
    ws.once('error', () => resolve(-1));
  });
}

async function start(expected = new Set(['w1'])) {
  const got: Array<[string, WorkerMessage]> = [];
  const connected: string[] = [];
  server = await CoordinatorServer.start({
    expects: (id) => expected.has(id) && !connected.includes(id),
    connected: (id) => { connected.push(id); },
    message: (id, m) => { got.push([id, m]); },
    closed: () => undefined,
  });
  return { s: server, got, connected };
}

describe('coordinator server', () => {
  it('listens on 127.0.0.1 and refuses a client without the token, with a wrong one, or for an unknown worker', async () => {
    const { s, connected } = await start();
    expect(s.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(await attempt(s.url, {})).toBe(401);
    expect(await attempt(s.url, { 'x-cairn-worker': 'w1' })).toBe(401);
    expect(await attempt(s.url, { authorization: `Bearer ${newToken()}`, 'x-cairn-worker': 'w1' })).toBe(401);
    // A token one character short, or the right token in another scheme.
    expect(await attempt(s.url, { authorization: `Bearer ${s.token.slice(0, -1)}`, 'x-cairn-worker': 'w1' })).toBe(401);
    expect(await attempt(s.url, { authorization: `Basic ${s.token}`, 'x-cairn-worker': 'w1' })).toBe(401);
    // The right token for a worker this coordinator never started.
    expect(await attempt(s.url, { authorization: `Bearer ${s.token}`, 'x-cairn-worker': 'w9' })).toBe(401);
    expect(connected).toEqual([]);
    expect(s.refused).toBe(6);
    // The right token and worker: accepted, once.
    expect(await attempt(s.url, { authorization: `Bearer ${s.token}`, 'x-cairn-worker': 'w1' })).toBe(101);
    expect(connected).toEqual(['w1']);
    expect(await attempt(s.url, { authorization: `Bearer ${s.token}`, 'x-cairn-worker': 'w1' })).toBe(401);
  });

  it('a worker with the token connects and its messages arrive; a wrong token is refused with a clear error', async () => {
    const { s, got } = await start();
    await expect(connectWorker({ url: s.url, token: newToken(), workerId: 'w1' })).rejects.toThrow(/refused the connection \(HTTP 401\)/);
    const conn = await connectWorker({ url: s.url, token: s.token, workerId: 'w1' });
    conn.send({ type: 'hello', workerId: 'w1', pid: 42 });
    await expect.poll(() => got.length).toBe(1);
    expect(got[0]).toEqual(['w1', { type: 'hello', workerId: 'w1', pid: 42 }]);
    conn.close();
    await conn.closed;
  });

  it('a connected worker that sends something outside the protocol is cut off', async () => {
    const closed: string[] = [];
    server = await CoordinatorServer.start({ expects: () => true, connected: () => undefined, message: () => undefined, closed: (id, why) => { closed.push(`${id}: ${why}`); } });
    const ws = new WebSocket(server.url, { headers: { authorization: `Bearer ${server.token}`, 'x-cairn-worker': 'w1' } });
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'task', prompt: 'a worker does not give tasks' }));
    await new Promise((r) => ws.once('close', r));
    expect(closed).toEqual(['w1: the worker sent a message that is not part of the protocol']);
  });

  it('compares secrets exactly', () => {
    const t = newToken();
    expect(t).toMatch(/^[0-9a-f]{64}$/);
    expect(sameSecret(t, t)).toBe(true);
    expect(sameSecret(t, `${t}0`)).toBe(false);
    expect(sameSecret(t, newToken())).toBe(false);
    expect(sameSecret('', t)).toBe(false);
  });
});
