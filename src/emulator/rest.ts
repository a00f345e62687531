// REST endpoints under /services/data: versions, resources, identity, sObject CRUD and describe, sObject
// Collections, query/queryAll/queryMore (also the tooling query cursor), limits (salesforce-api.md §1-3, §8).
import { ApiError, RecordError, notFound } from './errors.js';
import { makeId, normalizeId } from './ids.js';
import { json, noContent, type Req, type Res, type Router } from './router.js';
import { formatDateTime, parseDateTime, type FieldDef, type ObjectDef } from './schema.js';
import { childRelationships, runSoql, type OutRecord, type SoqlResult } from './soql.js';
import type { OrgState, Rec } from './state.js';

const COLLECTION_LIMIT = 200;

/** API version number from a `vNN.N` path param. */
export const versionOf = (v: string | undefined): string => (v ?? 'v62.0').replace(/^v/, '');

function releaseLabel(v: number): string {
  const season = ['Winter', 'Spring', 'Summer'][(((v - 62) % 3) + 3) % 3]!;
  return `${season} '${String(25 + Math.floor((v - 62) / 3)).padStart(2, '0')}`;
}

export function versions(state: OrgState): { label: string; url: string; version: string }[] {
  const out = [];
  for (let v = state.options.minApiVersion; v <= state.options.maxApiVersion; v++) {
    out.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  return out;
}

export function identityUrl(state: OrgState, userId: string): string {
  return `${state.options.instanceUrl}/id/${state.orgId}/${userId}`;
}

/** The identity document of `/id/{org}/{user}` (also the base of userinfo). */
export function identity(state: OrgState, user: Rec): Record<string, unknown> {
  const base = state.options.instanceUrl;
  const v = `${state.options.maxApiVersion}.0`;
  const rest = (p: string) => `${base}/services/data/v{version}/${p}`;
  return {
    id: identityUrl(state, user.Id as string),
    asserted_user: true,
    user_id: user.Id,
    organization_id: state.orgId,
    username: user.Username,
    nick_name: String(user.Username ?? '').split('@')[0],
    display_name: user.Name,
    email: user.Email,
    email_verified: true,
    first_name: user.FirstName,
    last_name: user.LastName,
    timezone: user.TimeZoneSidKey ?? 'GMT',
    photos: { picture: `${base}/profilephoto/005/F`, thumbnail: `${base}/profilephoto/005/T` },
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: {
      enterprise: `${base}/services/Soap/c/{version}/${state.orgId}`,
      metadata: `${base}/services/Soap/m/{version}/${state.orgId}`,
      partner: `${base}/services/Soap/u/{version}/${state.orgId}`,
      rest: rest(''),
      sobjects: rest('sobjects/'),
      search: rest('search/'),
      query: rest('query/'),
      recent: rest('recent/'),
      tooling_soap: `${base}/services/Soap/T/{version}/${state.orgId}`,
      tooling_rest: rest('tooling/'),
      profile: `${base}/${user.Id}`,
      feeds: rest('chatter/feeds'),
      groups: rest('chatter/groups'),
      users: rest('chatter/users'),
      feed_items: rest('chatter/feed-items'),
      feed_elements: rest('chatter/feed-elements'),
      custom_domain: base,
    },
    active: user.IsActive !== false,
    user_type: String(user.UserType ?? 'Standard').toUpperCase(),
    language: user.LanguageLocaleKey ?? 'en_US',
    locale: user.LocaleSidKey ?? 'en_US',
    utcOffset: 0,
    last_modified_date: user.LastModifiedDate,
    is_app_installed: true,
    _version: v,
  };
}

/** OpenID userinfo (what `sf org login access-token` reads). */
export function userinfo(state: OrgState, user: Rec): Record<string, unknown> {
  const id = identity(state, user);
  return {
    sub: id.id,
    user_id: user.Id,
    organization_id: state.orgId,
    preferred_username: user.Username,
    nickname: id.nick_name,
    name: user.Name,
    email: user.Email,
    email_verified: true,
    given_name: user.FirstName,
    family_name: user.LastName,
    zoneinfo: id.timezone,
    photos: id.photos,
    profile: `${state.options.instanceUrl}/${user.Id}`,
    picture: (id.photos as { picture: string }).picture,
    address: {},
    is_salesforce_integration_user: false,
    urls: id.urls,
    active: id.active,
    user_type: id.user_type,
    language: id.language,
    locale: id.locale,
    utcOffset: 0,
    updated_at: user.LastModifiedDate,
    is_app_installed: true,
  };
}

// ---------------------------------------------------------------- describe

const SOAP_TYPE: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  anyType: 'xsd:anyType',
  base64: 'xsd:base64Binary',
};

