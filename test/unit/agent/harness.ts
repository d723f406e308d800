/** Shared set-up for runtime tests: a real emulator, the real SDK provider, and a temp `.agent/` folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { SessionRuntime, type RuntimeEvent, type RuntimeOptions } from '../../../extension/core/session/runtime';
import type { ToolCatalog } from '../../../extension/core/agent/agent';
import { createAnthropicProvider } from '../../../extension/core/providers/anthropic';
import type { AnyTool } from '../../../extension/core/tools/types';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator';

export interface Harness {
  emu: Emulator;
  dir: string;
  agentDir: string;
  events: RuntimeEvent[];
  runtime(opts?: Partial<RuntimeOptions>, resumeId?: string): SessionRuntime;
  close(): Promise<void>;
}

export const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 80, maxRetryAfterMs: 10_000, stallMs: 2_000 };

export async function harness(emuOpts: EmulatorOptions = {}): Promise<Harness> {
  const emu = await startEmulator({ port: 0, ...emuOpts });
  const dir = mkdtempSync(join(tmpdir(), 'cairn-rt-'));
  const agentDir = join(dir, '.agent');
  const events: RuntimeEvent[] = [];
  const provider = createAnthropicProvider({ apiKey: 'test-key', baseURL: emu.url });
  const opened: SessionRuntime[] = [];
  return {
    emu, dir, agentDir, events,
    runtime(opts = {}, resumeId) {
      const o: RuntimeOptions = {
        agentDir, workspaceRoot: dir, provider: () => provider,
        model: () => ({ id: 'claude-sonnet-5-5', maxTokens: 1024 }),
        retry: FAST_RETRY,
        ...opts,
      };
      const rt = resumeId ? SessionRuntime.resume(o, resumeId) : SessionRuntime.create(o);
      rt.subscribe((e) => events.push(e));
      opened.push(rt);
      return rt;
    },
    async close() {
      for (const r of opened) r.close();
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A tool set from plain tools, sorted by name (as the registry does). */
export function toolSet(tools: AnyTool[]): ToolCatalog {
  const sorted = [...tools].sort((a, b) => a.name.localeCompare(b.name));
  return {
    get: (name) => sorted.find((t) => t.name === name),
    list: () => sorted,
    toApiTools: () => sorted.map((t) => ({ name: t.name, description: t.description, input_schema: z.toJSONSchema(t.input) as { type: 'object' } })),
  };
}

/** A test tool that records its calls and can be slowed down. */
export function probeTool(name: string, opts: { readOnly?: boolean; delayMs?: number } = {}) {
  const calls: Array<{ input: unknown; start: number; end: number }> = [];
  const tool: AnyTool = {
    name,
    description: `Test tool ${name}.`,
    input: z.object({ value: z.string() }),
    kind: (opts.readOnly ?? true) ? 'state' : 'external',
    label: name,
    describe: (i: { value: string }) => i.value,
    readOnly: opts.readOnly ?? true,
    concurrencySafe: opts.readOnly ?? true,
    async execute(input: { value: string }, ctx) {
      const start = Date.now();
      if (opts.delayMs) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, opts.delayMs);
          ctx.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
        });
      }
      calls.push({ input, start, end: Date.now() });
      return { content: `${name} got ${input.value}` };
    },
  };
  return { tool, calls };
}

export function userMessagesIn(body: unknown): number {
  const msgs = (body as { messages: Array<{ role: string; content: Array<{ type: string }> }> }).messages;
  return msgs.filter((m) => m.role === 'user' && m.content.some((b) => b.type === 'text')).length;
}
