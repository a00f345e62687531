import type { ChainedEntry } from '../store/chain.js';
import type { Config } from '../config/schema.js';
import { foldIncidents, type Incident } from '../incident/model.js';
import { foldAssessment, type Assessment, type Fact } from '../incident/assess.js';
import { authorityMap, type AuthorityMap, type AuthorityName } from './authority.js';
import { computeClocks, type Clock } from './clocks.js';
import { arr, counts, EEA, isObj, num, numericFacts, pick, str, type Obj } from './util.js';

/**
 * The report model: a pure function of the incident's evidence entries, the controller's static facts from config
 * and a few values the command reads (log state, time, tool version). Every renderer (md, html, json) renders this
 * model and nothing else; the JSON format is this model as is (docs/report.schema.json).
 */

export const REPORT_FORMAT = 'lockout-report/v1';
export const PHASES = ['initial', 'follow-up', 'final'] as const;
export type Phase = (typeof PHASES)[number];
export const LEVELS = ['high', 'medium', 'low'] as const;
export type Level = (typeof LEVELS)[number];

/** Where a statement comes from: evidence entries (by seq), the config file, derived from entries, or nothing. */
export interface Stated<T> {
  value: T | null;
  from: 'evidence' | 'config' | 'derived' | 'none';
  seqs: number[];
}

export interface Party {
  name: string | null;
  email: string | null;
  phone: string | null;
}

export interface TimelineRow {
  seq: number;
  ts: string;
  actor: string;
  kind: string;
  summary: string;
  hash: string;
}

export interface Measure {
  type: string;
  title: string;
  start: string;
  end: string;
  actors: string[];
  approver: string | null;
  reason: string | null;
  scope: string[];
  result: string[];
  seqs: number[];
}

export interface ScanRun {
  seq: number;
  ts: string;
  object: string | null;
  recordsRead: number | null;
  byLevel: Record<Level, number>;
  rulesVersion: string | null;
  durationMs: number | null;
  inputs: { name: string; sha256: string | null; rows: number | null }[];
  /** Population (cohort) findings: rule and size only; the cohort's key and message can hold personal values. */
  cohorts: { rule: string; members: number | null }[];
}

export interface FlaggedRecord {
  id: string;
  object: string | null;
  level: string | null;
  score: number | null;
  rules: string[];
  country: string | null;
  createdDate: string | null;
  createdById: string | null;
  seq: number;
}

export interface Notice {
  to: string;
  name: string | null;
  stage: string | null;
  at: string;
  reference: string | null;
  seq: number;
  actor: string;
}

export interface Gap {
  section: string;
  missing: string;
  record: string;
}

export interface IntegrityInput {
  dbPath: string;
  origin: string;
  schemaVersion: number;
  canonicalization: string;
  hashAlgorithm: string;
  domain: string;
  size: number;
  head: string;
  /** The checkpoint text (formatCheckpoint), signed when a key was given. */
  checkpoint: string;
  signed: boolean;
  /** sha256 of the public key (SPKI DER), when signed. */
  keyFingerprint: string | null;
}

export interface PreviousReport {
  seq: number;
  ts: string;
  sha256: string;
  phase: string | null;
  format: string | null;
  version: number | null;
}

export interface ReportInput {
  incidentId: string;
  /** The incident's entries, in seq order. */
  entries: readonly ChainedEntry[];
  controller: Config['controller'];
  phase: Phase;
  format: 'md' | 'html' | 'json';
  aggregateOnly: boolean;
  map: AuthorityName | null;
  /** When the report is generated (ISO); clocks are measured against it. */
  now: string;
  toolVersion: string;
  integrity: IntegrityInput;
  previous: PreviousReport | null;
  /** Report version: 1 + the number of earlier reports of this incident in this format. */
  version: number;
}

