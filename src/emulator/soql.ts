/*
 * SOQL against the org state: parse with @jetstreamapp/soql-parser-js, evaluate the subset of
 * salesforce-api.md §11 (filters, AND/OR/NOT, IN/NOT IN (incl. semi-join subqueries), LIKE, INCLUDES/EXCLUDES,
 * date and datetime literals, date literals such as LAST_N_DAYS:n, parent relationship paths, child subqueries,
 * ORDER BY, LIMIT, OFFSET, COUNT(), simple GROUP BY aggregates, FIELDS(ALL|STANDARD|CUSTOM)).
 *
 *   runSoql(state, soql, { scanAll?, tooling?, version? }) -> SoqlResult
 *     .records    REST-shaped records (attributes first, fields in SELECT order, parents nested, children
 *                 as {totalSize, done, records} or null); [] for `SELECT COUNT()`
 *     .totalSize  matching rows (COUNT(): the count)
 *     .columns    flat column names in SELECT order ('Id', 'Account.Name'), for CSV (Bulk 2.0 query)
 *     .flatRows() one array of wire values per record, aligned with .columns (parents flattened)
 *     .object     canonical sObject name; .aggregate / .countOnly flags; .selectedFields (as written)
 * Errors are ApiError 400 with the REST error codes MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE,
 * NUMBER_OUTSIDE_VALID_RANGE, with the doc's caret-style messages.
 */
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { ApiError } from './errors.js';
import { normalizeId } from './ids.js';
import { childRelationshipName, formatDateTime, parseDateTime, type FieldDef, type ObjectDef } from './schema.js';
import type { OrgState, Rec, Value } from './state.js';

export interface SoqlOptions {
  scanAll?: boolean;
  /** Tooling API query: tooling objects (plus a few shared ones) instead of data objects. */
  tooling?: boolean;
  /** API version for attribute urls (default '62.0'). */
  version?: string;
}

export type OutRecord = Record<string, unknown>;

export interface SoqlResult {
  object: string;
  records: OutRecord[];
  totalSize: number;
  columns: string[];
  aggregate: boolean;
  countOnly: boolean;
  selectedFields: string[];
  flatRows(): Value[][];
  /** Column metadata as `sf data query` asks for it with `columns=true`. */
  columnMetadata(): unknown;
}

// --- minimal shapes of the parser's AST (it is loosely typed)
interface AstField {
  type: 'Field' | 'FieldRelationship' | 'FieldSubquery' | 'FieldFunctionExpression' | 'FieldTypeof';
  field?: string;
  relationships?: string[];
  rawValue?: string;
  alias?: string;
  functionName?: string;
  parameters?: (string | AstField)[];
  isAggregateFn?: boolean;
  subquery?: AstQuery;
}
interface AstQuery {
  fields?: AstField[];
  sObject?: string;
  relationshipName?: string;
  where?: AstWhere;
  orderBy?: { field?: string; order?: 'ASC' | 'DESC'; nulls?: 'FIRST' | 'LAST'; fn?: unknown }[];
  groupBy?: { field?: string; fn?: unknown }[] | { field?: string; fn?: unknown };
  limit?: number;
  offset?: number;
  having?: unknown;
}
interface AstCond {
  field?: string;
  fn?: unknown;
  operator?: string;
  literalType?: string | string[];
  value?: string | string[];
  valueQuery?: AstQuery;
  dateLiteralVariable?: number | number[];
  openParen?: number;
  closeParen?: number;
}
interface AstWhere {
  left: AstCond | null;
  operator?: string;
  right?: AstWhere;
}

type Expr = { kind: 'and' | 'or'; a: Expr; b: Expr } | { kind: 'not'; a: Expr } | { kind: 'cond'; c: AstCond };

const ERR_TAIL =
  "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";

/** The caret-style 400 message of salesforce-api.md §2.3. */
function queryError(code: string, soql: string, token: string | undefined, text: string): ApiError {
  let col = token ? soql.toLowerCase().indexOf(token.toLowerCase()) : -1;
  if (col < 0) col = 0;
  return new ApiError(400, code, `\n${soql}\n${' '.repeat(col)}^\nERROR at Row:1:Column:${col + 1}\n${text}`);
}

// --- field paths

interface Step {
  field: FieldDef;
}

/** A resolved path: reference steps then a final field. */
interface Path {
  raw: string;
  steps: Step[]; // reference fields walked, in order
  last: FieldDef;
  /** Canonical names along the path (relationship names, then the field). */
  names: string[];
  objects: ObjectDef[]; // object at each step (objects[0] = root)
}

class Ctx {
  constructor(
    readonly state: OrgState,
    readonly soql: string,
    readonly opts: SoqlOptions,
  ) {}
  get version(): string {
    return this.opts.version ?? '62.0';
  }

