/** Transcripts shown to a person (the panel opens a subagent's or worker's transcript read-only). */

/** A transcript (JSON lines) as readable text: who said what, each tool call and the start of its result. */
export function renderTranscript(jsonl: string): string {
  const out: string[] = [];
  for (const line of jsonl.split('\n')) {
    if (!line.trim()) continue;
    let e: Record<string, unknown>;
    try { e = JSON.parse(line) as Record<string, unknown>; } catch { out.push('[an unreadable line]'); continue; }
    if (e.t === 'meta') out.push(`# ${String(e.agent ?? 'session')} ${String(e.id ?? '')} · model ${String(e.model ?? '?')}`, '');
    else if (e.t === 'msg') {
      for (const b of (e.content as Array<Record<string, unknown>>) ?? []) {
        if (b.type === 'text') out.push(`${e.role === 'user' ? '## Task / message' : '## Answer'}`, String(b.text), '');
        else if (b.type === 'tool_use') out.push(`→ ${String(b.name)} ${JSON.stringify(b.input).slice(0, 500)}`);
      }
    } else if (e.t === 'tool_result') out.push(`← ${String(e.status ?? '')}: ${String(e.content ?? '').slice(0, 2_000)}`, '');
  }
  return out.join('\n');
}

