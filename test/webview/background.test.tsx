import './setup';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Root } from '../../webview/src/features/app/Root';
import { BackgroundPanel, createBackgroundStore, lineDiff } from '../../webview/src/features/background';
import { createMemoryStore, MemoryView } from '../../webview/src/features/memory';
import type { BackgroundNotice, DreamInfo, RequestResult } from '../../webview/src/protocol';
import { createChatStore } from '../../webview/src/store';
import { FakeHost, flush, makeSnapshot } from './helpers';

const notice = (over: Partial<BackgroundNotice> = {}): BackgroundNotice => ({
  id: 'n1', ts: Date.parse('2026-12-02T10:00:00Z'), title: '2 tests fail in test/math.test.js', whyNow: 'they passed at the last check; the change to src/math.js broke them',
  lookedAt: ['npm test output', 'git status (1 changed)'], urgency: 'urgent', hasFix: true, key: 'k-math', ...over,
});

const watching = { status: 'watching' as const, detail: 'checks every 10 min while you are away', enabled: true, tickMinutes: 10, dailyBudgetUsd: 0.5 };

const dream: DreamInfo = {
  id: '2026-12-02-abcd1234', startedAt: Date.parse('2026-12-02T09:00:00Z'), endedAt: Date.parse('2026-12-02T09:01:00Z'), status: 'done', costUsd: 0.0123,
  changes: [
    { ts: 1, op: 'update', slug: 'build-commands', why: 'merged the duplicate build-cmd-2' },
    { ts: 2, op: 'delete', slug: 'build-cmd-2', why: 'duplicate of build-commands (merged there)' },
    { ts: 3, op: 'propose_delete', slug: 'tabs-pref', why: 'contradicted by .editorconfig' },
  ],
  proposals: [{ slug: 'tabs-pref', why: 'contradicted by .editorconfig', state: 'proposed' }],
  diff: [
    { path: 'memory/build-commands.md', status: 'changed', before: 'Build: npm run build\n', after: 'Build: npm run build\nTest: npm test\n' },
    { path: 'memory/build-cmd-2.md', status: 'removed', before: 'Test: npm test\n' },
  ],
};

const state = (over: Partial<RequestResult<'background/state'>> = {}): RequestResult<'background/state'> => ({ proactive: watching, notices: [notice()], lastDream: dream, ...over });

async function mountPanel(result = state()) {
  const host = new FakeHost();
  const bg = createBackgroundStore(host.bridge());
  render(<BackgroundPanel bg={bg} />);
  await flush();
  await act(async () => { host.reply(host.lastRequest('background/state'), result); await flush(); });
  return { host, bg };
}

