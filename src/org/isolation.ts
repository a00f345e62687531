import { createHash } from 'node:crypto';
import type { OrgClient, SObjectRecord } from './client.js';
import { errorCodeOf, toOrgError } from './errors.js';
import type {
  ApexTriggerState,
  BulkApi,
  BulkJobState,
  FlowState,
  NamedCredentialState,
  PreState,
  RemoteSiteState,
  TokenState,
  UserState,
} from '../isolate/model.js';
import { isOpenJob } from '../isolate/plan.js';

/**
 * Isolate-specific org operations, built on OrgClient: read the pre-state of an isolation's targets in a few
 * batched calls (IN lists, one query per object), and change them in batches (sObject Collections for users and
 * sessions, one Metadata call per 10 components). Every write returns one outcome per target, so a failure in one
 * never hides the others. DeleteTokens are held in memory only (`secrets`), never returned in the pre-state.
 */

type Unreadable = NonNullable<PreState['unreadable']>[number]['surface'];
const FATAL = new Set([
  'INVALID_SESSION_ID',
  'REQUEST_LIMIT_EXCEEDED',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
]);

export interface IsolationRead {
  pre: PreState;
  /** token ref -> DeleteToken, for revoking; never stored or printed. */
  secrets: Map<string, string>;
}

export interface Outcome {
  /** The plan action key this outcome belongs to. */
  key: string;
  ok: boolean;
  /** Why it failed (Salesforce code and message), or a remark on success. */
  reason?: string;
}

export interface ReadRequest {
  users: string[];
  apps: string[];
  remoteSites: string[];
  namedCredentials: string[];
  flows: string[];
  objects: string[];
  /** Surfaces not to read (undo needs only what it can restore). */
  skip?: ('tokens' | 'bulkJobs')[];
}

/** A SOQL string literal. */
export const soqlString = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const inList = (xs: readonly string[]) => `(${xs.map(soqlString).join(', ')})`;
const chunk = <T>(xs: readonly T[], n: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};
const lower = (s: string) => s.toLowerCase();
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const bool = (v: unknown): boolean => v === true || v === 'true';

/** The short hash that names a token in evidence (the DeleteToken itself is a secret). */
export const tokenRef = (deleteToken: string): string =>
  createHash('sha256').update(deleteToken).digest('hex').slice(0, 16);

async function all<T extends SObjectRecord>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of it) out.push(r);
  return out;
}

/** Query with IN lists of at most 200 values per call (SOQL length stays well under the URL limit). */
async function queryIn<T extends SObjectRecord>(
  client: OrgClient,
  values: readonly string[],
  soql: (list: string) => string,
  tooling = false,
): Promise<T[]> {
  const out: T[] = [];
  for (const part of chunk(values, 200)) {
    const q = soql(inList(part));
    out.push(...(await all<T>(tooling ? client.toolingQuery<T>(q) : client.query<T>(q))));
  }
  return out;
}

/** Remote site settings through the Tooling API (RemoteProxy): one query for all of them, ids included. */
export async function readRemoteSites(client: OrgClient, names: readonly string[] | null): Promise<RemoteSiteState[]> {
  const fields = 'SELECT Id, SiteName, EndpointUrl, IsActive, DisableProtocolSecurity, Description FROM RemoteProxy';
  const rows = names
    ? await queryIn(client, names, (l) => `${fields} WHERE SiteName IN ${l}`, true)
    : await all(client.toolingQuery(fields));
  return rows.map((r) => ({
    id: String(r.Id),
    name: String(r.SiteName),
    url: String(r.EndpointUrl ?? ''),
    isActive: bool(r.IsActive),
    disableProtocolSecurity: bool(r.DisableProtocolSecurity),
    description: str(r.Description),
  }));
}

/**
 * Named credentials through the Metadata API. "Enabled" is the callout status: a definition is disabled by
 * isolate by setting `calloutStatus` to `Disabled` (API v59+ "Enabled for Callouts").
 */
