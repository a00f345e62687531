/*
 * OrgState: the emulated org, in memory (persisted by index.ts when --state is given).
 *
 * API for emulator modules (bulk2.ts, tooling.ts, metadata.ts, ...):
 * - Records: `insert(type, fields, {userId})`, `update(type, id, fields, {userId})`, `remove(type, id, {userId})`
 *   (recycle bin: IsDeleted=true), `undelete`, `hardDelete`, `get(type, id, {includeDeleted})`,
 *   `records(type, {includeDeleted})`, `findById(id)`. Writes validate fields (unknown -> ApiError INVALID_FIELD,
 *   per-record problems -> RecordError), stamp CreatedById/LastModifiedById/CreatedDate/LastModifiedDate/
 *   SystemModstamp with the user and `now()`, and write <Obj>History rows for `historyTracking` fields.
 *   `{system: true}` (seeds, internal side effects) skips the createable/updateable/required checks and keeps
 *   audit fields given in `fields`.
 *   Values are wire values: string | number | boolean | null; datetimes as `2024-05-01T12:34:56.000+0000`.
 *   Record keys use the canonical field names of the schema; every record has `Id` (OauthToken: null).
 * - Schema: `object(type)` (case-insensitive, undefined if unknown), `defineObject(def)` (see schema.ts makeObject /
 *   makeField), `ensureField(type, name, value)`. Tooling objects set `tooling: true` on their ObjectDef.
 * - Ids: `newId(type)` (18 chars, the type's key prefix, a valid checksum). `normalizeId` is in ids.ts.
 * - Users and auth: `user(id)`, `userByUsername(name)`, `authenticate(token)` -> {ok, user, token} or
 *   {ok:false, reason}; `issueSession(userId, opts)` -> {accessToken, refreshToken?}; `revoke(token)`;
 *   `passwords` (userId -> password), `checkPassword(userId, given)`. A frozen (UserLogin.IsFrozen) or inactive user fails authentication.
 * - Limits: `limits` ({name: {Max, Remaining}}), `consumeApiCall()` (false when exhausted), `apiUsage()`.
 * - Faults: `faults` (faults.ts) for per-record error injection: `state.faults.recordFault(method, path)`.
 * - `ext`: a JSON-serialisable bag per module (e.g. `state.ext.bulk2 ??= {...}`), persisted with the state.
 * - `now()`: the emulator clock (`clockOffsetMs` shifts it). `changed()`: call after mutating `ext`.
 * - `options`: instanceUrl, queryBatchSize, bulkPageSize, apiVersion range.
 */
import { randomBytes } from 'node:crypto';
import { ApiError, RecordError } from './errors.js';
import { makeId, normalizeId } from './ids.js';
import {
  builtinObjects,
  formatDateTime,
  historyNames,
  historyObject,
  inferType,
  makeField,
  makeObject,
  parseDateTime,
  type FieldDef,
  type FieldType,
  type ObjectDef,
} from './schema.js';
import { Faults } from './faults.js';

export type Value = string | number | boolean | null;
export type Rec = Record<string, Value>;

export interface WriteOpts {
  userId: string;
  /** Seeds and internal side effects: no createable/updateable/required checks, keep given audit fields. */
  system?: boolean;
  /** Use this Id (system writes only: seeds pre-assign Ids so records can refer to each other). */
  id?: string;
}

export interface TokenInfo {
  token: string;
  kind: 'access' | 'refresh';
  userId: string;
  /** AuthSession Id of an access token (deleting that row ends the session). */
  sessionId: string | null;
  /** DeleteToken of the OauthToken grant this token belongs to (revoking it ends every token of the grant). */
  grant: string | null;
  revoked: boolean;
  appName: string | null;
}

export type AuthResult =
  { ok: true; user: Rec; token: TokenInfo } | { ok: false; reason: 'invalid' | 'frozen' | 'inactive' };

export interface EmulatorOptions {
  instanceUrl: string;
  /** REST query page size (default 2000; Sforce-Query-Options batchSize overrides per request). */
  queryBatchSize: number;
  /**
   * Most rows a REST query page holds whatever batchSize asks (default 2000). Salesforce treats batchSize as a
   * request and returns fewer rows for wide records; a smaller cap lets tests see that.
   */
  queryPageCap?: number;
  /** Bulk 2.0 query result page size when the client sends no maxRecords. */
  bulkPageSize: number;
  minApiVersion: number;
  maxApiVersion: number;
  /** IANA time zone in which SOQL date literals (TODAY, LAST_N_DAYS:n, ...) start their days; default UTC. */
  timeZone: string;
  /** Accept client ids not listed in `oauthClients`. */
  oauthClients: { clientId: string; clientSecret?: string; appName: string; certificate?: string; runAs?: string }[];
}

