export * from './model';
export * from './requests';
export * from './events';
export * from './envelope';
export * from './memory';
export * from './panel';
export * from './review';
export * from './undo';
