/**
 * The plan file: `.agent/plans/<slug>.md`, front matter then Markdown a person can read and edit.
 *
 *   ---
 *   title: Add input validation
 *   status: open                      open | approved | done | abandoned
 *   mode: plan                        plan while open; the mode the user chose when approving (ask | accept-edits)
 *   created: 2026-12-02T13:00:00.000Z
 *   ---
 *
 *   ## Summary
 *   ...
 *   ## Steps
 *   - [ ] Add the schema               [ ] to do, [~] in progress, [x] done, [-] skipped
 *     Files: src/schema.ts, src/form.ts
 *   ## Risks
 *   - ...
 *   ## Verification
 *   ...
 *   ## Outcome                        (written when the plan is finished)
 *
 * `parsePlan(serializePlan(p))` equals `p`, and a canonical file serializes back byte for byte. A person's edits
 * (new steps, reworded text, extra lines under a step, extra front matter keys, sections of their own) are kept.
 * Malformed input throws a `PlanFormatError` naming the line and what to write instead.
 */

export type PlanStatus = 'open' | 'approved' | 'done' | 'abandoned';
export type StepState = 'todo' | 'in_progress' | 'done' | 'skipped';
export const PLAN_STATUSES: readonly PlanStatus[] = ['open', 'approved', 'done', 'abandoned'];
export const STEP_STATES: readonly StepState[] = ['todo', 'in_progress', 'done', 'skipped'];

export interface PlanStep {
  text: string;
  /** Workspace-relative paths this step touches. */
  files: string[];
  state: StepState;
  /** Further lines a person wrote under the step (kept as written, without the indent). */
  details?: string;
}

export interface Plan {
  title: string;
  status: PlanStatus;
  /** 'plan' while open; after approval the mode the user chose. */
  mode: string;
  /** ISO time. */
  created: string;
  /** The session that proposed or executes it, when known. */
  session?: string;
  summary: string;
  steps: PlanStep[];
  risks: string[];
  verification: string;
  /** How it ended (written when done or abandoned). */
  outcome?: string;
  /** Front matter keys a person added, kept in order. */
  extraMeta?: Array<[string, string]>;
  /** Sections a person added (`## Heading` + body), kept in order after the known ones. */
  extraSections?: Array<{ heading: string; body: string }>;
}

export class PlanFormatError extends Error {
  constructor(readonly line: number, problem: string) {
    super(`Plan file line ${line}: ${problem}`);
    this.name = 'PlanFormatError';
  }
}

const MARK: Record<StepState, string> = { todo: ' ', in_progress: '~', done: 'x', skipped: '-' };
const STATE_OF: Record<string, StepState> = { ' ': 'todo', '~': 'in_progress', x: 'done', X: 'done', '-': 'skipped' };
const KNOWN = ['summary', 'steps', 'risks', 'verification', 'outcome'] as const;
const META_KEYS = ['title', 'status', 'mode', 'created', 'session'];

/** One line, no control characters (front matter values and step text). */
export function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\r\n\t\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
}

function trimBlock(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(/^\n+|\s+$/g, '');
}

export function serializePlan(p: Plan): string {
  const out: string[] = ['---'];
  out.push(`title: ${oneLine(p.title)}`, `status: ${p.status}`, `mode: ${oneLine(p.mode)}`, `created: ${oneLine(p.created)}`);
  if (p.session) out.push(`session: ${oneLine(p.session)}`);
  for (const [k, v] of p.extraMeta ?? []) out.push(`${k}: ${oneLine(v)}`);
  out.push('---', '');
  const section = (heading: string, body: string) => { out.push(`## ${heading}`, ''); if (body) out.push(body, ''); };
  section('Summary', trimBlock(p.summary));
  out.push('## Steps', '');
  for (const s of p.steps) {
    out.push(`- [${MARK[s.state]}] ${oneLine(s.text)}`);
    if (s.files.length) out.push(`  Files: ${s.files.map(oneLine).join(', ')}`);
    if (s.details) for (const l of trimBlock(s.details).split('\n')) out.push(l ? `  ${l}` : '');
  }
  out.push('');
  section('Risks', p.risks.map((r) => `- ${oneLine(r)}`).join('\n'));
  section('Verification', trimBlock(p.verification));
  if (p.outcome !== undefined) section('Outcome', trimBlock(p.outcome));
  for (const x of p.extraSections ?? []) section(oneLine(x.heading), trimBlock(x.body));
  return out.join('\n');
}

