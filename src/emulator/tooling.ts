/*
 * Tooling API (salesforce-api.md §6): query and sObject read/update for FlowDefinition, Flow, RemoteProxy and
 * ApexTrigger, and the REST object FlowDefinitionView kept in step with FlowDefinition.
 *
 *   GET   /services/data/vNN.N/tooling/query?q=...            (next pages: the core's /tooling/query/:locator)
 *   GET   /services/data/vNN.N/tooling/sobjects[/:type[/describe]]
 *   GET   /services/data/vNN.N/tooling/sobjects/:type/:id
 *   PATCH /services/data/vNN.N/tooling/sobjects/:type/:id       {"Metadata": {...}}
 *   PATCH /services/data/vNN.N/tooling/composite/sobjects       {"records": [...]} (one update per record)
 *
 * Rules the platform enforces and the emulator copies:
 * - `Metadata` and `FullName` may be selected only when the query matches at most one row (400 MALFORMED_QUERY).
 * - Only `Metadata` (and `FullName`) are writable through PATCH; other fields fail the record with
 *   INVALID_FIELD_FOR_INSERT_UPDATE.
 * - FlowDefinition `{"Metadata":{"activeVersionNumber":0}}` (or null/absent) deactivates the flow: ActiveVersionId
 *   becomes null, the active Flow version becomes Obsolete, FlowDefinitionView.IsActive becomes false. A version
 *   number activates that version. `PATCH Flow/{id} {"Metadata":{"status":"Obsolete"|"Active"}}` does the same.
 * - RemoteProxy Metadata is replaced as a whole: `url` is required, absent booleans are false.
 * - ApexTrigger cannot be changed in a production org ("Save or update not supported in active organizations");
 *   in a sandbox or Developer Edition org `{"Metadata":{"status":"Inactive"}}` (or Status) deactivates it.
 * Writes stamp the calling user (LastModifiedById/LastModifiedDate).
 */
import { ApiError, RecordError, notFound } from './errors.js';
import { normalizeId } from './ids.js';
import { json, noContent, type Router } from './router.js';
import { queryResponse, versionOf } from './rest.js';
import { makeField, makeObject, type FieldDef, type FieldType, type ObjectDef } from './schema.js';
import type { LoadedSeed } from './seed.js';
import { runSoql, type OutRecord } from './soql.js';
import type { OrgState, Rec, Value } from './state.js';

// ------------------------------------------------------------------ object definitions

const F = (name: string, type: FieldType, opts: Partial<FieldDef> = {}): FieldDef =>
  makeField(name, type, { createable: false, updateable: false, ...opts });

/** The tooling objects this module serves (ObjectDef.tooling = true). */
export function toolingObjects(): ObjectDef[] {
  const common = [
    F('NamespacePrefix', 'string'),
    F('ManageableState', 'picklist'),
    F('FullName', 'string'),
    F('Metadata', 'anyType', { filterable: false }),
  ];
  const opts = { tooling: true, createable: false, deletable: false, updateable: true };
  return [
    makeObject(
      'FlowDefinition',
      '300',
      [
        F('DeveloperName', 'string'),
        F('MasterLabel', 'string'),
        F('Description', 'textarea'),
        F('ActiveVersionId', 'reference', { referenceTo: ['Flow'], relationshipName: 'ActiveVersion' }),
        F('LatestVersionId', 'reference', { referenceTo: ['Flow'], relationshipName: 'LatestVersion' }),
        ...common,
      ],
      opts,
    ),
    makeObject(
      'Flow',
      '301',
      [
        F('DefinitionId', 'reference', { referenceTo: ['FlowDefinition'], relationshipName: 'Definition' }),
        F('VersionNumber', 'int'),
        F('Status', 'picklist'),
        F('MasterLabel', 'string'),
        F('ProcessType', 'picklist'),
        F('Description', 'textarea'),
        F('ApiVersion', 'double'),
        ...common,
      ],
      opts,
    ),
    makeObject(
      'RemoteProxy',
      '0rp',
      [
        F('SiteName', 'string'),
        F('EndpointUrl', 'url'),
        F('IsActive', 'boolean'),
        F('Description', 'textarea'),
        F('DisableProtocolSecurity', 'boolean'),
        F('ProtocolMismatch', 'boolean'),
        ...common,
      ],
      opts,
    ),
    makeObject(
      'ApexTrigger',
      '01q',
      [
        F('Name', 'string'),
        F('TableEnumOrId', 'string'),
        F('Status', 'picklist'),
        F('ApiVersion', 'double'),
        F('Body', 'textarea'),
        F('IsValid', 'boolean'),
        F('LengthWithoutComments', 'int'),
        ...[
          'UsageBeforeInsert',
          'UsageAfterInsert',
          'UsageBeforeUpdate',
          'UsageAfterUpdate',
          'UsageBeforeDelete',
          'UsageAfterDelete',
          'UsageIsBulk',
          'UsageAfterUndelete',
        ].map((n) => F(n, 'boolean')),
        ...common,
      ],
      opts,
    ),
  ];
}

