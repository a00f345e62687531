import type { Context } from '../cli/context.js';
import { UsageError } from '../errors.js';
import { mapFields } from '../scan/fields.js';
import type { FlatRecord, OrgClient, SObjectDescribe } from './client.js';
import { connectOrg, resolveOrgConfig, type OrgFlags } from './connect.js';
import { OrgApiError, QUERY_ERROR_CODES } from './errors.js';
import { flattenRecord } from './flatten.js';

/** What `lockout scan --org` scans: records streamed from the org, flattened as a Data Loader export has them. */
export interface OrgScanSource {
  label: string;
  object: string;
  records: AsyncIterable<FlatRecord>;
  /** Call after the scan succeeded: advances the `--since-last` watermark of the object. */
  onSuccess(): Promise<void>;
}

export interface OrgScanOptions {
  object: string;
  where?: string;
  fields?: string[];
  sinceLast: boolean;
}

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const FIELD_PATH = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;
/** Field types a Bulk query cannot select or the scanner cannot read. */
const SKIP_TYPES = new Set(['address', 'location', 'base64', 'anyType', 'complexvalue', 'json']);
const REST_PAGE = 2000;
const BULK_PAGE = 10_000;

/**
 * Default fields: Id plus every field of the object the scanner maps to a role (config `scan.fields` included),
 * and parent `Name` fields it maps (e.g. `Account.Name` on Contact).
 */
export function defaultScanFields(d: SObjectDescribe, extra: Record<string, string>): string[] {
  const candidates = [
    'Id',
    ...d.fields.filter((f) => !SKIP_TYPES.has(f.type) && f.name !== 'Id').map((f) => f.name),
    ...d.fields.filter((f) => f.type === 'reference' && f.relationshipName).map((f) => `${f.relationshipName}.Name`),
  ];
  const mapped = new Set(mapFields(candidates, d.name, extra).map((m) => m.field));
  return candidates.filter((c) => c === 'Id' || mapped.has(c));
}

/** The SOQL of a scan (pure). `since` is an ISO datetime; SystemModstamp is compared at whole seconds. */
export function scanSoql(object: string, fields: readonly string[], where: string | undefined, since: string | null) {
  const conditions: string[] = [];
  if (where?.trim()) conditions.push(`(${where.trim()})`);
  if (since) conditions.push(`SystemModstamp >= ${since.replace(/\.\d+Z$/, 'Z')}`);
  const clause = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  return {
    select: `SELECT ${fields.join(', ')} FROM ${object}${clause}`,
    count: `SELECT COUNT() FROM ${object}${clause}`,
  };
}

function readWatermark(ctx: Context, orgId: string, object: string): string | null {
  const row = ctx
    .store()
    .db.prepare('SELECT watermark FROM org_scan_watermark WHERE org_id = ? AND object = ?')
    .get(orgId, object) as { watermark: string } | undefined;
  return row?.watermark ?? null;
}

/** A query error caused by the user's --where or --fields is bad input (exit 2), naming the flag. */
function asUsage(e: unknown, opts: OrgScanOptions): never {
  if (e instanceof OrgApiError && QUERY_ERROR_CODES.has(e.code)) {
    const flag = opts.where && e.code !== 'INVALID_TYPE' ? '--where/--fields' : '--object/--fields';
    throw new UsageError(`${flag}: the org rejected the query: ${e.message}`);
  }
  throw e;
}

/**
 * Open `lockout scan --org`: connect with the command's org flags, pick the fields, count, check the API budget,
 * then stream records through REST query (small sets) or a Bulk API 2.0 query (above config org.bulkThreshold).
 */
export async function openOrgScanSource(ctx: Context, opts: OrgScanOptions): Promise<OrgScanSource> {
  const object = opts.object.trim();
  if (!API_NAME.test(object)) throw new UsageError(`--object: not an sObject API name: "${opts.object}"`);
  for (const f of opts.fields ?? []) {
    if (!FIELD_PATH.test(f)) throw new UsageError(`--fields: not a field API name: "${f}"`);
  }
  const config = ctx.config();
  const client: OrgClient = await connectOrg(ctx);
  const orgConfig = resolveOrgConfig(ctx, ctx.flags as OrgFlags);

  let describe: SObjectDescribe;
  try {
    describe = await client.describe(object);
  } catch (e) {
    if (e instanceof OrgApiError && ['NOT_FOUND', 'INVALID_TYPE'].includes(e.code)) {
      throw new UsageError(`--object ${object}: the org has no such sObject type`);
    }
    throw e;
  }
  const fields = opts.fields?.length
    ? [...new Set(['Id', ...opts.fields])]
    : defaultScanFields(describe, config.scan.fields);

  let orgId: string | null = null;
  let since: string | null = null;
  if (opts.sinceLast) {
    orgId = (await client.identity()).orgId;
    since = readWatermark(ctx, orgId, object);
  }
  const hasModstamp = describe.fields.some((f) => f.name === 'SystemModstamp');
  if (opts.sinceLast && !hasModstamp) {
    throw new UsageError(`--since-last: ${object} has no SystemModstamp field to track changes by`);
  }
  const trackModstamp = hasModstamp && !fields.some((f) => f.toLowerCase() === 'systemmodstamp');
  const selected = trackModstamp ? [...fields, 'SystemModstamp'] : fields;
  const soql = scanSoql(object, selected, opts.where, since);

  let total: number;
  try {
    total = await client.count(soql.count);
  } catch (e) {
    asUsage(e, opts);
  }
  const bulk = total > orgConfig.bulkThreshold;
  // Bulk: create, a few polls, the pages, delete. REST: one call per 2000 records.
  const needed = bulk ? 8 + Math.ceil(total / BULK_PAGE) : Math.max(1, Math.ceil(total / REST_PAGE));
  await client.ensureBudget(needed, `scanning ${total} ${object} records`);

  let newest: string | null = null;
  let seen = 0;
  const modstampKey = fields.find((f) => f.toLowerCase() === 'systemmodstamp') ?? 'SystemModstamp';
  async function* records(): AsyncGenerator<FlatRecord> {
    const source: AsyncIterable<FlatRecord> = bulk
      ? client.bulkQuery(soql.select, { pageSize: BULK_PAGE })
      : (async function* () {
          for await (const r of client.query(soql.select)) yield flattenRecord(r, selected);
        })();
    try {
      for await (const rec of source) {
        seen += 1;
        const stamp = rec[modstampKey] ?? null;
        if (stamp) {
          const iso = new Date(stamp).toISOString();
          if (!Number.isNaN(Date.parse(stamp)) && (newest === null || iso > newest)) newest = iso;
        }
        if (trackModstamp) {
          const { [modstampKey]: _drop, ...rest } = rec;
          yield rest;
        } else {
          yield rec;
        }
      }
    } catch (e) {
      asUsage(e, opts);
    }
  }

  return {
    label: `org:${object}`,
    object: describe.name,
    records: records(),
    async onSuccess() {
      // A scan limited by --where covers only part of the object: it moves the watermark only with --since-last.
      if (!opts.sinceLast && opts.where?.trim()) return;
      if (newest === null) return;
      orgId ??= (await client.identity()).orgId;
      ctx
        .store()
        .db.prepare(
          `INSERT INTO org_scan_watermark (org_id, object, watermark, records, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (org_id, object) DO UPDATE SET watermark = excluded.watermark, records = excluded.records,
             updated_at = excluded.updated_at
           WHERE excluded.watermark >= org_scan_watermark.watermark`,
        )
        .run(orgId, object, newest, seen, ctx.now().toISOString());
    },
  };
}