export interface ReportModel {
  format: typeof REPORT_FORMAT;
  generatedAt: string;
  tool: { name: 'lockout'; version: string };
  options: { format: string; aggregateOnly: boolean; map: AuthorityName | null };
  reportType: {
    phase: Phase;
    version: number;
    supersedes: PreviousReport | null;
    saReference: Stated<string>;
  };
  incident: {
    id: string;
    title: string;
    severity: number;
    status: string;
    openedAt: string;
    openedBy: string;
    closedAt: string | null;
    closingSummary: string | null;
    summary: string | null;
    seq: number;
  };
  controller: {
    name: Stated<string>;
    registrationNumber: Stated<string>;
    establishment: Stated<string>;
    address: Stated<string>;
    legalRepresentative: Stated<string>;
    leadSupervisoryAuthority: Stated<string>;
    csirt: Stated<string>;
    competentAuthority: Stated<string>;
    memberStatesConcerned: Stated<string[]>;
    dpo: Stated<Party>;
    contact: Stated<Party>;
    processingActivities: Stated<string[]>;
    regimes: { gdpr: true; nis2: boolean; nis2Entity: string | null; dora: boolean };
  };
  timestamps: {
    occurredAt: Stated<string>;
    occurredUntil: Stated<string>;
    detectedAt: Stated<string>;
    awareAt: Stated<string>;
    awareBasis: Stated<string>;
    classifiedAt: Stated<string>;
    resolvedAt: Stated<string>;
    openedAt: Stated<string>;
    closedAt: Stated<string>;
    delayReason: Stated<string>;
  };
  clocks: Clock[];
  nature: {
    types: Stated<string[]>;
    description: Stated<string>;
    ingestion: Stated<string>;
    cyber: Stated<string>;
    malicious: Stated<string>;
    crossBorder: Stated<string>;
    personalDataBreach: Stated<string>;
    classificationBasis: Stated<string>;
    rulesFired: { rule: string; count: number }[];
  };
  subjects: {
    subjectCategories: Stated<string[]>;
    dataCategories: Stated<string[]>;
    scans: ScanRun[];
    recordsRead: number | null;
    flagged: number;
    byLevel: Record<Level, number>;
    byObject: { object: string; high: number; medium: number; low: number; total: number }[];
    byCountry: { country: string; eea: boolean; total: number }[];
    /** Flagged records by hour of creation, within the busiest window of at most HOUR_WINDOW hours. */
    createdPerHour: { hour: string; high: number; medium: number; low: number }[];
    /** Flagged records created outside that window (older seeded or later records). */
    createdOutsideWindow: { records: number; earliest: string | null; latest: string | null };
    existingRecordsAltered: Stated<number>;
    /** Records in rollback scope, per object and action (from rollback.planned). */
    rollbackScope: { object: string; actions: Record<string, number>; seq: number }[];
    approximateSubjects: { value: number | null; basis: string };
  };
  fieldsAltered: {
    field: string;
    count: number | null;
    restored: number | null;
    unrecoverable: number | null;
    seqs: number[];
  }[];
  consequences: {
    risk: Stated<string>;
    likelihood: Stated<string>;
    consequences: Stated<string>;
    riskFactors: Stated<string>;
    impact: Stated<string>;
    recovery: Stated<string>;
    nis2Significant: Stated<string>;
    doraMajor: Stated<string>;
    decision: Stated<{ decision: string; decidedBy: string; reason: string; at: string; recordedBy: string }>;
    decisionHistory: { decision: string; decidedBy: string; reason: string; at: string; seq: number }[];
  };
  measures: Measure[];
  measuresProposed: Stated<string>;
  communication: Stated<{
    status: string;
    at: string | null;
    channel: string | null;
    exemption: string | null;
    reason: string | null;
  }>;
  notices: Notice[];
  aiProvenance: {
    generated: Stated<string>;
    method: Stated<string>;
    evidence: Stated<string>;
    generator: Stated<string>;
    markMissing: Stated<string>;
    consumers: Stated<string>;
    highRisk: Stated<string>;
    heuristicSignals: { rule: string; count: number }[];
    verdict: string;
  };
  impact: {
    servicesAffected: Stated<string>;
    duration: Stated<string>;
    costs: Stated<string>;
    staffInvolvement: Stated<string>;
  };
  review: { rootCause: Stated<string>; lessons: Stated<string>; recurrence: Stated<string> };
  notes: { seq: number; ts: string; actor: string; text: string | null }[];
  timeline: TimelineRow[];
  /** Record-level annex; null with --aggregate-only. */
  flaggedRecords: FlaggedRecord[] | null;
  authorityMap: AuthorityMap | null;
  gaps: Gap[];
  integrity: {
    dbPath: string;
    origin: string;
    schemaVersion: number;
    canonicalization: string;
    hashAlgorithm: string;
    domain: string;
    entryCount: number;
    incidentEntryCount: number;
    head: { seq: number; hash: string };
    verified: boolean;
    checkpoint: { text: string; signed: boolean; keyFingerprint: string | null };
    recordedAs: { seq: number; kind: 'report.generated' };
    commands: { purpose: string; command: string }[];
    clockSource: string;
  };
}

const none = <T>(): Stated<T> => ({ value: null, from: 'none', seqs: [] });
const fromFact = <T>(f: Fact<T> | undefined): Stated<T> =>
  f ? { value: f.value, from: 'evidence', seqs: [f.seq] } : none<T>();
const fromConfig = <T>(v: T | undefined | null): Stated<T> =>
  v === undefined || v === null || (Array.isArray(v) && v.length === 0)
    ? none<T>()
    : { value: v, from: 'config', seqs: [] };
const derived = <T>(v: T | null, seqs: number[]): Stated<T> =>
  v === null ? none<T>() : { value: v, from: 'derived', seqs: [...new Set(seqs)].sort((a, b) => a - b) };

const family = (kind: string): string => kind.split('.')[0] ?? kind;
const levelOf = (v: unknown): Level | null => {
  const s = typeof v === 'string' ? v.toLowerCase() : '';
  return (LEVELS as readonly string[]).includes(s) ? (s as Level) : null;
};
const zeroLevels = (): Record<Level, number> => ({ high: 0, medium: 0, low: 0 });

/** Read scan runs and flagged records from `scan.completed` entries (tolerant of shape). */
function readScans(entries: readonly ChainedEntry[]): {
  scans: ScanRun[];
  flagged: FlaggedRecord[];
  rules: Map<string, number>;
} {
  const scans: ScanRun[] = [];
  const flaggedById = new Map<string, FlaggedRecord>();
  const rules = new Map<string, number>();
  for (const e of entries) {
    if (e.kind !== 'scan.completed') continue;
    const p = e.payload as Obj;
    const s = isObj(p.summary) ? p.summary : p;
    const byLevel = zeroLevels();
    const lv = counts(s, 'findings.byLevel', 'byLevel', 'levels', 'findingsByLevel', 'findings');
    for (const l of LEVELS) byLevel[l] = lv.get(l) ?? 0;
    for (const [r, n] of counts(s, 'findings.byRule', 'byRule', 'rules', 'findingsByRule'))
      rules.set(r, (rules.get(r) ?? 0) + n);
    scans.push({
      seq: e.seq,
      ts: e.ts,
      object: str(s, 'object') ?? str(p, 'object'),
      recordsRead: num(s, 'recordsRead', 'records', 'read'),
      byLevel,
      rulesVersion: str(s, 'rulesVersion'),
      durationMs: num(s, 'durationMs', 'duration'),
      inputs: arr(s, 'inputs')
        .filter(isObj)
        .map((i) => ({
          name: str(i, 'path', 'name', 'file', 'source') ?? '(unnamed)',
          sha256: str(i, 'sha256'),
          rows: num(i, 'rows', 'rowCount', 'records'),
        })),
      cohorts: arr(s, 'cohorts')
        .filter(isObj)
        .map((c) => ({ rule: str(c, 'rule') ?? '(unknown rule)', members: num(c, 'members', 'size', 'count') })),
    });
    for (const r of arr(p, 'flagged', 'records', 'flaggedRecords')) {
      if (!isObj(r)) continue;
      const id = str(r, 'id', 'Id');
      if (id === null) continue;
      const rec: FlaggedRecord = {
        id,
        object: str(r, 'object') ?? str(s, 'object'),
        level: str(r, 'level'),
        score: num(r, 'score'),
        rules: arr(r, 'rules')
          .map((x) => (typeof x === 'string' ? x : (str(x, 'id', 'rule') ?? '')))
          .filter(Boolean),
        country: str(r, 'country'),
        createdDate: str(r, 'createdDate', 'CreatedDate'),
        createdById: str(r, 'createdById', 'CreatedById'),
        seq: e.seq,
      };
      // A record flagged by several scans counts once; the latest scan's view of it stands.
      flaggedById.set(`${rec.object ?? ''}\u0000${id}`, rec);
    }
  }
  return { scans, flagged: [...flaggedById.values()], rules };
}

