import { UsageError } from '../errors.js';
import type { Config } from '../config/schema.js';

/** What a rollback covers: objects, integration usernames, a time window and/or records flagged by the scanner. */
export interface RollbackScope {
  objects: string[];
  usernames: string[];
  since: string | null;
  until: string | null;
  integration: string | null;
  /** From `--from-scan`: record ids per object. */
  flagged: Record<string, string[]>;
  fromScan: string | null;
}

export interface ScopeFlags {
  object?: string[];
  user?: string[];
  since?: Date;
  until?: Date;
  integration?: string;
  fromScan?: { file: string; text: string };
}

const LEVELS = ['low', 'medium', 'high'];

/**
 * Parse scanner findings (JSONL: `{"id","object","file","line","score","level","reasons"}` per line). Pure; errors
 * name the file and line. `minLevel` keeps findings at or above that level.
 */
export function parseFindings(text: string, file: string, minLevel?: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const min = minLevel ? LEVELS.indexOf(minLevel) : 0;
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let f: { id?: unknown; object?: unknown; level?: unknown };
    try {
      f = JSON.parse(line) as typeof f;
    } catch {
      throw new UsageError(`--from-scan ${file}:${i + 1}: not valid JSON`);
    }
    if (
      typeof f !== 'object' ||
      f === null ||
      typeof f.id !== 'string' ||
      !/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(f.id)
    ) {
      throw new UsageError(`--from-scan ${file}:${i + 1}: a finding needs a Salesforce record "id"`);
    }
    if (typeof f.object !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(f.object)) {
      throw new UsageError(`--from-scan ${file}:${i + 1}: a finding needs an "object" (sObject type)`);
    }
    if (typeof f.level === 'string' && LEVELS.indexOf(f.level) < min) return;
    (out[f.object] ??= []).push(f.id);
  });
  for (const k of Object.keys(out)) out[k] = [...new Set(out[k])];
  return out;
}

/** Combine the scope flags with config `integrations` (pure). Errors name the flag. */
export function resolveScope(flags: ScopeFlags, config: Config, findings: Record<string, string[]>): RollbackScope {
  const objects = new Set(
    (flags.object ?? [])
      .flatMap((o) => o.split(','))
      .map((o) => o.trim())
      .filter(Boolean),
  );
  const usernames = new Set(
    (flags.user ?? [])
      .flatMap((u) => u.split(','))
      .map((u) => u.trim())
      .filter(Boolean),
  );
  for (const o of objects) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(o)) throw new UsageError(`--object: "${o}" is not an sObject API name`);
  }
  if (flags.integration) {
    const integ = config.integrations.find((i) => i.name === flags.integration);
    if (!integ) {
      const known = config.integrations.map((i) => i.name).join(', ');
      throw new UsageError(`--integration: no integration "${flags.integration}" in the config`, {
        hint: known ? `configured: ${known}` : 'add it under integrations: in lockout.config.yaml',
      });
    }
    integ.users.forEach((u) => usernames.add(u));
    integ.objects.forEach((o) => objects.add(o));
    if (!integ.users.length) throw new UsageError(`--integration ${integ.name}: the config lists no users for it`);
  }
  for (const o of Object.keys(findings)) objects.add(o);
  if (usernames.size && !flags.since) throw new UsageError('--since is required with --user or --integration');
  if (flags.since && flags.until && flags.until.getTime() < flags.since.getTime()) {
    throw new UsageError('--until is before --since');
  }
  if (!usernames.size && !Object.keys(findings).length) {
    throw new UsageError('nothing in scope: give --user/--integration with --since, or --from-scan', {
      hint: 'e.g. lockout rollback --object Contact --user sync@partner.example --since 2026-11-01T00:00:00Z',
    });
  }
  if (usernames.size && !objects.size)
    throw new UsageError('--object is required (or objects: in the integration config)');
  return {
    objects: [...objects],
    usernames: [...usernames],
    since: flags.since ? flags.since.toISOString() : null,
    until: flags.until ? flags.until.toISOString() : null,
    integration: flags.integration ?? null,
    flagged: findings,
    fromScan: flags.fromScan?.file ?? null,
  };
}