export async function readNamedCredentials(
  client: OrgClient,
  names: readonly string[],
): Promise<NamedCredentialState[]> {
  const out: NamedCredentialState[] = [];
  for (const part of chunk(names, 10)) {
    const comps = await client.metadataRead('NamedCredential', part);
    for (const c of comps) {
      if (!c.fullName) continue;
      // jsforce has no schema for NamedCredential, so booleans come back as "true"/"false": restore their type.
      const rest = Object.fromEntries(
        Object.entries(c)
          .filter(([k]) => k !== 'fullName')
          .map(([k, v]) => [k, v === 'true' ? true : v === 'false' ? false : v]),
      );
      const fullName = c.fullName;
      out.push({
        id: null,
        name: fullName,
        endpoint: str(c.endpoint),
        enabled: c.calloutStatus === undefined || c.calloutStatus === null || c.calloutStatus !== 'Disabled',
        metadata: { fullName, ...rest },
      });
    }
  }
  return out;
}

const jobApi = (jobType: unknown, listing: 'ingest' | 'query'): BulkApi =>
  jobType === 'Classic' ? 'v1' : listing === 'query' || jobType === 'V2Query' ? 'v2-query' : 'v2-ingest';

/** Every Bulk job the org lists (2.0 ingest and query, and 1.0 "Classic" jobs), deduplicated by id. */
export async function listBulkJobs(client: OrgClient): Promise<BulkJobState[]> {
  const byId = new Map<string, BulkJobState>();
  for (const listing of ['ingest', 'query'] as const) {
    let path: string | null = `/jobs/${listing}`;
    while (path) {
      const page: { records?: Record<string, unknown>[]; nextRecordsUrl?: string | null; done?: boolean } =
        await client.request('GET', path);
      for (const j of page.records ?? []) {
        const id = String(j.id);
        if (byId.has(id)) continue;
        byId.set(id, {
          id,
          api: jobApi(j.jobType, listing),
          object: str(j.object),
          operation: str(j.operation),
          state: String(j.state ?? ''),
          createdById: String(j.createdById ?? ''),
          createdDate: str(j.createdDate),
        });
      }
      path = page.done === false && page.nextRecordsUrl ? page.nextRecordsUrl : null;
    }
  }
  return [...byId.values()];
}

/** Record-triggered flows on `objects` and flows named in `names`, with the version number to restore. */
export async function readFlows(
  client: OrgClient,
  names: readonly string[],
  objects: readonly string[],
): Promise<FlowState[]> {
  if (!names.length && !objects.length) return [];
  const where = [
    names.length ? `ApiName IN ${inList(names)}` : null,
    objects.length ? `TriggerObjectOrEventLabel IN ${inList(objects)}` : null,
  ].filter(Boolean);
  const views = await all(
    client.query(
      `SELECT ApiName, Label, TriggerType, TriggerObjectOrEventLabel, IsActive, ActiveVersionId, DurableId FROM FlowDefinitionView WHERE ${where.join(' OR ')}`,
    ),
  );
  if (!views.length) return [];
  const defs = await queryIn(
    client,
    views.map((v) => String(v.ApiName)),
    (l) => `SELECT Id, DeveloperName, ActiveVersionId, LatestVersionId FROM FlowDefinition WHERE DeveloperName IN ${l}`,
    true,
  );
  const activeIds = defs.map((d) => str(d.ActiveVersionId)).filter((x): x is string => x !== null);
  const versions = activeIds.length
    ? await queryIn(client, activeIds, (l) => `SELECT Id, VersionNumber FROM Flow WHERE Id IN ${l}`, true)
    : [];
  const versionOf = new Map(versions.map((v) => [String(v.Id), Number(v.VersionNumber)]));
  const out: FlowState[] = [];
  for (const v of views) {
    const d = defs.find((x) => lower(String(x.DeveloperName)) === lower(String(v.ApiName)));
    if (!d) continue;
    const active = str(d.ActiveVersionId);
    out.push({
      id: String(d.Id),
      apiName: String(v.ApiName),
      label: str(v.Label),
      object: str(v.TriggerObjectOrEventLabel),
      triggerType: str(v.TriggerType),
      activeVersionId: active,
      activeVersionNumber: active ? (versionOf.get(active) ?? null) : null,
    });
  }
  return out;
}

