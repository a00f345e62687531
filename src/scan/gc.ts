import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Records between full collections (see `collect`). */
export const COLLECT_EVERY = 100_000;

/**
 * A full garbage collection, when the runtime lets us have one. V8 grows the heap lazily while a long scan
 * allocates short-lived values, so peak RSS would follow the input size; collecting every COLLECT_EVERY records
 * keeps it near the live set (reference data + findings) for about 1 % of the run time.
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