const HISTORY_DATATYPE: Partial<Record<FieldType, string>> = {
  string: 'Text',
  textarea: 'TextArea',
  email: 'Email',
  phone: 'Phone',
  url: 'Url',
  picklist: 'Picklist',
  multipicklist: 'MultiselectPicklist',
  boolean: 'Boolean',
  int: 'Number',
  double: 'Number',
  currency: 'Currency',
  percent: 'Percent',
  date: 'Date',
  datetime: 'DateTime',
  reference: 'EntityId',
};

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export class OrgState {
  readonly schema = new Map<string, ObjectDef>();
  private readonly tables = new Map<string, Map<string, Rec>>();
  counters: Record<string, number> = {};
  /** Object -> tracked field names (canonical). */
  readonly historyTracking = new Map<string, Set<string>>();
  readonly passwords = new Map<string, string>();
  /** userId -> security token: a password login may append it to the password, as on the platform. */
  readonly securityTokens = new Map<string, string>();
  readonly tokens = new Map<string, TokenInfo>();
  limits: Record<string, { Max: number; Remaining: number }> = defaultLimits();
  ext: Record<string, unknown> = {};
  clockOffsetMs = 0;
  readonly faults = new Faults();
  options: EmulatorOptions = {
    instanceUrl: 'http://127.0.0.1',
    queryBatchSize: 2000,
    bulkPageSize: 10000,
    minApiVersion: 31,
    maxApiVersion: 66,
    timeZone: 'UTC',
    oauthClients: [],
  };
  orgId = '';
  private listeners: (() => void)[] = [];
  /** Undo steps of the open transaction (allOrNone writes), or null. */
  private journal: (() => void)[] | null = null;
  private customPrefix = 0;

  constructor() {
    for (const def of builtinObjects()) this.defineObject(def);
  }

  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  /** Tell listeners (persistence) that something changed. */
  changed(): void {
    for (const fn of this.listeners) fn();
  }

  /** Start recording undo steps (allOrNone): `rollback()` undoes every write since, `commit()` keeps them. */
  begin(): void {
    this.journal = [];
  }

  commit(): void {
    this.journal = null;
  }

  rollback(): void {
    const j = this.journal ?? [];
    this.journal = null;
    for (let i = j.length - 1; i >= 0; i--) j[i]!();
    this.changed();
  }

  private snapshotFor(rec: Rec): void {
    if (!this.journal) return;
    const copy = { ...rec };
    this.journal.push(() => {
      for (const k of Object.keys(rec)) delete rec[k];
      Object.assign(rec, copy);
    });
  }

  // ---------------------------------------------------------------- schema

  object(type: string): ObjectDef | undefined {
    return this.schema.get(type.toLowerCase());
  }

  /** The object or 404-style INVALID_TYPE/NOT_FOUND as the caller decides. */
  requireObject(type: string, opts: { tooling?: boolean } = {}): ObjectDef {
    const def = this.object(type);
    if (!def || (opts.tooling !== undefined && def.tooling !== opts.tooling && !isSharedTooling(def.name))) {
      throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
    return def;
  }

  defineObject(def: ObjectDef): ObjectDef {
    if (def.keyPrefix === undefined || (def.keyPrefix === null && def.name !== 'OauthToken')) {
      def.keyPrefix = this.nextCustomPrefix();
    }
    this.schema.set(def.name.toLowerCase(), def);
    if (!this.tables.has(def.name)) this.tables.set(def.name, new Map());
    return def;
  }

  /** Define an object with inferred fields if it does not exist yet (seeds, custom objects). */
  ensureObject(type: string): ObjectDef {
    return (
      this.object(type) ??
      this.defineObject(makeObject(type, this.nextCustomPrefix(), [], { custom: type.endsWith('__c') }))
    );
  }

  /** Add a field inferred from a value when the object lacks it (seed loading only). */
  ensureField(type: string, name: string, value: unknown): FieldDef {
    const def = this.ensureObject(type);
    const existing = def.fields.get(name.toLowerCase());
    if (existing) return existing;
    const ftype = inferType(name, value);
    const field = makeField(name, ftype, ftype === 'reference' ? { referenceTo: [] } : {});
    def.fields.set(name.toLowerCase(), field);
    return field;
  }

  private nextCustomPrefix(): string {
    const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const n = this.customPrefix++;
    return `a${chars[Math.floor(n / 36) % 36]}${chars[n % 36]}`;
  }

  /** Turn on history tracking of `fields` on `type` (creates the History object). */
  trackHistory(type: string, fields: string[]): void {
    const def = this.ensureObject(type);
    const set = this.historyTracking.get(def.name) ?? new Set<string>();
    for (const f of fields) set.add(def.fields.get(f.toLowerCase())?.name ?? f);
    this.historyTracking.set(def.name, set);
    const h = historyObject(def.name);
    if (!this.object(h.name)) this.defineObject(h);
  }

  // ---------------------------------------------------------------- ids and lookups

  newId(type: string): string {
    const def = this.ensureObject(type);
    const prefix = def.keyPrefix ?? '000';
    const n = (this.counters[prefix] ?? 0) + 1;
    this.counters[prefix] = n;
    return makeId(prefix, n);
  }

  private table(type: string): Map<string, Rec> {
    const def = this.ensureObject(type);
    let t = this.tables.get(def.name);
    if (!t) this.tables.set(def.name, (t = new Map()));
    return t;
  }

  /** Every record of `type` (without deleted ones unless asked), in insertion order. */
  records(type: string, opts: { includeDeleted?: boolean } = {}): Rec[] {
    const def = this.object(type);
    if (!def) return [];
    const out: Rec[] = [];
    for (const r of this.tables.get(def.name)?.values() ?? []) if (opts.includeDeleted || !r.IsDeleted) out.push(r);
    return out;
  }

  get(type: string, id: string, opts: { includeDeleted?: boolean } = {}): Rec | undefined {
    const def = this.object(type);
    const nid = normalizeId(id);
    if (!def || !nid) return undefined;
    const r = this.tables.get(def.name)?.get(nid);
    return r && (opts.includeDeleted || !r.IsDeleted) ? r : undefined;
  }

  /** Find a record of any type by id (deleted ones included). */
  findById(id: string): { type: string; record: Rec } | undefined {
    const nid = normalizeId(id);
    if (!nid) return undefined;
    const prefix = nid.slice(0, 3);
    for (const def of this.schema.values()) {
      if (def.keyPrefix !== prefix) continue;
      const r = this.tables.get(def.name)?.get(nid);
      if (r) return { type: def.name, record: r };
    }
    return undefined;
  }

  /** Names of all objects with a table. */
  objectNames(): string[] {
    return [...this.schema.values()].map((d) => d.name);
  }

  // ---------------------------------------------------------------- writes

  /** Validate and coerce `fields` for a write on `def`; unknown fields fail the whole request (INVALID_FIELD). */
  checkFields(def: ObjectDef, fields: Record<string, unknown>): void {
    for (const k of Object.keys(fields)) {
      if (k === 'attributes' || k === 'Id' || k === 'id') continue;
      if (!def.fields.has(k.toLowerCase())) {
        throw new ApiError(400, 'INVALID_FIELD', `No such column '${k}' on sobject of type ${def.name}`);
      }
    }
  }

  private coerce(def: ObjectDef, f: FieldDef, v: unknown, system: boolean): Value {
    if (v === null || v === undefined || v === '') {
      if (f.type === 'boolean') return false;
      return null;
    }
    const bad = (): never => {
      throw new RecordError(
        'INVALID_TYPE_ON_FIELD_IN_RECORD',
        `${f.label}: value not of required type: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
        [f.name],
      );
    };
    switch (f.type) {
      case 'boolean':
        if (typeof v === 'boolean') return v;
        if (v === 'true' || v === 'false') return v === 'true';
        return bad();
      case 'int':
      case 'double':
      case 'currency':
      case 'percent': {
        const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
        if (!Number.isFinite(n)) return bad();
        return f.type === 'int' ? Math.trunc(n) : n;
      }
      case 'date': {
        if (typeof v !== 'string') return bad();
        const m = /^\d{4}-\d{2}-\d{2}/.exec(v);
        if (!m || Number.isNaN(Date.parse(m[0]))) return bad();
        return m[0];
      }
      case 'datetime': {
        if (typeof v !== 'string' && typeof v !== 'number') return bad();
        const ms = typeof v === 'number' ? v : parseDateTime(v);
        if (Number.isNaN(ms)) return bad();
        return formatDateTime(new Date(ms));
      }
      case 'reference':
      case 'id': {
        const id = normalizeId(v);
        if (!id)
          throw new RecordError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${String(v)}`, [f.name]);
        if (!system && f.referenceTo.length && !this.findById(id)) {
          throw new RecordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [f.name]);
        }
        return id;
      }
      case 'anyType':
        return typeof v === 'object' ? JSON.stringify(v) : (v as Value);
      default: {
        const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
        if (f.type === 'email' && !EMAIL.test(s)) {
          throw new RecordError('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${s}`, [f.name]);
        }
        void def;
        return s;
      }
    }
  }

  /** Apply `fields` to `rec` (after checks); returns the changed canonical field names with old values. */
  private apply(
    def: ObjectDef,
    rec: Rec,
    fields: Record<string, unknown>,
    mode: 'create' | 'update',
    system: boolean,
  ): Map<string, Value> {
    const changes = new Map<string, Value>();
    const staged: [FieldDef, Value][] = [];
    for (const [k, v] of Object.entries(fields)) {
      if (k === 'attributes' || k === 'Id' || k === 'id') continue;
      const f = def.fields.get(k.toLowerCase());
      if (!f) throw new ApiError(400, 'INVALID_FIELD', `No such column '${k}' on sobject of type ${def.name}`);
      if (!system && !(mode === 'create' ? f.createable : f.updateable)) {
        throw new RecordError(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${f.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          [f.name],
        );
      }
      staged.push([f, this.coerce(def, f, v, system)]);
    }
    for (const [f, v] of staged) {
      const old = rec[f.name] ?? null;
      if (old !== v) changes.set(f.name, old);
      rec[f.name] = v;
    }
    return changes;
  }

  private derive(def: ObjectDef, rec: Rec): void {
    if (def.fields.has('firstname') && def.fields.has('lastname') && def.fields.has('name')) {
      rec.Name =
        [rec.FirstName, rec.LastName].filter((x) => x !== null && x !== undefined && x !== '').join(' ') || null;
    }
  }

  private checkRequired(def: ObjectDef, rec: Rec): void {
    const missing = def.required.filter((f) => rec[f] === null || rec[f] === undefined || rec[f] === '');
    if (missing.length) {
      throw new RecordError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
    }
  }

  /** Create a record; returns it (with its new Id). */
  insert(type: string, fields: Record<string, unknown>, opts: WriteOpts): Rec {
    const def = this.ensureObject(type);
    if (!opts.system && !def.createable) {
      throw new RecordError('INVALID_TYPE', `entity type ${def.name} does not support insert`, [], 400);
    }
    const now = formatDateTime(this.now());
    const id = def.name === 'OauthToken' ? null : opts.system && opts.id ? opts.id : this.newId(def.name);
    const rec: Rec = { Id: id, IsDeleted: false };
    for (const f of def.fields.values()) if (!(f.name in rec)) rec[f.name] = f.type === 'boolean' ? false : null;
    if (def.name === 'User') Object.assign(rec, { IsActive: true, UserType: 'Standard' });
    this.apply(def, rec, fields, 'create', !!opts.system);
    // Audit fields: a system write may carry its own (seeded history), else the acting user and now.
    const keep = (k: string) => opts.system && fields[k] !== undefined && fields[k] !== null;
    if (!keep('CreatedDate')) rec.CreatedDate = now;
    if (!keep('LastModifiedDate')) rec.LastModifiedDate = rec.CreatedDate ?? now;
    if (!keep('SystemModstamp')) rec.SystemModstamp = rec.LastModifiedDate ?? now;
    if (!keep('CreatedById')) rec.CreatedById = opts.userId || null;
    if (!keep('LastModifiedById')) rec.LastModifiedById = rec.CreatedById ?? null;
    if ('OwnerId' in rec && rec.OwnerId === null) rec.OwnerId = opts.userId || null;
    if (def.name === 'Case' && rec.CaseNumber === null)
      rec.CaseNumber = String(this.bump('CaseNumber')).padStart(8, '0');
    this.derive(def, rec);
    if (!opts.system) this.checkRequired(def, rec);
    const key = id ?? String(rec.DeleteToken ?? this.bump('OauthToken'));
    const table = this.table(def.name);
    table.set(key, rec);
    this.journal?.push(() => table.delete(key));
    this.afterInsert(def, rec, opts);
    this.changed();
    return rec;
  }

  private bump(name: string): number {
    const n = (this.counters[name] ?? 0) + 1;
    this.counters[name] = n;
    return n;
  }

  private afterInsert(def: ObjectDef, rec: Rec, opts: WriteOpts): void {
    if (def.name === 'User' && rec.Id && !this.records('UserLogin').some((l) => l.UserId === rec.Id)) {
      this.insert(
        'UserLogin',
        { UserId: rec.Id, IsFrozen: false, IsPasswordLocked: false },
        { userId: opts.userId, system: true },
      );
    }
    const tracked = this.historyTracking.get(def.name);
    if (tracked && typeof rec.Id === 'string')
      this.writeHistory(def, rec.Id, [['created', null, null]], opts.userId, rec.CreatedDate as string);
  }

  /** Update fields of a live record. Throws RecordError ENTITY_IS_DELETED / NOT_FOUND style errors. */
  update(type: string, id: string, fields: Record<string, unknown>, opts: WriteOpts): Rec {
    const def = this.ensureObject(type);
    const rec = this.liveRecord(def, id);
    if (!opts.system && !def.updateable) {
      throw new RecordError('INVALID_TYPE', `entity type ${def.name} does not support update`, [], 400);
    }
    const copy = { ...rec };
    this.snapshotFor(rec);
    let changes: Map<string, Value>;
    try {
      changes = this.apply(def, rec, fields, 'update', !!opts.system);
      this.derive(def, rec);
      if (!opts.system) this.checkRequired(def, rec);
    } catch (e) {
      for (const k of Object.keys(rec)) delete rec[k];
      Object.assign(rec, copy);
      throw e;
    }
    const now = formatDateTime(this.now());
    const keep = (k: string) => opts.system && fields[k] !== undefined;
    if (!keep('LastModifiedDate')) rec.LastModifiedDate = now;
    if (!keep('SystemModstamp')) rec.SystemModstamp = keep('LastModifiedDate') ? (rec.LastModifiedDate ?? now) : now;
    if (!keep('LastModifiedById')) rec.LastModifiedById = opts.userId || (rec.LastModifiedById ?? null);
    const tracked = this.historyTracking.get(def.name);
    if (tracked && typeof rec.Id === 'string') {
      const rows: [string, Value, Value][] = [];
      for (const [f, old] of changes) if (tracked.has(f)) rows.push([f, old, rec[f] ?? null]);
      if (rows.length) this.writeHistory(def, rec.Id, rows, opts.userId, rec.LastModifiedDate as string);
    }
    this.changed();
    return rec;
  }

  private writeHistory(
    def: ObjectDef,
    parentId: string,
    rows: [string, Value, Value][],
    userId: string,
    when: string,
  ): void {
    const { name, parentField } = historyNames(def.name);
    if (!this.object(name)) this.defineObject(historyObject(def.name));
    for (const [field, oldV, newV] of rows) {
      const ftype = def.fields.get(field.toLowerCase())?.type;
      this.insert(
        name,
        {
          [parentField]: parentId,
          Field: field,
          DataType: field === 'created' ? null : (HISTORY_DATATYPE[ftype ?? 'string'] ?? 'Text'),
          OldValue: oldV,
          NewValue: newV,
          CreatedDate: when,
          CreatedById: userId,
        },
        { userId, system: true },
      );
    }
  }

  /** The live record or a RecordError (ENTITY_IS_DELETED 404 / NOT_FOUND 404 / MALFORMED_ID 400). */
  liveRecord(def: ObjectDef, id: string): Rec {
    const nid = normalizeId(id);
    if (!nid) throw new RecordError('MALFORMED_ID', `malformed id ${id}`, [], 400);
    const rec = this.tables.get(def.name)?.get(nid);
    if (!rec) {
      const other = this.findById(nid);
      if (other && other.type !== def.name) throw new RecordError('MALFORMED_ID', `malformed id ${id}`, [], 400);
      throw new RecordError('NOT_FOUND', 'The requested resource does not exist', [], 404);
    }
    if (rec.IsDeleted) throw new RecordError('ENTITY_IS_DELETED', 'entity is deleted', [], 404);
    return rec;
  }

  /** Delete: to the recycle bin (IsDeleted=true) or, for objects without one, for good. */
  remove(type: string, id: string, opts: WriteOpts): void {
    const def = this.ensureObject(type);
    const rec = this.liveRecord(def, id);
    if (!opts.system && !def.deletable) {
      throw new RecordError('INVALID_TYPE', `entity type ${def.name} does not support delete`, [], 400);
    }
    if (!def.recycle) {
      this.hardDelete(def.name, rec.Id as string);
      return;
    }
    this.snapshotFor(rec);
    rec.IsDeleted = true;
    rec.LastModifiedDate = rec.SystemModstamp = formatDateTime(this.now());
    rec.LastModifiedById = opts.userId || (rec.LastModifiedById ?? null);
    this.changed();
  }

  /** Restore a record from the recycle bin. */
  undelete(id: string, opts: WriteOpts): Rec {
    const found = this.findById(id);
    if (!found) throw new RecordError('INVALID_ID_FIELD', 'invalid record id', [], 400);
    if (!found.record.IsDeleted) throw new RecordError('UNDELETE_FAILED', 'Entity is not in the recycle bin', [], 400);
    this.snapshotFor(found.record);
    found.record.IsDeleted = false;
    found.record.LastModifiedDate = found.record.SystemModstamp = formatDateTime(this.now());
    found.record.LastModifiedById = opts.userId || (found.record.LastModifiedById ?? null);
    this.changed();
    return found.record;
  }

  /** Remove a record for good (emptyRecycleBin, AuthSession delete). */
  hardDelete(type: string, id: string): void {
    const def = this.object(type);
    const nid = normalizeId(id);
    if (!def || !nid) return;
    const table = this.tables.get(def.name);
    const old = table?.get(nid);
    table?.delete(nid);
    if (old) this.journal?.push(() => table!.set(nid, old));
    if (def.name === 'AuthSession') for (const t of this.tokens.values()) if (t.sessionId === nid) t.revoked = true;
    this.changed();
  }

  // ---------------------------------------------------------------- users and auth

  user(id: string): Rec | undefined {
    return this.get('User', id);
  }

  userByUsername(username: string): Rec | undefined {
    const u = username.toLowerCase();
    return this.records('User').find((r) => typeof r.Username === 'string' && r.Username.toLowerCase() === u);
  }

  /** Whether `given` is the user's password, alone or followed by the user's security token. */
  checkPassword(userId: string, given: string): boolean {
    const pw = this.passwords.get(userId);
    if (pw === undefined) return false;
    const tok = this.securityTokens.get(userId);
    return given === pw || (tok !== undefined && given === pw + tok);
  }

  isFrozen(userId: string): boolean {
    return this.records('UserLogin').some((l) => l.UserId === userId && l.IsFrozen === true);
  }

  /** Whether `userId` may log in or call the API now (active, not frozen). */
  userBlocked(userId: string): 'inactive' | 'frozen' | null {
    const u = this.user(userId);
    if (!u || u.IsActive === false) return 'inactive';
    return this.isFrozen(userId) ? 'frozen' : null;
  }

  /** Resolve a bearer/session token to its user; fails for unknown, revoked, frozen or inactive. */
  authenticate(token: string | undefined | null): AuthResult {
    const info = token ? this.tokens.get(token) : undefined;
    if (!info || info.revoked || info.kind !== 'access') return { ok: false, reason: 'invalid' };
    if (info.sessionId && !this.get('AuthSession', info.sessionId)) return { ok: false, reason: 'invalid' };
    const blocked = this.userBlocked(info.userId);
    if (blocked) return { ok: false, reason: blocked };
    return { ok: true, user: this.user(info.userId)!, token: info };
  }

  private randomToken(): string {
    return randomBytes(30).toString('base64url');
  }

  /**
   * Log a user in: an AuthSession row and an access token; with `appName`, also an OauthToken grant (DeleteToken)
   * and, when `refresh` is set, a refresh token. `accessToken` fixes the token value (seeds).
   */
  issueSession(
    userId: string,
    opts: {
      loginType?: string;
      sessionType?: string;
      appName?: string | null;
      refresh?: boolean;
      accessToken?: string;
      grant?: string;
    } = {},
  ): { accessToken: string; refreshToken?: string; sessionId: string; grant: string | null } {
    const session = this.insert(
      'AuthSession',
      {
        UsersId: userId,
        LoginType: opts.loginType ?? 'Remote Access 2.0',
        SessionType: opts.sessionType ?? 'Oauth2',
        SourceIp: '127.0.0.1',
        UserType: 'Standard',
        SessionSecurityLevel: 'STANDARD',
        NumSecondsValid: 7200,
        IsCurrent: false,
      },
      { userId, system: true },
    );
    let grant = opts.grant ?? null;
    if (opts.appName && !grant) {
      grant = this.randomToken();
      this.insert(
        'OauthToken',
        {
          AppName: opts.appName,
          UserId: userId,
          DeleteToken: grant,
          UseCount: 1,
          LastUsedDate: formatDateTime(this.now()),
          AppMenuItemId: null,
          RequestToken: null,
        },
        { userId, system: true },
      );
    }
    const accessToken = opts.accessToken ?? `${this.orgId.slice(0, 15)}!AQ${this.randomToken()}`;
    const sessionId = session.Id as string;
    this.tokens.set(accessToken, {
      token: accessToken,
      kind: 'access',
      userId,
      sessionId,
      grant,
      revoked: false,
      appName: opts.appName ?? null,
    });
    let refreshToken: string | undefined;
    if (opts.refresh) {
      refreshToken = `5Aep861${this.randomToken()}`;
      this.tokens.set(refreshToken, {
        token: refreshToken,
        kind: 'refresh',
        userId,
        sessionId: null,
        grant,
        revoked: false,
        appName: opts.appName ?? null,
      });
    }
    if (grant) {
      const row = this.oauthGrant(grant);
      if (row && !row.AccessToken) row.AccessToken = `${accessToken.slice(0, 20)}...`;
    }
    this.changed();
    return { accessToken, refreshToken, sessionId, grant };
  }

  oauthGrant(deleteToken: string): Rec | undefined {
    return this.records('OauthToken').find((r) => r.DeleteToken === deleteToken);
  }

  /**
   * Revoke an access token (its session ends), a refresh token or an OauthToken DeleteToken (the grant's row is
   * removed and every token issued under it stops working). Returns false for an unknown token.
   */
  revoke(token: string): boolean {
    const info = this.tokens.get(token);
    const grant = info?.grant ?? (this.oauthGrant(token) ? token : null);
    if (!info && !grant) return false;
    if (info?.kind === 'access') {
      info.revoked = true;
      if (info.sessionId) this.hardDelete('AuthSession', info.sessionId);
    } else if (grant) {
      const rows = this.tables.get('OauthToken');
      for (const [k, r] of rows ?? []) if (r.DeleteToken === grant) rows!.delete(k);
      for (const t of this.tokens.values()) {
        if (t.grant !== grant) continue;
        t.revoked = true;
        if (t.sessionId) this.tables.get('AuthSession')?.delete(t.sessionId);
      }
    }
    this.changed();
    return true;
  }

  // ---------------------------------------------------------------- limits

  /** Count one API call; false when the daily limit is exhausted (the call must then fail with 403). */
  consumeApiCall(): boolean {
    const l = this.limits.DailyApiRequests!;
    if (l.Remaining <= 0) return false;
    l.Remaining -= 1;
    return true;
  }

  apiUsage(): { used: number; max: number } {
    const l = this.limits.DailyApiRequests!;
    return { used: l.Max - l.Remaining, max: l.Max };
  }

  // ---------------------------------------------------------------- persistence

  toJSON(): SerializedState {
    const tables: Record<string, Rec[]> = {};
    for (const [name, t] of this.tables) if (t.size) tables[name] = [...t.values()];
    const builtin = new Set(builtinObjects().map((d) => d.name));
    const objects: SerializedObject[] = [];
    for (const def of this.schema.values()) {
      objects.push({
        ...def,
        fields: [...def.fields.values()].filter((f) => !builtin.has(def.name) || !builtinField(def.name, f.name)),
        builtin: builtin.has(def.name),
      });
    }
    return {
      version: 1,
      orgId: this.orgId,
      counters: this.counters,
      customPrefix: this.customPrefix,
      objects,
      tables,
      historyTracking: Object.fromEntries([...this.historyTracking].map(([k, v]) => [k, [...v]])),
      passwords: Object.fromEntries(this.passwords),
      securityTokens: Object.fromEntries(this.securityTokens),
      tokens: [...this.tokens.values()],
      limits: this.limits,
      ext: this.ext,
      clockOffsetMs: this.clockOffsetMs,
      oauthClients: this.options.oauthClients,
    };
  }

  static fromJSON(s: SerializedState): OrgState {
    const st = new OrgState();
    st.restore(s);
    return st;
  }

  /** Replace everything in this state by `s` (admin reset; keeps listeners, options and faults). */
  restore(s: SerializedState): void {
    const st = this as OrgState;
    st.schema.clear();
    st.tables.clear();
    st.historyTracking.clear();
    st.passwords.clear();
    st.tokens.clear();
    for (const def of builtinObjects()) st.defineObject(def);
    s = JSON.parse(JSON.stringify(s)) as SerializedState;
    st.orgId = s.orgId;
    st.counters = s.counters;
    st.customPrefix = s.customPrefix;
    for (const o of s.objects) {
      const existing = st.object(o.name);
      if (existing && o.builtin) {
        for (const f of o.fields) existing.fields.set(f.name.toLowerCase(), f);
      } else {
        const { builtin: _b, fields, ...rest } = o;
        st.defineObject({ ...rest, fields: new Map(fields.map((f) => [f.name.toLowerCase(), f])) });
      }
    }
    for (const [name, rows] of Object.entries(s.tables)) {
      const t = st.table(name);
      for (const r of rows) t.set((r.Id as string | null) ?? String(r.DeleteToken), r);
    }
    for (const [k, v] of Object.entries(s.historyTracking)) st.historyTracking.set(k, new Set(v));
    for (const [k, v] of Object.entries(s.passwords)) st.passwords.set(k, v);
    st.securityTokens.clear();
    for (const [k, v] of Object.entries(s.securityTokens ?? {})) st.securityTokens.set(k, v);
    for (const t of s.tokens) st.tokens.set(t.token, t);
    st.limits = s.limits;
    st.ext = s.ext;
    st.clockOffsetMs = s.clockOffsetMs;
    st.options.oauthClients = s.oauthClients ?? [];
    st.journal = null;
    st.changed();
  }
}

interface SerializedObject extends Omit<ObjectDef, 'fields'> {
  fields: FieldDef[];
  builtin: boolean;
}

export interface SerializedState {
  version: 1;
  orgId: string;
  counters: Record<string, number>;
  customPrefix: number;
  objects: SerializedObject[];
  tables: Record<string, Rec[]>;
  historyTracking: Record<string, string[]>;
  passwords: Record<string, string>;
  securityTokens?: Record<string, string>;
  tokens: TokenInfo[];
  limits: Record<string, { Max: number; Remaining: number }>;
  ext: Record<string, unknown>;
  clockOffsetMs: number;
  oauthClients?: EmulatorOptions['oauthClients'];
}

let builtinFieldCache: Map<string, Set<string>> | undefined;
function builtinField(obj: string, field: string): boolean {
  builtinFieldCache ??= new Map(builtinObjects().map((d) => [d.name, new Set(d.fields.keys())]));
  return builtinFieldCache.get(obj)?.has(field.toLowerCase()) ?? false;
}

/** Objects visible both to REST and Tooling queries. */
function isSharedTooling(name: string): boolean {
  return name === 'User' || name === 'Organization' || name === 'Profile';
}

export function defaultLimits(): Record<string, { Max: number; Remaining: number }> {
  const l = (max: number) => ({ Max: max, Remaining: max });
  return {
    DailyApiRequests: l(15000),
    DailyAsyncApexExecutions: l(250000),
    DailyBulkApiBatches: l(15000),
    DailyBulkV2QueryFileStorageMB: l(976562),
    DailyBulkV2QueryJobs: l(10000),
    DailyStreamingApiEvents: l(10000),
    DataStorageMB: l(5),
    FileStorageMB: l(20),
    HourlyODataCallout: l(20000),
    SingleEmail: l(15),
    MassEmail: l(10),
  };
}
