// Tooling API (FlowDefinition, Flow, RemoteProxy, ApexTrigger) and FlowDefinitionView, through jsforce over HTTP,
// on a small demo org.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Connection } from 'jsforce';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { Seed } from '../../src/emulator/seed.js';
import { DEMO, demoSeed } from '../../src/emulator/seeds/demo.js';

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

type Row = Record<string, unknown>;

async function flowDef(name: string): Promise<Row> {
  const r = await conn.tooling.query<Row>(
    `SELECT Id, DeveloperName, ActiveVersionId, LatestVersionId, Metadata FROM FlowDefinition WHERE DeveloperName = '${name}'`,
  );
  expect(r.totalSize).toBe(1);
  return r.records[0]!;
}

async function flowView(name: string): Promise<Row> {
  const r = await conn.query<Row>(
    `SELECT ApiName, TriggerType, TriggerObjectOrEventLabel, IsActive, ActiveVersionId FROM FlowDefinitionView WHERE ApiName = '${name}'`,
  );
  expect(r.totalSize).toBe(1);
  return r.records[0]!;
}

describe('FlowDefinition', () => {
  it('lists active record-triggered flows through tooling and REST', async () => {
    const t = await conn.tooling.query<Row>(
      'SELECT Id, DeveloperName, ActiveVersionId FROM FlowDefinition WHERE ActiveVersionId != null',
    );
    expect(t.records.map((r) => r.DeveloperName).sort()).toEqual(DEMO.integrations.map((i) => i.flow).sort());
    expect(String(t.records[0]!.Id)).toMatch(/^300\w{15}$/);
    const v = await conn.query<Row>(
      "SELECT ApiName, TriggerType, TriggerObjectOrEventLabel, IsActive FROM FlowDefinitionView WHERE IsActive = true AND TriggerType IN ('RecordAfterSave','RecordBeforeSave')",
    );
    expect(v.totalSize).toBe(DEMO.integrations.length);
    expect(await flowView(ps.flow)).toMatchObject({
      TriggerType: 'RecordAfterSave',
      TriggerObjectOrEventLabel: 'Contact',
      IsActive: true,
    });
  });

  it('refuses Metadata on a multi-row query, serves it on a single row', async () => {
    await expect(conn.tooling.query('SELECT Id, Metadata FROM FlowDefinition')).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: expect.stringContaining('no more than one row for retrieval. Result size: 4'),
    });
    const def = await flowDef(ps.flow);
    expect(def.Metadata).toMatchObject({ activeVersionNumber: 2, masterLabel: ps.flow.replace(/_/g, ' ') });
    const cannotFilter = conn.tooling.query("SELECT Id FROM FlowDefinition WHERE Metadata = 'x'");
    await expect(cannotFilter).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
  });

  it('deactivates with activeVersionNumber 0 and reactivates a version, stamping the user', async () => {
    const before = await flowDef(ps.flow);
    const res = await conn.tooling
      .sobject('FlowDefinition')
      .update({ Id: before.Id as string, Metadata: { activeVersionNumber: 0 } });
    expect(res).toMatchObject({ success: true });
    const off = await flowDef(ps.flow);
    expect(off.ActiveVersionId).toBeNull();
    expect((off.Metadata as Row).activeVersionNumber).toBeNull();
    expect(await flowView(ps.flow)).toMatchObject({ IsActive: false, ActiveVersionId: null });
    const stored = emu.state.get('FlowDefinition', before.Id as string)!;
    expect(stored.LastModifiedById).toBe(adminId);
    const versions = await conn.tooling.query<Row>(
      `SELECT VersionNumber, Status FROM Flow WHERE DefinitionId = '${before.Id}' ORDER BY VersionNumber`,
    );
    expect(versions.records.map((r) => [r.VersionNumber, r.Status])).toEqual([
      [1, 'Obsolete'],
      [2, 'Obsolete'],
    ]);

    await conn.tooling
      .sobject('FlowDefinition')
      .update({ Id: before.Id as string, Metadata: { activeVersionNumber: 2 } });
    const on = await flowDef(ps.flow);
    expect(on.ActiveVersionId).toBe(before.ActiveVersionId);
    expect((await flowView(ps.flow)).IsActive).toBe(true);

    await expect(
      conn.tooling.sobject('FlowDefinition').update({ Id: before.Id as string, Metadata: { activeVersionNumber: 9 } }),
    ).rejects.toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION' });
    await expect(
      conn.tooling.sobject('FlowDefinition').update({ Id: before.Id as string, ActiveVersionId: null } as never),
    ).rejects.toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' });
  });

  it('deactivates through the Flow version (status Obsolete) too', async () => {
    const def = await flowDef(DEMO.integrations[1]!.flow);
    await conn.tooling
      .sobject('Flow')
      .update({ Id: def.ActiveVersionId as string, Metadata: { status: 'Obsolete' } } as never);
    expect((await flowDef(DEMO.integrations[1]!.flow)).ActiveVersionId).toBeNull();
    expect((await flowView(DEMO.integrations[1]!.flow)).IsActive).toBe(false);
  });

  it('updates several flows in one call (tooling sObject Collections, as jsforce sends arrays)', async () => {
    const [a, b] = [DEMO.integrations[2]!.flow, DEMO.integrations[3]!.flow];
    const ids = [(await flowDef(a)).Id as string, (await flowDef(b)).Id as string];
    const res = await conn.tooling
      .sobject('FlowDefinition')
      .update(ids.map((Id) => ({ Id, Metadata: { activeVersionNumber: 0 } })));
    expect(res.map((r) => r.success)).toEqual([true, true]);
    expect(emu.router.counts.get('PATCH /services/data/:version/tooling/composite/sobjects')).toBe(1);
    expect((await flowView(a)).IsActive).toBe(false);
    expect((await flowView(b)).IsActive).toBe(false);
  });

  it('has no DELETE (405)', async () => {
    const def = await flowDef(ps.flow);
    const res = await fetch(`${emu.instanceUrl}/services/data/v${V}/tooling/sobjects/FlowDefinition/${def.Id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${emu.accessToken}` },
    });
    expect(res.status).toBe(405);
  });
});

