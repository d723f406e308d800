export { MemoryView, type MemoryViewProps } from './MemoryView';
export { createMemoryStore, applyMemoryChange, initialMemoryState, type MemoryState, type MemoryActions, type MemoryStore } from './memoryStore';
