import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { Store } from '../store/evidence.js';
import type { IO } from './io.js';
import { currentIncidentId, requireIncident } from '../incident/model.js';

/** Global flags, as commander parsed them (architecture.md "Contracts"). */
export interface GlobalFlags {
  db?: string;
  json?: boolean;
  color?: boolean;
  quiet?: boolean;
  actor?: string;
  config?: string;
  incident?: string;
}

/**
 * What every command gets. Anything that touches the world is built lazily on first use (style.md, gh Factory):
 * a command that never needs the database never opens it.
 */
export interface Context {
  io: IO;
  env: Record<string, string | undefined>;
  cwd: string;
  flags: GlobalFlags;
  /** Resolved configuration (flags > env > file > defaults). Throws UsageError on an invalid file. */
  config(): Config;
  loadedConfig(): LoadedConfig;
  /** The evidence store; `create: false` for read-only commands (a missing database is an error). */
  store(opts?: { create?: boolean }): Store;
  /** The database path the store uses. */
  dbPath(): string;
  /** Who is acting: --actor > LOCKOUT_ACTOR > config actor > OS user. */
  actor(): string;
  /** The incident evidence attaches to: --incident > LOCKOUT_INCIDENT > the current open incident (or null). */
  incident(): string | null;
  /** Now. Injected so tests can fix time. */
  now(): Date;
  /** Release what was opened (database). */
  close(): void;
}

export interface ContextDeps {
  io: IO;
  env: Record<string, string | undefined>;
  cwd: string;
  now?: () => Date;
}

export function createContext(deps: ContextDeps, flags: GlobalFlags): Context {
  let loaded: LoadedConfig | undefined;
  let store: Store | undefined;
  const ctx: Context = {
    io: deps.io,
    env: deps.env,
    cwd: deps.cwd,
    flags,
    loadedConfig() {
      loaded ??= loadConfig({
        configFlag: flags.config,
        flags: { db: flags.db, actor: flags.actor },
        env: deps.env,
        cwd: deps.cwd,
      });
      return loaded;
    },
    config: () => ctx.loadedConfig().config,
    dbPath: () => path.resolve(deps.cwd, ctx.config().db),
    store(opts = {}) {
      if (store) return store;
      store = Store.open(ctx.dbPath(), { create: opts.create ?? true });
      return store;
    },
    actor() {
      const configured = ctx.config().actor;
      if (configured) return configured;
      try {
        return os.userInfo().username;
      } catch {
        return deps.env.USER ?? 'unknown';
      }
    },
    incident() {
      const named = flags.incident ?? deps.env.LOCKOUT_INCIDENT;
      if (named) return requireIncident(ctx.store({ create: false }), named).id;
      // Without a database there is no current incident, and asking must not create one.
      if (!store && !existsSync(ctx.dbPath())) return null;
      return currentIncidentId(ctx.store());
    },
    now: deps.now ?? (() => new Date()),
    close() {
      store?.close();
      store = undefined;
    },
  };
  return ctx;
}
