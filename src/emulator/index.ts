// The Salesforce API emulator: startEmulator() builds the org state (seed or --state file), mounts the
// endpoint modules on one router and serves them over HTTP on 127.0.0.1 (docs/emulator.md).
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileAtomic } from '../util/fs.js';
import { registerAdmin } from './admin.js';
import { registerAuth } from './auth.js';
import { registerBulk2 } from './bulk2.js';
import { registerMetadata } from './metadata.js';
import { parseFaultSpec } from './faults.js';
import { registerComposite } from './composite.js';
import { registerRest } from './rest.js';
import { Router } from './router.js';
import { emptySeed, loadSeed, readSeedFile, SeedError, type LoadedSeed, type Seed } from './seed.js';
import { demoSeed } from './seeds/demo.js';
import { OrgState, type SerializedState } from './state.js';
import { registerTooling } from './tooling.js';

export { OrgState } from './state.js';
export { runSoql } from './soql.js';
export { Router } from './router.js';
export { SeedError } from './seed.js';

export interface EmulatorStartOptions {
  /** Port on 127.0.0.1; 0 (default) lets the OS choose. */
  port?: number;
  /** 'empty' (default), 'demo', a path to a seed JSON file, or a seed object. */
  seed?: 'demo' | 'empty' | string | Seed;
  /** Persist the state to this file; when it exists at start, it is loaded instead of the seed. */
  statePath?: string;
  /** Fault spec (faults.ts). */
  faults?: string;
  /** Bulk 2.0 query result page size when the client sends no maxRecords (default 10000). */
  bulkPageSize?: number;
  /** REST query page size (default 2000). */
  queryBatchSize?: number;
  /** Most rows per REST query page whatever batchSize asks (default 2000; see EmulatorOptions.queryPageCap). */
  queryPageCap?: number;
  /** IANA time zone for SOQL date literals (default UTC). */
  timeZone?: string;
}

export interface Emulator {
  instanceUrl: string;
  loginUrl: string;
  /** The seed admin user's access token. */
  accessToken: string;
  port: number;
  state: OrgState;
  router: Router;
  close(): Promise<void>;
}

/** Thrown for bad options (unreadable seed, invalid state file, bad fault spec); the message names the input. */
export class EmulatorInputError extends Error {}

function resolveSeed(seed: EmulatorStartOptions['seed']): { seed: Seed; where: string } {
  if (seed === undefined || seed === 'empty') return { seed: emptySeed(), where: 'seed empty' };
  if (seed === 'demo') return { seed: demoSeed({ now: new Date() }) as unknown as Seed, where: 'seed demo' };
  if (typeof seed === 'string') return { seed: readSeedFile(seed), where: `seed ${seed}` };
  return { seed, where: 'seed' };
}

/** Start an emulator. Resolves once it is listening. */
export async function startEmulator(opts: EmulatorStartOptions = {}): Promise<Emulator> {
  let state: OrgState;
  let loaded: LoadedSeed | undefined;
  let adminToken: string;
  try {
    if (opts.statePath && existsSync(opts.statePath)) {
      let s: SerializedState;
      try {
        s = JSON.parse(readFileSync(opts.statePath, 'utf8')) as SerializedState;
      } catch (e) {
        throw new EmulatorInputError(`state ${opts.statePath}: cannot read: ${(e as Error).message}`);
      }
      if (s?.version !== 1) throw new EmulatorInputError(`state ${opts.statePath}: not an emulator state file`);
      state = OrgState.fromJSON(s);
      adminToken = String(state.ext.adminToken ?? '');
    } else {
      const { seed, where } = resolveSeed(opts.seed);
      loaded = loadSeed(seed, where);
      state = loaded.state;
      adminToken = loaded.adminToken;
      state.ext.adminToken = adminToken;
    }
  } catch (e) {
    if (e instanceof SeedError) throw new EmulatorInputError(e.message);
    throw e;
  }
  if (opts.bulkPageSize !== undefined) state.options.bulkPageSize = opts.bulkPageSize;
  if (opts.queryBatchSize !== undefined) state.options.queryBatchSize = opts.queryBatchSize;
  if (opts.queryPageCap !== undefined) state.options.queryPageCap = opts.queryPageCap;
  if (opts.timeZone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: opts.timeZone });
    } catch {
      throw new EmulatorInputError(`--time-zone ${opts.timeZone}: not an IANA time zone`);
    }
    state.options.timeZone = opts.timeZone;
  }
  if (opts.faults) {
    try {
      state.faults.add(parseFaultSpec(opts.faults));
    } catch (e) {
      throw new EmulatorInputError(`--faults: ${(e as Error).message}`);
    }
  }

  const router = new Router(state);
  registerRest(router, state);
  registerComposite(router);
  registerAuth(router, state);
  try {
    registerTooling(router, state, loaded);
    registerBulk2(router, loaded);
    registerMetadata(router, state, loaded);
  } catch (e) {
    throw new EmulatorInputError((e as Error).message);
  }
  // A string, so later writes cannot reach into the snapshot the admin reset restores.
  const initial = JSON.stringify(state.toJSON());
  registerAdmin(router, state, () => JSON.parse(initial) as SerializedState);

  const server = createServer((req, res) => {
    router.handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const instanceUrl = `http://127.0.0.1:${port}`;
  state.options.instanceUrl = instanceUrl;

  // Persistence: write the whole state (atomically) shortly after changes, and on close.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    timer = undefined;
    if (opts.statePath) writeFileAtomic(opts.statePath, JSON.stringify(state.toJSON()), { flag: '--state' });
  };
  if (opts.statePath) {
    try {
      save();
    } catch (e) {
      // Nothing may keep listening (and keep the process alive) when the emulator could not start.
      server.close();
      throw e;
    }
    state.onChange(() => {
      timer ??= setTimeout(save, 200);
    });
  }

  return {
    instanceUrl,
    loginUrl: instanceUrl,
    accessToken: adminToken,
    port,
    state,
    router,
    async close() {
      if (timer) {
        clearTimeout(timer);
        save();
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
