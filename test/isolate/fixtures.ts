import type { Integration } from '../../src/config/schema.js';
import type { PreState, UserState } from '../../src/isolate/model.js';

/** Builders for pure-core tests (style.md: test data from a builder). */

export const user = (n: number, over: Partial<UserState> = {}): UserState => ({
  id: `005000000000${String(n).padStart(3, '0')}AAA`,
  username: `sync${n}@partner.example`,
  isActive: true,
  userLoginId: `0Yw000000000${String(n).padStart(3, '0')}AAA`,
  frozen: false,
  sessions: [
    { id: `0Ak000000000${String(n).padStart(3, '0')}AAA`, sessionType: 'API', sourceIp: '10.0.0.1', createdDate: null },
  ],
  ...over,
});

export const ADMIN = user(900, { username: 'breakglass@acme.example' });
export const RUNNER = user(901, { username: 'oncall@acme.example' });

export function preState(over: Partial<PreState> = {}): PreState {
  const u1 = user(1);
  return {
    readAt: '2026-11-27T00:00:00.000Z',
    org: { id: '00D000000000001AAA', instanceUrl: 'http://127.0.0.1:1' },
    runningUser: { id: RUNNER.id, username: RUNNER.username },
    users: [u1, ADMIN, RUNNER],
    tokens: [
      {
        appName: 'Partner Sync',
        userId: u1.id,
        username: u1.username,
        useCount: 10,
        lastUsedDate: '2026-11-26T23:00:00.000+0000',
        ref: 'aaaa000000000001',
      },
      {
        appName: 'Partner Sync',
        userId: ADMIN.id,
        username: ADMIN.username,
        useCount: 1,
        lastUsedDate: null,
        ref: 'aaaa000000000002',
      },
      {
        appName: 'Other App',
        userId: ADMIN.id,
        username: ADMIN.username,
        useCount: 1,
        lastUsedDate: null,
        ref: 'bbbb',
      },
    ],
    remoteSites: [
      {
        id: '0rp000000000001AAA',
        name: 'Partner_API',
        url: 'https://api.partner.example',
        isActive: true,
        disableProtocolSecurity: false,
        description: 'partner',
      },
      {
        id: '0rp000000000002AAA',
        name: 'Old_Partner',
        url: 'https://old.partner.example',
        isActive: false,
        disableProtocolSecurity: false,
        description: null,
      },
    ],
    namedCredentials: [],
    bulkJobs: [
      {
        id: '750000000000001AAA',
        api: 'v2-ingest',
        object: 'Contact',
        operation: 'upsert',
        state: 'Open',
        createdById: u1.id,
        createdDate: null,
      },
      {
        id: '750000000000002AAA',
        api: 'v1',
        object: 'Contact',
        operation: 'insert',
        state: 'InProgress',
        createdById: u1.id,
        createdDate: null,
      },
      {
        id: '750000000000003AAA',
        api: 'v2-ingest',
        object: 'Contact',
        operation: 'insert',
        state: 'JobComplete',
        createdById: u1.id,
        createdDate: null,
      },
      {
        id: '750000000000004AAA',
        api: 'v2-ingest',
        object: 'Contact',
        operation: 'insert',
        state: 'Open',
        createdById: ADMIN.id,
        createdDate: null,
      },
    ],
    flows: [
      {
        id: '300000000000001AAA',
        apiName: 'Contact_Enrich',
        label: null,
        object: 'Contact',
        triggerType: 'RecordAfterSave',
        activeVersionId: '301000000000001AAA',
        activeVersionNumber: 3,
      },
      {
        id: '300000000000002AAA',
        apiName: 'Account_Sync',
        label: null,
        object: 'Account',
        triggerType: 'RecordAfterSave',
        activeVersionId: '301000000000002AAA',
        activeVersionNumber: 1,
      },
      {
        id: '300000000000003AAA',
        apiName: 'Contact_Screen',
        label: null,
        object: 'Contact',
        triggerType: null,
        activeVersionId: '301000000000003AAA',
        activeVersionNumber: 1,
      },
    ],
    apexTriggers: [{ id: '01q000000000001AAA', name: 'ContactTrigger', object: 'Contact', status: 'Active' }],
    notFound: [],
    ...over,
  };
}

export const partnerSync: Integration = {
  name: 'partner-sync',
  users: ['sync1@partner.example'],
  connectedApps: ['Partner Sync'],
  remoteSites: ['Partner_API', 'Old_Partner'],
  namedCredentials: [],
  flows: [],
  objects: ['Contact'],
};

export const billing: Integration = {
  name: 'billing',
  users: ['billing@acme.example'],
  connectedApps: ['Billing'],
  remoteSites: ['Partner_API'],
  namedCredentials: [],
  flows: [],
  objects: [],
};
