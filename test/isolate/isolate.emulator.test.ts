import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { DEMO, DEMO_CONFIG, demoSeed } from '../../src/emulator/seeds/demo.js';
import { makeId } from '../../src/emulator/ids.js';
import type { Seed } from '../../src/emulator/seed.js';
import { Store } from '../../src/store/evidence.js';
import { runCli, tempDir } from '../helpers/cli.js';

/**
 * `lockout isolate` end to end: the real CLI (in-process), jsforce over HTTP, the emulator with the demo seed.
 * Each test starts from a fresh org so the order of tests does not matter.
 */

const PS = DEMO.integrations[0]!; // partner-sync, the offending integration
const ERP = DEMO.integrations[1]!;

interface Ctx {
  emu: Emulator;
  dir: string;
  env: Record<string, string>;
}

async function setup(config: object = DEMO_CONFIG): Promise<Ctx> {
  // The demo org at a tenth of its customer base: the integrations are the same, start-up is faster.
  const emu = await startEmulator({ port: 0, seed: demoSeed({ now: new Date(), scale: 0.1 }) as unknown as Seed });
  const dir = tempDir('lockout-isolate-');
  writeFileSync(path.join(dir, 'lockout.config.yaml'), stringify(config));
  return { emu, dir, env: { SF_INSTANCE_URL: emu.instanceUrl, SF_ACCESS_TOKEN: emu.accessToken } };
}

const run = (c: Ctx, argv: string[], opts: { tty?: boolean; stdin?: string } = {}) =>
  runCli(argv, { cwd: c.dir, env: c.env, ...opts });

const userId = (c: Ctx, username: string) => String(c.emu.state.userByUsername(username)!.Id);
const frozen = (c: Ctx, username: string) => c.emu.state.isFrozen(userId(c, username));
const grants = (c: Ctx, username: string) =>
  c.emu.state.records('OauthToken').filter((t) => t.UserId === userId(c, username));
const site = (c: Ctx, name: string) => c.emu.state.records('RemoteProxy').find((r) => r.SiteName === name)!;
const flowDef = (c: Ctx, name: string) => c.emu.state.records('FlowDefinition').find((r) => r.DeveloperName === name)!;
const jobsOf = (c: Ctx, username: string) =>
  Object.values(
    (c.emu.state.ext.bulk2 as { jobs: Record<string, { createdById: string; state: string; jobType: string }> }).jobs,
  ).filter((j) => j.createdById === userId(c, username));

/** What undo must restore, without the audit stamps a write changes. */
function snapshot(c: Ctx) {
  const strip = (r: Record<string, unknown>) => {
    const { LastModifiedDate: _a, LastModifiedById: _b, SystemModstamp: _c, ...rest } = r;
    return rest;
  };
  return {
    userLogins: c.emu.state.records('UserLogin').map(strip),
    remoteProxies: c.emu.state.records('RemoteProxy').map(strip),
    flowDefinitions: c.emu.state.records('FlowDefinition').map(strip),
    flowViews: c.emu.state.records('FlowDefinitionView').map(strip),
    namedCredentials: c.emu.state.records('NamedCredential').map(strip),
    // Over SOAP every value is text: compare what the Metadata API would return ("false", not false).
    metadata: JSON.parse(
      JSON.stringify(c.emu.state.ext.metadata ?? null, (_k, v: unknown) => (typeof v === 'boolean' ? String(v) : v)),
    ) as unknown,
  };
}

