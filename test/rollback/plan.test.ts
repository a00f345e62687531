import {
  buildPlan,
  estimateCalls,
  type HistoryRow,
  type PlanInput,
  type ScopedRecord,
} from '../../src/rollback/plan.js';

const INT = '005INTEGRATION0001';
const ANN = '005PERSONANN00001';
const SINCE = '2026-11-01T00:00:00.000Z';
const UNTIL = '2026-11-02T00:00:00.000Z';

let hid = 0;
const h = (
  recordId: string,
  field: string,
  oldValue: unknown,
  newValue: unknown,
  by: string,
  at: string,
): HistoryRow => ({
  id: `017H${String((hid += 1)).padStart(5, '0')}`,
  recordId,
  field,
  oldValue: oldValue as HistoryRow['oldValue'],
  newValue: newValue as HistoryRow['newValue'],
  createdById: by,
  createdDate: at,
});

const rec = (id: string, current: ScopedRecord['current'], extra: Partial<ScopedRecord> = {}): ScopedRecord => ({
  object: 'Contact',
  id,
  current,
  createdById: ANN,
  createdDate: '2025-01-01T00:00:00.000Z',
  lastModifiedById: INT,
  lastModifiedDate: '2026-11-01T10:00:00.000Z',
  ...extra,
});

const input = (over: Partial<PlanInput>): PlanInput => ({
  records: [],
  history: [],
  snapshots: new Map(),
  integrationUsers: [INT],
  window: { since: SINCE, until: UNTIL },
  protectedAccounts: [],
  options: { strategy: 'delete', onConflict: 'skip' },
  ...over,
});

interface Case {
  name: string;
  in: Partial<PlanInput>;
  want: {
    action: string;
    set?: Record<string, unknown>;
    conflicts?: { field: string; before: unknown; integration: unknown; current: unknown; resolution: string }[];
    unrecoverable?: string[];
    wouldBe?: string;
    beforeImage?: Record<string, unknown>;
    source?: string;
  };
}

