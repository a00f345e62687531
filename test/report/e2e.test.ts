import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { runCli, tempDir } from '../helpers/cli.js';
import { Store } from '../../src/store/evidence.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// The whole incident on the emulator (lockout demo: open, isolate, scan, snapshot, rollback, verify), then reports
// checked against the evidence the other modules actually wrote.
describe('lockout report after a whole incident on the emulator', () => {
  it('counts match the scan and rollback entries, and the head matches audit verify', async () => {
    const dir = path.join(tempDir(), 'demo');
    const demo = await runCli(['--json', 'demo', '--dir', dir]);
    expect(demo.code).toBe(0);
    await runCli(['incident', 'assess', '--decision', 'notify', '--decision-reason', 'real contacts altered'], {
      cwd: dir,
    });
    const before = JSON.parse((await runCli(['--json', 'audit', 'verify'], { cwd: dir })).stdout) as Json;
    const r = await runCli(['report', '--format', 'json', '--map', 'generic'], { cwd: dir });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Json;
    expect(doc.integrity.head).toEqual({ seq: before.size, hash: before.head });

    const store = Store.open(path.join(dir, '.lockout', 'lockout.db'), { create: false });
    const entries = [...store.entries({ incident: doc.incident.id })].filter((e) => e.seq <= before.size);
    store.close();
    const scans = entries.filter((e) => e.kind === 'scan.completed').map((e) => e.payload as Json);
    expect(scans.length).toBeGreaterThan(0);
    for (const level of ['high', 'medium', 'low']) {
      expect(doc.subjects.byLevel[level]).toBe(scans.reduce((n, s) => n + s.findings[level], 0));
    }
    expect(doc.subjects.recordsRead).toBe(scans.reduce((n, s) => n + s.recordsRead, 0));
    const plan = entries.find((e) => e.kind === 'rollback.planned')!.payload as Json;
    expect(doc.subjects.rollbackScope.map((x: Json) => [x.object, x.actions])).toEqual(Object.entries(plan.counts));
    // Restored records: each settled record appears once with ok: true in the run's batches (docs/evidence.md).
    const restored = new Set(
      entries
        .filter((e) => e.kind === 'rollback.batch')
        .flatMap((e) => (e.payload as Json).records as Json[])
        .filter((x) => x.ok && x.action === 'restore')
        .map((x) => x.id),
    );
    expect(doc.subjects.existingRecordsAltered.value).toBe(restored.size);
    // Changed-field counts: the latest snapshot verify per object, summed.
    const latest = new Map<string, Json>();
    for (const e of entries) {
      const p = e.payload as Json;
      if (e.kind === 'verify.completed' && p.mode === 'snapshot') latest.set(p.object, p);
    }
    expect(latest.size).toBeGreaterThan(0);
    expect(doc.fieldsAltered.length).toBeGreaterThan(0);
    for (const f of doc.fieldsAltered) {
      const sum = [...latest.values()].reduce((n, p) => n + (p.fieldCounts[f.field] ?? 0), 0);
      expect([f.field, f.count]).toEqual([f.field, sum || null]);
    }
    expect(doc.measures.map((m: Json) => m.type)).toEqual(
      expect.arrayContaining(['isolation', 'snapshot', 'rollback']),
    );
    expect(doc.consequences.decision.value.decision).toBe('notify');
    // Every timeline row is an entry of the log, with its hash.
    expect(doc.timeline.map((t: Json) => [t.seq, t.hash])).toEqual(entries.map((e) => [e.seq, e.hash]));

    // The printed checkpoint proves the log up to this report; editing the database afterwards breaks it.
    writeFileSync(path.join(dir, 'cp.txt'), doc.integrity.checkpoint.text);
    expect((await runCli(['audit', 'verify', '--checkpoint', 'cp.txt'], { cwd: dir })).code).toBe(0);
  }, 120_000);
});
