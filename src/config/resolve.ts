import type { Document, LineCounter } from 'yaml';
import { configSchema, settings, type Config } from './schema.js';

export type Origin = 'flag' | 'env' | 'file' | 'default';

/** Everything resolution looks at. Pure input: load.ts reads the file and the environment. */
export interface Sources {
  /** Global flags by config path (e.g. `{ db: 'x.db' }`), already parsed by commander. */
  flags: Record<string, unknown>;
  env: Record<string, string | undefined>;
  file: { path: string; data: unknown; doc?: Document; lines?: LineCounter } | null;
}

export interface ConfigProblem {
  /** Dotted key path, e.g. `scan.thresholds.high`. */
  path: string;
  message: string;
  /** Where the bad value came from: `lockout.config.yaml:12`, `env LOCKOUT_DB`, `--db`. */
  where: string;
}

export type Resolved =
  { ok: true; config: Config; origins: Record<string, Origin> } | { ok: false; problems: ConfigProblem[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

function hasPath(target: unknown, path: string): boolean {
  let node = target;
  for (const key of path.split('.')) {
    if (!isObject(node) || !(key in node)) return false;
    node = node[key];
  }
  return true;
}

/** Leaf paths of a resolved config (arrays and records count as leaves). */
function leaves(value: unknown, prefix = ''): string[] {
  if (!isObject(value) || Object.keys(value).length === 0) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

/**
 * Resolve the configuration. Precedence: flag > env > config file > default.
 * Returns problems as values, each naming the key path and where the bad value came from.
 */
export function resolveConfig(sources: Sources): Resolved {
  const merged: Record<string, unknown> = isObject(sources.file?.data) ? structuredClone(sources.file.data) : {};
  const overridden = new Map<string, { origin: Origin; where: string }>();
  const problems: ConfigProblem[] = [];

  if (sources.file && sources.file.data != null && !isObject(sources.file.data)) {
    problems.push({ path: '(root)', message: 'the file must be a mapping of keys', where: `${sources.file.path}:1` });
  }

  for (const s of settings) {
    if (!s.path) continue;
    const candidates: [Origin, string, unknown][] = [
      ['env', `env ${s.env}`, s.env ? sources.env[s.env] : undefined],
      ['flag', s.flag ?? '', sources.flags[s.path]],
    ];
    for (const [origin, where, raw] of candidates) {
      if (raw === undefined || raw === '') continue;
      let value = raw;
      if (s.number) {
        value = Number(raw);
        if (!Number.isFinite(value)) {
          problems.push({ path: s.path, message: `expected a number, got "${String(raw)}"`, where });
          continue;
        }
      }
      setPath(merged, s.path, value);
      overridden.set(s.path, { origin, where });
    }
  }
  if (problems.length) return { ok: false, problems };

  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const path = issue.path.map(String).join('.') || '(root)';
        const keyPath =
          issue.code === 'unrecognized_keys' ? [path, issue.keys[0]].filter((p) => p !== '(root)').join('.') : path;
        const over = [...overridden.entries()].find(([p]) => keyPath === p || keyPath.startsWith(`${p}.`));
        const nodePath = issue.path as (string | number)[];
        const where = over
          ? over[1].where
          : fileLocation(sources, issue.code === 'unrecognized_keys' ? [...nodePath, issue.keys[0]!] : nodePath);
        const message = issue.code === 'unrecognized_keys' ? `unknown key "${issue.keys.join('", "')}"` : issue.message;
        return { path: keyPath, message, where };
      }),
    };
  }

  const origins: Record<string, Origin> = {};
  for (const leaf of leaves(parsed.data)) {
    const over = [...overridden.entries()].find(([p]) => leaf === p || leaf.startsWith(`${p}.`));
    origins[leaf] = over ? over[1].origin : hasPath(sources.file?.data, leaf) ? 'file' : 'default';
  }
  return { ok: true, config: parsed.data, origins };
}

function fileLocation(sources: Sources, path: (string | number)[]): string {
  const file = sources.file;
  if (!file) return 'defaults';
  if (!file.doc || !file.lines) return file.path;
  // Walk up until a node exists: a missing key is reported at its parent.
  for (let n = path.length; n >= 0; n--) {
    const node = file.doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return `${file.path}:${file.lines.linePos(node.range[0]).line}`;
  }
  return file.path;
}
