/** MCP test set-up: the fixture server (stdio or HTTP), a manager, and a runtime with the real registry and engine. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createPermissionEngine } from '../../../extension/core/permissions/engine';
import type { PermissionMode, PermissionRule } from '../../../extension/core/permissions/types';
import type { ApprovalPort } from '../../../extension/core/ports';
import { builtinTools, createRegistry } from '../../../extension/core/tools';
import type { AnyTool } from '../../../extension/core/tools/types';
import { McpManager } from '../../../extension/core/mcp';
import type { ServerSpec } from '../../../extension/core/mcp/config';
import { memoryPins } from '../../../extension/core/util/pins';
import type { Harness } from '../agent/harness';

export const FIXTURE = fileURLToPath(new URL('../../fixtures/mcp/server.mjs', import.meta.url));

export function stdioSpec(name = 'fixture', extra: Partial<Extract<ServerSpec, { transport: 'stdio' }>> = {}): ServerSpec {
  return { name, scope: 'user', source: 'test', transport: 'stdio', command: process.execPath, args: [FIXTURE], env: {}, ...extra };
}

/** The fixture over streamable HTTP: its URL and a way to stop it. */
export async function startHttpFixture(env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess; stop(): void }> {
  const child = spawn(process.execPath, [FIXTURE, '--http'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); const m = /listening (\d+)/.exec(out); if (m) resolve(Number(m[1])); });
    child.on('exit', (code) => reject(new Error(`fixture exited ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/mcp`, child, stop: () => { child.kill(); } };
}

export async function readyManager(dir: string, servers: ServerSpec[]): Promise<McpManager> {
  const m = new McpManager({ workspaceRoot: dir, trusted: true, servers, pins: memoryPins() });
  await m.start();
  return m;
}

export function mcpRuntime(h: Harness, external: AnyTool[], opts: { mode?: PermissionMode; rules?: PermissionRule[]; approval?: ApprovalPort } = {}) {
  return h.runtime({
    tools: createRegistry(builtinTools(), external),
    permissions: createPermissionEngine({ workspaceRoot: h.dir, trusted: true, mode: opts.mode ?? 'ask', rules: opts.rules ?? [] }),
    ports: { workspaceTrusted: true, ...(opts.approval ? { approval: opts.approval } : {}) },
  });
}

export const allowFixture: PermissionRule[] = [{ effect: 'allow', pattern: 'mcp__fixture__*', source: 'user' }];

export function requestBodies(h: Harness): Array<{ tools: Array<{ name: string; description: string }>; system: unknown; messages: unknown[] }> {
  return h.emu.requests.filter((r) => r.path === '/v1/messages').map((r) => r.body as never);
}
