/**
 * A windowed list for the conversation: only the items near the viewport are in the DOM, with spacers for
 * the rest. Heights are measured with one ResizeObserver (unmeasured items use an estimate), so items may
 * grow while they stream. It sticks to the bottom while the user is there, and re-pins when `pinKey` changes.
 */
import { useCallback, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { computeOffsets, visibleRange, type Range } from './layout';

export interface VirtualListProps {
  count: number;
  itemKey: (index: number) => string;
  renderItem: (index: number) => ReactNode;
  /** Height used until an item was measured. */
  estimate?: number;
  /** Pixels rendered beyond the viewport on each side. */
  overscan?: number;
  /** A change of this value scrolls to the bottom again (e.g. the user sent a message). */
  pinKey?: unknown;
  className?: string;
  testId?: string;
  label: string;
  busy?: boolean;
  empty?: ReactNode;
}

/** How close to the bottom (px) still counts as "at the bottom". */
const SLACK = 24;
/** Items rendered when the viewport has no size yet and the window's is unknown (tests). */
const FALLBACK = 20;

/**
 * Items for the first paint, before the list has measured its viewport: enough estimated items to fill the
 * window's height, no overscan (it follows a frame later). Opening a long session paints ~8 messages instead of
 * 20: each costs Markdown, layout and style work on the way to the first frame.
 */
function firstPaintCount(estimate: number): number {
  const h = typeof window === 'undefined' ? 0 : window.innerHeight;
  return h > 0 ? Math.min(FALLBACK, Math.ceil(h / estimate) + 1) : FALLBACK;
}

export function VirtualList({ count, itemKey, renderItem, estimate = 120, overscan = 600, pinKey, className, testId, label, busy, empty }: VirtualListProps) {
  const ref = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<string, number>());
  const stick = useRef(true);
  const [version, setVersion] = useState(0);
  const [viewport, setViewport] = useState({ top: 0, height: 0 });

  const offsets = useMemo(
    () => computeOffsets(count, (i) => heights.current.get(itemKey(i)) ?? estimate),
    // `version` changes when a measured height changed.
    [count, itemKey, estimate, version],
  );
  const [fallback] = useState(() => firstPaintCount(estimate));
  const range: Range = visibleRange(offsets, viewport.top, viewport.height, overscan, fallback);

  // One observer for all rendered items; height changes are folded into one re-layout per frame.
  const pending = useRef(false);
  const observer = useMemo(() => (typeof ResizeObserver === 'undefined' ? null : new ResizeObserver((entries) => {
    let changed = false;
    for (const e of entries) {
      const key = (e.target as HTMLElement).dataset.vkey;
      const h = (e.target as HTMLElement).offsetHeight;
      if (key !== undefined && h > 0 && heights.current.get(key) !== h) {
        heights.current.set(key, h);
        changed = true;
      }
    }
    if (changed && !pending.current) {
      pending.current = true;
      requestAnimationFrame(() => { pending.current = false; setVersion((v) => v + 1); });
    }
  })), []);
  useLayoutEffect(() => () => observer?.disconnect(), [observer]);

  const measure = useCallback((el: HTMLDivElement | null) => {
    if (!el || !observer) return;
    observer.observe(el);
    return () => observer.unobserve(el);
  }, [observer]);

  const readViewport = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight <= SLACK;
    setViewport((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
  }, []);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      if (stick.current) el.scrollTop = el.scrollHeight;
      readViewport();
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [readViewport]);

  useLayoutEffect(() => { stick.current = true; }, [pinKey]);

  // After every layout change: keep the bottom in view when pinned. The viewport state follows from the scroll
  // event this causes (a frame later), never synchronously here: unmeasured items could make that oscillate.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && stick.current && el.scrollHeight - el.scrollTop - el.clientHeight > 1) el.scrollTop = el.scrollHeight;
  });

  const items: ReactNode[] = [];
  for (let i = range.start; i < range.end; i++) {
    const key = itemKey(i);
    items.push(<div key={key} data-vkey={key} data-index={i} ref={measure} className="vlist-item">{renderItem(i)}</div>);
  }
  const top = offsets[range.start] ?? 0;
  const bottom = (offsets[count] ?? 0) - (offsets[range.end] ?? 0);

  return (
    <div
      ref={ref}
      className={className}
      data-testid={testId}
      role="log"
      aria-live="polite"
      aria-busy={busy}
      aria-label={label}
      tabIndex={0}
      onScroll={readViewport}
    >
      {count === 0 ? empty : (
        <>
          <div className="vlist-spacer" aria-hidden="true" style={{ height: top }} />
          {items}
          <div className="vlist-spacer" aria-hidden="true" style={{ height: bottom }} />
        </>
      )}
    </div>
  );
}
