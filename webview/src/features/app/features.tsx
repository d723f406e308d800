/** Feature stores that live beside the chat store (the memory view's), made once per page in main.tsx. */
import { createContext, useContext } from 'react';
import type { BackgroundStore } from '../background/backgroundStore';
import type { MemoryStore } from '../memory/memoryStore';
import type { McpStore } from '../mcp/mcpStore';

export interface Features { memory?: MemoryStore; background?: BackgroundStore; mcp?: McpStore }

const FeaturesContext = createContext<Features>({});
export const FeaturesProvider = FeaturesContext.Provider;
export function useFeatures(): Features { return useContext(FeaturesContext); }
