/**
 * Secrets of the running process: which environment variables child processes must not inherit, and which
 * secret values (the API key wherever it came from: SecretStorage, the environment, a flag) must be removed from
 * any text before it reaches the model, a log or a transcript.
 *
 * The variables: ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN always, plus the names the user marks secret: the
 * `cairn.secretEnvVars` setting (the host calls setSecretEnvVars) and, for the headless CLI, the
 * CAIRN_SECRET_ENV_VARS environment variable (comma or space separated). A name may end in `*` (a prefix).
 */

export const ALWAYS_SECRET_ENV = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'];
/** Shorter values are not redacted as text (they would match ordinary words). */
const MIN_SECRET_LENGTH = 8;

let userNames: string[] = [];
const values = new Set<string>();

const split = (s: string | undefined) => (s ?? '').split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);

/** The names the user marks secret (replaces the previous list; the always-secret names stay). */
export function setSecretEnvVars(names: readonly string[]): void {
  userNames = names.map((n) => n.trim()).filter((n) => /^[A-Za-z_][A-Za-z0-9_]*\*?$/.test(n));
}

/** Every secret variable name pattern in force. */
export function secretEnvNames(env: NodeJS.ProcessEnv = process.env): string[] {
  return [...new Set([...ALWAYS_SECRET_ENV, ...userNames, ...split(env.CAIRN_SECRET_ENV_VARS).filter((n) => /^[A-Za-z_][A-Za-z0-9_]*\*?$/.test(n))])];
}

function isSecretName(name: string, patterns: string[]): boolean {
  const n = process.platform === 'win32' ? name.toUpperCase() : name;
  return patterns.some((p) => {
    const q = process.platform === 'win32' ? p.toUpperCase() : p;
    return q.endsWith('*') ? n.startsWith(q.slice(0, -1)) : n === q;
  });
}

/** A copy of `env` without the secret variables (what every child process gets). */
export function scrubEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const patterns = secretEnvNames(process.env === env ? env : { ...process.env, ...env });
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!isSecretName(k, patterns)) out[k] = v;
  return out;
}

/** Remember a secret value (the API key the provider was given) so it is redacted wherever it shows up. */
export function registerSecretValue(value: string | undefined): void {
  const v = value?.trim();
  if (v && v.length >= MIN_SECRET_LENGTH) values.add(v);
}

/** Every known secret value: the registered ones and the current values of the secret variables. */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const patterns = secretEnvNames(env);
  const out = new Set(values);
  for (const [k, v] of Object.entries(env)) if (v && v.trim().length >= MIN_SECRET_LENGTH && isSecretName(k, patterns)) out.add(v.trim());
  return [...out].sort((a, b) => b.length - a.length);
}

/** Replace every known secret value in `text`. */
export function redactSecretValues(text: string): string {
  let out = text;
  for (const v of secretValues()) if (out.includes(v)) out = out.split(v).join('[redacted secret]');
  return out;
}
