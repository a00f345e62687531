// Metadata API SOAP (readMetadata / updateMetadata / listMetadata) through jsforce's conn.metadata over HTTP.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Connection } from 'jsforce';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { Seed } from '../../src/emulator/seed.js';
import { DEMO, demoSeed, demoToken } from '../../src/emulator/seeds/demo.js';
import { parseSoapRequest, readResponse } from '../../src/emulator/metadata.js';

const V = '62.0';
const ps = DEMO.integrations[0]!;

let emu: Emulator;
let conn: Connection;
let adminId: string;

beforeAll(async () => {
  emu = await startEmulator({ seed: demoSeed({ scale: 0.02 }) as unknown as Seed });
  conn = new Connection({ instanceUrl: emu.instanceUrl, accessToken: emu.accessToken, version: V });
  adminId = String(emu.state.ext.adminUserId);
});
afterAll(async () => {
  await emu?.close();
});

type Md = Record<string, unknown>;

describe('RemoteSiteSetting', () => {
  it('reads one and many; a missing component has no fullName', async () => {
    const one = (await conn.metadata.read('RemoteSiteSetting', ps.remoteSite)) as Md;
    expect(one).toEqual({
      fullName: ps.remoteSite,
      description: 'Partner Sync callouts',
      disableProtocolSecurity: false,
      isActive: true,
      url: ps.remoteSiteUrl,
    });
    const many = (await conn.metadata.read('RemoteSiteSetting', [ps.remoteSite, 'No_Such_Site'])) as Md[];
    expect(many).toHaveLength(2);
    expect(many[0]!.fullName).toBe(ps.remoteSite);
    expect(many[1]!.fullName).toBeUndefined();
  });

  it('updates with read-modify-write, refuses partial and unknown components', async () => {
    const cur = (await conn.metadata.read('RemoteSiteSetting', ps.remoteSite)) as Md;
    const res = await conn.metadata.update('RemoteSiteSetting', { ...cur, isActive: false } as never);
    expect(res).toMatchObject({ fullName: ps.remoteSite, success: true });
    expect(((await conn.metadata.read('RemoteSiteSetting', ps.remoteSite)) as Md).isActive).toBe(false);
    // One component seen by both APIs: the tooling RemoteProxy changed too, stamped with the caller.
    const rp = await conn.tooling.query<Md>(
      `SELECT IsActive, LastModifiedById FROM RemoteProxy WHERE SiteName = '${ps.remoteSite}'`,
    );
    expect(rp.records[0]).toMatchObject({ IsActive: false, LastModifiedById: adminId });

    const partial = await conn.metadata.update('RemoteSiteSetting', {
      fullName: ps.remoteSite,
      isActive: true,
    } as never);
    expect(partial).toMatchObject({ success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING' }] });
    const unknown = await conn.metadata.update('RemoteSiteSetting', {
      fullName: 'Nope',
      url: 'https://x.example.org',
      isActive: true,
      disableProtocolSecurity: false,
    } as never);
    expect(unknown).toMatchObject({
      success: false,
      errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', fields: ['fullName'] }],
    });
    const batch = (await conn.metadata.update('RemoteSiteSetting', [
      { ...cur, isActive: true },
      { fullName: 'Nope', url: 'https://x.example.org', isActive: true, disableProtocolSecurity: false },
    ] as never)) as unknown as Md[];
    expect(batch.map((r) => r.success)).toEqual([true, false]);
  });

  it('lists every remote site with file properties', async () => {
    const list = await conn.metadata.list([{ type: 'RemoteSiteSetting' }]);
    expect(list.map((f) => f.fullName).sort()).toEqual(DEMO.integrations.map((i) => i.remoteSite).sort());
    const f = list.find((x) => x.fullName === ps.remoteSite)!;
    expect(f).toMatchObject({
      type: 'RemoteSiteSetting',
      fileName: `remoteSiteSettings/${ps.remoteSite}.remoteSite`,
      manageableState: 'unmanaged',
    });
    expect(f.id).toMatch(/^0rp/);
    expect(f.lastModifiedByName).toBe('Dana Whitfield');
  });
});

describe('NamedCredential', () => {
  it('reads, updates (keeping unknown elements) and reflects the change in the sObject', async () => {
    const nc = (await conn.metadata.read('NamedCredential', ps.namedCredential)) as Md;
    expect(nc).toMatchObject({
      fullName: ps.namedCredential,
      endpoint: ps.namedCredentialEndpoint,
      principalType: 'NamedUser',
      protocol: 'Password',
    });
    const res = await conn.metadata.update('NamedCredential', {
      ...nc,
      endpoint: 'https://disabled.invalid',
      calloutStatus: 'Disabled',
    } as never);
    expect(res).toMatchObject({ success: true });
    const raw = await fetch(`${emu.instanceUrl}/services/Soap/m/${V}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', SOAPAction: '""' },
      body: `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header xmlns="http://soap.sforce.com/2006/04/metadata"><SessionHeader><sessionId>${emu.accessToken}</sessionId></SessionHeader></soapenv:Header><soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata"><readMetadata><type>NamedCredential</type><fullNames>${ps.namedCredential}</fullNames></readMetadata></soapenv:Body></soapenv:Envelope>`,
    });
    const xml = await raw.text();
    expect(raw.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(xml).toContain('<soapenv:Body><readMetadataResponse>');
    expect(xml).toContain('<calloutStatus>Disabled</calloutStatus>');
    const q = await conn.query<Md>(
      `SELECT Endpoint, LastModifiedById FROM NamedCredential WHERE DeveloperName = '${ps.namedCredential}'`,
    );
    expect(q.records[0]).toMatchObject({ Endpoint: 'https://disabled.invalid', LastModifiedById: adminId });
  });
});

describe('faults', () => {
  it('answers a bad session with the SOAP INVALID_SESSION_ID fault (HTTP 500)', async () => {
    const bad = new Connection({ instanceUrl: emu.instanceUrl, accessToken: '00Dbogus!token', version: V });
    await expect(bad.metadata.read('RemoteSiteSetting', ps.remoteSite)).rejects.toMatchObject({
      errorCode: 'sf:INVALID_SESSION_ID',
    });
  });

  it('ends a revoked integration session at once', async () => {
    const token = demoToken('erp-sync');
    const erp = new Connection({ instanceUrl: emu.instanceUrl, accessToken: token, version: V });
    expect(((await erp.metadata.read('RemoteSiteSetting', DEMO.integrations[1]!.remoteSite)) as Md).fullName).toBe(
      DEMO.integrations[1]!.remoteSite,
    );
    emu.state.revoke(token);
    await expect(erp.metadata.read('RemoteSiteSetting', DEMO.integrations[1]!.remoteSite)).rejects.toMatchObject({
      errorCode: 'sf:INVALID_SESSION_ID',
    });
  });

  it('refuses metadata types the emulator does not serve', async () => {
    await expect(conn.metadata.read('CustomObject', 'Account')).rejects.toMatchObject({ errorCode: 'sf:INVALID_TYPE' });
  });
});

describe('envelopes (pure)', () => {
  it('parses requests namespace-agnostically and builds a Body without attributes', () => {
    const req = parseSoapRequest(
      '<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header><m:SessionHeader xmlns:m="urn:x"><m:sessionId>T</m:sessionId></m:SessionHeader></se:Header><se:Body><m:readMetadata xmlns:m="urn:x"><m:type>RemoteSiteSetting</m:type><m:fullNames>A</m:fullNames></m:readMetadata></se:Body></se:Envelope>',
    );
    expect(req).toEqual({
      sessionId: 'T',
      method: 'readMetadata',
      args: { type: 'RemoteSiteSetting', fullNames: ['A'] },
    });
    const out = readResponse('RemoteSiteSetting', [{ fullName: 'A&B', url: 'https://a', isActive: true }, null]);
    expect(out).toContain(
      '<soapenv:Body><readMetadataResponse><result><records xsi:type="RemoteSiteSetting"><fullName>A&amp;B</fullName>',
    );
    expect(out).toContain('<records xsi:type="RemoteSiteSetting"/>');
  });
});

describe('--state persistence', () => {
  it('keeps metadata extras, tooling records and Bulk jobs across a restart', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'lockout-emu-state-'));
    const statePath = join(dir, 'org.json');
    try {
      const first = await startEmulator({ seed: demoSeed({ scale: 0.02 }) as unknown as Seed, statePath });
      const c1 = new Connection({ instanceUrl: first.instanceUrl, accessToken: first.accessToken, version: V });
      const nc = (await c1.metadata.read('NamedCredential', ps.namedCredential)) as Md;
      await c1.metadata.update('NamedCredential', { ...nc, calloutStatus: 'Disabled' } as never);
      const site = (await c1.metadata.read('RemoteSiteSetting', ps.remoteSite)) as Md;
      await c1.metadata.update('RemoteSiteSetting', { ...site, isActive: false } as never);
      const jobs1 = ((await c1.request('/jobs/ingest')) as { records: unknown[] }).records.length;
      await first.close();

      const second = await startEmulator({ statePath });
      try {
        const c2 = new Connection({ instanceUrl: second.instanceUrl, accessToken: second.accessToken, version: V });
        expect(((await c2.metadata.read('RemoteSiteSetting', ps.remoteSite)) as Md).isActive).toBe(false);
        expect(second.state.ext.metadata).toMatchObject({
          namedCredentials: { [ps.namedCredential]: { calloutStatus: 'Disabled' } },
        });
        const flows = await c2.tooling.query('SELECT Id FROM FlowDefinition WHERE ActiveVersionId != null');
        expect(flows.totalSize).toBe(DEMO.integrations.length);
        expect(((await c2.request('/jobs/ingest')) as { records: unknown[] }).records).toHaveLength(jobs1);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