function describeField(def: ObjectDef, f: FieldDef): Record<string, unknown> {
  const text = ![
    'boolean',
    'int',
    'double',
    'currency',
    'percent',
    'date',
    'datetime',
    'reference',
    'id',
    'anyType',
  ].includes(f.type);
  const length = f.type === 'id' || f.type === 'reference' ? 18 : text ? (f.type === 'textarea' ? 32000 : 255) : 0;
  return {
    aggregatable: f.type !== 'textarea' && f.type !== 'anyType',
    autoNumber: def.name === 'Case' && f.name === 'CaseNumber',
    byteLength: length * 3,
    calculated: false,
    cascadeDelete: false,
    caseSensitive: false,
    createable: f.createable,
    custom: f.custom,
    defaultValue: null,
    defaultedOnCreate:
      f.type === 'boolean' ||
      /^(Id|CreatedDate|CreatedById|LastModifiedDate|LastModifiedById|SystemModstamp|OwnerId|IsDeleted)$/.test(f.name),
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: f.type === 'int' ? 9 : 0,
    externalId: false,
    filterable: f.filterable,
    groupable: f.type !== 'textarea' && f.type !== 'anyType' && f.type !== 'double',
    htmlFormatted: false,
    idLookup: f.name === 'Id' || f.name === 'Username' || f.name === 'Email',
    label: f.label,
    length,
    name: f.name,
    nameField: f.name === 'Name',
    namePointing: false,
    nillable: f.nillable,
    permissionable: f.nillable && !f.custom,
    picklistValues: [],
    polymorphicForeignKey: f.referenceTo.length > 1,
    precision: ['double', 'currency', 'percent'].includes(f.type) ? 18 : 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    relationshipOrder: null,
    restrictedPicklist: false,
    scale: ['double', 'currency', 'percent'].includes(f.type) ? 2 : 0,
    soapType: SOAP_TYPE[f.type] ?? 'xsd:string',
    sortable: f.type !== 'textarea' && f.type !== 'multipicklist',
    type: f.type === 'datetime' ? 'datetime' : f.type,
    unique: false,
    updateable: f.updateable,
    writeRequiresMasterRead: false,
  };
}

