import { existsSync, readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { Command } from 'commander';
import type { Context } from './context.js';
import { emit, table } from './output.js';
import { IntegrityError, UsageError } from '../errors.js';
import {
  CANONICALIZATION,
  checkAgainstCheckpoint,
  formatCheckpoint,
  HASH_ALGORITHM,
  parseCheckpoint,
  signCheckpoint,
  verifyCheckpointSignature,
  type ChainBreak,
  type Checkpoint,
} from '../store/chain.js';
import { writeFileAtomic } from '../util/fs.js';

function readText(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${flag}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export interface VerifyResult {
  ok: boolean;
  origin: string;
  schemaVersion: number;
  canonicalization: string;
  hashAlgorithm: string;
  size: number;
  head: string;
  checkpoint?: { size: number; head: string; signed: boolean; signatureValid: boolean | null };
  break?: ChainBreak;
}

/** Verify the whole chain, and optionally a checkpoint taken earlier. Throws IntegrityError (exit 5) on a break. */
export function verifyAudit(ctx: Context, opts: { checkpoint?: string; publicKey?: string }): VerifyResult {
  // Read inputs before touching the database, so a bad flag never needs it.
  const cpText = opts.checkpoint ? readText(path.resolve(ctx.cwd, opts.checkpoint), '--checkpoint') : undefined;
  const keyText = opts.publicKey ? readText(path.resolve(ctx.cwd, opts.publicKey), '--public-key') : undefined;
  let checkpoint: Checkpoint | undefined;
  if (cpText !== undefined) {
    const parsed = parseCheckpoint(cpText);
    if ('error' in parsed) throw new UsageError(`--checkpoint ${opts.checkpoint}: ${parsed.error}`);
    checkpoint = parsed;
  }
  if (keyText && !checkpoint) throw new UsageError('--public-key needs --checkpoint');

  const store = ctx.store({ create: false });
  const walked = store.verify();
  const result: VerifyResult = {
    ok: walked.break === null,
    origin: store.origin(),
    schemaVersion: store.schemaVersion(),
    canonicalization: CANONICALIZATION,
    hashAlgorithm: HASH_ALGORITHM,
    size: walked.state.size,
    head: walked.state.head,
  };
  if (walked.break) result.break = walked.break;

  if (checkpoint && result.ok) {
    let signatureValid: boolean | null = null;
    if (keyText) signatureValid = verifyCheckpointSignature(checkpoint, keyText);
    result.checkpoint = {
      size: checkpoint.size,
      head: checkpoint.head,
      signed: !!checkpoint.signature,
      signatureValid,
    };
    const b =
      signatureValid === false
        ? {
            seq: 0,
            reason: 'signature' as const,
            expected: 'a valid Ed25519 signature',
            actual: checkpoint.signature ? 'signature does not verify' : 'no signature',
            message: checkpoint.signature
              ? 'the checkpoint signature does not verify with this public key'
              : 'the checkpoint is not signed',
          }
        : checkAgainstCheckpoint(checkpoint, result.origin, walked.state, (seq) => store.hashAt(seq));
    if (b) {
      result.ok = false;
      result.break = b;
    }
  }
  return result;
}

export function registerAudit(program: Command, ctxFor: (cmd: Command) => Context): void {
  const audit = program.command('audit').description('read and verify the hash-chained evidence log');

  audit
    .command('log')
    .description('print evidence entries')
    .option('--kind <kind>', 'only entries of this kind (e.g. incident.noted)')
    .action((flags: { kind?: string }, cmd: Command) => {
      const ctx = ctxFor(cmd);
      const store = ctx.store({ create: false });
      // A named incident must exist: a typo must not look like an incident with no evidence (exit 2).
      const incident = (ctx.flags.incident ?? ctx.env.LOCKOUT_INCIDENT) ? (ctx.incident() ?? undefined) : undefined;
      const entries = [...store.entries({ incident, kinds: flags.kind ? [flags.kind] : undefined })];
      emit(ctx, entries, (list) =>
        list.length
          ? table(
              ['SEQ', 'TIME', 'INCIDENT', 'ACTOR', 'KIND', 'HASH'],
              list.map((e) => [e.seq, e.ts, e.incident ?? '-', e.actor, e.kind, e.hash.slice(0, 16)]),
            )
          : 'no entries',
      );
    });

  audit
    .command('verify')
    .description('walk the whole chain; exit 5 naming the first broken entry')
    .option('--checkpoint <file>', 'also check against a checkpoint taken earlier (detects truncation and rewrite)')
    .option('--public-key <pem>', 'verify the checkpoint signature with this Ed25519 public key')
    .action((flags: { checkpoint?: string; publicKey?: string }, cmd: Command) => {
      const ctx = ctxFor(cmd);
      const result = verifyAudit(ctx, flags);
      emit(ctx, result, (r) =>
        r.ok
          ? [
              `ok: ${r.size} entries verified`,
              `origin      ${r.origin}`,
              `size        ${r.size}`,
              `head        ${r.head}`,
              ...(r.checkpoint
                ? [
                    `checkpoint  size ${r.checkpoint.size}, head matches${
                      r.checkpoint.signatureValid
                        ? ', signature valid'
                        : r.checkpoint.signed
                          ? ', signature not checked (pass --public-key)'
                          : ''
                    }`,
                  ]
                : []),
            ].join('\n')
          : '',
      );
      if (!result.ok) {
        const b = result.break!;
        throw new IntegrityError(
          b.seq > 0 ? `evidence broken at entry ${b.seq} (${b.reason}): ${b.message}` : `${b.reason}: ${b.message}`,
          { hint: `expected ${b.expected}, found ${b.actual}` },
        );
      }
    });

  audit
    .command('checkpoint')
    .description('write a checkpoint (origin, size, head), signed when a key is given')
    .option('--out <file>', 'write it to a file (default: stdout)')
    .option('--sign-key <pem>', 'Ed25519 private key (lockout audit keygen makes one)')
    .action((flags: { out?: string; signKey?: string }, cmd: Command) => {
      const ctx = ctxFor(cmd);
      const key = flags.signKey ? readText(path.resolve(ctx.cwd, flags.signKey), '--sign-key') : undefined;
      const store = ctx.store({ create: false });
      const walked = store.verify();
      if (walked.break) {
        throw new IntegrityError(
          `refusing to checkpoint a broken log: entry ${walked.break.seq}: ${walked.break.message}`,
        );
      }
      let cp: Checkpoint = { origin: store.origin(), size: walked.state.size, head: walked.state.head };
      if (key) {
        try {
          cp = signCheckpoint(cp, key);
        } catch (e) {
          throw new UsageError(`--sign-key ${flags.signKey}: ${(e as Error).message}`);
        }
      }
      const text = formatCheckpoint(cp);
      if (flags.out) {
        writeFileAtomic(path.resolve(ctx.cwd, flags.out), text, { flag: '--out' });
        emit(
          ctx,
          { ...cp, file: path.resolve(ctx.cwd, flags.out) },
          (c) => `checkpoint written to ${c.file} (size ${c.size})`,
        );
      } else if (ctx.flags.json) {
        emit(ctx, cp, () => '');
      } else {
        ctx.io.out.write(text);
      }
    });

  audit
    .command('keygen')
    .description('make an Ed25519 key pair for signing checkpoints')
    .requiredOption('--out <prefix>', 'writes <prefix>.key (private, 0600) and <prefix>.pub')
    .option('--force', 'overwrite existing files')
    .action((flags: { out: string; force?: boolean }, cmd: Command) => {
      const ctx = ctxFor(cmd);
      const base = path.resolve(ctx.cwd, flags.out);
      const priv = `${base}.key`;
      const pub = `${base}.pub`;
      if (!flags.force && (existsSync(priv) || existsSync(pub))) {
        throw new UsageError(`--out: ${existsSync(priv) ? priv : pub} exists`, { hint: 'use --force to overwrite' });
      }
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      writeFileAtomic(priv, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, {
        mode: 0o600,
        flag: '--out',
      });
      writeFileAtomic(pub, publicKey.export({ type: 'spki', format: 'pem' }) as string, { flag: '--out' });
      emit(ctx, { privateKey: priv, publicKey: pub }, (r) => `private key ${r.privateKey}\npublic key  ${r.publicKey}`);
    });
}
