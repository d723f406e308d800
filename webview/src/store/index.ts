export { applyEvent, applyEvents, dismissNotice } from './reducer';
export { initialChatState, loadSnapshot, indexMessages, ZERO_USAGE } from './state';
export type { ChatState, Notice, RetryInfo, SyncStatus } from './state';
export { createChatStore } from './store';
export type { ApprovalScope, ChatActions, ChatStore, ViewState } from './store';
export { EMPTY_LOG, logFrom, logToArray, messageAt, lastMessage } from './messages';
export type { MessageLog } from './messages';
export { StoreProvider, useChat, useActions } from './context';
