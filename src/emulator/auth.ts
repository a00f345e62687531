// OAuth2 (token, revoke) and the Partner SOAP endpoint (login, logout, undelete, delete, emptyRecycleBin,
// getUserInfo, getServerTimestamp) of salesforce-api.md §1.4-1.6. Tokens belong to seeded users; frozen or inactive users fail.
import { createHmac, createPublicKey, createVerify } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { RecordError } from './errors.js';
import { identityUrl } from './rest.js';
import { escapeXml, json, soapFault, xml, type Req, type Res, type Router } from './router.js';
import type { OrgState, Rec } from './state.js';

const xmlParser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'ids',
});

function form(req: Req): Record<string, string> {
  const out: Record<string, string> = { ...req.query };
  const text = req.text();
  if (text) for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  return out;
}

const oauthError = (status: number, error: string, description: string): Res =>
  json(status, { error, error_description: description });

function tokenResponse(state: OrgState, user: Rec, accessToken: string, extra: Record<string, string> = {}): Res {
  const issuedAt = String(state.now().getTime());
  const id = identityUrl(state, user.Id as string);
  const signature = createHmac('sha256', state.orgId)
    .update(id + issuedAt)
    .digest('base64');
  return json(200, {
    access_token: accessToken,
    ...extra,
    instance_url: state.options.instanceUrl,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
    signature,
  });
}

/** The connected app a client id stands for; null when clients are configured and this one is unknown. */
function clientApp(
  state: OrgState,
  clientId: string | undefined,
): { appName: string; clientSecret?: string; certificate?: string; runAs?: string } | null {
  const clients = state.options.oauthClients;
  if (!clients.length) return { appName: clientId || 'Emulator Client' };
  const c = clients.find((x) => x.clientId === clientId);
  return c ? c : null;
}

function jwtPayload(assertion: string, certificate: string | undefined): Record<string, unknown> | string {
  const parts = assertion.split('.');
  if (parts.length !== 3) return 'invalid assertion';
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return 'invalid assertion';
  }
  if (certificate) {
    try {
      const v = createVerify('RSA-SHA256');
      v.update(`${parts[0]}.${parts[1]}`);
      if (!v.verify(createPublicKey(certificate), Buffer.from(parts[2]!, 'base64url'))) return 'invalid assertion';
    } catch {
      return 'invalid assertion';
    }
  }
  return payload;
}

/** A LoginHistory row for a login attempt (and User.LastLoginDate on success), as the platform keeps them. */
function recordLogin(
  state: OrgState,
  user: Rec | undefined,
  status: string,
  loginType: string,
  application: string,
): void {
  if (!user) return;
  const now = state.now();
  state.insert(
    'LoginHistory',
    {
      UserId: user.Id,
      LoginTime: now.toISOString(),
      LoginType: loginType,
      SourceIp: '127.0.0.1',
      Status: status,
      Application: application,
      Browser: 'Unknown',
      Platform: 'Unknown',
      LoginUrl: new URL(state.options.instanceUrl).host,
    },
    { userId: user.Id as string, system: true },
  );
  if (status === 'Success') user.LastLoginDate = now.toISOString().replace('Z', '+0000');
}

const failure = (state: OrgState, user: Rec | undefined, pwOk: boolean): string =>
  !user
    ? 'Invalid Username'
    : !pwOk
      ? 'Invalid Password'
      : state.userBlocked(user.Id as string) === 'frozen'
        ? 'User is Frozen'
        : 'User is Inactive';

