import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { parsePlaybook, type ParseOptions, type ParseResult } from './parse.js';

/** The playbooks shipped with lockout (the package's `playbooks/`; same place from src/ and dist/). */
export const SHIPPED_DIR = fileURLToPath(new URL('../../playbooks/', import.meta.url));

export interface PlaybookFile {
  name: string;
  file: string;
  origin: 'shipped' | 'team' | 'file';
  /** A team playbook with the same name as a shipped one replaces it. */
  overrides?: boolean;
}

const isYaml = (f: string) => /\.ya?ml$/i.test(f);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter(isYaml)
    .sort()
    .map((f) => path.join(dir, f));
}

/** Shipped playbooks plus the team's (`playbooks.dir`); a team file replaces a shipped one of the same name. */
export function listPlaybookFiles(teamDir: string | null, shippedDir = SHIPPED_DIR): PlaybookFile[] {
  const byName = new Map<string, PlaybookFile>();
  if (existsSync(shippedDir)) {
    for (const file of yamlFiles(shippedDir)) {
      byName.set(baseName(file), { name: baseName(file), file, origin: 'shipped' });
    }
  }
  if (teamDir) {
    if (!existsSync(teamDir) || !statSync(teamDir).isDirectory()) {
      throw new UsageError(`playbooks.dir: ${teamDir} is not a directory`, {
        hint: 'set playbooks.dir in lockout.config.yaml to the folder holding your team playbooks',
      });
    }
    for (const file of yamlFiles(teamDir)) {
      const name = baseName(file);
      byName.set(name, { name, file, origin: 'team', ...(byName.has(name) ? { overrides: true } : {}) });
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export const baseName = (file: string): string => path.basename(file).replace(/\.ya?ml$/i, '');

export interface LoadedPlaybook {
  file: string;
  text: string;
  sha256: string;
  result: ParseResult;
}

/** Read and parse one playbook file; an unreadable file is a UsageError naming it. */
export function loadPlaybookFile(file: string, opts: ParseOptions = {}): LoadedPlaybook {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read playbook ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return {
    file,
    text,
    sha256: createHash('sha256').update(text).digest('hex'),
    result: parsePlaybook(text, { basename: baseName(file), ...opts }),
  };
}

/** Resolve `run`/`show`'s argument: a playbook name, or a path to a YAML file. */
export function findPlaybook(nameOrFile: string, files: PlaybookFile[], cwd: string): PlaybookFile {
  if (isYaml(nameOrFile) || nameOrFile.includes('/')) {
    const file = path.resolve(cwd, nameOrFile);
    if (!existsSync(file)) throw new UsageError(`no playbook file ${file}`);
    return { name: baseName(file), file, origin: 'file' };
  }
  const found = files.find((f) => f.name === nameOrFile);
  if (!found) {
    throw new UsageError(`no playbook named "${nameOrFile}"`, {
      hint: `known: ${files.map((f) => f.name).join(', ') || 'none'} (lockout playbook list)`,
    });
  }
  return found;
}
