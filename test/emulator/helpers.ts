// Shared helpers of the emulator's own tests.
import Anthropic from '@anthropic-ai/sdk';
import type { Emulator } from './index';

export const MODEL = 'claude-sonnet-4-6';

/** A real SDK client pointed at the emulator, without retries (each test sees each response). */
export function client(emu: Emulator, extra: { apiKey?: string; timeout?: number } = {}): Anthropic {
  return new Anthropic({ apiKey: extra.apiKey ?? 'test-key', baseURL: emu.url, maxRetries: 0, ...(extra.timeout ? { timeout: extra.timeout } : {}) });
}

/** A text of about `tokens` tokens under the emulator's approximation (4 ASCII bytes per token). */
export function filler(tokens: number, seed = 'x'): string {
  return `${seed} `.repeat(tokens * 2).slice(0, tokens * 4);
}

/** POSTs raw JSON (bypassing the SDK's own checks) and returns status and parsed body. */
export async function rawPost(emu: Emulator, path: string, body: unknown, headers: Record<string, string> = { 'x-api-key': 'test-key' }): Promise<{ status: number; json: { type?: string; error?: { type: string; message: string } } & Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${emu.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as never, headers: res.headers };
}
