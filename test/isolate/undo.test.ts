import { buildPlan, type Action } from '../../src/isolate/plan.js';
import { buildUndoPlan, type ActionResult } from '../../src/isolate/undo.js';
import { renderUndoPlan } from '../../src/isolate/render.js';
import type { PreState } from '../../src/isolate/model.js';
import { ADMIN, partnerSync, preState, user } from './fixtures.js';

const plan = buildPlan({
  targets: {
    integrations: ['partner-sync'],
    users: ['sync1@partner.example', 'sync2@partner.example'],
    apps: ['Partner Sync'],
    remoteSites: ['Partner_API', 'Old_Partner'],
    namedCredentials: ['Partner_NC'],
    flows: [],
    objects: ['Contact'],
  },
  pre: preState({
    users: [user(1), user(2, { frozen: true })],
    namedCredentials: [
      {
        id: '0XA000000000001AAA',
        name: 'Partner_NC',
        endpoint: 'https://nc.partner.example',
        enabled: true,
        metadata: { fullName: 'Partner_NC', endpoint: 'https://nc.partner.example' },
      },
    ],
  }),
  integrations: [partnerSync],
  protect: { users: [ADMIN.username], accounts: [] },
  thresholds: { maxUsers: 5, maxApps: 3 },
});

/** Every change succeeded; unchanged targets were skipped. */
const allDone = (actions: readonly Action[]): ActionResult[] =>
  actions.map((a) => ({ key: a.key, status: a.change ? 'done' : 'skipped' }));

/** The org as the isolation left it. */
const isolated = (): PreState =>
  preState({
    users: [user(1, { frozen: true, sessions: [] }), user(2, { frozen: true, sessions: [] })],
    tokens: [],
    remoteSites: preState().remoteSites.map((r) => ({ ...r, isActive: false })),
    namedCredentials: [
      {
        id: '0XA000000000001AAA',
        name: 'Partner_NC',
        endpoint: 'https://nc.partner.example',
        enabled: false,
        metadata: {},
      },
    ],
    flows: preState().flows.map((f) =>
      f.apiName === 'Contact_Enrich' ? { ...f, activeVersionId: null, activeVersionNumber: null } : f,
    ),
  });

describe('buildUndoPlan', () => {
  it('inverts exactly what the isolation changed, nothing else', () => {
    const undo = buildUndoPlan('ISO-2026-0001', plan.actions, allDone(plan.actions), isolated());
    expect(undo.actions.map((a) => `${a.kind} ${a.target.name} change=${a.change}`)).toEqual([
      'unfreeze-user sync1@partner.example change=true',
      'activate-remote-site Partner_API change=true',
      'restore-named-credential Partner_NC change=true',
      'activate-flow Contact_Enrich change=true',
    ]);
    // sync2 was frozen before; Old_Partner was inactive before: both stay as they are.
    expect(undo.notes).toEqual(
      expect.arrayContaining([
        'sync2@partner.example was already frozen before the isolation: left as it is',
        'Old_Partner was already inactive https://old.partner.example before the isolation: left as it is',
      ]),
    );
    expect(undo.actions.some((a) => a.target.name === 'Old_Partner')).toBe(false);
  });

  it('restores the recorded pre-state exactly (url, protocol security, flow version)', () => {
    const undo = buildUndoPlan('ISO-2026-0001', plan.actions, allDone(plan.actions), isolated());
    const site = undo.actions.find((a) => a.kind === 'activate-remote-site')!;
    expect(site.record).toEqual(preState().remoteSites[0]);
    const flow = undo.actions.find((a) => a.kind === 'activate-flow')!;
    expect(flow.record).toMatchObject({ activeVersionId: '301000000000001AAA', activeVersionNumber: 3 });
  });

  it('reports revoked tokens as needing re-authorisation, and the other irreversible changes', () => {
    const undo = buildUndoPlan('ISO-2026-0001', plan.actions, allDone(plan.actions), isolated(), plan.manual);
    expect(undo.reauthorise).toEqual([{ app: 'Partner Sync', user: 'sync1@partner.example' }]);
    expect(undo.irreversible.join('\n')).toMatch(/Bulk job 750000000000001AAA \(upsert Contact\) was aborted/);
    expect(undo.irreversible.join('\n')).toMatch(/1 session\(s\) of sync1@partner.example ended/);
    expect(undo.manual.map((m) => m.steps[0])).toEqual([
      'set "Permitted Users" back to the value noted above',
      'deploy it again with <status>Active</status>',
    ]);
  });

  it.each([
    ['failed', 'not changed by the isolation (it failed): freeze-user sync1@partner.example'],
    ['skipped', null],
  ] as const)('an action that %s is not undone', (status, note) => {
    const results = allDone(plan.actions).map((r) => (r.key.startsWith('freeze-user:') ? { ...r, status } : r));
    const undo = buildUndoPlan('ISO-2026-0001', plan.actions, results, isolated());
    expect(undo.actions.some((a) => a.kind === 'unfreeze-user')).toBe(false);
    if (note) expect(undo.notes).toContain(note);
  });

  it('is idempotent: targets already back in their pre-state are listed as unchanged', () => {
    const restored = preState({ users: [user(1), user(2, { frozen: true })] });
    const undo = buildUndoPlan('ISO-2026-0001', plan.actions, allDone(plan.actions), restored);
    expect(undo.actions.filter((a) => a.change).map((a) => a.kind)).toEqual(['restore-named-credential']);
    const again = buildUndoPlan('ISO-2026-0001', plan.actions, allDone(plan.actions), {
      ...restored,
      namedCredentials: [
        { id: null, name: 'Partner_NC', endpoint: 'https://nc.partner.example', enabled: true, metadata: {} },
      ],
    });
    expect(again.counts.changes).toBe(0);
    expect(renderUndoPlan(again)).toMatch(/Nothing to restore/);
  });

  it('renders what will be restored and what cannot be', () => {
    const text = renderUndoPlan(buildUndoPlan('ISO-2026-0001', plan.actions, allDone(plan.actions), isolated()));
    expect(text.split('\n')[0]).toBe('Undo plan for ISO-2026-0001: 4 changes');
    expect(text).toMatch(/unfreeze user +sync1@partner.example +frozen +yes/);
    expect(text).toMatch(/Cannot be undone/);
  });
});

describe('buildUndoPlan after an interrupted run', () => {
  it('undoes an action whose result was never recorded only if its target is not in its pre-state', () => {
    const results = allDone(plan.actions).filter(
      (r) => !r.key.startsWith('freeze-user:') && !r.key.startsWith('deactivate-flow:'),
    );
    // The freeze happened (user is frozen now); the flow change did not (still active).
    const now = isolated();
    now.flows = preState().flows;
    const undo = buildUndoPlan('ISO-2026-0002', plan.actions, results, now);
    const unfreeze = undo.actions.find((a) => a.kind === 'unfreeze-user')!;
    expect(unfreeze.change).toBe(true);
    const flow = undo.actions.find((a) => a.kind === 'activate-flow')!;
    expect(flow.change).toBe(false);
    expect(undo.notes.filter((n) => n.startsWith('result not recorded'))).toHaveLength(2);
  });
});
