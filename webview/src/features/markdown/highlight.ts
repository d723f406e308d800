/**
 * Syntax highlighting with highlight.js (core + a fixed set of languages). Its output is taken as a token
 * tree through a custom emitter instead of as an HTML string, so nothing is ever assigned to innerHTML.
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

export interface TokenNode { scope: string; children: Array<TokenNode | string> }

/** Collects hljs's scopes as a tree (the Emitter interface hljs documents as stable). */
class TreeEmitter {
  readonly root: TokenNode = { scope: '', children: [] };
  private readonly stack: TokenNode[] = [this.root];
  constructor(_options: unknown) {}
  private get top(): TokenNode { return this.stack[this.stack.length - 1] as TokenNode; }
  startScope(name: string): void {
    const node: TokenNode = { scope: name, children: [] };
    this.top.children.push(node);
    this.stack.push(node);
  }
  endScope(): void { if (this.stack.length > 1) this.stack.pop(); }
  /** The older names hljs still calls for mode scopes. */
  openNode(name: string): void { this.startScope(name); }
  closeNode(): void { this.endScope(); }
  addText(text: string): void { this.top.children.push(text); }
  toHTML(): string { return ''; }
  finalize(): void {}
  __addSublanguage(emitter: TreeEmitter, _name: string): void { this.top.children.push(...emitter.root.children); }
}

const LANGUAGES = { bash, c, cpp, csharp, css, diff, go, java, javascript, json, markdown, python, rust, shell, sql, typescript, xml, yaml };
let ready = false;
function setup(): void {
  if (ready) return;
  ready = true;
  for (const [name, lang] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, lang);
  hljs.registerAliases(['ts', 'tsx', 'mts', 'cts'], { languageName: 'typescript' });
  hljs.registerAliases(['js', 'jsx', 'mjs', 'cjs'], { languageName: 'javascript' });
  hljs.registerAliases(['sh', 'zsh', 'console'], { languageName: 'bash' });
  hljs.registerAliases(['html', 'svg', 'vue'], { languageName: 'xml' });
  hljs.registerAliases(['py'], { languageName: 'python' });
  hljs.registerAliases(['rs'], { languageName: 'rust' });
  hljs.registerAliases(['yml'], { languageName: 'yaml' });
  hljs.registerAliases(['cs'], { languageName: 'csharp' });
  hljs.registerAliases(['patch'], { languageName: 'diff' });
  hljs.configure({ __emitter: TreeEmitter as never });
}

/** Longer code is shown plain (highlighting is linear but not free, and this runs while a reply streams). */
export const MAX_HIGHLIGHT_CHARS = 30_000;

/** The token tree of `code` in `language`; null when the language is unknown or the code is too long. */
export function highlight(code: string, language: string): TokenNode | null {
  setup();
  const lang = language.toLowerCase();
  if (!lang || code.length > MAX_HIGHLIGHT_CHARS || !hljs.getLanguage(lang)) return null;
  try {
    const result = hljs.highlight(code, { language: lang, ignoreIllegals: true });
    return (result._emitter as unknown as TreeEmitter).root;
  } catch {
    return null;
  }
}

/** hljs's class names for a scope ("title.function" -> "hljs-title function_"), so its theme conventions apply. */
export function scopeClass(scope: string): string {
  const [first, ...rest] = scope.split('.');
  return [`hljs-${first}`, ...rest.map((p, i) => `${p}${'_'.repeat(i + 1)}`)].join(' ');
}