describe('the notices feed and the proactive toggle', () => {
  it('shows the state, and each notice with why now and what it looked at', async () => {
    await mountPanel();
    expect(screen.getByTestId('proactive-state').textContent).toBe('watching');
    expect(screen.getByTestId('proactive-detail').textContent).toContain('every 10 min while you are away, at most $0.50 a day');
    const n = screen.getByTestId('feed-notice');
    expect(within(n).getByTestId('feed-notice-title').textContent).toBe('2 tests fail in test/math.test.js');
    expect(within(n).getByTestId('feed-notice-why').textContent).toBe('Why now: they passed at the last check; the change to src/math.js broke them');
    expect(within(n).getByTestId('feed-notice-looked').textContent).toBe('Looked at: npm test output, git status (1 changed)');
  });

  it('the toggle asks the host to turn it off and shows the state the host answers; status events move it on', async () => {
    const { host } = await mountPanel();
    const sw = screen.getByTestId('proactive-switch');
    expect(sw.getAttribute('aria-pressed')).toBe('true');
    expect(sw.getAttribute('aria-label')).toBe('Turn proactive mode off');
    fireEvent.click(sw);
    await flush();
    expect(host.lastRequest('proactive/set').params).toEqual({ enabled: false });
    expect(screen.getByTestId('proactive-switch').hasAttribute('disabled')).toBe(true); // no second request while waiting
    await act(async () => { host.reply(host.lastRequest('proactive/set'), { proactive: { ...watching, status: 'off', enabled: false, detail: 'proactive mode is off' } }); await flush(); });
    expect(screen.getByTestId('proactive-state').textContent).toBe('off');
    expect(screen.getByTestId('proactive-switch').getAttribute('aria-pressed')).toBe('false');
    act(() => { host.emit('proactive/status', { ...watching, status: 'sleeping', detail: 'sleeping until 2026-12-02 14:00 UTC: nothing to report' }); });
    expect(screen.getByTestId('proactive-state').textContent).toBe('sleeping');
    act(() => { host.emit('proactive/status', { ...watching, status: 'over_budget', detail: 'the daily budget of $0.50 is spent' }); });
    expect(screen.getByTestId('proactive-state').textContent).toBe('over budget');
    expect(screen.getByTestId('proactive-toggle').getAttribute('data-status')).toBe('over_budget');
  });

  it('a warning from the host (untrusted workspace) is shown', async () => {
    const { host } = await mountPanel(state({ proactive: { ...watching, status: 'off', enabled: false, detail: 'off' } }));
    fireEvent.click(screen.getByTestId('proactive-switch'));
    await flush();
    expect(host.lastRequest('proactive/set').params).toEqual({ enabled: true });
    await act(async () => { host.reply(host.lastRequest('proactive/set'), { proactive: { ...watching, status: 'off', detail: 'runs only in a trusted workspace' }, warning: 'proactive mode is on but runs only once you trust this workspace.' }); await flush(); });
    expect(screen.getByTestId('background-note').textContent).toContain('runs only once you trust this workspace');
  });

  it('new notices come first; one that says the same thing (same key) replaces the older: duplicates are suppressed', async () => {
    const { host } = await mountPanel();
    act(() => { host.emit('proactive/notice', notice({ id: 'n2', ts: notice().ts + 60_000, title: 'The build fails', key: 'k-build', hasFix: false })); });
    expect(screen.getAllByTestId('feed-notice-title').map((e) => e.textContent)).toEqual(['The build fails', '2 tests fail in test/math.test.js']);
    act(() => { host.emit('proactive/notice', notice({ id: 'n3', ts: notice().ts + 120_000, title: '3 tests fail in test/math.test.js', key: 'k-math' })); });
    expect(screen.getAllByTestId('feed-notice-title').map((e) => e.textContent)).toEqual(['3 tests fail in test/math.test.js', 'The build fails']);
    // The same notice twice (an event and the load overlapping) shows once.
    act(() => { host.emit('proactive/notice', notice({ id: 'n3', ts: notice().ts + 120_000, title: '3 tests fail in test/math.test.js', key: 'k-math' })); });
    expect(screen.getAllByTestId('feed-notice')).toHaveLength(2);
  });

  it('"Fix with Cairn" asks the host by id (the prompt stays on the host); a refusal is shown; no fix, no button', async () => {
    const { host } = await mountPanel(state({ notices: [notice(), notice({ id: 'n2', key: 'k2', title: 'A warning', hasFix: false, urgency: 'low' })] }));
    const [withFix, without] = screen.getAllByTestId('feed-notice');
    expect(within(without!).queryByTestId('feed-notice-fix')).toBeNull();
    fireEvent.click(within(withFix!).getByTestId('feed-notice-fix'));
    await flush();
    expect(host.lastRequest('notice/fix').params).toEqual({ id: 'n1' });
    await act(async () => { host.reply(host.lastRequest('notice/fix'), { ok: false, error: 'Cairn is still working on the current task. Stop it (or wait), then try again.' }); await flush(); });
    expect(screen.getByTestId('background-error').textContent).toContain('still working on the current task');
  });

  it('dismiss removes the notice and tells the host', async () => {
    const { host } = await mountPanel();
    fireEvent.click(screen.getByTestId('feed-notice-dismiss'));
    await flush();
    expect(host.lastRequest('notice/dismiss').params).toEqual({ id: 'n1' });
    expect(screen.queryAllByTestId('feed-notice')).toHaveLength(0);
    expect(screen.getByTestId('notice-feed-empty')).toBeTruthy();
  });

  it('a failed load says why and can be retried', async () => {
    const host = new FakeHost();
    const bg = createBackgroundStore(host.bridge());
    render(<BackgroundPanel bg={bg} />);
    await flush();
    await act(async () => { host.fail(host.lastRequest('background/state'), 'internal', 'boom'); await flush(); });
    expect(screen.getByTestId('background-error').textContent).toContain('boom');
    fireEvent.click(screen.getByTestId('background-reload'));
    await flush();
    expect(host.requests('background/state')).toHaveLength(2);
  });

  it('the chat header shows the notices count and opens the panel', async () => {
    const host = new FakeHost();
    const bridge = host.bridge();
    const chat = createChatStore(bridge);
    chat.start();
    const background = createBackgroundStore(bridge);
    render(<Root chat={chat} bridge={bridge} features={{ background }} />);
    await act(async () => { host.reply(host.lastRequest('session/snapshot'), makeSnapshot()); await flush(); });
    await act(async () => { host.reply(host.lastRequest('background/state'), state()); await flush(); });
    expect(screen.getByTestId('background-count').textContent).toBe('1');
    expect(screen.getByTestId('background-button').getAttribute('aria-label')).toContain('proactive: watching, 1 notice');
    expect(screen.queryByTestId('background-panel')).toBeNull();
    fireEvent.click(screen.getByTestId('background-button'));
    expect(screen.getByTestId('background-panel')).toBeTruthy();
    expect(screen.getByTestId('feed-notice')).toBeTruthy();
    act(() => { host.emit('proactive/notice', notice({ id: 'n9', key: 'k9', title: 'Lint fails' })); });
    expect(screen.getByTestId('background-count').textContent).toBe('2');
  });
});

