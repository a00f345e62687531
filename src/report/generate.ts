import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Context } from '../cli/context.js';
import { IntegrityError, UsageError } from '../errors.js';
import { requireIncident } from '../incident/model.js';
import {
  CANONICALIZATION,
  DOMAIN,
  formatCheckpoint,
  HASH_ALGORITHM,
  sha256Hex,
  signCheckpoint,
  type Checkpoint,
} from '../store/chain.js';
import { writeFileAtomic } from '../util/fs.js';
import { iso } from '../util/time.js';
import type { AuthorityName } from './authority.js';
import { buildReportModel, type Phase, type PreviousReport, type ReportModel } from './model.js';
import { htmlSeal, renderHtml } from './render/html.js';
import { jsonSeal, renderJsonBody } from './render/json.js';
import { markdownSeal, renderMarkdown } from './render/md.js';
import { isObj, num, str } from './util.js';

export const FORMATS = ['md', 'html', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export interface ReportOptions {
  incident?: string;
  format: Format;
  phase?: Phase;
  out?: string;
  aggregateOnly: boolean;
  map?: AuthorityName;
  /** Ed25519 private key (PEM file) to sign the checkpoint printed in the report. */
  signKey?: string;
  toolVersion: string;
}

export interface ReportResult {
  incident: string;
  format: Format;
  phase: Phase;
  version: number;
  /** sha256 of the report body: every byte before the seal (printed in the seal). */
  sha256: string;
  /** sha256 of the whole file as written (what `sha256sum <file>` prints). */
  fileSha256: string;
  bytes: number;
  /** The `report.generated` entry. */
  seq: number;
  hash: string;
  out: string | null;
  supersedes: string | null;
  log: { size: number; head: string };
}

/** Render a model in a format: body, then the seal holding the body's sha256. */
export function renderReport(model: ReportModel, format: Format): { document: string; sha256: string } {
  const body = format === 'md' ? renderMarkdown(model) : format === 'html' ? renderHtml(model) : renderJsonBody(model);
  const sha256 = sha256Hex(body);
  const seal = format === 'md' ? markdownSeal(sha256) : format === 'html' ? htmlSeal(sha256) : jsonSeal(sha256);
  return { document: body + seal, sha256 };
}

function readKey(file: string): { pem: string; fingerprint: string } {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(
      `--sign-key: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 private key');
    const der = createPublicKey(key).export({ type: 'spki', format: 'der' });
    return { pem, fingerprint: sha256Hex(der) };
  } catch (e) {
    throw new UsageError(`--sign-key ${file}: ${(e as Error).message}`, { hint: 'lockout audit keygen makes one' });
  }
}

/**
 * Generate the report: verify the whole log, build the model from the incident's entries and config, render,
 * write (atomically, when --out), and append `report.generated` with the report's sha256, all inside one write
 * transaction, so the log state printed in the report is exactly the state before its own entry.
 */
export function generateReport(ctx: Context, opts: ReportOptions): { result: ReportResult; document: string } {
  const key = opts.signKey ? readKey(path.resolve(ctx.cwd, opts.signKey)) : null;
  const out = opts.out ? path.resolve(ctx.cwd, opts.out) : null;
  const controller = ctx.config().controller;
  const store = ctx.store({ create: false });
  const inc = requireIncident(store, opts.incident ?? ctx.flags.incident ?? ctx.env.LOCKOUT_INCIDENT);
  const now = iso(ctx.now());
  const actor = ctx.actor();
  let document = '';
  let result: Omit<ReportResult, 'seq' | 'hash'> | undefined;

  const entry = store.appendWith((s) => {
    const walked = s.verify();
    if (walked.break) {
      throw new IntegrityError(
        `refusing to report from a broken log: entry ${walked.break.seq}: ${walked.break.message}`,
        {
          hint: 'run lockout audit verify for details',
        },
      );
    }
    const entries = [...s.entries({ incident: inc.id })];
    const reports = entries.filter((e) => e.kind === 'report.generated' && isObj(e.payload));
    const sameFormat = reports.filter((e) => str(e.payload, 'format') === opts.format);
    const last = reports[reports.length - 1];
    // Nothing but reports since the last report: this is the same report in another format (or again), so it keeps
    // that report's phase and supersedes only its own format's predecessor.
    const sibling = !!last && entries.every((e) => e.seq <= last.seq || e.kind === 'report.generated');
    const prev = sameFormat[sameFormat.length - 1] ?? (sibling ? undefined : last);
    const previous: PreviousReport | null = prev
      ? {
          seq: prev.seq,
          ts: prev.ts,
          sha256: str(prev.payload, 'sha256') ?? '',
          phase: str(prev.payload, 'phase'),
          format: str(prev.payload, 'format'),
          version: num(prev.payload, 'version'),
        }
      : null;
    const lastPhase = last ? (str(last.payload, 'phase') as Phase | null) : null;
    const phase: Phase = opts.phase ?? (!last ? 'initial' : sibling && lastPhase ? lastPhase : 'follow-up');
    let cp: Checkpoint = { origin: s.origin(), size: walked.state.size, head: walked.state.head };
    if (key) cp = signCheckpoint(cp, key.pem);
    const model = buildReportModel({
      incidentId: inc.id,
      entries,
      controller,
      phase,
      format: opts.format,
      aggregateOnly: opts.aggregateOnly,
      map: opts.map ?? null,
      now,
      toolVersion: opts.toolVersion,
      integrity: {
        dbPath: s.path ? path.resolve(s.path) : ctx.dbPath(),
        origin: cp.origin,
        schemaVersion: s.schemaVersion(),
        canonicalization: CANONICALIZATION,
        hashAlgorithm: HASH_ALGORITHM,
        domain: DOMAIN,
        size: cp.size,
        head: cp.head,
        checkpoint: formatCheckpoint(cp),
        signed: !!cp.signature,
        keyFingerprint: key?.fingerprint ?? null,
      },
      previous,
      version: sameFormat.length + 1,
    });
    const rendered = renderReport(model, opts.format);
    document = rendered.document;
    // Written before the entry is committed: a failed write aborts the append, so the log never names a report
    // that does not exist.
    if (out) writeFileAtomic(out, document, { flag: '--out' });
    result = {
      incident: inc.id,
      format: opts.format,
      phase,
      version: model.reportType.version,
      sha256: rendered.sha256,
      fileSha256: sha256Hex(document),
      bytes: Buffer.byteLength(document),
      out,
      supersedes: previous?.sha256 ?? null,
      log: { size: cp.size, head: cp.head },
    };
    return {
      kind: 'report.generated',
      incident: inc.id,
      actor,
      ts: now,
      payload: {
        sha256: result.sha256,
        fileSha256: result.fileSha256,
        bytes: result.bytes,
        format: opts.format,
        phase,
        version: result.version,
        supersedes: previous ? { sha256: previous.sha256, seq: previous.seq } : null,
        logSize: cp.size,
        logHead: cp.head,
        checkpointSigned: !!cp.signature,
        aggregateOnly: opts.aggregateOnly,
        map: opts.map ?? null,
        out,
        gaps: model.gaps.length,
      },
    };
  });
  return { result: { ...result!, seq: entry.seq, hash: entry.hash }, document };
}
