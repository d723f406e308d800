/**
 * Permission settings from three files: user scope, `.agent/settings.json` (shared, committed) and
 * `.agent/settings.local.json` (personal). A workspace file can always add deny and ask rules; its allow rules,
 * a looser default mode and extra folders apply only in a trusted workspace (and extra folders never from the
 * shared file). "Always allow" answers are persisted atomically.
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { PermissionMode, PermissionRule, RuleEffect } from './types';
import type { Engine } from './engine';

export interface PermissionSettings { allow?: string[]; ask?: string[]; deny?: string[]; defaultMode?: PermissionMode; additionalDirectories?: string[] }
export interface LoadedSettings { rules: PermissionRule[]; mode: PermissionMode; additionalDirectories: string[]; warnings: string[] }

export const projectSettingsPath = (root: string) => path.join(root, '.agent', 'settings.json');
export const localSettingsPath = (root: string) => path.join(root, '.agent', 'settings.local.json');

const MODES: PermissionMode[] = ['ask', 'accept-edits', 'plan', 'auto'];
/** Modes ordered from strictest; a workspace file may only make the mode stricter unless trusted. */
const STRICTNESS: Record<PermissionMode, number> = { plan: 0, ask: 1, 'accept-edits': 2, auto: 3 };

function readJson(file: string, warnings: string[]): { permissions?: PermissionSettings } | undefined {
  let text: string;
  try {
    if (fs.lstatSync(file).isSymbolicLink()) { warnings.push(`${file} is a symbolic link; ignored`); return undefined; }
    text = fs.readFileSync(file, 'utf8');
  } catch { return undefined; }
  try { return JSON.parse(text) as { permissions?: PermissionSettings }; } catch (e) { warnings.push(`${file}: invalid JSON (${(e as Error).message}); ignored`); return undefined; }
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function loadPermissionSettings(o: { workspaceRoot: string; trusted: boolean; userSettingsPath?: string }): LoadedSettings {
  const warnings: string[] = [];
  const rules: PermissionRule[] = [];
  let mode: PermissionMode = 'ask';
  const additionalDirectories: string[] = [];
  const layers: Array<[PermissionRule['source'], string | undefined]> = [
    ['user', o.userSettingsPath], ['project', projectSettingsPath(o.workspaceRoot)], ['local', localSettingsPath(o.workspaceRoot)],
  ];
  for (const [source, file] of layers) {
    if (!file) continue;
    const p = readJson(file, warnings)?.permissions;
    if (!p || typeof p !== 'object') continue;
    const workspace = source !== 'user';
    for (const effect of ['deny', 'ask', 'allow'] as RuleEffect[]) {
      const list = strings(p[effect]);
      if (effect === 'allow' && workspace && !o.trusted) { if (list.length) warnings.push(`${file}: allow rules ignored (workspace not trusted)`); continue; }
      for (const pattern of list) rules.push({ effect, pattern, source });
    }
    if (typeof p.defaultMode === 'string' && MODES.includes(p.defaultMode)) {
      if (workspace && !o.trusted && STRICTNESS[p.defaultMode] > STRICTNESS[mode]) warnings.push(`${file}: defaultMode ${p.defaultMode} ignored (workspace not trusted)`);
      else if (workspace && source === 'project' && p.defaultMode === 'auto') warnings.push(`${file}: a shared project file cannot turn on auto mode`);
      else mode = p.defaultMode;
    }
    const dirs = strings(p.additionalDirectories);
    if (dirs.length && (source === 'user' || (source === 'local' && o.trusted))) additionalDirectories.push(...dirs);
    else if (dirs.length) warnings.push(`${file}: additionalDirectories ignored (only user or trusted local settings may add folders)`);
  }
  return { rules, mode, additionalDirectories, warnings };
}

/** Write JSON atomically (temp file + rename); never through a symlink. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  try { if ((await fsp.lstat(file)).isSymbolicLink()) throw new Error(`${file} is a symbolic link; refusing to write it`); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; }
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await fsp.writeFile(tmp, JSON.stringify(value, null, 2) + '\n', { flag: 'wx' });
  await fsp.rename(tmp, file);
}

/** Add a rule to a settings file (user file or .agent/settings.local.json), keeping everything else in it. */
export async function persistRule(file: string, effect: RuleEffect, pattern: string): Promise<void> {
  let doc: Record<string, unknown> = {};
  try { doc = JSON.parse(await fsp.readFile(file, 'utf8')) as Record<string, unknown>; } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; }
  const perms = (doc.permissions && typeof doc.permissions === 'object' ? doc.permissions : {}) as Record<string, unknown>;
  const list = strings(perms[effect]);
  if (!list.includes(pattern)) list.push(pattern);
  perms[effect] = list;
  doc.permissions = perms;
  await writeJsonAtomic(file, doc);
}

/** Remember an "always allow" answer at the chosen scope: session (memory only), workspace (local file) or everywhere (user file). */
export async function rememberAllow(engine: Engine, scope: 'session' | 'workspace' | 'user', pattern: string, where: { workspaceRoot: string; userSettingsPath?: string }): Promise<void> {
  if (scope === 'workspace') await persistRule(localSettingsPath(where.workspaceRoot), 'allow', pattern);
  if (scope === 'user') {
    if (!where.userSettingsPath) throw new Error('no user settings file configured');
    await persistRule(where.userSettingsPath, 'allow', pattern);
  }
  engine.addRule({ effect: 'allow', pattern, source: scope === 'workspace' ? 'local' : scope });
}
