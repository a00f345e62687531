import jsforce from 'jsforce';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { smallSeed } from './fixtures.js';

let emu: Emulator;
const V = '62.0';
const tokenConn = (accessToken: string) =>
  new jsforce.Connection({ instanceUrl: emu.instanceUrl, accessToken, version: V });

beforeEach(async () => {
  emu = await startEmulator({ seed: smallSeed() });
});
afterEach(async () => {
  await emu.close();
});

test('OAuth2 password login issues a token for that user, with an OauthToken grant', async () => {
  const conn = new jsforce.Connection({
    oauth2: { loginUrl: emu.loginUrl, clientId: 'CID', clientSecret: 'SECRET' },
    version: V,
  });
  const info = await conn.login('sync@test.example', 'pw-sync');
  expect(info.organizationId).toBe(emu.state.orgId);
  expect(conn.instanceUrl).toBe(emu.instanceUrl);
  const me = await conn.identity();
  expect(me.username).toBe('sync@test.example');
  const created = await conn.sobject('Account').create({ Name: 'By Sync' });
  const admin = tokenConn(emu.accessToken);
  const acc = await admin.sobject('Account').retrieve(created.id!);
  expect(acc.CreatedById).toBe(info.id);
  expect(acc.LastModifiedById).toBe(info.id);
  const grants = await admin.query<{ AppName: string; User: { Username: string } }>(
    "SELECT AppName, UserId, User.Username, DeleteToken FROM OauthToken WHERE AppName = 'Lockout CLI'",
  );
  expect(grants.records.map((g) => g.User.Username)).toEqual(['sync@test.example']);
});

test('the password may carry the security token appended (OAuth2 and SOAP)', async () => {
  const o = new jsforce.Connection({
    oauth2: { loginUrl: emu.loginUrl, clientId: 'CID', clientSecret: 'SECRET' },
    version: V,
  });
  await o.login('sync@test.example', 'pw-syncTOK123');
  const s = new jsforce.Connection({ loginUrl: emu.loginUrl, version: V });
  await s.login('sync@test.example', 'pw-syncTOK123');
  await expect(s.login('sync@test.example', 'pw-syncWRONG')).rejects.toThrow(/INVALID_LOGIN/);
});

test('wrong password, unknown client and frozen user fail with the OAuth error body', async () => {
  const bad = new jsforce.Connection({
    oauth2: { loginUrl: emu.loginUrl, clientId: 'CID', clientSecret: 'SECRET' },
    version: V,
  });
  await expect(bad.login('sync@test.example', 'nope')).rejects.toThrow('authentication failure');
  await expect(bad.login('frozen@test.example', 'pw-frozen')).rejects.toThrow('authentication failure');
  const res = await fetch(`${emu.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=password&username=sync%40test.example&password=pw-sync&client_id=OTHER',
  });
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
  const admin = tokenConn(emu.accessToken);
  const hist = await admin.query<{ Status: string; User: { Username: string } }>(
    'SELECT User.Username, Status, LoginType, Application FROM LoginHistory ORDER BY LoginTime, Id',
  );
  expect(hist.records.map((h) => [h.User.Username, h.Status])).toEqual([
    ['sync@test.example', 'Invalid Password'],
    ['frozen@test.example', 'User is Frozen'],
  ]);
});

test('a frozen user cannot call the API; freezing takes effect at once', async () => {
  await expect(tokenConn('FROZEN-TOKEN').query('SELECT Id FROM Account')).rejects.toMatchObject({
    errorCode: 'INVALID_SESSION_ID',
  });
  const sync = tokenConn('SYNC-ACCESS-TOKEN');
  await sync.query('SELECT Id FROM Account');
  const admin = tokenConn(emu.accessToken);
  const syncUser = emu.state.userByUsername('sync@test.example')!;
  const login = await admin.query<{ Id: string }>(
    `SELECT Id, IsFrozen FROM UserLogin WHERE UserId IN ('${syncUser.Id}')`,
  );
  expect(login.records).toHaveLength(1);
  await admin.sobject('UserLogin').update({ Id: login.records[0]!.Id, IsFrozen: true });
  const res = await fetch(`${emu.instanceUrl}/services/data/v62.0/query?q=SELECT+Id+FROM+Account`, {
    headers: { Authorization: 'Bearer SYNC-ACCESS-TOKEN' },
  });
  expect(res.status).toBe(401);
  expect(await res.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
});

test('revoking the DeleteToken ends the grant: access and refresh tokens stop working, the row goes', async () => {
  const sync = tokenConn('SYNC-ACCESS-TOKEN');
  await sync.query('SELECT Id FROM Account');
  const admin = tokenConn(emu.accessToken);
  const rows = await admin.query<{ DeleteToken: string }>(
    "SELECT Id, DeleteToken FROM OauthToken WHERE AppName = 'Partner Sync'",
  );
  expect((rows.records[0] as Record<string, unknown>).Id).toBeNull();
  const res = await fetch(`${emu.loginUrl}/services/oauth2/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `token=${encodeURIComponent(rows.records[0]!.DeleteToken)}`,
  });
  expect(res.status).toBe(200);
  await expect(sync.query('SELECT Id FROM Account')).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
  const refresh = await fetch(`${emu.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=refresh_token&refresh_token=SYNC-REFRESH-TOKEN&client_id=CC',
  });
  expect(refresh.status).toBe(400);
  expect((await admin.query("SELECT Id FROM OauthToken WHERE AppName = 'Partner Sync'")).totalSize).toBe(0);
  // OauthToken rows cannot be deleted through the sObject API.
  await expect(admin.sobject('OauthToken').destroy('0CR5E0000000001AAA')).rejects.toMatchObject({
    errorCode: 'INVALID_TYPE',
  });
});

test('refresh token grant issues a new access token in the same grant', async () => {
  const res = await fetch(`${emu.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=refresh_token&refresh_token=SYNC-REFRESH-TOKEN&client_id=CC&client_secret=CCSECRET',
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { access_token: string; instance_url: string; id: string };
  expect(body.instance_url).toBe(emu.instanceUrl);
  const me = await tokenConn(body.access_token).identity();
  expect(me.username).toBe('sync@test.example');
});

test('client credentials and JWT bearer', async () => {
  const cc = await fetch(`${emu.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=CC&client_secret=CCSECRET',
  });
  expect(cc.status).toBe(200);
  const ccTok = ((await cc.json()) as { access_token: string }).access_token;
  expect((await tokenConn(ccTok).identity()).username).toBe('sync@test.example');
  const wrong = await fetch(`${emu.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=CC&client_secret=bad',
  });
  expect(wrong.status).toBe(400);

  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const jwt = `${b64({ alg: 'RS256' })}.${b64({ iss: 'CID', sub: 'admin@test.example', aud: emu.loginUrl, exp: Math.floor(Date.now() / 1000) + 300 })}.sig`;
  const jr = await fetch(`${emu.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=${encodeURIComponent('urn:ietf:params:oauth:grant-type:jwt-bearer')}&assertion=${jwt}`,
  });
  expect(jr.status).toBe(200);
  const jTok = ((await jr.json()) as { access_token: string }).access_token;
  expect((await tokenConn(jTok).identity()).username).toBe('admin@test.example');
});