const MEASURE_TYPES: Record<string, { type: string; title: string }> = {
  isolate: { type: 'isolation', title: 'Isolation of the integration (containment)' },
  snapshot: { type: 'snapshot', title: 'Snapshot of affected records (before-images)' },
  verify: { type: 'verification', title: 'Verification' },
  rollback: { type: 'rollback', title: 'Rollback: rectification and erasure of affected data' },
  playbook: { type: 'playbook', title: 'Playbook run' },
  drill: { type: 'drill', title: 'Drill' },
};

/** Facts as "key value"; zero counts are left out except for the ones whose zero is the news (failures). */
const fmtFacts = (facts: [string, number | boolean][]): string[] =>
  facts
    .filter(([k, v]) => v !== 0 || /(fail|conflict|mismatch|error|refused)/i.test(k))
    .map(([k, v]) => `${k.replace(/ \(items\)$/, '')} ${v}`);

/** Entry kinds that start a new measure of their family (a new plan, a new snapshot, a new run). */
const STARTS_MEASURE =
  /^(isolate\.(planned|refused|undo\.planned)|snapshot\.created|verify\.completed|rollback\.planned|playbook\.started|drill\.(started|refused))$/;
/** Entries that are not measures taken on the incident (configuration help, housekeeping). */
const NOT_A_MEASURE = new Set(['isolate.discovered', 'snapshot.pruned']);

/** Group measure entries (isolate.*, snapshot.*, verify.*, rollback.*, playbook.*, drill.*) into measures. */
function readMeasures(entries: readonly ChainedEntry[]): Measure[] {
  const groups: { family: string; list: ChainedEntry[] }[] = [];
  const open = new Map<string, { family: string; list: ChainedEntry[] }>();
  for (const e of entries) {
    const f = family(e.kind);
    if (!(f in MEASURE_TYPES) || NOT_A_MEASURE.has(e.kind)) continue;
    let g = open.get(f);
    if (!g || STARTS_MEASURE.test(e.kind)) {
      g = { family: f, list: [] };
      groups.push(g);
      open.set(f, g);
    }
    g.list.push(e);
  }
  const out: Measure[] = [];
  for (const { family: f, list } of groups) {
    const t = MEASURE_TYPES[f]!;
    const first = list[0]!;
    const last = list[list.length - 1]!;
    let approver: string | null = null;
    let reason: string | null = null;
    const scope: string[] = [];
    const result: string[] = [];
    for (const e of list) {
      const p = e.payload;
      approver ??= str(p, 'approvedBy', 'approver', 'approval.by', 'plan.approval.by', 'options.approvedBy');
      reason ??= str(p, 'approval.reason', 'reason', 'plan.approval.reason', 'options.reason', 'trigger.why');
      const actions = arr(p, 'plan.actions', 'actions');
      const verb = e.kind.split('.').slice(1).join('.');
      if (/(^|\.)planned$/.test(verb) || (actions.length && !/(action|batch)$/.test(verb))) {
        const byAction = new Map<string, number>();
        for (const a of actions) {
          // Targets already in the wanted state are not changes.
          if (isObj(a) && a.change === false) continue;
          const k = str(a, 'kind', 'action', 'type');
          if (k) byAction.set(k, (byAction.get(k) ?? 0) + 1);
        }
        const facts = fmtFacts(numericFacts(p)).filter((x) => !/^(preState|estimate|apiCalls|options)\./.test(x));
        scope.push(
          `#${e.seq} ${verb}: ${byAction.size ? [...byAction].map(([k, n]) => `${k} ×${n}`).join(', ') : facts.slice(0, 10).join('; ')}`,
        );
      } else if (/(completed|applied|undone|done|finished|created|verified|refused)$/.test(verb)) {
        const state = str(p, 'state', 'status', 'outcome');
        const facts = fmtFacts(numericFacts(p)).filter((x) => !/^apiCalls\./.test(x));
        const why = verb === 'refused' ? str(p, 'reason') : null;
        result.push(
          `#${e.seq} ${verb}${state ? ` (${state})` : ''}${facts.length ? `: ${facts.slice(0, 12).join('; ')}` : ''}${why ? `; ${why}` : ''}`,
        );
      }
    }
    if (!result.length && list.length > 1) {
      const facts = fmtFacts(numericFacts(last.payload));
      result.push(`#${last.seq} ${last.kind}${facts.length ? `: ${facts.slice(0, 12).join('; ')}` : ''}`);
    }
    out.push({
      type: t.type,
      title:
        first.kind.includes('.undo.') || str(first.payload, 'kind') === 'undo'
          ? `Undo: ${t.title.toLowerCase()}`
          : t.title,
      start: first.ts,
      end: last.ts,
      actors: [...new Set(list.map((e) => e.actor))],
      approver,
      reason,
      scope,
      result,
      seqs: list.map((e) => e.seq),
    });
  }
  return out;
}

