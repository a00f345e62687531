/*
 * A small HTTP router for the emulator.
 *
 *   router.add(method, pattern, handler, opts?)
 *     method:  'GET' | 'POST' | ... | '*'
 *     pattern: '/services/data/:version/sobjects/:type/:id'. `:name` matches one segment; a trailing `*` matches
 *              the rest (in params['*']). Routes with more literal segments win. A param named `version` must be
 *              `vNN.N` within state.options' API range, else 404 NOT_FOUND.
 *     opts.auth: 'bearer' (default): `Authorization: Bearer|OAuth <token>` must belong to a live, unfrozen user
 *              (else 401 `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`), and the
 *              call counts against DailyApiRequests (403 REQUEST_LIMIT_EXCEEDED when exhausted).
 *              'none': no auth, not counted (OAuth endpoints, SOAP routes that read the SessionHeader themselves:
 *              use `req.authenticate(token)` there, which checks and counts the same way).
 *   handler(req) -> Res | Promise<Res>
 *     req: { method, path (normalised: '//' collapsed, no trailing '/'), params, query (first value per key),
 *            headers (lower-case keys), body (raw Buffer), text(), json() (400 JSON_PARSER_ERROR on bad JSON),
 *            user (the token's User record or null), token (TokenInfo or null), state, authenticate(token) }
 *     Res:  { status, headers?, body? }  body: object/array -> JSON (application/json;charset=UTF-8);
 *            string/Buffer -> as is (set content-type yourself, or use xml()/csv()). 204 -> no body.
 *   Throw ApiError (errors.ts) for REST error bodies; RecordError becomes `[{"errorCode","message","fields"}]`.
 * Every response to an authenticated REST call carries `Sforce-Limit-Info: api-usage=<used>/<max>`.
 * Faults (faults.ts) apply before routing, except under /__emulator/. Requests are logged in `router.log`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, RecordError, invalidSession, notFound } from './errors.js';
import type { AuthResult, OrgState, Rec, TokenInfo } from './state.js';

export interface Req {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: Buffer;
  text(): string;
  json<T = unknown>(): T;
  user: Rec | null;
  token: TokenInfo | null;
  state: OrgState;
  /** Check a session token found elsewhere (SOAP header, X-SFDC-Session) and count the API call. */
  authenticate(token: string | undefined | null): AuthResult | { ok: false; reason: 'limit' };
}