test('SOAP login, logout and the SOAP fault for a bad password', async () => {
  const conn = new jsforce.Connection({ loginUrl: emu.loginUrl, version: V });
  const info = await conn.login('admin@test.example', 'pw-admin');
  expect(info.organizationId).toBe(emu.state.orgId);
  expect(conn.instanceUrl).toBe(emu.instanceUrl);
  expect((await conn.query('SELECT Id FROM Account')).totalSize).toBe(1);
  const token = conn.accessToken!;
  await conn.logout();
  await expect(tokenConn(token).query('SELECT Id FROM Account')).rejects.toMatchObject({
    errorCode: 'INVALID_SESSION_ID',
  });
  const bad = new jsforce.Connection({ loginUrl: emu.loginUrl, version: V });
  await expect(bad.login('admin@test.example', 'wrong')).rejects.toThrow(/INVALID_LOGIN/);
});

test('deleting an AuthSession ends that session at once', async () => {
  const admin = tokenConn(emu.accessToken);
  const sync = tokenConn('SYNC-ACCESS-TOKEN');
  const syncUser = emu.state.userByUsername('sync@test.example')!;
  const sessions = await admin.query<{ Id: string }>(
    `SELECT Id, UsersId, SessionType FROM AuthSession WHERE UsersId = '${syncUser.Id}'`,
  );
  expect(sessions.totalSize).toBe(1);
  await admin.sobject('AuthSession').destroy(sessions.records[0]!.Id);
  await expect(sync.query('SELECT Id FROM Account')).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
});

test('an exhausted daily limit answers 403 REQUEST_LIMIT_EXCEEDED', async () => {
  emu.state.limits.DailyApiRequests!.Remaining = 1;
  const admin = tokenConn(emu.accessToken);
  const l = await admin.limits();
  expect(l.DailyApiRequests!.Remaining).toBe(0);
  await expect(admin.query('SELECT Id FROM Account')).rejects.toMatchObject({
    errorCode: 'REQUEST_LIMIT_EXCEEDED',
    message: 'TotalRequests Limit exceeded.',
  });
});

test('a 401 on a connection made by login() re-logs in once and retries', async () => {
  const conn = new jsforce.Connection({
    oauth2: { loginUrl: emu.loginUrl, clientId: 'CID', clientSecret: 'SECRET' },
    version: V,
  });
  await conn.login('sync@test.example', 'pw-sync');
  const first = conn.accessToken;
  await fetch(`${emu.instanceUrl}/__emulator/expire`, { method: 'POST', body: JSON.stringify({ token: first }) });
  const r = await conn.query('SELECT Id FROM Account');
  expect(r.totalSize).toBe(1);
  expect(conn.accessToken).not.toBe(first);
  const log = (await (await fetch(`${emu.instanceUrl}/__emulator/requests`)).json()) as {
    requests: { path: string; status: number }[];
  };
  expect(log.requests.map((q) => `${q.status} ${q.path}`)).toEqual([
    '200 /services/oauth2/token',
    '401 /services/data/v62.0/query',
    '200 /services/oauth2/token',
    '200 /services/data/v62.0/query',
  ]);
});