  resolveObject(name: string | undefined): ObjectDef {
    const def = name ? this.state.object(name) : undefined;
    const visible =
      def &&
      def.queryable &&
      (this.opts.tooling ? def.tooling || ['User', 'Organization', 'Profile'].includes(def.name) : !def.tooling);
    if (!def || !visible) {
      throw queryError(
        'INVALID_TYPE',
        this.soql,
        name,
        `sObject type '${name ?? ''}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    return def;
  }

  resolvePath(root: ObjectDef, raw: string): Path {
    const parts = raw.split('.');
    // A leading object-name qualifier (SELECT Contact.Name FROM Contact) is allowed.
    if (parts.length > 1 && parts[0]!.toLowerCase() === root.name.toLowerCase() && !this.relField(root, parts[0]!)) {
      parts.shift();
    }
    const steps: Step[] = [];
    const names: string[] = [];
    const objects: ObjectDef[] = [root];
    let def = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const rel = this.relField(def, parts[i]!);
      if (!rel) {
        throw queryError(
          'INVALID_FIELD',
          this.soql,
          parts[i],
          `Didn't understand relationship '${parts[i]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        );
      }
      steps.push({ field: rel });
      names.push(rel.relationshipName!);
      const target = this.state.object(rel.referenceTo[0] ?? '') ?? this.state.object('User')!;
      def = target;
      objects.push(def);
    }
    const lastName = parts[parts.length - 1]!;
    const last = def.fields.get(lastName.toLowerCase());
    if (!last) {
      throw queryError(
        'INVALID_FIELD',
        this.soql,
        lastName,
        `No such column '${lastName}' on entity '${def.name}'. ${ERR_TAIL}`,
      );
    }
    names.push(last.name);
    return { raw, steps, last, names, objects };
  }

  private relField(def: ObjectDef, rel: string): FieldDef | undefined {
    const r = rel.toLowerCase();
    for (const f of def.fields.values()) {
      if (f.type === 'reference' && f.relationshipName && f.relationshipName.toLowerCase() === r) return f;
    }
    return undefined;
  }

  /** Value at a path (null when any parent on the way is empty). */
  get(rec: Rec, p: Path): Value {
    let cur: Rec | undefined = rec;
    for (const s of p.steps) {
      const id: Value = cur[s.field.name] ?? null;
      if (id === null || typeof id !== 'string') return null;
      cur = this.state.findById(id)?.record;
      if (!cur) return null;
    }
    return cur[p.last.name] ?? null;
  }

  /** The parent record at depth `depth` of a path, with its type (for nested output). */
  parentAt(rec: Rec, p: Path, depth: number): { rec: Rec; type: string } | null {
    let cur: Rec = rec;
    let type = p.objects[0]!.name;
    for (let i = 0; i < depth; i++) {
      const id = cur[p.steps[i]!.field.name];
      if (typeof id !== 'string') return null;
      const found = this.state.findById(id);
      if (!found) return null;
      cur = found.record;
      type = found.type;
    }
    return { rec: cur, type };
  }

  url(type: string, id: Value): string | undefined {
    if (typeof id !== 'string') return undefined;
    return `/services/data/v${this.version}/${this.opts.tooling ? 'tooling/' : ''}sobjects/${type}/${id}`;
  }

  attributes(type: string, rec: Rec): Record<string, unknown> {
    const url = this.url(type, rec.Id ?? null);
    return url ? { type, url } : { type };
  }
}

// --- literals and comparison

function unquote(s: string): string {
  if (!(s.startsWith("'") && s.endsWith("'"))) return s;
  const body = s.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '\\' && i + 1 < body.length) {
      const n = body[++i]!;
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n === 'b' ? '\b' : n === 'f' ? '\f' : n;
    } else out += ch;
  }
  return out;
}

function likeRegex(lit: string): RegExp {
  const body = lit.startsWith("'") ? lit.slice(1, -1) : lit;
  let re = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '\\' && i + 1 < body.length) {
      const n = body[++i]!;
      const c = n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
      re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (ch === '%') re += '[\\s\\S]*';
    else if (ch === '_') re += '[\\s\\S]';
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

const DAY = 86400000;
const startOfDay = (ms: number) => Math.floor(ms / DAY) * DAY;

/** A date literal as a [start, end) range in epoch ms (UTC). */
function dateLiteralRange(lit: string, n: number | undefined, now: Date, timeZone = 'UTC'): [number, number] | null {
  // Ranges start at 00:00 in the time zone: compute in shifted "local" ms, shift the result back.
  const off = tzOffsetMs(timeZone, now);
  const r = dateLiteralRangeUtc(lit, n, new Date(now.getTime() + off));
  return r ? [r[0] - off, r[1] - off] : null;
}

/** Offset of `timeZone` from UTC at `at`, in ms (0 for UTC or an unknown zone). */
function tzOffsetMs(timeZone: string, at: Date): number {
  if (!timeZone || timeZone === 'UTC' || timeZone === 'GMT') return 0;
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(at);
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
    const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return local - Math.floor(at.getTime() / 1000) * 1000;
  } catch {
    return 0;
  }
}

