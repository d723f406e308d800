/** Text shown for host state (kept apart from the components so tests and other views reuse it). */
import type { AuthState, ErrorKind, StopReason } from '../../protocol';

export const DEMO_MODEL_LABEL = 'Demo model — offline emulator, not Claude';

export function modelLabel(auth: AuthState, model: string): string {
  if (auth.status === 'demo') return DEMO_MODEL_LABEL;
  return model || 'Claude';
}

export function assistantName(auth: AuthState): string {
  return auth.status === 'demo' ? 'The demo model' : 'Claude';
}

const ERROR_TITLES: Record<ErrorKind, string> = {
  auth: 'The API key was rejected',
  rate_limited: 'Rate limited',
  overloaded: 'The API is overloaded',
  spend_limit: 'Spend limit reached',
  prompt_too_long: 'The conversation is too long',
  invalid_request: 'The request was invalid',
  server: 'The API had a server error',
  network: 'Network error',
  stalled: 'The response stalled',
  aborted: 'Stopped',
  unknown: 'Something went wrong',
};

export function errorTitle(kind: ErrorKind): string {
  return ERROR_TITLES[kind];
}

const TOOL_STATUS: Record<string, string> = {
  streaming: 'preparing', validating: 'checking', awaiting_approval: 'waiting for you', running: 'running', done: 'done', error: 'failed',
  cancelled: 'not run', interrupted: 'interrupted',
};

export function toolStatusLabel(status: string): string {
  return TOOL_STATUS[status] ?? status;
}

/** 12345 -> "12,345". Whole numbers by hand: the first Intl.NumberFormat of a page costs ~15 ms (ICU data). */
export function formatTokens(n: number): string {
  if (Number.isSafeInteger(n)) return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return new Intl.NumberFormat('en-US').format(n);
}

/** A cost in US dollars: "$0" when free (the offline demo), four decimals below a cent, else two. */
export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A note for turns that ended other than by finishing or failing (those speak for themselves). */
const STOP_NOTES: Partial<Record<StopReason, string>> = {
  aborted: 'Stopped.',
  interrupted: 'Interrupted.',
  max_turns: 'Stopped: reached the limit of steps for one task.',
  budget_reached: 'Stopped: reached the budget for this task.',
  prompt_too_long: 'Stopped: the conversation is too long for the model.',
};

export function stopNote(reason: StopReason | null): string | null {
  return reason === null ? null : STOP_NOTES[reason] ?? null;
}

/** Stop reasons after which "Continue" makes sense (the host decides whether it can). */
export function canContinue(reason: StopReason | null): boolean {
  return reason === 'max_turns' || reason === 'aborted' || reason === 'interrupted';
}