/**
 * Field names altered, restored and unrecoverable: names and counts only, never values. Changed counts come from
 * the latest `verify.completed` per object (snapshot against the org: fieldCounts, i.e. records whose field differs
 * from the snapshot); restored counts from the records rollback batches
 * wrote successfully (each record once per run); unrecoverable from the rollback plan.
 */
function readFields(entries: readonly ChainedEntry[]): ReportModel['fieldsAltered'] {
  const fields = new Map<
    string,
    { count: number | null; restored: number | null; unrecoverable: number | null; seqs: Set<number> }
  >();
  const get = (f: string) => {
    let v = fields.get(f);
    if (!v) fields.set(f, (v = { count: null, restored: null, unrecoverable: null, seqs: new Set() }));
    return v;
  };
  const restoredSeen = new Set<string>();
  const latestVerify = new Map<string, ChainedEntry>();
  for (const e of entries) {
    const p = e.payload;
    // The latest snapshot verify per object stands (an earlier one is superseded by re-verifying).
    if (e.kind === 'verify.completed' && str(p, 'mode') !== 'manifest') latestVerify.set(str(p, 'object') ?? '', e);
    if (e.kind === 'rollback.planned' || e.kind === 'rollback.completed') {
      const unrec = counts(p, 'unrecoverable', 'unrecoverableFields');
      for (const [k, n] of unrec) {
        const v = get(k);
        v.unrecoverable = n;
        v.seqs.add(e.seq);
      }
    }
    if (e.kind === 'rollback.batch' && str(p, 'kind') !== 'undo') {
      const run = str(p, 'runId') ?? '';
      for (const r of arr(p, 'records')) {
        if (!isObj(r) || r.ok !== true || r.action !== 'restore') continue;
        const id = str(r, 'id') ?? '';
        for (const f of arr(r, 'fields')) {
          if (typeof f !== 'string') continue;
          const key = `${run}\u0000${id}\u0000${f}`;
          if (restoredSeen.has(key)) continue;
          restoredSeen.add(key);
          const v = get(f);
          v.restored = (v.restored ?? 0) + 1;
          v.seqs.add(e.seq);
        }
      }
    }
  }
  for (const e of latestVerify.values()) {
    for (const [k, n] of counts(e.payload, 'fieldCounts')) {
      const v = get(k);
      v.count = (v.count ?? 0) + n;
      v.seqs.add(e.seq);
    }
  }
  return [...fields]
    .filter(([field]) => !SYSTEM_FIELDS.has(field))
    .map(([field, v]) => ({
      field,
      count: v.count,
      restored: v.restored,
      unrecoverable: v.unrecoverable,
      seqs: [...v.seqs].sort((a, b) => a - b),
    }))
    .sort((a, b) => (b.count ?? b.restored ?? 0) - (a.count ?? a.restored ?? 0) || a.field.localeCompare(b.field));
}

/**
 * Existing records whose fields were restored (real records the integration had altered). From the rollback
 * batches when there are any (each settled record appears once with ok: true; undo runs excluded), else from the
 * plan's restore count.
 */
function readAltered(entries: readonly ChainedEntry[]): Stated<number> {
  const restored = new Set<string>();
  const seqs: number[] = [];
  for (const e of entries) {
    if (e.kind !== 'rollback.batch' || str(e.payload, 'kind') === 'undo') continue;
    const run = str(e.payload, 'runId') ?? '';
    let used = false;
    for (const r of arr(e.payload, 'records')) {
      if (!isObj(r) || r.ok !== true || r.action !== 'restore') continue;
      restored.add(`${run}\u0000${str(r, 'id') ?? ''}`);
      used = true;
    }
    if (used) seqs.push(e.seq);
  }
  if (restored.size) return derived(restored.size, seqs);
  let best: Stated<number> = none();
  for (const e of entries) {
    if (e.kind !== 'rollback.planned' || str(e.payload, 'kind') === 'undo') continue;
    const n = num(e.payload, 'byAction.restore', 'counts.restore');
    if (n !== null) best = derived(n, [e.seq]);
  }
  return best;
}

const KIND_LABELS: Record<string, string> = {
  'incident.opened': 'Incident opened',
  'incident.noted': 'Note',
  'incident.assessed': 'Assessment recorded',
  'incident.selected': 'Incident selected as current',
  'incident.closed': 'Incident closed',
  'scan.completed': 'Scan completed',
  'report.generated': 'Report generated',
};

