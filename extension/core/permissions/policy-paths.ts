/**
 * Built-in path policy: secret files (never read without an explicit user rule) and protected paths (writes
 * always ask, in every mode). Both are judged on the lexical path and on the canonical (symlink-resolved) path.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const SECRET_NAMES = [
  '.env', '.env.*', '*.env', '.envrc', '*.pem', '*.key', '*.p12', '*.pfx', '*.jks', '*.keystore', '*.asc', '*.gpg',
  'id_rsa*', 'id_dsa*', 'id_ecdsa*', 'id_ed25519*', '*.ppk', 'credentials', 'credentials.*', '*.credentials',
  '.npmrc', '.pypirc', '.netrc', '_netrc', '.git-credentials', '.htpasswd', 'secrets.*', '*.secret', '*.secrets',
  'service-account*.json', '.dockercfg', 'auth.json', 'kubeconfig', 'gha-creds-*.json', 'application_default_credentials.json',
];
/** Harmless look-alikes that the name patterns above would catch. */
const NOT_SECRET = ['.env.example', '.env.sample', '.env.template', '.env.dist', '*.pub'];
const SECRET_DIRS = ['.ssh', '.aws', '.gnupg', '.kube', '.docker', '.azure', '.config/gcloud'];

/** Compiled once into one expression: the patterns are matched on every path a tool or a command touches. */
const compiled = new Map<string[], RegExp>();
function baseMatch(name: string, pats: string[]): boolean {
  let re = compiled.get(pats);
  if (!re) {
    // The name patterns use only literal characters, * and ? (no braces or classes), matching dot-files too.
    re = new RegExp(`^(?:${pats.map((p) => {
      if (!/^[\w.*?-]+$/.test(p)) throw new Error(`unsupported file name pattern ${p}`);
      return p.replace(/[.+^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
    }).join('|')})$`, 'i');
    compiled.set(pats, re);
  }
  return re.test(name);
}

/** Is this (workspace-relative or absolute) path a secret by its name or folder? */
export function isSecretPath(p: string): boolean {
  const norm = p.split(path.sep).join('/');
  const name = norm.split('/').pop() ?? '';
  if (baseMatch(name, NOT_SECRET)) return false;
  if (baseMatch(name, SECRET_NAMES)) return true;
  const segs = norm.split('/');
  return SECRET_DIRS.some((d) => {
    const ds = d.split('/');
    for (let i = 0; i + ds.length <= segs.length - 1; i++) if (ds.every((x, k) => segs[i + k] === x)) return true;
    return false;
  });
}

const KEY_FORMATS: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /\bsk-ant-[A-Za-z0-9_-]{20,}/,
  /\bsk-[A-Za-z0-9]{32,}/,
  /\bgh[pousr]_[A-Za-z0-9]{30,}/,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/,
  /\bAIza[0-9A-Za-z_-]{35}\b/,
  /^\s*(?:export\s+)?[A-Z0-9_]*(?:SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|PRIVATE_KEY|ACCESS_KEY)[A-Z0-9_]*\s*=\s*['"]?[^\s'"]{12,}/m,
];

/** Does the start of this file look like it holds credentials (a renamed .env, a key)? Reads at most 64 KB. */
const SNIFF = Buffer.alloc(65536);
export function looksLikeSecretContent(absPath: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(absPath, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size === 0) return false;
    const buf = SNIFF;
    const n = fs.readSync(fd, buf, 0, Math.min(buf.length, st.size), 0);
    const text = buf.subarray(0, n).toString('utf8');
    return KEY_FORMATS.some((re) => re.test(text));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

const PROTECTED_SEGMENTS = new Set(['.git', '.vscode', '.idea', '.husky', '.cursor', '.claude', '.devcontainer', '.ssh', '.gnupg', '.aws']);
const PROTECTED_NAMES = [
  'package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'pnpm-workspace.yaml', '.npmrc', '.yarnrc', '.yarnrc.yml', 'bunfig.toml',
  '.mcp.json', 'mcp.json', '.gitmodules', '.gitattributes', '.gitconfig', '.envrc', '.tool-versions', '.pre-commit-config.yaml',
  '.bashrc', '.bash_profile', '.bash_login', '.bash_logout', '.profile', '.zshrc', '.zshenv', '.zprofile', '.zlogin', '.zlogout',
  '.kshrc', '.cshrc', '.tcshrc', '.inputrc', '.xprofile', 'authorized_keys', 'AGENTS.md', 'CLAUDE.md',
];

/**
 * Why a write to this workspace-relative path must be confirmed, or undefined. Covers `.git/`, editor and agent
 * configuration, MCP configs, package manifests (install scripts run code), git hooks, CI workflows, shell rc files.
 */
export function protectedReason(rel: string): string | undefined {
  const segs = rel.split(/[\\/]/).filter(Boolean);
  const name = segs[segs.length - 1] ?? '';
  const lower = segs.map((s) => s.toLowerCase());
  for (const s of lower.slice(0, -1)) if (PROTECTED_SEGMENTS.has(s)) return `${s}/ is a protected folder`;
  if (PROTECTED_SEGMENTS.has(lower[lower.length - 1] ?? '')) return `${name} is a protected folder`;
  const agentAt = lower.indexOf('.agent');
  if (agentAt !== -1) {
    const rest = lower.slice(agentAt + 1);
    if (rest.length === 1 && /^(settings|config|mcp|hooks)/.test(rest[0] ?? '')) return `${name} configures the agent itself`;
    if (rest[0] === 'hooks' || rest[0] === 'state') return `.agent/${rest[0]}/ is managed by the agent`;
  }
  if (lower[0] === '.github' && (lower[1] === 'workflows' || lower[1] === 'actions')) return 'CI workflow files run code';
  if (PROTECTED_NAMES.includes(name) || PROTECTED_NAMES.includes(name.toLowerCase())) return `${name} is a protected file (it can run code or change the agent's configuration)`;
  if (/^\.?(bash|zsh)rc/.test(name) || /^tasks\.json$|^launch\.json$/.test(name) && lower.includes('.vscode')) return `${name} is a shell or editor startup file`;
  return undefined;
}

/**
 * Why a plain write to this workspace-relative path is refused: the memory index and topic files are written only
 * through the memory tools (topic first, index line second, provenance recorded, secrets scrubbed, reviewable).
 */
export function memoryReason(rel: string): string | undefined {
  const segs = rel.split(/[\\/]/).filter((s) => s && s !== '.').map((s) => s.toLowerCase());
  const at = segs.indexOf('.agent');
  if (at !== 0) return undefined;
  if ((segs.length === 2 && segs[1] === 'memory.md') || segs[1] === 'memory') {
    return `${rel} is Cairn's memory: write it with memory_write (and memory_delete), never with a plain file write, so every memory keeps its index line, provenance and review`;
  }
  return undefined;
}

/** The plan file pattern, the only thing plan mode may write. */
export function isPlanFile(rel: string): boolean {
  return /^\.agent\/plans\/[^/]+\.md$/.test(rel.split(path.sep).join('/'));
}
