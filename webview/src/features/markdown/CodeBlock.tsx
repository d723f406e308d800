import { memo, useMemo, useState, type ReactNode } from 'react';
import { IconButton } from '../../ui';
import { highlight, scopeClass, type TokenNode } from './highlight';

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
  const tree = useMemo(() => highlight(code, language), [code, language]);
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
