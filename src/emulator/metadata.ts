/*
 * Metadata API over SOAP (salesforce-api.md §7): readMetadata, updateMetadata and listMetadata for
 * RemoteSiteSetting and NamedCredential, at POST /services/Soap/m/NN.N[/orgId].
 *
 * The session is the `<SessionHeader><sessionId>` of the envelope (no Authorization header); a bad, revoked or
 * frozen session is the HTTP 500 fault `sf:INVALID_SESSION_ID`. Responses have no attributes on soapenv:Body
 * (jsforce takes its first child). A missing component reads as an empty `<records xsi:type="T"/>`, so jsforce
 * returns an object without `fullName`. updateMetadata replaces the component: RemoteSiteSetting needs url,
 * isActive and disableProtocolSecurity, NamedCredential needs label; a missing one, or an unknown fullName, is
 * `success:false` in an HTTP 200 answer.
 *
 * Storage: a RemoteSiteSetting is the tooling RemoteProxy record of the same name (tooling.ts), so both APIs see one
 * component; a NamedCredential is the NamedCredential sObject (DeveloperName, MasterLabel, Endpoint,
 * PrincipalType) plus its other Metadata elements in `state.ext.metadata`. Updates stamp the session's user.
 */
import { XMLParser } from 'fast-xml-parser';
import { escapeXml, soapFault, xml, type Res, type Router } from './router.js';
import type { LoadedSeed } from './seed.js';
import type { OrgState, Rec, Value } from './state.js';
import { defineToolingObjects, loadToolingSeed } from './tooling.js';

const MD_NS = 'http://soap.sforce.com/2006/04/metadata';
const SUPPORTED = ['RemoteSiteSetting', 'NamedCredential'] as const;
type MdType = (typeof SUPPORTED)[number];

/** A Metadata component as plain values (nested elements as objects/arrays). */
export type Component = { fullName: string } & Record<string, unknown>;

export interface SaveResult {
  fullName: string;
  success: boolean;
  errors: { fields: string[]; message: string; statusCode: string }[];
}

export interface FileProperties {
  createdById: string;
  createdByName: string;
  createdDate: string;
  fileName: string;
  fullName: string;
  id: string;
  lastModifiedById: string;
  lastModifiedByName: string;
  lastModifiedDate: string;
  manageableState: string;
  type: string;
}

// ------------------------------------------------------------------ pure SOAP helpers

const parser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  attributeNamePrefix: '@_',
  isArray: (name, jpath) => /(^|\.)(fullNames|metadata|queries)$/.test(String(jpath)) && name !== 'Envelope',
});

export interface SoapRequest {
  sessionId: string | null;
  method: string;
  args: Record<string, unknown>;
}

/** Parse a SOAP request namespace-agnostically: session id, operation name and its arguments. */
export function parseSoapRequest(text: string): SoapRequest {
  const doc = parser.parse(text) as Record<string, unknown>;
  const env = doc.Envelope as Record<string, unknown> | undefined;
  if (!env || typeof env !== 'object') throw new Error('not a SOAP envelope');
  const header = (env.Header ?? {}) as Record<string, unknown>;
  const session = (header.SessionHeader ?? {}) as Record<string, unknown>;
  const body = (env.Body ?? {}) as Record<string, unknown>;
  const method = Object.keys(body).find((k) => !k.startsWith('@_'));
  if (!method) throw new Error('empty SOAP body');
  const args = body[method];
  return {
    sessionId: typeof session.sessionId === 'string' ? session.sessionId : null,
    method,
    args: args && typeof args === 'object' ? (args as Record<string, unknown>) : {},
  };
}

/** Wrap a response body element in the envelope jsforce expects (prefixed Envelope/Body, no attributes on Body). */
export function soapEnvelope(inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="${MD_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`;
}

/** Serialise values as child elements: arrays repeat the element, objects nest, null is xsi:nil. */
export function toElements(obj: Record<string, unknown>): string {
  let out = '';
  for (const [k, v] of Object.entries(obj)) {
    if (k.startsWith('@_')) continue;
    for (const item of Array.isArray(v) ? v : [v]) {
      if (item === undefined) continue;
      if (item === null) out += `<${k} xsi:nil="true"/>`;
      else if (typeof item === 'object') out += `<${k}>${toElements(item as Record<string, unknown>)}</${k}>`;
      else out += `<${k}>${escapeXml(item)}</${k}>`;
    }
  }
  return out;
}

