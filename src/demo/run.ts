import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { stringify } from 'yaml';
import type { Context } from '../cli/context.js';
import { UsageError } from '../errors.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { DEMO, DEMO_CONFIG } from '../emulator/seeds/demo.js';
import { makeDirs, writeFileAtomic } from '../util/fs.js';

/** One narrated step: what we are doing and why, and the lockout command that does it. */
export interface DemoStep {
  title: string;
  why: string;
  argv: string[];
  /** Exit codes that count as success for this step (default [0]). */
  ok?: number[];
}

export interface DemoStepResult {
  title: string;
  command: string;
  code: number;
  ok: boolean;
  ms: number;
}

export interface DemoResult {
  ok: boolean;
  dir: string;
  instanceUrl: string;
  incident: string | null;
  reportHtml: string;
  reportMd: string;
  steps: DemoStepResult[];
  /** With keepEmulator: the running emulator, for the caller to close. */
  emulator?: Emulator;
}

export interface DemoOptions {
  dir?: string;
  keepEmulator: boolean;
  /** Runs one lockout command line in-process (main() of src/main.ts); injected to avoid an import cycle. */
  run: RunCommand;
}

export type RunCommand = (
  argv: string[],
  deps: { cwd: string; env: Record<string, string | undefined>; out: NodeJS.WritableStream },
) => Promise<number>;

/** The fictional controller's standing facts, so the demo report shows a filled-in controller section. */
const DEMO_CONTROLLER = {
  name: `${DEMO.orgName} (fictional demo company)`,
  dpo: { name: 'Dana Whitfield', email: 'dpo@alderridgesupply.com' },
  processingActivities: ['CRM-01: customer and prospect management (Salesforce)'],
};

/**
 * How to run this lockout from any directory. The demo works in a temporary directory where a bare `npx lockout`
 * finds no local package (and the npm registry has none by that name), so the hints name this installation's bin.
 */
export const lockoutCommand = (): string =>
  `node ${shellQuote(fileURLToPath(new URL('../../bin/lockout.js', import.meta.url)))}`;

const shellQuote = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