/** Define the tooling objects on `state` (idempotent). */
export function defineToolingObjects(state: OrgState): void {
  for (const def of toolingObjects()) if (!state.object(def.name)) state.defineObject(def);
}

// ------------------------------------------------------------------ Metadata / FullName views

const str = (v: Value | undefined): string | null => (v === null || v === undefined ? null : String(v));

/** `FullName` of a tooling record, as the Metadata API names the component. */
export function fullNameOf(state: OrgState, type: string, rec: Rec): string | null {
  switch (type) {
    case 'FlowDefinition':
      return str(rec.DeveloperName);
    case 'Flow': {
      const def = rec.DefinitionId ? state.get('FlowDefinition', rec.DefinitionId as string) : undefined;
      return def ? `${String(def.DeveloperName)}-${String(rec.VersionNumber)}` : null;
    }
    case 'RemoteProxy':
      return str(rec.SiteName);
    case 'ApexTrigger':
      return str(rec.Name);
    default:
      return null;
  }
}

/** The `Metadata` object of a tooling record (the shape the Tooling API returns). */
export function metadataOf(state: OrgState, type: string, rec: Rec): Record<string, unknown> | null {
  switch (type) {
    case 'FlowDefinition': {
      const active = rec.ActiveVersionId ? state.get('Flow', rec.ActiveVersionId as string) : undefined;
      return {
        activeVersionNumber: active ? Number(active.VersionNumber) : null,
        description: str(rec.Description),
        masterLabel: str(rec.MasterLabel),
        urls: null,
      };
    }
    case 'Flow':
      return {
        apiVersion: rec.ApiVersion ?? null,
        description: str(rec.Description),
        label: str(rec.MasterLabel),
        processType: str(rec.ProcessType),
        status: str(rec.Status),
        urls: null,
      };
    case 'RemoteProxy':
      return {
        description: str(rec.Description),
        disableProtocolSecurity: rec.DisableProtocolSecurity === true,
        isActive: rec.IsActive === true,
        url: str(rec.EndpointUrl),
        urls: null,
      };
    case 'ApexTrigger':
      return { apiVersion: rec.ApiVersion ?? null, packageVersions: [], status: str(rec.Status), urls: null };
    default:
      return null;
  }
}

const idFromAttributes = (out: OutRecord): string | null => {
  const url = (out.attributes as { url?: string } | undefined)?.url;
  return url ? (url.split('/').pop() ?? null) : null;
};

/** Fill the computed `Metadata`/`FullName` values of query output records. */
function fillComputed(state: OrgState, type: string, records: OutRecord[]): void {
  for (const out of records) {
    const hasMeta = Object.keys(out).some((k) => k === 'Metadata' || k === 'FullName');
    if (!hasMeta) continue;
    const id = idFromAttributes(out);
    const rec = id ? state.get(type, id) : undefined;
    if (!rec) continue;
    if ('Metadata' in out) out.Metadata = metadataOf(state, type, rec);
    if ('FullName' in out) out.FullName = fullNameOf(state, type, rec);
  }
}

// ------------------------------------------------------------------ FlowDefinitionView

