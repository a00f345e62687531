import type { OrgClient, SObjectRecord } from '../../src/org/client.js';
import { adminClient, collect, startEmulator, type Emulator } from './emu.js';

type Flow = SObjectRecord & { Id: string; DeveloperName: string; ActiveVersionId: string | null };

describe('Tooling and Metadata API through the client (demo seed)', () => {
  let emu: Emulator;
  let client: OrgClient;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, seed: 'demo' });
    client = await adminClient(emu);
  }, 60000);
  afterAll(async () => {
    await emu.close();
  });

  it('toolingQuery + toolingUpdate deactivate a record-triggered flow', async () => {
    const [flow] = await collect(
      client.toolingQuery<Flow>(
        "SELECT Id, DeveloperName, ActiveVersionId FROM FlowDefinition WHERE DeveloperName = 'PartnerSync_Contact_Enrichment'",
      ),
    );
    expect(flow!.ActiveVersionId).not.toBeNull();
    await client.toolingUpdate('FlowDefinition', { Id: flow!.Id, Metadata: { activeVersionNumber: 0 } });
    const [after] = await collect(
      client.toolingQuery<Flow>(`SELECT Id, ActiveVersionId FROM FlowDefinition WHERE Id = '${flow!.Id}'`),
    );
    expect(after!.ActiveVersionId).toBeNull();
  });

  it('metadataList / metadataRead / metadataUpdate a Remote Site Setting (read-modify-write)', async () => {
    const files = await client.metadataList('RemoteSiteSetting');
    expect(files.map((f) => f.fullName)).toContain('PartnerSync_API');

    const [site, missing] = await client.metadataRead('RemoteSiteSetting', ['PartnerSync_API', 'No_Such_Site']);
    expect(site).toMatchObject({ fullName: 'PartnerSync_API', isActive: true });
    expect(missing!.fullName).toBeUndefined();

    const [res] = await client.metadataUpdate('RemoteSiteSetting', [{ ...site!, isActive: false }]);
    expect(res).toEqual({ fullName: 'PartnerSync_API', success: true, errors: [] });
    const [again] = await client.metadataRead('RemoteSiteSetting', ['PartnerSync_API']);
    expect(again).toMatchObject({ fullName: 'PartnerSync_API', isActive: false });

    // A partial component is refused per component (updateMetadata replaces it), not thrown.
    const [partial] = await client.metadataUpdate('RemoteSiteSetting', [
      { fullName: 'PartnerSync_API', isActive: true },
    ]);
    expect(partial!.success).toBe(false);
    expect(partial!.errors[0]!.statusCode).toMatch(/REQUIRED_FIELD_MISSING|FIELD_INTEGRITY_EXCEPTION/);
  });

  it('metadataRead a Named Credential', async () => {
    const [nc] = await client.metadataRead('NamedCredential', ['PartnerSync']);
    expect(nc).toMatchObject({ fullName: 'PartnerSync' });
    expect(typeof nc!.endpoint).toBe('string');
  });
});
