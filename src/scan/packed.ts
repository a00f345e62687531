/**
 * A read-only multimap from strings to values, packed for the scanner's large gazetteer indexes.
 *
 * The gazetteers behind the place and town rules hold hundreds of thousands of names. As a `Map<string, T[]>`
 * they cost about a hundred bytes per name in small heap objects (key string, array, value object), which is most
 * of a scan's memory, and every full garbage collection has to walk all of them. Packed, the names live in one
 * string and the structure in typed arrays (outside the collected heap); equal values are stored once.
 */

const EMPTY: readonly never[] = [];

/** Collects entries, then `pack()`s them. */
export class PackedIndexBuilder<T> {
  private readonly byKey = new Map<string, number[]>();
  private readonly valueIds = new Map<string, number>();
  private readonly values: T[] = [];

  /**
   * @param identity a string that is equal for equal values: each distinct value is stored once
   * @param sameInList values a key's list holds only one of (the first added); default: equal identity
   */
  constructor(
    private readonly identity: (value: T) => string,
    private readonly sameInList: (a: T, b: T) => boolean = () => false,
  ) {}

  add(key: string, value: T): void {
    if (!key) return;
    const id = this.identity(value);
    let v = this.valueIds.get(id);
    if (v === undefined) {
      v = this.values.length;
      this.values.push(value);
      this.valueIds.set(id, v);
    }
    const list = this.byKey.get(key);
    if (!list) this.byKey.set(key, [v]);
    else if (!list.includes(v) && !list.some((x) => this.sameInList(this.values[x]!, value))) list.push(v);
  }

  /** The values added under `key` so far, in order (while building). */
  peek(key: string): readonly T[] {
    return (this.byKey.get(key) ?? EMPTY).map((v) => this.values[v]!);
  }

  pack(): PackedIndex<T> {
    return new PackedIndex(this.byKey, this.values);
  }
}

/** FNV-1a over UTF-16 code units. */
function hash(s: string, from = 0, to = s.length): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Lookups by exact key; see PackedIndexBuilder. */
export class PackedIndex<T> {
  /** Every key, one after another. */
  private readonly keys: string;
  private readonly keyStart: Uint32Array;
  private readonly listStart: Uint32Array;
  private readonly lists: Uint32Array;
  /** Open addressing: slot -> entry + 1 (0 = empty). */
  private readonly table: Uint32Array;
  private readonly mask: number;
  private readonly values: readonly T[];
  /** Decoded lists, built on first lookup of a key and kept (bounded by the number of keys looked up). */
  private readonly decoded = new Map<number, readonly T[]>();

  constructor(byKey: ReadonlyMap<string, readonly number[]>, values: readonly T[]) {
    const n = byKey.size;
    const parts: string[] = [];
    this.keyStart = new Uint32Array(n + 1);
    this.listStart = new Uint32Array(n + 1);
    let total = 0;
    for (const list of byKey.values()) total += list.length;
    this.lists = new Uint32Array(total);
    let size = 1;
    while (size < n * 2) size <<= 1;
    this.table = new Uint32Array(size);
    this.mask = size - 1;
    let e = 0;
    let kOff = 0;
    let lOff = 0;
    for (const [key, list] of byKey) {
      parts.push(key);
      this.keyStart[e] = kOff;
      this.listStart[e] = lOff;
      for (const v of list) this.lists[lOff++] = v;
      let slot = hash(key) & this.mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
      this.table[slot] = e + 1;
      kOff += key.length;
      e += 1;
    }
    this.keyStart[n] = kOff;
    this.listStart[n] = lOff;
    this.keys = parts.join('');
    this.values = values;
  }

  get size(): number {
    return this.keyStart.length - 1;
  }

  private find(key: string): number {
    const len = key.length;
    let slot = hash(key) & this.mask;
    for (;;) {
      const e = this.table[slot]!;
      if (e === 0) return -1;
      const start = this.keyStart[e - 1]!;
      if (this.keyStart[e]! - start === len) {
        let i = 0;
        while (i < len && this.keys.charCodeAt(start + i) === key.charCodeAt(i)) i += 1;
        if (i === len) return e - 1;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  has(key: string): boolean {
    return this.find(key) !== -1;
  }

  /** The values stored under `key` (empty when none). */
  get(key: string): readonly T[] {
    const e = this.find(key);
    if (e === -1) return EMPTY;
    let list = this.decoded.get(e);
    if (!list) {
      const out: T[] = [];
      for (let i = this.listStart[e]!; i < this.listStart[e + 1]!; i++) out.push(this.values[this.lists[i]!]!);
      list = out;
      if (this.decoded.size >= 8192) this.decoded.clear();
      this.decoded.set(e, list);
    }
    return list;
  }

  /** Every key (for tests and diagnostics). */
  *keysIter(): Generator<string> {
    for (let e = 0; e < this.size; e++) yield this.keys.slice(this.keyStart[e], this.keyStart[e + 1]);
  }
}