async function readApexTriggers(client: OrgClient, objects: readonly string[]): Promise<ApexTriggerState[]> {
  if (!objects.length) return [];
  try {
    const rows = await queryIn(
      client,
      objects,
      (l) => `SELECT Id, Name, TableEnumOrId, Status FROM ApexTrigger WHERE TableEnumOrId IN ${l}`,
      true,
    );
    return rows.map((r) => ({
      id: String(r.Id),
      name: String(r.Name),
      object: String(r.TableEnumOrId),
      status: String(r.Status),
    }));
  } catch (e) {
    // An org (or emulator) without ApexTrigger in the Tooling API has no triggers to list as manual steps.
    if (['INVALID_TYPE', 'NOT_FOUND'].includes(errorCodeOf(e)) || /INVALID_TYPE|NOT_FOUND/.test(String(e))) return [];
    throw e;
  }
}

/**
 * Read the pre-state of every target: users with their UserLogin and live sessions, OAuth grants (of the named
 * apps, or held by the users), remote sites, named credentials, Bulk jobs of the users, flows and Apex triggers.
 */
export async function readIsolationState(client: OrgClient, req: ReadRequest, now: Date): Promise<IsolationRead> {
  const id = await client.identity();
  const notFound: PreState['notFound'] = [];

  const userRows = req.users.length
    ? await queryIn(client, req.users, (l) => `SELECT Id, Username, IsActive FROM User WHERE Username IN ${l}`)
    : [];
  for (const u of req.users) {
    if (!userRows.some((r) => lower(String(r.Username)) === lower(u))) notFound.push({ kind: 'user', name: u });
  }
  const userIds = userRows.map((r) => String(r.Id));
  const logins = userIds.length
    ? await queryIn(client, userIds, (l) => `SELECT Id, UserId, IsFrozen FROM UserLogin WHERE UserId IN ${l}`)
    : [];
  const sessions = userIds.length
    ? await queryIn(
        client,
        userIds,
        (l) => `SELECT Id, UsersId, SessionType, SourceIp, CreatedDate FROM AuthSession WHERE UsersId IN ${l}`,
      )
    : [];
  const users: UserState[] = userRows.map((r) => {
    const login = logins.find((l) => l.UserId === r.Id);
    return {
      id: String(r.Id),
      username: String(r.Username),
      isActive: bool(r.IsActive),
      userLoginId: login ? String(login.Id) : null,
      frozen: login ? bool(login.IsFrozen) : null,
      sessions: sessions
        .filter((s) => s.UsersId === r.Id)
        .map((s) => ({
          id: String(s.Id),
          sessionType: str(s.SessionType),
          sourceIp: str(s.SourceIp),
          createdDate: str(s.CreatedDate),
        })),
    };
  });

  const unreadable: NonNullable<PreState['unreadable']> = [];
  /**
   * Read one surface; when the org refuses this read (permissions, an object the org lacks) the others still run
   * and the plan turns the surface into a manual step. Session, limit and network failures stop everything.
   */
  const soft = async <T>(surface: Unreadable, fallback: T, read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (e) {
      const code = errorCodeOf(e);
      if (FATAL.has(code) || /cannot reach the org/.test(String((e as Error).message))) throw e;
      unreadable.push({ surface, reason: toOrgError(e, `reading ${surface}`).message });
      return fallback;
    }
  };

  const secrets = new Map<string, string>();
  const tokens: TokenState[] = [];
  const skip = new Set(req.skip ?? []);
  if ((req.apps.length || userIds.length) && !skip.has('tokens'))
    await soft('tokens', undefined, async () => {
      const cond = [
        req.apps.length ? `AppName IN ${inList(req.apps)}` : null,
        userIds.length ? `UserId IN ${inList(userIds)}` : null,
      ].filter(Boolean);
      const rows = await all(
        client.query(
          `SELECT AppName, UserId, User.Username, UseCount, LastUsedDate, DeleteToken FROM OauthToken WHERE ${cond.join(' OR ')}`,
        ),
      );
      for (const r of rows) {
        const del = str(r.DeleteToken);
        if (!del) continue;
        const ref = tokenRef(del);
        secrets.set(ref, del);
        const parent = r.User as { Username?: string } | null | undefined;
        tokens.push({
          appName: String(r.AppName),
          userId: String(r.UserId),
          username: parent?.Username ?? users.find((u) => u.id === r.UserId)?.username ?? null,
          useCount: typeof r.UseCount === 'number' ? r.UseCount : null,
          lastUsedDate: str(r.LastUsedDate),
          ref,
        });
      }
      for (const a of req.apps) {
        if (!rows.some((r) => lower(String(r.AppName)) === lower(a))) {
          // No live grant is not an error (nothing to revoke), but say so: the name may be misspelt.
          notFound.push({ kind: 'app', name: `${a} (no OAuth tokens)` });
        }
      }
    });

  const remoteSites = req.remoteSites.length
    ? await soft('remoteSites', [], () => readRemoteSites(client, req.remoteSites))
    : [];
  for (const n of req.remoteSites) {
    if (!remoteSites.some((r) => lower(r.name) === lower(n))) notFound.push({ kind: 'remoteSite', name: n });
  }
  const namedCredentials = req.namedCredentials.length
    ? await soft('namedCredentials', [], () => readNamedCredentials(client, req.namedCredentials))
    : [];
  for (const n of req.namedCredentials) {
    if (!namedCredentials.some((r) => lower(r.name) === lower(n))) notFound.push({ kind: 'namedCredential', name: n });
  }

  const idSet = new Set(userIds);
  const bulkJobs =
    userIds.length && !skip.has('bulkJobs')
      ? await soft('bulkJobs', [], async () =>
          (await listBulkJobs(client)).filter((j) => idSet.has(j.createdById) && isOpenJob(j, now.toISOString())),
        )
      : [];

  const flows = await soft('flows', [], () => readFlows(client, req.flows, req.objects));
  for (const f of req.flows) {
    if (!flows.some((x) => lower(x.apiName) === lower(f))) notFound.push({ kind: 'flow', name: f });
  }
  const apexTriggers = await soft('apexTriggers', [], () => readApexTriggers(client, req.objects));

  return {
    pre: {
      readAt: now.toISOString(),
      org: { id: id.orgId, instanceUrl: client.instanceUrl },
      runningUser: { id: id.userId, username: id.username },
      users,
      tokens,
      remoteSites,
      namedCredentials,
      bulkJobs,
      flows,
      apexTriggers,
      notFound,
      unreadable,
    },
    secrets,
  };
}

