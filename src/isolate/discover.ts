import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Document, isMap, isSeq, parseDocument, YAMLSeq } from 'yaml';
import type { Context } from '../cli/context.js';
import { table } from '../cli/output.js';
import { DEFAULT_CONFIG_FILE } from '../config/load.js';
import { configSchema, type Integration } from '../config/schema.js';
import { UsageError } from '../errors.js';
import type { OrgClient } from '../org/client.js';
import { readSurfaces, type Surfaces } from '../org/isolation.js';
import { writeFileAtomic } from '../util/fs.js';
import { iso } from '../util/time.js';
import { journal } from './journal.js';

/**
 * `lockout isolate --discover`: read the org's integration surfaces and group them into candidate integrations
 * (config entries to review). The grouping is pure; so is the YAML append, which keeps the file's comments.
 */

export interface Candidate extends Integration {
  /** Why these surfaces were grouped together, for the reviewer. */
  evidence: string[];
}

export interface Discovery {
  readAt: string;
  candidates: Candidate[];
  users: Surfaces['integrationUsers'];
  apps: { app: string; users: { username: string; useCount: number | null; lastUsedDate: string | null }[] }[];
  remoteSites: { name: string; url: string; isActive: boolean }[];
  namedCredentials: { name: string; endpoint: string | null }[];
  flows: { apiName: string; object: string | null; triggerType: string | null }[];
  bulkJobs: { username: string; jobs: number; open: number; objects: string[] }[];
  topWriters: { object: string; username: string; created: number; modified: number }[];
  unassigned: { remoteSites: string[]; namedCredentials: string[]; flows: string[] };
  written?: { file: string; added: string[]; skipped: string[] };
}

const GENERIC = new Set([
  'api',
  'sync',
  'app',
  'connector',
  'integration',
  'service',
  'services',
  'the',
  'www',
  'com',
  'net',
  'io',
  'org',
  'http',
  'https',
  'rest',
  'v1',
  'v2',
  'bridge',
  'gateway',
]);

/** Significant lower-case words of a name or URL: split on separators and camelCase. */
export function words(s: string): string[] {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 3 && !GENERIC.has(w));
}

export const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'integration';

/** How strongly a surface name (and URL) belongs to an app: shared significant words, or the joined app name. */
function affinity(appName: string, surface: string): number {
  const appWords = words(appName);
  const joined = appWords.join('');
  const s = surface.toLowerCase().replace(/[^a-z0-9]/g, '');
  const shared = words(surface).filter((w) => appWords.includes(w)).length;
  return shared + (joined.length >= 4 && s.includes(joined) ? 2 : 0);
}

