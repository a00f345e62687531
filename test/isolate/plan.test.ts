import {
  approvalCommand,
  buildPlan,
  estimateCalls,
  resolveTargets,
  verdict,
  type PlanInput,
} from '../../src/isolate/plan.js';
import { renderPlan } from '../../src/isolate/render.js';
import type { Targets } from '../../src/isolate/model.js';
import { ADMIN, billing, partnerSync, preState, RUNNER, user } from './fixtures.js';

const targetsOf = (flags: Parameters<typeof resolveTargets>[1], integ = [partnerSync, billing]): Targets => {
  const r = resolveTargets(integ, flags);
  if ('error' in r) throw new Error(r.error);
  return r.targets;
};

const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  targets: targetsOf({ integration: ['partner-sync'] }, [partnerSync]),
  pre: preState(),
  integrations: [partnerSync],
  protect: { users: [ADMIN.username], accounts: [] },
  thresholds: { maxUsers: 5, maxApps: 3 },
  ...over,
});

describe('resolveTargets', () => {
  it.each([
    [
      { integration: ['nope'] },
      /--integration nope: no such integration in the config \(known: partner-sync, billing\)/,
    ],
    [{}, /nothing to isolate/],
  ])('refuses %j', (flags, msg) => {
    const r = resolveTargets([partnerSync, billing], flags);
    expect('error' in r && r.error).toMatch(msg);
  });

  it('merges an integration with ad hoc targets, without duplicates (case-insensitive)', () => {
    const t = targetsOf({ integration: ['PARTNER-SYNC'], user: ['SYNC1@partner.example', 'x@y.z'], app: ['Extra'] });
    expect(t.integrations).toEqual(['partner-sync']);
    expect(t.users).toEqual(['sync1@partner.example', 'x@y.z']);
    expect(t.apps).toEqual(['Partner Sync', 'Extra']);
    expect(t.objects).toEqual(['Contact']);
  });
});

describe('buildPlan', () => {
  const plan = buildPlan(input());
  const keys = plan.actions.map((a) => `${a.kind} ${a.target.name} change=${a.change}`);

  it('lists each surface of the integration with its current state', () => {
    expect(keys).toEqual([
      'freeze-user sync1@partner.example change=true',
      'end-sessions sync1@partner.example change=true',
      'revoke-token Partner Sync / sync1@partner.example change=true',
      'deactivate-remote-site Partner_API change=true',
      'deactivate-remote-site Old_Partner change=false',
      'abort-bulk-job 750000000000001AAA upsert Contact change=true',
      'abort-bulk-job 750000000000002AAA insert Contact change=true',
      'deactivate-flow Contact_Enrich change=true',
    ]);
  });

  it('never touches a protected user: their token of the app is left alone and noted', () => {
    expect(plan.actions.some((a) => a.target.name.includes(ADMIN.username))).toBe(false);
    expect(plan.notes.join('\n')).toMatch(/left alone: Partner Sync token of protected user breakglass@acme.example/);
  });

  it('aborts only open jobs of the integration users; only record-triggered flows on its objects', () => {
    expect(plan.actions.filter((a) => a.kind === 'abort-bulk-job').map((a) => a.target.id)).toEqual([
      '750000000000001AAA',
      '750000000000002AAA',
    ]);
    expect(plan.actions.filter((a) => a.kind === 'deactivate-flow').map((a) => a.target.name)).toEqual([
      'Contact_Enrich',
    ]);
  });

  it('says what can be undone and what re-connecting needs', () => {
    const token = plan.actions.find((a) => a.kind === 'revoke-token')!;
    expect(token.undoable).toBe(false);
    expect(token.undo).toMatch(/sync1@partner.example must re-authorise Partner Sync/);
    expect(plan.actions.find((a) => a.kind === 'freeze-user')!.undo).toBe('unfreeze');
    expect(plan.counts).toEqual({ users: 1, apps: 1, changes: 7, unchanged: 1, irreversible: 4 });
  });

  it('lists what the API cannot do as manual steps with exact instructions', () => {
    const targets = plan.manual.map((m) => m.target);
    expect(targets).toEqual(['connected app Partner Sync', 'Apex trigger ContactTrigger on Contact']);
    expect(plan.manual[1]!.steps.join('\n')).toMatch(/sf project deploy start --metadata ApexTrigger:ContactTrigger/);
  });

  it('a user already frozen is listed as unchanged, and the user without a UserLogin becomes a manual step', () => {
    const pre = preState({ users: [user(1, { frozen: true, sessions: [] }), user(2, { userLoginId: null })] });
    const t = { ...input().targets, users: ['sync1@partner.example', 'sync2@partner.example'] };
    const p = buildPlan(input({ pre, targets: t }));
    expect(p.actions.filter((a) => a.kind === 'freeze-user').map((a) => [a.target.name, a.change, a.undo])).toEqual([
      ['sync1@partner.example', false, 'was frozen before: stays frozen'],
    ]);
    expect(p.manual[0]!.target).toBe('user sync2@partner.example');
  });

  it('estimates the calls: batched freezes and sessions, one per token, job, site and flow', () => {
    expect(estimateCalls(plan.actions)).toBe(1 + 1 + 1 + 1 + 2 + 1);
    const many = Array.from({ length: 250 }, (_, i) => user(i + 1));
    const big = buildPlan(
      input({
        pre: preState({ users: many, tokens: [], bulkJobs: [], remoteSites: [], flows: [] }),
        targets: { ...input().targets, users: many.map((u) => u.username) },
      }),
    );
    expect(estimateCalls(big.actions)).toBe(2 + 2);
  });

  it('turns a surface it could not read into a manual step', () => {
    const p = buildPlan(
      input({ pre: preState({ tokens: [], unreadable: [{ surface: 'tokens', reason: 'INSUFFICIENT_ACCESS' }] }) }),
    );
    expect(p.manual.find((m) => m.target.startsWith('OAuth'))).toEqual({
      target: 'OAuth tokens of Partner Sync',
      why: 'lockout could not read them: INSUFFICIENT_ACCESS',
      steps: ['Setup > Connected Apps OAuth Usage > Partner Sync > Revoke, for sync1@partner.example'],
    });
  });

  it('records protected accounts for later steps', () => {
    const p = buildPlan(input({ protect: { users: [], accounts: ['001000000000001AAA'] } }));
    expect(p.protectedAccounts).toEqual(['001000000000001AAA']);
    expect(p.notes.join()).toMatch(/protected accounts \(001000000000001AAA\)/);
  });
});

