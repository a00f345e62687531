import { createVerify, generateKeyPairSync } from 'node:crypto';
import { UsageError } from '../../src/errors.js';
import { configSchema } from '../../src/config/schema.js';
import { jwtAssertion, planConnection } from '../../src/org/connect.js';
import { flattenRecord } from '../../src/org/flatten.js';
import { defaultScanFields, scanSoql } from '../../src/org/scan-source.js';
import { mapBulkResults } from '../../src/org/jsforce-client.js';
import { redact } from '../../src/redact.js';
import type { SObjectDescribe } from '../../src/org/client.js';

const org = (over: Record<string, unknown> = {}) => configSchema.parse({ org: over }).org;

describe('planConnection: the documented precedence', () => {
  const full = {
    SF_INSTANCE_URL: 'https://env.example.com',
    SF_ACCESS_TOKEN: 'envtoken123',
    SF_USERNAME: 'u@x.com',
    SF_PASSWORD: 'pw',
    SF_CLIENT_ID: 'cid',
    SF_CLIENT_SECRET: 'sec',
    SF_JWT_KEY_FILE: 'key.pem',
  };

  it('--access-token beats everything, with the resolved instance URL', () => {
    const p = planConnection({ accessToken: 'flagtoken1' }, full, org({ instanceUrl: 'https://flag.example.com' }));
    expect(p).toEqual({ mode: 'access-token', instanceUrl: 'https://flag.example.com', accessToken: 'flagtoken1' });
  });

  it('SF_ACCESS_TOKEN comes next, then --target-org, then password, then JWT', () => {
    expect(planConnection({}, full, org({ instanceUrl: 'https://env.example.com', targetOrg: 'prod' })).mode).toBe(
      'env-access-token',
    );
    const noToken = { ...full, SF_ACCESS_TOKEN: undefined };
    expect(planConnection({}, noToken, org({ targetOrg: 'prod' }))).toEqual({ mode: 'target-org', targetOrg: 'prod' });
    expect(planConnection({}, noToken, org()).mode).toBe('oauth-password');
    expect(
      planConnection({}, { ...noToken, SF_PASSWORD: '' }, org({ loginUrl: 'https://test.salesforce.com' })),
    ).toEqual({
      mode: 'jwt-bearer',
      loginUrl: 'https://test.salesforce.com',
      username: 'u@x.com',
      clientId: 'cid',
      keyFile: 'key.pem',
    });
  });

  it('half a mode is a usage error naming what is missing', () => {
    expect(() => planConnection({ accessToken: 'abcdefgh' }, {}, org())).toThrow(/needs an instance URL/);
    expect(() => planConnection({ instanceUrl: 'https://x.example.com' }, {}, org())).toThrow(
      /--instance-url needs an access token/,
    );
    expect(() => planConnection({}, { SF_PASSWORD: 'pw', SF_USERNAME: 'u' }, org())).toThrow(
      /needs SF_CLIENT_ID, SF_CLIENT_SECRET/,
    );
    expect(() => planConnection({}, { SF_JWT_KEY_FILE: 'k' }, org())).toThrow(/needs SF_USERNAME, SF_CLIENT_ID/);
    let err: unknown;
    try {
      planConnection({}, {}, org());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).hint).toContain('--target-org');
  });
});

describe('jwtAssertion', () => {
  it('is an RS256 JWT with iss/sub/aud/exp that verifies with the public key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const now = new Date('2026-01-01T00:00:00Z');
    const jwt = jwtAssertion({
      clientId: 'cid',
      username: 'u@x.com',
      audience: 'https://login.salesforce.com',
      key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      now,
    });
    const [h, p, s] = jwt.split('.');
    expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(p!, 'base64url').toString())).toEqual({
      iss: 'cid',
      sub: 'u@x.com',
      aud: 'https://login.salesforce.com',
      exp: now.getTime() / 1000 + 180,
    });
    const v = createVerify('RSA-SHA256');
    v.update(`${h}.${p}`);
    expect(v.verify(publicKey, Buffer.from(s!, 'base64url'))).toBe(true);
    expect(redact(`assertion=${jwt}`)).not.toContain(s);
  });
});