function dateLiteralRangeUtc(lit: string, n: number | undefined, now: Date): [number, number] | null {
  const t = now.getTime();
  const today = startOfDay(t);
  const d = new Date(today);
  const dow = d.getUTCDay(); // weeks start on Sunday
  const weekStart = today - dow * DAY;
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const month = (k: number) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k, 1);
  const year = (k: number) => Date.UTC(d.getUTCFullYear() + k, 0, 1);
  const q = Math.floor(d.getUTCMonth() / 3);
  const quarter = (k: number) => Date.UTC(d.getUTCFullYear(), (q + k) * 3, 1);
  const k = n ?? 0;
  switch (lit.toUpperCase()) {
    case 'TODAY':
      return [today, today + DAY];
    case 'YESTERDAY':
      return [today - DAY, today];
    case 'TOMORROW':
      return [today + DAY, today + 2 * DAY];
    case 'THIS_WEEK':
      return [weekStart, weekStart + 7 * DAY];
    case 'LAST_WEEK':
      return [weekStart - 7 * DAY, weekStart];
    case 'NEXT_WEEK':
      return [weekStart + 7 * DAY, weekStart + 14 * DAY];
    case 'THIS_MONTH':
      return [monthStart, month(1)];
    case 'LAST_MONTH':
      return [month(-1), monthStart];
    case 'NEXT_MONTH':
      return [month(1), month(2)];
    case 'THIS_QUARTER':
      return [quarter(0), quarter(1)];
    case 'LAST_QUARTER':
      return [quarter(-1), quarter(0)];
    case 'NEXT_QUARTER':
      return [quarter(1), quarter(2)];
    case 'THIS_YEAR':
      return [year(0), year(1)];
    case 'LAST_YEAR':
      return [year(-1), year(0)];
    case 'NEXT_YEAR':
      return [year(1), year(2)];
    case 'LAST_90_DAYS':
      return [today - 90 * DAY, today + DAY];
    case 'NEXT_90_DAYS':
      return [today + DAY, today + 91 * DAY];
    case 'LAST_N_DAYS':
      return [today - k * DAY, today + DAY];
    case 'NEXT_N_DAYS':
      return [today + DAY, today + (k + 1) * DAY];
    case 'N_DAYS_AGO':
      return [today - k * DAY, today - (k - 1) * DAY];
    case 'LAST_N_HOURS': {
      const h = Math.floor(t / 3600000) * 3600000;
      return [h - k * 3600000, t + 1];
    }
    case 'NEXT_N_HOURS': {
      const h = Math.floor(t / 3600000) * 3600000;
      return [t, h + (k + 1) * 3600000];
    }
    case 'LAST_N_WEEKS':
      return [weekStart - k * 7 * DAY, weekStart];
    case 'NEXT_N_WEEKS':
      return [weekStart + 7 * DAY, weekStart + (k + 1) * 7 * DAY];
    case 'N_WEEKS_AGO':
      return [weekStart - k * 7 * DAY, weekStart - (k - 1) * 7 * DAY];
    case 'LAST_N_MONTHS':
      return [month(-k), monthStart];
    case 'NEXT_N_MONTHS':
      return [month(1), month(k + 1)];
    case 'N_MONTHS_AGO':
      return [month(-k), month(-k + 1)];
    case 'LAST_N_YEARS':
      return [year(-k), year(0)];
    case 'NEXT_N_YEARS':
      return [year(1), year(k + 1)];
    case 'N_YEARS_AGO':
      return [year(-k), year(-k + 1)];
    case 'LAST_N_QUARTERS':
      return [quarter(-k), quarter(0)];
    case 'NEXT_N_QUARTERS':
      return [quarter(1), quarter(k + 1)];
    default:
      return null;
  }
}

const isDateish = (f: FieldDef) => f.type === 'date' || f.type === 'datetime';
const isNumeric = (f: FieldDef) => ['int', 'double', 'currency', 'percent'].includes(f.type);
const isIdish = (f: FieldDef) => f.type === 'id' || f.type === 'reference';

/** Comparable form of a stored value for a field: numbers for dates/datetimes/numbers, lower-case strings. */
function cmpValue(f: FieldDef, v: Value): number | string | boolean | null {
  if (v === null || v === undefined) return null;
  if (f.type === 'datetime') return typeof v === 'string' ? parseDateTime(v) : null;
  if (f.type === 'date') return typeof v === 'string' ? Date.parse(`${v.slice(0, 10)}T00:00:00Z`) : null;
  if (isNumeric(f)) return typeof v === 'number' ? v : Number(v);
  if (f.type === 'boolean') return v === true || v === 'true';
  if (isIdish(f)) return typeof v === 'string' ? (normalizeId(v) ?? v) : String(v);
  return String(v).toLowerCase();
}

type Lit = { kind: 'value'; v: number | string | boolean | null } | { kind: 'range'; start: number; end: number };

