export { applyEvent, applyEvents, dismissNotice } from './reducer';
export { initialChatState, loadSnapshot, indexMessages, ZERO_USAGE } from './state';
export type { ChatState, Notice, RetryInfo, SyncStatus } from './state';
export { createChatStore } from './store';
export type { ChatActions, ChatStore, ViewState } from './store';
export { StoreProvider, useChat, useActions } from './context';
