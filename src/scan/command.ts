import { readFileSync } from 'node:fs';
import path from 'node:path';
import ora from 'ora';
import type { Context } from '../cli/context.js';
import { status } from '../cli/output.js';
import { FindingsFound, UsageError } from '../errors.js';
import { writeFileAtomic } from '../util/fs.js';
import { runScan, type Allowlist, type Baseline, type ScanResult } from './engine.js';
import { scanEvidence, SCAN_COMPLETED } from './evidence.js';
import { ROLES } from './fields.js';
import { render, type Format } from './formatters/index.js';
import { parseAllowlist, parseBaseline, renderBaseline } from './lists.js';
import { AtomicStream } from './out.js';
import { atLeast } from './score.js';
import { fileSources, totalBytes } from './sources.js';
import type { Finding, Level, ScanRecord, ScanSource } from './types.js';

/** Live-org options (`--org`); the records come from src/org/scan-source (the org module). */
export interface OrgScanOptions {
  where?: string;
  fields?: string[];
  sinceLast: boolean;
}

/**
 * Everything `lockout scan` does, as one options object (flags -> options in src/cli/scan.ts). Later flags add
 * fields here and, if they act on the result, a hook in `after` (called after output and evidence, before the
 * --fail-on exit).
 */
export interface ScanCommandOptions {
  files: string[];
  org?: OrgScanOptions;
  object?: string;
  format?: Format;
  out?: string;
  minScore?: number;
  failOn?: Level;
  allowlist?: string;
  baseline?: string;
  updateBaseline: boolean;
  skipBadRows: boolean;
  jobs?: number;
  after?: ((ctx: Context, result: ScanResult, opts: ScanCommandOptions) => Promise<void> | void)[];
}

/** What `src/org/scan-source.ts` provides (written by the org module). */
interface OrgScanSourceModule {
  openOrgScanSource(
    ctx: Context,
    o: { object: string; where?: string; fields?: string[]; sinceLast: boolean },
  ): Promise<{
    label: string;
    object: string;
    records: AsyncIterable<Record<string, string | null>>;
    onSuccess(): Promise<void>;
  }>;
}

// A variable specifier: the org module may not be built yet, and this must still compile.
const ORG_SOURCE = '../org/scan-source.js';

async function loadOrgSource(): Promise<OrgScanSourceModule> {
  try {
    return (await import(ORG_SOURCE)) as OrgScanSourceModule;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find module/.test(String(e))) {
      throw new UsageError('--org: live org scanning is not available in this build (src/org/scan-source is missing)', {
        hint: 'export the records (sf data export bulk) and scan the file instead',
      });
    }
    throw e;
  }
}