/** One line per entry for the timeline; personal values never appear (counts, kinds and field names only). */
function summarise(e: ChainedEntry, aggregateOnly: boolean): string {
  const p = e.payload as Obj;
  switch (e.kind) {
    case 'incident.opened':
      return `Incident opened: "${str(p, 'title') ?? ''}" (severity ${num(p, 'severity') ?? '?'}); aware at ${str(p, 'awareAt') ?? e.ts} (${str(p, 'awareBasis') ?? 'basis not recorded'})`;
    case 'incident.noted':
      return aggregateOnly ? 'Note (text withheld: aggregate-only report)' : `Note: ${str(p, 'text') ?? ''}`;
    case 'incident.assessed': {
      const keys = Object.keys(p).map((k) =>
        k === 'notice'
          ? `notice to ${str(p, 'notice.to')}${str(p, 'notice.stage') ? ` (${str(p, 'notice.stage')})` : ''}`
          : k === 'decision'
            ? `decision: ${str(p, 'decision.decision')}`
            : k,
      );
      return `Assessment recorded: ${keys.join(', ')}`;
    }
    case 'incident.closed':
      return `Incident closed: ${str(p, 'summary') ?? ''}`;
    case 'scan.completed': {
      const s = isObj(p.summary) ? p.summary : p;
      const lv = counts(s, 'findings.byLevel', 'byLevel', 'levels', 'findingsByLevel', 'findings');
      return `Scan completed${str(s, 'object') ? ` (${str(s, 'object')})` : ''}: ${num(s, 'recordsRead', 'records', 'read') ?? '?'} records read; high ${lv.get('high') ?? 0}, medium ${lv.get('medium') ?? 0}, low ${lv.get('low') ?? 0}`;
    }
    case 'report.generated':
      return `Report generated: ${str(p, 'phase') ?? ''} ${str(p, 'format') ?? ''} v${num(p, 'version') ?? '?'}, sha256 ${str(p, 'sha256') ?? '?'}`;
    // Which action and which step: without these the row says only its kind. Targets are named by type only.
    case 'isolate.action':
      return `Isolation action ${str(p, 'kind') ?? '?'}${str(p, 'target.type') ? ` (${str(p, 'target.type')})` : ''}: ${str(p, 'status') ?? '?'}`;
    case 'playbook.started':
      return `Playbook ${str(p, 'playbook') ?? '?'} started (${str(p, 'run') ?? '?'}, ${num(p, 'steps') ?? '?'} steps)`;
    case 'playbook.step.started':
      return `Playbook step ${str(p, 'step') ?? '?'} started: ${str(p, 'title') ?? ''}${str(p, 'owner') ? ` (owner ${str(p, 'owner')})` : ''}`;
    case 'playbook.step.completed': {
      const decision = str(p, 'decision');
      const by = str(p, 'decidedBy');
      const code = num(p, 'exitCode');
      // Free text (reason, evidence) is withheld from aggregate-only reports, like notes.
      const text = aggregateOnly ? undefined : (str(p, 'evidence') ?? str(p, 'reason'));
      return [
        `Playbook step ${str(p, 'step') ?? '?'}: ${str(p, 'outcome') ?? '?'}`,
        decision ? `; decision ${decision}${by ? ` by ${by}` : ''}${str(p, 'role') ? ` (${str(p, 'role')})` : ''}` : '',
        code !== null ? `; exit ${code}` : '',
        text ? `; ${text}` : '',
      ].join('');
    }
  }
  const facts = fmtFacts(numericFacts(p)).slice(0, 8);
  const who = str(p, 'approvedBy', 'approver');
  return `${KIND_LABELS[e.kind] ?? e.kind}${facts.length ? `: ${facts.join('; ')}` : ''}${who ? `; approved by ${who}` : ''}`;
}

export const HOUR_WINDOW = 72;

/** The busiest run of at most HOUR_WINDOW consecutive hours, and what falls outside it. */
function hourWindow(rows: { hour: string; high: number; medium: number; low: number }[]): {
  createdPerHour: typeof rows;
  createdOutsideWindow: { records: number; earliest: string | null; latest: string | null };
} {
  const total = (r: (typeof rows)[number]) => r.high + r.medium + r.low;
  const t = rows.map((r) => Date.parse(r.hour));
  let best = { from: 0, to: 0, sum: -1 };
  let sum = 0;
  let lo = 0;
  for (let hi = 0; hi < rows.length; hi++) {
    sum += total(rows[hi]!);
    while (t[hi]! - t[lo]! >= HOUR_WINDOW * 3_600_000) sum -= total(rows[lo++]!);
    if (sum > best.sum) best = { from: lo, to: hi + 1, sum };
  }
  const inside = rows.slice(best.from, best.to);
  const outside = [...rows.slice(0, best.from), ...rows.slice(best.to)];
  return {
    createdPerHour: inside,
    createdOutsideWindow: {
      records: outside.reduce((n, r) => n + total(r), 0),
      earliest: outside[0]?.hour ?? null,
      latest: outside[outside.length - 1]?.hour ?? null,
    },
  };
}

/** Salesforce audit fields: they change with every write, so they say nothing about which data was altered. */
const SYSTEM_FIELDS = new Set([
  'LastModifiedById',
  'LastModifiedDate',
  'SystemModstamp',
  'CreatedById',
  'CreatedDate',
  'LastViewedDate',
  'LastReferencedDate',
  'IsDeleted',
]);

const stated = <T>(f: Fact<T> | undefined): Stated<T> => fromFact(f);