export function registerAuth(router: Router, state: OrgState): void {
  router.add(
    'POST',
    '/services/oauth2/token',
    (req) => {
      const p = form(req);
      const grant = p.grant_type;
      const blocked = (u: Rec | undefined) => !u || state.userBlocked(u.Id as string) !== null;
      if (grant === 'password') {
        const app = clientApp(state, p.client_id);
        if (!app) return oauthError(400, 'invalid_client_id', 'client identifier invalid');
        if (app.clientSecret && p.client_secret !== undefined && p.client_secret !== app.clientSecret) {
          return oauthError(400, 'invalid_client', 'invalid client credentials');
        }
        const user = state.userByUsername(p.username ?? '');
        const pwOk = !!user && state.checkPassword(user.Id as string, p.password ?? '');
        if (!user || !pwOk || blocked(user)) {
          recordLogin(state, user, failure(state, user, pwOk), 'Remote Access 2.0', app.appName);
          return oauthError(400, 'invalid_grant', 'authentication failure');
        }
        const s = state.issueSession(user.Id as string, { appName: app.appName });
        recordLogin(state, user, 'Success', 'Remote Access 2.0', app.appName);
        return tokenResponse(state, user, s.accessToken);
      }
      if (grant === 'refresh_token') {
        const info = state.tokens.get(p.refresh_token ?? '');
        if (!info || info.kind !== 'refresh' || info.revoked) {
          return oauthError(400, 'invalid_grant', 'expired access/refresh token');
        }
        const user = state.user(info.userId);
        if (blocked(user)) return oauthError(400, 'invalid_grant', 'authentication failure');
        const s = state.issueSession(info.userId, { appName: info.appName, grant: info.grant ?? undefined });
        return tokenResponse(state, user!, s.accessToken);
      }
      if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
        const payload = jwtPayload(p.assertion ?? '', undefined);
        if (typeof payload === 'string') return oauthError(400, 'invalid_grant', payload);
        const app = clientApp(state, String(payload.iss ?? ''));
        if (!app) return oauthError(400, 'invalid_client_id', 'client identifier invalid');
        const verified = jwtPayload(p.assertion ?? '', app.certificate);
        if (typeof verified === 'string') return oauthError(400, 'invalid_grant', verified);
        if (typeof payload.exp === 'number' && payload.exp * 1000 < state.now().getTime()) {
          return oauthError(400, 'invalid_grant', 'expired authorization code');
        }
        const user = state.userByUsername(String(payload.sub ?? ''));
        if (!user) return oauthError(400, 'invalid_grant', "user hasn't approved this consumer");
        if (blocked(user)) {
          recordLogin(state, user, failure(state, user, true), 'Remote Access 2.0', app.appName);
          return oauthError(400, 'invalid_grant', 'authentication failure');
        }
        const s = state.issueSession(user.Id as string, { appName: app.appName });
        recordLogin(state, user, 'Success', 'Remote Access 2.0', app.appName);
        return tokenResponse(state, user, s.accessToken);
      }
      if (grant === 'client_credentials') {
        const app = clientApp(state, p.client_id);
        if (!app || !state.options.oauthClients.length)
          return oauthError(400, 'invalid_client_id', 'client identifier invalid');
        if (!app.clientSecret || p.client_secret !== app.clientSecret) {
          return oauthError(400, 'invalid_client', 'invalid client credentials');
        }
        const user = app.runAs ? state.userByUsername(app.runAs) : undefined;
        if (!user) return oauthError(400, 'invalid_grant', 'no client credentials user enabled');
        if (blocked(user)) {
          recordLogin(state, user, failure(state, user, true), 'Remote Access Client', app.appName);
          return oauthError(400, 'invalid_grant', 'authentication failure');
        }
        const s = state.issueSession(user.Id as string, { appName: app.appName });
        recordLogin(state, user, 'Success', 'Remote Access Client', app.appName);
        return tokenResponse(state, user, s.accessToken, { scope: 'api' });
      }
      return oauthError(400, 'unsupported_grant_type', 'grant type not supported');
    },
    { auth: 'none' },
  );

  const revoke = (req: Req): Res => {
    const token = form(req).token;
    if (!token || !state.revoke(token)) {
      return {
        status: 400,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'error=unsupported_token_type&error_description=this%20token%20type%20is%20not%20supported',
      };
    }
    return { status: 200, headers: { 'content-type': 'text/html;charset=UTF-8' }, body: '' };
  };
  router.add('POST', '/services/oauth2/revoke', revoke, { auth: 'none' });
  router.add('GET', '/services/oauth2/revoke', revoke, { auth: 'none' });

  // Partner SOAP API. Login needs no session; every other call reads <SessionHeader><sessionId>.
  const soap = (req: Req): Res => {
    let doc: Record<string, unknown>;
    try {
      doc = xmlParser.parse(req.text()) as Record<string, unknown>;
    } catch {
      return soapFault('INVALID_XML', 'could not parse the request');
    }
    const env = (doc.Envelope ?? {}) as Record<string, unknown>;
    const body = (env.Body ?? {}) as Record<string, unknown>;
    const [call, args] = (Object.entries(body)[0] ?? ['', {}]) as [string, Record<string, unknown>];
    const v = (req.params.apiv ?? '62.0').replace(/^v/, '');
    if (call === 'login') {
      const user = state.userByUsername(String(args?.username ?? ''));
      const pwOk = !!user && state.checkPassword(user.Id as string, String(args?.password ?? ''));
      if (!user || !pwOk || state.userBlocked(user.Id as string)) {
        recordLogin(state, user, failure(state, user, pwOk), 'Partner Product', 'N/A');
        return soapFault('INVALID_LOGIN', 'Invalid username, password, security token; or user locked out.');
      }
      const s = state.issueSession(user.Id as string, { loginType: 'SOAP Partner', sessionType: 'UI' });
      recordLogin(state, user, 'Success', 'Partner Product', 'N/A');
      const base = state.options.instanceUrl;
      const org = state.records('Organization')[0] ?? {};
      return envelope(
        `<loginResponse><result><metadataServerUrl>${base}/services/Soap/m/${v}/${state.orgId}</metadataServerUrl><passwordExpired>false</passwordExpired><sandbox>${org.IsSandbox === true}</sandbox><serverUrl>${base}/services/Soap/u/${v}/${state.orgId}</serverUrl><sessionId>${escapeXml(s.accessToken)}</sessionId><userId>${user.Id}</userId><userInfo>${userInfoXml(state, user)}</userInfo></result></loginResponse>`,
      );
    }
    const header = (env.Header ?? {}) as Record<string, unknown>;
    const sessionId = String(((header.SessionHeader ?? {}) as Record<string, unknown>).sessionId ?? '');
    const auth = req.authenticate(sessionId);
    if (!auth.ok) {
      if (auth.reason === 'limit') return soapFault('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
      return soapFault('INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session');
    }
    const user = auth.user;
    const ids = ((args?.ids as unknown[]) ?? []).map(String);
    switch (call) {
      case 'logout':
        state.revoke(sessionId);
        return envelope('<logoutResponse/>');
      case 'getUserInfo':
        return envelope(`<getUserInfoResponse><result>${userInfoXml(state, user)}</result></getUserInfoResponse>`);
      case 'undelete': {
        const results = ids.map((id) => {
          try {
            const rec = state.undelete(id, { userId: user.Id as string });
            return `<result><id>${rec.Id}</id><success>true</success></result>`;
          } catch (e) {
            const err = e instanceof RecordError ? e : new RecordError('UNKNOWN_EXCEPTION', String(e));
            return `<result><errors><message>${escapeXml(err.message)}</message><statusCode>${err.statusCode}</statusCode></errors><id>${escapeXml(id)}</id><success>false</success></result>`;
          }
        });
        return envelope(`<undeleteResponse>${results.join('')}</undeleteResponse>`);
      }
      case 'getServerTimestamp':
        return envelope(
          `<getServerTimestampResponse><result><timestamp>${state.now().toISOString()}</timestamp></result></getServerTimestampResponse>`,
        );
      case 'delete': {
        const results = ids.map((id) => {
          try {
            const found = state.findById(id);
            if (!found) throw new RecordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
            state.remove(found.type, id, { userId: user.Id as string });
            return `<result><id>${found.record.Id}</id><success>true</success></result>`;
          } catch (e) {
            const err = e instanceof RecordError ? e : new RecordError('UNKNOWN_EXCEPTION', String(e));
            return `<result><errors><message>${escapeXml(err.message)}</message><statusCode>${err.statusCode}</statusCode></errors><id>${escapeXml(id)}</id><success>false</success></result>`;
          }
        });
        return envelope(`<deleteResponse>${results.join('')}</deleteResponse>`);
      }
      case 'emptyRecycleBin': {
        const results = ids.map((id) => {
          const found = state.findById(id);
          if (!found || !found.record.IsDeleted) {
            return `<result><errors><message>entity is not in the recycle bin</message><statusCode>INVALID_ID_FIELD</statusCode></errors><id>${escapeXml(id)}</id><success>false</success></result>`;
          }
          state.hardDelete(found.type, found.record.Id as string);
          return `<result><id>${found.record.Id}</id><success>true</success></result>`;
        });
        return envelope(`<emptyRecycleBinResponse>${results.join('')}</emptyRecycleBinResponse>`);
      }
      default:
        return soapFault('INVALID_OPERATION', `The emulator does not implement the Partner SOAP call '${call}'`);
    }
  };
  router.add('POST', '/services/Soap/u/:apiv', soap, { auth: 'none' });
  router.add('POST', '/services/Soap/u/:apiv/:orgId', soap, { auth: 'none' });
}