const version = (): string =>
  (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function readText(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${flag}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Run `lockout scan`: read inputs, scan, write the output, append evidence, then decide the exit code. */
export async function scanCommand(ctx: Context, opts: ScanCommandOptions): Promise<ScanResult> {
  const config = ctx.config().scan;
  for (const [field, role] of Object.entries(config.fields)) {
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new UsageError(`config scan.fields.${field}: unknown role "${role}"`, {
        hint: `roles: ${ROLES.join(', ')}`,
      });
    }
  }
  if (opts.org && opts.files.length) throw new UsageError('--org: give either files or --org, not both');
  if (!opts.org && !opts.files.length)
    throw new UsageError('scan: name at least one file (or - for stdin), or use --org');
  if (opts.org && !opts.object) throw new UsageError('--org needs --object <Type> (e.g. --object Contact)');
  if (opts.updateBaseline && !opts.baseline) throw new UsageError('--update-baseline needs --baseline <file>');
  const t = config.thresholds;
  if (!(t.low <= t.medium && t.medium <= t.high))
    throw new UsageError('config scan.thresholds: low <= medium <= high is required');

  // Every path is relative to the command's cwd (in-process runs such as `lockout demo` and playbooks pass their own).
  const at = (p: string): string => (p === '-' ? p : path.resolve(ctx.cwd, p));
  opts = {
    ...opts,
    out: opts.out === undefined ? undefined : at(opts.out),
    allowlist: opts.allowlist === undefined ? undefined : at(opts.allowlist),
    baseline: opts.baseline === undefined ? undefined : at(opts.baseline),
  };
  const allowlist: Allowlist | undefined = opts.allowlist
    ? parseAllowlist(readText(opts.allowlist, '--allowlist'), opts.allowlist)
    : undefined;
  let baseline: Baseline | undefined;
  if (opts.baseline && !opts.updateBaseline)
    baseline = parseBaseline(readText(opts.baseline, '--baseline'), opts.baseline);

  const format: Format = ctx.flags.json ? 'json' : (opts.format ?? (ctx.io.isTTY.out && !opts.out ? 'table' : 'json'));
  const bytes = opts.org ? 0 : totalBytes(opts.files, ctx.cwd);
  // Default 1: measured on the 2-core benchmark machine, worker threads did not beat one thread (docs/benchmarks.md).
  const jobs = opts.jobs ?? config.jobs ?? 1;

  let sources: AsyncIterable<ScanSource> | ScanSource[];
  let org: Awaited<ReturnType<OrgScanSourceModule['openOrgScanSource']>> | undefined;
  if (opts.org) {
    const mod = await loadOrgSource();
    org = await mod.openOrgScanSource(ctx, {
      object: opts.object!,
      where: opts.org.where,
      fields: opts.org.fields,
      sinceLast: opts.org.sinceLast,
    });
    sources = [{ label: org.label, object: org.object, records: org.records as AsyncIterable<ScanRecord> }];
  } else {
    sources = fileSources(opts.files, {
      skipBadRows: opts.skipBadRows,
      object: opts.object,
      stdin: ctx.io.in,
      cwd: ctx.cwd,
    });
  }

  const showProgress =
    ctx.io.isTTY.err && !ctx.flags.quiet && !ctx.flags.json && (bytes > 4 * 1024 * 1024 || !!opts.org);
  const spinner = showProgress ? ora({ stream: ctx.io.err as NodeJS.WritableStream, text: 'scanning…' }).start() : null;
  const started = Date.now();
  // Findings at or above --fail-on (counted as they are decided, so streamed output needs no list).
  let failing = 0;
  const failBar = opts.failOn ? t[opts.failOn] : 0;
  const countFailing = (f: Finding) => {
    if (opts.failOn && atLeast(f.level, opts.failOn) && f.score >= failBar) failing += 1;
  };
  // jsonl to a file streams: findings go to a temporary file as they are decided (bounded memory).
  const stream = format === 'jsonl' && opts.out ? new AtomicStream(opts.out, '--out') : null;
  let result: ScanResult;
  try {
    result = await runScan(sources, {
      thresholds: t,
      minScore: opts.minScore,
      object: opts.object,
      fields: config.fields,
      disable: config.disable,
      jobs,
      allowlist,
      baseline,
      keepRows: format === 'csv',
      onFinding: stream
        ? (f) => {
            countFailing(f);
            stream.write(`${JSON.stringify(f)}\n`);
          }
        : undefined,
      onProgress: spinner
        ? (n) => {
            const rate = Math.round(n / Math.max(0.001, (Date.now() - started) / 1000));
            spinner.text = `scanning… ${n.toLocaleString('en')} records (${rate.toLocaleString('en')}/s)`;
          }
        : undefined,
    });
  } catch (e) {
    stream?.abort();
    throw e;
  } finally {
    spinner?.stop();
  }
  for (const f of result.findings) countFailing(f);

  // Write: output (atomically for --out), baseline, evidence; then hooks; then the exit decision.
  if (stream) {
    stream.commit();
    status(ctx, `wrote ${result.summary.findings.total} findings to ${opts.out}`);
  } else if (opts.out) {
    const text = render(format, result, { color: format === 'table' && ctx.io.color && !opts.out, version: version() });
    writeFileAtomic(opts.out, text, { flag: '--out' });
    status(ctx, `wrote ${result.findings.length} findings to ${opts.out}`);
  } else if (!ctx.flags.quiet || format !== 'table') {
    ctx.io.out.write(render(format, result, { color: format === 'table' && ctx.io.color, version: version() }));
  }
  if (opts.updateBaseline) {
    writeFileAtomic(opts.baseline!, renderBaseline(result), { flag: '--baseline' });
    status(ctx, `baseline ${opts.baseline}: ${result.unfiltered.length} findings recorded`);
  }
  const incident = ctx.incident();
  if (incident) {
    const payload = scanEvidence(result, {
      kind: opts.org ? 'org' : 'files',
      object:
        opts.object ?? org?.object ?? (result.summary.inputs.length === 1 ? result.summary.inputs[0]!.object : null),
      where: opts.org?.where,
    });
    ctx.store().append({ kind: SCAN_COMPLETED, incident, actor: ctx.actor(), ts: ctx.now().toISOString(), payload });
    status(ctx, `evidence: scan.completed appended to ${incident}`);
  }
  if (org) await org.onSuccess();
  for (const hook of opts.after ?? []) await hook(ctx, result, opts);

  if (opts.failOn) {
    if (failing) {
      throw new FindingsFound(
        `${failing} finding${failing === 1 ? '' : 's'} at or above ${opts.failOn} (--fail-on ${opts.failOn})`,
      );
    }
  }
  return result;
}