const failAll = (keys: readonly string[], e: unknown, what: string): Outcome[] => {
  const reason = toOrgError(e, what).message;
  return keys.map((key) => ({ key, ok: false, reason }));
};

const saveOutcomes = (
  keys: readonly string[],
  results: { success: boolean; errors: { statusCode: string; message: string }[] }[],
): Outcome[] =>
  keys.map((key, i) => {
    const r = results[i];
    if (!r) return { key, ok: false, reason: 'no result returned for this record' };
    return r.success
      ? { key, ok: true }
      : { key, ok: false, reason: r.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ') };
  });

/** Set UserLogin.IsFrozen for many users: sObject Collections, 200 per call. */
export async function setFrozen(
  client: OrgClient,
  items: readonly { key: string; userLoginId: string }[],
  frozen: boolean,
): Promise<Outcome[]> {
  if (!items.length) return [];
  try {
    const results = await client.update(
      'UserLogin',
      items.map((i) => ({ Id: i.userLoginId, IsFrozen: frozen })),
      { allOrNone: false },
    );
    return saveOutcomes(
      items.map((i) => i.key),
      results,
    );
  } catch (e) {
    return failAll(
      items.map((i) => i.key),
      e,
      frozen ? 'freeze users' : 'unfreeze users',
    );
  }
}

/** Delete AuthSession rows (ends the sessions): sObject Collections, 200 per call. One outcome per user. */
export async function endSessions(
  client: OrgClient,
  items: readonly { key: string; sessionIds: string[] }[],
): Promise<Outcome[]> {
  const ids = items.flatMap((i) => i.sessionIds);
  if (!ids.length) return [];
  let results: { success: boolean; errors: { statusCode: string; message: string }[] }[];
  try {
    results = await client.delete('AuthSession', ids, { allOrNone: false });
  } catch (e) {
    return failAll(
      items.map((i) => i.key),
      e,
      'end sessions',
    );
  }
  let at = 0;
  return items.map((item) => {
    const mine = results.slice(at, at + item.sessionIds.length);
    at += item.sessionIds.length;
    // A session that ended on its own meanwhile is gone either way.
    const failed = mine.filter(
      (r) =>
        !r.success &&
        !r.errors.some((e) => ['ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY', 'NOT_FOUND'].includes(e.statusCode)),
    );
    return failed.length
      ? {
          key: item.key,
          ok: false,
          reason: failed.flatMap((r) => r.errors.map((e) => `${e.statusCode}: ${e.message}`)).join('; '),
        }
      : { key: item.key, ok: true };
  });
}

/** Revoke OAuth grants by DeleteToken at the revoke endpoint, a few at a time. */
export async function revokeTokens(
  client: OrgClient,
  items: readonly { key: string; deleteToken: string }[],
  concurrency = 4,
): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const part of chunk(items, concurrency)) {
    const done = await Promise.all(
      part.map(async (i): Promise<Outcome> => {
        try {
          await client.revokeToken(i.deleteToken);
          return { key: i.key, ok: true };
        } catch (e) {
          return { key: i.key, ok: false, reason: toOrgError(e, 'revoke token').message };
        }
      }),
    );
    out.push(...done);
  }
  return out;
}

