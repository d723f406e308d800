/**
 * The permission engine: a pure, synchronous decision per tool call (it reads the file system only to resolve
 * symlinks and to peek at a file that may hold secrets). Order: deny rules and hard denies (outside the workspace,
 * secrets, untrusted workspace, plan mode) -> forced asks (ask rules, protected paths, risky shell constructs,
 * the model's own request for approval) -> allow rules -> the mode. Any error evaluates to deny (fail closed).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Decision, PermissionCheck, PermissionEngine, PermissionMode, PermissionRule, ResolvedPath } from './types';
import { canonicalPath, contain, isWithin, toRel } from './containment';
import { isPlanFile, isSecretPath, looksLikeSecretContent, memoryReason, protectedReason } from './policy-paths';
import { matchCommand, matchPath, parseRule, ruleAppliesTo, type ParsedRule, type PathTarget, suggestRule } from './rules';
import { judgeLine, type JudgedSegment } from './command-line';
import { judgeSegmentPaths, type PathContext } from './command-paths';
import { repoTrustProblem } from './git';
import { loadBashGrammar } from './bash-grammar';
import type { ScanResult } from './secret-scan';


export interface EngineOptions {
  workspaceRoot: string;
  trusted: boolean;
  mode?: PermissionMode;
  rules?: PermissionRule[];
  /** Folders outside the workspace the user allowed (user scope only). */
  additionalDirectories?: string[];
  homeDir?: string;
  /**
   * True while a proposed plan waits for the user's answer: every call is judged as in plan mode whatever the mode
   * setting, and even the plan file may not be written (nothing with a side effect runs before the answer).
   */
  planHeld?(): boolean;
}

const HELD = 'a plan is waiting for the user\'s answer: nothing changes until the user approves it with the buttons on the plan card (a chat message never approves a plan)';

export interface Engine extends PermissionEngine {
  setMode(mode: PermissionMode): void;
  rules(): PermissionRule[];
  removeRule(pattern: string, effect?: PermissionRule['effect']): void;
}

const deny = (reason: string): Decision => ({ behavior: 'deny', reason });
const ask = (reason: string): Decision => ({ behavior: 'ask', reason });
const allow = (reason: string): Decision => ({ behavior: 'allow', reason });
/** Sources whose allow rules may reach outside the workspace or unlock secrets: the user's own choices. */
const PERSONAL = new Set<PermissionRule['source']>(['user', 'session', 'local']);

/** Why plan mode refuses a command line: the first segment that is not read-only, or the first risk. */
function notReadOnly(segs: JudgedSegment[], risks: string[]): string {
  const s = segs.find((x) => x.c.kind !== 'read-only');
  const why = s?.c.why ?? risks[0];
  return why ? ` (${why})` : '';
}

