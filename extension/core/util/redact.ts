/**
 * Removes API keys and auth headers from text before it reaches a log, a transcript, the UI or the model: the
 * exact values of the known secrets (util/secrets.ts: the key the provider was given, the secret environment
 * variables), then anything shaped like an Anthropic key or an auth header.
 */
import { redactSecretValues } from './secrets';

const SECRET = /(sk-ant-[A-Za-z0-9_-]{4})[A-Za-z0-9_-]+|((?:x-api-key|authorization)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi;

export function redact(text: string): string {
  return redactSecretValues(text).replace(SECRET, (_m, keyHead: string | undefined, header: string | undefined) => (keyHead ? `${keyHead}…[redacted]` : `${header}[redacted]`));
}

const ANTHROPIC_KEY = /(sk-ant-[A-Za-z0-9_-]{4})[A-Za-z0-9_-]{16,}/g;

/**
 * For tool output on its way to the model: the known secret values and anything shaped like an Anthropic key.
 * (Not the header patterns: source code that mentions `authorization: token` must reach the model unchanged.)
 */
export function redactForModel(text: string): string {
  return redactSecretValues(text).replace(ANTHROPIC_KEY, (_m, head: string) => `${head}…[redacted]`);
}
