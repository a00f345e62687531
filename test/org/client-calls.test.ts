import { Refused } from '../../src/errors.js';
import type { OrgClient } from '../../src/org/client.js';
import { adminClient, collect, smallSeed, startEmulator, type Emulator } from './emu.js';

const logged = (emu: Emulator) =>
  emu.router.log.map((e) => `${e.method} ${e.path.replace(/^\/services\/data\/v[\d.]+/, '')}`);

describe('OrgClient: fewer calls (composite reads, budget from Sforce-Limit-Info, kept query jobs)', () => {
  let emu: Emulator;
  let client: OrgClient;

  beforeEach(async () => {
    emu = await startEmulator({ port: 0, seed: smallSeed({ contacts: 30, limits: { DailyApiRequests: 1000 } }) });
    client = await adminClient(emu);
  });
  afterEach(() => emu.close());

  it('compositeRead: several reads in one call, each answered on its own', async () => {
    const before = client.calls;
    const [d, q, missing] = await client.compositeRead([
      { referenceId: 'd', url: '/sobjects/Contact/describe' },
      {
        referenceId: 'q',
        url: `/query?q=${encodeURIComponent('SELECT Id FROM Contact')}`,
        httpHeaders: { 'Sforce-Query-Options': 'batchSize=200' },
      },
      { referenceId: 'missing', url: '/sobjects/Nope/describe' },
    ]);
    expect(client.calls - before).toBe(1);
    expect(logged(emu).filter((l) => l.includes('composite'))).toEqual(['POST /composite']);
    expect(d).toMatchObject({ referenceId: 'd', httpStatusCode: 200, body: { name: 'Contact' } });
    expect(q).toMatchObject({ httpStatusCode: 200, body: { totalSize: 30 } });
    expect(missing).toMatchObject({ httpStatusCode: 404, body: [{ errorCode: 'NOT_FOUND' }] });
  });

  it('ensureBudget fromLastResponse: no /limits call; the same figures and the same refusal as /limits', async () => {
    await collect(client.query('SELECT Id FROM Contact'));
    const before = client.calls;
    const check = await client.ensureBudget(5, 'a test', { fromLastResponse: true });
    expect(client.calls).toBe(before);
    expect(logged(emu).filter((l) => l.endsWith('/limits'))).toHaveLength(0);
    // The header was sent with the query: remaining = Max - used at that moment.
    const limits = emu.state.limits.DailyApiRequests!;
    expect(check).toMatchObject({ needed: 5, max: limits.Max, remaining: limits.Remaining });
    expect(check.allowed).toBe(Math.floor((limits.Remaining * check.budgetPercent) / 100));
    await expect(client.ensureBudget(check.allowed + 1, 'a big test', { fromLastResponse: true })).rejects.toThrow(
      Refused,
    );
    expect(client.calls).toBe(before);
  });

  it('ensureBudget fromLastResponse before any REST response reads /limits (one call)', async () => {
    const before = client.calls;
    await client.ensureBudget(5, 'a test', { fromLastResponse: true });
    expect(client.calls - before).toBe(1);
    expect(logged(emu)).toEqual(['GET /limits']);
  });

  it('bulkQuery keepJob leaves the finished job in the org (no DELETE); by default the job is deleted', async () => {
    const before = client.calls;
    const kept = await collect(client.bulkQuery('SELECT Id FROM Contact', { keepJob: true, pollIntervalMs: 1 }));
    expect(kept).toHaveLength(30);
    expect(client.calls - before).toBe(3); // create, poll, one result page
    expect(logged(emu).filter((l) => l.startsWith('DELETE'))).toHaveLength(0);
    await collect(client.bulkQuery('SELECT Id FROM Contact', { pollIntervalMs: 1 }));
    expect(logged(emu).filter((l) => l.startsWith('DELETE /jobs/query/'))).toHaveLength(1);
    const jobs = (await client.request<{ records: { id: string; state: string }[] }>('GET', '/jobs/query')).records;
    expect(jobs.filter((j) => j.state === 'JobComplete')).toHaveLength(1);
  });
});
