import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'yaml';
import { createContext, type Context } from '../../src/cli/context.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { Seed } from '../../src/emulator/seed.js';
import { DEMO, DEMO_CONFIG, demoSeed } from '../../src/emulator/seeds/demo.js';
import { Refused } from '../../src/errors.js';
import { autoIsolate, parseLevel } from '../../src/isolate/auto.js';
import { connectOrg } from '../../src/org/connect.js';
import { tempDir } from '../helpers/cli.js';

const PS = DEMO.integrations[0]!;

describe('autoIsolate (scan --isolate-on)', () => {
  let emu: Emulator;
  let contexts: Context[] = [];
  beforeEach(async () => {
    emu = await startEmulator({ port: 0, seed: demoSeed({ now: new Date(), scale: 0.1 }) as unknown as Seed });
  });
  afterEach(async () => {
    for (const c of contexts) c.close();
    contexts = [];
    await emu.close();
  });

  const context = (config: object): Context => {
    const dir = tempDir('lockout-auto-');
    writeFileSync(path.join(dir, 'lockout.config.yaml'), stringify(config));
    const ctx = createContext(
      {
        io: {
          in: Readable.from([]),
          out: new PassThrough(),
          err: new PassThrough(),
          isTTY: { in: false, out: false, err: false },
          color: false,
        },
        env: { SF_INSTANCE_URL: emu.instanceUrl, SF_ACCESS_TOKEN: emu.accessToken, LOCKOUT_ACTOR: 'ci' },
        cwd: dir,
      },
      {},
    );
    contexts.push(ctx);
    return ctx;
  };
  const deps = (ctx: Context) => ({ connect: () => connectOrg(ctx, {}), confirm: async () => false });
  const frozen = () => emu.state.isFrozen(String(emu.state.userByUsername(PS.username)!.Id));

  it.each([
    ['below the level', 'high', 'medium', {}],
    ['nothing found', 'low', null, {}],
    [
      'below the compliance floor (autoIsolateLevel high raises --isolate-on low)',
      'low',
      'medium',
      { autoIsolateLevel: 'high' },
    ],
  ] as const)('does nothing when findings are %s', async (_name, on, reached, iso) => {
    const ctx = context({ ...DEMO_CONFIG, thresholds: { isolate: iso } });
    const r = await autoIsolate(ctx, { integration: 'partner-sync', isolateOn: on, reached }, deps(ctx));
    expect(r.triggered).toBe(false);
    expect(r.isolation).toBeNull();
    expect(frozen()).toBe(false);
  });

  it('isolates without a prompt when findings reach the level, and records why', async () => {
    const ctx = context(DEMO_CONFIG);
    const r = await autoIsolate(
      ctx,
      { integration: 'partner-sync', isolateOn: 'high', reached: 'high', counts: { high: 212, medium: 3 } },
      deps(ctx),
    );
    expect(r.triggered).toBe(true);
    expect(r.isolation?.summary).toMatchObject({ failed: 0 });
    expect(frozen()).toBe(true);
    const planned = [...ctx.store().entries({ kinds: ['isolate.planned'] })][0]!.payload as { trigger: unknown };
    expect(planned.trigger).toEqual({
      kind: 'auto',
      why: 'scan findings reached high (212 high, 3 medium), at or above --isolate-on high',
    });
  });

  it('above the thresholds it does not isolate: exit 4 with the command a person must approve, recorded', async () => {
    const ctx = context({ ...DEMO_CONFIG, thresholds: { isolate: { maxUsers: 0 } } });
    const err = await autoIsolate(
      ctx,
      { integration: 'partner-sync', isolateOn: 'medium', reached: 'high' },
      deps(ctx),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Refused);
    expect((err as Refused).hint).toBe(
      "a person must approve it: lockout isolate --integration partner-sync --approved-by <your name> --reason '<why this is needed>'",
    );
    expect(frozen()).toBe(false);
    const refused = [...ctx.store().entries({ kinds: ['isolate.refused'] })][0]!.payload as {
      trigger: { kind: string };
    };
    expect(refused.trigger.kind).toBe('auto');
  });

  it('parseLevel names the flag', () => {
    expect(parseLevel('medium')).toBe('medium');
    expect(() => parseLevel('severe')).toThrow(/--isolate-on: "severe" is not a level/);
  });
});