/** The story of an incident, as the commands a responder would type. Pure: times are passed in. */
export function demoSteps(now: Date): DemoStep[] {
  const hour = 3_600_000;
  const [fromH] = DEMO.incidentWindowHours;
  const since = new Date(now.getTime() - (fromH + 1) * hour).toISOString();
  const awareAt = new Date(now.getTime() - 30 * 60_000).toISOString();
  const offender = DEMO.offender;
  return [
    {
      title: 'Open the incident',
      why: 'Everything that follows is recorded against it in the hash-chained evidence log.',
      argv: [
        'incident',
        'open',
        '--title',
        `Synthetic records injected by ${offender}`,
        '--severity',
        '1',
        '--aware-at',
        awareAt,
        '--summary',
        'Sales reported fake-looking contacts in the pipeline; the market is locked until the data is cleaned.',
      ],
    },
    {
      title: 'Discover the integration surfaces',
      why: 'Which users, connected apps, remote sites, flows and Bulk jobs could be feeding the org.',
      argv: ['isolate', '--discover'],
    },
    {
      title: `Contain ${offender}`,
      why: 'Freeze its user, end its sessions, revoke its tokens, stop its callouts, jobs and flows, in one plan.',
      argv: ['isolate', '--integration', offender, '--yes'],
    },
    {
      title: 'Scan what it touched',
      why: 'Score recent Contacts and Leads for signs of synthetic data; every finding carries reasons.',
      argv: [
        'scan',
        '--org',
        '--object',
        'Contact',
        '--where',
        'LastModifiedDate = LAST_N_DAYS:1',
        '--format',
        'jsonl',
        '--out',
        'findings-contact.jsonl',
      ],
    },
    {
      title: 'Scan recent Leads',
      why: 'The integration also writes Leads.',
      argv: [
        'scan',
        '--org',
        '--object',
        'Lead',
        '--where',
        'LastModifiedDate = LAST_N_DAYS:1',
        '--format',
        'jsonl',
        '--out',
        'findings-lead.jsonl',
      ],
    },
    {
      title: 'Snapshot Contacts before repairing',
      why: 'A hashed copy (with a Merkle root in the evidence log) to verify the repair against.',
      argv: ['snapshot', '--object', 'Contact'],
    },
    {
      title: 'Plan the rollback',
      why: "Per record and per field: delete what it created, restore what it overwrote, leave people's later edits alone.",
      argv: ['rollback', '--integration', offender, '--since', since, '--dry-run', '--plan-out', 'rollback-plan'],
    },
    {
      title: 'Roll back',
      why: 'Journaled and resumable; conflicts are reported, not clobbered; the run can itself be undone.',
      argv: ['rollback', '--integration', offender, '--since', since, '--yes'],
    },
    {
      title: 'Verify the repair against the snapshot',
      why: 'What changed since the snapshot: the restored fields and the removed records.',
      argv: ['verify', '--snapshot', '{snapshot}'],
    },
    {
      title: 'Record the assessment and the decision',
      why: 'Facts and decisions a person makes go into the chain, so the report only ever repeats evidence.',
      argv: [
        'incident',
        'assess',
        '--nature',
        'integrity,authenticity',
        '--personal-data-breach',
        'yes',
        '--classification-basis',
        'Fabricated and overwritten contact data alters the integrity of personal data we process.',
        '--risk',
        'medium',
        '--likelihood',
        'possible',
        '--consequences',
        'Customers could be contacted with wrong details; no data left the organisation.',
        '--decision',
        'notify',
        '--decision-reason',
        'Integrity breach affecting customer records; risk not unlikely.',
        '--decided-by',
        'Dana Whitfield (DPO)',
        '--ingestion',
        `${offender} integration user through the REST API`,
      ],
    },
    {
      title: 'Write the regulator report (HTML)',
      why: 'Built only from the evidence log, with the 72-hour clock and an integrity appendix.',
      argv: ['report', '--format', 'html', '--out', 'report.html'],
    },
    {
      title: 'Write the regulator report (Markdown)',
      why: 'The same report as text, for a ticket or an e-mail.',
      argv: ['report', '--format', 'md', '--out', 'report.md'],
    },
    {
      title: 'Prove the evidence is intact',
      why: 'Re-walk the whole hash chain. The report printed the head it was built on; its report.generated entry follows it.',
      argv: ['audit', 'verify'],
    },
  ];
}

