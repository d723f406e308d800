/** Removes API keys and auth headers from text before it reaches a log, a transcript or the UI. */
const SECRET = /(sk-ant-[A-Za-z0-9_-]{4})[A-Za-z0-9_-]+|((?:x-api-key|authorization)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi;

export function redact(text: string): string {
  return text.replace(SECRET, (_m, keyHead: string | undefined, header: string | undefined) => (keyHead ? `${keyHead}…[redacted]` : `${header}[redacted]`));
}
