/** React access to the store: a provider for the app root and selector hooks for components. */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ChatActions, ChatStore, ViewState } from './store';

const StoreContext = createContext<ChatStore | null>(null);

export function StoreProvider({ value, children }: { value: ChatStore; children: ReactNode }) {
  return <StoreContext.Provider value={value}>{children}</StoreContext.Provider>;
}

function useChatStore(): ChatStore {
  const s = useContext(StoreContext);
  if (!s) throw new Error('StoreProvider is missing above this component');
  return s;
}

/** Select a slice of the view state; the component re-renders only when the slice changes (Object.is). */
export function useChat<T>(selector: (s: ViewState) => T): T {
  return useStore(useChatStore().store, selector);
}

export function useActions(): ChatActions {
  return useChatStore().actions;
}
