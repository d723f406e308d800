import { useCallback, useLayoutEffect, useRef } from 'react';
import type { ChatMessage } from '../../protocol';

/** How close to the bottom (px) still counts as "at the bottom". */
const SLACK = 24;

/**
 * Keeps a scroll container pinned to the bottom while content grows, unless the user scrolled up.
 * Sending a new message pins it again.
 */
export function useStickToBottom(messages: readonly ChatMessage[]) {
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const lastCount = useRef(messages.length);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight <= SLACK;
  }, []);

  useLayoutEffect(() => {
    const el = ref.current;
    const grew = messages.length > lastCount.current;
    lastCount.current = messages.length;
    if (grew && messages[messages.length - 1]?.role === 'user') stick.current = true;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [messages]);

  return { ref, onScroll, isPinned: () => stick.current };
}