/** Build the report model. Pure: same input, same model. */
export function buildReportModel(input: ReportInput): ReportModel {
  const { entries, controller: c } = input;
  const incident: Incident | undefined = foldIncidents(entries).get(input.incidentId);
  if (!incident) throw new Error(`no incident.opened entry for ${input.incidentId}`);
  const a: Assessment = foldAssessment(entries);
  const opened = entries.find((e) => e.kind === 'incident.opened')!;
  const openedP = opened.payload as Obj;

  const { scans, flagged, rules } = readScans(entries);
  const byLevel = zeroLevels();
  const objects = new Map<string, Record<Level, number>>();
  const countries = new Map<string, number>();
  const perHour = new Map<string, Record<Level, number>>();
  if (flagged.length) {
    for (const r of flagged) {
      const l = levelOf(r.level);
      if (l) byLevel[l] += 1;
      const o = objects.get(r.object ?? '(unknown)') ?? zeroLevels();
      if (l) o[l] += 1;
      objects.set(r.object ?? '(unknown)', o);
      const cc = (r.country ?? 'unknown').trim() || 'unknown';
      countries.set(cc, (countries.get(cc) ?? 0) + 1);
      const t = r.createdDate ? new Date(r.createdDate) : null;
      if (t && !Number.isNaN(t.getTime()) && l) {
        const hour = `${t.toISOString().slice(0, 13)}:00Z`;
        const h = perHour.get(hour) ?? zeroLevels();
        h[l] += 1;
        perHour.set(hour, h);
      }
    }
  } else {
    // No record-level findings: fall back to the scans' own totals (the latest scan per object).
    const latest = new Map<string, ScanRun>();
    for (const s of scans) latest.set(s.object ?? '(unknown)', s);
    for (const [o, s] of latest) {
      for (const l of LEVELS) byLevel[l] += s.byLevel[l];
      objects.set(o, { ...s.byLevel });
    }
  }
  const flaggedTotal = LEVELS.reduce((n, l) => n + byLevel[l], 0);
  const scanSeqs = scans.map((s) => s.seq);
  const readLatest = new Map<string, number>();
  for (const s of scans) if (s.recordsRead !== null) readLatest.set(s.object ?? '(unknown)', s.recordsRead);

  const countryCodes = [...countries.keys()].map((k) => k.toUpperCase()).filter((k) => /^[A-Z]{2}$/.test(k));
  const memberStates = [
    ...new Set([...countryCodes.filter((k) => EEA.has(k)), ...(a.memberStates?.value ?? [])]),
  ].sort();

  const altered = readAltered(entries);
  const fieldsAltered = readFields(entries);
  const measures = readMeasures(entries);

  // Awareness: an assessment may revise the time stated when the incident was opened.
  const awareAt: Stated<string> = a.awareAt
    ? fromFact(a.awareAt)
    : { value: incident.awareAt, from: 'evidence', seqs: [opened.seq] };
  const awareBasis: Stated<string> = a.awareBasis
    ? fromFact(a.awareBasis)
    : { value: str(openedP, 'awareBasis') ?? 'not recorded', from: 'evidence', seqs: [opened.seq] };
  const closed = entries.find((e) => e.kind === 'incident.closed');

  const notices: Notice[] = a.notices.map((n) => ({
    to: n.value.to,
    name: n.value.name ?? null,
    stage: n.value.stage ?? null,
    at: n.value.at,
    reference: n.value.reference ?? null,
    seq: n.seq,
    actor: n.actor,
  }));

  const regimes = {
    gdpr: true as const,
    nis2: c.sectors.nis2,
    nis2Entity: c.sectors.nis2Entity ?? null,
    dora: c.sectors.dora,
  };
  const clocks = computeClocks({
    now: input.now,
    awareAt: awareAt.value!,
    awareSeqs: awareAt.seqs,
    classifiedAt: a.classifiedAt?.value ?? null,
    assessment: a,
    notices,
    regimes,
    deadlines: c.deadlines,
  });

  const decision = a.decision
    ? {
        value: { ...a.decision.value, at: a.decision.ts, recordedBy: a.decision.actor },
        from: 'evidence' as const,
        seqs: [a.decision.seq],
      }
    : none<{ decision: string; decidedBy: string; reason: string; at: string; recordedBy: string }>();

  const aiRules = [...rules].filter(([r]) => /(^|[-_.])(ai|llm|gpt|generat|synthetic-text)/i.test(r));
  const aiVerdict = (() => {
    const g = a.aiGenerated?.value;
    const m = a.aiMethod?.value;
    if (!g) {
      return aiRules.length
        ? 'not assessed; the scan found heuristic signals only, which are not authoritative'
        : 'not assessed (no evidence recorded)';
    }
    if (g === 'yes' && m === 'verified-mark') return 'AI-generated: established by a verified machine-readable mark';
    if (g === 'yes' && m === 'heuristic') return 'AI-generated (probable): heuristic score only, not authoritative';
    if (g === 'yes') return 'AI-generated: method of establishment not recorded';
    if (g === 'no') return 'not AI-generated, per the recorded assessment';
    return 'unknown: provenance could not be established';
  })();

  const durationStated: Stated<string> =
    a.occurredAt && (a.resolvedAt || a.occurredUntil)
      ? derived(`${a.occurredAt.value} to ${(a.resolvedAt ?? a.occurredUntil)!.value}`, [
          a.occurredAt.seq,
          (a.resolvedAt ?? a.occurredUntil)!.seq,
        ])
      : none();

  const subjectsApprox = (() => {
    if (altered.value !== null) {
      return {
        value: altered.value,
        basis: `existing records whose fields were restored by rollback (#${altered.seqs.join(', #')}); records the integration created are counted separately: fabricated records about non-existent people are not personal data (EDPB 9/2022 §I.B), unless they carry real identifiers`,
      };
    }
    return {
      value: null,
      basis: flaggedTotal
        ? 'not determined: no rollback result yet; flagged records may be fabricated (not personal data) or carry real identifiers'
        : 'no evidence recorded',
    };
  })();

  const model: ReportModel = {
    format: REPORT_FORMAT,
    generatedAt: input.now,
    tool: { name: 'lockout', version: input.toolVersion },
    options: { format: input.format, aggregateOnly: input.aggregateOnly, map: input.map },
    reportType: {
      phase: input.phase,
      version: input.version,
      supersedes: input.previous,
      saReference: a.saReference ? fromFact(a.saReference) : none(),
    },
    incident: {
      id: incident.id,
      title: incident.title,
      severity: incident.severity,
      status: incident.status,
      openedAt: incident.openedAt,
      openedBy: incident.openedBy,
      closedAt: incident.closedAt,
      closingSummary: incident.closingSummary,
      summary: incident.summary,
      seq: incident.seq,
    },
    controller: {
      name: fromConfig(c.name),
      registrationNumber: fromConfig(c.registrationNumber),
      establishment: fromConfig(c.establishment),
      address: fromConfig(c.address),
      legalRepresentative: fromConfig(c.legalRepresentative),
      leadSupervisoryAuthority: fromConfig(c.leadSupervisoryAuthority),
      csirt: fromConfig(c.csirt),
      competentAuthority: fromConfig(c.competentAuthority),
      memberStatesConcerned: memberStates.length
        ? derived(memberStates, [...scanSeqs, ...(a.memberStates ? [a.memberStates.seq] : [])])
        : none(),
      dpo:
        c.dpo.name || c.dpo.email
          ? fromConfig({ name: c.dpo.name ?? null, email: c.dpo.email ?? null, phone: c.dpo.phone ?? null })
          : none(),
      contact:
        c.contact.name || c.contact.email
          ? fromConfig({ name: c.contact.name ?? null, email: c.contact.email ?? null, phone: c.contact.phone ?? null })
          : none(),
      processingActivities: fromConfig(c.processingActivities),
      regimes,
    },
    timestamps: {
      occurredAt: stated(a.occurredAt),
      occurredUntil: stated(a.occurredUntil),
      detectedAt: stated(a.detectedAt),
      awareAt,
      awareBasis,
      classifiedAt: stated(a.classifiedAt),
      resolvedAt: stated(a.resolvedAt),
      openedAt: { value: incident.openedAt, from: 'evidence', seqs: [opened.seq] },
      closedAt: closed ? { value: closed.ts, from: 'evidence', seqs: [closed.seq] } : none(),
      delayReason: stated(a.delayReason),
    },
    clocks,
    nature: {
      types: stated(a.nature),
      description: a.description
        ? fromFact(a.description)
        : incident.summary
          ? { value: incident.summary, from: 'evidence', seqs: [opened.seq] }
          : none(),
      ingestion: stated(a.ingestion),
      cyber: stated(a.cyber),
      malicious: stated(a.malicious),
      crossBorder: stated(a.crossBorder),
      personalDataBreach: stated(a.personalDataBreach),
      classificationBasis: stated(a.classificationBasis),
      rulesFired: [...rules]
        .map(([rule, count]) => ({ rule, count }))
        .sort((x, y) => y.count - x.count || x.rule.localeCompare(y.rule)),
    },
    subjects: {
      subjectCategories: stated(a.subjectCategories),
      dataCategories: stated(a.dataCategories),
      scans,
      recordsRead: readLatest.size ? [...readLatest.values()].reduce((x, y) => x + y, 0) : null,
      flagged: flaggedTotal,
      byLevel,
      byObject: [...objects]
        .map(([object, l]) => ({ object, ...l, total: l.high + l.medium + l.low }))
        .sort((x, y) => y.total - x.total || x.object.localeCompare(y.object)),
      byCountry: [...countries]
        .map(([country, total]) => ({ country, eea: EEA.has(country.toUpperCase()), total }))
        .sort((x, y) => y.total - x.total || x.country.localeCompare(y.country)),
      ...hourWindow([...perHour].map(([hour, l]) => ({ hour, ...l })).sort((x, y) => x.hour.localeCompare(y.hour))),
      existingRecordsAltered: altered,
      rollbackScope: entries
        .filter((e) => e.kind === 'rollback.planned' && isObj(pick(e.payload, 'counts')))
        .flatMap((e) =>
          Object.entries(pick(e.payload, 'counts') as Obj)
            .filter(([, v]) => isObj(v))
            .map(([object, v]) => ({
              object,
              actions: Object.fromEntries(Object.entries(v as Obj).filter(([, n]) => typeof n === 'number')) as Record<
                string,
                number
              >,
              seq: e.seq,
            })),
        ),
      approximateSubjects: subjectsApprox,
    },
    fieldsAltered,
    consequences: {
      risk: stated(a.risk),
      likelihood: stated(a.likelihood),
      consequences: stated(a.consequences),
      riskFactors: stated(a.riskFactors),
      impact: stated(a.impact),
      recovery: stated(a.recovery),
      nis2Significant: stated(a.nis2Significant),
      doraMajor: stated(a.doraMajor),
      decision,
      decisionHistory: a.decisions.map((d) => ({
        decision: d.value.decision,
        decidedBy: d.value.decidedBy,
        reason: d.value.reason,
        at: d.ts,
        seq: d.seq,
      })),
    },
    measures,
    measuresProposed: stated(a.measuresProposed),
    communication: a.communication
      ? {
          value: {
            status: a.communication.value.status,
            at: a.communication.value.at ?? null,
            channel: a.communication.value.channel ?? null,
            exemption: a.communication.value.exemption ?? null,
            reason: a.communication.value.reason ?? null,
          },
          from: 'evidence',
          seqs: [a.communication.seq],
        }
      : none(),
    notices,
    aiProvenance: {
      generated: stated(a.aiGenerated),
      method: stated(a.aiMethod),
      evidence: stated(a.aiEvidence),
      generator: stated(a.aiGenerator),
      markMissing: stated(a.aiMarkMissing),
      consumers: stated(a.aiConsumers),
      highRisk: stated(a.aiHighRisk),
      heuristicSignals: aiRules.map(([rule, count]) => ({ rule, count })),
      verdict: aiVerdict,
    },
    impact: {
      servicesAffected: stated(a.servicesAffected),
      duration: durationStated,
      costs: stated(a.costs),
      staffInvolvement: a.staffInvolvement ? fromFact(a.staffInvolvement) : fromConfig(c.staffTraining),
    },
    review: { rootCause: stated(a.rootCause), lessons: stated(a.lessons), recurrence: stated(a.recurrence) },
    notes: incident.notes.map((n) => ({
      seq: n.seq,
      ts: n.ts,
      actor: n.actor,
      text: input.aggregateOnly ? null : n.text,
    })),
    timeline: entries.map((e) => ({
      seq: e.seq,
      ts: e.ts,
      actor: e.actor,
      kind: e.kind,
      summary: summarise(e, input.aggregateOnly),
      hash: e.hash,
    })),
    flaggedRecords: input.aggregateOnly
      ? null
      : flagged.sort((x, y) => (x.object ?? '').localeCompare(y.object ?? '') || x.id.localeCompare(y.id)),
    authorityMap: null,
    gaps: [],
    integrity: {
      dbPath: input.integrity.dbPath,
      origin: input.integrity.origin,
      schemaVersion: input.integrity.schemaVersion,
      canonicalization: input.integrity.canonicalization,
      hashAlgorithm: input.integrity.hashAlgorithm,
      domain: input.integrity.domain,
      entryCount: input.integrity.size,
      incidentEntryCount: entries.length,
      head: { seq: input.integrity.size, hash: input.integrity.head },
      verified: true,
      checkpoint: {
        text: input.integrity.checkpoint,
        signed: input.integrity.signed,
        keyFingerprint: input.integrity.keyFingerprint,
      },
      recordedAs: { seq: input.integrity.size + 1, kind: 'report.generated' },
      commands: verifyCommands(input),
      clockSource: 'system clock of the machine that ran each command (UTC, ISO 8601 with milliseconds)',
    },
  };
  model.gaps = findGaps(model);
  model.authorityMap = input.map ? authorityMap(input.map, model) : null;
  return model;
}

