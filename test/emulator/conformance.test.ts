// The typical lockout queries of salesforce-api.md §11.3, run through jsforce against the demo seed, each checked
// against the seed's records read directly from the state.
import jsforce from 'jsforce';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { demoSeed } from '../../src/emulator/seeds/demo.js';
import type { Seed } from '../../src/emulator/seed.js';

let emu: Emulator;
let conn: jsforce.Connection;
type R = Record<string, unknown>;

beforeAll(async () => {
  emu = await startEmulator({ seed: demoSeed({ scale: 0.1 }) as unknown as Seed });
  conn = new jsforce.Connection({ instanceUrl: emu.instanceUrl, accessToken: emu.accessToken, version: '62.0' });
});
afterAll(async () => {
  await emu.close();
});

const q = async (soql: string, opts: { scanAll?: boolean } = {}) =>
  (await conn.query<R>(soql, { ...opts, autoFetch: true, maxFetch: 100000 })).records;

test('integration users by profile or license', async () => {
  const rows = await q(
    "SELECT Id, Username, Name, IsActive, UserType, Profile.Name, Profile.PermissionsApiUserOnly, LastLoginDate FROM User WHERE IsActive = true AND (Profile.PermissionsApiUserOnly = true OR Profile.UserLicense.Name = 'Salesforce Integration')",
  );
  const st = emu.state;
  const expected = st.records('User').filter((u) => {
    const p = st.get('Profile', String(u.ProfileId));
    const lic = p?.UserLicenseId ? st.get('UserLicense', String(p.UserLicenseId)) : undefined;
    return u.IsActive === true && (p?.PermissionsApiUserOnly === true || lic?.Name === 'Salesforce Integration');
  });
  expect(expected.length).toBeGreaterThan(0);
  expect(rows.map((r) => r.Id).sort()).toEqual(expected.map((u) => u.Id).sort());
  expect((rows[0]!.Profile as R).attributes).toMatchObject({ type: 'Profile' });
});

test('history by user and date, newest first', async () => {
  const st = emu.state;
  const h = st.records('ContactHistory');
  expect(h.length).toBeGreaterThan(0);
  const by = String(h[0]!.CreatedById);
  const rows = await q(
    `SELECT Id, ContactId, Field, OldValue, NewValue, CreatedById, CreatedDate FROM ContactHistory WHERE CreatedDate >= 2024-05-01T00:00:00Z AND CreatedById = '${by}' ORDER BY CreatedDate DESC, Id`,
  );
  const expected = h.filter(
    (r) =>
      r.CreatedById === by &&
      Date.parse(String(r.CreatedDate).replace('+0000', 'Z')) >= Date.parse('2024-05-01T00:00:00Z'),
  );
  expect(rows).toHaveLength(expected.length);
  const dates = rows.map((r) => String(r.CreatedDate));
  expect([...dates].sort().reverse()).toEqual(dates);
});

test('counts, OAuth grants, flows, semi-join and deleted rows', async () => {
  const st = emu.state;
  const by = String(st.records('Contact')[0]!.LastModifiedById);
  const count = await conn.query(`SELECT COUNT() FROM Contact WHERE LastModifiedById = '${by}'`);
  expect(count.totalSize).toBe(st.records('Contact').filter((c) => c.LastModifiedById === by).length);

  const app = String(st.records('OauthToken')[0]!.AppName);
  const grants = await q(
    `SELECT AppName, UserId, User.Username, UseCount, LastUsedDate, DeleteToken FROM OauthToken WHERE AppName = '${app}'`,
  );
  expect(grants.length).toBe(st.records('OauthToken').filter((t) => t.AppName === app).length);
  expect((grants[0]!.User as R).Username).toBe(st.user(String(grants[0]!.UserId))!.Username);

  const flows = await q(
    "SELECT ApiName, TriggerType, TriggerObjectOrEventLabel, IsActive, ActiveVersionId FROM FlowDefinitionView WHERE IsActive = true AND TriggerType IN ('RecordAfterSave','RecordBeforeSave')",
  );
  expect(flows.length).toBe(
    st
      .records('FlowDefinitionView')
      .filter((f) => f.IsActive === true && ['RecordAfterSave', 'RecordBeforeSave'].includes(String(f.TriggerType)))
      .length,
  );

  const semi = await q(
    'SELECT Id FROM User WHERE Id IN (SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSet.PermissionsApiUserOnly = true)',
  );
  const apiOnlySets = new Set(
    st
      .records('PermissionSet')
      .filter((p) => p.PermissionsApiUserOnly === true)
      .map((p) => p.Id),
  );
  const assignees = new Set(
    st
      .records('PermissionSetAssignment')
      .filter((a) => apiOnlySets.has(a.PermissionSetId!))
      .map((a) => a.AssigneeId),
  );
  expect(semi.map((r) => r.Id).sort()).toEqual([...assignees].sort());

  const victim = st.records('Contact')[1]!;
  await conn.sobject('Contact').destroy(String(victim.Id));
  const deleted = await q('SELECT Id FROM Contact WHERE IsDeleted = true AND LastModifiedDate = LAST_N_DAYS:1', {
    scanAll: true,
  });
  expect(deleted.map((r) => r.Id)).toContain(victim.Id);
});
