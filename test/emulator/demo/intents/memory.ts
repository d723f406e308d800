// "Remember that …": a memory_write of what the user stated (origin "user": no evidence needed), then where to
// see it. Without a fact to remember, memory_view shows what Cairn remembers.
import { lastCalls } from '../conversation';
import { hasWord, type Intent } from '../intent';
import { outcome } from '../results';
import { answer, call, code, step } from '../say';

export const memory: Intent = {
  id: 'memory',
  tryThis: 'Remember that I prefer small commits',
  shows: 'memory: `memory_write` saves a topic file and its index line in `.agent/`, which the next session starts with',
  tools: [],
  matches: (t) => hasWord(t, 'remember', 'memori*', 'memory', 'memories', 'note that', "don't forget", 'do not forget'),
  next(task) {
    const last = lastCalls(task)[0];
    if (task.steps.length === 0) {
      const fact = factIn(task.typed);
      if (fact && task.tools.has('memory_write')) {
        const personal = /\b(I|I'm|my|me|mine)\b/i.test(fact);
        const name = shortName(fact);
        return step(task, 'Saving that as a memory. You said it, so it needs no evidence from a tool call; facts the agent learns itself must cite a successful call.', [
          call('memory_write', {
            slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'note',
            name,
            description: fact.slice(0, 200),
            type: personal ? 'user' : 'project',
            hook: fact.slice(0, 40),
            content: `${fact}\n\n(Stated by the user in the chat; written by the offline demo's script.)`,
            origin: 'user',
          }),
        ]);
      }
      if (task.tools.has('memory_view')) return step(task, fact ? 'This request offers no memory_write tool, so here is what Cairn remembers instead.' : 'Here is what Cairn remembers in this workspace.', [call('memory_view', {})]);
      return answer('This request offers no memory tools, so the demo cannot show memory here.');
    }
    const res = last?.result?.text ?? '';
    if (last?.name === 'memory_view') return answer(`The memory index, as the tool returned it:\n\n\`\`\`\n${res.trim()}\n\`\`\`\n\nTo add to it, say "${memory.tryThis}".`);
    if (outcome(last) === 'declined') return answer('You declined the memory write, so nothing was saved.');
    if (last?.result?.isError) return answer(`Nothing was saved. ${res}`);
    if (/^Held for the user's review/.test(res)) return answer('The write is held for your review: open the memory view (the database icon in the header) to approve or discard it.');
    const slug = /memory "([^"]+)"/.exec(res)?.[1];
    return answer(`${res.split('\n')[0]} It is in ${code(`.agent/memory/${slug ?? '…'}.md`)}, with a pointer line in ${code('.agent/MEMORY.md')} that every new session starts with. Open the memory view (the database icon in the header) to read, edit or delete it.`);
  },
};

/** What follows "remember (that)", if anything. */
export function factIn(typed: string): string | undefined {
  const m = /\b(?:remember|memori[sz]e|note|don't forget|do not forget)\b(?:\s+(?:that|this|:))?[:,]?\s+(.{3,})$/is.exec(typed.trim());
  const fact = m?.[1]?.trim();
  return fact && !/^(what|anything|everything)\b/i.test(fact) ? fact.replace(/^./, (c) => c.toUpperCase()) : undefined;
}

/** A few words of the fact, short enough that title and slug fit the 54-byte index line with a hook. */
function shortName(fact: string): string {
  let name = '';
  for (const w of fact.replace(/[.,;:!?]+/g, '').split(/\s+/)) {
    if (name && `${name} ${w}`.length > 14) break;
    name = name ? `${name} ${w}` : w.slice(0, 14);
  }
  return name;
}
