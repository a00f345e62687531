import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../../src/store/evidence.js';
import type { ChainedEntry } from '../../src/store/chain.js';
import { runCli, tempDir, type CliOptions } from '../helpers/cli.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const DRILL = path.join(FIXTURES, 'local-drill.yaml');
const RETRY = path.join(FIXTURES, 'retry.yaml');

const FULL_ANSWERS = `# answers for local-drill
note-start: { confirm: true }
collect: { outcome: done, evidence: partner e-mail in ticket T-1 }
notify-sa:
  decision: notify
  decidedBy: Dana Ruiz
  role: dpo
  reason: 40 real contacts overwritten; integrity breach
record-decision: { confirm: true }
only-if-notify: { confirm: true }
verify: { confirm: true }
`;

async function setup(): Promise<{ dir: string; cli: (argv: string[], o?: CliOptions) => ReturnType<typeof runCli> }> {
  const dir = tempDir('lockout-playbook-');
  const cli = (argv: string[], o: CliOptions = {}) => runCli(argv, { cwd: dir, ...o });
  const opened = await cli([
    'incident',
    'open',
    '--title',
    'Partner sync lockout',
    '--aware-at',
    '2026-11-26T10:00:00Z',
  ]);
  expect(opened.code).toBe(0);
  return { dir, cli };
}

function entries(dir: string): ChainedEntry[] {
  const store = Store.open(path.join(dir, '.lockout/lockout.db'), { create: false });
  try {
    return [...store.entries()];
  } finally {
    store.close();
  }
}

const payload = (e: ChainedEntry) => e.payload as Record<string, unknown>;
const stepKinds = (list: ChainedEntry[]) =>
  list.filter((e) => e.kind.startsWith('playbook.')).map((e) => `${e.kind} ${payload(e).step ?? ''}`.trim());