/** Order a component's elements as Salesforce does: fullName first, then alphabetical. */
function ordered(c: Component): Record<string, unknown> {
  const rest = Object.keys(c)
    .filter((k) => k !== 'fullName')
    .sort();
  return { fullName: c.fullName, ...Object.fromEntries(rest.map((k) => [k, c[k]])) };
}

export function readResponse(type: string, components: (Component | null)[]): string {
  const records = components
    .map((c) =>
      c
        ? `<records xsi:type="${escapeXml(type)}">${toElements(ordered(c))}</records>`
        : `<records xsi:type="${escapeXml(type)}"/>`,
    )
    .join('');
  return soapEnvelope(`<readMetadataResponse><result>${records}</result></readMetadataResponse>`);
}

export function updateResponse(results: SaveResult[]): string {
  const body = results
    .map((r) => {
      const errs = r.errors
        .map(
          (e) => `<errors>${toElements({ fields: e.fields, message: e.message, statusCode: e.statusCode })}</errors>`,
        )
        .join('');
      return `<result>${errs}<fullName>${escapeXml(r.fullName)}</fullName><success>${r.success}</success></result>`;
    })
    .join('');
  return soapEnvelope(`<updateMetadataResponse>${body}</updateMetadataResponse>`);
}

export function listResponse(files: FileProperties[]): string {
  const body = files.map((f) => `<result>${toElements({ ...f })}</result>`).join('');
  return soapEnvelope(`<listMetadataResponse>${body}</listMetadataResponse>`);
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const text = (v: unknown): string =>
  v === undefined || v === null ? '' : typeof v === 'object' ? '' : String(v).trim();
const bool = (v: unknown): boolean | undefined => (v === undefined || v === '' ? undefined : text(v) === 'true');

// ------------------------------------------------------------------ component store

interface MdExt {
  namedCredentials: Record<string, Record<string, unknown>>;
  seeded?: boolean;
}

function ext(state: OrgState): MdExt {
  const e = (state.ext.metadata ??= { namedCredentials: {} }) as MdExt;
  e.namedCredentials ??= {};
  return e;
}

const byName = (rows: Rec[], field: string, name: string): Rec | undefined =>
  rows.find((r) => String(r[field] ?? '').toLowerCase() === name.toLowerCase());

const remoteProxy = (state: OrgState, name: string) => byName(state.records('RemoteProxy'), 'SiteName', name);
const namedCredential = (state: OrgState, name: string) =>
  byName(state.records('NamedCredential'), 'DeveloperName', name);

/** Read one component (null when it does not exist). */
export function readComponent(state: OrgState, type: MdType, fullName: string): Component | null {
  if (type === 'RemoteSiteSetting') {
    const r = remoteProxy(state, fullName);
    if (!r) return null;
    const c: Component = {
      fullName: String(r.SiteName),
      disableProtocolSecurity: r.DisableProtocolSecurity === true,
      isActive: r.IsActive === true,
      url: r.EndpointUrl ?? '',
    };
    if (r.Description !== null && r.Description !== undefined) c.description = r.Description;
    return c;
  }
  const r = namedCredential(state, fullName);
  if (!r) return null;
  const extra = ext(state).namedCredentials[String(r.DeveloperName)] ?? {};
  return {
    ...extra,
    fullName: String(r.DeveloperName),
    label: r.MasterLabel ?? String(r.DeveloperName),
    ...(r.Endpoint !== null && r.Endpoint !== undefined ? { endpoint: r.Endpoint } : {}),
    principalType: r.PrincipalType ?? extra.principalType ?? 'NamedUser',
  };
}

const REQUIRED: Record<MdType, string[]> = {
  RemoteSiteSetting: ['url', 'isActive', 'disableProtocolSecurity'],
  NamedCredential: ['label'],
};

/** Replace one component (updateMetadata semantics). */
export function updateComponent(
  state: OrgState,
  type: MdType,
  input: Record<string, unknown>,
  userId: string,
): SaveResult {
  const fullName = text(input.fullName);
  const fail = (statusCode: string, message: string, fields: string[] = []): SaveResult => ({
    fullName,
    success: false,
    errors: [{ fields, message, statusCode }],
  });
  if (!fullName) return fail('REQUIRED_FIELD_MISSING', 'Required field is missing: fullName', ['fullName']);
  const missing = REQUIRED[type].filter((f) => text(input[f]) === '');
  const w = { userId, system: true };
  if (type === 'RemoteSiteSetting') {
    const r = remoteProxy(state, fullName);
    if (!r)
      return fail('INVALID_CROSS_REFERENCE_KEY', `In field: fullName - no RemoteSiteSetting named ${fullName} found`, [
        'fullName',
      ]);
    if (missing.length) return fail('REQUIRED_FIELD_MISSING', `Required field is missing: ${missing[0]}`, missing);
    const url = text(input.url);
    if (!/^https?:\/\/[^\s/]+/i.test(url))
      return fail('FIELD_INTEGRITY_EXCEPTION', `Remote Site URL: invalid url: ${url}`, ['url']);
    state.update(
      'RemoteProxy',
      r.Id as string,
      {
        EndpointUrl: url,
        IsActive: bool(input.isActive) ?? false,
        DisableProtocolSecurity: bool(input.disableProtocolSecurity) ?? false,
        Description: text(input.description) || null,
      },
      w,
    );
    return { fullName: String(r.SiteName), success: true, errors: [] };
  }
  const r = namedCredential(state, fullName);
  if (!r)
    return fail('INVALID_CROSS_REFERENCE_KEY', `In field: fullName - no NamedCredential named ${fullName} found`, [
      'fullName',
    ]);
  if (missing.length) return fail('REQUIRED_FIELD_MISSING', `Required field is missing: ${missing[0]}`, missing);
  const fields: Record<string, Value> = {
    MasterLabel: text(input.label),
    Endpoint: text(input.endpoint) || null,
    PrincipalType: text(input.principalType) || (r.PrincipalType as string | null) || null,
  };
  state.update('NamedCredential', r.Id as string, fields, w);
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (['fullName', 'label', 'endpoint', 'principalType'].includes(k) || k.startsWith('@_')) continue;
    extra[k] = v;
  }
  ext(state).namedCredentials[String(r.DeveloperName)] = extra;
  state.changed();
  return { fullName: String(r.DeveloperName), success: true, errors: [] };
}

