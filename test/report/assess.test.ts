import path from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { foldAssessment } from '../../src/incident/assess.js';
import { Store } from '../../src/store/evidence.js';

const NOW = '2026-11-20T12:00:00.000Z';

async function opened() {
  const dir = tempDir();
  const db = path.join(dir, 'l.db');
  const cli = (argv: string[], now = NOW) => runCli(['--db', db, ...argv], { cwd: dir, now: () => new Date(now) });
  const r = await cli(['incident', 'open', '--title', 'Drill']);
  expect(r.code).toBe(0);
  return { dir, db, cli, id: r.stdout.trim() };
}

describe('lockout incident assess', () => {
  it('records only the fields given, and the report fold lets later fields win while notices add up', async () => {
    const { db, cli, id } = await opened();
    expect((await cli(['incident', 'assess', '--risk', 'low', '--nature', 'integrity'])).code).toBe(0);
    const second = await cli([
      '--json',
      'incident',
      'assess',
      id,
      '--risk',
      'HIGH',
      '--notice',
      'partner',
      '--notice-name',
      'Acme',
      '--notice-at',
      '2026-11-20T10:00:00Z',
      '--decision',
      'no-notify',
      '--decision-reason',
      'no personal data',
    ]);
    expect(second.code).toBe(0);
    const result = JSON.parse(second.stdout) as { seq: number; payload: Record<string, unknown> };
    expect(result.payload).toEqual({
      risk: 'high',
      decision: { decision: 'no-notify', decidedBy: 'tester', reason: 'no personal data' },
      notice: { to: 'partner', name: 'Acme', at: '2026-11-20T10:00:00.000Z' },
    });
    await cli(['incident', 'assess', '--notice', 'recipient', '--notice-name', 'Billing']);
    const store = Store.open(db, { create: false });
    const a = foldAssessment(store.entries({ incident: id }));
    store.close();
    expect(a.risk?.value).toBe('high');
    expect(a.risk?.seq).toBe(result.seq);
    expect(a.nature?.value).toEqual(['integrity']);
    expect(a.notices.map((n) => [n.value.to, n.value.at])).toEqual([
      ['partner', '2026-11-20T10:00:00.000Z'],
      ['recipient', NOW],
    ]);
    expect(a.decision?.value.decidedBy).toBe('tester');
  });

  it.each([
    [['--risk', 'extreme'], '--risk'],
    [['--nature', 'integrity,secrecy'], '--nature'],
    [['--member-states', 'FRA'], '--member-states'],
    [['--occurred-at', 'yesterday'], '--occurred-at'],
    [['--detected-at', '2027-01-01T00:00:00Z'], '--detected-at'],
    [['--occurred-at', '2026-11-20T10:00Z', '--occurred-until', '2026-11-20T09:00Z'], '--occurred-until'],
    [['--decision', 'notify'], '--decision-reason'],
    [['--decided-by', 'Ann'], '--decided-by'],
    [['--aware-at', '2026-11-20T08:00Z'], '--aware-basis'],
    [['--subjects', 'exempt', '--subjects-reason', 'x'], '--exemption'],
    [['--subjects', 'exempt', '--exemption', 'd', '--subjects-reason', 'x'], '--exemption'],
    [['--subjects', 'informed'], '--channel'],
    [['--exemption', 'a'], '--exemption'],
    [['--notice-stage', 'final'], '--notice-stage'],
    [['--notice', 'csirt'], '--notice-stage'],
    [['--notice', 'the press'], '--notice'],
    [['--ai-method', 'verified-mark'], '--ai-evidence'],
    [['--lessons', '  '], '--lessons'],
    [[], 'nothing to record'],
  ])('rejects %j with exit 2 naming %s, and records nothing', async (args, named) => {
    const { db, cli } = await opened();
    const r = await cli(['incident', 'assess', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(named);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('lockout:'))).toHaveLength(1);
    const store = Store.open(db, { create: false });
    expect([...store.entries({ kinds: ['incident.assessed'] })]).toHaveLength(0);
    store.close();
  });

  it('needs an incident', async () => {
    const dir = tempDir();
    const r = await runCli(['--db', path.join(dir, 'l.db'), 'incident', 'assess', '--risk', 'low'], { cwd: dir });
    expect(r.code).toBe(2);
  });
});

describe('secrets in free text', () => {
  it('never reach a report, even when someone pastes a token into a note', async () => {
    const { cli } = await opened();
    await cli(['incident', 'note', 'partner sent Authorization: Bearer abcdefghijklmnop1234 by mail']);
    const md = (await cli(['report'])).stdout;
    expect(md).not.toContain('abcdefghijklmnop1234');
    expect(md).toContain('Bearer \\[REDACTED\\]');
    const json = (await cli(['report', '--format', 'json'])).stdout;
    expect(json).not.toContain('abcdefghijklmnop1234');
    expect(json).toContain('Bearer [REDACTED]');
  });
});