describe('RemoteProxy and ApexTrigger', () => {
  it('deactivates a remote site with full Metadata and refuses a partial one', async () => {
    const q = await conn.tooling.query<Row>(
      `SELECT Id, SiteName, EndpointUrl, IsActive FROM RemoteProxy WHERE SiteName = '${ps.remoteSite}'`,
    );
    const site = q.records[0]!;
    expect(site).toMatchObject({ EndpointUrl: ps.remoteSiteUrl, IsActive: true });
    expect(String(site.Id)).toMatch(/^0rp/);
    await expect(
      conn.tooling.sobject('RemoteProxy').update({ Id: site.Id as string, Metadata: { isActive: false } } as never),
    ).rejects.toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING' });
    await conn.tooling.sobject('RemoteProxy').update({
      Id: site.Id as string,
      Metadata: { isActive: false, url: ps.remoteSiteUrl, disableProtocolSecurity: false },
    } as never);
    const got = await conn.tooling.sobject('RemoteProxy').retrieve(site.Id as string);
    expect(got).toMatchObject({
      IsActive: false,
      FullName: ps.remoteSite,
      Metadata: { isActive: false, url: ps.remoteSiteUrl },
    });
    expect(emu.state.get('RemoteProxy', site.Id as string)!.LastModifiedById).toBe(adminId);
  });

  it('refuses to change an Apex trigger in a production org, as the platform does', async () => {
    const q = await conn.tooling.query<Row>(
      "SELECT Id, Name, Status, TableEnumOrId FROM ApexTrigger WHERE Status = 'Active'",
    );
    expect(q.records.map((r) => r.Name)).toEqual([ps.apexTrigger]);
    await expect(
      conn.tooling
        .sobject('ApexTrigger')
        .update({ Id: q.records[0]!.Id as string, Metadata: { status: 'Inactive' } } as never),
    ).rejects.toMatchObject({
      errorCode: 'INVALID_TYPE',
      message: 'Save or update not supported in active organizations.',
    });
    expect(emu.state.get('ApexTrigger', q.records[0]!.Id as string)!.Status).toBe('Active');
  });

  it('lets a sandbox switch an Apex trigger off', async () => {
    const org = emu.state.records('Organization')[0]!;
    org.IsSandbox = true;
    try {
      const q = await conn.tooling.query<Row>(`SELECT Id FROM ApexTrigger WHERE Name = '${ps.apexTrigger}'`);
      await conn.tooling
        .sobject('ApexTrigger')
        .update({ Id: q.records[0]!.Id as string, Metadata: { status: 'Inactive' } } as never);
      expect(emu.state.get('ApexTrigger', q.records[0]!.Id as string)!.Status).toBe('Inactive');
    } finally {
      org.IsSandbox = false;
    }
  });

  it('filters on FullName', async () => {
    const q = await conn.tooling.query<Row>(`SELECT Id, SiteName FROM RemoteProxy WHERE FullName = '${ps.remoteSite}'`);
    expect(q.records.map((r) => r.SiteName)).toEqual([ps.remoteSite]);
  });

  it('keeps tooling objects out of REST and REST objects out of tooling', async () => {
    await expect(conn.query('SELECT Id FROM RemoteProxy')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
    await expect(conn.tooling.query('SELECT Id FROM Contact')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
  });
});