// --- the compiled query

interface SelectItem {
  kind: 'field' | 'child' | 'agg';
  path?: Path;
  child?: { name: string; def: ObjectDef; parentField: FieldDef; query: AstQuery };
  agg?: { fn: string; path: Path | null; key: string };
  key?: string;
}

function compileWhere(w: AstWhere | undefined): Expr | null {
  if (!w) return null;
  const toks: (string | AstCond)[] = [];
  let node: AstWhere | undefined = w;
  while (node) {
    const left: AstCond | null = node.left;
    const hasCond = !!left && (left.field !== undefined || left.fn !== undefined);
    if (!hasCond && node.operator === 'NOT') {
      for (let i = 0; i < (left?.openParen ?? 0); i++) toks.push('(');
      toks.push('NOT');
      node = node.right;
      continue;
    }
    if (left && hasCond) {
      for (let i = 0; i < (left.openParen ?? 0); i++) toks.push('(');
      toks.push(left);
      for (let i = 0; i < (left.closeParen ?? 0); i++) toks.push(')');
    }
    if (node.operator && node.right) toks.push(node.operator);
    node = node.right;
  }
  let i = 0;
  const parseOr = (): Expr => {
    let a = parseAnd();
    while (toks[i] === 'OR') {
      i++;
      a = { kind: 'or', a, b: parseAnd() };
    }
    return a;
  };
  const parseAnd = (): Expr => {
    let a = parseNot();
    while (toks[i] === 'AND') {
      i++;
      a = { kind: 'and', a, b: parseNot() };
    }
    return a;
  };
  const parseNot = (): Expr => {
    if (toks[i] === 'NOT') {
      i++;
      return { kind: 'not', a: parseNot() };
    }
    if (toks[i] === '(') {
      i++;
      const e = parseOr();
      if (toks[i] === ')') i++;
      return e;
    }
    const c = toks[i++];
    if (!c || typeof c === 'string') throw new Error('malformed WHERE');
    return { kind: 'cond', c };
  };
  return parseOr();
}

export function runSoql(state: OrgState, soql: string, opts: SoqlOptions = {}): SoqlResult {
  let ast: AstQuery;
  try {
    ast = parseQuery(soql) as unknown as AstQuery;
  } catch (e) {
    const msg = (e as Error).message ?? '';
    const m = /found:? -*>?\s*'?([^'<\s]*)/.exec(msg) ?? /character: ->(.)<-/.exec(msg);
    const tok = m?.[1];
    throw queryError('MALFORMED_QUERY', soql, tok || undefined, `unexpected token: '${tok || 'EOF'}'`);
  }
  const ctx = new Ctx(state, soql, opts);
  return execute(ctx, ast, null);
}

interface ParentLink {
  field: FieldDef;
  parentId: string;
}

