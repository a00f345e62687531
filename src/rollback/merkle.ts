import { createHash, hash } from 'node:crypto';

/**
 * Merkle tree hash in the style of RFC 9162 (Certificate Transparency v2, section 2.1.1):
 *   MTH({})      = SHA-256()
 *   leaf hash    = SHA-256(0x00 || d)
 *   node hash    = SHA-256(0x01 || left || right)
 *   MTH(D[n])    = node(MTH(D[0:k]), MTH(D[k:n])) with k the largest power of two smaller than n.
 * The domain-separation bytes make a leaf impossible to pass off as an inner node (second-preimage attacks).
 */
const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

export const EMPTY_ROOT = createHash('sha256').digest('hex');

/** The RFC 9162 leaf hash of `data` (raw 32 bytes); a string is hashed as its UTF-8 bytes. */
export function leafHash(data: string | Buffer): Buffer {
  // One-shot crypto.hash is several times faster than createHash for small inputs (snapshots hash millions).
  return typeof data === 'string'
    ? (hash('sha256', `\u0000${data}`, 'buffer') as Buffer)
    : (hash('sha256', Buffer.concat([LEAF, data]), 'buffer') as Buffer);
}

/** The RFC 9162 inner-node hash of two child hashes (raw 32 bytes each). */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  const buf = Buffer.allocUnsafe(1 + left.length + right.length);
  NODE.copy(buf, 0);
  left.copy(buf, 1);
  right.copy(buf, 1 + left.length);
  return hash('sha256', buf, 'buffer') as Buffer;
}

/**
 * Streaming Merkle root: push leaves in order, read the root at the end. Memory is O(log n): the stack holds one
 * complete subtree per set bit of the leaf count, which is exactly the RFC 9162 left-heavy split.
 */
export class MerkleBuilder {
  private stack: { hash: Buffer; size: number }[] = [];
  private count = 0;

  /** Add the next leaf's data (it is hashed with the 0x00 prefix). */
  push(data: string | Buffer): void {
    this.pushLeafHash(leafHash(data));
  }

  /** Add the next leaf by its already computed leaf hash. */
  pushLeafHash(hash: Buffer): void {
    let node = { hash, size: 1 };
    while (this.stack.length && this.stack[this.stack.length - 1]!.size === node.size) {
      const left = this.stack.pop()!;
      node = { hash: nodeHash(left.hash, node.hash), size: left.size * 2 };
    }
    this.stack.push(node);
    this.count += 1;
  }

  get size(): number {
    return this.count;
  }

  /** The root as 64 lowercase hex characters (SHA-256 of nothing for an empty tree). */
  root(): string {
    if (!this.stack.length) return EMPTY_ROOT;
    // Fold right to left: the smaller subtrees on the right combine first, as in MTH's recursive split.
    let acc = this.stack[this.stack.length - 1]!.hash;
    for (let i = this.stack.length - 2; i >= 0; i -= 1) acc = nodeHash(this.stack[i]!.hash, acc);
    return acc.toString('hex');
  }
}

/** Merkle root of a list of leaves (convenience over MerkleBuilder). */
export function merkleRoot(leaves: Iterable<string | Buffer>): string {
  const b = new MerkleBuilder();
  for (const l of leaves) b.push(l);
  return b.root();
}

/** A recursive reference implementation of MTH, straight from the RFC's definition (used to cross-check). */
export function merkleRootRecursive(leaves: readonly (string | Buffer)[]): string {
  const mth = (d: readonly (string | Buffer)[]): Buffer => {
    if (d.length === 1) return leafHash(d[0]!);
    let k = 1;
    while (k * 2 < d.length) k *= 2;
    return nodeHash(mth(d.slice(0, k)), mth(d.slice(k)));
  };
  return leaves.length === 0 ? EMPTY_ROOT : mth(leaves).toString('hex');
}
