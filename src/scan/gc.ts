import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Records between heap checks (see `maybeCollect`). */
export const CHECK_EVERY = 5_000;

/** Heap growth above the live set (after the last full collection) that triggers the next one. */
export const GROWTH_BYTES = 40 * 1024 * 1024;

/** The same for each worker thread of `--jobs N` (each has a heap of its own). */
export const WORKER_GROWTH_BYTES = 32 * 1024 * 1024;

/** Young generation of a worker thread, in MB (smaller ones trade memory for many more collections: measured). */
export const WORKER_YOUNG_MB = 32;

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

/** Bytes in the spaces that only a full collection empties (old and large-object space; not the young one). */
function oldBytes(): number {
  let n = 0;
  for (const s of getHeapSpaceStatistics()) if (s.space_name !== 'new_space') n += s.space_used_size;
  return n;
}

/**
 * Collect when the heap has grown GROWTH_BYTES past the live set of the last full collection: peak memory stays
 * near the live set (reference data, bounded counters) plus a fixed margin, whatever the input size, and a
 * collection costs little because it happens only when that much garbage has accumulated. Call every CHECK_EVERY
 * records.
 */
export function maybeCollect(growth = GROWTH_BYTES): void {
  if (!collect) return;
  const used = oldBytes();
  if (live === 0) {
    // The first check: the heap still holds whatever loading reference data left behind; measure the live set.
    collect();
    live = oldBytes();
    return;
  }
  // V8 collected on its own since: what is in use now is an upper bound of the live set.
  if (used < live) live = used;
  if (used - live < growth) return;
  collect();
  live = oldBytes();
}
