import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import {
  canonicalJson,
  checkAgainstCheckpoint,
  formatCheckpoint,
  GENESIS,
  hashEntry,
  parseCheckpoint,
  signCheckpoint,
  verifyChain,
  verifyCheckpointSignature,
  type ChainedEntry,
} from '../../src/store/chain.js';

describe('hashEntry', () => {
  it('matches the test vector recomputed with printf and sha256sum', () => {
    const entry = {
      seq: 1,
      ts: '2026-11-26T08:00:00.000Z',
      incident: 'INC-2026-0001',
      actor: 'alice',
      kind: 'incident.opened',
      payload: { title: 'Drill', severity: 2 },
    };
    const canonical = canonicalJson(entry);
    expect(canonical).toBe(
      '{"actor":"alice","incident":"INC-2026-0001","kind":"incident.opened","payload":{"severity":2,"title":"Drill"},"seq":1,"ts":"2026-11-26T08:00:00.000Z"}',
    );
    // printf 'lockout/evidence/v1\0%s%s' "$PREV" "$CANONICAL" | sha256sum
    const viaShell = execFileSync('sh', [
      '-c',
      `printf 'lockout/evidence/v1\\0%s%s' "$1" "$2" | sha256sum`,
      'sh',
      GENESIS,
      canonical,
    ])
      .toString()
      .split(' ')[0];
    expect(hashEntry(GENESIS, entry)).toBe(viaShell);
    // The fixed vector, so a change to the hashing scheme cannot go unnoticed.
    expect(viaShell).toBe('e18006e4b1a2bdafc75e310dca5e64a2331591ed442c2bda0a68049efa975d05');
  });
});

function chainOf(n: number): ChainedEntry[] {
  const rows: ChainedEntry[] = [];
  let prev = GENESIS;
  for (let seq = 1; seq <= n; seq++) {
    const e = { seq, ts: `2026-11-26T08:00:0${seq}.000Z`, incident: null, actor: 'a', kind: 'k', payload: { seq } };
    const hash = hashEntry(prev, e);
    rows.push({ ...e, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe('verifyChain', () => {
  it('accepts an intact chain and reports size and head', () => {
    const rows = chainOf(4);
    expect(verifyChain(rows)).toEqual({ break: null, state: { size: 4, head: rows[3]!.hash } });
    expect(verifyChain([])).toEqual({ break: null, state: { size: 0, head: GENESIS } });
  });

  it('says where and why: hash, link, gap', () => {
    const edited = chainOf(4);
    edited[2] = { ...edited[2]!, payload: { seq: 99 } };
    expect(verifyChain(edited).break).toMatchObject({ seq: 3, reason: 'hash' });

    const relinked = chainOf(4);
    relinked[1] = { ...relinked[1]!, prevHash: 'f'.repeat(64) };
    expect(verifyChain(relinked).break).toMatchObject({ seq: 2, reason: 'link' });

    const gap = chainOf(4).filter((r) => r.seq !== 2);
    expect(verifyChain(gap).break).toMatchObject({ seq: 2, reason: 'gap' });
  });
});

describe('checkpoints', () => {
  const cp = { origin: 'lockout:test', size: 3, head: 'ab'.repeat(32) };

  it('round-trips the three-line format, signed and unsigned', () => {
    expect(formatCheckpoint(cp)).toBe(`lockout:test\n3\n${'ab'.repeat(32)}\n`);
    expect(parseCheckpoint(formatCheckpoint(cp))).toEqual(cp);
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const signed = signCheckpoint(cp, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const parsed = parseCheckpoint(formatCheckpoint(signed));
    expect(parsed).toEqual(signed);
    const pub = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(verifyCheckpointSignature(parsed as typeof signed, pub)).toBe(true);
    expect(verifyCheckpointSignature({ ...signed, size: 4 }, pub)).toBe(false);
  });

  it('rejects malformed text with a reason', () => {
    expect(parseCheckpoint('a\nb\n')).toEqual({ error: 'expected 3 lines (origin, size, head), found 2' });
    expect(parseCheckpoint(`o\nx\n${'ab'.repeat(32)}\n`)).toMatchObject({ error: expect.stringContaining('size') });
    expect(parseCheckpoint(`o\n1\nnothex\n`)).toMatchObject({ error: expect.stringContaining('head') });
  });

  it('detects truncation, rewrite and a foreign origin', () => {
    const at = (h: Record<number, string>) => (seq: number) => h[seq];
    expect(checkAgainstCheckpoint(cp, 'lockout:test', { size: 5, head: 'x' }, at({ 3: cp.head }))).toBeNull();
    expect(checkAgainstCheckpoint(cp, 'lockout:test', { size: 2, head: 'x' }, at({}))).toMatchObject({
      reason: 'truncated',
      seq: 3,
    });
    expect(
      checkAgainstCheckpoint(cp, 'lockout:test', { size: 5, head: 'x' }, at({ 3: 'cd'.repeat(32) })),
    ).toMatchObject({ reason: 'rewritten', seq: 3 });
    expect(checkAgainstCheckpoint(cp, 'lockout:other', { size: 5, head: 'x' }, at({ 3: cp.head }))).toMatchObject({
      reason: 'origin',
    });
  });
});