/**
 * Write remote site settings through the Tooling API: the whole Metadata (url, isActive, disableProtocolSecurity,
 * description) is sent, since the platform replaces it. One call per site.
 */
export async function writeRemoteSites(
  client: OrgClient,
  items: readonly { key: string; site: RemoteSiteState }[],
): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const { key, site } of items) {
    if (!site.id) {
      out.push({ key, ok: false, reason: `remote site ${site.name} has no id` });
      continue;
    }
    try {
      await client.toolingUpdate('RemoteProxy', {
        Id: site.id,
        Metadata: {
          url: site.url,
          isActive: site.isActive,
          disableProtocolSecurity: site.disableProtocolSecurity,
          description: site.description,
        },
      });
      out.push({ key, ok: true });
    } catch (e) {
      out.push({ key, ok: false, reason: toOrgError(e, `update remote site ${site.name}`).message });
    }
  }
  return out;
}

/** Replace named credentials with the given metadata (Metadata API updateMetadata, 10 per call). */
export async function writeNamedCredentials(
  client: OrgClient,
  items: readonly { key: string; metadata: Record<string, unknown> }[],
): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const part of chunk(items, 10)) {
    try {
      const results = await client.metadataUpdate(
        'NamedCredential',
        part.map((p) => p.metadata as { fullName: string }),
      );
      out.push(
        ...part.map(({ key, metadata }) => {
          const r = results.find((x) => lower(x.fullName) === lower(String(metadata.fullName)));
          if (!r) return { key, ok: false, reason: 'no result returned for this component' };
          return r.success
            ? { key, ok: true }
            : { key, ok: false, reason: r.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ') };
        }),
      );
    } catch (e) {
      out.push(
        ...failAll(
          part.map((p) => p.key),
          e,
          'update named credentials',
        ),
      );
    }
  }
  return out;
}

/** The metadata that disables a named credential's callouts; everything else as it was. */
export const disabledNamedCredential = (n: NamedCredentialState): Record<string, unknown> => ({
  ...n.metadata,
  calloutStatus: 'Disabled',
});

