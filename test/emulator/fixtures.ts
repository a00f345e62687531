import type { Seed } from '../../src/emulator/seed.js';

/** A small seed: an admin, an integration user with an OAuth grant, a frozen user, tracked Contact fields. */
export function smallSeed(): Seed {
  return {
    org: { Name: 'Test Org', IsSandbox: true, limits: { DailyApiRequests: 5000 } },
    oauthClients: [
      { clientId: 'CID', clientSecret: 'SECRET', appName: 'Lockout CLI' },
      { clientId: 'CC', clientSecret: 'CCSECRET', appName: 'Partner Sync', runAs: 'sync@test.example' },
    ],
    sobjects: {
      Profile: [
        { '@ref': 'p-admin', Name: 'System Administrator', PermissionsApiEnabled: true },
        { '@ref': 'p-int', Name: 'Integration', PermissionsApiEnabled: true, PermissionsApiUserOnly: true },
      ],
      User: [
        {
          '@ref': 'admin',
          admin: true,
          Username: 'admin@test.example',
          LastName: 'Admin',
          Email: 'admin@test.example',
          Alias: 'adm',
          IsActive: true,
          ProfileId: { '@ref': 'p-admin' },
          password: 'pw-admin',
          accessToken: 'ADMIN-TOKEN',
        },
        {
          '@ref': 'sync',
          Username: 'sync@test.example',
          LastName: 'Sync',
          Email: 'sync@test.example',
          Alias: 'sync',
          IsActive: true,
          ProfileId: { '@ref': 'p-int' },
          password: 'pw-sync',
          securityToken: 'TOK123',
        },
        {
          '@ref': 'frozen',
          Username: 'frozen@test.example',
          LastName: 'Frozen',
          Email: 'frozen@test.example',
          Alias: 'frz',
          IsActive: true,
          ProfileId: { '@ref': 'p-int' },
          password: 'pw-frozen',
          accessToken: 'FROZEN-TOKEN',
        },
      ],
      UserLogin: [{ UserId: { '@ref': 'frozen' }, IsFrozen: true }],
      OauthToken: [
        {
          AppName: 'Partner Sync',
          UserId: { '@ref': 'sync' },
          DeleteToken: 'SYNC-DELETE-TOKEN',
          UseCount: 12,
          accessToken: 'SYNC-ACCESS-TOKEN',
          refreshToken: 'SYNC-REFRESH-TOKEN',
        },
      ],
      Account: [{ '@ref': 'acme', Name: 'Acme', BillingCountry: 'Germany' }],
      Contact: [
        {
          '@ref': 'c1',
          LastName: 'Muller',
          FirstName: 'Anna',
          Email: 'anna@acme.example',
          AccountId: { '@ref': 'acme' },
        },
        {
          '@ref': 'c2',
          LastName: 'Schmidt',
          Email: null,
          AccountId: { '@ref': 'acme' },
          CreatedDate: '2024-05-01T10:00:00Z',
        },
        { LastName: 'Orphan', Email: 'orphan@else.example' },
      ],
    },
    historyTracking: { Contact: ['Email', 'LastName'] },
  };
}