/** Bring the FlowDefinitionView row of a FlowDefinition in line with it (creating the row when missing). */
export function syncFlowView(state: OrgState, defId: string, extra: Record<string, Value> = {}, userId = ''): void {
  const def = state.get('FlowDefinition', defId);
  if (!def) return;
  const view = state.records('FlowDefinitionView').find((v) => v.DurableId === defId);
  const fields: Record<string, Value> = {
    ApiName: def.DeveloperName ?? null,
    Label: def.MasterLabel ?? null,
    Description: def.Description ?? null,
    IsActive: !!def.ActiveVersionId,
    ActiveVersionId: def.ActiveVersionId ?? null,
    LatestVersionId: def.LatestVersionId ?? null,
    DurableId: defId,
    NamespacePrefix: def.NamespacePrefix ?? null,
    ...extra,
  };
  const uid = userId || (def.LastModifiedById as string);
  if (view) state.update('FlowDefinitionView', view.Id as string, fields, { userId: uid, system: true });
  else
    state.insert(
      'FlowDefinitionView',
      { ...fields, CreatedDate: def.CreatedDate, CreatedById: def.CreatedById },
      { userId: uid, system: true, id: defId },
    );
}

// ------------------------------------------------------------------ updates

const readOnly = (f: string): RecordError =>
  new RecordError(
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    `Unable to create/update fields: ${f}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
    [f],
  );

function isProduction(state: OrgState): boolean {
  const org = state.records('Organization')[0];
  return !(org?.IsSandbox === true || /developer/i.test(String(org?.OrganizationType ?? '')));
}

function setActiveVersion(state: OrgState, def: Rec, versionNumber: number | null, userId: string): void {
  const versions = state.records('Flow').filter((f) => f.DefinitionId === def.Id);
  let target: Rec | undefined;
  if (versionNumber) {
    target = versions.find((v) => Number(v.VersionNumber) === versionNumber);
    if (!target) {
      throw new RecordError(
        'FIELD_INTEGRITY_EXCEPTION',
        `The flow version ${versionNumber} of ${String(def.DeveloperName)} doesn't exist.`,
        ['activeVersionNumber'],
      );
    }
  }
  const w = { userId, system: true };
  for (const v of versions) {
    if (v.Status === 'Active' && v.Id !== target?.Id) state.update('Flow', v.Id as string, { Status: 'Obsolete' }, w);
  }
  if (target && target.Status !== 'Active') state.update('Flow', target.Id as string, { Status: 'Active' }, w);
  state.update('FlowDefinition', def.Id as string, { ActiveVersionId: target?.Id ?? null }, w);
  syncFlowView(state, def.Id as string, {}, userId);
}

