import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError, Refused } from '../../src/errors.js';
import { openOrgScanSource } from '../../src/org/scan-source.js';
import { adminClient, collect, smallSeed, startEmulator, testContext, type Emulator } from './emu.js';

/** 40 contacts with distinct SystemModstamps, one minute apart, in January 2026. */
function stampedSeed() {
  const seed = smallSeed();
  seed.sobjects!.Contact = Array.from({ length: 40 }, (_, i) => {
    const stamp = new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString().replace('Z', '+0000');
    return {
      FirstName: `First${i}`,
      LastName: `Last${i}`,
      Email: i % 2 ? `p${i}@example.com` : `p${i}@acme-corp.com`,
      Phone: '+1 415 555 0142',
      MailingCity: 'San Francisco',
      AccountId: { '@ref': 'acme' },
      CreatedDate: stamp,
      LastModifiedDate: stamp,
      SystemModstamp: stamp,
    };
  });
  return seed;
}

describe('openOrgScanSource (lockout scan --org)', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, seed: stampedSeed(), bulkPageSize: 15 });
  });
  afterAll(async () => {
    await emu.close();
  });
  const ctxFor = (extra: Record<string, string> = {}) =>
    testContext({ SF_INSTANCE_URL: emu.instanceUrl, SF_ACCESS_TOKEN: emu.accessToken, ...extra });

  it('streams flattened records with the fields the scanner maps; REST and Bulk give the same records', async () => {
    const ctx = ctxFor();
    const rest = await openOrgScanSource(ctx, { object: 'Contact', sinceLast: false });
    expect(rest.label).toBe('org:Contact');
    expect(rest.object).toBe('Contact');
    const restRows = await collect(rest.records);
    expect(restRows).toHaveLength(40);
    const first = restRows.find((r) => r.FirstName === 'First0')!;
    expect(first).toMatchObject({
      Id: expect.stringMatching(/^003/),
      FirstName: 'First0',
      LastName: 'Last0',
      Email: 'p0@acme-corp.com',
      MailingCity: 'San Francisco',
      'Account.Name': 'Acme Corp',
      CreatedDate: '2026-01-01T00:00:00.000Z',
    });
    expect(Object.keys(first)).not.toContain('SystemModstamp');
    expect(Object.keys(first)).not.toContain('MailingAddress');

    // Force Bulk API 2.0 (threshold 10 < 40 records), pages of 15.
    const dir = testContext().cwd;
    writeFileSync(path.join(dir, 'lockout.config.yaml'), 'org:\n  bulkThreshold: 10\n');
    const bulkCtx = testContext({
      SF_INSTANCE_URL: emu.instanceUrl,
      SF_ACCESS_TOKEN: emu.accessToken,
      LOCKOUT_CONFIG: path.join(dir, 'lockout.config.yaml'),
    });
    const bulk = await openOrgScanSource(bulkCtx, { object: 'Contact', sinceLast: false });
    const bulkRows = await collect(bulk.records);
    const key = (rows: Record<string, string | null>[]) =>
      rows.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))).sort();
    expect(key(bulkRows)).toEqual(key(restRows));
  });

  it('--where and --fields narrow the query; a bad --where is exit 2 naming the flag', async () => {
    const src = await openOrgScanSource(ctxFor(), {
      object: 'Contact',
      where: "Email LIKE '%@example.com'",
      fields: ['Email'],
      sinceLast: false,
    });
    const rows = await collect(src.records);
    expect(rows).toHaveLength(20);
    expect(Object.keys(rows[0]!)).toEqual(['Id', 'Email']);

    const bad = await openOrgScanSource(ctxFor(), { object: 'Contact', where: 'Nope__c = 1', sinceLast: false }).catch(
      (e: unknown) => e,
    );
    expect(bad).toBeInstanceOf(UsageError);
    expect((bad as Error).message).toMatch(/--where/);
    await expect(openOrgScanSource(ctxFor(), { object: 'Nope__c', sinceLast: false })).rejects.toThrow(
      /--object Nope__c: the org has no such sObject type/,
    );
    await expect(openOrgScanSource(ctxFor(), { object: 'Contact; DROP', sinceLast: false })).rejects.toThrow(
      UsageError,
    );
  });

  it('--since-last: only records modified since the last successful run (watermark moves on success only)', async () => {
    const ctx = ctxFor();
    const first = await openOrgScanSource(ctx, { object: 'Contact', sinceLast: true });
    expect(await collect(first.records)).toHaveLength(40);

    // Not marked successful: the next run sees everything again.
    const again = await openOrgScanSource(ctx, { object: 'Contact', sinceLast: true });
    const all = await collect(again.records);
    expect(all).toHaveLength(40);
    await again.onSuccess();

    const client = await adminClient(emu);
    const changed = all.filter((r) => ['First3', 'First7'].includes(r.FirstName!)).map((r) => r.Id!);
    const res = await client.update(
      'Contact',
      changed.map((Id) => ({ Id, Title: 'Changed' })),
    );
    expect(res.every((r) => r.success)).toBe(true);

    const next = await openOrgScanSource(ctx, { object: 'Contact', sinceLast: true });
    const rows = await collect(next.records);
    // The two changed records, plus the record at the watermark's second (rescanned rather than missed).
    expect(rows.map((r) => r.FirstName).sort()).toEqual(['First3', 'First39', 'First7']);
    await next.onSuccess();

    const none = await openOrgScanSource(ctx, { object: 'Contact', sinceLast: true });
    const left = await collect(none.records);
    expect(left.map((r) => r.FirstName).sort()).toEqual(
      ['First3', 'First7'].filter((n) => left.some((r) => r.FirstName === n)),
    );
    expect(left.length).toBeLessThanOrEqual(2);
  });

  it('the API budget is checked before any record is read (exit 4)', async () => {
    const small = await startEmulator({
      port: 0,
      seed: {
        ...stampedSeed(),
        org: { ...stampedSeed().org, limits: { DailyApiRequests: { Max: 15000, Remaining: 12 } } },
      },
    });
    try {
      const ctx = testContext({
        SF_INSTANCE_URL: small.instanceUrl,
        SF_ACCESS_TOKEN: small.accessToken,
        LOCKOUT_API_BUDGET: '1',
      });
      const err = await openOrgScanSource(ctx, { object: 'Contact', sinceLast: false }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Refused);
      expect((err as Error).message).toMatch(
        /scanning 40 Contact records needs about 1 API calls, but the API budget allows 0/,
      );
    } finally {
      await small.close();
    }
  });
});
