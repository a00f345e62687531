import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { startEmulator } from '../../src/emulator/index.js';
import { DEMO, DEMO_CONFIG } from '../../src/emulator/seeds/demo.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { dump, orgArgs, type Emulator } from './helpers/org.js';

type Row = Record<string, unknown>;

// The demo org's incident (partner-sync created records and overwrote Contact fields; a rep edited some later),
// rolled back with the demo config. Expectations are derived from the org's own records and History rows.
describe('rollback of the demo incident (partner-sync)', () => {
  let emu: Emulator;
  afterAll(() => emu?.close());

  it("deletes what partner-sync created, restores what it overwrote, keeps the rep's later edits as conflicts", async () => {
    emu = await startEmulator({ seed: 'demo' });
    const before = await dump(emu, 'Contact,Lead,Account,ContactHistory,User');
    const users = before.records.User!;
    const offender = String(users.find((u) => u.Username === DEMO.integrations[0].username)!.Id);
    const editor = String(users.find((u) => u.Username === DEMO.editor.username)!.Id);
    const since = new Date(Date.parse(before.now) - (DEMO.incidentWindowHours[0] + 1) * 3600_000).toISOString();
    const inWindow = (t: unknown) => Date.parse(String(t)) >= Date.parse(since);

    const created = ['Contact', 'Lead', 'Account'].flatMap((t) =>
      before.records[t]!.filter((r) => r.CreatedById === offender && inWindow(r.CreatedDate)).map((r) => String(r.Id)),
    );
    // Per (contact, field): the value before partner-sync's first change, and whether someone changed it afterwards.
    const history = before.records.ContactHistory!.filter((h) => inWindow(h.CreatedDate) && h.Field !== 'created');
    history.sort((a, b) => String(a.CreatedDate).localeCompare(String(b.CreatedDate)));
    const expected = new Map<string, { before: unknown; laterBy: string | null }>();
    for (const h of history) {
      const key = `${h.ContactId}.${h.Field}`;
      if (h.CreatedById === offender && !expected.has(key))
        expected.set(key, { before: h.OldValue ?? null, laterBy: null });
      else if (h.CreatedById !== offender && expected.has(key)) expected.get(key)!.laterBy = String(h.CreatedById);
    }
    expect(created.length).toBeGreaterThan(0);
    expect([...expected.values()].some((e) => e.laterBy === editor)).toBe(true);

    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'lockout.config.yaml'), stringify(DEMO_CONFIG));
    const r = await runCli(
      [
        '--json',
        'rollback',
        '--integration',
        'partner-sync',
        '--since',
        since,
        '--yes',
        '--approved-by',
        'incident lead',
        ...orgArgs(emu),
      ],
      { cwd },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.verification.ok).toBe(true);
    expect(out.applied.failed).toBe(0);

    const after = await dump(emu, 'Contact,Lead,Account');
    const byId = new Map<string, Row>(
      ['Contact', 'Lead', 'Account'].flatMap((t) => after.records[t]!.map((x) => [String(x.Id), x] as const)),
    );
    for (const id of created) expect(byId.get(id)).toMatchObject({ IsDeleted: true });
    const conflicts = new Set(out.conflicts.map((c: Row) => `${c.id}.${c.field}`));
    for (const [key, e] of expected) {
      const [id, field] = key.split('.') as [string, string];
      const now = byId.get(id)![field] ?? null;
      if (e.laterBy) {
        expect(conflicts.has(key)).toBe(true);
        expect(now).not.toEqual(e.before);
      } else {
        expect([key, now]).toEqual([key, e.before]);
      }
    }
    for (const c of out.conflicts as Row[]) expect(c.changedBy).toEqual([editor]);
  }, 60_000);
});
