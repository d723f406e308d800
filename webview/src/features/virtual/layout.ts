/** Pure arithmetic of the windowed list: item offsets from measured/estimated heights and the visible range. */

export interface Range { start: number; end: number }

/** offsets[i] is the top of item i; offsets[count] is the total height. O(count), run when heights change. */
export function computeOffsets(count: number, heightOf: (i: number) => number): Float64Array {
  const offsets = new Float64Array(count + 1);
  for (let i = 0; i < count; i++) offsets[i + 1] = (offsets[i] as number) + heightOf(i);
  return offsets;
}

/** The first item whose bottom is below `y` (binary search). */
export function indexAt(offsets: Float64Array, y: number): number {
  const count = offsets.length - 1;
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((offsets[mid + 1] as number) <= y) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, Math.max(0, count - 1));
}

/**
 * Items to render for a viewport [top, top + height), plus `overscan` pixels each side. A viewport with no
 * height (not laid out yet, or a test DOM) renders the last `fallback` items.
 */
export function visibleRange(offsets: Float64Array, top: number, height: number, overscan: number, fallback: number): Range {
  const count = offsets.length - 1;
  if (count === 0) return { start: 0, end: 0 };
  if (height <= 0) return { start: Math.max(0, count - fallback), end: count };
  const start = indexAt(offsets, Math.max(0, top - overscan));
  const end = Math.min(count, indexAt(offsets, top + height + overscan) + 1);
  return { start, end };
}
