export { BackgroundPanel, NoticeFeed, ProactiveToggle } from './BackgroundPanel';
export { DreamSection } from './DreamSection';
export { createBackgroundStore, addNotice, initialBackgroundState, type BackgroundState, type BackgroundActions, type BackgroundStore } from './backgroundStore';
export { lineDiff, type DiffRow } from './lineDiff';
