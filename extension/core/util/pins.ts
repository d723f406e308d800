/**
 * Approvals pinned by hash: what the user approved to run from a workspace (an MCP server, a hook command) is
 * stored as a sha256 of exactly what runs, outside the workspace (VS Code's global state, or a file in the
 * user's folder for the runner), so a repository cannot approve itself and a changed command asks again.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface PinStore {
  has(pin: string): boolean;
  add(pin: string): void | Promise<void>;
}

/** Pins kept in memory only (tests, or a run that approves for itself). */
export function memoryPins(initial: Iterable<string> = []): PinStore {
  const set = new Set(initial);
  return { has: (p) => set.has(p), add: (p) => { set.add(p); } };
}

/** Pins in a JSON file (an array of hex strings); a missing or unreadable file holds none. */
export function filePins(file: string): PinStore {
  const read = (): Set<string> => {
    try {
      const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && /^[0-9a-f]{64}$/.test(x)) : []);
    } catch { return new Set(); }
  };
  return {
    has: (p) => read().has(p),
    add: (p) => {
      const set = read();
      set.add(p);
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify([...set], null, 1));
      renameSync(tmp, file);
    },
  };
}