function objectUrls(def: ObjectDef, v: string, tooling: boolean): Record<string, string> {
  const base = `/services/data/v${v}/${tooling ? 'tooling/' : ''}sobjects/${def.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

/** The global-describe entry of an object. */
export function describeGlobalEntry(def: ObjectDef, v: string, tooling = false): Record<string, unknown> {
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable: def.createable,
    custom: def.custom,
    customSetting: false,
    deepCloneable: false,
    deletable: def.deletable,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: !def.tooling,
    mergeable: false,
    mruEnabled: false,
    name: def.name,
    queryable: def.queryable,
    replicateable: true,
    retrieveable: true,
    searchable: !def.tooling,
    triggerable: def.updateable,
    undeletable: def.recycle && def.deletable,
    updateable: def.updateable,
    urls: objectUrls(def, v, tooling),
  };
}

/** Full describe of one object. */
export function describeObject(state: OrgState, def: ObjectDef, v: string, tooling = false): Record<string, unknown> {
  return {
    ...describeGlobalEntry(def, v, tooling),
    actionOverrides: [],
    childRelationships: childRelationships(state, def).map((c) => ({
      cascadeDelete: false,
      childSObject: c.def.name,
      deprecatedAndHidden: false,
      field: c.field.name,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: c.name,
      restrictedDelete: false,
    })),
    compactLayoutable: !def.tooling,
    fields: [...def.fields.values()].map((f) => describeField(def, f)),
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [],
    searchLayoutable: !def.tooling,
    sobjectDescribeOption: 'FULL',
    supportedScopes: [{ label: 'All', name: 'everything' }],
  };
}

// ---------------------------------------------------------------- records

function attributes(type: string, id: unknown, v: string, tooling = false): Record<string, unknown> {
  return typeof id === 'string'
    ? { type, url: `/services/data/v${v}/${tooling ? 'tooling/' : ''}sobjects/${type}/${id}` }
    : { type };
}

/** A record as REST returns it: attributes first, then `fields` (all fields when omitted). */
export function recordOut(def: ObjectDef, rec: Rec, v: string, fields?: string[], tooling = false): OutRecord {
  const out: OutRecord = { attributes: attributes(def.name, rec.Id, v, tooling) };
  if (fields?.length) {
    for (const f of fields) {
      const fd = def.fields.get(f.trim().toLowerCase());
      if (!fd) throw new ApiError(400, 'INVALID_FIELD', `No such column '${f.trim()}' on sobject of type ${def.name}`);
      out[fd.name] = rec[fd.name] ?? null;
    }
  } else {
    for (const fd of def.fields.values()) out[fd.name] = rec[fd.name] ?? null;
  }
  return out;
}

function requireDataObject(state: OrgState, type: string): ObjectDef {
  const def = state.object(type);
  if (!def || def.tooling) throw notFound();
  return def;
}

/** Per-record fault (faults.ts) for one record of a write, as a RecordError. */
function injected(req: Req, id = ''): RecordError | null {
  const f = req.state.faults.recordFault(req.method, req.path, id);
  return f ? new RecordError(f.statusCode, f.message) : null;
}

function oauthTokenGuard(def: ObjectDef, op: string): void {
  if (def.name === 'OauthToken') {
    throw new ApiError(
      400,
      'INVALID_TYPE',
      `sObject type 'OauthToken' does not support ${op}; revoke the token through /services/oauth2/revoke`,
    );
  }
}

type SaveResult = { id?: string; success: boolean; errors: ReturnType<RecordError['toJSON']>[] };

const ROLLED_BACK = new RecordError(
  'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  'Record rolled back because not all records were valid and the request was using AllOrNone header',
);

/** Run per-record writes with allOrNone semantics (salesforce-api.md §3.2). */
function runCollection<T>(
  state: OrgState,
  items: T[],
  allOrNone: boolean,
  op: (item: T, i: number) => string | undefined,
  idOf: (item: T) => string | undefined,
): SaveResult[] {
  const results: SaveResult[] = [];
  if (allOrNone) state.begin();
  let failed = false;
  items.forEach((item, i) => {
    try {
      const id = op(item, i);
      results.push({ id, success: true, errors: [] });
    } catch (e) {
      if (!(e instanceof RecordError)) {
        if (allOrNone) state.rollback();
        throw e;
      }
      failed = true;
      const id = idOf(item);
      results.push({ ...(id ? { id } : {}), success: false, errors: [e.toJSON()] });
    }
  });
  if (!allOrNone) return results;
  if (!failed) {
    state.commit();
    return results;
  }
  state.rollback();
  return results.map((r, i) =>
    r.success
      ? { ...(idOf(items[i]!) ? { id: idOf(items[i]!) } : {}), success: false, errors: [ROLLED_BACK.toJSON()] }
      : r,
  );
}

// ---------------------------------------------------------------- query paging

interface Cursor {
  records: OutRecord[];
  totalSize: number;
  batch: number;
  tooling: boolean;
  scanAll: boolean;
  touched: number;
}

const CURSORS = new WeakMap<OrgState, Map<string, Cursor>>();
let cursorSeq = 0;

function cursors(state: OrgState): Map<string, Cursor> {
  let m = CURSORS.get(state);
  if (!m) CURSORS.set(state, (m = new Map()));
  return m;
}

/** Page size from `Sforce-Query-Options: batchSize=n` (200-2000), else the emulator default; at most queryPageCap. */
export function batchSizeOf(req: Req): number {
  const cap = req.state.options.queryPageCap ?? 2000;
  const m = /batchSize\s*=\s*(\d+)/i.exec(req.headers['sforce-query-options'] ?? '');
  if (m) return Math.min(cap, 2000, Math.max(200, Number(m[1])));
  return Math.min(cap, req.state.options.queryBatchSize);
}

function page(state: OrgState, loc: string, c: Cursor, offset: number, v: string): Record<string, unknown> {
  const records = c.records.slice(offset, offset + c.batch);
  const next = offset + c.batch;
  c.touched = Date.now();
  const done = next >= c.records.length;
  if (done) cursors(state).delete(loc);
  return {
    totalSize: c.totalSize,
    done,
    ...(done ? {} : { nextRecordsUrl: `/services/data/v${v}/${c.tooling ? 'tooling/' : ''}query/${loc}-${next}` }),
    records,
  };
}

/**
 * The answer to a query request (REST and Tooling): the first page, keeping a cursor when more pages follow,
 * or the column metadata when the request has `columns=true`.
 */
export function queryResponse(req: Req, result: SoqlResult, opts: { tooling?: boolean; scanAll?: boolean } = {}): Res {
  const v = versionOf(req.params.version);
  // `sf data query` first asks for the column metadata with `&columns=true`.
  if (req.query.columns === 'true') return json(200, result.columnMetadata());
  if (result.countOnly) return json(200, { totalSize: result.totalSize, done: true, records: [] });
  const batch = batchSizeOf(req);
  if (result.records.length <= batch) {
    return json(200, { totalSize: result.totalSize, done: true, records: result.records });
  }
  const loc = makeId('01g', ++cursorSeq);
  const c: Cursor = {
    records: result.records,
    totalSize: result.totalSize,
    batch,
    tooling: !!opts.tooling,
    scanAll: !!opts.scanAll,
    touched: Date.now(),
  };
  const all = cursors(req.state);
  all.set(loc, c);
  // Forget cursors idle for 15 minutes, as the platform does.
  for (const [k, old] of all) if (Date.now() - old.touched > 15 * 60000) all.delete(k);
  return json(200, page(req.state, loc, c, 0, v));
}

function queryMore(req: Req): Res {
  const m = /^(01g[0-9A-Za-z]{15})-(\d+)$/.exec(req.params.locator ?? '');
  const c = m ? cursors(req.state).get(m[1]!) : undefined;
  if (!m || !c) throw new ApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  return json(200, page(req.state, m[1]!, c, Number(m[2]), versionOf(req.params.version)));
}

function runQuery(req: Req, scanAll: boolean): Res {
  const q = req.query.q;
  if (q === undefined) {
    if (req.query.explain !== undefined)
      throw new ApiError(400, 'MALFORMED_QUERY', 'explain is not supported by the emulator');
    throw new ApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  }
  const result = runSoql(req.state, q, { scanAll, version: versionOf(req.params.version) });
  return queryResponse(req, result, { scanAll });
}

// ---------------------------------------------------------------- routes

export function registerRest(router: Router, state: OrgState): void {
  const D = '/services/data/:version';

  router.add('GET', '/services/data', () => json(200, versions(state)), { auth: 'none' });
  router.add('GET', D, (req) => {
    const p = `/services/data/${req.params.version}`;
    return json(200, {
      tooling: `${p}/tooling`,
      metadata: `${p}/metadata`,
      eclair: `${p}/eclair`,
      folders: `${p}/folders`,
      prechatForms: `${p}/prechatForms`,
      jsonxform: `${p}/jsonxform`,
      chatter: `${p}/chatter`,
      tabs: `${p}/tabs`,
      appMenu: `${p}/appMenu`,
      quickActions: `${p}/quickActions`,
      queryAll: `${p}/queryAll`,
      commerce: `${p}/commerce`,
      wave: `${p}/wave`,
      iot: `${p}/iot`,
      analytics: `${p}/analytics`,
      search: `${p}/search`,
      identity: identityUrl(state, req.user!.Id as string),
      composite: `${p}/composite`,
      parameterizedSearch: `${p}/parameterizedSearch`,
      fingerprint: `${p}/fingerprint`,
      theme: `${p}/theme`,
      nouns: `${p}/nouns`,
      domino: `${p}/domino`,
      event: `${p}/event`,
      serviceTemplates: `${p}/serviceTemplates`,
      recent: `${p}/recent`,
      connect: `${p}/connect`,
      licensing: `${p}/licensing`,
      limits: `${p}/limits`,
      process: `${p}/process`,
      async: `${p}/async-queries`,
      query: `${p}/query`,
      match: `${p}/match`,
      emailConnect: `${p}/emailConnect`,
      compactLayouts: `${p}/compactLayouts`,
      knowledgeManagement: `${p}/knowledgeManagement`,
      sobjects: `${p}/sobjects`,
      actions: `${p}/actions`,
      support: `${p}/support`,
      jobs: `${p}/jobs`,
    });
  });

  // Identity and userinfo (the token may come as a Bearer header or ?oauth_token=).
  router.add('GET', '/id/:orgId/:userId', (req) => {
    const user = state.user(req.params.userId ?? '');
    if (!user || normalizeId(req.params.orgId) !== state.orgId) throw notFound();
    if (user.Id !== req.user!.Id) throw new ApiError(403, 'INSUFFICIENT_ACCESS', 'Bad_Id');
    const { _version: _v, ...doc } = identity(state, user);
    return json(200, doc);
  });
  router.add('GET', '/services/oauth2/userinfo', (req) => json(200, userinfo(state, req.user!)));

  router.add('GET', `${D}/limits`, () => json(200, state.limits));

  // Query.
  router.add('GET', `${D}/query`, (req) => runQuery(req, false));
  router.add('GET', `${D}/queryAll`, (req) => runQuery(req, true));
  router.add('GET', `${D}/query/:locator`, queryMore);
  router.add('GET', `${D}/queryAll/:locator`, queryMore);
  router.add('GET', `${D}/tooling/query/:locator`, queryMore);

  // Describe.
  router.add('GET', `${D}/sobjects`, (req) => {
    const v = versionOf(req.params.version);
    const sobjects = [...state.schema.values()].filter((d) => !d.tooling).map((d) => describeGlobalEntry(d, v));
    return json(200, { encoding: 'UTF-8', maxBatchSize: 200, sobjects });
  });
  router.add('GET', `${D}/sobjects/:type`, (req) => {
    const def = requireDataObject(state, req.params.type!);
    return json(200, { objectDescribe: describeGlobalEntry(def, versionOf(req.params.version)), recentItems: [] });
  });
  router.add('GET', `${D}/sobjects/:type/describe`, (req) => {
    const def = requireDataObject(state, req.params.type!);
    return json(200, describeObject(state, def, versionOf(req.params.version)));
  });

  // sObject rows.
  router.add('POST', `${D}/sobjects/:type`, (req) => {
    const def = requireDataObject(state, req.params.type!);
    oauthTokenGuard(def, 'insert');
    const body = req.json<Record<string, unknown>>();
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new ApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
    }
    state.checkFields(def, body);
    const fault = injected(req);
    if (fault) throw fault;
    const rec = state.insert(def.name, body, { userId: req.user!.Id as string });
    return json(201, { id: rec.Id, success: true, errors: [] });
  });
  router.add('GET', `${D}/sobjects/:type/:id`, (req) => {
    const def = requireDataObject(state, req.params.type!);
    const rec = singleRecord(state, def, req.params.id!);
    const fields = req.query.fields ? req.query.fields.split(',') : undefined;
    return json(200, recordOut(def, rec, versionOf(req.params.version), fields));
  });
  router.add('PATCH', `${D}/sobjects/:type/:id`, (req) => {
    const def = requireDataObject(state, req.params.type!);
    oauthTokenGuard(def, 'update');
    const body = req.json<Record<string, unknown>>();
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new ApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
    }
    state.checkFields(def, body);
    singleRecord(state, def, req.params.id!);
    const fault = injected(req, normalizeId(req.params.id) ?? '');
    if (fault) throw fault;
    state.update(def.name, req.params.id!, body, { userId: req.user!.Id as string });
    return noContent();
  });
  router.add('DELETE', `${D}/sobjects/:type/:id`, (req) => {
    const def = requireDataObject(state, req.params.type!);
    oauthTokenGuard(def, 'delete');
    singleRecord(state, def, req.params.id!);
    const fault = injected(req, normalizeId(req.params.id) ?? '');
    if (fault) throw fault;
    state.remove(def.name, req.params.id!, { userId: req.user!.Id as string });
    return noContent();
  });

  // getUpdated / getDeleted: ids changed or deleted between start and end (ISO datetimes).
  const window = (req: Req): [number, number] => {
    const start = Date.parse(req.query.start ?? '');
    const end = Date.parse(req.query.end ?? '');
    if (Number.isNaN(start) || Number.isNaN(end)) {
      throw new ApiError(400, 'MALFORMED_QUERY', 'start and end must be ISO 8601 datetimes');
    }
    return [start, end];
  };
  const stamp = (v: unknown) => (typeof v === 'string' ? parseDateTime(v) : NaN);
  router.add('GET', `${D}/sobjects/:type/updated`, (req) => {
    const def = requireDataObject(state, req.params.type!);
    const [start, end] = window(req);
    const ids = state
      .records(def.name)
      .filter((r) => stamp(r.SystemModstamp) >= start && stamp(r.SystemModstamp) < end)
      .map((r) => r.Id);
    return json(200, { ids, latestDateCovered: formatDateTime(new Date(Math.min(end, state.now().getTime()))) });
  });
  router.add('GET', `${D}/sobjects/:type/deleted`, (req) => {
    const def = requireDataObject(state, req.params.type!);
    const [start, end] = window(req);
    const deletedRecords = state
      .records(def.name, { includeDeleted: true })
      .filter((r) => r.IsDeleted && stamp(r.SystemModstamp) >= start && stamp(r.SystemModstamp) < end)
      .map((r) => ({ id: r.Id, deletedDate: r.SystemModstamp }));
    return json(200, {
      deletedRecords,
      earliestDateAvailable: formatDateTime(new Date(start)),
      latestDateCovered: formatDateTime(new Date(Math.min(end, state.now().getTime()))),
    });
  });

  // Upsert and read by external id: /sobjects/{T}/{field}/{value}.
  router.add('GET', `${D}/sobjects/:type/:field/:value`, (req) => {
    const def = requireDataObject(state, req.params.type!);
    const { field, matches } = byExternalId(state, def, req.params.field!, req.params.value!);
    if (!matches.length) throw notFound();
    if (matches.length > 1) {
      return json(
        300,
        matches.map((m) => `/services/data/${req.params.version}/sobjects/${def.name}/${m.Id}`),
      );
    }
    void field;
    return json(200, recordOut(def, matches[0]!, versionOf(req.params.version)));
  });
  router.add('PATCH', `${D}/sobjects/:type/:field/:value`, (req) => {
    const def = requireDataObject(state, req.params.type!);
    oauthTokenGuard(def, 'upsert');
    const body = req.json<Record<string, unknown>>();
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new ApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
    }
    state.checkFields(def, body);
    const { field, matches } = byExternalId(state, def, req.params.field!, req.params.value!);
    if (matches.length > 1) {
      return json(
        300,
        matches.map((m) => `/services/data/${req.params.version}/sobjects/${def.name}/${m.Id}`),
      );
    }
    const fault = injected(req, (matches[0]?.Id as string | undefined) ?? '');
    if (fault) throw fault;
    const userId = req.user!.Id as string;
    if (matches[0]) {
      state.update(def.name, matches[0].Id as string, body, { userId });
      return json(200, { id: matches[0].Id, success: true, errors: [], created: false });
    }
    const rec = state.insert(def.name, { ...body, [field.name]: req.params.value }, { userId });
    return json(201, { id: rec.Id, success: true, errors: [], created: true });
  });

  // sObject Collections.
  const C = `${D}/composite/sobjects`;
  const readCollection = (req: Req): { allOrNone: boolean; records: Record<string, unknown>[] } => {
    const body = req.json<{ allOrNone?: boolean; records?: unknown }>();
    if (!body || !Array.isArray(body.records)) {
      throw new ApiError(400, 'JSON_PARSER_ERROR', "Missing required field 'records'");
    }
    if (body.records.length > COLLECTION_LIMIT) {
      throw new ApiError(
        400,
        'EXCEEDED_ID_LIMIT',
        'record limit reached. cannot submit more than 200 records into this call',
      );
    }
    const records = body.records as Record<string, unknown>[];
    // Types and field names are checked for the whole request first: one unknown field fails the call.
    for (const r of records) {
      const type = (r?.attributes as { type?: string } | undefined)?.type;
      if (!type) throw new ApiError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
      const def = state.object(type);
      if (!def || def.tooling) throw new ApiError(400, 'INVALID_TYPE', `sObject type '${type}' is not supported.`);
      state.checkFields(def, r);
    }
    return { allOrNone: body.allOrNone === true, records };
  };
  const typeOf = (r: Record<string, unknown>) => state.object((r.attributes as { type: string }).type)!;
  const idOfRec = (r: Record<string, unknown>) => {
    const id = r.id ?? r.Id;
    return typeof id === 'string' ? (normalizeId(id) ?? id) : undefined;
  };

  router.add('POST', C, (req) => {
    const { allOrNone, records } = readCollection(req);
    const res = runCollection(
      state,
      records,
      allOrNone,
      (r) => {
        const def = typeOf(r);
        oauthTokenGuardRecord(def, 'insert');
        if (r.Id !== undefined || r.id !== undefined) {
          throw new RecordError('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
        }
        const fault = injected(req);
        if (fault) throw fault;
        return state.insert(def.name, r, { userId: req.user!.Id as string }).Id as string;
      },
      () => undefined,
    );
    return json(200, res);
  });
  router.add('PATCH', C, (req) => {
    const { allOrNone, records } = readCollection(req);
    const res = runCollection(
      state,
      records,
      allOrNone,
      (r) => {
        const def = typeOf(r);
        oauthTokenGuardRecord(def, 'update');
        const id = r.id ?? r.Id;
        if (typeof id !== 'string')
          throw new RecordError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
        const rec = state.liveRecord(def, id);
        const fault = injected(req, rec.Id as string);
        if (fault) throw fault;
        const { id: _i, Id: _I, ...fields } = r;
        state.update(def.name, id, fields, { userId: req.user!.Id as string });
        return rec.Id as string;
      },
      idOfRec,
    );
    return json(200, res);
  });
  router.add('DELETE', C, (req) => {
    const ids = (req.query.ids ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!ids.length) throw new ApiError(400, 'MISSING_ARGUMENT', 'ids parameter is required');
    if (ids.length > COLLECTION_LIMIT) {
      throw new ApiError(
        400,
        'EXCEEDED_ID_LIMIT',
        'record limit reached. cannot submit more than 200 records into this call',
      );
    }
    const res = runCollection(
      state,
      ids,
      req.query.allOrNone === 'true',
      (id) => {
        const nid = normalizeId(id);
        if (!nid) throw new RecordError('MALFORMED_ID', `malformed id ${id}`);
        const found = state.findById(nid);
        if (!found) throw new RecordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
        if (found.record.IsDeleted) throw new RecordError('ENTITY_IS_DELETED', 'entity is deleted');
        const def = state.object(found.type)!;
        oauthTokenGuardRecord(def, 'delete');
        const fault = injected(req, nid);
        if (fault) throw fault;
        state.remove(def.name, nid, { userId: req.user!.Id as string });
        return nid;
      },
      (id) => normalizeId(id) ?? id,
    );
    return json(200, res);
  });
  const retrieve = (req: Req, ids: string[], fields: string[]): Res => {
    const def = requireDataObject(state, req.params.type!);
    if (ids.length > 2000) throw new ApiError(400, 'EXCEEDED_ID_LIMIT', 'too many ids');
    if (!fields.length) throw new ApiError(400, 'MISSING_ARGUMENT', 'fields parameter is required');
    const v = versionOf(req.params.version);
    return json(
      200,
      ids.map((id) => {
        const rec = state.get(def.name, id);
        return rec ? recordOut(def, rec, v, fields) : null;
      }),
    );
  };
  router.add('POST', `${C}/:type`, (req) => {
    const body = req.json<{ ids?: string[]; fields?: string[] }>();
    return retrieve(req, body.ids ?? [], body.fields ?? []);
  });
  router.add('GET', `${C}/:type`, (req) =>
    retrieve(
      req,
      (req.query.ids ?? '').split(',').filter(Boolean),
      (req.query.fields ?? '').split(',').filter(Boolean),
    ),
  );
  router.add('PATCH', `${C}/:type/:extId`, (req) => {
    const def = requireDataObject(state, req.params.type!);
    const ext = def.fields.get((req.params.extId ?? '').toLowerCase());
    if (!ext) throw new ApiError(400, 'INVALID_FIELD', `Field ${req.params.extId} is not an external id field`);
    const { allOrNone, records } = readCollection(req);
    const res = runCollection(
      state,
      records,
      allOrNone,
      (r) => {
        const key = r[ext.name];
        if (key === undefined || key === null)
          throw new RecordError('MISSING_ARGUMENT', `${ext.name} not specified`, [ext.name]);
        const matches = state
          .records(def.name)
          .filter((x) =>
            ext.name === 'Id'
              ? x.Id === normalizeId(key)
              : String(x[ext.name] ?? '').toLowerCase() === String(key).toLowerCase(),
          );
        if (matches.length > 1)
          throw new RecordError('DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${String(key)}`, [ext.name]);
        const fault = injected(req, (matches[0]?.Id as string) ?? '');
        if (fault) throw fault;
        if (matches[0]) {
          const { id: _i, Id: _I, ...fields } = r;
          state.update(def.name, matches[0].Id as string, fields, { userId: req.user!.Id as string });
          (r as { __created?: boolean }).__created = false;
          return matches[0].Id as string;
        }
        const { id: _i, Id: _I, ...fields } = r;
        return state.insert(def.name, fields, { userId: req.user!.Id as string }).Id as string;
      },
      idOfRec,
    );
    return json(
      200,
      res.map((r, i) => ({ ...r, created: r.success && (records[i] as { __created?: boolean }).__created !== false })),
    );
  });
}

