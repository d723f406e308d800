export { ReviewService, type ReviewAnswer, type ReviewServiceOptions } from './service';
export { applyHunks, computeHunks, splitLinesKeepEol, type HunkRange } from './hunks';