/** Apply one tooling PATCH body to a record (throws RecordError/ApiError like the platform). */
export function toolingUpdate(
  state: OrgState,
  type: string,
  id: string,
  body: Record<string, unknown>,
  userId: string,
): void {
  const def = state.object(type);
  if (!def || !def.tooling) throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const rec = state.liveRecord(def, id);
  for (const k of Object.keys(body)) {
    if (k === 'attributes' || k === 'Id' || k === 'id' || k === 'Metadata' || k === 'FullName') continue;
    if (type === 'ApexTrigger' && k === 'Status') continue;
    if (!def.fields.has(k.toLowerCase()))
      throw new ApiError(400, 'INVALID_FIELD', `No such column '${k}' on sobject of type ${def.name}`);
    throw readOnly(def.fields.get(k.toLowerCase())!.name);
  }
  const meta = (body.Metadata ?? {}) as Record<string, unknown>;
  if (
    body.Metadata !== undefined &&
    (typeof body.Metadata !== 'object' || body.Metadata === null || Array.isArray(body.Metadata))
  ) {
    throw new ApiError(400, 'JSON_PARSER_ERROR', 'Metadata must be an object');
  }
  const w = { userId, system: true };
  switch (def.name) {
    case 'FlowDefinition': {
      const fields: Record<string, Value> = {};
      if ('description' in meta) fields.Description = str(meta.description as Value);
      if ('masterLabel' in meta && meta.masterLabel) fields.MasterLabel = String(meta.masterLabel);
      state.update(def.name, rec.Id as string, fields, w);
      if (body.Metadata !== undefined) {
        const n = meta.activeVersionNumber;
        const num = n === null || n === undefined || n === '' ? 0 : Number(n);
        if (!Number.isInteger(num) || num < 0) {
          throw new RecordError('FIELD_INTEGRITY_EXCEPTION', `Invalid activeVersionNumber: ${String(n)}`, [
            'activeVersionNumber',
          ]);
        }
        setActiveVersion(state, rec, num || null, userId);
      }
      return;
    }
    case 'Flow': {
      const status = meta.status;
      const parent = state.get('FlowDefinition', rec.DefinitionId as string);
      if (status === 'Active' && parent) setActiveVersion(state, parent, Number(rec.VersionNumber), userId);
      else if ((status === 'Obsolete' || status === 'Draft' || status === 'InvalidDraft') && parent) {
        if (parent.ActiveVersionId === rec.Id) setActiveVersion(state, parent, null, userId);
        state.update('Flow', rec.Id as string, { Status: status }, w);
      } else if (status !== undefined) {
        throw new RecordError('FIELD_INTEGRITY_EXCEPTION', `Invalid status: ${String(status)}`, ['status']);
      }
      return;
    }
    case 'RemoteProxy': {
      if (body.Metadata === undefined) return;
      if (!meta.url) throw new RecordError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [url]', ['url']);
      state.update(
        def.name,
        rec.Id as string,
        {
          EndpointUrl: String(meta.url),
          IsActive: meta.isActive === true || meta.isActive === 'true',
          DisableProtocolSecurity: meta.disableProtocolSecurity === true || meta.disableProtocolSecurity === 'true',
          Description: str(meta.description as Value),
        },
        w,
      );
      return;
    }
    case 'ApexTrigger': {
      if (isProduction(state)) {
        throw new RecordError('INVALID_TYPE', 'Save or update not supported in active organizations.', [], 400);
      }
      const status = (meta.status ?? body.Status) as string | undefined;
      if (status !== undefined) {
        if (!['Active', 'Inactive', 'Deleted'].includes(status)) {
          throw new RecordError(
            'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            `Status: bad value for restricted picklist field: ${status}`,
            ['Status'],
          );
        }
        state.update(def.name, rec.Id as string, { Status: status }, w);
      }
      return;
    }
    default:
      throw new ApiError(
        400,
        'INVALID_TYPE',
        `sObject type '${def.name}' does not support update through the emulator`,
      );
  }
}

// ------------------------------------------------------------------ routes

function toolingDef(state: OrgState, type: string): ObjectDef {
  const def = state.object(type);
  if (!def || !(def.tooling || ['User', 'Organization', 'Profile'].includes(def.name))) throw notFound();
  return def;
}

function recordOut(state: OrgState, def: ObjectDef, rec: Rec, v: string): OutRecord {
  const out: OutRecord = {
    attributes: { type: def.name, url: `/services/data/v${v}/tooling/sobjects/${def.name}/${String(rec.Id)}` },
  };
  for (const f of def.fields.values()) out[f.name] = rec[f.name] ?? null;
  if ('Metadata' in out) out.Metadata = metadataOf(state, def.name, rec);
  if ('FullName' in out) out.FullName = fullNameOf(state, def.name, rec);
  return out;
}

function describeField(f: FieldDef): Record<string, unknown> {
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    nillable: f.nillable,
    createable: f.createable,
    updateable: f.updateable || f.name === 'Metadata' || f.name === 'FullName',
    filterable: f.filterable,
    custom: f.custom,
  };
}

