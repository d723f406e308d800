import { CodeBlock } from '../markdown/CodeBlock';

export type UserPart = { kind: 'text'; text: string } | { kind: 'code'; code: string; language: string };

/**
 * A user's message as they wrote it, except fenced code blocks (```lang … ```, as "Fix with Cairn" quotes
 * code), which show as code rather than raw fences. Nothing else is interpreted: the text stays verbatim.
 */
export function splitFences(text: string): UserPart[] {
  const parts: UserPart[] = [];
  const fence = /^(`{3,})([^\n`]*)\n([\s\S]*?)\n\1[ \t]*$/gm;
  let at = 0;
  for (let m = fence.exec(text); m !== null; m = fence.exec(text)) {
    const before = text.slice(at, m.index).replace(/\n$/, '');
    if (before.trim() !== '') parts.push({ kind: 'text', text: before });
    parts.push({ kind: 'code', code: m[3] ?? '', language: (m[2] ?? '').trim() });
    at = m.index + m[0].length;
  }
  const rest = text.slice(at).replace(/^\n/, '');
  if (rest.trim() !== '' || parts.length === 0) parts.push({ kind: 'text', text: rest });
  return parts;
}

export function UserText({ text }: { text: string }) {
  const parts = splitFences(text);
  return (
    <>
      {parts.map((p, i) => (p.kind === 'code'
        ? <CodeBlock key={i} code={p.code} language={p.language} />
        : <div key={i} className="block-text">{p.text}</div>))}
    </>
  );
}