function envelope(inner: string): Res {
  return xml(
    200,
    `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`,
  );
}

function userInfoXml(state: OrgState, user: Rec): string {
  const org = state.records('Organization')[0] ?? {};
  const e = (tag: string, v: unknown) => `<${tag}>${escapeXml(v ?? '')}</${tag}>`;
  return [
    e('accessibilityMode', false),
    e('currencySymbol', '$'),
    e('orgDefaultCurrencyIsoCode', 'USD'),
    e('orgDisallowHtmlAttachments', false),
    e('orgHasPersonAccounts', false),
    e('organizationId', state.orgId),
    e('organizationMultiCurrency', false),
    e('organizationName', org.Name),
    e('profileId', user.ProfileId),
    e('roleId', user.UserRoleId),
    e('sessionSecondsValid', 7200),
    e('userDefaultCurrencyIsoCode', 'USD'),
    e('userEmail', user.Email),
    e('userFullName', user.Name),
    e('userId', user.Id),
    e('userLanguage', user.LanguageLocaleKey ?? 'en_US'),
    e('userLocale', user.LocaleSidKey ?? 'en_US'),
    e('userName', user.Username),
    e('userTimeZone', user.TimeZoneSidKey ?? 'GMT'),
    e('userType', user.UserType ?? 'Standard'),
    e('userUiSkin', 'Theme3'),
  ].join('');
}