export interface Res {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type Handler = (req: Req) => Res | Promise<Res>;

export interface RouteOpts {
  auth?: 'bearer' | 'none';
}

interface Route {
  method: string;
  segments: string[];
  wildcard: boolean;
  literals: number;
  handler: Handler;
  opts: RouteOpts;
  order: number;
}

export interface LogEntry {
  seq: number;
  time: string;
  method: string;
  path: string;
  query: string;
  status: number;
  userId: string | null;
  ms: number;
  fault: boolean;
}

export const JSON_TYPE = 'application/json;charset=UTF-8';
export const XML_TYPE = 'text/xml;charset=UTF-8';

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Res => ({
  status,
  headers: { 'content-type': JSON_TYPE, ...headers },
  body: JSON.stringify(body),
});
export const xml = (status: number, body: string, contentType = XML_TYPE): Res => ({
  status,
  headers: { 'content-type': contentType },
  body,
});
export const csv = (status: number, body: string, headers: Record<string, string> = {}): Res => ({
  status,
  headers: { 'content-type': 'text/csv', ...headers },
  body,
});
export const noContent = (): Res => ({ status: 204 });

/** Escape text for XML element content and attributes. */
export function escapeXml(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A SOAP fault (HTTP 500), as jsforce parses it (salesforce-api.md §7.2). */
export function soapFault(code: string, message: string, ns = 'urn:partner.soap.sforce.com'): Res {
  return xml(
    500,
    `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="${ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>sf:${escapeXml(code)}</faultcode><faultstring>${escapeXml(`${code}: ${message}`)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
  );
}

/** The Bulk API 1.0 XML error (status 400 for session errors, as jsforce expects). */
export function bulkV1Error(status: number, code: string, message: string): Res {
  return xml(
    status,
    `<?xml version="1.0" encoding="UTF-8"?><error xmlns="http://www.force.com/2009/06/asyncapi/dataload"><exceptionCode>${escapeXml(code)}</exceptionCode><exceptionMessage>${escapeXml(message)}</exceptionMessage></error>`,
    'application/xml',
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Router {
  private routes: Route[] = [];
  readonly log: LogEntry[] = [];
  /** "METHOD path-pattern" -> count, for asserting call counts. */
  readonly counts = new Map<string, number>();
  private seq = 0;
  /** Cap on kept log entries. */
  logLimit = 20000;

  constructor(readonly state: OrgState) {}

  add(method: string, pattern: string, handler: Handler, opts: RouteOpts = {}): void {
    const segs = pattern.split('/').filter(Boolean);
    const wildcard = segs[segs.length - 1] === '*';
    if (wildcard) segs.pop();
    this.routes.push({
      method: method.toUpperCase(),
      segments: segs,
      wildcard,
      literals: segs.filter((s) => !s.startsWith(':')).length,
      handler,
      opts,
      order: this.routes.length,
    });
    this.routes.sort((a, b) => b.literals - a.literals || Number(a.wildcard) - Number(b.wildcard) || a.order - b.order);
  }

  private match(route: Route, parts: string[]): Record<string, string> | null {
    if (route.wildcard ? parts.length < route.segments.length : parts.length !== route.segments.length) return null;
    const params: Record<string, string> = {};
    for (let i = 0; i < route.segments.length; i++) {
      const s = route.segments[i]!;
      const p = parts[i]!;
      if (s.startsWith(':')) params[s.slice(1)] = decodeURIComponent(p);
      else if (s !== p) return null;
    }
    if (route.wildcard) params['*'] = parts.slice(route.segments.length).join('/');
    return params;
  }

  private versionOk(v: string | undefined): boolean {
    if (v === undefined) return true;
    const m = /^v(\d+)\.0$/.exec(v);
    if (!m) return false;
    const n = Number(m[1]);
    return n >= this.state.options.minApiVersion && n <= this.state.options.maxApiVersion;
  }

  /** Check a token and count the call (see Req.authenticate). */
  authenticate(token: string | undefined | null): AuthResult | { ok: false; reason: 'limit' } {
    const r = this.state.authenticate(token);
    if (!r.ok) return r;
    if (!this.state.consumeApiCall()) return { ok: false, reason: 'limit' };
    return r;
  }

  /** Handle one HTTP request end to end. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    // Collapse repeated slashes before parsing: `//services/data` would otherwise read as a host name (sf sends it).
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const cleaned = (q < 0 ? rawUrl : rawUrl.slice(0, q)).replace(/\/{2,}/g, '/') + (q < 0 ? '' : rawUrl.slice(q));
    const url = new URL(cleaned.startsWith('/') ? cleaned : `/${cleaned}`, 'http://emulator');
    const rawPath = url.pathname.replace(/\/{2,}/g, '/');
    const path = rawPath.length > 1 ? rawPath.replace(/\/$/, '') : rawPath;
    const method = (req.method ?? 'GET').toUpperCase();
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : (v ?? '');

    let out: Res;
    let userId: string | null = null;
    let faulted = false;
    let patternKey = `${method} ${path}`;
    try {
      const admin = path.startsWith('/__emulator');
      let fault: ReturnType<OrgState['faults']['onRequest']> = { latencyMs: 0 };
      if (!admin) fault = this.state.faults.onRequest(method, path);
      if (fault.latencyMs) await sleep(fault.latencyMs);
      if (fault.fault) {
        faulted = true;
        out = this.faultResponse(path, fault.fault);
      } else {
        const r = await this.dispatch(method, path, query, headers, body);
        out = r.res;
        userId = r.userId;
        patternKey = r.patternKey ?? patternKey;
      }
    } catch (e) {
      out = this.errorResponse(e);
    }
    const status = out.status;
    const h: Record<string, string> = { ...(out.headers ?? {}) };
    if (path.startsWith('/services/data') && userId) {
      const u = this.state.apiUsage();
      h['sforce-limit-info'] = `api-usage=${u.used}/${u.max}`;
    }
    let payload: Buffer | string | undefined;
    if (status === 204 || method === 'HEAD') payload = undefined;
    else if (out.body === undefined) payload = undefined;
    else if (typeof out.body === 'string' || Buffer.isBuffer(out.body)) payload = out.body;
    else {
      payload = JSON.stringify(out.body);
      h['content-type'] ??= JSON_TYPE;
    }
    if (payload !== undefined) h['content-length'] = String(Buffer.byteLength(payload));
    res.writeHead(status, h);
    res.end(payload);

    this.seq += 1;
    this.counts.set(patternKey, (this.counts.get(patternKey) ?? 0) + 1);
    if (!path.startsWith('/__emulator')) {
      this.log.push({
        seq: this.seq,
        time: new Date().toISOString(),
        method,
        path,
        query: url.search,
        status,
        userId,
        ms: Date.now() - started,
        fault: faulted,
      });
      if (this.log.length > this.logLimit) this.log.splice(0, this.log.length - this.logLimit);
    }
  }

  private faultResponse(path: string, f: { status: number; errorCode: string; message: string }): Res {
    if (path.startsWith('/services/Soap/')) return soapFault(f.errorCode, f.message);
    if (path.startsWith('/services/async/')) return bulkV1Error(f.status, f.errorCode, f.message);
    if (path.startsWith('/services/oauth2/')) {
      return json(f.status, { error: f.errorCode.toLowerCase(), error_description: f.message });
    }
    return json(f.status, [{ message: f.message, errorCode: f.errorCode }]);
  }

  private errorResponse(e: unknown): Res {
    if (e instanceof ApiError) return json(e.status, e.body());
    if (e instanceof RecordError) {
      return json(e.status, [{ errorCode: e.statusCode, message: e.message, fields: e.fields }]);
    }
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`emulator: internal error: ${e instanceof Error ? e.stack : msg}\n`);
    return json(500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: `An unexpected error occurred: ${msg}` }]);
  }

  /**
   * Run one subrequest of a composite call (composite.ts): routed and authenticated like a request, but not counted
   * against DailyApiRequests (the composite call counts once) and not logged. Errors become their REST error bodies.
   */
  async subrequest(
    method: string,
    path: string,
    query: Record<string, string>,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<Res> {
    try {
      return (await this.dispatch(method, path, query, headers, body, false)).res;
    } catch (e) {
      return this.errorResponse(e);
    }
  }

  private async dispatch(
    method: string,
    path: string,
    query: Record<string, string>,
    headers: Record<string, string>,
    body: Buffer,
    counted = true,
  ): Promise<{ res: Res; userId: string | null; patternKey?: string }> {
    const parts = path.split('/').filter(Boolean);
    const allowed = new Set<string>();
    for (const route of this.routes) {
      const params = this.match(route, parts);
      if (!params) continue;
      if (!this.versionOk(params.version)) return { res: this.errorResponse(notFound()), userId: null };
      if (route.method !== '*' && route.method !== method && !(method === 'HEAD' && route.method === 'GET')) {
        allowed.add(route.method);
        continue;
      }
      const patternKey = `${route.method} /${route.segments.join('/')}${route.wildcard ? '/*' : ''}`;
      let user: Rec | null = null;
      let token: TokenInfo | null = null;
      if ((route.opts.auth ?? 'bearer') === 'bearer') {
        const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(headers.authorization ?? '');
        const t = m?.[1]?.trim() ?? query.oauth_token;
        const r = counted ? this.authenticate(t) : this.state.authenticate(t);
        if (!r.ok) {
          if (r.reason === 'limit') {
            throw new ApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
          }
          throw invalidSession();
        }
        user = r.user;
        token = r.token;
      }
      const req: Req = {
        method,
        path,
        params,
        query,
        headers,
        body,
        text: () => body.toString('utf8'),
        json: <T>() => {
          try {
            return JSON.parse(body.toString('utf8')) as T;
          } catch (e) {
            throw new ApiError(400, 'JSON_PARSER_ERROR', `Unexpected character: ${(e as Error).message}`);
          }
        },
        user,
        token,
        state: this.state,
        authenticate: (t) => this.authenticate(t),
      };
      return { res: await route.handler(req), userId: (user?.Id as string | undefined) ?? null, patternKey };
    }
    if (allowed.size) {
      throw new ApiError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${method}' not allowed. Allowed are ${[...allowed, ...(allowed.has('GET') ? ['HEAD'] : [])].join(',')}`,
      );
    }
    throw notFound();
  }
}