/** Group discovered surfaces into candidate integrations. Pure. */
export function groupSurfaces(s: Surfaces, protectedUsers: readonly string[]): Discovery {
  const name = (id: string) => s.usernames[id] ?? id;
  const protectedSet = new Set([...protectedUsers, s.runningUser.username].map((u) => u.toLowerCase()));
  const integrationIds = new Set(s.integrationUsers.map((u) => u.id));
  const apps = [...new Set(s.tokens.map((t) => t.appName))].sort();

  const candidates: Candidate[] = [];
  const claimedUsers = new Set<string>();
  for (const app of apps) {
    const holders = s.tokens.filter((t) => t.appName === app && !protectedSet.has(name(t.userId).toLowerCase()));
    const integ = holders.filter((t) => integrationIds.has(t.userId));
    const chosen = integ.length ? integ : holders;
    if (!chosen.length) continue;
    const users = [...new Set(chosen.map((t) => name(t.userId)))];
    for (const t of chosen) claimedUsers.add(t.userId);
    candidates.push({
      name: slug(app),
      users,
      connectedApps: [app],
      remoteSites: [],
      namedCredentials: [],
      flows: [],
      objects: [],
      evidence: [
        `${users.join(', ')} ${users.length === 1 ? 'holds' : 'hold'} OAuth tokens of ${app}${integ.length ? ' (integration/API-only users)' : ''}`,
      ],
    });
  }
  for (const u of s.integrationUsers) {
    if (claimedUsers.has(u.id) || protectedSet.has(u.username.toLowerCase())) continue;
    candidates.push({
      name: slug(u.username.split('@')[0]!),
      users: [u.username],
      connectedApps: [],
      remoteSites: [],
      namedCredentials: [],
      flows: [],
      objects: [],
      evidence: [`${u.username} is an ${u.apiOnly ? 'API-only' : 'integration-licence'} user with no OAuth tokens`],
    });
  }

  const assign = (surface: string): Candidate | null => {
    let best: Candidate | null = null;
    let score = 0;
    for (const c of candidates) {
      const key = c.connectedApps[0] ?? c.name;
      const a = affinity(key, surface);
      if (a > score) {
        best = c;
        score = a;
      }
    }
    return best;
  };
  const unassigned: Discovery['unassigned'] = { remoteSites: [], namedCredentials: [], flows: [] };
  for (const r of s.remoteSites) {
    const c = assign(`${r.name} ${r.url}`);
    if (c) {
      c.remoteSites.push(r.name);
      c.evidence.push(`remote site ${r.name} (${r.url}) matches its name`);
    } else unassigned.remoteSites.push(r.name);
  }
  for (const n of s.namedCredentials) {
    const c = assign(`${n.name} ${n.endpoint ?? ''}`);
    if (c) {
      c.namedCredentials.push(n.name);
      c.evidence.push(`named credential ${n.name} matches its name`);
    } else unassigned.namedCredentials.push(n.name);
  }

  // Objects: what the candidate's users loaded (Bulk) or wrote in the last 24 hours.
  for (const c of candidates) {
    const ids = new Set(
      Object.entries(s.usernames)
        .filter(([, u]) => c.users.includes(u))
        .map(([id]) => id),
    );
    const objs = new Set<string>();
    for (const j of s.bulkJobs) if (ids.has(j.createdById) && j.object) objs.add(j.object);
    for (const w of s.writers) if (ids.has(w.userId)) objs.add(w.object);
    c.objects = [...objs].sort();
    if (c.objects.length) c.evidence.push(`its users wrote ${c.objects.join(', ')} in the last 24 hours`);
  }
  for (const f of s.flows) {
    const c = assign(f.apiName);
    if (c) {
      c.flows.push(f.apiName);
      c.evidence.push(`record-triggered flow ${f.apiName} on ${f.object ?? '?'} matches its name`);
    } else unassigned.flows.push(f.apiName);
  }

  const jobsBy = new Map<string, { jobs: number; open: number; objects: Set<string> }>();
  for (const j of s.bulkJobs) {
    const e = jobsBy.get(j.createdById) ?? { jobs: 0, open: 0, objects: new Set<string>() };
    e.jobs += 1;
    if (['Open', 'UploadComplete', 'InProgress'].includes(j.state)) e.open += 1;
    if (j.object) e.objects.add(j.object);
    jobsBy.set(j.createdById, e);
  }

  return {
    readAt: s.readAt,
    candidates,
    users: s.integrationUsers,
    apps: apps.map((app) => ({
      app,
      users: s.tokens
        .filter((t) => t.appName === app)
        .map((t) => ({ username: name(t.userId), useCount: t.useCount, lastUsedDate: t.lastUsedDate })),
    })),
    remoteSites: s.remoteSites.map((r) => ({ name: r.name, url: r.url, isActive: r.isActive })),
    namedCredentials: s.namedCredentials,
    flows: s.flows,
    bulkJobs: [...jobsBy.entries()].map(([id, e]) => ({
      username: name(id),
      jobs: e.jobs,
      open: e.open,
      objects: [...e.objects].sort(),
    })),
    topWriters: [...s.writers]
      .sort((a, b) => b.created + b.modified - (a.created + a.modified))
      .slice(0, 10)
      .map((w) => ({ object: w.object, username: name(w.userId), created: w.created, modified: w.modified })),
    unassigned,
  };
}

/**
 * Append candidates to the config text under `integrations:` (created when missing), skipping names that exist.
 * Keeps the rest of the file, comments included. Pure.
 */
export function appendIntegrations(
  text: string,
  candidates: readonly Integration[],
  note: string,
): { text: string; added: string[]; skipped: string[] } {
  const doc = text.trim() ? parseDocument(text) : new Document({});
  if (doc.errors.length) throw new UsageError(`cannot append to the config: ${doc.errors[0]!.message.split('\n')[0]}`);
  if (!isMap(doc.contents)) throw new UsageError('cannot append to the config: it is not a mapping of keys');
  let seq = doc.get('integrations', true);
  if (!isSeq(seq)) {
    seq = new YAMLSeq();
    doc.set('integrations', seq);
  }
  const existing = new Set(
    (seq as YAMLSeq).items.map((i) => (isMap(i) ? String(i.get('name') ?? '') : '').toLowerCase()),
  );
  const added: string[] = [];
  const skipped: string[] = [];
  for (const c of candidates) {
    if (existing.has(c.name.toLowerCase())) {
      skipped.push(c.name);
      continue;
    }
    const entry: Integration = {
      name: c.name,
      users: c.users,
      connectedApps: c.connectedApps,
      remoteSites: c.remoteSites,
      namedCredentials: c.namedCredentials,
      flows: c.flows,
      objects: c.objects,
    };
    const node = doc.createNode(entry);
    if (!added.length) node.commentBefore = ` ${note}`;
    (seq as YAMLSeq).items.push(node);
    added.push(c.name);
  }
  return { text: String(doc), added, skipped };
}

