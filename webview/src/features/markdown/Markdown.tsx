/**
 * Markdown to React elements: `marked` tokenizes, this file maps tokens to elements. No HTML string is ever
 * rendered (raw HTML in the text shows as text), and only http(s)/mailto links become links.
 */
import { memo, type ReactNode } from 'react';
import { Lexer, type Token, type Tokens } from 'marked';
import { CodeBlock } from './CodeBlock';

const SAFE_LINK = /^(https?:|mailto:)/i;

function inline(tokens: Token[] | undefined, key: string): ReactNode[] {
  return (tokens ?? []).map((t, i) => inlineToken(t, `${key}.${i}`));
}

function inlineToken(t: Token, key: string): ReactNode {
  switch (t.type) {
    case 'strong': return <strong key={key}>{inline((t as Tokens.Strong).tokens, key)}</strong>;
    case 'em': return <em key={key}>{inline((t as Tokens.Em).tokens, key)}</em>;
    case 'del': return <del key={key}>{inline((t as Tokens.Del).tokens, key)}</del>;
    case 'codespan': return <code key={key} className="md-code">{(t as Tokens.Codespan).text}</code>;
    case 'br': return <br key={key} />;
    case 'link': {
      const l = t as Tokens.Link;
      if (!SAFE_LINK.test(l.href)) return <span key={key}>{inline(l.tokens, key)}</span>;
      return <a key={key} href={l.href} title={l.title ?? undefined}>{inline(l.tokens, key)}</a>;
    }
    case 'image': {
      const img = t as Tokens.Image;
      return <span key={key} className="md-image">[image: {img.text || img.href}]</span>;
    }
    case 'text': {
      const x = t as Tokens.Text;
      return x.tokens ? <span key={key}>{inline(x.tokens, key)}</span> : decode(x.text);
    }
    case 'escape': return (t as Tokens.Escape).text;
    case 'html': return (t as Tokens.HTML).text;
    default: return 'raw' in t ? String(t.raw) : null;
  }
}

function block(t: Token, key: string): ReactNode {
  switch (t.type) {
    case 'space': return null;
    case 'code': {
      const c = t as Tokens.Code;
      return <CodeBlock key={key} code={c.text} language={(c.lang ?? '').split(/\s/)[0] ?? ''} />;
    }
    case 'heading': {
      const h = t as Tokens.Heading;
      const Tag = `h${Math.min(6, Math.max(3, h.depth + 2))}` as 'h3';
      return <Tag key={key} className="md-heading">{inline(h.tokens, key)}</Tag>;
    }
    case 'paragraph': return <p key={key}>{inline((t as Tokens.Paragraph).tokens, key)}</p>;
    case 'hr': return <hr key={key} />;
    case 'blockquote': return <blockquote key={key}>{blocks((t as Tokens.Blockquote).tokens, key)}</blockquote>;
    case 'list': {
      const l = t as Tokens.List;
      const items = l.items.map((item, i) => (
        <li key={`${key}.${i}`} className={item.task ? 'md-task' : undefined}>
          {item.task && <input type="checkbox" checked={item.checked ?? false} disabled aria-label={item.checked ? 'done' : 'not done'} />}
          {blocks(item.tokens.filter((x) => x.type !== 'checkbox'), `${key}.${i}`, l.loose)}
        </li>
      ));
      return l.ordered
        ? <ol key={key} start={typeof l.start === 'number' && l.start !== 1 ? l.start : undefined}>{items}</ol>
        : <ul key={key}>{items}</ul>;
    }
    case 'table': {
      const tb = t as Tokens.Table;
      return (
        <div key={key} className="md-table-wrap">
          <table>
            <thead><tr>{tb.header.map((c, i) => <th key={i}>{inline(c.tokens, `${key}.h${i}`)}</th>)}</tr></thead>
            <tbody>{tb.rows.map((r, ri) => <tr key={ri}>{r.map((c, i) => <td key={i}>{inline(c.tokens, `${key}.${ri}.${i}`)}</td>)}</tr>)}</tbody>
          </table>
        </div>
      );
    }
    case 'text': {
      const x = t as Tokens.Text;
      return <span key={key}>{x.tokens ? inline(x.tokens, key) : decode(x.text)}</span>;
    }
    case 'html': return <p key={key}>{(t as Tokens.HTML).text}</p>;
    default: return 'raw' in t ? <p key={key}>{String(t.raw)}</p> : null;
  }
}

function blocks(tokens: Token[], key: string, loose = true): ReactNode[] {
  // In a tight list item, text tokens are not paragraphs.
  return tokens.map((t, i) => (!loose && t.type === 'paragraph' ? inline((t as Tokens.Paragraph).tokens, `${key}.${i}`) : block(t, `${key}.${i}`)));
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
/** marked escapes some characters in text tokens; React escapes again, so undo marked's. */
function decode(text: string): string {
  return text.includes('&') ? text.replace(/&(amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m] ?? m) : text;
}

/** Render Markdown. Memoised on the text, so a streamed message re-parses only when its own text grew. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  let tokens: Token[];
  try {
    tokens = Lexer.lex(text, { gfm: true, breaks: false });
  } catch {
    return <div className="md md-plain">{text}</div>;
  }
  return <div className="md">{blocks(tokens, 'b')}</div>;
});
