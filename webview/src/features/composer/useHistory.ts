import { useRef } from 'react';

const MAX = 100;

/**
 * Sent messages, recalled with Up/Down like a shell: Up on the first line goes back, Down on the last line
 * goes forward and finally back to the draft that was being written.
 */
export function useHistory() {
  const entries = useRef<string[]>([]);
  const pos = useRef<number | null>(null);
  const draft = useRef('');
  return {
    push(text: string) {
      if (entries.current[entries.current.length - 1] !== text) entries.current = [...entries.current, text].slice(-MAX);
      pos.current = null;
    },
    /** The text to show after Up, or null when there is nothing older. */
    back(current: string): string | null {
      const list = entries.current;
      if (list.length === 0) return null;
      if (pos.current === null) { draft.current = current; pos.current = list.length; }
      if (pos.current === 0) return null;
      pos.current -= 1;
      return list[pos.current] ?? null;
    },
    /** The text to show after Down, or null when not browsing the history. */
    forward(): string | null {
      if (pos.current === null) return null;
      pos.current += 1;
      if (pos.current >= entries.current.length) { pos.current = null; return draft.current; }
      return entries.current[pos.current] ?? null;
    },
    reset() { pos.current = null; },
  };
}