/** listMetadata rows for one type. */
export function listComponents(state: OrgState, type: MdType): FileProperties[] {
  const name = (id: unknown) => String(state.user(String(id ?? ''))?.Name ?? '');
  const z = (v: unknown) => String(v ?? '').replace(/\+0000$/, 'Z');
  const rows = type === 'RemoteSiteSetting' ? state.records('RemoteProxy') : state.records('NamedCredential');
  return rows.map((r) => {
    const fullName = String(type === 'RemoteSiteSetting' ? r.SiteName : r.DeveloperName);
    return {
      createdById: String(r.CreatedById ?? ''),
      createdByName: name(r.CreatedById),
      createdDate: z(r.CreatedDate),
      fileName:
        type === 'RemoteSiteSetting'
          ? `remoteSiteSettings/${fullName}.remoteSite`
          : `namedCredentials/${fullName}.namedCredential`,
      fullName,
      id: String(r.Id),
      lastModifiedById: String(r.LastModifiedById ?? ''),
      lastModifiedByName: name(r.LastModifiedById),
      lastModifiedDate: z(r.LastModifiedDate),
      manageableState: String(r.ManageableState ?? 'unmanaged'),
      type,
    };
  });
}

// ------------------------------------------------------------------ route

const fault = (code: string, message: string): Res => soapFault(code, message, MD_NS);

function supported(type: string): type is MdType {
  return (SUPPORTED as readonly string[]).includes(type);
}

const unsupported = (type: string): Res =>
  fault('INVALID_TYPE', `The emulator serves only ${SUPPORTED.join(' and ')} through the Metadata API, not '${type}'`);

