import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Records between heap checks (see `maybeCollect`). */
export const CHECK_EVERY = 5_000;

/** Heap growth above the live set (after the last full collection) that triggers the next one. */
export const GROWTH_BYTES = 40 * 1024 * 1024;

/**
 * A full garbage collection, when the runtime lets us have one. V8 grows the old space lazily while a long scan
 * promotes short-lived values, so peak RSS would follow the input size.
 */
export const collect: (() => void) | null = (() => {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
})();

let live = 0;

/**
 * Collect when the heap has grown GROWTH_BYTES past the live set of the last full collection: peak memory stays
 * near the live set (reference data, bounded counters) plus a fixed margin, whatever the input size, and a
 * collection costs little because it happens only when that much garbage has accumulated. Call every CHECK_EVERY
 * records.
 */
export function maybeCollect(): void {
  if (!collect) return;
  const used = getHeapStatistics().used_heap_size;
  if (live === 0) live = used;
  if (used - live < GROWTH_BYTES) return;
  collect();
  live = getHeapStatistics().used_heap_size;
}
