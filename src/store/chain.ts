import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';

/** Domain tag that starts every hashed entry (architecture.md, "Evidence model"). */
export const DOMAIN = 'lockout/evidence/v1\0';
export const GENESIS = '0'.repeat(64);
export const HASH_ALGORITHM = 'sha256';
export const CANONICALIZATION = 'RFC 8785 (JSON Canonicalization Scheme)';

/** The hashed part of an evidence entry. */
export interface Entry {
  seq: number;
  ts: string;
  incident: string | null;
  actor: string;
  kind: string;
  payload: unknown;
}

export interface ChainedEntry extends Entry {
  prevHash: string;
  hash: string;
}

/** RFC 8785 canonical JSON. Throws on values JSON cannot hold (undefined at top level, NaN, BigInt). */
export function canonicalJson(value: unknown): string {
  const out = canonicalize(value);
  if (out === undefined) throw new TypeError('value has no canonical JSON form');
  return out;
}

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * hash = sha256("lockout/evidence/v1\0" || prev_hash || canonical_json(entry)), prev_hash as 64 lowercase hex chars.
 * Re-derive with: printf 'lockout/evidence/v1\0%s%s' "$PREV" "$CANONICAL_JSON" | sha256sum
 */
export function hashEntry(prevHash: string, entry: Entry): string {
  const { seq, ts, incident, actor, kind, payload } = entry;
  return sha256Hex(DOMAIN + prevHash + canonicalJson({ seq, ts, incident, actor, kind, payload }));
}

/** Where and why a chain is broken. */
export interface ChainBreak {
  seq: number;
  reason: 'hash' | 'link' | 'gap' | 'truncated' | 'rewritten' | 'signature' | 'origin';
  expected: string;
  actual: string;
  message: string;
}

export interface ChainState {
  size: number;
  head: string;
}

/**
 * Incremental verifier: feed rows in storage order (by seq). Returns the first break, or null.
 * Requires rows to be read in ascending seq order; any disorder shows as a link or gap break.
 */
export class ChainVerifier {
  private prev = GENESIS;
  private expectedSeq = 1;

  push(row: ChainedEntry): ChainBreak | null {
    if (row.seq !== this.expectedSeq) {
      return {
        seq: this.expectedSeq,
        reason: 'gap',
        expected: `seq ${this.expectedSeq}`,
        actual: `seq ${row.seq}`,
        message: `entry ${this.expectedSeq} is missing (next entry found is ${row.seq})`,
      };
    }
    if (row.prevHash !== this.prev) {
      return {
        seq: row.seq,
        reason: 'link',
        expected: this.prev,
        actual: row.prevHash,
        message: `entry ${row.seq} does not link to entry ${row.seq - 1} (prev_hash differs)`,
      };
    }
    const computed = hashEntry(this.prev, row);
    if (computed !== row.hash) {
      return {
        seq: row.seq,
        reason: 'hash',
        expected: computed,
        actual: row.hash,
        message: `entry ${row.seq} was altered: its content does not match its hash`,
      };
    }
    this.prev = row.hash;
    this.expectedSeq += 1;
    return null;
  }

  state(): ChainState {
    return { size: this.expectedSeq - 1, head: this.prev };
  }
}

/** Verify a whole sequence of rows (pure). */
export function verifyChain(rows: Iterable<ChainedEntry>): { break: ChainBreak | null; state: ChainState } {
  const v = new ChainVerifier();
  for (const row of rows) {
    const b = v.push(row);
    if (b) return { break: b, state: v.state() };
  }
  return { break: null, state: v.state() };
}

/** A checkpoint: origin, size and head hash (transparency-dev "formats/log" style), optionally signed. */
export interface Checkpoint {
  origin: string;
  size: number;
  head: string;
  /** base64 Ed25519 signature over the checkpoint body, when signed. */
  signature?: string;
}

const SIG_PREFIX = '— lockout ';

/** The signed body: three lines, origin / size / head, each ending in a newline. */
export const checkpointBody = (c: Pick<Checkpoint, 'origin' | 'size' | 'head'>): string =>
  `${c.origin}\n${c.size}\n${c.head}\n`;

export function formatCheckpoint(c: Checkpoint): string {
  return checkpointBody(c) + (c.signature ? `\n${SIG_PREFIX}${c.signature}\n` : '');
}

/** Parse a checkpoint file. Returns an error message instead of throwing. */
export function parseCheckpoint(text: string): Checkpoint | { error: string } {
  const [body, sigBlock] = text.replace(/\r\n/g, '\n').split(/\n\n/, 2);
  const lines = (body ?? '').split('\n').filter((l, i, all) => i < all.length - 1 || l !== '');
  if (lines.length !== 3) return { error: `expected 3 lines (origin, size, head), found ${lines.length}` };
  const [origin, sizeText, head] = lines as [string, string, string];
  if (!/^\d+$/.test(sizeText)) return { error: `line 2: size must be a whole number, got "${sizeText}"` };
  if (!/^[0-9a-f]{64}$/.test(head)) return { error: 'line 3: head must be 64 lowercase hex characters' };
  const checkpoint: Checkpoint = { origin, size: Number(sizeText), head };
  if (sigBlock !== undefined && sigBlock.trim() !== '') {
    const sigLine = sigBlock.trim();
    if (!sigLine.startsWith(SIG_PREFIX)) return { error: `signature line must start with "${SIG_PREFIX}"` };
    checkpoint.signature = sigLine.slice(SIG_PREFIX.length).trim();
  }
  return checkpoint;
}

export function signCheckpoint(c: Checkpoint, privateKeyPem: string): Checkpoint {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError('the signing key must be an Ed25519 private key');
  return { ...c, signature: sign(null, Buffer.from(checkpointBody(c)), key).toString('base64') };
}

export function verifyCheckpointSignature(c: Checkpoint, publicKeyPem: string): boolean {
  if (!c.signature) return false;
  let key: KeyObject;
  try {
    key = createPublicKey(publicKeyPem);
  } catch {
    return false;
  }
  return verify(null, Buffer.from(checkpointBody(c)), key, Buffer.from(c.signature, 'base64'));
}

/**
 * Compare a live chain with a checkpoint taken earlier. `hashAt(size)` returns the hash of entry `size`, or
 * undefined when the log is shorter. Detects truncation (fewer entries) and rewrite (a different hash at `size`).
 */
export function checkAgainstCheckpoint(
  c: Checkpoint,
  origin: string,
  current: ChainState,
  hashAt: (seq: number) => string | undefined,
): ChainBreak | null {
  if (c.origin !== origin) {
    return {
      seq: 0,
      reason: 'origin',
      expected: c.origin,
      actual: origin,
      message: `the checkpoint is for log "${c.origin}", this database is "${origin}"`,
    };
  }
  if (current.size < c.size) {
    return {
      seq: current.size + 1,
      reason: 'truncated',
      expected: `${c.size} entries`,
      actual: `${current.size} entries`,
      message: `the log was truncated: the checkpoint has ${c.size} entries, the log ${current.size}`,
    };
  }
  const actual = c.size === 0 ? GENESIS : hashAt(c.size);
  if (actual !== c.head) {
    return {
      seq: c.size,
      reason: 'rewritten',
      expected: c.head,
      actual: actual ?? '(none)',
      message: `entry ${c.size} differs from the checkpoint: the log was rewritten`,
    };
  }
  return null;
}