export function createPermissionEngine(opts: EngineOptions): Engine {
  // Commands are read with the bash grammar; it is ready before the first tool call can arrive (see bash-grammar.ts).
  void loadBashGrammar();
  const scans = new Map<string, { at: number; r: ScanResult }>();
  let mode: PermissionMode = opts.mode ?? 'ask';
  const rules: ParsedRule[] = [];
  const held = () => opts.planHeld?.() === true;
  /** The mode calls are judged by: plan mode while a proposed plan waits, whatever the setting. */
  const effective = (): PermissionMode => (held() ? 'plan' : mode);
  const root = canonicalPath(opts.workspaceRoot);
  const home = opts.homeDir ?? os.homedir();
  const extra = (opts.additionalDirectories ?? []).map((d) => canonicalPath(path.resolve(root, d)));
  const roots = [root, ...extra];
  const add = (r: PermissionRule) => { const p = parseRule(r); if (p) rules.push(p); };
  (opts.rules ?? []).forEach(add);

  const forTool = (tool: string, effect: PermissionRule['effect']) => rules.filter((r) => r.rule.effect === effect && ruleAppliesTo(r.tool, tool));
  const wholeTool = (tool: string, effect: PermissionRule['effect']) => forTool(tool, effect).find((r) => r.spec === undefined);
  const pathRule = (tool: string, effect: PermissionRule['effect'], t: PathTarget, personalOnly = false) =>
    forTool(tool, effect).find((r) => (!personalOnly || PERSONAL.has(r.rule.source)) && (r.spec === undefined || matchPath(r.spec, t, root, home, effect !== 'allow')));
  const cmdRule = (effect: PermissionRule['effect'], texts: string[]) =>
    forTool('run_command', effect).find((r) => r.spec === undefined || texts.some((t) => matchCommand(r.spec ?? '', t)));

  function resolve(p: string, base = root): ResolvedPath {
    const c = contain(roots, p, base, home, true);
    return { given: p, abs: c.abs, real: c.real, rel: toRel(root, c.real), inside: c.inside };
  }
  /** The call's path: the one resolved before the check when it is the same path, else resolved now. */
  let current: ResolvedPath | undefined;
  function target(p: unknown, base = root): PathTarget & { rel: string; inside: boolean } {
    if (typeof p !== 'string') throw new Error('the path is missing or not a string');
    if (current && current.given === p && base === root) return current;
    return resolve(p, base);
  }

  function checkRead(tool: string, input: Record<string, unknown>): Decision {
    const t = target(input.path ?? '.');
    const d = pathRule(tool, 'deny', t);
    if (d) return deny(`denied by rule ${d.rule.pattern}`);
    if (!t.inside && !pathRule(tool, 'allow', t, true)) return deny(`${t.real} is outside the workspace`);
    if ((isSecretPath(t.abs) || isSecretPath(t.real)) && !pathRule(tool, 'allow', t, true)) return deny(`${path.basename(t.real)} looks like a secret file; reading it needs an explicit allow rule from you`);
    const a = pathRule(tool, 'ask', t);
    if (a) return ask(`rule ${a.rule.pattern}`);
    let st: fs.Stats | undefined;
    try { st = fs.statSync(t.real); } catch { /* missing: the tool reports it */ }
    if (st?.isFile() && st.nlink > 1 && !pathRule(tool, 'allow', t, true)) return ask(`${t.rel} is a hard link (it may point at a file outside the workspace)`);
    if (tool === 'read_file' && st?.isFile() && looksLikeSecretContent(t.real) && !pathRule(tool, 'allow', t, true)) return ask(`${t.rel} looks like it contains credentials`);
    return allow('reading inside the workspace');
  }

  function checkEdit(tool: string, input: Record<string, unknown>, raise: boolean): Decision {
    const mode = effective();
    const t = target(input.path);
    const d = pathRule(tool, 'deny', t);
    if (d) return deny(`denied by rule ${d.rule.pattern}`);
    if (!t.inside && !pathRule(tool, 'allow', t, true)) return deny(`${t.real} is outside the workspace`);
    // Memory is written only through the memory tools (write discipline, provenance, review), in every mode.
    const mem = memoryReason(t.rel) ?? memoryReason(toRel(root, t.abs));
    if (mem) return deny(mem);
    if (held()) return deny(HELD);
    if (mode === 'plan') return t.inside && isPlanFile(t.rel) && isPlanFile(toRel(root, t.abs)) ? allow('plan mode may write the plan file') : deny('plan mode is read-only (only .agent/plans/*.md may be written)');
    const prot = protectedReason(t.rel) ?? protectedReason(toRel(root, t.abs)) ?? (t.inside ? undefined : protectedReason(path.basename(t.real)));
    if (prot) return ask(`protected path: ${prot}`);
    if (isSecretPath(t.abs) || isSecretPath(t.real)) return ask(`${t.rel} is a secret file`);
    let lst: fs.Stats | undefined;
    try { lst = fs.lstatSync(t.abs); } catch { /* new file */ }
    if (lst?.isSymbolicLink()) return ask(`${t.rel} is a symbolic link`);
    if (lst?.isFile() && lst.nlink > 1) return ask(`${t.rel} is a hard link`);
    const a = pathRule(tool, 'ask', t);
    if (a) return ask(`rule ${a.rule.pattern}`);
    if (raise) return ask('the model asked for approval');
    const al = pathRule(tool, 'allow', t);
    if (al) return allow(`allowed by rule ${al.rule.pattern}`);
    if (mode === 'accept-edits' || mode === 'auto') return allow(`${mode} mode`);
    return ask('edits need approval in ask mode');
  }

  function checkCommand(input: Record<string, unknown>, raise: boolean): Decision {
    const mode = effective();
    if (input.command === undefined && typeof input.stop_job === 'string') return allow('stopping a background job');
    if (typeof input.command !== 'string' || !input.command.trim()) return deny('no command given');
    const cmd = input.command;
    const cwd = input.cwd === undefined ? root : target(input.cwd);
    const cwdAbs = typeof cwd === 'string' ? cwd : cwd.real;
    if (typeof cwd !== 'string' && !cwd.inside) return deny(`working folder ${cwd.real} is outside the workspace`);
    const { segs, risks, texts, patterns } = judgeLine(cmd);
    const d = cmdRule('deny', texts);
    if (d) return deny(`denied by rule ${d.rule.pattern}`);
    if (mode === 'plan' && (risks.length || !segs.length || segs.some((s) => s.c.kind !== 'read-only'))) return deny(`plan mode is read-only: only read-only commands may run${notReadOnly(segs, risks)}`);
    const a = cmdRule('ask', texts);
    if (a) return ask(`rule ${a.rule.pattern}`);
    const exact = forTool('run_command', 'allow').find((r) => r.spec !== undefined && !r.spec.includes('*') && r.spec.trim() === cmd.trim());
    if (risks.length && !exact) return ask(`needs approval: ${risks.join('; ')}`);
    if (raise) return ask('the model asked for approval');
    const ctx: PathContext = { target: (p, b) => target(p, b), cwd: cwdAbs, patterns, scans, now: Date.now };
    const cwdRel = toRel(root, cwdAbs);
    for (const { seg, c } of segs) {
      const name = seg.words[0] ?? '';
      const why = judgeSegmentPaths(name, c, ctx);
      if (why) return ask(why);
      if (c.git && c.kind !== 'other') {
        const trust = repoTrustProblem({ cwd: cwdAbs, root, repo: c.git, inside: (p) => roots.some((r) => isWithin(r, p)), canonical: canonicalPath });
        if (trust) return ask(trust);
      }
      if (c.kind !== 'read-only' && cwdRel && cwdRel !== '.') {
        const where = memoryReason(cwdRel) ?? protectedReason(cwdRel + '/x');
        if (where) return ask(`${name} runs in ${cwdRel}: ${where}`);
      }
    }
    if (exact) return allow(`allowed by rule ${exact.rule.pattern}`);
    if (!segs.length) return ask('the command could not be read');
    const unallowed = segs.filter(({ seg, c }) => !(cmdRule('allow', [seg.text]) || c.kind === 'read-only' || (mode === 'auto' && c.kind === 'dev')));
    if (unallowed.length === 0) return allow(segs.every((s) => s.c.kind === 'read-only') ? 'read-only command' : 'allowed by rules');
    return ask([...new Set(unallowed.map((u) => u.c.why ?? `${u.seg.words[0]} needs approval`))].join('; '));
  }

  function checkInner(call: PermissionCheck): Decision {
    const mode = effective();
    const kind = call.kind;
    if (call.input === null || typeof call.input !== 'object' || Array.isArray(call.input)) return deny('malformed tool input');
    const input = call.input as Record<string, unknown>;
    // The model may ask for more scrutiny, never for less (S26).
    const raise = input.requires_approval === true || input.dangerous === true || input.safe === false;
    if (!opts.trusted && kind !== 'read' && kind !== 'state' && !(kind === 'memory' && call.readOnly)) return deny('this workspace is not trusted: nothing runs and nothing is edited');
    const wd = wholeTool(call.tool, 'deny');
    if (wd) return deny(`denied by rule ${wd.rule.pattern}`);
    switch (kind) {
      case 'read': return checkRead(call.tool, input);
      case 'edit': return checkEdit(call.tool, input, raise);
      case 'command': return checkCommand(input, raise);
      case 'state': {
        if (!call.readOnly && held()) return deny(HELD);
        if (!call.readOnly && !opts.trusted) return deny('this workspace is not trusted: nothing is written');
        const a = wholeTool(call.tool, 'ask');
        return a ? ask(`rule ${a.rule.pattern}`) : allow('no side effects outside the session');
      }
      case 'memory': {
        // The memory tools keep their own discipline (evidence, held writes after untrusted reads, a log).
        if (mode === 'plan' && !call.readOnly) return deny('plan mode is read-only: memory is written after the plan is approved');
        const a = wholeTool(call.tool, 'ask');
        return a ? ask(`rule ${a.rule.pattern}`) : allow(call.readOnly ? 'reads memory' : 'memory writes keep their own discipline');
      }
      case 'agent': {
        // Starting a subagent has no effect of its own: each of its calls meets this engine.
        const a = wholeTool(call.tool, 'ask');
        return a ? ask(`rule ${a.rule.pattern}`) : allow('each call of the subagent is checked on its own');
      }
      default: {
        if (mode === 'plan') return deny('plan mode is read-only');
        const a = wholeTool(call.tool, 'ask');
        if (a || raise) return ask(a ? `rule ${a.rule.pattern}` : 'the model asked for approval');
        const al = wholeTool(call.tool, 'allow');
        return al ? allow(`allowed by rule ${al.rule.pattern}`) : ask(`${call.tool} needs approval`);
      }
    }
  }

  return {
    check(call) {
      current = call.target;
      try { return checkInner(call); } catch (e) { return deny(`could not evaluate the call safely: ${(e as Error).message}`); } finally { current = undefined; }
    },
    resolve,
    roots: () => [root, ...extra],
    addRule: add,
    // The narrowest rule that would allow this call again; undefined when none is safe to offer.
    suggestRule: (call) => suggestRule(call.tool, call.input, root),
    mode: () => mode,
    setMode(m) { mode = m; },
    rules: () => rules.map((r) => r.rule),
    removeRule(pattern, effect) {
      for (let i = rules.length - 1; i >= 0; i--) if (rules[i]?.rule.pattern === pattern && (!effect || rules[i]?.rule.effect === effect)) rules.splice(i, 1);
    },
  };
}

/** Is a canonical path inside the workspace or one of the extra folders? (For callers outside the engine.) */
export function insideRoots(real: string, roots: string[]): boolean {
  return roots.some((r) => isWithin(canonicalPath(r), real));
}
