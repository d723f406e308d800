import { memo, useEffect, useState, type ReactNode } from 'react';
import { IconButton } from '../../ui';
import { highlight, scopeClass, type TokenNode } from './highlight';

/** Highlighted blocks by language and code, so a block scrolled back into view is not highlighted again. */
const highlighted = new Map<string, TokenNode | null>();
const CACHE_MAX = 400;
function highlightCached(key: string, code: string, language: string): TokenNode | null {
  const hit = highlighted.get(key);
  if (hit !== undefined) return hit;
  const tree = highlight(code, language);
  if (highlighted.size >= CACHE_MAX) highlighted.delete(highlighted.keys().next().value as string);
  highlighted.set(key, tree);
  return tree;
}

/** Run `fn` when the page is idle (after the frame that shows the block); returns a cancel function. */
function whenIdle(fn: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(fn, { timeout: 300 });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(fn, 16);
  return () => clearTimeout(id);
}

/**
 * The token tree of a block. A block that mounts with code not highlighted yet shows plain first and is
 * highlighted when the page is idle: opening a long session paints its messages without waiting for
 * highlight.js. Code that changes after that (a reply streaming in) is highlighted at once, as before.
 */
function useHighlight(code: string, language: string): TokenNode | null {
  const key = `${language}\0${code}`;
  const [waiting, setWaiting] = useState<string | null>(() => (highlighted.has(key) ? null : key));
  useEffect(() => {
    if (waiting === null) return;
    return whenIdle(() => { highlightCached(waiting, code, language); setWaiting(null); });
  }, [waiting]); // code and language belong to `waiting`
  return waiting === key ? null : highlightCached(key, code, language);
}

function renderTree(node: TokenNode, key = 'r'): ReactNode[] {
  return node.children.map((child, i) => (typeof child === 'string'
    ? child
    : <span key={`${key}.${i}`} className={scopeClass(child.scope)}>{renderTree(child, `${key}.${i}`)}</span>));
}

/** Copy to the clipboard; false when the page may not (no focus, no permission). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** A fenced code block: highlighted, with its language and a copy button. */
export const CodeBlock = memo(function CodeBlock({ code, language }: { code: string; language: string }) {
  const tree = useHighlight(code, language);
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const onCopy = async () => {
    setCopied((await copyText(code)) ? 'done' : 'failed');
    setTimeout(() => setCopied('idle'), 1500);
  };
  return (
    <div className="code-block" data-testid="code-block" data-language={language || undefined}>
      <div className="code-block-bar">
        <span className="code-block-lang">{language || 'text'}</span>
        <IconButton icon={copied === 'done' ? 'check' : copied === 'failed' ? 'warning' : 'copy'} className="code-block-copy"
          label={copied === 'done' ? 'Copied' : copied === 'failed' ? 'Copy failed' : 'Copy code'} testId="copy-code" onClick={() => void onCopy()} />
      </div>
      <pre className="code-block-pre" tabIndex={0}><code className={tree ? 'hljs' : undefined}>{tree ? renderTree(tree) : code}</code></pre>
    </div>
  );
});