describe('flattenRecord: REST records as a Bulk CSV has them', () => {
  it('follows parent paths case-insensitively, keeps SELECT order, formats datetimes like Bulk', () => {
    const rec = {
      attributes: { type: 'Contact' },
      Id: '003000000000001AAA',
      Account: { attributes: { type: 'Account' }, Name: 'Acme' },
      CreatedDate: '2024-05-01T12:34:56.000+0000',
      NumberOfEmployees: 12,
      HasOptedOutOfEmail: false,
      Email: null,
    };
    const flat = flattenRecord(rec, [
      'Id',
      'account.name',
      'CreatedDate',
      'NumberOfEmployees',
      'HasOptedOutOfEmail',
      'Email',
    ]);
    expect(Object.keys(flat)).toEqual([
      'Id',
      'account.name',
      'CreatedDate',
      'NumberOfEmployees',
      'HasOptedOutOfEmail',
      'Email',
    ]);
    expect(flat).toEqual({
      Id: '003000000000001AAA',
      'account.name': 'Acme',
      CreatedDate: '2024-05-01T12:34:56.000Z',
      NumberOfEmployees: '12',
      HasOptedOutOfEmail: 'false',
      Email: null,
    });
    expect(flattenRecord({ Id: 'x', Account: null }, ['Account.Name'])).toEqual({ 'Account.Name': null });
  });
});

describe('scan field choice and SOQL', () => {
  const describeContact: SObjectDescribe = {
    name: 'Contact',
    label: 'Contact',
    keyPrefix: '003',
    queryable: true,
    fields: [
      ['Id', 'id'],
      ['FirstName', 'string'],
      ['LastName', 'string'],
      ['Email', 'email'],
      ['MailingCity', 'string'],
      ['MailingAddress', 'address'],
      ['Description', 'textarea'],
      ['AccountId', 'reference', 'Account'],
      ['OwnerId', 'reference', 'Owner'],
      ['Partner_Email__c', 'email'],
      ['Loyalty_Tier__c', 'picklist'],
    ].map(([name, type, rel]) => ({
      name: name!,
      type: type!,
      label: name!,
      nillable: true,
      updateable: true,
      createable: true,
      filterable: true,
      relationshipName: rel ?? null,
      referenceTo: [],
      compoundFieldName: null,
    })),
  };

  it('selects Id and the fields the scanner maps, including Account.Name and configured fields', () => {
    expect(defaultScanFields(describeContact, {})).toEqual([
      'Id',
      'FirstName',
      'LastName',
      'Email',
      'MailingCity',
      'Partner_Email__c',
      'Account.Name',
    ]);
    expect(defaultScanFields(describeContact, { Loyalty_Tier__c: 'title' })).toContain('Loyalty_Tier__c');
  });

  it('combines --where with the watermark at whole seconds (boundary records are scanned again, never missed)', () => {
    expect(scanSoql('Contact', ['Id', 'Email'], " Email LIKE '%@x.com' ", '2024-05-01T12:34:56.789Z')).toEqual({
      select: "SELECT Id, Email FROM Contact WHERE (Email LIKE '%@x.com') AND SystemModstamp >= 2024-05-01T12:34:56Z",
      count: "SELECT COUNT() FROM Contact WHERE (Email LIKE '%@x.com') AND SystemModstamp >= 2024-05-01T12:34:56Z",
    });
    expect(scanSoql('Lead', ['Id'], undefined, null).select).toBe('SELECT Id FROM Lead');
  });
});

describe('mapBulkResults: Bulk results, in any order, back to input order', () => {
  it('matches updates by Id (15 or 18 chars) and inserts by their values; unmatched rows are UNPROCESSED', () => {
    const input = [
      { Id: '003000000000001AAA', Email: null },
      { Id: '003000000000002AAA', Email: 'b@x.com' },
      { Id: '003000000000003AAA', Email: 'c@x.com' },
    ];
    const res = mapBulkResults('update', input, {
      jobId: '750',
      state: 'JobComplete',
      successful: [
        { id: '003000000000002AAA', created: false, record: { Id: '003000000000002AAA', Email: 'b@x.com' } },
      ],
      failed: [
        {
          id: null,
          error: 'ENTITY_IS_DELETED:entity is deleted:--',
          record: { Id: '003000000000001', Email: '#N/A' },
        },
      ],
      unprocessed: [],
    });
    expect(res.map((r) => [r.index, r.success, r.errors[0]?.statusCode ?? null])).toEqual([
      [0, false, 'ENTITY_IS_DELETED'],
      [1, true, null],
      [2, false, 'UNPROCESSED'],
    ]);
    const ins = mapBulkResults('insert', [{ LastName: 'A', Email: null }, { LastName: 'B' }], {
      jobId: '750',
      state: 'JobComplete',
      successful: [
        { id: '003B', created: true, record: { LastName: 'B', Email: '' } },
        { id: '003A', created: true, record: { LastName: 'A', Email: '#N/A' } },
      ],
      failed: [],
      unprocessed: [],
    });
    expect(ins.map((r) => r.id)).toEqual(['003A', '003B']);
  });
});