function describeTooling(def: ObjectDef, v: string, full: boolean): Record<string, unknown> {
  const base = `/services/data/v${v}/tooling/sobjects/${def.name}`;
  return {
    name: def.name,
    label: def.label,
    labelPlural: def.labelPlural,
    keyPrefix: def.keyPrefix,
    custom: def.custom,
    createable: def.createable,
    updateable: def.updateable,
    deletable: def.deletable,
    queryable: def.queryable,
    retrieveable: true,
    urls: { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` },
    ...(full ? { fields: [...def.fields.values()].map(describeField) } : {}),
  };
}

/** Register the Tooling routes; `seed` (a freshly loaded seed) adds its `tooling` section. */
export function registerTooling(router: Router, state: OrgState, seed?: LoadedSeed): void {
  defineToolingObjects(state);
  if (seed) loadToolingSeed(state, seed);
  const T = '/services/data/:version/tooling';

  router.add('GET', `${T}/query`, (req) => {
    const q = req.query.q;
    if (q === undefined) throw new ApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    const result = runSoql(state, q, { tooling: true, version: versionOf(req.params.version) });
    const computed = result.selectedFields.some((f) => /^(metadata|fullname)$/i.test(f.trim()));
    if (computed && result.totalSize > 1) {
      throw new ApiError(
        400,
        'MALFORMED_QUERY',
        `When retrieving results with Metadata or FullName fields, the query qualifications must specify no more than one row for retrieval. Result size: ${result.totalSize}`,
      );
    }
    fillComputed(state, result.object, result.records);
    return queryResponse(req, result, { tooling: true });
  });

  router.add('GET', `${T}/sobjects`, (req) => {
    const v = versionOf(req.params.version);
    const sobjects = [...state.schema.values()].filter((d) => d.tooling).map((d) => describeTooling(d, v, false));
    return json(200, { encoding: 'UTF-8', maxBatchSize: 200, sobjects });
  });
  router.add('GET', `${T}/sobjects/:type`, (req) => {
    const def = toolingDef(state, req.params.type!);
    const v = versionOf(req.params.version);
    const recent = state
      .records(def.name)
      .slice(-5)
      .map((r) => recordOut(state, def, r, v));
    return json(200, { objectDescribe: describeTooling(def, v, false), recentItems: recent });
  });
  router.add('GET', `${T}/sobjects/:type/describe`, (req) => {
    const def = toolingDef(state, req.params.type!);
    return json(200, describeTooling(def, versionOf(req.params.version), true));
  });
  router.add('GET', `${T}/sobjects/:type/:id`, (req) => {
    const def = toolingDef(state, req.params.type!);
    const rec = state.liveRecord(def, req.params.id!);
    const out = recordOut(state, def, rec, versionOf(req.params.version));
    if (req.query.fields) {
      const wanted = new Set(req.query.fields.split(',').map((f) => f.trim().toLowerCase()));
      for (const k of Object.keys(out)) if (k !== 'attributes' && !wanted.has(k.toLowerCase())) delete out[k];
    }
    return json(200, out);
  });
  router.add('PATCH', `${T}/sobjects/:type/:id`, (req) => {
    toolingDef(state, req.params.type!);
    const body = req.json<Record<string, unknown>>();
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new ApiError(400, 'JSON_PARSER_ERROR', 'Expected a JSON object');
    toolingUpdate(state, req.params.type!, req.params.id!, body, req.user!.Id as string);
    return noContent();
  });
  router.add('PATCH', `${T}/composite/sobjects`, (req) => {
    const body = req.json<{ allOrNone?: boolean; records?: Record<string, unknown>[] }>();
    const records = body?.records;
    if (!Array.isArray(records)) throw new ApiError(400, 'JSON_PARSER_ERROR', 'records must be an array');
    if (records.length > 200) {
      throw new ApiError(
        400,
        'EXCEEDED_ID_LIMIT',
        'record limit reached. cannot submit more than 200 records into this call',
      );
    }
    const results = records.map((r) => {
      const id = String(r.id ?? r.Id ?? '');
      const type = String((r.attributes as { type?: string } | undefined)?.type ?? '');
      try {
        const { attributes: _a, id: _i, ...fields } = r;
        toolingUpdate(state, type, id, fields, req.user!.Id as string);
        return { id: normalizeId(id) ?? id, success: true, errors: [] };
      } catch (e) {
        if (e instanceof RecordError) return { id, success: false, errors: [e.toJSON()] };
        if (e instanceof ApiError)
          return {
            id,
            success: false,
            errors: [{ statusCode: e.errorCode, message: e.message, fields: e.fields ?? [] }],
          };
        throw e;
      }
    });
    return json(200, results);
  });
}

// ------------------------------------------------------------------ seed

const isRef = (v: unknown): v is { '@ref': string } =>
  !!v && typeof v === 'object' && typeof (v as { '@ref'?: unknown })['@ref'] === 'string';

/**
 * Load `seed.tooling` once per fresh state: `{FlowDefinition: [...], RemoteProxy: [...], ApexTrigger: [...],
 * Flow?: [...]}`. A FlowDefinition row may carry `versions` (count, default 1), `activeVersion` (number or 0),
 * `ProcessType`, `TriggerType`, `TriggerObject` (FlowDefinitionView fields); the Flow versions and the view row are
 * created from it. Values may be `{"@ref": name}` (any seed record, tooling ones included).
 */
export function loadToolingSeed(state: OrgState, loaded: LoadedSeed): void {
  const ext = (state.ext.tooling ??= {}) as { seeded?: boolean };
  if (ext.seeded) return;
  ext.seeded = true;
  const tooling = (loaded.seed.tooling ?? {}) as Record<string, unknown>;
  const actor = loaded.adminUserId;
  const META = new Set([
    '@ref',
    'versions',
    'activeVersion',
    'ProcessType',
    'TriggerType',
    'TriggerObject',
    'RecordTriggerType',
  ]);
  // Pass 1: ids, so rows can refer to each other.
  const ids = new Map<object, string>();
  for (const [type, rows] of Object.entries(tooling)) {
    const def = state.object(type);
    if (!def?.tooling) throw new Error(`seed: tooling.${type}: not a tooling object the emulator serves`);
    if (!Array.isArray(rows)) throw new Error(`seed: tooling.${type} must be an array`);
    for (const r of rows as Record<string, unknown>[]) {
      const id = state.newId(def.name);
      ids.set(r, id);
      if (typeof r['@ref'] === 'string') loaded.refs.set(r['@ref'], id);
    }
  }
  const resolve = (v: unknown, at: string): unknown => {
    if (!isRef(v)) return v;
    const id = loaded.refs.get(v['@ref']);
    if (!id) throw new Error(`seed: ${at}: unknown "@ref" ${v['@ref']}`);
    return id;
  };
  const order = ['FlowDefinition', 'Flow', 'RemoteProxy', 'ApexTrigger'];
  const types = Object.keys(tooling).sort((a, b) => order.indexOf(a) - order.indexOf(b));
  for (const type of types) {
    const def = state.object(type)!;
    (tooling[type] as Record<string, unknown>[]).forEach((r, i) => {
      const at = `tooling.${type}[${i}]`;
      const fields: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r)) if (!META.has(k)) fields[k] = resolve(v, `${at}.${k}`);
      const userId = (fields.CreatedById as string) ?? actor;
      const rec = state.insert(def.name, fields, { userId, system: true, id: ids.get(r)! });
      rec.FullName = fullNameOf(state, def.name, rec); // stored too, so WHERE FullName = '...' works
      if (def.name !== 'FlowDefinition') return;
      const n = Math.max(1, Number(r.versions ?? 1));
      const active = r.activeVersion === undefined ? n : Number(r.activeVersion);
      let latest = '';
      for (let k = 1; k <= n; k++) {
        const v = state.insert(
          'Flow',
          {
            DefinitionId: rec.Id,
            VersionNumber: k,
            Status: k === active ? 'Active' : 'Obsolete',
            MasterLabel: rec.MasterLabel,
            ProcessType: (r.ProcessType as string) ?? 'AutoLaunchedFlow',
            ApiVersion: 62,
            CreatedDate: rec.CreatedDate,
            CreatedById: rec.CreatedById,
            LastModifiedDate: rec.LastModifiedDate,
            LastModifiedById: rec.LastModifiedById,
          },
          { userId, system: true },
        );
        v.FullName = fullNameOf(state, 'Flow', v);
        latest = v.Id as string;
        if (k === active) rec.ActiveVersionId = v.Id as string;
      }
      rec.LatestVersionId = latest;
      syncFlowView(
        state,
        rec.Id as string,
        {
          ProcessType: (r.ProcessType as string) ?? 'AutoLaunchedFlow',
          TriggerType: (r.TriggerType as string) ?? null,
          TriggerObjectOrEventLabel: (r.TriggerObject as string) ?? null,
          RecordTriggerType: (r.RecordTriggerType as string) ?? (r.TriggerType ? 'CreateAndUpdate' : null),
          LastModifiedDate: rec.LastModifiedDate as string,
          LastModifiedById: rec.LastModifiedById as string,
        },
        userId,
      );
    });
  }
  state.changed();
}
