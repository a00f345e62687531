import { PassThrough, Readable } from 'node:stream';
import { buildProgram } from '../../src/main.js';
import { catalogFromProgram } from '../../src/playbook/catalog.js';
import { listPlaybookFiles, loadPlaybookFile } from '../../src/playbook/load.js';
import { formatProblem } from '../../src/playbook/parse.js';
import type { DecisionStep } from '../../src/playbook/schema.js';
import { runCli } from '../helpers/cli.js';

const shipped = listPlaybookFiles(null);
const names = shipped.map((f) => f.name);
const catalog = catalogFromProgram(
  buildProgram({
    io: {
      in: Readable.from([]),
      out: new PassThrough(),
      err: new PassThrough(),
      isTTY: { in: false, out: false, err: false },
      color: false,
    },
    env: {},
    cwd: '/',
  }),
);

describe('shipped playbooks', () => {
  it('cover the master playbook and every failure pattern of issue 8', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'market-lockout',
        'dev-to-prod-leakage',
        'ai-content-injection',
        'fabricated-partner-data',
        'integration-validation-gap',
        'compliance-overreach',
      ]),
    );
  });

  // Each file passes the schema, the cross-step rules and this CLI's own commands and options, with no warning.
  it.each(shipped.map((f) => [f.name, f.file]))('%s validates', (_name, file) => {
    const { result } = loadPlaybookFile(file, { catalog, known: names });
    expect([...result.errors, ...result.warnings].map((p) => formatProblem(file, p))).toEqual([]);
  });

  it('the master triage leads to each pattern playbook', () => {
    const master = loadPlaybookFile(shipped.find((f) => f.name === 'market-lockout')!.file).result.playbook!;
    const triage = master.steps.find((s) => s.id === 'triage') as DecisionStep;
    const targets = triage.options.map((o) => o.id);
    expect(targets.sort()).toEqual(names.filter((n) => n !== 'market-lockout').sort());
    for (const o of triage.options) expect(o.next).toBe(`lockout playbook run ${o.id}`);
  });

  it('take the GDPR notification decision on the 72-hour clock, decided by the DPO', () => {
    const master = loadPlaybookFile(shipped.find((f) => f.name === 'market-lockout')!.file).result.playbook!;
    const notify = master.steps.find((s) => s.id === 'notify-sa') as DecisionStep;
    expect(notify).toMatchObject({ kind: 'decision', clock: 'gdpr-72h' });
    expect(notify.decidedBy).toContain('dpo');
    // The options are exactly what `incident assess --decision` accepts, so the next step can record them.
    expect(notify.options.map((o) => o.id)).toEqual(['notify', 'no-notify']);
  });

  it('lockout playbook validate accepts them all (exit 0)', async () => {
    const r = await runCli(['playbook', 'validate']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^ok /gm)).toHaveLength(shipped.length);
  });
});