/** A record addressed by URL: 404 NOT_FOUND for malformed ids and ids of another type, as on the platform. */
function singleRecord(state: OrgState, def: ObjectDef, id: string): Rec {
  const nid = normalizeId(id);
  if (!nid)
    throw new ApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${id}`);
  const other = state.findById(nid);
  if (other && other.type !== def.name) throw notFound();
  return state.liveRecord(def, nid);
}

function byExternalId(
  state: OrgState,
  def: ObjectDef,
  fieldName: string,
  value: string,
): { field: FieldDef; matches: Rec[] } {
  const field = def.fields.get(fieldName.toLowerCase());
  if (!field) {
    throw new ApiError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${fieldName}`,
    );
  }
  const v = value.toLowerCase();
  const matches = state
    .records(def.name)
    .filter((r) =>
      field.name === 'Id' ? r.Id === normalizeId(value) : String(r[field.name] ?? '').toLowerCase() === v,
    );
  return { field, matches };
}

function oauthTokenGuardRecord(def: ObjectDef, op: string): void {
  if (
    def.name === 'OauthToken' ||
    !(op === 'insert' ? def.createable : op === 'update' ? def.updateable : def.deletable)
  ) {
    throw new RecordError('INVALID_TYPE', `entity type ${def.name} does not support ${op}`);
  }
}