/** Abort Bulk jobs: 2.0 by PATCH state=Aborted, 1.0 by POSTing an Aborted jobInfo. One call per job. */
export async function abortJobs(
  client: OrgClient,
  items: readonly { key: string; job: BulkJobState }[],
): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const { key, job } of items) {
    try {
      if (job.api === 'v1') {
        await client.abortBulkV1Job(job.id);
      } else {
        await client.request('PATCH', `/jobs/${job.api === 'v2-query' ? 'query' : 'ingest'}/${job.id}`, {
          state: 'Aborted',
        });
      }
      out.push({ key, ok: true });
    } catch (e) {
      const code = errorCodeOf(e);
      // A job that finished between the read and the abort has nothing left to stop.
      const reason = toOrgError(e, `abort Bulk job ${job.id}`).message;
      out.push({ key, ok: false, reason: code === 'INVALIDJOBSTATE' ? `${reason} (it is no longer open)` : reason });
    }
  }
  return out;
}

/** Set a flow's active version through the Tooling API (0 deactivates). One call per flow. */
export async function setFlowVersion(
  client: OrgClient,
  items: readonly { key: string; flowId: string; activeVersionNumber: number }[],
): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const { key, flowId, activeVersionNumber } of items) {
    try {
      await client.toolingUpdate('FlowDefinition', { Id: flowId, Metadata: { activeVersionNumber } });
      out.push({ key, ok: true });
    } catch (e) {
      out.push({ key, ok: false, reason: toOrgError(e, `update flow ${flowId}`).message });
    }
  }
  return out;
}

/** What `isolate --discover` reads from the org (no secrets: DeleteTokens are not selected). */
export interface Surfaces {
  readAt: string;
  runningUser: { id: string; username: string };
  /** API-only (profile or permission set) and integration-licence users. */
  integrationUsers: {
    id: string;
    username: string;
    profile: string | null;
    license: string | null;
    apiOnly: boolean;
    lastLogin: string | null;
  }[];
  tokens: {
    appName: string;
    userId: string;
    username: string | null;
    useCount: number | null;
    lastUsedDate: string | null;
  }[];
  remoteSites: RemoteSiteState[];
  namedCredentials: { name: string; endpoint: string | null }[];
  flows: { apiName: string; object: string | null; triggerType: string | null }[];
  /** Bulk jobs created in the last 24 hours. */
  bulkJobs: BulkJobState[];
  /** Per object: who created / modified records in the last 24 hours (counts from up to `sampleLimit` rows). */
  writers: { object: string; userId: string; created: number; modified: number }[];
  /** userId -> username for every user the other lists mention. */
  usernames: Record<string, string>;
}

