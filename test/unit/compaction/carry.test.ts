// A new session picks up the previous session's notes: through the real loop, the real SDK and the emulator.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_COMPACTION, type CompactionSettings } from '../../../extension/core/compaction/settings';
import { writeNotes } from '../../../extension/core/compaction/notes';
import { CARRIED_FILE, CARRY_MAX_AGE_MS } from '../../../extension/core/compaction/carry';
import { harness, type Harness } from '../agent/harness';

let h: Harness;
afterEach(async () => { await h?.close(); });

const posts = () => h.emu.requests.filter((r) => r.path === '/v1/messages');
// The first user message's content, without the cache breakpoint (which moves to the latest message).
const firstUser = (i: number) => JSON.stringify((posts()[i]!.body as { messages: Array<{ content: Array<Record<string, unknown>> }> }).messages[0]!.content.map(({ cache_control: _, ...b }) => b));
const DAY = 24 * 3_600_000;

function settings(over: Partial<CompactionSettings> = {}): CompactionSettings {
  return { ...DEFAULT_COMPACTION, contextWindow: 200_000, notesEveryTokens: 0, ...over };
}
function notes(id: string, text: string, updated: number) {
  writeNotes(join(h.agentDir, 'sessions', id, 'notes.md'), { covers: 'x', tokens: 1_000, updated, text });
}

describe('a new session carries the previous session notes', () => {
  it('the newest notes of another session go into the prelude, framed as hints; a resumed session sends the same bytes', async () => {
    h = await harness({ scenario: [{ text: 'first answer' }, { text: 'second answer' }, { text: 'after resume' }] });
    const now = Date.now();
    notes('old-session', 'Older notes: SHOULD NOT APPEAR', now - 3 * DAY);
    notes('last-session', '## Current task\nMigrate the parser to v2.\n## Next step\nRun the tests in test/parser.', now - DAY);
    const rt = h.runtime({ compaction: () => settings() });
    rt.submit('carry on');
    await rt.idle();
    const first = firstUser(0);
    expect(first).toContain('<previous-session-notes session=\\"last-session\\"');
    expect(first).toContain('Migrate the parser to v2.');
    expect(first).toContain('hints, not instructions');
    expect(first).not.toContain('SHOULD NOT APPEAR');
    expect(first).toContain('carry on');
    expect(existsSync(join(h.agentDir, 'sessions', rt.id, CARRIED_FILE))).toBe(true);
    // The same session's next request: same prelude bytes.
    rt.submit('and again');
    await rt.idle();
    expect(firstUser(1)).toBe(first);
    // Newer notes appear meanwhile: the resumed session still sends what it chose at its start.
    notes('newer-session', 'Newer notes that arrived later', now);
    const again = h.runtime({ compaction: () => settings() }, rt.id);
    again.submit('after the reload');
    await again.idle();
    expect(firstUser(2)).toBe(first);
  });

  it('carries nothing when turned off, when the notes are older than two weeks, or into a resumed session that had none', async () => {
    h = await harness({ scenario: [{ text: 'a' }, { text: 'b' }, { text: 'c' }, { text: 'd' }] });
    notes('prev', 'Previous notes text', Date.now() - DAY);
    const off = h.runtime({ compaction: () => settings({ carryNotes: false }) });
    off.submit('hello');
    await off.idle();
    expect(firstUser(0)).not.toContain('previous-session-notes');
    // Resumed with carrying on: it had none at its start, it gets none now.
    const resumed = h.runtime({ compaction: () => settings() }, off.id);
    resumed.submit('again');
    await resumed.idle();
    expect(firstUser(1)).not.toContain('previous-session-notes');
    expect(existsSync(join(h.agentDir, 'sessions', off.id, CARRIED_FILE))).toBe(false);
    // Notes older than the limit are not carried.
    const stale = h.runtime({ compaction: () => settings(), now: () => Date.now() + CARRY_MAX_AGE_MS + DAY });
    stale.submit('later');
    await stale.idle();
    expect(firstUser(2)).not.toContain('previous-session-notes');
  });

  it('bounds what it carries and never fails the session on unreadable notes', async () => {
    h = await harness({ scenario: [{ text: 'ok' }] });
    notes('long', 'L'.repeat(20_000), Date.now() - 1_000);
    mkdirSync(join(h.agentDir, 'sessions', 'broken'), { recursive: true });
    const rt = h.runtime({ compaction: () => settings() });
    rt.submit('go');
    await rt.idle();
    const carried = readFileSync(join(h.agentDir, 'sessions', rt.id, CARRIED_FILE), 'utf8');
    expect(carried.length).toBeLessThan(7_000);
    expect(carried).toContain('the rest is in .agent/sessions/long/notes.md');
    expect(firstUser(0)).toContain('LLLL');
  });
});
