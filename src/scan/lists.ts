import type { Allowlist, Baseline, ScanResult } from './engine.js';
import type { Level } from './types.js';
import { UsageError } from '../errors.js';
import { RULES_VERSION } from './registry.js';

/**
 * Parse an allowlist: one entry per line, `#` comments. A record Id (15 or 18 characters) accepts the record;
 * `Field=value` (or `Field: value`) accepts that value of that field wherever it appears. Pure; `file` names errors.
 */
export function parseAllowlist(text: string, file: string): Allowlist {
  const ids = new Set<string>();
  const values = new Map<string, Set<string>>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (!line || line.startsWith('#')) return;
    const m = /^([A-Za-z_][A-Za-z0-9_.]*)\s*[=:]\s*(.+)$/.exec(line);
    if (m) {
      const field = m[1]!.toLowerCase();
      const set = values.get(field) ?? new Set<string>();
      set.add(m[2]!.trim().toLowerCase());
      values.set(field, set);
    } else if (/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(line) || /^[^\s]+:\d+$/.test(line)) {
      ids.add(line);
      if (line.length === 15) ids.add(toId18(line));
    } else {
      throw new UsageError(`${file}:${i + 1}: "${line}" is neither a record Id nor Field=value`);
    }
  });
  return { ids, values };
}

/** The 18-character form of a 15-character Salesforce Id (case-safe suffix). */
export function toId18(id: string): string {
  if (id.length !== 15) return id;
  let suffix = '';
  for (let c = 0; c < 3; c++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) if (/[A-Z]/.test(id[c * 5 + i]!)) flags |= 1 << i;
    suffix += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'[flags];
  }
  return id + suffix;
}

interface BaselineFile {
  lockoutBaseline: 1;
  rulesVersion: string;
  findings: { id: string; level: Level }[];
}

/** Parse a baseline file written by `--update-baseline`. */
export function parseBaseline(text: string, file: string): Baseline {
  let data: BaselineFile;
  try {
    data = JSON.parse(text) as BaselineFile;
  } catch (e) {
    throw new UsageError(`${file}:1: not a lockout baseline (invalid JSON: ${(e as Error).message})`);
  }
  if (!data || data.lockoutBaseline !== 1 || !Array.isArray(data.findings)) {
    throw new UsageError(`${file}:1: not a lockout baseline (expected {"lockoutBaseline": 1, "findings": [...]})`);
  }
  return new Map(data.findings.map((f) => [f.id, f.level]));
}

/** The baseline file for this result: every finding before baseline filtering, sorted by id. */
export function renderBaseline(result: ScanResult): string {
  const body: BaselineFile = {
    lockoutBaseline: 1,
    rulesVersion: RULES_VERSION,
    findings: [...result.unfiltered].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
  return `${JSON.stringify(body, null, 1)}\n`;
}