function execute(ctx: Ctx, ast: AstQuery, link: ParentLink | null, childDef?: ObjectDef): SoqlResult {
  const def = childDef ?? ctx.resolveObject(ast.sObject);
  const soql = ctx.soql;
  const items: SelectItem[] = [];
  const selectedFields: string[] = [];
  let countOnly = false;
  let aggregate = false;
  let exprN = 0;
  for (const f of ast.fields ?? []) {
    if (f.type === 'Field' || f.type === 'FieldRelationship') {
      const raw = f.type === 'Field' ? f.field! : (f.rawValue ?? [...(f.relationships ?? []), f.field].join('.'));
      selectedFields.push(raw);
      items.push({ kind: 'field', path: ctx.resolvePath(def, raw) });
    } else if (f.type === 'FieldSubquery' && f.subquery) {
      const relName = f.subquery.relationshipName ?? '';
      const child = findChildRelationship(ctx.state, def, relName);
      if (!child) {
        throw queryError(
          'INVALID_TYPE',
          soql,
          relName,
          `Didn't understand relationship '${relName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        );
      }
      items.push({
        kind: 'child',
        child: { name: child.name, def: child.def, parentField: child.field, query: f.subquery },
      });
      selectedFields.push(child.name);
    } else if (f.type === 'FieldFunctionExpression') {
      const fn = (f.functionName ?? '').toUpperCase();
      if (fn === 'FIELDS') {
        const which = String(f.parameters?.[0] ?? 'ALL').toUpperCase();
        for (const fd of def.fields.values()) {
          if (fd.type === 'base64' || fd.type === 'anyType') continue;
          if (which === 'CUSTOM' && !fd.custom) continue;
          if (which === 'STANDARD' && fd.custom) continue;
          selectedFields.push(fd.name);
          items.push({ kind: 'field', path: ctx.resolvePath(def, fd.name) });
        }
      } else if (f.isAggregateFn || ['COUNT', 'COUNT_DISTINCT', 'MIN', 'MAX', 'SUM', 'AVG'].includes(fn)) {
        aggregate = true;
        const param = f.parameters?.[0];
        if (fn === 'COUNT' && (param === undefined || param === '')) {
          countOnly = true;
          continue;
        }
        const path = typeof param === 'string' ? ctx.resolvePath(def, param) : null;
        const key = f.alias ?? `expr${exprN++}`;
        items.push({ kind: 'agg', agg: { fn, path, key } });
        selectedFields.push(key);
      } else {
        throw queryError('MALFORMED_QUERY', soql, f.functionName, `unexpected token: '${f.functionName}'`);
      }
    } else {
      throw queryError('MALFORMED_QUERY', soql, 'TYPEOF', "unexpected token: 'TYPEOF'");
    }
  }
  if (countOnly && items.length) {
    throw queryError('MALFORMED_QUERY', soql, 'COUNT', 'COUNT() cannot be used with other fields');
  }
  const where = compileWhere(ast.where);
  const predicate = where ? compileExpr(ctx, def, where) : () => true;

  let rows = ctx.state.records(def.name, { includeDeleted: !!ctx.opts.scanAll });
  if (link) rows = rows.filter((r) => r[link.field.name] === link.parentId);
  rows = rows.filter(predicate);

  // ORDER BY
  const orderBy = ast.orderBy ?? [];
  if (orderBy.length) {
    const keys = orderBy.map((o) => {
      if (!o.field) throw queryError('MALFORMED_QUERY', soql, 'ORDER', 'unsupported ORDER BY expression');
      const path = ctx.resolvePath(def, o.field);
      const desc = o.order === 'DESC';
      const nullsFirst = o.nulls ? o.nulls === 'FIRST' : !desc;
      return { path, desc, nullsFirst };
    });
    const decorated = rows.map((r, i) => ({ r, i, k: keys.map((k) => cmpValue(k.path.last, ctx.get(r, k.path))) }));
    decorated.sort((x, y) => {
      for (let j = 0; j < keys.length; j++) {
        const { desc, nullsFirst } = keys[j]!;
        const a = x.k[j] ?? null;
        const b = y.k[j] ?? null;
        if (a === b) continue;
        if (a === null) return nullsFirst ? -1 : 1;
        if (b === null) return nullsFirst ? 1 : -1;
        const c = a < b ? -1 : a > b ? 1 : 0;
        if (c) return desc ? -c : c;
      }
      return x.i - y.i;
    });
    rows = decorated.map((d) => d.r);
  }

  const groupByRaw = ast.groupBy ? (Array.isArray(ast.groupBy) ? ast.groupBy : [ast.groupBy]) : [];
  if (countOnly && !groupByRaw.length) {
    let n = rows.length;
    if (ast.offset) n = Math.max(0, n - ast.offset);
    if (ast.limit !== undefined) n = Math.min(n, ast.limit);
    return result(ctx, def, [], n, [], true, true, selectedFields);
  }

  if (ast.offset !== undefined) {
    if (ast.offset > 2000) {
      throw new ApiError(400, 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is 2000`);
    }
  }

  if (aggregate || groupByRaw.length) {
    const groupPaths = groupByRaw.map((g) => {
      if (!g.field) throw queryError('MALFORMED_QUERY', soql, 'GROUP', 'unsupported GROUP BY expression');
      return ctx.resolvePath(def, g.field);
    });
    for (const it of items) {
      if (it.kind === 'field' && !groupPaths.some((g) => g.last === it.path!.last && g.raw === it.path!.raw)) {
        throw queryError(
          'MALFORMED_QUERY',
          soql,
          it.path!.raw,
          `Field must be grouped or aggregated: ${it.path!.last.name}`,
        );
      }
    }
    const groups = new Map<string, Rec[]>();
    for (const r of rows) {
      const key = JSON.stringify(groupPaths.map((g) => ctx.get(r, g)));
      const list = groups.get(key) ?? [];
      list.push(r);
      groups.set(key, list);
    }
    if (!groupPaths.length && !groups.size) groups.set('[]', []);
    let out: OutRecord[] = [];
    for (const members of groups.values()) {
      const o: OutRecord = { attributes: { type: 'AggregateResult' } };
      for (const it of items) {
        if (it.kind === 'field') o[it.path!.last.name] = members[0] ? ctx.get(members[0], it.path!) : null;
        else if (it.kind === 'agg') o[it.agg!.key] = aggregateOf(ctx, it.agg!.fn, it.agg!.path, members);
      }
      if (countOnly) o.expr0 = members.length;
      out.push(o);
    }
    if (ast.offset) out = out.slice(ast.offset);
    if (ast.limit !== undefined) out = out.slice(0, ast.limit);
    return result(ctx, def, out, out.length, items, true, false, selectedFields);
  }

  if (ast.offset) rows = rows.slice(ast.offset);
  if (ast.limit !== undefined) rows = rows.slice(0, ast.limit);
  const records = rows.map((r) => shape(ctx, def, r, items));
  const res = result(ctx, def, records, records.length, items, false, false, selectedFields);
  (res as SoqlResult & { _rows?: Rec[] })._rows = rows;
  return res;
}

function aggregateOf(ctx: Ctx, fn: string, path: Path | null, members: Rec[]): Value {
  const vals = path ? members.map((m) => ctx.get(m, path)).filter((v) => v !== null) : members.map(() => 1);
  switch (fn) {
    case 'COUNT':
      return vals.length;
    case 'COUNT_DISTINCT':
      return new Set(vals.map((v) => (typeof v === 'string' ? v.toLowerCase() : v))).size;
    case 'SUM':
      return vals.length ? vals.reduce<number>((a, v) => a + Number(v), 0) : null;
    case 'AVG':
      return vals.length ? vals.reduce<number>((a, v) => a + Number(v), 0) / vals.length : null;
    case 'MIN':
    case 'MAX': {
      if (!vals.length) return null;
      const f = path!.last;
      let best = vals[0]!;
      for (const v of vals) {
        const a = cmpValue(f, v)!;
        const b = cmpValue(f, best)!;
        if (fn === 'MIN' ? a < b : a > b) best = v;
      }
      return best;
    }
    default:
      return null;
  }
}

function shape(ctx: Ctx, def: ObjectDef, r: Rec, items: SelectItem[]): OutRecord {
  const out: OutRecord = { attributes: ctx.attributes(def.name, r) };
  for (const it of items) {
    if (it.kind === 'field') {
      const p = it.path!;
      if (!p.steps.length) {
        out[p.last.name] = r[p.last.name] ?? null;
        continue;
      }
      // Nest parents: out.Account = {attributes, Owner: {attributes, Name}}.
      let target = out;
      let ok = true;
      for (let d = 0; d < p.steps.length; d++) {
        const relName = p.names[d]!;
        const parent = ctx.parentAt(r, p, d + 1);
        if (!parent) {
          if (!(relName in target)) target[relName] = null;
          ok = false;
          break;
        }
        let next = target[relName] as OutRecord | null | undefined;
        if (!next) {
          next = { attributes: ctx.attributes(parent.type, parent.rec) };
          target[relName] = next;
        }
        target = next;
      }
      if (ok) target[p.last.name] = ctx.get(r, p);
    } else if (it.kind === 'child') {
      const c = it.child!;
      const sub = execute(
        ctx,
        { ...c.query, sObject: c.def.name },
        { field: c.parentField, parentId: r.Id as string },
        c.def,
      );
      out[c.name] = sub.records.length ? { totalSize: sub.totalSize, done: true, records: sub.records } : null;
    }
  }
  return out;
}

function result(
  ctx: Ctx,
  def: ObjectDef,
  records: OutRecord[],
  totalSize: number,
  items: SelectItem[],
  aggregate: boolean,
  countOnly: boolean,
  selectedFields: string[],
): SoqlResult {
  const columns = items
    .filter((i) => i.kind !== 'child')
    .map((i) => (i.kind === 'field' ? [...i.path!.names].join('.') : i.agg!.key));
  return {
    object: def.name,
    records,
    totalSize,
    columns,
    aggregate,
    countOnly,
    selectedFields,
    flatRows() {
      const raw = (this as SoqlResult & { _rows?: Rec[] })._rows;
      if (raw) {
        return raw.map((r) => items.filter((i) => i.kind === 'field').map((i) => ctx.get(r, i.path!)));
      }
      return records.map((o) => columns.map((c) => (o[c] as Value) ?? null));
    },
    columnMetadata() {
      return {
        columnMetadata: items.filter((i) => i.kind !== 'child').map((i) => columnMeta(i)),
        entityName: def.name,
        groupBy: aggregate,
        idSelected: items.some((i) => i.kind === 'field' && i.path!.last.name === 'Id' && !i.path!.steps.length),
        keyPrefix: def.keyPrefix,
      };
    },
  };
}

const APEX: Record<string, string> = {
  id: 'Id',
  reference: 'Id',
  boolean: 'Boolean',
  int: 'Integer',
  double: 'Double',
  currency: 'Decimal',
  percent: 'Decimal',
  date: 'Date',
  datetime: 'Datetime',
  anyType: 'Object',
};

function columnMeta(i: SelectItem): unknown {
  if (i.kind === 'agg') {
    return {
      aggregate: true,
      apexType: 'Integer',
      booleanType: false,
      columnName: i.agg!.key,
      custom: false,
      displayName: i.agg!.key,
      foreignKeyName: null,
      insertable: false,
      joinColumns: [],
      numberType: true,
      textType: false,
      updatable: false,
    };
  }
  const p = i.path!;
  const f = p.last;
  const leaf = {
    aggregate: false,
    apexType: APEX[f.type] ?? 'String',
    booleanType: f.type === 'boolean',
    columnName: f.name,
    custom: f.custom,
    displayName: f.name,
    foreignKeyName: null,
    insertable: f.createable,
    joinColumns: [] as unknown[],
    numberType: ['int', 'double', 'currency', 'percent'].includes(f.type),
    textType: !['boolean', 'int', 'double', 'currency', 'percent', 'date', 'datetime'].includes(f.type),
    updatable: f.updateable,
  };
  // Parent paths nest as join columns (Account.Name -> {columnName: Account, joinColumns: [Name]}).
  let node: Record<string, unknown> = leaf;
  for (let d = p.steps.length - 1; d >= 0; d--) {
    node = {
      aggregate: false,
      apexType: null,
      booleanType: false,
      columnName: p.names[d],
      custom: false,
      displayName: p.names[d],
      foreignKeyName: null,
      insertable: false,
      joinColumns: [node],
      numberType: false,
      textType: false,
      updatable: false,
    };
  }
  return node;
}

/** The child relationship `name` of `parent` (e.g. Account.Contacts). */
export function findChildRelationship(
  state: OrgState,
  parent: ObjectDef,
  name: string,
): { name: string; def: ObjectDef; field: FieldDef } | undefined {
  const n = name.toLowerCase();
  for (const r of childRelationships(state, parent)) if (r.name.toLowerCase() === n) return r;
  return undefined;
}

/** All child relationships pointing at `parent`. */
export function childRelationships(
  state: OrgState,
  parent: ObjectDef,
): { name: string; def: ObjectDef; field: FieldDef }[] {
  const out: { name: string; def: ObjectDef; field: FieldDef }[] = [];
  const seen = new Set<string>();
  for (const def of state.schema.values()) {
    for (const f of def.fields.values()) {
      if (f.type !== 'reference' || !f.referenceTo.includes(parent.name)) continue;
      if (/^(CreatedById|LastModifiedById)$/.test(f.name)) continue;
      const name = childRelationshipName(def.name, f.name);
      if (seen.has(name.toLowerCase())) continue;
      seen.add(name.toLowerCase());
      out.push({ name, def, field: f });
    }
  }
  return out;
}

function compileExpr(ctx: Ctx, def: ObjectDef, e: Expr): (r: Rec) => boolean {
  if (e.kind === 'and') {
    const a = compileExpr(ctx, def, e.a);
    const b = compileExpr(ctx, def, e.b);
    return (r) => a(r) && b(r);
  }
  if (e.kind === 'or') {
    const a = compileExpr(ctx, def, e.a);
    const b = compileExpr(ctx, def, e.b);
    return (r) => a(r) || b(r);
  }
  if (e.kind === 'not') {
    const a = compileExpr(ctx, def, e.a);
    return (r) => !a(r);
  }
  return compileCond(ctx, def, (e as { c: AstCond }).c);
}

function compileCond(ctx: Ctx, def: ObjectDef, c: AstCond): (r: Rec) => boolean {
  const soql = ctx.soql;
  if (!c.field) throw queryError('MALFORMED_QUERY', soql, undefined, 'unsupported function in WHERE');
  const path = ctx.resolvePath(def, c.field);
  const f = path.last;
  if (!f.filterable) {
    throw queryError('INVALID_FIELD', soql, c.field, `field '${f.name}' can not be filtered in a query call`);
  }
  const op = (c.operator ?? '=').toUpperCase();
  const get = (r: Rec) => cmpValue(f, ctx.get(r, path));

  if (c.literalType === 'SUBQUERY' || c.valueQuery) {
    const sub = execute(ctx, c.valueQuery!, null);
    const set = new Set(sub.flatRows().map((row) => cmpValue(f, row[0] ?? null)));
    const neg = op === 'NOT IN';
    return (r) => {
      const v = get(r);
      return neg ? !set.has(v) : v !== null && set.has(v);
    };
  }

  const types = Array.isArray(c.literalType) ? c.literalType : [];
  const litOf = (raw: string, i: number): Lit => {
    const lt = (Array.isArray(c.literalType) ? types[i] : c.literalType) ?? 'STRING';
    const n = Array.isArray(c.dateLiteralVariable) ? c.dateLiteralVariable[i] : c.dateLiteralVariable;
    return literal(ctx, f, c.field!, lt, raw, n);
  };

  if (op === 'LIKE') {
    if (typeof c.value !== 'string') throw queryError('MALFORMED_QUERY', soql, 'LIKE', 'invalid LIKE value');
    const re = likeRegex(c.value);
    return (r) => {
      const v = ctx.get(r, path);
      return v !== null && re.test(String(v));
    };
  }
  if (op === 'INCLUDES' || op === 'EXCLUDES') {
    const sets = (Array.isArray(c.value) ? c.value : [c.value ?? '']).map((v) =>
      unquote(v)
        .split(';')
        .map((s) => s.trim().toLowerCase()),
    );
    return (r) => {
      const v = ctx.get(r, path);
      const have = new Set(
        v === null
          ? []
          : String(v)
              .split(';')
              .map((s) => s.trim().toLowerCase()),
      );
      const any = sets.some((s) => s.every((x) => have.has(x)));
      return op === 'INCLUDES' ? any : !any;
    };
  }
  if (op === 'IN' || op === 'NOT IN') {
    const lits = (Array.isArray(c.value) ? c.value : [c.value ?? '']).map((v, i) => litOf(v, i));
    const neg = op === 'NOT IN';
    return (r) => {
      const v = get(r);
      const hit = lits.some((l) => matchEq(l, v));
      return neg ? !hit : hit;
    };
  }
  if (Array.isArray(c.value)) throw queryError('MALFORMED_QUERY', soql, c.field, 'unexpected list');
  const lit = litOf(c.value ?? '', 0);
  switch (op) {
    case '=':
      return (r) => matchEq(lit, get(r));
    case '!=':
    case '<>':
      return (r) => !matchEq(lit, get(r));
    case '<':
    case '<=':
    case '>':
    case '>=':
      return (r) => {
        const v = get(r);
        if (v === null) return false;
        if (lit.kind === 'range') {
          const n = v as number;
          if (op === '<') return n < lit.start;
          if (op === '<=') return n < lit.end;
          if (op === '>') return n >= lit.end;
          return n >= lit.start;
        }
        if (lit.v === null) return false;
        if (op === '<') return v < lit.v;
        if (op === '<=') return v <= lit.v;
        if (op === '>') return v > lit.v;
        return v >= lit.v;
      };
    default:
      throw queryError('INVALID_QUERY_FILTER_OPERATOR', soql, op, `invalid operator: ${op}`);
  }
}

function matchEq(l: Lit, v: number | string | boolean | null): boolean {
  if (l.kind === 'range') return typeof v === 'number' && v >= l.start && v < l.end;
  if (l.v === null) return v === null;
  return v === l.v;
}

function literal(ctx: Ctx, f: FieldDef, fieldName: string, lt: string, raw: string, n: number | undefined): Lit {
  const soql = ctx.soql;
  const typeErr = (want: string) =>
    queryError(
      'INVALID_FIELD',
      soql,
      raw,
      `value of filter criterion for field '${fieldName}' must be of type ${want} and should not be enclosed in quotes`,
    );
  switch (lt) {
    case 'NULL':
      return { kind: 'value', v: null };
    case 'BOOLEAN':
      if (f.type !== 'boolean') throw typeErr(f.type);
      return { kind: 'value', v: raw.toUpperCase() === 'TRUE' };
    case 'INTEGER':
    case 'DECIMAL':
    case 'INTEGER_WITH_CURRENCY_PREFIX':
    case 'DECIMAL_WITH_CURRENCY_PREFIX':
      if (!isNumeric(f)) {
        if (f.type === 'boolean' || isDateish(f)) throw typeErr(f.type === 'datetime' ? 'dateTime' : f.type);
        return { kind: 'value', v: raw.toLowerCase() };
      }
      return { kind: 'value', v: Number(raw.replace(/^[A-Z]{3}/, '')) };
    case 'DATE': {
      if (f.type === 'datetime') throw typeErr('dateTime');
      if (f.type !== 'date') throw typeErr(f.type);
      return { kind: 'value', v: Date.parse(`${raw}T00:00:00Z`) };
    }
    case 'DATETIME': {
      if (f.type === 'date') throw typeErr('date');
      if (f.type !== 'datetime') throw typeErr(f.type);
      const ms = parseDateTime(raw);
      if (Number.isNaN(ms)) throw queryError('MALFORMED_QUERY', soql, raw, `invalid date: ${raw}`);
      return { kind: 'value', v: ms };
    }
    case 'DATE_LITERAL':
    case 'DATE_N_LITERAL': {
      if (!isDateish(f)) throw typeErr(f.type);
      const name = raw.split(':')[0]!;
      const range = dateLiteralRange(name, n ?? Number(raw.split(':')[1]), ctx.state.now(), ctx.state.options.timeZone);
      if (!range) throw queryError('MALFORMED_QUERY', soql, raw, `unexpected token: '${raw}'`);
      return { kind: 'range', start: range[0], end: range[1] };
    }
    default: {
      const s = unquote(raw);
      if (isDateish(f) || f.type === 'boolean' || isNumeric(f)) {
        throw typeErr(f.type === 'datetime' ? 'dateTime' : f.type === 'int' ? 'int' : f.type);
      }
      if (isIdish(f)) return { kind: 'value', v: normalizeId(s) ?? s };
      return { kind: 'value', v: s.toLowerCase() };
    }
  }
}

/** Bulk CSV form of a datetime wire value (2024-05-01T12:34:56.000Z). */
export function bulkDateTime(v: Value): Value {
  if (typeof v === 'string' && /\+0000$/.test(v))
    return formatDateTime(new Date(parseDateTime(v))).replace('+0000', 'Z');
  return v;
}