describe('playbook run --non-interactive', () => {
  it('completes, runs each command through the CLI and records every step in the evidence log', async () => {
    const { dir, cli } = await setup();
    writeFileSync(path.join(dir, 'answers.yaml'), FULL_ANSWERS);
    const r = await cli(
      [
        'playbook',
        'run',
        DRILL,
        '--var',
        'integration=partner-sync',
        '--var',
        'ticket=T-1',
        '--non-interactive',
        '--answers',
        'answers.yaml',
      ],
      { env: { LOCKOUT_ACTOR: 'oncall-ana' } },
    );
    expect(r.stderr).not.toMatch(/lockout: /);
    expect(r.code).toBe(0);

    const log = entries(dir);
    expect(stepKinds(log)).toEqual([
      'playbook.started',
      ...['note-start', 'collect', 'notify-sa', 'record-decision', 'only-if-notify', 'verify'].flatMap((s) => [
        `playbook.step.started ${s}`,
        `playbook.step.completed ${s}`,
      ]),
      'playbook.completed',
    ]);
    // Every entry belongs to the incident and names who acted.
    expect(new Set(log.map((e) => e.incident))).toEqual(new Set(['INC-2026-0001']));
    expect(new Set(log.filter((e) => e.kind.startsWith('playbook.')).map((e) => e.actor))).toEqual(
      new Set(['oncall-ana']),
    );

    // The decision is recorded with who decided, in which role, and why.
    const decided = log.find((e) => e.kind === 'playbook.step.completed' && payload(e).step === 'notify-sa')!;
    expect(payload(decided)).toMatchObject({
      outcome: 'decided',
      decision: 'notify',
      decidedBy: 'Dana Ruiz',
      role: 'dpo',
      reason: '40 real contacts overwritten; integrity breach',
    });
    // The GDPR clock shown at the decision ran from the incident's aware-at.
    const started = log.find((e) => e.kind === 'playbook.step.started' && payload(e).step === 'notify-sa')!;
    expect(payload(started).clock).toMatchObject({ name: 'gdpr-72h', deadline: '2026-11-29T10:00:00.000Z' });

    // Command steps ran for real, in order, through the same database: their own entries sit between start and end.
    const kinds = log.map((e) => e.kind);
    const noted = log.filter((e) => e.kind === 'incident.noted').map((e) => payload(e).text);
    expect(noted).toEqual([
      expect.stringMatching(/^oncall-ana started local-drill \(PB-0001\) for partner-sync$/),
      'notice filed in T-1',
    ]);
    const assessed = log.find((e) => e.kind === 'incident.assessed')!;
    expect(JSON.stringify(assessed.payload)).toContain('Dana Ruiz');
    expect(kinds.indexOf('incident.assessed')).toBeGreaterThan(kinds.indexOf('playbook.step.started'));
    const manual = log.find((e) => e.kind === 'playbook.step.completed' && payload(e).step === 'collect')!;
    expect(payload(manual)).toMatchObject({ outcome: 'done', evidence: 'partner e-mail in ticket T-1' });

    expect((await cli(['audit', 'verify'])).code).toBe(0);
  });

  it('marks steps whose decision did not choose them as not applicable', async () => {
    const { dir, cli } = await setup();
    writeFileSync(path.join(dir, 'a.yaml'), FULL_ANSWERS.replace('decision: notify', 'decision: no-notify'));
    const r = await cli(['playbook', 'run', DRILL, '--var', 'integration=x', '--answers', 'a.yaml', '--json']);
    expect(r.code).toBe(0);
    // --json: stdout holds exactly the result; the commands' own output went to stderr.
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ status: 'completed', run: 'PB-0001', incident: 'INC-2026-0001' });
    expect(result.steps.find((s: { step: string }) => s.step === 'only-if-notify')).toMatchObject({
      outcome: 'not-applicable',
    });
    expect(entries(dir).filter((e) => e.kind === 'incident.noted')).toHaveLength(1);
  });

  it('masks a token pasted into an answer before it reaches the evidence log', async () => {
    const { dir, cli } = await setup();
    const token = '00D5E0000000001!AQ' + 'x'.repeat(40);
    writeFileSync(
      path.join(dir, 'a.yaml'),
      FULL_ANSWERS.replace('evidence: partner e-mail in ticket T-1', `evidence: 'session ${token}'`),
    );
    const r = await cli([
      'playbook',
      'run',
      DRILL,
      '--var',
      'integration=x',
      '--var',
      'ticket=T',
      '--answers',
      'a.yaml',
    ]);
    expect(r.code).toBe(0);
    const collect = entries(dir).find((e) => e.kind === 'playbook.step.completed' && payload(e).step === 'collect')!;
    expect(payload(collect).evidence).toBe('session [REDACTED session id]');
    expect(JSON.stringify(entries(dir))).not.toContain(token);
  });

  it('refuses to start without every variable, naming it, and records nothing', async () => {
    const { dir, cli } = await setup();
    writeFileSync(path.join(dir, 'a.yaml'), FULL_ANSWERS);
    const r = await cli(['playbook', 'run', DRILL, '--answers', 'a.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('needs --var integration=<value>');
    expect(entries(dir).some((e) => e.kind.startsWith('playbook.'))).toBe(false);
  });

  it('stops at a variable learned during the run (exit 2), and --resume continues after the last completed step', async () => {
    const { dir, cli } = await setup();
    writeFileSync(path.join(dir, 'a.yaml'), FULL_ANSWERS);
    const first = await cli(['playbook', 'run', DRILL, '--var', 'integration=partner-sync', '--answers', 'a.yaml']);
    expect(first.code).toBe(2);
    expect(first.stderr).toContain('needs {{ticket}}');
    expect(first.stderr).toContain('--resume --var ticket=<value>');

    const second = await cli(['playbook', 'run', DRILL, '--resume', '--var', 'ticket=T-77', '--answers', 'a.yaml']);
    expect(second.code).toBe(0);
    const log = entries(dir);
    expect(stepKinds(log).slice(-6)).toEqual([
      'playbook.resumed',
      'playbook.step.started only-if-notify',
      'playbook.step.completed only-if-notify',
      'playbook.step.started verify',
      'playbook.step.completed verify',
      'playbook.completed',
    ]);
    // Nothing done before the stop was done again.
    expect(log.filter((e) => e.kind === 'incident.noted').map((e) => payload(e).text)).toEqual([
      expect.stringContaining('started local-drill'),
      'notice filed in T-77',
    ]);
    expect(log.filter((e) => e.kind === 'incident.assessed')).toHaveLength(1);
    // The run kept the variables given at the start.
    expect(log.filter((e) => e.kind === 'playbook.started')).toHaveLength(1);
  });

  it('stops when a command fails, with its exit code, and a resume re-runs only that step', async () => {
    const { cli, dir } = await setup();
    writeFileSync(path.join(dir, 'a.yaml'), 'first: {confirm: true}\nshow: {confirm: true}\nverify: {confirm: true}\n');
    const bad = await cli(['playbook', 'run', RETRY, '--var', 'target=INC-2099-0042', '--answers', 'a.yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('stopped at show: step show failed: lockout exited 2: unknown incident INC-2099-0042');
    const good = await cli([
      'playbook',
      'run',
      RETRY,
      '--resume',
      '--var',
      'target=INC-2026-0001',
      '--answers',
      'a.yaml',
    ]);
    expect(good.code).toBe(0);
    const shows = entries(dir).filter((e) => e.kind === 'playbook.step.completed' && payload(e).step === 'show');
    expect(shows.map((e) => [payload(e).outcome, payload(e).exitCode])).toEqual([
      ['failed', 2],
      ['done', 0],
    ]);
    expect(entries(dir).filter((e) => e.kind === 'incident.noted')).toHaveLength(1);
  });

  it('stops (exit 4) at a step the answers file does not answer; a fuller file resumes it', async () => {
    const { cli, dir } = await setup();
    writeFileSync(path.join(dir, 'a.yaml'), 'note-start: {confirm: true}\n');
    const r = await cli([
      'playbook',
      'run',
      DRILL,
      '--var',
      'integration=x',
      '--var',
      'ticket=T',
      '--answers',
      'a.yaml',
    ]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('has no outcome: done|skipped for step collect');
    writeFileSync(path.join(dir, 'a.yaml'), FULL_ANSWERS);
    expect((await cli(['playbook', 'run', DRILL, '--resume', '--answers', 'a.yaml'])).code).toBe(0);
    expect(entries(dir).filter((e) => e.kind === 'incident.noted')).toHaveLength(2);
  });

  it('rejects a bad answers file before anything runs, naming file, line and path', async () => {
    const { cli, dir } = await setup();
    writeFileSync(path.join(dir, 'a.yaml'), 'note-start: {confirm: true}\nnotify-sa:\n  decision: perhaps\n');
    const r = await cli(['playbook', 'run', DRILL, '--var', 'integration=x', '--answers', 'a.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`a.yaml:3: notify-sa.decision: must be one of notify, no-notify`);
    expect(entries(dir).some((e) => e.kind.startsWith('playbook.'))).toBe(false);
  });

  it('needs a terminal or an answers file', async () => {
    const { cli } = await setup();
    const noTty = await cli(['playbook', 'run', DRILL, '--var', 'integration=x']);
    expect(noTty.code).toBe(4);
    expect(noTty.stderr).toContain('--non-interactive --answers <file>');
    const noAnswers = await cli(['playbook', 'run', DRILL, '--var', 'integration=x', '--non-interactive']);
    expect(noAnswers.code).toBe(2);
    // A mistyped name is bad input, not a refusal, with or without a terminal.
    const unknown = await cli(['playbook', 'run', 'no-such-playbook']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no playbook named "no-such-playbook"');
  });

  it('needs an incident', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.yaml'), FULL_ANSWERS);
    const r = await runCli(['playbook', 'run', DRILL, '--var', 'integration=x', '--answers', 'a.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('needs an incident');
  });
});

describe('playbook run (interactive)', () => {
  it('asks, records the answers, can be quit and resumed', async () => {
    const { cli, dir } = await setup();
    // y: run note-start; d + evidence: collect; then quit at the decision.
    const first = await cli(['playbook', 'run', DRILL, '--var', 'integration=partner-sync'], {
      tty: true,
      stdin: 'y\nd\nscreenshot in T-5\nq\n',
    });
    expect(first.code).toBe(4);
    expect(first.stderr).toContain('stopped at notify-sa: stopped by the responder');
    expect(first.stderr).toContain('may decide: DPO, compliance lead');

    // Decision by number, decider, role, reasoning; then the learned variable; then the remaining commands.
    const second = await cli(['playbook', 'run', DRILL, '--resume'], {
      tty: true,
      stdin: ['2', 'Dana Ruiz', 'dpo', 'only fabricated people', 'y', 'y', ''].join('\n'),
    });
    expect(second.stderr).not.toMatch(/lockout: /);
    expect(second.code).toBe(0);
    const log = entries(dir);
    const done = log
      .filter((e) => e.kind === 'playbook.step.completed')
      .map((e) => [payload(e).step, payload(e).outcome]);
    expect(done).toEqual([
      ['note-start', 'done'],
      ['collect', 'done'],
      ['notify-sa', 'decided'],
      ['record-decision', 'done'],
      ['only-if-notify', 'not-applicable'],
      ['verify', 'done'],
    ]);
    const decision = log.find((e) => payload(e).step === 'notify-sa' && e.kind === 'playbook.step.completed')!;
    expect(payload(decision)).toMatchObject({ decision: 'no-notify', decidedBy: 'Dana Ruiz', role: 'dpo' });
  });

  it('asks for a variable learned during the run when it is needed', async () => {
    const { cli, dir } = await setup();
    const r = await cli(['playbook', 'run', DRILL, '--var', 'integration=p'], {
      tty: true,
      stdin: ['y', 's', 'no partner contact yet', '1', 'Dana', 'dpo', 'risk to people', 'y', 'T-9', 'y', 'y', ''].join(
        '\n',
      ),
    });
    expect(r.stderr).not.toMatch(/lockout: /);
    expect(r.code).toBe(0);
    expect(
      entries(dir)
        .filter((e) => e.kind === 'incident.noted')
        .map((e) => payload(e).text),
    ).toContain('notice filed in T-9');
    const asked = entries(dir).find((e) => payload(e).step === 'only-if-notify' && e.kind === 'playbook.step.started')!;
    expect(payload(asked)).toMatchObject({
      learned: { ticket: 'T-9' },
      command: "lockout incident note 'notice filed in T-9'",
    });
    const skipped = entries(dir).find((e) => payload(e).step === 'collect' && e.kind === 'playbook.step.completed')!;
    expect(payload(skipped)).toMatchObject({ outcome: 'skipped', reason: 'no partner contact yet' });
  });
});

describe('team playbooks (playbooks.dir)', () => {
  it('are listed next to the shipped ones, run by name, and validated with file, line and path', async () => {
    const { cli, dir } = await setup();
    mkdirSync(path.join(dir, 'team-playbooks'));
    copyFileSync(RETRY, path.join(dir, 'team-playbooks', 'retry.yaml'));
    writeFileSync(
      path.join(dir, 'team-playbooks', 'broken.yaml'),
      'name: broken\ntitle: B\nversion: 1\nsummary: s\nsteps:\n  - id: a\n    title: A\n    owner: legal\n    timebox: 5m\n    kind: manual\n    instructions: i\n    evidence: e\n',
    );
    writeFileSync(path.join(dir, 'lockout.config.yaml'), 'playbooks:\n  dir: team-playbooks\n');

    const list = await cli(['playbook', 'list', '--json']);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout) as { name: string; origin: string; valid: boolean }[];
    expect(rows.find((r) => r.name === 'retry')).toMatchObject({ origin: 'team', valid: true });
    expect(rows.find((r) => r.name === 'broken')).toMatchObject({ origin: 'team', valid: false });
    expect(rows.find((r) => r.name === 'market-lockout')).toMatchObject({ origin: 'shipped' });

    const v = await cli(['playbook', 'validate', 'team-playbooks/broken.yaml']);
    expect(v.code).toBe(2);
    expect(v.stdout).toContain(
      'broken.yaml:8: steps[0].owner: must be one of on-call-engineer, integration-owner, compliance-lead, dpo',
    );

    writeFileSync(path.join(dir, 'a.yaml'), 'first: {confirm: true}\nshow: {confirm: true}\nverify: {confirm: true}\n');
    const run = await cli(['playbook', 'run', 'retry', '--var', 'target=INC-2026-0001', '--answers', 'a.yaml']);
    expect(run.code).toBe(0);
  });
});
