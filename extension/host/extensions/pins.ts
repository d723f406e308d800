/**
 * Approvals of project MCP servers and hooks, pinned by hash in VS Code's global state (outside the workspace:
 * a repository cannot approve itself). Only well-formed sha256 hex strings are kept; anything else stored
 * under the key is ignored.
 */
import type { PinStore } from '../../core/util/pins';

/** The part of a vscode.Memento the store needs (context.globalState). */
export interface PinMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export const PINS_KEY = 'cairn.approvedPins';
const PIN = /^[0-9a-f]{64}$/;

export function mementoPins(memento: PinMemento, key = PINS_KEY): PinStore {
  const read = (): string[] => {
    const v = memento.get<unknown>(key);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && PIN.test(x)) : [];
  };
  return {
    has: (p) => PIN.test(p) && read().includes(p),
    add: async (p) => {
      if (!PIN.test(p)) throw new Error(`not a pin (a sha256 hex string expected): ${p.slice(0, 20)}`);
      const pins = read();
      if (!pins.includes(p)) await memento.update(key, [...pins, p]);
    },
  };
}