const cases: Case[] = [
  {
    name: 'created by the integration in the window -> delete, whole record as before-image',
    in: {
      records: [
        rec(
          '003A',
          { Email: 'x@fake.test', LastName: 'Zz' },
          { createdById: INT, createdDate: '2026-11-01T09:00:00Z' },
        ),
      ],
    },
    want: { action: 'delete', set: {}, beforeImage: { Email: 'x@fake.test', LastName: 'Zz' } },
  },
  {
    name: 'created by the integration before the window -> not a created record of this window',
    in: {
      records: [
        rec('003A', { Email: 'x' }, { createdById: INT, createdDate: '2026-10-01T09:00:00Z', lastModifiedById: ANN }),
      ],
    },
    want: { action: 'none' },
  },
  {
    name: 'created, strategy quarantine -> configured field and owner',
    in: {
      records: [
        rec(
          '003A',
          { Status__c: 'Active', OwnerId: '005OLD' },
          { createdById: INT, createdDate: '2026-11-01T09:00:00Z' },
        ),
      ],
      options: {
        strategy: 'quarantine',
        onConflict: 'skip',
        quarantine: { field: 'Status__c', value: 'Quarantined', ownerId: '005Q' },
      },
    },
    want: {
      action: 'quarantine',
      set: { Status__c: 'Quarantined', OwnerId: '005Q' },
      beforeImage: { Status__c: 'Active', OwnerId: '005OLD' },
    },
  },
  {
    name: 'overwritten field, History only -> OldValue of the first change in the window',
    in: {
      records: [rec('003B', { Email: 'fake@x.test', Phone: '1' })],
      history: [
        h('003B', 'Email', 'old@acme.com', 'mid@x.test', INT, '2026-11-01T09:00:00Z'),
        h('003B', 'Email', 'mid@x.test', 'fake@x.test', INT, '2026-11-01T10:00:00Z'),
      ],
    },
    want: {
      action: 'restore',
      set: { Email: 'old@acme.com' },
      beforeImage: { Email: 'fake@x.test' },
      source: 'history',
    },
  },
  {
    name: 'History before the window is ignored; a null OldValue restores null',
    in: {
      records: [rec('003B', { Title: 'Bot' })],
      history: [
        h('003B', 'Title', 'A', null, ANN, '2026-10-01T09:00:00Z'),
        h('003B', 'Title', null, 'Bot', INT, '2026-11-01T09:00:00Z'),
      ],
    },
    want: { action: 'restore', set: { Title: null } },
  },
  {
    name: 'a snapshot before the window wins over History',
    in: {
      records: [rec('003C', { Email: 'fake@x.test' })],
      history: [h('003C', 'Email', 'history@acme.com', 'fake@x.test', INT, '2026-11-01T09:00:00Z')],
      snapshots: new Map([
        ['003C', { snapshotId: 'snap-1', takenAt: '2026-10-31T00:00:00Z', fields: { Email: 'snap@acme.com' } }],
      ]),
    },
    want: { action: 'restore', set: { Email: 'snap@acme.com' }, source: 'snapshot' },
  },
  {
    name: 'untracked field changed: found by comparing the snapshot when the integration modified last',
    in: {
      records: [rec('003D', { Description: 'lorem ipsum', Email: 'a@acme.com' })],
      snapshots: new Map([
        [
          '003D',
          {
            snapshotId: 'snap-1',
            takenAt: '2026-10-31T00:00:00Z',
            fields: { Description: 'real notes', Email: 'a@acme.com' },
          },
        ],
      ]),
    },
    want: { action: 'restore', set: { Description: 'real notes' } },
  },
  {
    name: 'a person changed the field after the integration -> conflict with three values, left alone',
    in: {
      records: [rec('003E', { Email: 'ann-fixed@acme.com', Phone: '555-0000' }, { lastModifiedById: ANN })],
      history: [
        h('003E', 'Email', 'orig@acme.com', 'fake@x.test', INT, '2026-11-01T09:00:00Z'),
        h('003E', 'Phone', '555-1111', '555-0000', INT, '2026-11-01T09:00:00Z'),
        h('003E', 'Email', 'fake@x.test', 'ann-fixed@acme.com', ANN, '2026-11-03T09:00:00Z'),
      ],
    },
    want: {
      action: 'restore',
      set: { Phone: '555-1111' },
      conflicts: [
        {
          field: 'Email',
          before: 'orig@acme.com',
          integration: 'fake@x.test',
          current: 'ann-fixed@acme.com',
          resolution: 'left',
        },
      ],
    },
  },
  {
    name: '--on-conflict take-before restores the conflicting field too',
    in: {
      records: [rec('003E', { Email: 'ann-fixed@acme.com' }, { lastModifiedById: ANN })],
      history: [
        h('003E', 'Email', 'orig@acme.com', 'fake@x.test', INT, '2026-11-01T09:00:00Z'),
        h('003E', 'Email', 'fake@x.test', 'ann-fixed@acme.com', ANN, '2026-11-03T09:00:00Z'),
      ],
      options: { strategy: 'delete', onConflict: 'take-before' },
    },
    want: {
      action: 'restore',
      set: { Email: 'orig@acme.com' },
      conflicts: [
        {
          field: 'Email',
          before: 'orig@acme.com',
          integration: 'fake@x.test',
          current: 'ann-fixed@acme.com',
          resolution: 'take-before',
        },
      ],
    },
  },
  {
    name: 'every changed field conflicts -> nothing written',
    in: {
      records: [rec('003F', { Email: 'new@acme.com' }, { lastModifiedById: ANN })],
      history: [
        h('003F', 'Email', 'orig@acme.com', 'fake@x.test', INT, '2026-11-01T09:00:00Z'),
        h('003F', 'Email', 'fake@x.test', 'new@acme.com', ANN, '2026-11-01T12:00:00Z'),
      ],
    },
    want: {
      action: 'none',
      set: {},
      conflicts: [
        {
          field: 'Email',
          before: 'orig@acme.com',
          integration: 'fake@x.test',
          current: 'new@acme.com',
          resolution: 'left',
        },
      ],
    },
  },
  {
    name: 'the value moved without a History row -> conflict by an unknown user',
    in: {
      records: [rec('003G', { Email: 'someone-else@acme.com' })],
      history: [h('003G', 'Email', 'orig@acme.com', 'fake@x.test', INT, '2026-11-01T09:00:00Z')],
    },
    want: {
      action: 'none',
      conflicts: [
        {
          field: 'Email',
          before: 'orig@acme.com',
          integration: 'fake@x.test',
          current: 'someone-else@acme.com',
          resolution: 'left',
        },
      ],
    },
  },
  {
    name: 'a person already put the value back -> no conflict, nothing to do',
    in: {
      records: [rec('003H', { Email: 'orig@acme.com' }, { lastModifiedById: ANN })],
      history: [
        h('003H', 'Email', 'orig@acme.com', 'fake@x.test', INT, '2026-11-01T09:00:00Z'),
        h('003H', 'Email', 'fake@x.test', 'orig@acme.com', ANN, '2026-11-01T12:00:00Z'),
      ],
    },
    want: { action: 'none', conflicts: [] },
  },
  {
    name: 'modified by the integration with no History and no snapshot -> unrecoverable',
    in: { records: [rec('003I', { Email: 'fake@x.test' })] },
    want: { action: 'none', unrecoverable: ['*'] },
  },
  {
    name: 'a change by another user in the window is not rolled back',
    in: {
      records: [rec('003J', { Email: 'b@acme.com' }, { lastModifiedById: ANN })],
      history: [h('003J', 'Email', 'a@acme.com', 'b@acme.com', ANN, '2026-11-01T09:00:00Z')],
    },
    want: { action: 'none', set: {} },
  },
  {
    name: 'a change after --until is outside the window',
    in: {
      records: [rec('003K', { Email: 'late@x.test' }, { lastModifiedDate: '2026-11-05T00:00:00Z' })],
      history: [h('003K', 'Email', 'a@acme.com', 'late@x.test', INT, '2026-11-05T00:00:00Z')],
    },
    want: { action: 'none', set: {} },
  },
  {
    name: 'protected account -> manual review, nothing set, what would be done kept',
    in: {
      records: [
        rec('003L', { Email: 'fake@x.test', AccountId: '001PROTECTED00001' }, { accountId: '001PROTECTED00001' }),
      ],
      history: [h('003L', 'Email', 'orig@acme.com', 'fake@x.test', INT, '2026-11-01T09:00:00Z')],
      protectedAccounts: ['001PROTECTED00001'],
    },
    want: { action: 'manual-review', set: {}, wouldBe: 'restore' },
  },
  {
    name: 'protected account matched by name, created record is not deleted',
    in: {
      records: [
        rec('003M', { Email: 'x' }, { createdById: INT, createdDate: '2026-11-01T09:00:00Z', accountName: 'Big Bank' }),
      ],
      protectedAccounts: ['big bank'],
    },
    want: { action: 'manual-review', wouldBe: 'delete' },
  },
  {
    name: 'flagged by the scanner with no integration users, never changed since created -> delete',
    in: {
      records: [rec('003N', { Email: 'x' }, { flagged: true, lastModifiedDate: '2025-01-01T00:00:00.000Z' })],
      integrationUsers: [],
    },
    want: { action: 'delete' },
  },
  {
    name: 'flagged by the scanner with no integration users, changed since created (maybe overwritten) -> manual review',
    in: { records: [rec('003Q', { Email: 'x' }, { flagged: true })], integrationUsers: [] },
    want: { action: 'manual-review' },
  },
  {
    name: 'flagged by the scanner but not attributable to the integration -> manual review',
    in: { records: [rec('003O', { Email: 'x' }, { flagged: true, lastModifiedById: ANN })] },
    want: { action: 'manual-review' },
  },
  {
    name: 'CSV-typed and JSON-typed values compare equal (no spurious write)',
    in: {
      records: [rec('003P', { NumberOfEmployees: 10 })],
      history: [
        h('003P', 'NumberOfEmployees', '10', '99', INT, '2026-11-01T09:00:00Z'),
        h('003P', 'NumberOfEmployees', '99', '10', INT, '2026-11-01T09:30:00Z'),
      ],
    },
    want: { action: 'none' },
  },
];

