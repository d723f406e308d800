import { useLayoutEffect, useRef, type RefObject } from 'react';
import { useChat } from '../../store';

/**
 * When a decision starts waiting (an approval or a review), scroll the dock so the oldest waiting card's top is
 * in view; its buttons stick to the dock's bottom edge (CSS), so they are visible without scrolling. Only the
 * dock scrolls (never the frame), and only when a new decision arrives, not on every render.
 */
export function useDecisionInView(dock: RefObject<HTMLElement | null>): void {
  const ids = useChat((s) => [...s.approvals.map((a) => a.id), ...s.reviews.map((r) => r.id)].join('\n'));
  const seen = useRef<ReadonlySet<string>>(new Set());
  useLayoutEffect(() => {
    const now = new Set(ids ? ids.split('\n') : []);
    const arrived = [...now].some((id) => !seen.current.has(id));
    seen.current = now;
    const el = dock.current;
    if (!arrived || !el) return;
    const card = el.querySelector<HTMLElement>('[data-testid=approval], [data-testid=review-card]');
    if (!card) return;
    const offset = card.getBoundingClientRect().top - el.getBoundingClientRect().top;
    el.scrollTop = Math.max(0, el.scrollTop + offset - 4);
  }, [ids, dock]);
}
