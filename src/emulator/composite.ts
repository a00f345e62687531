/*
 * The REST Composite resource (salesforce-api.md; DOC resources_composite_composite_post):
 *
 *   POST /services/data/vNN.N/composite  {"allOrNone":false,"compositeRequest":[{method,url,referenceId,body?,httpHeaders?}]}
 *   -> 200 {"compositeResponse":[{body, httpHeaders, httpStatusCode, referenceId}]}
 *
 * Subrequests run in order, as the same user, through the same routes as ordinary requests; the whole composite
 * call counts as ONE call against DailyApiRequests. At most 25 subrequests, at most 5 of them queries (query,
 * queryAll, or a query-more locator). `@{ref.path}` references to earlier results are resolved in `url` and in
 * string values of `body`; a subrequest whose reference cannot be resolved, or that depends on a failed one, is not
 * run (400 PROCESSING_HALTED). With allOrNone the emulator refuses write subrequests (it has no transactions):
 * lockout sends reads only.
 */
import { ApiError } from './errors.js';
import { json, type Res, type Router } from './router.js';

interface Subrequest {
  method?: unknown;
  url?: unknown;
  referenceId?: unknown;
  body?: unknown;
  httpHeaders?: unknown;
}

interface SubResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const MAX_SUBREQUESTS = 25;
const MAX_QUERIES = 5;
const REF = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;

const isQuery = (path: string) => /\/(query|queryAll)(\/|$)/.test(path);

/** Resolve `@{ref.a.b[0]}` against earlier results; null when a reference has no value. */
function resolve(text: string, results: Map<string, SubResult>, failed: Set<string>): string | null | 'halted' {
  let missing = false;
  let halted = false;
  const out = text.replace(REF, (_m, ref: string, path: string) => {
    if (failed.has(ref)) halted = true;
    const r = results.get(ref);
    if (!r) {
      missing = true;
      return '';
    }
    let v: unknown = r.body;
    for (const step of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
      const key = step.startsWith('.') ? step.slice(1) : Number(step.slice(1, -1));
      v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[key] : undefined;
    }
    if (v === undefined || v === null || typeof v === 'object') {
      missing = true;
      return '';
    }
    return String(v);
  });
  if (halted) return 'halted';
  return missing ? null : out;
}

function resolveBody(body: unknown, results: Map<string, SubResult>, failed: Set<string>): unknown {
  if (typeof body === 'string') {
    const r = resolve(body, results, failed);
    if (r === 'halted' || r === null) throw r === 'halted' ? HALTED : new ApiError(400, 'INVALID_REFERENCE', body);
    return r;
  }
  if (Array.isArray(body)) return body.map((b) => resolveBody(b, results, failed));
  if (body !== null && typeof body === 'object') {
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, resolveBody(v, results, failed)]));
  }
  return body;
}

const HALTED = new ApiError(
  400,
  'PROCESSING_HALTED',
  'The transaction was rolled back since another operation in the same transaction failed.',
);