/** Read every candidate integration surface (about ten calls plus one per object sampled). Changes nothing. */
export async function readSurfaces(
  client: OrgClient,
  now: Date,
  opts: { objects: readonly string[]; sampleLimit?: number },
): Promise<Surfaces> {
  const id = await client.identity();
  const usernames: Record<string, string> = {};
  const users = await all(
    client.query(
      "SELECT Id, Username, LastLoginDate, Profile.Name, Profile.PermissionsApiUserOnly, Profile.UserLicense.Name FROM User WHERE IsActive = true AND (Profile.PermissionsApiUserOnly = true OR Profile.UserLicense.Name = 'Salesforce Integration')",
    ),
  );
  const integrationUsers: Surfaces['integrationUsers'] = users.map((u) => {
    const p = (u.Profile ?? null) as {
      Name?: string;
      PermissionsApiUserOnly?: boolean;
      UserLicense?: { Name?: string } | null;
    } | null;
    return {
      id: String(u.Id),
      username: String(u.Username),
      profile: p?.Name ?? null,
      license: p?.UserLicense?.Name ?? null,
      apiOnly: p?.PermissionsApiUserOnly === true,
      lastLogin: str(u.LastLoginDate),
    };
  });
  // API-only through a permission set (not the profile).
  try {
    const psa = await all(
      client.query(
        'SELECT AssigneeId, Assignee.Username, Assignee.IsActive, Assignee.LastLoginDate FROM PermissionSetAssignment WHERE PermissionSet.PermissionsApiUserOnly = true',
      ),
    );
    for (const a of psa) {
      const who = (a.Assignee ?? null) as { Username?: string; IsActive?: boolean; LastLoginDate?: string } | null;
      if (!who?.Username || who.IsActive === false) continue;
      const existing = integrationUsers.find((u) => u.id === a.AssigneeId);
      if (existing) existing.apiOnly = true;
      else
        integrationUsers.push({
          id: String(a.AssigneeId),
          username: who.Username,
          profile: null,
          license: null,
          apiOnly: true,
          lastLogin: str(who.LastLoginDate),
        });
    }
  } catch (e) {
    if (!['INVALID_FIELD', 'INVALID_TYPE', 'MALFORMED_QUERY'].includes(errorCodeOf(e))) throw e;
  }
  for (const u of integrationUsers) usernames[u.id] = u.username;

  const tokenRows = await all(
    client.query('SELECT AppName, UserId, User.Username, UseCount, LastUsedDate FROM OauthToken'),
  );
  const tokens: Surfaces['tokens'] = tokenRows.map((r) => {
    const who = (r.User ?? null) as { Username?: string } | null;
    if (who?.Username) usernames[String(r.UserId)] = who.Username;
    return {
      appName: String(r.AppName),
      userId: String(r.UserId),
      username: who?.Username ?? null,
      useCount: typeof r.UseCount === 'number' ? r.UseCount : null,
      lastUsedDate: str(r.LastUsedDate),
    };
  });

  const remoteSites = await readRemoteSites(client, null);
  const ncs = await all(client.query('SELECT DeveloperName, Endpoint FROM NamedCredential'));
  const namedCredentials = ncs.map((n) => ({ name: String(n.DeveloperName), endpoint: str(n.Endpoint) }));

  const flowRows = await all(
    client.query(
      'SELECT ApiName, TriggerType, TriggerObjectOrEventLabel FROM FlowDefinitionView WHERE IsActive = true',
    ),
  );
  const flows = flowRows
    .map((f) => ({
      apiName: String(f.ApiName),
      object: str(f.TriggerObjectOrEventLabel),
      triggerType: str(f.TriggerType),
    }))
    .filter((f) => (f.triggerType ?? '').startsWith('Record'));

  const since = now.getTime() - 24 * 3600_000;
  const bulkJobs = (await listBulkJobs(client)).filter(
    (j) => j.createdDate !== null && Date.parse(j.createdDate.replace(/\+0000$/, 'Z')) >= since,
  );

  const objects = [...new Set([...opts.objects, ...bulkJobs.map((j) => j.object).filter((o): o is string => !!o)])];
  const sinceLiteral = new Date(since).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const writers: Surfaces['writers'] = [];
  for (const object of objects) {
    const counts = new Map<string, { created: number; modified: number }>();
    try {
      const rows = await all(
        client.query(
          `SELECT CreatedById, LastModifiedById, CreatedDate FROM ${object} WHERE LastModifiedDate >= ${sinceLiteral} ORDER BY LastModifiedDate DESC LIMIT ${opts.sampleLimit ?? 5000}`,
        ),
      );
      for (const r of rows) {
        const c = String(r.CreatedById);
        const m = String(r.LastModifiedById);
        const created = r.CreatedDate ? Date.parse(String(r.CreatedDate).replace(/\+0000$/, 'Z')) >= since : false;
        if (created)
          counts.set(c, { created: (counts.get(c)?.created ?? 0) + 1, modified: counts.get(c)?.modified ?? 0 });
        counts.set(m, { created: counts.get(m)?.created ?? 0, modified: (counts.get(m)?.modified ?? 0) + 1 });
      }
    } catch (e) {
      if (['INVALID_TYPE', 'INVALID_FIELD'].includes(errorCodeOf(e))) continue;
      throw e;
    }
    for (const [userId, n] of counts) writers.push({ object, userId, ...n });
  }
  const unknown = [...new Set([...writers.map((w) => w.userId), ...bulkJobs.map((j) => j.createdById)])].filter(
    (u) => !usernames[u],
  );
  if (unknown.length) {
    for (const u of await queryIn(client, unknown, (l) => `SELECT Id, Username FROM User WHERE Id IN ${l}`)) {
      usernames[String(u.Id)] = String(u.Username);
    }
  }

  return {
    readAt: now.toISOString(),
    runningUser: { id: id.userId, username: id.username },
    integrationUsers,
    tokens,
    remoteSites,
    namedCredentials,
    flows,
    bulkJobs,
    writers,
    usernames,
  };
}