async function mountMemory(result = state()) {
  const host = new FakeHost();
  const bridge = host.bridge();
  const bg = createBackgroundStore(bridge);
  const mem = createMemoryStore(bridge);
  render(<MemoryView store={mem} background={bg} />);
  await flush();
  await act(async () => {
    host.reply(host.lastRequest('memory/list'), { index: { text: '', lines: 0, bytes: 0, maxLines: 200, maxBytes: 25600 }, topics: [], pending: [], log: [] });
    await flush();
  });
  // The dream section shows once the memory is loaded, and asks for the background's state then.
  await act(async () => { host.reply(host.lastRequest('background/state'), result); await flush(); });
  return { host, bg };
}

describe('the last dream in the memory view', () => {
  it('shows what changed and why, and the diff of each file', async () => {
    await mountMemory();
    expect(screen.getByTestId('dream-status').textContent).toBe('done');
    expect(screen.getAllByTestId('dream-change').map((e) => e.textContent)).toEqual([
      'rewrote build-commands — merged the duplicate build-cmd-2',
      'deleted build-cmd-2 — duplicate of build-commands (merged there)',
      'proposed deleting tabs-pref — contradicted by .editorconfig',
    ]);
    const [changed, removed] = screen.getAllByTestId('dream-file');
    expect(changed!.getAttribute('data-path')).toBe('memory/build-commands.md');
    expect(within(changed!).getAllByTestId('diff-same').map((e) => e.textContent)).toEqual(['  Build: npm run build']);
    expect(within(changed!).getAllByTestId('diff-add').map((e) => e.textContent)).toEqual(['+ Test: npm test']);
    expect(within(removed!).getAllByTestId('diff-del').map((e) => e.textContent)).toEqual(['- Test: npm test']);
    expect(within(removed!).queryAllByTestId('diff-add')).toHaveLength(0);
  });

  it('one click undoes the dream; the host\'s dream/changed hides undo and reloads the memory list', async () => {
    const { host } = await mountMemory();
    fireEvent.click(screen.getByTestId('dream-undo'));
    await flush();
    expect(host.lastRequest('dream/undo').params).toEqual({ id: dream.id });
    await act(async () => {
      host.reply(host.lastRequest('dream/undo'), { ok: true, restored: ['memory/build-cmd-2.md', 'memory/build-commands.md'], conflicts: [] });
      host.emit('dream/changed', { dream: { ...dream, status: 'undone' } });
      await flush();
    });
    expect(screen.getByTestId('dream-note').textContent).toBe('Dream undone: 2 files restored.');
    expect(screen.getByTestId('dream-status').textContent).toBe('undone');
    expect(screen.queryByTestId('dream-undo')).toBeNull();
    expect(host.requests('memory/list')).toHaveLength(2);
  });

  it('an undo the host refuses says why', async () => {
    const { host } = await mountMemory();
    fireEvent.click(screen.getByTestId('dream-undo'));
    await flush();
    await act(async () => { host.reply(host.lastRequest('dream/undo'), { ok: false, restored: [], conflicts: [], error: 'Dream x is older than 30 days; its snapshot is no longer kept.' }); await flush(); });
    expect(screen.getByTestId('dream-error').textContent).toContain('older than 30 days');
  });

  it('a proposed deletion of the user\'s memory is accepted or rejected there', async () => {
    const { host } = await mountMemory();
    const p = screen.getByTestId('dream-proposal');
    expect(p.textContent).toContain('tabs-pref');
    fireEvent.click(within(p).getByTestId('dream-proposal-reject'));
    await flush();
    expect(host.lastRequest('dream/settle').params).toEqual({ id: dream.id, slug: 'tabs-pref', accept: false });
    await act(async () => { host.reply(host.lastRequest('dream/settle'), { ok: true }); await flush(); });
    fireEvent.click(within(screen.getByTestId('dream-proposal')).getByTestId('dream-proposal-accept'));
    await flush();
    expect(host.lastRequest('dream/settle').params).toEqual({ id: dream.id, slug: 'tabs-pref', accept: true });
    await act(async () => {
      host.reply(host.lastRequest('dream/settle'), { ok: true });
      host.emit('dream/changed', { dream: { ...dream, proposals: [{ ...dream.proposals[0]!, state: 'accepted' }] } });
      await flush();
    });
    expect(screen.queryByTestId('dream-proposal')).toBeNull();
    expect(screen.getByTestId('dream-settled').textContent).toBe('tabs-pref: deleted as proposed');
  });

  it('"Dream now" asks the host, shows "Dreaming…" meanwhile, then the new dream or why there was none', async () => {
    const { host } = await mountMemory(state({ lastDream: null }));
    expect(screen.getByTestId('dream-none')).toBeTruthy();
    fireEvent.click(screen.getByTestId('dream-now'));
    await flush();
    expect(host.requests('dream/now')).toHaveLength(1);
    expect(screen.getByTestId('dream-now').textContent).toContain('Dreaming…');
    fireEvent.click(screen.getByTestId('dream-now'));
    await flush();
    expect(host.requests('dream/now')).toHaveLength(1);
    await act(async () => { host.reply(host.lastRequest('dream/now'), { status: 'skipped', reason: 'another window or the daemon is dreaming now (.agent/state/dream.lock)', dream: null }); await flush(); });
    expect(screen.getByTestId('dream-note').textContent).toBe('No dream: another window or the daemon is dreaming now (.agent/state/dream.lock).');
    fireEvent.click(screen.getByTestId('dream-now'));
    await flush();
    await act(async () => { host.reply(host.lastRequest('dream/now'), { status: 'done', dream }); await flush(); });
    await waitFor(() => expect(screen.getAllByTestId('dream-change')).toHaveLength(3));
    expect(screen.getByTestId('dream-undo')).toBeTruthy();
  });
});

describe('lineDiff', () => {
  it('keeps common lines and marks removed and added ones in order', () => {
    expect(lineDiff('a\nb\nc\n', 'a\nx\nc\nd\n')).toEqual([
      { kind: 'same', text: 'a' }, { kind: 'del', text: 'b' }, { kind: 'add', text: 'x' }, { kind: 'same', text: 'c' }, { kind: 'add', text: 'd' },
    ]);
    expect(lineDiff('', 'new\n')).toEqual([{ kind: 'add', text: 'new' }]);
    expect(lineDiff('old', '')).toEqual([{ kind: 'del', text: 'old' }]);
  });
});