/** `lockout isolate --discover [--write-config]`. */
export async function runDiscover(
  ctx: Context,
  opts: { writeConfig: boolean },
  connect: () => Promise<OrgClient>,
): Promise<Discovery> {
  const config = ctx.config();
  const client = await connect();
  const now = ctx.now();
  const objects = [
    ...new Set(['Account', 'Contact', 'Lead', 'Opportunity', 'Case', ...config.integrations.flatMap((i) => i.objects)]),
  ];
  const surfaces = await readSurfaces(client, now, { objects });
  const found = groupSurfaces(surfaces, config.protect.users);

  if (opts.writeConfig) {
    const file = ctx.loadedConfig().file ?? path.join(ctx.cwd, DEFAULT_CONFIG_FILE);
    const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const out = appendIntegrations(
      before,
      found.candidates,
      `added by lockout isolate --discover at ${iso(now)}: review before use`,
    );
    // Never write a file the config loader would then reject.
    const check = configSchema.safeParse(parseDocument(out.text).toJS() ?? {});
    if (!check.success) {
      throw new UsageError(
        `--write-config: the result would not be a valid config (${check.error.issues[0]?.message})`,
      );
    }
    if (out.added.length) writeFileAtomic(file, out.text, { flag: '--write-config' });
    found.written = { file, added: out.added, skipped: out.skipped };
    journal(ctx.store(), { incident: ctx.incident(), actor: ctx.actor(), ts: iso(now) }, 'isolate.discovered', {
      candidates: found.candidates.map(({ evidence: _e, ...c }) => c),
      written: found.written,
    });
  }
  return found;
}

/** The discovery report: candidates first (what --write-config would add), then the raw surfaces. */
export function renderDiscovery(d: Discovery): string {
  const lines = [`Candidate integrations (${d.candidates.length}):`];
  for (const c of d.candidates) {
    lines.push(
      `  ${c.name}`,
      `    users ${c.users.join(', ') || '-'}; apps ${c.connectedApps.join(', ') || '-'}; remote sites ${c.remoteSites.join(', ') || '-'}`,
      `    named credentials ${c.namedCredentials.join(', ') || '-'}; flows ${c.flows.join(', ') || '-'}; objects ${c.objects.join(', ') || '-'}`,
      ...c.evidence.map((e) => `    why: ${e}`),
    );
  }
  if (d.apps.length) {
    lines.push(
      '',
      'OAuth tokens by connected app:',
      table(
        ['APP', 'USER', 'USES', 'LAST USED'],
        d.apps.flatMap((a) => a.users.map((u) => [a.app, u.username, u.useCount ?? '-', u.lastUsedDate ?? '-'])),
      ),
    );
  }
  if (d.bulkJobs.length) {
    lines.push(
      '',
      'Bulk jobs in the last 24 hours:',
      table(
        ['USER', 'JOBS', 'OPEN', 'OBJECTS'],
        d.bulkJobs.map((b) => [b.username, b.jobs, b.open, b.objects.join(', ')]),
      ),
    );
  }
  if (d.topWriters.length) {
    lines.push(
      '',
      'Most records created/modified in the last 24 hours:',
      table(
        ['OBJECT', 'USER', 'CREATED', 'MODIFIED'],
        d.topWriters.map((w) => [w.object, w.username, w.created, w.modified]),
      ),
    );
  }
  const u = d.unassigned;
  if (u.remoteSites.length || u.namedCredentials.length || u.flows.length) {
    lines.push(
      '',
      `Not matched to a candidate: remote sites ${u.remoteSites.join(', ') || '-'}; named credentials ${u.namedCredentials.join(', ') || '-'}; flows ${u.flows.join(', ') || '-'}`,
    );
  }
  if (d.written) {
    lines.push(
      '',
      d.written.added.length
        ? `appended ${d.written.added.join(', ')} to ${d.written.file}: review before use`
        : `nothing appended to ${d.written.file}`,
    );
    if (d.written.skipped.length) lines.push(`already in the config: ${d.written.skipped.join(', ')}`);
  }
  return lines.join('\n');
}