export function registerComposite(router: Router): void {
  router.add('POST', '/services/data/:version/composite', async (req) => {
    const input = req.json<{ allOrNone?: unknown; compositeRequest?: unknown }>() ?? {};
    const subs = input.compositeRequest;
    if (!Array.isArray(subs) || subs.length === 0) {
      throw new ApiError(400, 'INVALID_INPUT', 'compositeRequest must be a non-empty array of subrequests');
    }
    if (subs.length > MAX_SUBREQUESTS) {
      throw new ApiError(400, 'LIMIT_EXCEEDED', `Limit Exceeded: more than ${MAX_SUBREQUESTS} subrequests`);
    }
    const allOrNone = input.allOrNone === true;
    const seen = new Set<string>();
    let queries = 0;
    for (const s of subs as Subrequest[]) {
      const ref = typeof s.referenceId === 'string' ? s.referenceId : '';
      if (!/^[A-Za-z0-9_]+$/.test(ref)) {
        throw new ApiError(400, 'INVALID_INPUT', `referenceId must be alphanumeric (with _): ${String(s.referenceId)}`);
      }
      if (seen.has(ref)) throw new ApiError(400, 'INVALID_INPUT', `Duplicate referenceId: ${ref}`);
      seen.add(ref);
      const method = String(s.method ?? '').toUpperCase();
      if (!['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD'].includes(method)) {
        throw new ApiError(400, 'INVALID_INPUT', `Invalid method for subrequest ${ref}: ${String(s.method)}`);
      }
      const url = typeof s.url === 'string' ? s.url : '';
      // A url may be a reference (e.g. "@{page1.nextRecordsUrl}"): checked again once resolved.
      if (!url.startsWith('@{') && !url.startsWith(`/services/data/${req.params.version}/`)) {
        throw new ApiError(
          400,
          'INVALID_INPUT',
          `The url of subrequest ${ref} must start with /services/data/${req.params.version}/`,
        );
      }
      if (isQuery(url.split('?')[0]!) || /nextRecordsUrl\}$/.test(url)) queries += 1;
      if (allOrNone && method !== 'GET' && method !== 'HEAD') {
        throw new ApiError(
          400,
          'API_ERROR',
          'the emulator supports allOrNone composite calls with GET subrequests only',
        );
      }
    }
    if (queries > MAX_QUERIES) {
      throw new ApiError(400, 'LIMIT_EXCEEDED', `Limit Exceeded: more than ${MAX_QUERIES} query subrequests`);
    }

    const results = new Map<string, SubResult>();
    const failed = new Set<string>();
    const out: SubResult[] = [];
    for (const s of subs as Subrequest[]) {
      const referenceId = s.referenceId as string;
      const method = String(s.method).toUpperCase();
      let res: Res;
      const url = resolve(s.url as string, results, failed);
      try {
        if (url === 'halted') throw HALTED;
        if (url === null) {
          throw new ApiError(400, 'INVALID_REFERENCE', `Invalid reference specified in the url of ${referenceId}`);
        }
        if (!url.startsWith(`/services/data/${req.params.version}/`)) {
          throw new ApiError(
            400,
            'INVALID_INPUT',
            `The url of subrequest ${referenceId} must start with /services/data/${req.params.version}/`,
          );
        }
        const body = s.body === undefined ? undefined : resolveBody(s.body, results, failed);
        const u = new URL(url, 'http://emulator');
        const query: Record<string, string> = {};
        for (const [k, v] of u.searchParams) if (!(k in query)) query[k] = v;
        const headers: Record<string, string> = { authorization: req.headers.authorization ?? '' };
        if (s.httpHeaders && typeof s.httpHeaders === 'object') {
          for (const [k, v] of Object.entries(s.httpHeaders)) headers[k.toLowerCase()] = String(v);
        }
        if (body !== undefined) headers['content-type'] ??= 'application/json';
        const path = u.pathname.length > 1 ? u.pathname.replace(/\/$/, '') : u.pathname;
        res = await router.subrequest(
          method,
          path,
          query,
          headers,
          Buffer.from(body === undefined ? '' : JSON.stringify(body)),
        );
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        res = json(e.status, e.body());
      }
      let body: unknown = null;
      if (typeof res.body === 'string' && res.body !== '') {
        try {
          body = JSON.parse(res.body);
        } catch {
          body = res.body;
        }
      } else if (res.body !== undefined && !Buffer.isBuffer(res.body)) body = res.body;
      const httpHeaders: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers ?? {})) {
        if (!['content-type', 'content-length'].includes(k.toLowerCase())) httpHeaders[k] = v;
      }
      const r: SubResult = { body, httpHeaders, httpStatusCode: res.status, referenceId };
      if (res.status >= 400) failed.add(referenceId);
      results.set(referenceId, r);
      out.push(r);
    }
    if (allOrNone && failed.size) {
      for (const r of out) {
        if (!failed.has(r.referenceId)) {
          Object.assign(r, { httpStatusCode: 400, httpHeaders: {}, body: HALTED.body() });
        }
      }
    }
    return json(200, { compositeResponse: out });
  });
}