export function parsePlan(text: string): Plan {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  if (lines[0]?.trim() !== '---') throw new PlanFormatError(1, 'a plan file starts with front matter: a line "---", then "title: ...", "status: open", "mode: plan", "created: <ISO time>", then "---".');
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (end < 0) throw new PlanFormatError(1, 'the front matter is not closed: add a line "---" after its last "key: value" line.');
  const meta = new Map<string, string>();
  const extraMeta: Array<[string, string]> = [];
  for (let i = 1; i < end; i++) {
    const l = lines[i]!;
    if (!l.trim()) continue;
    const m = /^([A-Za-z][\w-]*):\s?(.*)$/.exec(l);
    if (!m) throw new PlanFormatError(i + 1, `"${l.slice(0, 60)}" is not a "key: value" line.`);
    const key = m[1]!.toLowerCase();
    if (meta.has(key)) throw new PlanFormatError(i + 1, `"${key}" is given twice; keep one.`);
    meta.set(key, m[2]!.trim());
    if (!META_KEYS.includes(key)) extraMeta.push([m[1]!, m[2]!.trim()]);
  }
  const title = meta.get('title');
  if (!title) throw new PlanFormatError(2, 'the front matter has no title: add "title: <what the plan does>".');
  const status = (meta.get('status') ?? '') as PlanStatus;
  if (!PLAN_STATUSES.includes(status)) throw new PlanFormatError(2, `status must be one of ${PLAN_STATUSES.join(', ')} (found "${meta.get('status') ?? ''}").`);

  // Sections.
  const sections: Array<{ heading: string; line: number; body: string[] }> = [];
  let pre: string[] = [];
  for (let i = end + 1; i < lines.length; i++) {
    const l = lines[i]!;
    const h = /^##\s+(.+?)\s*#*\s*$/.exec(l);
    if (h) sections.push({ heading: h[1]!, line: i + 1, body: [] });
    else if (sections.length) sections[sections.length - 1]!.body.push(l);
    else pre.push(l);
  }
  pre = pre.filter((l) => l.trim());
  if (pre.length) throw new PlanFormatError(end + 2, 'text before the first section: put it under "## Summary".');
  const byName = new Map<string, { line: number; body: string[] }>();
  const extraSections: Array<{ heading: string; body: string }> = [];
  for (const s of sections) {
    const key = s.heading.toLowerCase();
    if ((KNOWN as readonly string[]).includes(key)) {
      if (byName.has(key)) throw new PlanFormatError(s.line, `a second "## ${s.heading}" section; merge it into the first.`);
      byName.set(key, s);
    } else extraSections.push({ heading: s.heading, body: trimBlock(s.body.join('\n')) });
  }
  const steps = byName.get('steps');
  if (!steps) throw new PlanFormatError(end + 2, 'the plan has no "## Steps" section with a checklist ("- [ ] step").');
  const plan: Plan = {
    title: oneLine(title),
    status,
    mode: meta.get('mode') || 'plan',
    created: meta.get('created') ?? '',
    ...(meta.get('session') ? { session: meta.get('session')! } : {}),
    summary: trimBlock(byName.get('summary')?.body.join('\n') ?? ''),
    steps: parseSteps(steps.body, steps.line),
    risks: parseList(byName.get('risks')?.body ?? []),
    verification: trimBlock(byName.get('verification')?.body.join('\n') ?? ''),
    ...(byName.has('outcome') ? { outcome: trimBlock(byName.get('outcome')!.body.join('\n')) } : {}),
    ...(extraMeta.length ? { extraMeta } : {}),
    ...(extraSections.length ? { extraSections } : {}),
  };
  if (!plan.steps.length) throw new PlanFormatError(steps.line, 'the "## Steps" section has no steps: write one "- [ ] step" line per step.');
  return plan;
}

function parseSteps(body: string[], headLine: number): PlanStep[] {
  const steps: PlanStep[] = [];
  const details: string[][] = [];
  body.forEach((l, k) => {
    const line = headLine + 1 + k;
    if (!l.trim()) { if (steps.length) details[steps.length - 1]!.push(''); return; }
    const m = /^\s{0,1}[-*+]\s+\[(.)\]\s*(.*)$/.exec(l) ?? /^\s{0,1}\d+[.)]\s+\[(.)\]\s*(.*)$/.exec(l);
    if (m) {
      const state = STATE_OF[m[1]!];
      if (!state) throw new PlanFormatError(line, `"[${m[1]}]" is not a step state: use [ ] to do, [~] in progress, [x] done or [-] skipped.`);
      if (!m[2]!.trim()) throw new PlanFormatError(line, 'a step without text: write what the step does after the checkbox, or delete the line.');
      steps.push({ text: oneLine(m[2]!), files: [], state });
      details.push([]);
      return;
    }
    if (!/^\s{2,}\S/.test(l) || !steps.length) throw new PlanFormatError(line, `"${l.trim().slice(0, 60)}" is not a step: steps are "- [ ] text" lines; indent a line by two spaces to attach it to the step above.`);
    const f = /^\s+files:\s*(.*)$/i.exec(l);
    const cur = steps[steps.length - 1]!;
    if (f && !cur.files.length) cur.files = f[1]!.split(',').map((x) => x.trim().replace(/^`|`$/g, '')).filter(Boolean);
    else details[steps.length - 1]!.push(l.replace(/^ {2}/, ''));
  });
  steps.forEach((s, i) => { const d = trimBlock(details[i]!.join('\n')); if (d) s.details = d; });
  return steps;
}

function parseList(body: string[]): string[] {
  const out: string[] = [];
  for (const l of body) {
    if (!l.trim()) continue;
    const m = /^\s*[-*+]\s+(.*)$/.exec(l);
    if (m) out.push(oneLine(m[1]!));
    else if (out.length) out[out.length - 1] = oneLine(`${out[out.length - 1]} ${l}`);
    else out.push(oneLine(l));
  }
  return out.filter(Boolean);
}

/** Every file the plan names (for flagging an edit to a file it does not name). */
export function planFiles(p: Plan): string[] {
  return [...new Set(p.steps.flatMap((s) => s.files).map(normRel))];
}

export function normRel(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
}

export function slugify(title: string): string {
  const s = title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  return s || 'plan';
}

/** "3/7 done" style progress (skipped steps count as settled). */
export function progressOf(p: Plan): { done: number; skipped: number; total: number; current?: number } {
  const current = p.steps.findIndex((s) => s.state === 'in_progress');
  return {
    done: p.steps.filter((s) => s.state === 'done').length,
    skipped: p.steps.filter((s) => s.state === 'skipped').length,
    total: p.steps.length,
    ...(current >= 0 ? { current } : {}),
  };
}
