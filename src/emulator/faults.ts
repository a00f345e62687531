// Fault injection (--faults, POST /__emulator/faults). A rule matches a method and a path glob and either
// answers the whole request with an HTTP status (request fault), or fails individual records with a
// per-record statusCode such as UNABLE_TO_LOCK_ROW (record fault), and/or adds latency.
//
// Spec string: rules separated by ';' or newlines; each rule is `[METHOD] <path-glob> key=value...`:
//   status=<http>      answer with this status and the doc's body for it (503 SERVER_UNAVAILABLE, 401 ...)
//   error=<CODE>       with status: the errorCode of the body; without status: a per-record error
//   message=<text>     override the message (use %20 for spaces)
//   times=<n>          only the next n matching calls (records, for record faults); default unlimited
//   rate=<0..1|n%>     fail this fraction of matching calls/records (deterministic PRNG); default 1
//   latency=<ms>       delay matching responses
// The glob uses `*` for any characters and is matched against the path without the query string; a glob not
// starting with '/' or '*' matches a path suffix after a '/'. Example:
//   "GET */query* status=503 times=1; PATCH */composite/sobjects error=UNABLE_TO_LOCK_ROW rate=0.3; * * latency=20"
// A JSON array of FaultRuleInput objects is accepted too.

export interface FaultRuleInput {
  method?: string;
  path: string;
  status?: number;
  errorCode?: string;
  message?: string;
  times?: number;
  rate?: number;
  latencyMs?: number;
}

export interface FaultRule extends Required<Pick<FaultRuleInput, 'method' | 'path'>> {
  id: number;
  status?: number;
  errorCode?: string;
  message?: string;
  /** Remaining matches that may still fire (undefined: unlimited). */
  times?: number;
  rate: number;
  latencyMs: number;
  fired: number;
  regex: RegExp;
}

const DEFAULTS: Record<number, [string, string]> = {
  400: ['BAD_REQUEST', 'Bad request'],
  401: ['INVALID_SESSION_ID', 'Session expired or invalid'],
  403: ['REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'],
  404: ['NOT_FOUND', 'The requested resource does not exist'],
  420: ['REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'],
  429: ['REQUEST_LIMIT_EXCEEDED', 'Too many requests'],
  500: ['UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support'],
  502: ['SERVER_UNAVAILABLE', 'Bad gateway'],
  503: ['SERVER_UNAVAILABLE', 'Server unavailable'],
  504: ['SERVER_UNAVAILABLE', 'Gateway timeout'],
};

const RECORD_MESSAGES: Record<string, string> = {
  UNABLE_TO_LOCK_ROW: 'unable to obtain exclusive access to this record or 1 records: %id',
  ENTITY_IS_DELETED: 'entity is deleted',
  INSUFFICIENT_ACCESS_OR_READONLY: 'insufficient access rights on object id',
  FIELD_CUSTOM_VALIDATION_EXCEPTION: 'Validation failed',
  CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY: 'Flow trigger failed',
  DUPLICATE_VALUE: 'duplicate value found',
};

export interface RequestFault {
  status: number;
  errorCode: string;
  message: string;
}

function globToRegex(glob: string): RegExp {
  const g = glob.startsWith('/') || glob.startsWith('*') ? glob : `*/${glob}`;
  const re = g
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${re}$`);
}

/** Parse a --faults spec (string DSL or JSON array). Throws Error with a message naming the bad part. */
export function parseFaultSpec(spec: string): FaultRuleInput[] {
  const text = spec.trim();
  if (!text) return [];
  if (text.startsWith('[')) {
    let arr: unknown;
    try {
      arr = JSON.parse(text);
    } catch (e) {
      throw new Error(`faults: invalid JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(arr)) throw new Error('faults: JSON must be an array of rules');
    return arr.map((r, i) => {
      if (!r || typeof r !== 'object' || typeof (r as FaultRuleInput).path !== 'string') {
        throw new Error(`faults: rule ${i + 1} needs a "path"`);
      }
      return r as FaultRuleInput;
    });
  }
  return text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((rule) => {
      const toks = rule.split(/\s+/);
      const out: FaultRuleInput = { path: '*' };
      if (/^(GET|POST|PUT|PATCH|DELETE|HEAD|\*)$/i.test(toks[0] ?? '') && toks.length > 1 && !toks[1]!.includes('=')) {
        out.method = toks.shift()!.toUpperCase();
      }
      const p = toks.shift();
      if (!p || p.includes('=')) throw new Error(`faults: rule "${rule}" needs a path glob`);
      out.path = p;
      if (!toks.length) throw new Error(`faults: rule "${rule}" has no effect (status=, error= or latency=)`);
      for (const t of toks) {
        const m = /^(\w+)=(.+)$/.exec(t);
        if (/^\d{3}$/.test(t)) out.status = Number(t);
        else if (/^[A-Z][A-Z_]+$/.test(t)) out.errorCode = t;
        else if (!m) throw new Error(`faults: cannot read "${t}" in rule "${rule}"`);
        else {
          const [, k, v] = m as unknown as [string, string, string];
          const num = (): number => {
            const n = Number(v.replace(/%$/, ''));
            if (!Number.isFinite(n) || n < 0) throw new Error(`faults: ${k}=${v} is not a number in rule "${rule}"`);
            return v.endsWith('%') ? n / 100 : n;
          };
          if (k === 'status') out.status = num();
          else if (k === 'error') out.errorCode = v;
          else if (k === 'message') out.message = decodeURIComponent(v);
          else if (k === 'times') out.times = num();
          else if (k === 'rate') {
            out.rate = num();
            if (out.rate > 1) throw new Error(`faults: rate=${v} is more than 1 (100%) in rule "${rule}"`);
          } else if (k === 'latency') out.latencyMs = num();
          else throw new Error(`faults: unknown key "${k}" in rule "${rule}"`);
        }
      }
      return out;
    });
}