function verifyCommands(input: ReportInput): { purpose: string; command: string }[] {
  const db = shellQuote(input.integrity.dbPath);
  const { size, head } = input.integrity;
  return [
    { purpose: 'walk the whole chain (exit 0 = intact, 5 = broken)', command: `lockout audit verify --db ${db}` },
    {
      purpose:
        'save the checkpoint printed in this report, then prove the log still contains it unchanged (detects truncation and rewrite)',
      command: `lockout audit verify --db ${db} --checkpoint checkpoint.txt${input.integrity.signed ? ' --public-key <public key .pub>' : ''}`,
    },
    {
      purpose: `the hash of entry ${size} must equal the head printed here`,
      command: `sqlite3 ${db} "SELECT hash FROM evidence WHERE seq = ${size}"  # expect ${head}`,
    },
    {
      purpose: 'find this report in the log by its sha256 (see the seal at the end of the report)',
      command: `lockout --db ${db} audit log --kind report.generated --json`,
    },
  ];
}

/** Quote a path for a POSIX shell when it needs it. */
export const shellQuote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** What a regulator will expect that the evidence does not (yet) hold, with the command that records it. */
function findGaps(m: ReportModel): Gap[] {
  const g: Gap[] = [];
  const add = (section: string, missing: string, record: string) => g.push({ section, missing, record });
  const c = m.controller;
  if (!c.name.value) add('Controller', 'controller name', 'config: controller.name');
  if (!c.dpo.value && !c.contact.value)
    add('Contact', 'DPO or contact point (Art. 33(3)(b))', 'config: controller.dpo / controller.contact');
  if (!c.leadSupervisoryAuthority.value)
    add('Controller', 'lead supervisory authority', 'config: controller.leadSupervisoryAuthority');
  if (!c.processingActivities.value)
    add('Controller', 'affected processing activity (Art. 30)', 'config: controller.processingActivities');
  const t = m.timestamps;
  if (!t.occurredAt.value)
    add('Timestamps', 'when the incident occurred', 'lockout incident assess --occurred-at <time>');
  if (!t.detectedAt.value) add('Timestamps', 'when it was detected', 'lockout incident assess --detected-at <time>');
  if (!m.nature.types.value)
    add(
      'Nature',
      'breach type (confidentiality/integrity/availability/authenticity)',
      'lockout incident assess --nature integrity,authenticity',
    );
  if (!m.nature.personalDataBreach.value)
    add(
      'Nature',
      'whether it is a personal data breach and why',
      'lockout incident assess --personal-data-breach yes --classification-basis <text>',
    );
  if (!m.subjects.scans.length) add('Data subjects and records', 'scan findings', 'lockout scan ...');
  if (!m.subjects.dataCategories.value)
    add(
      'Data subjects and records',
      'data categories',
      'lockout incident assess --data-categories identifiers,contact',
    );
  if (!m.subjects.subjectCategories.value)
    add(
      'Data subjects and records',
      'data-subject categories',
      'lockout incident assess --subject-categories customers',
    );
  if (!m.consequences.consequences.value)
    add('Consequences', 'likely consequences (Art. 33(3)(c))', 'lockout incident assess --consequences <text>');
  if (!m.consequences.risk.value)
    add('Risk', 'risk rating and likelihood', 'lockout incident assess --risk <level> --likelihood <level>');
  if (!m.consequences.decision.value)
    add(
      'Decision',
      'notify-or-not decision, who decided and why',
      'lockout incident assess --decision notify|no-notify --decided-by <name> --decision-reason <text>',
    );
  if (!m.measures.length) add('Measures', 'measures taken (Art. 33(3)(d))', 'lockout isolate / rollback');
  if (!m.communication.value)
    add(
      'Data subjects',
      'communication to data subjects or the Art. 34(3) exemption relied on',
      'lockout incident assess --subjects informed|exempt|not-required ...',
    );
  if (!m.aiProvenance.generated.value)
    add(
      'AI provenance',
      'whether AI-generated content was involved and how that was established',
      'lockout incident assess --ai-generated yes|no|unknown --ai-method verified-mark|heuristic',
    );
  for (const k of m.clocks) {
    if (k.status === 'overdue' && !k.reason)
      add(
        'Clocks',
        `${k.regime} ${k.stage}: overdue without a recorded reason for the delay`,
        'lockout incident assess --delay-reason <text>',
      );
  }
  if (m.reportType.phase === 'final') {
    if (!m.review.rootCause.value)
      add('Root cause', 'root cause (final report)', 'lockout incident assess --root-cause <text>');
    if (!m.review.lessons.value)
      add('Lessons', 'lessons learned (final report)', 'lockout incident assess --lessons <text>');
    if (!m.timestamps.resolvedAt.value)
      add('Timestamps', 'when it was resolved (final report)', 'lockout incident assess --resolved-at <time>');
  }
  return g;
}