describe('buildPlan', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const plan = buildPlan(input(c.in));
    const p = plan.records[0]!;
    expect(p.action).toBe(c.want.action);
    if (c.want.set) expect(p.set).toEqual(c.want.set);
    if (c.want.beforeImage) expect(p.beforeImage).toEqual(c.want.beforeImage);
    if (c.want.conflicts) {
      expect(
        p.conflicts.map(({ field, before, integration, current, resolution }) => ({
          field,
          before,
          integration,
          current,
          resolution,
        })),
      ).toEqual(c.want.conflicts);
    }
    if (c.want.unrecoverable) expect(p.unrecoverable.map((u) => u.field)).toEqual(c.want.unrecoverable);
    if (c.want.wouldBe) expect(p.wouldBe).toBe(c.want.wouldBe);
    if (c.want.source) expect(p.restores[0]?.source).toBe(c.want.source);
  });

  it('counts actions, conflicts and unrecoverable fields in the summary', () => {
    const plan = buildPlan(
      input({
        records: [
          rec('003A', { Email: 'x' }, { createdById: INT, createdDate: '2026-11-01T09:00:00Z' }),
          rec('003B', { Email: 'fake', Phone: '2' }),
          rec('003I', { Email: 'fake' }),
          rec('003L', { Email: 'fake' }, { accountId: '001P' }),
        ],
        history: [
          h('003B', 'Email', 'a', 'fake', INT, '2026-11-01T09:00:00Z'),
          h('003B', 'Phone', '1', '2', INT, '2026-11-01T09:00:00Z'),
          h('003B', 'Phone', '2', '3', ANN, '2026-11-01T11:00:00Z'),
          h('003L', 'Email', 'a', 'fake', INT, '2026-11-01T09:00:00Z'),
        ],
        protectedAccounts: ['001P'],
      }),
    );
    expect(plan.summary.byAction).toEqual({ delete: 1, quarantine: 0, restore: 1, 'manual-review': 1, none: 1 });
    expect(plan.summary.conflicts).toBe(1);
    expect(plan.summary.unrecoverableFields).toBe(1);
    expect(plan.summary.manualReview).toEqual(['003L']);
    expect(plan.summary.byObject.Contact).toEqual({ delete: 1, restore: 1, 'manual-review': 1, none: 1 });
  });
});

