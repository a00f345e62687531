import { configSchema } from '../../src/config/schema.js';
import { parseFindings, resolveScope, type ScopeFlags } from '../../src/rollback/scope.js';
import { planUndo, type DoneWrite } from '../../src/rollback/plan.js';
import { UsageError } from '../../src/errors.js';
import { undeleteOrder, writeOrder } from '../../src/rollback/apply.js';

const config = configSchema.parse({
  integrations: [
    { name: 'partner-sync', users: ['sync@partner.example'], objects: ['Contact', 'Lead'] },
    { name: 'empty', users: [] },
  ],
});
const since = new Date('2026-11-01T00:00:00Z');

describe('resolveScope', () => {
  it.each<[string, ScopeFlags, Record<string, string[]>, object]>([
    [
      '--object, --user and --since',
      { object: ['Contact,Lead'], user: ['a@x.example'], since },
      {},
      { objects: ['Contact', 'Lead'], usernames: ['a@x.example'], since: '2026-11-01T00:00:00.000Z', until: null },
    ],
    [
      '--integration brings its users and objects',
      { integration: 'partner-sync', since },
      {},
      { objects: ['Contact', 'Lead'], usernames: ['sync@partner.example'], integration: 'partner-sync' },
    ],
    [
      '--from-scan alone: objects from the findings',
      {},
      { Account: ['001000000000001AAA'] },
      { objects: ['Account'], usernames: [], since: null, flagged: { Account: ['001000000000001AAA'] } },
    ],
    [
      'combined: union of objects',
      { object: ['Contact'], user: ['a@x.example'], since },
      { Lead: ['00Q000000000001AAA'] },
      { objects: ['Contact', 'Lead'] },
    ],
  ])('%s', (_n, flags, findings, want) => {
    expect(resolveScope(flags, config, findings)).toMatchObject(want);
  });

  it.each<[string, ScopeFlags, RegExp]>([
    ['nothing in scope', {}, /nothing in scope/],
    ['--user without --since', { object: ['Contact'], user: ['a@x.example'] }, /--since is required/],
    ['unknown integration', { integration: 'nope', since }, /no integration "nope".*/],
    ['integration without users', { integration: 'empty', since }, /lists no users/],
    ['bad object name', { object: ['Contact; DROP'], user: ['a'], since }, /--object: "Contact; DROP"/],
    [
      '--until before --since',
      { object: ['Contact'], user: ['a'], since, until: new Date('2026-10-01T00:00:00Z') },
      /--until is before --since/,
    ],
    ['--user without --object', { user: ['a'], since }, /--object is required/],
  ])('refuses %s (UsageError)', (_n, flags, re) => {
    expect(() => resolveScope(flags, config, {})).toThrow(UsageError);
    expect(() => resolveScope(flags, config, {})).toThrow(re);
  });
});

describe('parseFindings', () => {
  const line = (o: object) => JSON.stringify(o);
  it('groups ids by object, drops duplicates and filters by level', () => {
    const text = [
      line({ id: '003000000000001AAA', object: 'Contact', level: 'high' }),
      line({ id: '003000000000001AAA', object: 'Contact', level: 'high' }),
      line({ id: '003000000000002AAA', object: 'Contact', level: 'low' }),
      '',
      line({ id: '00Q000000000001', object: 'Lead', level: 'medium' }),
    ].join('\n');
    expect(parseFindings(text, 'f.jsonl')).toEqual({
      Contact: ['003000000000001AAA', '003000000000002AAA'],
      Lead: ['00Q000000000001'],
    });
    expect(parseFindings(text, 'f.jsonl', 'medium')).toEqual({
      Contact: ['003000000000001AAA'],
      Lead: ['00Q000000000001'],
    });
  });
  it.each([
    ['not json', 'x', /f\.jsonl:1: not valid JSON/],
    ['no id', line({ object: 'Contact' }), /f\.jsonl:1: a finding needs a Salesforce record "id"/],
    ['bad id', line({ id: 'abc', object: 'Contact' }), /needs a Salesforce record "id"/],
    ['no object', line({ id: '003000000000001AAA' }), /needs an "object"/],
  ])('%s names the line', (_n, text, re) => {
    expect(() => parseFindings(`${line({ id: '003000000000009AAA', object: 'Contact' })}\n${text}`, 'f.jsonl')).toThrow(
      new RegExp(re.source.replace(':1:', ':2:')),
    );
  });
});

describe('planUndo', () => {
  const done: DoneWrite[] = [
    { object: 'Contact', id: 'A', action: 'delete' as const, fields: {}, beforeImage: { Email: 'x' } },
    {
      object: 'Contact',
      id: 'B',
      action: 'restore' as const,
      fields: { Email: 'orig', Phone: '1' },
      beforeImage: { Email: 'fake', Phone: '9' },
    },
    {
      object: 'Contact',
      id: 'C',
      action: 'restore' as const,
      fields: { Email: 'orig' },
      beforeImage: { Email: 'fake' },
    },
    {
      object: 'Contact',
      id: 'D',
      action: 'quarantine' as const,
      fields: { OwnerId: 'Q' },
      beforeImage: { OwnerId: 'O' },
    },
  ];
  const current = new Map([
    ['B', { Email: 'orig', Phone: '5' }],
    ['C', null],
    ['D', { OwnerId: 'Q' }],
  ]);

  it('undeletes deleted records, re-applies before-images and leaves fields changed since alone', () => {
    const r = planUndo(done, current as never, 'skip');
    expect(r.items).toEqual([
      { object: 'Contact', id: 'A', action: 'undelete', set: {}, beforeImage: {} },
      { object: 'Contact', id: 'B', action: 'restore', set: { Email: 'fake' }, beforeImage: { Email: 'orig' } },
      { object: 'Contact', id: 'D', action: 'restore', set: { OwnerId: 'O' }, beforeImage: { OwnerId: 'Q' } },
    ]);
    expect(r.conflicts).toEqual([
      { object: 'Contact', id: 'B', field: 'Phone', before: '9', rollback: '1', current: '5', resolution: 'left' },
    ]);
    expect(r.missing).toEqual(['C']);
  });

  it('take-before overrides the conflict', () => {
    const r = planUndo(done, current as never, 'take-before');
    expect(r.items.find((i) => i.id === 'B')!.set).toEqual({ Email: 'fake', Phone: '9' });
  });
});

describe('write order', () => {
  const rows = [
    { object: 'Account', action: 'delete', id: 1 },
    { object: 'Contact', action: 'restore', id: 2 },
    { object: 'Contact', action: 'delete', id: 3 },
    { object: 'Account', action: 'undelete', id: 4 },
    { object: 'Lead', action: 'undelete', id: 5 },
  ];
  it('deletes accounts after their children', () => {
    expect(writeOrder(rows).map((r) => r.id)).toEqual([2, 3, 4, 5, 1]);
  });
  it('undeletes accounts before their children, then restores', () => {
    expect(undeleteOrder(rows).map((r) => r.id)).toEqual([4, 5, 1, 2, 3]);
  });
});
