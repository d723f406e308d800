/**
 * grep: search file contents with a regular expression. Uses ripgrep when a path to it is given (VS Code ships
 * one), else a JavaScript walk that gives the same results: same ignore rules (.gitignore, .agentignore, .git,
 * node_modules), hidden files included, symlinks and binary files skipped, secret files never searched, sorted by
 * path then line, capped. Output lines are `path:line: text`.
 */
import * as fsp from 'node:fs/promises';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { z } from 'zod';
import { Minimatch } from 'minimatch';
import type { Tool, ToolContext, ToolResult } from './types';
import { errText, resolveForTool } from './fsutil';
import { Ignorer, walk } from './walk';
import { toRel } from '../permissions/containment';
import { isSecretPath } from '../permissions/policy-paths';
import { scrubEnv } from '../util/secrets';
import { redactForModel } from '../util/redact';

export const GREP_LIMIT = 200;
export const GREP_LINE_MAX = 300;
const MAX_FILE = 10 * 1024 * 1024;

const input = z.object({
  pattern: z.string().min(1).describe('Regular expression (ripgrep / JavaScript syntax; escape literal characters like ( . [ with a backslash).'),
  path: z.string().optional().describe('File or folder to search, relative to the workspace root. Default: the root.'),
  glob: z.string().optional().describe('Only search files matching this glob, e.g. "*.ts" or "src/**/*.py".'),
  ignore_case: z.boolean().optional().describe('Case-insensitive search.'),
  files_only: z.boolean().optional().describe('List only the paths of files that match, not the lines.'),
});
type Input = z.infer<typeof input>;

export interface GrepHit { file: string; line: number; text: string }

function cut(s: string): string {
  return s.length > GREP_LINE_MAX ? s.slice(0, GREP_LINE_MAX) + ' [...]' : s;
}

/** The JavaScript search. `startRel` is the workspace-relative file or folder. */
export async function grepJs(root: string, startRel: string, isFile: boolean, args: Input, signal: AbortSignal, limit: number): Promise<GrepHit[]> {
  const re = new RegExp(args.pattern, args.ignore_case ? 'i' : '');
  const mm = args.glob ? new Minimatch(args.glob, { dot: true, matchBase: !args.glob.includes('/') }) : undefined;
  const hits: GrepHit[] = [];
  const files: string[] = [];
  if (isFile) files.push(startRel);
  else {
    const ign = new Ignorer(root);
    for await (const e of walk(ign, startRel, { signal, filesOnly: true })) {
      if (e.isSymlink) continue;
      const sub = startRel ? e.rel.slice(startRel.length + 1) : e.rel;
      if (mm && !mm.match(sub)) continue;
      files.push(e.rel);
    }
  }
  for (const rel of files) {
    if (signal.aborted || hits.length >= limit) break;
    if (isSecretPath(rel)) continue;
    let buf: Buffer;
    try {
      const st = await fsp.stat(path.join(root, rel));
      if (!st.isFile() || st.size > MAX_FILE) continue;
      buf = await fsp.readFile(path.join(root, rel));
    } catch { continue; }
    if (buf.subarray(0, 8192).includes(0)) continue;
    const lines = buf.toString('utf8').split('\n');
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    for (let i = 0; i < lines.length && hits.length < limit; i++) {
      const l = (lines[i] ?? '').replace(/\r$/, '');
      if (re.test(l)) hits.push({ file: rel, line: i + 1, text: l });
    }
  }
  return hits;
}

