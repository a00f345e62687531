import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { UsageError } from '../errors.js';
import { resolveConfig, type Origin, type Sources } from './resolve.js';
import type { Config } from './schema.js';

export const DEFAULT_CONFIG_FILE = 'lockout.config.yaml';

export interface LoadedConfig {
  config: Config;
  origins: Record<string, Origin>;
  /** The file that was read, or null when only defaults/env/flags apply. */
  file: string | null;
}

/** Which config file to read: --config > LOCKOUT_CONFIG > ./lockout.config.yaml (if present). */
export function configFilePath(flag: string | undefined, env: Record<string, string | undefined>, cwd: string) {
  const named = flag ?? env.LOCKOUT_CONFIG;
  if (named) return { path: path.resolve(cwd, named), explicit: true };
  return { path: path.join(cwd, DEFAULT_CONFIG_FILE), explicit: false };
}

/** Read the config file and the environment, then resolve. Throws UsageError naming the file, line and key. */
export function loadConfig(opts: {
  configFlag?: string;
  flags: Record<string, unknown>;
  env: Record<string, string | undefined>;
  cwd: string;
}): LoadedConfig {
  const { path: file, explicit } = configFilePath(opts.configFlag, opts.env, opts.cwd);
  let fileSource: Sources['file'] = null;
  if (existsSync(file)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read config file ${file}: ${(e as Error).message}`);
    }
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length) {
      const err = doc.errors[0]!;
      const line = lines.linePos(err.pos[0]).line;
      throw new UsageError(`invalid config ${file}:${line}: ${err.message.split('\n')[0]}`);
    }
    fileSource = { path: file, data: doc.toJS() ?? {}, doc, lines };
  } else if (explicit) {
    throw new UsageError(`config file not found: ${file}`, { hint: 'check --config or LOCKOUT_CONFIG' });
  }

  const result = resolveConfig({ flags: opts.flags, env: opts.env, file: fileSource });
  if (!result.ok) {
    const [first, ...rest] = result.problems;
    const more = rest.length ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
    throw new UsageError(`invalid config ${first!.where}: ${first!.path}: ${first!.message}${more}`, {
      hint: rest.map((p) => `${p.where}: ${p.path}: ${p.message}`).join('\n') || undefined,
    });
  }
  return { config: result.config, origins: result.origins, file: fileSource?.path ?? null };
}
