/** What a runtime tells its subscribers: the protocol's events, so the host forwards them unchanged. */
import type { EventData, EventName } from '../../protocol/events';

export type RuntimeEvent = { [E in EventName]: { name: E; data: EventData<E> } }[EventName];
export type RuntimeListener = (event: RuntimeEvent) => void;

/** Why a turn ended. Named values, visible in events and (later) in the transcript. */
export type StopReason = 'completed' | 'aborted' | 'error' | 'max_tokens';