/** The ripgrep search, post-filtered with the same ignore rules (nested .agentignore files) and secret policy. */
export async function grepRg(rgPath: string, root: string, startRel: string, args: Input, signal: AbortSignal, limit: number): Promise<GrepHit[]> {
  const argv = ['--json', '--hidden', '--no-require-git', '--no-follow', '--sort', 'path', '--max-filesize', '10M', '--glob', '!.git', '--glob', '!node_modules'];
  if (args.ignore_case) argv.push('-i');
  if (args.glob) argv.push('--glob', args.glob.includes('/') ? '/' + (startRel ? `${startRel}/` : '') + args.glob.replace(/^\//, '') : args.glob);
  argv.push('-e', args.pattern, '--', startRel || '.');
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn(rgPath, argv, { cwd: root, signal, stdio: ['ignore', 'pipe', 'pipe'], env: scrubEnv(process.env) });
    const chunks: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (c: Buffer) => chunks.push(c));
    p.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 || code === 1 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(err.trim() || `rg exited with ${code}`))));
  });
  const ign = new Ignorer(root);
  const hits: GrepHit[] = [];
  const verdict = new Map<string, boolean>();
  for (const line of out.split('\n')) {
    if (!line.startsWith('{"type":"match"')) continue;
    const m = JSON.parse(line) as { data: { path: { text?: string }; line_number: number; lines: { text?: string } } };
    const file = (m.data.path.text ?? '').replace(/^\.\//, '');
    let ok = verdict.get(file);
    if (ok === undefined) { ok = !isSecretPath(file) && !(await ign.ignored(file, false, startRel)); verdict.set(file, ok); }
    if (!ok) continue;
    hits.push({ file, line: m.data.line_number, text: (m.data.lines.text ?? '').replace(/\r?\n$/, '') });
  }
  hits.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return hits.slice(0, limit);
}

/** Find `rg` on PATH (for the CLI and tests; the VS Code host passes its bundled ripgrep instead). */
export function findRgOnPath(): string | undefined {
  const names = process.platform === 'win32' ? ['rg.exe'] : ['rg'];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const n of names) {
      const p = path.join(dir, n);
      try { fs.accessSync(p, fs.constants.X_OK); return p; } catch { /* next */ }
    }
  }
  return undefined;
}

export function createGrepTool(opts: { rgPath?: string } = {}): Tool<typeof input> {
  return {
    name: 'grep',
    description:
      `Search file contents in the workspace with a regular expression. Returns matching lines as "path:line: text", sorted by path, at most ${GREP_LIMIT}; ` +
      'or, with files_only, the matching file paths. Files ignored by .gitignore or .agentignore, binary files and secret files (.env, keys) are not searched.',
    input,
    kind: 'read',
    label: 'Search',
    describe: (i) => `/${i.pattern}/${i.path ? ` in ${i.path}` : ''}`,
    path: (i) => i.path ?? '.',
    readOnly: true,
    concurrencySafe: true,
    async execute(args, ctx: ToolContext): Promise<ToolResult> {
      try {
        try { new RegExp(args.pattern); } catch (e) { return { isError: true, content: `Invalid regular expression: ${errText(e)}` }; }
        const { real } = resolveForTool(ctx, args.path ?? '.');
        const st = await fsp.stat(real);
        const startRel = toRel(ctx.workspaceRoot, real);
        const limit = args.files_only ? 100_000 : GREP_LIMIT + 1;
        const hits = opts.rgPath && st.isDirectory()
          ? await grepRg(opts.rgPath, ctx.workspaceRoot, startRel, args, ctx.signal, limit)
          : await grepJs(ctx.workspaceRoot, startRel, st.isFile(), args, ctx.signal, limit);
        if (hits.length === 0) return { content: `No matches for /${args.pattern}/${startRel ? ` in ${startRel}` : ''}.` };
        if (args.files_only) {
          const files = [...new Set(hits.map((h) => h.file))];
          const shown = files.slice(0, GREP_LIMIT);
          return { content: redactForModel(shown.join('\n')) + (files.length > GREP_LIMIT ? `\n[${files.length - GREP_LIMIT} more files not shown.]` : ''), display: { files: files.length } };
        }
        const more = hits.length > GREP_LIMIT;
        const shown = hits.slice(0, GREP_LIMIT);
        return {
          content: redactForModel(shown.map((h) => `${h.file}:${h.line}: ${cut(h.text)}`).join('\n')) + (more ? `\n[Stopped at ${GREP_LIMIT} matches; narrow the pattern, path or glob.]` : ''),
          display: { matches: shown.length, truncated: more },
        };
      } catch (e) {
        return { isError: true, content: `grep failed: ${errText(e)}` };
      }
    },
  };
}
