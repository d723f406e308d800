/** Set-up for coordinator tests: a real git repository, the real runner bundle as the worker, scripted worker turns. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Rule, ScriptItem } from '../../emulator/types';

export type Body = Record<string, unknown>;

export const systemOf = (b: Body): string => ((b.system as Array<{ text: string }> | undefined) ?? []).map((s) => s.text).join('\n');
export const isCoordinator = (b: Body): boolean => systemOf(b).includes('Coordinator mode:');
export const toolNames = (b: Body): string[] => ((b.tools as Array<{ name: string }> | undefined) ?? []).map((t) => t.name);
export function firstUserText(b: Body): string {
  const msgs = b.messages as Array<{ role: string; content: string | Array<{ type: string; text?: string }> }>;
  const c = msgs[0]?.content;
  return typeof c === 'string' ? c : (c ?? []).filter((x) => x.type === 'text').map((x) => x.text).join('');
}
/** How many tool results the conversation has had: the worker's step. */
export function step(b: Body): number {
  const msgs = b.messages as Array<{ role: string; content: string | Array<{ type: string }> }>;
  return msgs.filter((m) => m.role === 'user' && Array.isArray(m.content) && m.content.some((x) => x.type === 'tool_result')).length;
}

export const use = (name: string, input: Record<string, unknown>) => ({ type: 'tool_use' as const, name, input });

/** A worker's script: its task contains `marker`; its n-th request (after n tool results) gets `turns[n]`. */
export function workerRules(marker: string, turns: ScriptItem[]): Rule[] {
  return turns.map((reply, n) => ({ match: { when: (b: Body) => !isCoordinator(b) && firstUserText(b).includes(marker) && step(b) === n }, reply }));
}

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t', GIT_CONFIG_NOSYSTEM: '1' };
export function gitIn(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, env: GIT_ENV, encoding: 'utf8' });
}

/** A repository with `files` committed. */
export function makeRepo(dir: string, files: Record<string, string>): void {
  writeFiles(dir, files);
  gitIn(dir, 'init', '-q');
  gitIn(dir, 'add', '-A');
  gitIn(dir, 'commit', '-q', '-m', 'base');
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}
