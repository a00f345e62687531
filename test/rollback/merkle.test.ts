import { execFileSync } from 'node:child_process';
import { EMPTY_ROOT, MerkleBuilder, merkleRoot, merkleRootRecursive } from '../../src/rollback/merkle.js';

// The RFC 6962 / RFC 9162 test inputs used by transparency-dev/merkle (rfc6962_test.go, testonly/constants.go).
const hex = (s: string) => Buffer.from(s, 'hex');
const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(
  hex,
);
// Roots of the first n leaves, as published with those inputs.
const roots: [number, string][] = [
  [1, '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'],
  [2, 'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'],
  [3, 'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77'],
  [4, 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'],
  [5, '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4'],
  [6, '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef'],
  [7, 'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c'],
  [8, '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'],
];

const sh = (script: string): string => execFileSync('sh', ['-c', script]).toString().split(' ')[0]!.trim();

describe('Merkle root (RFC 9162 style)', () => {
  it('is SHA-256 of nothing for an empty tree', () => {
    // printf '' | sha256sum
    expect(EMPTY_ROOT).toBe(sh("printf '' | sha256sum"));
    expect(merkleRoot([])).toBe(EMPTY_ROOT);
  });

  it('hashes a single leaf with the 0x00 prefix', () => {
    // printf '\000' | sha256sum   (leaf hash of the empty string)
    expect(merkleRoot([Buffer.alloc(0)])).toBe(sh("printf '\\000' | sha256sum"));
  });

  it('joins two leaves with the 0x01 prefix', () => {
    // L0=$(printf '\000' | sha256sum | cut -c1-64); L1=$(printf '\000\000' | sha256sum | cut -c1-64)
    // printf "01$L0$L1" | xxd -r -p | sha256sum
    const viaShell = sh(
      "L0=$(printf '\\000' | sha256sum | cut -c1-64); L1=$(printf '\\000\\000' | sha256sum | cut -c1-64); printf \"01$L0$L1\" | xxd -r -p | sha256sum",
    );
    expect(merkleRoot(leaves.slice(0, 2))).toBe(viaShell);
  });

  it('splits an odd-sized tree left-heavy (3 leaves: node(node(l0,l1), l2))', () => {
    // L2=$(printf '\000\020' | sha256sum | cut -c1-64); N=$(... two-leaf root ...); printf "01$N$L2" | xxd -r -p | sha256sum
    const viaShell = sh(
      "L0=$(printf '\\000' | sha256sum | cut -c1-64); L1=$(printf '\\000\\000' | sha256sum | cut -c1-64); L2=$(printf '\\000\\020' | sha256sum | cut -c1-64); N=$(printf \"01$L0$L1\" | xxd -r -p | sha256sum | cut -c1-64); printf \"01$N$L2\" | xxd -r -p | sha256sum",
    );
    expect(merkleRoot(leaves.slice(0, 3))).toBe(viaShell);
  });

  it.each(roots)('matches the published root for the first %i test leaves', (n, root) => {
    expect(merkleRoot(leaves.slice(0, n))).toBe(root);
    expect(merkleRootRecursive(leaves.slice(0, n))).toBe(root);
  });

  it('the streaming builder agrees with the recursive definition for every size up to 70', () => {
    const data = Array.from({ length: 70 }, (_, i) => `{"Id":"${i}"}`);
    const b = new MerkleBuilder();
    for (let n = 1; n <= data.length; n += 1) {
      b.push(data[n - 1]!);
      expect(b.root()).toBe(merkleRootRecursive(data.slice(0, n)));
    }
    expect(b.size).toBe(70);
  });

  it('changes when a leaf changes or leaves are reordered', () => {
    const base = merkleRoot(['a', 'b', 'c']);
    expect(merkleRoot(['a', 'b', 'd'])).not.toBe(base);
    expect(merkleRoot(['b', 'a', 'c'])).not.toBe(base);
    expect(merkleRoot(['a', 'b'])).not.toBe(base);
  });
});
