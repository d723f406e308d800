/**
 * Rule syntax: `tool` or `tool(specifier)`. `tool`, `tool()` and `tool(*)` mean the whole tool.
 * run_command specifiers: exact (`npm run build`), prefix (`npm test:*` = "npm test" alone or followed by
 * arguments) or wildcards (`git add *`). File specifiers are globs: `src/**` is anchored at the workspace root
 * (it does not match a nested `lib/src/`), a pattern without `/` (`*.pem`) matches a file name at any depth,
 * `//abs/**` is absolute, `~/x` is in the home folder, a trailing `/` means everything below.
 * `edit_file(...)` rules cover every editing tool, `read_file(...)` rules every reading tool.
 * MCP tools (`mcp__<server>__<tool>`): `mcp__github` or `mcp__github__*` mean every tool of that server; a `*`
 * is accepted only at the end of an `mcp__` name.
 */
import * as path from 'node:path';
import { minimatch } from 'minimatch';
import type { PermissionRule } from './types';

export const RULE_GROUPS: Record<string, string[]> = {
  edit_file: ['edit_file', 'write_file'],
  read_file: ['read_file', 'list_files', 'glob', 'grep'],
};

export interface ParsedRule { tool: string; spec?: string; rule: PermissionRule }

export function parseRule(rule: PermissionRule): ParsedRule | undefined {
  const m = /^\s*([A-Za-z0-9_.-]+\*?)\s*(?:\((.*)\))?\s*$/s.exec(rule.pattern);
  if (!m) return undefined;
  if (m[1]!.endsWith('*') && !/^mcp__[A-Za-z0-9_-]+__\*$/.test(m[1]!)) return undefined;
  const spec = m[2]?.trim();
  return { tool: m[1] ?? '', spec: spec === '' || spec === '*' ? undefined : spec, rule };
}

/** Does a rule written for `ruleTool` apply to calls of `tool`? */
export function ruleAppliesTo(ruleTool: string, tool: string): boolean {
  if (ruleTool === tool || (RULE_GROUPS[ruleTool]?.includes(tool) ?? false)) return true;
  // MCP: `mcp__server` and `mcp__server__*` cover every tool of that server.
  if (!tool.startsWith('mcp__') || !ruleTool.startsWith('mcp__')) return false;
  if (ruleTool.endsWith('__*')) return tool.startsWith(ruleTool.slice(0, -1));
  return !ruleTool.slice(5).includes('__') && tool.startsWith(`${ruleTool}__`);
}

const norm = (s: string) => s.trim().replace(/\s+/g, ' ');

export function matchCommand(spec: string, text: string): boolean {
  const t = norm(text);
  if (spec.endsWith(':*')) {
    const prefix = norm(spec.slice(0, -2));
    return t === prefix || t.startsWith(prefix + ' ');
  }
  if (/(?<!\\)\*/.test(spec)) {
    const parts = spec.trim().split(/(?<!\\)\*/).map((p) => p.replace(/\\\*/g, '*').replace(/\s+/g, ' ').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const src = parts.join('.*');
    if (new RegExp(`^${src}$`, 's').test(t)) return true;
    // `git add *` also matches bare `git add`.
    return /\s\*$/.test(spec) && spec.split(/(?<!\\)\*/).length === 2 && t === norm(spec.slice(0, -1));
  }
  return t === norm(spec.replace(/\\\*/g, '*'));
}

export interface PathTarget {
  /** Absolute lexical path. */
  abs: string;
  /** Canonical path. */
  real: string;
}

/** Does a file specifier match this path (lexical or canonical form)? `loose` = case-insensitive (for deny/ask). */
export function matchPath(spec: string, target: PathTarget, root: string, home: string, loose: boolean): boolean {
  let s = spec.replace(/\\/g, '/');
  if (s.endsWith('/')) s += '**';
  const opts = { dot: true, nocase: loose, nocomment: true, nonegate: true };
  const forms = [target.abs, target.real];
  for (const f of forms) {
    const abs = f.split(path.sep).join('/');
    if (s.startsWith('//')) { if (minimatch(abs, s.slice(1), opts)) return true; continue; }
    if (s.startsWith('~/')) { if (minimatch(abs, home.split(path.sep).join('/') + s.slice(1), opts)) return true; continue; }
    const rel = path.relative(root, f).split(path.sep).join('/');
    const inside = rel === '' || (!rel.startsWith('../') && rel !== '..' && !path.isAbsolute(rel));
    const r = s.replace(/^\.?\//, '');
    if (!r.includes('/')) { if (minimatch(path.basename(f), r, opts)) return true; continue; }
    if (inside && minimatch(rel, r, opts)) return true;
  }
  return false;
}

/** A rule to offer for "always allow": 2-word prefix for commands (never for shells or wrappers), the file for edits. */
export function suggestRule(tool: string, input: unknown, root: string): string | undefined {
  const o = (input ?? {}) as Record<string, unknown>;
  if (tool === 'run_command' && typeof o.command === 'string') {
    const words = norm(o.command).split(' ');
    if (/[;&|<>`$()\n]/.test(o.command)) return undefined;
    const first = words[0] ?? '';
    if (/^(sh|bash|zsh|env|sudo|xargs|eval|exec|npx|node|python3?|perl|ruby|timeout|nohup|nice)$/.test(first)) return undefined;
    return words.length >= 2 && /^[a-z][\w-]*$/i.test(words[1] ?? '') ? `run_command(${first} ${words[1]}:*)` : `run_command(${o.command.trim()})`;
  }
  if ((tool === 'edit_file' || tool === 'write_file') && typeof o.path === 'string') {
    const rel = path.relative(root, path.resolve(root, o.path)).split(path.sep).join('/');
    return rel.startsWith('..') ? undefined : `edit_file(${rel})`;
  }
  return tool;
}