export class Faults {
  rules: FaultRule[] = [];
  private nextId = 1;
  private seed = 0x2545f491;

  /** Deterministic PRNG (mulberry32), so rate-based faults repeat run to run. */
  private random(): number {
    let t = (this.seed += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  add(inputs: FaultRuleInput[]): FaultRule[] {
    const added = inputs.map((r) => {
      if (r.status !== undefined && (!Number.isInteger(r.status) || r.status < 100 || r.status > 599)) {
        throw new Error(`faults: status ${r.status} is not an HTTP status`);
      }
      const rule: FaultRule = {
        id: this.nextId++,
        method: (r.method ?? '*').toUpperCase(),
        path: r.path,
        status: r.status,
        errorCode: r.errorCode,
        message: r.message,
        times: r.times,
        rate: r.rate ?? 1,
        latencyMs: r.latencyMs ?? 0,
        fired: 0,
        regex: globToRegex(r.path),
      };
      return rule;
    });
    this.rules.push(...added);
    return added;
  }

  clear(): void {
    this.rules = [];
  }

  private matches(rule: FaultRule, method: string, path: string): boolean {
    return (rule.method === '*' || rule.method === method) && rule.regex.test(path) && rule.times !== 0;
  }

  private fire(rule: FaultRule): boolean {
    if (rule.rate < 1 && this.random() >= rule.rate) return false;
    if (rule.times !== undefined) rule.times -= 1;
    rule.fired += 1;
    return true;
  }

  /** Request-level effects for one incoming call: total latency and the first firing status fault. */
  onRequest(method: string, path: string): { latencyMs: number; fault?: RequestFault } {
    let latencyMs = 0;
    let fault: RequestFault | undefined;
    for (const rule of this.rules) {
      if (!this.matches(rule, method, path)) continue;
      if (rule.status === undefined) {
        if (rule.latencyMs && !rule.errorCode) {
          if (this.fire(rule)) latencyMs += rule.latencyMs;
        } else if (rule.latencyMs) latencyMs += rule.latencyMs;
        continue;
      }
      if (fault || !this.fire(rule)) continue;
      latencyMs += rule.latencyMs;
      const [code, msg] = DEFAULTS[rule.status] ?? ['UNKNOWN_EXCEPTION', `Injected fault ${rule.status}`];
      fault = { status: rule.status, errorCode: rule.errorCode ?? code, message: rule.message ?? msg };
    }
    return { latencyMs, fault };
  }

  /** A per-record error for one record of a write on (method, path), or null. `id` fills `%id` in messages. */
  recordFault(method: string, path: string, id = ''): { statusCode: string; message: string } | null {
    for (const rule of this.rules) {
      if (rule.status !== undefined || !rule.errorCode || !this.matches(rule, method, path)) continue;
      if (!this.fire(rule)) continue;
      const msg = rule.message ?? RECORD_MESSAGES[rule.errorCode] ?? rule.errorCode.toLowerCase().replace(/_/g, ' ');
      return { statusCode: rule.errorCode, message: msg.replace('%id', id) };
    }
    return null;
  }

  /** Rules as JSON (admin endpoint). */
  list(): Omit<FaultRule, 'regex'>[] {
    return this.rules.map(({ regex: _r, ...rest }) => rest);
  }
}