describe('guardrails', () => {
  const many = Array.from({ length: 7 }, (_, i) => user(i + 1));
  const cases: [string, Partial<PlanInput>, RegExp | null][] = [
    ['within thresholds', {}, null],
    [
      'a protected user named',
      { targets: { ...input().targets, users: ['sync1@partner.example', ADMIN.username] } },
      /refused: user breakglass@acme.example is protected/,
    ],
    [
      'the running user named',
      { targets: { ...input().targets, users: [RUNNER.username] } },
      /refused: user oncall@acme.example is the user lockout runs as/,
    ],
    [
      'more users than maxUsers',
      {
        pre: preState({ users: many }),
        targets: { ...input().targets, users: many.map((u) => u.username) },
      },
      /needs approval: 7 users is more than thresholds.isolate.maxUsers \(5\)/,
    ],
    [
      'more apps than maxApps',
      { thresholds: { maxUsers: 5, maxApps: 0 } },
      /needs approval: 1 connected apps is more than thresholds.isolate.maxApps \(0\)/,
    ],
    [
      'more than one integration',
      {
        integrations: [partnerSync, billing],
        targets: targetsOf({ integration: ['partner-sync'] }),
      },
      /needs approval: the plan touches 2 integrations \(partner-sync, billing\)/,
    ],
  ];

  it.each(cases)('%s', (_name, over, expected) => {
    const v = verdict(buildPlan(input(over)));
    if (expected === null) expect(v).toEqual({ ok: true });
    else expect(v.ok === false && v.reason).toMatch(expected);
  });

  it('an approver and a reason let a plan over the thresholds run; a protected user is refused even then', () => {
    const approval = { by: 'Dana (CISO)', reason: 'INC-2026-0001 containment' };
    const over = buildPlan(input({ thresholds: { maxUsers: 0, maxApps: 0 }, approval }));
    expect(verdict(over)).toEqual({ ok: true });
    expect(over.guardrails.approval).toEqual(approval);
    expect(verdict(buildPlan(input({ thresholds: { maxUsers: 0, maxApps: 0 }, approval: { by: 'Dana' } }))).ok).toBe(
      false,
    );
    const named = buildPlan(input({ approval, targets: { ...input().targets, users: [ADMIN.username] } }));
    expect(verdict(named)).toMatchObject({ ok: false, needs: 'nothing' });
  });

  it('prints the exact command a person must approve', () => {
    expect(approvalCommand({ integration: ['partner-sync'], user: ["o'brien@x.y"] })).toBe(
      `lockout isolate --integration partner-sync --user 'o'\\''brien@x.y' --approved-by <your name> --reason '<why this is needed>'`,
    );
  });
});

describe('renderPlan', () => {
  it('is a short table with a headline, the unchanged targets and the manual steps', () => {
    const text = renderPlan(buildPlan(input()));
    expect(text.split('\n')[0]).toBe('Isolation plan for partner-sync: 7 changes, 4 cannot be undone (1 user, 1 app)');
    expect(text).toMatch(/ACTION +TARGET +NOW +UNDO/);
    expect(text).toMatch(/freeze user +sync1@partner.example +active +yes/);
    expect(text).toMatch(
      /revoke token +Partner Sync \/ sync1@partner.example +granted, last used 2026-11-26T23:00 +NO/,
    );
    expect(text).toMatch(/Already in place, nothing sent \(1\): deactivate remote site Old_Partner/);
    expect(text).toMatch(/Manual steps/);
  });

  it('groups rows by action when there are many targets', () => {
    const many = Array.from({ length: 50 }, (_, i) => user(i + 1));
    const p = buildPlan(
      input({
        pre: preState({ users: many, tokens: [], bulkJobs: [] }),
        targets: { ...input().targets, users: many.map((u) => u.username) },
        thresholds: { maxUsers: 100, maxApps: 3 },
      }),
    );
    const table = renderPlan(p).split('\n\n')[1]!.split('\n');
    expect(table.length).toBeLessThanOrEqual(6);
    expect(table.join('\n')).toMatch(/freeze user +50: sync1@partner.example \+49 more +active +yes/);
  });
});
