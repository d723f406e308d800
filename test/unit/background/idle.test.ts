import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../extension/core/scheduler/clock';
import { IdleTracker } from '../../../extension/host/background/idle';

const MIN = 60_000;

function setup() {
  const clock = new ManualClock(Date.parse('2026-12-02T10:00:00Z'));
  const changes: boolean[] = [];
  const t = new IdleTracker(clock, 5 * MIN, (idle) => changes.push(idle));
  return { clock, changes, t };
}

describe('IdleTracker', () => {
  it('starts active and goes idle after the quiet period, not before', async () => {
    const { clock, changes, t } = setup();
    expect(t.idle).toBe(false);
    await clock.advance(5 * MIN - 1);
    expect(t.idle).toBe(false);
    await clock.advance(1);
    expect(t.idle).toBe(true);
    expect(changes).toEqual([true]);
  });

  it('activity restarts the quiet period and wakes an idle user', async () => {
    const { clock, changes, t } = setup();
    await clock.advance(4 * MIN);
    t.activity();
    await clock.advance(4 * MIN);
    expect(t.idle).toBe(false);
    await clock.advance(MIN);
    expect(t.idle).toBe(true);
    t.activity();
    expect(t.idle).toBe(false);
    expect(changes).toEqual([true, false]);
    expect(clock.pending()).toBe(1);
  });

  it('losing focus is not idle at once; without focus editor events do not count, the user\'s own acts do', async () => {
    const { clock, changes, t } = setup();
    await clock.advance(2 * MIN);
    t.focus(false);
    expect(t.idle).toBe(false);
    // A formatter's edit while the window has no focus does not restart the quiet period.
    await clock.advance(2 * MIN);
    t.activity('editor');
    await clock.advance(MIN);
    expect(t.idle).toBe(true);
    // A chat turn the user started is activity, focus or not.
    t.activity('user');
    expect(t.idle).toBe(false);
    await clock.advance(5 * MIN - 1);
    expect(t.idle).toBe(false);
    await clock.advance(1);
    expect(t.idle).toBe(true);
    t.focus(true);
    expect(t.idle).toBe(false);
    await clock.advance(5 * MIN);
    expect(changes).toEqual([true, false, true, false, true]);
  });

  it('a quick look at another window starts nothing: idle only after the full quiet period', async () => {
    const { clock, t } = setup();
    t.focus(false);
    await clock.advance(30_000);
    t.focus(true);
    expect(t.idle).toBe(false);
    await clock.advance(5 * MIN - 1);
    expect(t.idle).toBe(false);
  });

  it('reports each transition once and stops after dispose', async () => {
    const { clock, changes, t } = setup();
    t.focus(false);
    t.focus(false);
    await clock.advance(6 * MIN);
    await clock.advance(6 * MIN);
    expect(changes).toEqual([true]);
    t.focus(true);
    t.dispose();
    expect(clock.pending()).toBe(0);
    t.activity();
    t.focus(false);
    await clock.advance(6 * MIN);
    expect(changes).toEqual([true, false]);
  });

  it('a changed quiet period (cairn.background.idleMinutes) counts from the last activity', async () => {
    const { clock, changes, t } = setup();
    await clock.advance(2 * MIN);
    t.setIdleMs(3 * MIN); // quiet for 2 of 3 minutes: away one minute later, not five
    await clock.advance(MIN - 1);
    expect(t.idle).toBe(false);
    await clock.advance(1);
    expect(t.idle).toBe(true);
    t.activity();
    expect(t.idle).toBe(false);
    t.setIdleMs(MIN / 2); // already quiet for 0 ms: 30 s from now
    await clock.advance(MIN / 2);
    expect(t.idle).toBe(true);
    t.activity();
    await clock.advance(10_000);
    t.setIdleMs(5_000); // quiet longer than the new period: away at once
    await clock.advance(0);
    expect(t.idle).toBe(true);
    t.setIdleMs(60 * MIN); // a longer period does not wake an away user
    expect(t.idle).toBe(true);
    expect(changes).toEqual([true, false, true, false, true]);
  });
});