async function apiStatus(c: Ctx, token: string): Promise<number> {
  const res = await fetch(`${c.emu.instanceUrl}/services/data/v62.0/query?q=SELECT+Id+FROM+Account+LIMIT+1`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return res.status;
}

const accessTokenOf = (c: Ctx, username: string) =>
  [...c.emu.state.tokens.values()].find((t) => t.userId === userId(c, username) && t.kind === 'access' && !t.revoked)!
    .token;

describe('lockout isolate against the emulator (demo seed)', () => {
  let c: Ctx;
  beforeEach(async () => {
    c = await setup();
  });
  afterEach(async () => {
    await c.emu.close();
  });

  it('--dry-run shows the plan and changes nothing', async () => {
    const before = snapshot(c);
    const r = await run(c, ['isolate', '--integration', 'partner-sync', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Isolation plan for partner-sync: 8 changes, 4 cannot be undone \(1 user, 1 app\)/);
    expect(r.stdout).toMatch(/abort Bulk job +\w+ upsert Contact +InProgress +NO/);
    expect(r.stdout).toMatch(/Apex trigger PartnerSyncContactTrigger on Contact/);
    expect(r.stdout).toMatch(/dry run: nothing was changed/);
    expect(snapshot(c)).toEqual(before);
    expect(grants(c, PS.username)).toHaveLength(1);
  });

  it('without --yes and without a terminal it refuses (exit 4) and changes nothing', async () => {
    const r = await run(c, ['isolate', '--integration', 'partner-sync']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/no terminal to confirm on and no --yes/);
    expect(frozen(c, PS.username)).toBe(false);
  });

  it('on a terminal, declining refuses (exit 4); "yes" applies', async () => {
    const no = await run(c, ['isolate', '--integration', 'partner-sync'], { tty: true, stdin: 'no\n' });
    expect(no.code).toBe(4);
    expect(no.stderr).toMatch(/Isolation plan for partner-sync/);
    expect(no.stderr).toMatch(/declined/);
    expect(frozen(c, PS.username)).toBe(false);
    const yes = await run(c, ['isolate', '--integration', 'partner-sync'], { tty: true, stdin: 'yes\n' });
    expect(yes.code).toBe(0);
    expect(frozen(c, PS.username)).toBe(true);
  });

  it('isolates partner-sync: user locked out, tokens revoked, site/credential/flow off, jobs aborted; others untouched', async () => {
    const psToken = accessTokenOf(c, PS.username);
    const erpToken = accessTokenOf(c, ERP.username);
    expect(await apiStatus(c, psToken)).toBe(200);
    const breakGlass = c.emu.state.issueSession(userId(c, DEMO.breakGlass.username)).accessToken;
    const erpBefore = { frozen: frozen(c, ERP.username), grants: grants(c, ERP.username).length };
    const openJobs = jobsOf(c, PS.username).filter((j) => ['Open', 'UploadComplete', 'InProgress'].includes(j.state));
    expect(openJobs.length).toBeGreaterThan(0);
    const deleteToken = String(grants(c, PS.username)[0]!.DeleteToken);
    const requestsBefore = c.emu.router.log.length;
    const usageBefore = c.emu.state.apiUsage().used;

    const r = await run(c, ['--json', 'isolate', '--integration', 'partner-sync', '--yes']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as {
      isolationId: string;
      summary: { done: number; failed: number };
      apiCalls: { discovery: number; apply: number; revokes: number; byAction: Record<string, number> };
    };
    expect(result.isolationId).toMatch(/^ISO-\d{4}-0001$/);
    expect(result.summary).toMatchObject({ done: 8, failed: 0 });
    // Calls: what the client counted is what the emulator saw; changing takes few calls.
    const { discovery, apply, revokes } = result.apiCalls;
    expect(c.emu.router.log.length - requestsBefore).toBe(discovery + apply + revokes);
    expect(c.emu.state.apiUsage().used - usageBefore).toBe(discovery + apply);
    expect([apply, revokes]).toEqual([7, 1]);
    expect(result.apiCalls.byAction).toEqual({
      'freeze-user': 1,
      'revoke-token': 1,
      'end-sessions': 1,
      'abort-bulk-job': 2,
      'deactivate-remote-site': 1,
      'disable-named-credential': 1,
      'deactivate-flow': 1,
    });

    // The integration user cannot call the API any more, and its OAuth grant is gone.
    expect(await apiStatus(c, psToken)).toBe(401);
    expect(frozen(c, PS.username)).toBe(true);
    expect(grants(c, PS.username)).toHaveLength(0);
    expect(c.emu.state.records('AuthSession').filter((s) => s.UsersId === userId(c, PS.username))).toHaveLength(0);
    // Its surfaces are off.
    expect(site(c, PS.remoteSite).IsActive).toBe(false);
    expect(site(c, PS.remoteSite).EndpointUrl).toBe(PS.remoteSiteUrl);
    expect(flowDef(c, PS.flow).ActiveVersionId).toBeNull();
    expect(JSON.stringify(c.emu.state.ext.metadata)).toMatch(/"calloutStatus":"Disabled"/);
    for (const j of jobsOf(c, PS.username)) expect(['Open', 'UploadComplete', 'InProgress']).not.toContain(j.state);
    expect(jobsOf(c, PS.username).filter((j) => j.state === 'Aborted').length).toBe(openJobs.length);
    // Everyone else is untouched, and the break-glass admin still works.
    expect({ frozen: frozen(c, ERP.username), grants: grants(c, ERP.username).length }).toEqual(erpBefore);
    expect(await apiStatus(c, erpToken)).toBe(200);
    expect(site(c, ERP.remoteSite).IsActive).toBe(true);
    expect(flowDef(c, ERP.flow).ActiveVersionId).not.toBeNull();
    expect(await apiStatus(c, breakGlass)).toBe(200);

    // Evidence: the pre-state is recorded before the first action, then each result, then the summary.
    const store = Store.open(path.join(c.dir, '.lockout/lockout.db'), { create: false });
    const entries = [...store.entries()];
    const kinds = entries.map((e) => e.kind);
    store.close();
    // No secret reaches the evidence: neither the DeleteToken nor any access token.
    const logged = JSON.stringify(entries);
    expect(logged).not.toContain(deleteToken);
    expect(logged).not.toContain(psToken);
    expect(logged).not.toContain(c.emu.accessToken);
    expect(kinds[0]).toBe('isolate.planned');
    expect(kinds.filter((k) => k === 'isolate.action')).toHaveLength(8);
    expect(kinds.at(-1)).toBe('isolate.applied');
    expect((await run(c, ['audit', 'verify'])).code).toBe(0);
  });

  it('attaches its evidence to the current incident', async () => {
    expect((await run(c, ['incident', 'open', '--title', 'partner-sync fake contacts'])).code).toBe(0);
    expect((await run(c, ['isolate', '--integration', 'partner-sync', '--yes'])).code).toBe(0);
    const list = await run(c, ['isolate', 'list']);
    expect(list.stdout).toMatch(/ISO-\d{4}-0001 +applied +INC-\d{4}-0001 /);
    const store = Store.open(path.join(c.dir, '.lockout/lockout.db'), { create: false });
    const iso = [...store.entries()].filter((e) => e.kind.startsWith('isolate.'));
    store.close();
    expect(new Set(iso.map((e) => e.incident))).toEqual(new Set([expect.stringMatching(/^INC-\d{4}-0001$/)]));
  });

  it('applying the same plan twice changes and records nothing the second time', async () => {
    expect((await run(c, ['isolate', '--integration', 'partner-sync', '--yes'])).code).toBe(0);
    const requests = c.emu.router.log.length;
    const again = await run(c, ['--json', 'isolate', '--integration', 'partner-sync', '--yes']);
    expect(again.code).toBe(0);
    const result = JSON.parse(again.stdout) as { isolationId: string | null; plan: { counts: { changes: number } } };
    expect(result.isolationId).toBeNull();
    expect(result.plan.counts.changes).toBe(0);
    // Only reads were sent.
    const writes = c.emu.router.log.slice(requests).filter((e) => e.method !== 'GET' && !e.path.includes('/Soap/m/'));
    expect(writes).toEqual([]);
    const list = await run(c, ['--json', 'isolate', 'list']);
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(1);
  });

  it('undo returns every changed target to its exact pre-state and reports revoked tokens', async () => {
    const before = snapshot(c);
    const applied = await run(c, ['--json', 'isolate', '--integration', 'partner-sync', '--yes']);
    const id = (JSON.parse(applied.stdout) as { isolationId: string }).isolationId;
    expect(snapshot(c)).not.toEqual(before);

    const dry = await run(c, ['isolate', '--undo', id, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(new RegExp(`^Undo plan for ${id}: 4 changes`));
    expect(dry.stdout).toMatch(
      /token of partnersync.integration@alderridgesupply.com for Partner Sync was revoked: re-authorise/,
    );

    const undo = await run(c, ['isolate', '--undo', id, '--yes']);
    expect(undo.stderr).toMatch(/^ISO-\d{4}-0001: undoing 4 changes\n {2}reactivate flow: 1 done\n/);
    expect(undo.code).toBe(0);
    expect(undo.stdout).toMatch(/undo complete: 4 done/);
    expect(undo.stdout).toMatch(
      /Re-authorise \(revoked tokens cannot be restored\):\n {2}- partnersync.integration@alderridgesupply.com: Partner Sync/,
    );
    expect(snapshot(c)).toEqual(before);
    expect(grants(c, PS.username)).toHaveLength(0);

    const list = await run(c, ['--json', 'isolate', 'list']);
    expect(JSON.parse(list.stdout)).toMatchObject([{ id, state: 'undone', changes: 8, failed: 0 }]);
    // Undoing again finds nothing to restore.
    const again = await run(c, ['--json', 'isolate', '--undo', id, '--yes']);
    expect((JSON.parse(again.stdout) as { plan: { counts: { changes: number } } }).plan.counts.changes).toBe(0);
  });

  it('undo refuses (exit 2) against another org than the one isolated, and changes nothing there', async () => {
    const applied = await run(c, ['--json', 'isolate', '--integration', 'partner-sync', '--yes']);
    const id = (JSON.parse(applied.stdout) as { isolationId: string }).isolationId;
    // A second org built from the same seed: same record ids, another org id.
    const seed = demoSeed({ now: new Date(), scale: 0.1 }) as unknown as Seed;
    seed.org = { ...seed.org, Id: makeId('00D', 2) };
    const other = await startEmulator({ port: 0, seed });
    try {
      const flowBefore = JSON.stringify(other.state.records('FlowDefinition'));
      const r = await runCli(['isolate', '--undo', id, '--yes'], {
        cwd: c.dir,
        env: { SF_INSTANCE_URL: other.instanceUrl, SF_ACCESS_TOKEN: other.accessToken },
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/the isolation was applied to org 00D\w+ .*but this connection is to org 00D/);
      expect(JSON.stringify(other.state.records('FlowDefinition'))).toBe(flowBefore);
      expect(frozen(c, PS.username)).toBe(true);
      const list = await run(c, ['--json', 'isolate', 'list']);
      expect(JSON.parse(list.stdout)).toMatchObject([{ id, state: 'applied' }]);
    } finally {
      await other.close();
    }
  });

  it('undo keeps what was already so before the isolation: a frozen user stays frozen, an inactive site inactive', async () => {
    // Freeze the user and deactivate the site before the isolation, by hand.
    const login = c.emu.state.records('UserLogin').find((l) => l.UserId === userId(c, PS.username))!;
    c.emu.state.update(
      'UserLogin',
      String(login.Id),
      { IsFrozen: true },
      { userId: userId(c, DEMO.admin.username), system: true },
    );
    c.emu.state.update(
      'RemoteProxy',
      String(site(c, PS.remoteSite).Id),
      { IsActive: false },
      { userId: userId(c, DEMO.admin.username), system: true },
    );
    const applied = await run(c, ['--json', 'isolate', '--integration', 'partner-sync', '--yes']);
    const result = JSON.parse(applied.stdout) as { isolationId: string; summary: { done: number; skipped: number } };
    expect(result.summary).toMatchObject({ done: 6, skipped: 2 });
    expect((await run(c, ['isolate', '--undo', result.isolationId, '--yes'])).code).toBe(0);
    expect(frozen(c, PS.username)).toBe(true);
    expect(site(c, PS.remoteSite).IsActive).toBe(false);
    expect(flowDef(c, PS.flow).ActiveVersionId).not.toBeNull();
  });

  it('a surface the org will not let it read becomes a manual step; the rest is still isolated', async () => {
    c.emu.state.faults.add([{ method: 'GET', path: '*/jobs/ingest', status: 403, errorCode: 'INSUFFICIENT_ACCESS' }]);
    const r = await run(c, ['isolate', '--integration', 'partner-sync', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/isolation complete: 6 done/);
    const dry = await run(c, ['isolate', '--integration', 'partner-sync', '--dry-run']);
    expect(dry.stdout).toMatch(
      /Bulk jobs of partnersync.integration@alderridgesupply.com: lockout could not read them: .*INSUFFICIENT_ACCESS/,
    );
    expect(dry.stdout).toMatch(/Setup > Bulk Data Load Jobs/);
    expect(frozen(c, PS.username)).toBe(true);
  });

  it('a failure in one action does not stop the others; exit 3 and the summary says what is not isolated', async () => {
    // The flow update fails (a fault injected on the tooling PATCH); everything else goes through.
    c.emu.state.faults.add([
      {
        method: 'PATCH',
        path: '*/tooling/sobjects/FlowDefinition/*',
        status: 400,
        errorCode: 'UNABLE_TO_LOCK_ROW',
        times: 1,
      },
    ]);
    const r = await run(c, ['isolate', '--integration', 'partner-sync', '--yes']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/isolation INCOMPLETE: 7 done, 0 already in place, 1 failed/);
    expect(r.stdout).toMatch(
      /NOT isolated:\n {2}- deactivate-flow PartnerSync_Contact_Enrichment: .*UNABLE_TO_LOCK_ROW/,
    );
    expect(frozen(c, PS.username)).toBe(true);
    expect(flowDef(c, PS.flow).ActiveVersionId).not.toBeNull();
    // Running it again retries only what failed.
    const again = await run(c, ['--json', 'isolate', '--integration', 'partner-sync', '--yes']);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { summary: { done: number } }).summary.done).toBe(1);
    expect(flowDef(c, PS.flow).ActiveVersionId).toBeNull();
  });
});

describe('guardrails against the emulator', () => {
  let c: Ctx;
  afterEach(async () => {
    await c.emu.close();
  });

  it('naming the break-glass admin or the running user refuses with exit 4 and the reason', async () => {
    c = await setup();
    const r = await run(c, ['isolate', '--user', DEMO.breakGlass.username, '--yes']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/refused: user breakglass@alderridgesupply.com is protected/);
    const me = await run(c, ['isolate', '--user', DEMO.admin.username, '--yes']);
    expect(me.code).toBe(4);
    expect(me.stderr).toMatch(/is the user lockout runs as/);
    expect(frozen(c, DEMO.breakGlass.username)).toBe(false);
  });

  it('above the thresholds it needs --approved-by and --reason, prints the command, and records both', async () => {
    c = await setup({ ...DEMO_CONFIG, thresholds: { isolate: { maxUsers: 0 } } });
    const r = await run(c, ['isolate', '--integration', 'partner-sync', '--yes']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/needs approval: 1 users is more than thresholds.isolate.maxUsers \(0\)/);
    expect(r.stderr).toMatch(
      /hint: a person must approve it: lockout isolate --integration partner-sync --approved-by <your name> --reason '<why this is needed>'/,
    );
    expect(frozen(c, PS.username)).toBe(false);

    const ok = await run(c, [
      'isolate',
      '--integration',
      'partner-sync',
      '--yes',
      '--approved-by',
      'Dana Whitfield',
      '--reason',
      'INC-1 containment',
    ]);
    expect(ok.code).toBe(0);
    const store = Store.open(path.join(c.dir, '.lockout/lockout.db'), { create: false });
    const planned = [...store.entries({ kinds: ['isolate.planned'] })][0]!.payload as { approval: unknown };
    const refused = [...store.entries({ kinds: ['isolate.refused'] })];
    store.close();
    expect(planned.approval).toEqual({ by: 'Dana Whitfield', reason: 'INC-1 containment' });
    expect(refused).toHaveLength(1);
  });

  it('refuses before the first change when the API budget is too small', async () => {
    c = await setup();
    const r = await run(c, ['isolate', '--integration', 'partner-sync', '--yes', '--api-budget', '0.01']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/this isolation needs about 8 API calls, but the API budget allows 1/);
    expect(frozen(c, PS.username)).toBe(false);
  });

  it('a misspelt --user, --remote-site or --flow is bad input (exit 2), never "already isolated"', async () => {
    c = await setup();
    const typo = 'partnersync.integraton@alderridgesupply.com';
    const r = await run(c, ['isolate', '--user', typo, '--remote-site', 'PartnerSync_AP', '--flow', 'Nope', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--user ${typo}: not found in the org`);
    expect(r.stderr).toContain('--remote-site PartnerSync_AP: not found in the org');
    expect(r.stderr).toContain('--flow Nope: not found in the org');
    expect(r.stdout).toBe('');
    // A known user next to a typo: nothing is frozen, the typo is named.
    const mixed = await run(c, ['isolate', '--user', PS.username, '--user', typo, '--yes']);
    expect(mixed.code).toBe(2);
    expect(frozen(c, PS.username)).toBe(false);
  });

  it('two integrations at once need approval', async () => {
    c = await setup();
    const r = await run(c, ['isolate', '--integration', 'partner-sync', '--integration', 'erp-sync', '--dry-run']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/the plan touches 2 integrations \(partner-sync, erp-sync\)/);
  });
});

describe('an integration with 50 users', () => {
  it('is isolated with fewer than 10 API calls beyond discovery (batched freeze, sessions, IN queries)', async () => {
    const c0 = await setup();
    const admin = userId(c0, DEMO.admin.username);
    const profile = c0.emu.state.userByUsername(PS.username)!.ProfileId;
    const extra = Array.from({ length: 49 }, (_, i) => `partnersync.worker${i + 1}@alderridgesupply.com`);
    for (const username of extra) {
      const u = c0.emu.state.insert(
        'User',
        { Username: username, LastName: 'Worker', Email: username, Alias: 'psw', ProfileId: profile, IsActive: true },
        { userId: admin, system: true },
      );
      c0.emu.state.issueSession(String(u.Id), { appName: 'Partner Sync' });
    }
    const integrations = DEMO_CONFIG.integrations.map((i) =>
      i.name === 'partner-sync' ? { ...i, users: [PS.username, ...extra] } : i,
    );
    writeFileSync(
      path.join(c0.dir, 'lockout.config.yaml'),
      stringify({ ...DEMO_CONFIG, integrations, thresholds: { isolate: { maxUsers: 50 } } }),
    );
    try {
      const usage = c0.emu.state.apiUsage().used;
      const r = await run(c0, ['--json', 'isolate', '--integration', 'partner-sync', '--yes']);
      expect(r.code).toBe(0);
      const result = JSON.parse(r.stdout) as {
        summary: { done: number; failed: number };
        plan: { counts: { users: number } };
        apiCalls: { discovery: number; apply: number; revokes: number };
      };
      expect(result.plan.counts.users).toBe(50);
      expect(result.summary.failed).toBe(0);
      // freeze 1 + sessions 1 + 2 jobs + site 1 + credential 1 + flow 1 (+ 50 OAuth revocations, not API calls)
      expect(result.apiCalls.apply).toBe(7);
      expect(result.apiCalls.revokes).toBe(50);
      expect(c0.emu.state.apiUsage().used - usage).toBe(result.apiCalls.discovery + result.apiCalls.apply);
      for (const u of [PS.username, ...extra]) expect(frozen(c0, u)).toBe(true);
      expect(c0.emu.state.records('OauthToken').filter((t) => t.AppName === 'Partner Sync')).toHaveLength(0);
    } finally {
      await c0.emu.close();
    }
  });
});

describe('isolate --discover', () => {
  it('finds the integration surfaces without any config, and --write-config makes a config isolate can use', async () => {
    const c0 = await setup({});
    try {
      const r = await run(c0, ['--json', 'isolate', '--discover']);
      expect(r.code).toBe(0);
      const d = JSON.parse(r.stdout) as {
        candidates: {
          name: string;
          users: string[];
          connectedApps: string[];
          remoteSites: string[];
          namedCredentials: string[];
          flows: string[];
          objects: string[];
        }[];
        bulkJobs: { username: string; open: number }[];
        topWriters: { username: string; object: string }[];
      };
      const ps = d.candidates.find((x) => x.connectedApps.includes(PS.connectedApp))!;
      expect(ps).toMatchObject({
        name: 'partner-sync',
        users: [PS.username],
        remoteSites: [PS.remoteSite],
        namedCredentials: [PS.namedCredential],
        flows: [PS.flow],
      });
      expect(ps.objects).toEqual(expect.arrayContaining(['Contact', 'Lead']));
      expect(d.candidates.flatMap((x) => x.users)).not.toContain(DEMO.breakGlass.username);
      expect(d.bulkJobs.find((b) => b.username === PS.username)!.open).toBeGreaterThan(0);
      expect(d.topWriters[0]!.username).toBe(PS.username);

      const w = await run(c0, ['isolate', '--discover', '--write-config']);
      expect(w.code).toBe(0);
      expect(w.stdout).toMatch(/appended .*partner-sync.* to .*lockout.config.yaml: review before use/);
      // The written config is valid and drives a plan.
      const plan = await run(c0, ['isolate', '--integration', 'partner-sync', '--dry-run']);
      expect(plan.code).toBe(0);
      expect(plan.stdout).toMatch(/freeze user +partnersync.integration@alderridgesupply.com/);
      // Writing again adds nothing.
      const again = await run(c0, ['isolate', '--discover', '--write-config']);
      expect(again.stdout).toMatch(/nothing appended/);
    } finally {
      await c0.emu.close();
    }
  });
});
