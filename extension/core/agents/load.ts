/**
 * User-defined subagent types: `.agent/agents/<name>.md`, front matter (name, description, tools, model, deny)
 * and a body of instructions. A file that cannot be used is reported by name with what to fix; the others still
 * load. The list is sorted by name so the `agent` tool's description is the same bytes every time.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_TYPES } from './builtins';
import { TYPE_NAME, type AgentType } from './types';

export interface LoadedTypes {
  /** Built-ins then user types, each group sorted by name. */
  types: AgentType[];
  /** One line per file that could not be used: "<file>: <what is wrong and what to do>". */
  errors: string[];
}

const MAX_FILE_BYTES = 64 * 1024;
const KEYS = new Set(['name', 'description', 'tools', 'model', 'deny']);

/** Every type for a workspace: the built-ins and `.agent/agents/*.md`. */
export function loadAgentTypes(agentDir: string): LoadedTypes {
  const types: AgentType[] = [...BUILTIN_TYPES];
  const errors: string[] = [];
  const dir = join(agentDir, 'agents');
  if (!existsSync(dir)) return { types, errors };
  let files: string[];
  try { files = readdirSync(dir).filter((f) => f.endsWith('.md')).sort(); } catch (e) { return { types, errors: [`.agent/agents: could not be read (${(e as Error).message})`] }; }
  const user: AgentType[] = [];
  for (const f of files) {
    const rel = `.agent/agents/${f}`;
    try {
      const path = join(dir, f);
      if (statSync(path).size > MAX_FILE_BYTES) throw new Error(`the file is larger than ${MAX_FILE_BYTES / 1024} KB; keep a type's instructions short`);
      const t = parseAgentFile(readFileSync(path, 'utf8'), f.slice(0, -3));
      if (BUILTIN_TYPES.some((b) => b.name === t.name)) throw new Error(`"${t.name}" is a built-in type and cannot be redefined; choose another name`);
      if (user.some((u) => u.name === t.name)) throw new Error(`another file already defines "${t.name}"`);
      user.push({ ...t, file: rel });
    } catch (e) {
      errors.push(`${rel}: ${(e as Error).message}`);
    }
  }
  user.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { types: [...types, ...user], errors };
}

/** One type file. Throws with what is wrong and how to fix it. */
export function parseAgentFile(text: string, fileName: string): AgentType {
  const m = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/.exec(text);
  if (!m) throw new Error('it must start with front matter between two "---" lines (name, description, tools, model), followed by the instructions');
  const fields = parseFrontMatter(m[1]!);
  const name = scalar(fields, 'name') ?? fileName;
  if (!TYPE_NAME.test(name)) throw new Error(`name "${name}" is not valid: use lowercase letters, digits, "-" or "_", starting with a letter (at most 40)`);
  if (name !== fileName) throw new Error(`name "${name}" does not match the file name; rename the file to ${name}.md or fix the name`);
  const description = scalar(fields, 'description');
  if (!description) throw new Error('description is missing: one line saying when to use this type');
  const toolsField = fields.get('tools');
  const tools = toolsField === undefined ? 'parent' as const : list(toolsField, 'tools');
  if (tools !== 'parent') for (const t of tools) if (!/^[a-zA-Z0-9_-]{1,64}$/.test(t)) throw new Error(`tools: "${t}" is not a tool name`);
  const model = scalar(fields, 'model');
  if (model !== undefined && model !== 'inherit' && !/^[A-Za-z0-9._:-]{1,100}$/.test(model)) throw new Error(`model "${model}" is not a model id (or "inherit")`);
  const deny = fields.has('deny') ? list(fields.get('deny')!, 'deny') : [];
  for (const d of deny) if (!/^[a-zA-Z0-9_-]+(\(.*\))?$/.test(d)) throw new Error(`deny: "${d}" is not a rule like run_command(git push:*) or write_file`);
  const instructions = m[2]!.trim();
  if (!instructions) throw new Error('the instructions (the text after the front matter) are empty');
  return {
    name, description: description.replace(/\s+/g, ' ').slice(0, 300), tools, scope: 'none', deny,
    ...(model && model !== 'inherit' ? { model } : {}), instructions, source: 'user',
  };
}

type Value = string | string[];

/** A small YAML subset: `key: value`, `key: [a, b]`, and `key:` followed by `- item` lines. */
function parseFrontMatter(src: string): Map<string, Value> {
  const out = new Map<string, Value>();
  let listKey: string | undefined;
  for (const [i, raw] of src.split(/\r?\n/).entries()) {
    const line = raw.replace(/\s+#.*$/, '');
    if (!line.trim()) continue;
    const item = /^\s+-\s*(.*)$/.exec(line) ?? /^-\s+(.*)$/.exec(line);
    if (item && listKey) { (out.get(listKey) as string[]).push(unquote(item[1]!)); continue; }
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!kv) throw new Error(`front matter line ${i + 1} is not "key: value": ${raw.trim().slice(0, 60)}`);
    const key = kv[1]!;
    if (!KEYS.has(key)) throw new Error(`front matter key "${key}" is not known (use name, description, tools, model, deny)`);
    if (out.has(key)) throw new Error(`front matter key "${key}" is given twice`);
    const v = kv[2]!.trim();
    listKey = undefined;
    if (v === '') { out.set(key, []); listKey = key; continue; }
    if (v.startsWith('[')) {
      if (!v.endsWith(']')) throw new Error(`front matter "${key}": a list must end with "]"`);
      out.set(key, v.slice(1, -1).split(',').map((s) => unquote(s.trim())).filter(Boolean));
      continue;
    }
    out.set(key, unquote(v));
  }
  return out;
}

function unquote(s: string): string {
  return /^(['"]).*\1$/.test(s) ? s.slice(1, -1) : s;
}

function scalar(fields: Map<string, Value>, key: string): string | undefined {
  const v = fields.get(key);
  if (v === undefined) return undefined;
  if (Array.isArray(v)) throw new Error(`${key} must be a single value, not a list`);
  return v.trim() || undefined;
}

function list(v: Value, key: string): string[] {
  const items = Array.isArray(v) ? v : v.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length > 100) throw new Error(`${key}: at most 100 entries`);
  return items;
}