/** Run the whole incident against the built-in emulator with the demo seed, narrated. */
export async function runDemo(ctx: Context, opts: DemoOptions): Promise<DemoResult> {
  const dir = opts.dir ? path.resolve(ctx.cwd, opts.dir) : mkdtempSync(path.join(os.tmpdir(), 'lockout-demo-'));
  // The demo writes its own config and appends to an append-only log: never into an existing lockout project,
  // whose config would be overwritten and whose evidence would carry a fictional incident for ever.
  for (const f of ['lockout.config.yaml', '.lockout']) {
    if (existsSync(path.join(dir, f))) {
      throw new UsageError(`--dir ${dir} already holds ${f}: the demo would overwrite or add to it`, {
        hint: 'choose a new or empty directory, or leave out --dir',
      });
    }
  }
  try {
    makeDirs(dir);
  } catch (e) {
    throw new UsageError(`--dir: cannot create ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const say = (s: string) => {
    if (!ctx.flags.json && !ctx.flags.quiet) ctx.io.out.write(`${s}\n`);
  };
  say(`lockout demo: a whole incident against the built-in Salesforce emulator (${DEMO.orgName}, demo seed)`);
  say(`working directory: ${dir}\n`);

  const emulator: Emulator = await startEmulator({ seed: 'demo', port: 0 });
  const steps = demoSteps(new Date());
  const results: DemoStepResult[] = [];
  let incident: string | null = null;
  let snapshot: string | null = null;
  try {
    writeFileAtomic(
      path.join(dir, 'lockout.config.yaml'),
      stringify({ actor: 'oncall@alderridgesupply.com', controller: DEMO_CONTROLLER, ...DEMO_CONFIG }),
      { flag: '--dir' },
    );
    const env = {
      ...ctx.env,
      SF_INSTANCE_URL: emulator.instanceUrl,
      SF_ACCESS_TOKEN: emulator.accessToken,
      LOCKOUT_DB: undefined,
      LOCKOUT_CONFIG: undefined,
      LOCKOUT_INCIDENT: undefined,
      LOCKOUT_ACTOR: undefined,
    };
    for (const [i, step] of steps.entries()) {
      const argv = step.argv.map((a) => (a === '{snapshot}' ? (snapshot ?? a) : a));
      const command = `lockout ${argv.map(shellQuote).join(' ')}`;
      say(`── ${i + 1}/${steps.length} ${step.title}`);
      say(`   ${step.why}`);
      say(`   $ ${command}`);
      const captured = new PassThrough();
      let text = '';
      captured.on('data', (c: Buffer) => (text += c.toString()));
      const started = Date.now();
      // Steps whose ids later steps need run with --json so the id can be read reliably.
      const wantsJson = (argv[0] === 'incident' && argv[1] === 'open') || argv[0] === 'snapshot';
      const code = await opts.run(wantsJson ? ['--json', ...argv] : argv, { cwd: dir, env, out: captured });
      const ms = Date.now() - started;
      if (wantsJson && code === 0) {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        if (argv[0] === 'incident') incident = String(parsed.id);
        else snapshot = String(parsed.id);
        text = argv[0] === 'incident' ? `${incident}\n` : `snapshot ${snapshot}: ${String(parsed.count)} records\n`;
      }
      for (const line of text.trimEnd().split('\n').slice(0, 40)) if (line) say(`   │ ${line}`);
      const ok = (step.ok ?? [0]).includes(code);
      // A failing step's own words are what the user needs, even with --json or --quiet.
      if (!ok && (ctx.flags.json || ctx.flags.quiet)) ctx.io.err.write(`demo step "${step.title}" said:\n${text}`);
      results.push({ title: step.title, command, code, ok, ms });
      say(`   ${ok ? '✓' : '✗'} exit ${code} in ${(ms / 1000).toFixed(1)} s\n`);
      if (!ok) break;
    }
  } finally {
    if (!opts.keepEmulator) await emulator.close();
  }

  const ok = results.length === steps.length && results.every((r) => r.ok);
  const result: DemoResult = {
    ok,
    dir,
    instanceUrl: emulator.instanceUrl,
    incident,
    reportHtml: path.join(dir, 'report.html'),
    reportMd: path.join(dir, 'report.md'),
    steps: results,
    ...(opts.keepEmulator ? { emulator } : {}),
  };
  if (ok) {
    say(`Done. The report is at ${result.reportHtml} (and ${result.reportMd}).`);
    say(`The evidence database is ${path.join(dir, '.lockout/lockout.db')}; re-verify with:`);
    say(`  cd ${shellQuote(dir)} && ${lockoutCommand()} audit verify`);
  }
  if (opts.keepEmulator) {
    say('\nThe emulator keeps running (Ctrl-C to stop). Try the commands by hand in another terminal:');
    say(`  cd ${dir}`);
    say(`  export SF_INSTANCE_URL=${emulator.instanceUrl}`);
    say(`  export SF_ACCESS_TOKEN='${emulator.accessToken}'   # the demo admin's token (emulator only)`);
    const lockout = lockoutCommand();
    say(`  ${lockout} org whoami && ${lockout} isolate list && ${lockout} audit log`);
  }
  return result;
}