describe('estimateCalls', () => {
  const restores = (n: number) =>
    buildPlan(
      input({
        records: Array.from({ length: n }, (_, i) => rec(`003R${i}`, { Email: 'fake' })),
        history: Array.from({ length: n }, (_, i) => h(`003R${i}`, 'Email', 'a', 'fake', INT, '2026-11-01T09:00:00Z')),
      }),
    ).records;

  it.each([
    [1, 1000, { collections: 1, bulk: 0, verify: 1, total: 2, naive: 1 }],
    [200, 1000, { collections: 1, bulk: 0, verify: 1, total: 2, naive: 200 }],
    [201, 1000, { collections: 2, bulk: 0, verify: 1, total: 3, naive: 201 }],
    [2500, 1000, { collections: 0, bulk: 7, verify: 2, total: 9, naive: 2500 }],
    // 4 retrieve calls of 2,000 to verify would cost more than one Bulk 2.0 query (create, poll, one result page).
    [6001, 1_000_000, { collections: 31, bulk: 0, verify: 3, total: 34, naive: 6001 }],
    [6000, 1_000_000, { collections: 30, bulk: 0, verify: 3, total: 33, naive: 6000 }],
  ])('%i restores with bulk threshold %i', (n, threshold, want) => {
    const e = estimateCalls(restores(n), { bulkThreshold: threshold });
    expect({ collections: e.collections, bulk: e.bulk, verify: e.verify, total: e.total, naive: e.naive }).toEqual(
      want,
    );
  });
});
