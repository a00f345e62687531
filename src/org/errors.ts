import { LockoutError, OrgError } from '../errors.js';
import { redact } from '../redact.js';

/**
 * An org/API failure with the Salesforce error code kept, so callers can tell a bad query (MALFORMED_QUERY,
 * INVALID_FIELD) from an outage. Exit 3 like every OrgError. Messages are redacted at construction.
 */
export class OrgApiError extends OrgError {
  /** Salesforce errorCode (`INVALID_SESSION_ID`, `REQUEST_LIMIT_EXCEEDED`, `MALFORMED_QUERY`, ...) or a network code. */
  readonly code: string;
  constructor(message: string, code: string, options: { hint?: string; cause?: unknown } = {}) {
    super(redact(message), { ...options, hint: options.hint === undefined ? undefined : redact(options.hint) });
    this.code = code;
  }
}

/** Codes that mean the SOQL itself is wrong (the caller may turn these into a UsageError naming its flag). */
export const QUERY_ERROR_CODES = new Set([
  'MALFORMED_QUERY',
  'INVALID_FIELD',
  'INVALID_TYPE',
  'INVALID_QUERY_FILTER_OPERATOR',
  'INVALID_QUERY_LOCATOR',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

interface JsforceLikeError {
  name?: string;
  message?: string;
  errorCode?: string;
  code?: string;
  type?: string;
  data?: unknown;
}

/** The Salesforce (or network) code of a jsforce/fetch error, without the SOAP `sf:` prefix. */
export function errorCodeOf(e: unknown): string {
  const err = (e ?? {}) as JsforceLikeError & { cause?: JsforceLikeError };
  const code = err.errorCode ?? err.code ?? err.cause?.code ?? (err.name && err.name !== 'Error' ? err.name : '');
  return String(code || 'UNKNOWN').replace(/^sf:/, '');
}

/**
 * Turn anything a jsforce or fetch call threw into an OrgError (exit 3) that says what failed and why, without
 * a token. LockoutErrors (Refused from the budget guard, an OrgError already mapped) pass through unchanged.
 */
export function toOrgError(e: unknown, what: string, ctx: { instanceUrl?: string; canRefresh?: boolean } = {}) {
  if (e instanceof LockoutError) return e;
  const err = (e ?? {}) as JsforceLikeError;
  const code = errorCodeOf(e);
  const message = String(err.message ?? e).trim();
  const where = ctx.instanceUrl ? ` (${ctx.instanceUrl})` : '';

  if (code === 'INVALID_SESSION_ID' || /Unable to refresh session/.test(message)) {
    return new OrgApiError(`${what}: the session is expired or invalid${where}: ${message}`, 'INVALID_SESSION_ID', {
      hint: ctx.canRefresh
        ? 'a new login was attempted and refused; check the user is active, not frozen, and the credentials'
        : 'this login mode cannot refresh a session: get a new access token (sf org display) or use --target-org',
      cause: e,
    });
  }
  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    const concurrent = /concurrent/i.test(message);
    return new OrgApiError(`${what}: the org's API limit is exhausted (REQUEST_LIMIT_EXCEEDED: ${message})`, code, {
      hint: concurrent
        ? 'too many long-running requests at once in the org: try again in a few minutes'
        : 'daily API calls are counted over a rolling 24 hours: wait, or ask Salesforce to raise the limit',
      cause: e,
    });
  }
  if (NETWORK_CODES.has(code) || err.type === 'system' || /ECONNREFUSED|socket hang up|fetch failed/.test(message)) {
    return new OrgApiError(`${what}: cannot reach the org${where}: ${code !== 'UNKNOWN' ? code : message}`, code, {
      hint: 'check the instance URL and the network',
      cause: e,
    });
  }
  if (code === 'invalid_grant' || code === 'invalid_client' || code === 'invalid_client_id') {
    return new OrgApiError(`${what}: login refused (${code}: ${message})`, code, {
      hint: 'check the username, password, client id/secret and that the user is not frozen',
      cause: e,
    });
  }
  if (code === 'MULTIPLE_API_ERRORS' && Array.isArray(err.data)) {
    const parts = (err.data as JsforceLikeError[]).map((d) => `${d.errorCode}: ${d.message}`);
    return new OrgApiError(`${what}: ${parts.join('; ')}`, code, { cause: e });
  }
  const text = message.replace(/\s+/g, ' ');
  return new OrgApiError(`${what}: ${code !== 'UNKNOWN' && !text.startsWith(code) ? `${code}: ` : ''}${text}`, code, {
    cause: e,
  });
}