/** Register the Metadata SOAP endpoint; `seed` (a freshly loaded seed) adds its `metadata` section. */
export function registerMetadata(router: Router, state: OrgState, seed?: LoadedSeed): void {
  defineToolingObjects(state);
  if (seed) loadMetadataSeed(state, seed);
  const handler = (req: Parameters<Parameters<Router['add']>[2]>[0]): Res => {
    let call: SoapRequest;
    try {
      call = parseSoapRequest(req.text());
    } catch (e) {
      return xml(
        500,
        soapEnvelope(
          `<soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>${escapeXml((e as Error).message)}</faultstring></soapenv:Fault>`,
        ),
      );
    }
    const auth = req.authenticate(call.sessionId);
    if (!auth.ok) {
      return auth.reason === 'limit'
        ? fault('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')
        : fault('INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session');
    }
    const userId = auth.user.Id as string;
    const a = call.args;
    switch (call.method) {
      case 'readMetadata': {
        const type = text(a.type);
        if (!supported(type)) return unsupported(type);
        const names = asArray(a.fullNames as string | string[]).map(text);
        return xml(
          200,
          readResponse(
            type,
            names.map((n) => readComponent(state, type, n)),
          ),
        );
      }
      case 'updateMetadata': {
        const items = asArray(a.metadata as Record<string, unknown>[]);
        if (items.length > 10) {
          return fault('INVALID_REQUEST', `Too many components: ${items.length} (at most 10 per updateMetadata call)`);
        }
        const results: SaveResult[] = [];
        for (const m of items) {
          const type = text(m['@_type']).replace(/^\w+:/, '');
          if (!supported(type)) return unsupported(type || '(no xsi:type)');
          results.push(updateComponent(state, type, m, userId));
        }
        return xml(200, updateResponse(results));
      }
      case 'listMetadata': {
        const files: FileProperties[] = [];
        for (const q of asArray(a.queries as Record<string, unknown>[])) {
          const type = text(q.type);
          if (!supported(type)) return unsupported(type);
          files.push(...listComponents(state, type));
        }
        return xml(200, listResponse(files));
      }
      default:
        return fault('INVALID_OPERATION', `The emulator does not implement the Metadata API call ${call.method}`);
    }
  };
  router.add('POST', '/services/Soap/m/:apiv', handler, { auth: 'none' });
  router.add('POST', '/services/Soap/m/:apiv/:orgId', handler, { auth: 'none' });
}

// ------------------------------------------------------------------ seed

/**
 * Load `seed.metadata` once per fresh state: `{RemoteSiteSetting: [{fullName, url, isActive, ...}],
 * NamedCredential: [{fullName, label, endpoint, principalType, ...any element}]}`. A RemoteSiteSetting becomes (or
 * updates) the RemoteProxy of that name; a NamedCredential becomes (or completes) the NamedCredential record.
 */
export function loadMetadataSeed(state: OrgState, loaded: LoadedSeed): void {
  loadToolingSeed(state, loaded);
  const e = ext(state);
  if (e.seeded) return;
  e.seeded = true;
  const md = (loaded.seed.metadata ?? {}) as Record<string, unknown>;
  const actor = loaded.adminUserId;
  for (const [type, rows] of Object.entries(md)) {
    if (!supported(type)) throw new Error(`seed: metadata.${type}: the emulator serves only ${SUPPORTED.join(', ')}`);
    if (!Array.isArray(rows)) throw new Error(`seed: metadata.${type} must be an array`);
    (rows as Record<string, unknown>[]).forEach((c, i) => {
      const fullName = text(c.fullName);
      if (!fullName) throw new Error(`seed: metadata.${type}[${i}]: fullName is required`);
      const w = { userId: actor, system: true };
      if (type === 'RemoteSiteSetting') {
        const fields = {
          SiteName: fullName,
          EndpointUrl: text(c.url),
          IsActive: c.isActive !== false,
          DisableProtocolSecurity: c.disableProtocolSecurity === true,
          Description: c.description === undefined ? null : text(c.description),
        };
        const r = remoteProxy(state, fullName);
        if (r) state.update('RemoteProxy', r.Id as string, fields, w);
        else state.insert('RemoteProxy', { ...fields, FullName: fullName, ManageableState: 'unmanaged' }, w);
        return;
      }
      const fields = {
        DeveloperName: fullName,
        MasterLabel: text(c.label) || fullName,
        Endpoint: c.endpoint === undefined ? null : text(c.endpoint),
        PrincipalType: text(c.principalType) || 'NamedUser',
      };
      const r = namedCredential(state, fullName);
      if (!r) state.insert('NamedCredential', fields, w);
      const extra: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(c))
        if (!['fullName', 'label', 'endpoint', 'principalType'].includes(k)) extra[k] = v;
      e.namedCredentials[fullName] = extra;
    });
  }
  state.changed();
}
