import type { Context } from '../cli/context.js';
import type { ChainedEntry } from '../store/chain.js';
import { UsageError } from '../errors.js';
import { iso, parseTime } from '../util/time.js';
import { requireIncident } from './model.js';

/**
 * `lockout incident assess`: the facts and decisions a person must add before a regulator report can be built
 * (risk, notify-or-not and who decided, data-subject communication, notices sent, times, nature, AI provenance,
 * root cause, lessons). Each call appends one `incident.assessed` entry holding only the fields given; a later
 * entry overrides an earlier one field by field, and notices accumulate.
 */

export const TRISTATE = ['yes', 'no', 'unknown'] as const;
export const NATURES = ['confidentiality', 'integrity', 'availability', 'authenticity'] as const;
export const DATA_CATEGORIES = [
  'identifiers',
  'contact',
  'financial',
  'official-documents',
  'location',
  'credentials',
  'special',
  'genetic-biometric',
  'criminal',
  'not-yet-known',
  'other',
] as const;
export const SUBJECT_CATEGORIES = [
  'customers',
  'prospects',
  'employees',
  'users',
  'subscribers',
  'students',
  'patients',
  'children',
  'vulnerable-adults',
  'partner-contacts',
  'not-yet-known',
  'other',
] as const;
export const RISK_LEVELS = ['low', 'medium', 'high', 'severe'] as const;
export const LIKELIHOODS = ['very-unlikely', 'unlikely', 'possible', 'likely', 'very-likely'] as const;
export const IMPACTS = ['low', 'medium', 'high'] as const;
export const RECOVERY = ['regular', 'supplemented', 'extended', 'not-recoverable', 'recovered'] as const;
export const DECISIONS = ['notify', 'no-notify'] as const;
export const COMMUNICATION = ['informed', 'exempt', 'not-required', 'planned'] as const;
export const EXEMPTIONS = ['34-3-a', '34-3-b', '34-3-c'] as const;
export const NOTICE_TO = [
  'supervisory-authority',
  'csirt',
  'competent-authority',
  'partner',
  'processor',
  'recipient',
  'ai-provider',
  'market-surveillance',
  'police',
  'other',
] as const;
export const NOTICE_STAGES = ['early-warning', 'initial', 'notification', 'intermediate', 'final', 'update'] as const;
export const AI_METHODS = ['verified-mark', 'heuristic', 'none'] as const;

export type Tristate = (typeof TRISTATE)[number];

export interface Decision {
  decision: (typeof DECISIONS)[number];
  decidedBy: string;
  reason: string;
  saReference?: string;
}

export interface Communication {
  status: (typeof COMMUNICATION)[number];
  at?: string;
  channel?: string;
  exemption?: (typeof EXEMPTIONS)[number];
  reason?: string;
}

export interface Notice {
  to: (typeof NOTICE_TO)[number];
  name?: string;
  stage?: (typeof NOTICE_STAGES)[number];
  at: string;
  reference?: string;
}

/** The payload of one `incident.assessed` entry: only the fields that call gave. */
export interface AssessedPayload {
  awareAt?: string;
  awareBasis?: string;
  occurredAt?: string;
  occurredUntil?: string;
  detectedAt?: string;
  classifiedAt?: string;
  resolvedAt?: string;
  delayReason?: string;
  nature?: string[];
  description?: string;
  ingestion?: string;
  cyber?: Tristate;
  malicious?: Tristate;
  crossBorder?: Tristate;
  personalDataBreach?: 'yes' | 'no' | 'undetermined';
  classificationBasis?: string;
  dataCategories?: string[];
  subjectCategories?: string[];
  memberStates?: string[];
  risk?: string;
  likelihood?: string;
  consequences?: string;
  riskFactors?: string;
  impact?: string;
  recovery?: string;
  nis2Significant?: 'yes' | 'no';
  doraMajor?: 'yes' | 'no';
  decision?: Decision;
  /** The authority's case reference, when recorded without a new decision. */
  saReference?: string;
  communication?: Communication;
  notice?: Notice;
  aiGenerated?: Tristate;
  aiMethod?: string;
  aiEvidence?: string;
  aiGenerator?: string;
  aiMarkMissing?: Tristate;
  aiConsumers?: string;
  aiHighRisk?: Tristate;
  rootCause?: string;
  lessons?: string;
  recurrence?: string;
  costs?: string;
  measuresProposed?: string;
  servicesAffected?: string;
  staffInvolvement?: string;
}

/**
 * The flags of `incident assess`, as commander parsed them (enums already checked by the arg parsers): the payload's
 * plain fields, plus the flat flags that build its structured parts (decision, communication, notice).
 */
export type AssessFlags = Omit<AssessedPayload, 'decision' | 'communication' | 'notice'> & {
  decision?: Decision['decision'];
  decidedBy?: string;
  decisionReason?: string;
  subjects?: Communication['status'];
  subjectsAt?: string;
  channel?: string;
  exemption?: Communication['exemption'];
  subjectsReason?: string;
  notice?: Notice['to'];
  noticeName?: string;
  noticeStage?: Notice['stage'];
  noticeAt?: string;
  noticeRef?: string;
};

const TIME_FLAGS: [keyof AssessFlags, string][] = [
  ['awareAt', '--aware-at'],
  ['occurredAt', '--occurred-at'],
  ['occurredUntil', '--occurred-until'],
  ['detectedAt', '--detected-at'],
  ['classifiedAt', '--classified-at'],
  ['resolvedAt', '--resolved-at'],
  ['subjectsAt', '--subjects-at'],
  ['noticeAt', '--notice-at'],
];

const TEXT_FLAGS: [keyof AssessFlags, string][] = [
  ['awareBasis', '--aware-basis'],
  ['delayReason', '--delay-reason'],
  ['description', '--description'],
  ['ingestion', '--ingestion'],
  ['classificationBasis', '--classification-basis'],
  ['consequences', '--consequences'],
  ['riskFactors', '--risk-factors'],
  ['decidedBy', '--decided-by'],
  ['decisionReason', '--decision-reason'],
  ['saReference', '--sa-reference'],
  ['channel', '--channel'],
  ['subjectsReason', '--subjects-reason'],
  ['noticeName', '--notice-name'],
  ['noticeRef', '--notice-ref'],
  ['aiEvidence', '--ai-evidence'],
  ['aiGenerator', '--ai-generator'],
  ['aiConsumers', '--ai-consumers'],
  ['rootCause', '--root-cause'],
  ['lessons', '--lessons'],
  ['recurrence', '--recurrence'],
  ['costs', '--costs'],
  ['measuresProposed', '--measures-proposed'],
  ['servicesAffected', '--services-affected'],
  ['staffInvolvement', '--staff-involvement'],
];

const needs = (flags: AssessFlags, key: keyof AssessFlags, flag: string, because: string): void => {
  if (flags[key] === undefined) throw new UsageError(`${because} needs ${flag}`);
};
const onlyWith = (flags: AssessFlags, key: keyof AssessFlags, flag: string, other: string, ok: boolean): void => {
  if (flags[key] !== undefined && !ok) throw new UsageError(`${flag} is only valid with ${other}`);
};

/**
 * Turn the flags into the entry payload, or throw UsageError naming the flag. Pure apart from the clock value
 * passed in (`now`, used as the default time of a notice or communication and to refuse future times).
 */
export function buildAssessment(flags: AssessFlags, now: Date, actor: string): AssessedPayload {
  for (const [key, flag] of TEXT_FLAGS) {
    const v = flags[key];
    if (typeof v === 'string' && !v.trim()) throw new UsageError(`${flag} is empty`);
  }
  const times: Partial<Record<keyof AssessFlags, string>> = {};
  for (const [key, flag] of TIME_FLAGS) {
    const v = flags[key];
    if (typeof v !== 'string') continue;
    const d = parseTime(v, flag);
    if (d.getTime() > now.getTime() + 5 * 60_000) throw new UsageError(`${flag} ${iso(d)} is in the future`);
    times[key] = iso(d);
  }
  if (times.occurredAt && times.occurredUntil && times.occurredUntil < times.occurredAt) {
    throw new UsageError(`--occurred-until ${times.occurredUntil} is before --occurred-at ${times.occurredAt}`);
  }
  if (flags.awareAt !== undefined) needs(flags, 'awareBasis', '--aware-basis', '--aware-at');
  onlyWith(flags, 'awareBasis', '--aware-basis', '--aware-at', flags.awareAt !== undefined);
  for (const [key, flag] of [
    ['decidedBy', '--decided-by'],
    ['decisionReason', '--decision-reason'],
  ] as const) {
    onlyWith(flags, key, flag, '--decision', flags.decision !== undefined);
  }
  if (flags.decision) needs(flags, 'decisionReason', '--decision-reason', '--decision');
  for (const [key, flag] of [
    ['subjectsAt', '--subjects-at'],
    ['channel', '--channel'],
    ['exemption', '--exemption'],
    ['subjectsReason', '--subjects-reason'],
  ] as const) {
    onlyWith(flags, key, flag, '--subjects', flags.subjects !== undefined);
  }
  if (flags.subjects === 'informed') needs(flags, 'channel', '--channel', '--subjects informed');
  if (flags.subjects === 'exempt') {
    needs(flags, 'exemption', '--exemption', '--subjects exempt');
    needs(flags, 'subjectsReason', '--subjects-reason', '--subjects exempt');
  }
  if (flags.subjects === 'not-required') needs(flags, 'subjectsReason', '--subjects-reason', '--subjects not-required');
  onlyWith(flags, 'exemption', '--exemption', '--subjects exempt', flags.subjects === 'exempt');
  for (const [key, flag] of [
    ['noticeName', '--notice-name'],
    ['noticeStage', '--notice-stage'],
    ['noticeAt', '--notice-at'],
    ['noticeRef', '--notice-ref'],
  ] as const) {
    onlyWith(flags, key, flag, '--notice', flags.notice !== undefined);
  }
  if (flags.notice === 'csirt' || flags.notice === 'competent-authority') {
    needs(flags, 'noticeStage', '--notice-stage', `--notice ${flags.notice}`);
  }
  if (flags.aiMethod === 'verified-mark') needs(flags, 'aiEvidence', '--ai-evidence', '--ai-method verified-mark');

  const p: AssessedPayload = {};
  const copy = <K extends keyof AssessedPayload & keyof AssessFlags>(k: K) => {
    if (flags[k] !== undefined) (p as Record<string, unknown>)[k] = (times as Record<string, unknown>)[k] ?? flags[k];
  };
  (
    [
      'awareAt',
      'awareBasis',
      'occurredAt',
      'occurredUntil',
      'detectedAt',
      'classifiedAt',
      'resolvedAt',
      'delayReason',
      'nature',
      'description',
      'ingestion',
      'cyber',
      'malicious',
      'crossBorder',
      'personalDataBreach',
      'classificationBasis',
      'dataCategories',
      'subjectCategories',
      'memberStates',
      'risk',
      'likelihood',
      'consequences',
      'riskFactors',
      'impact',
      'recovery',
      'nis2Significant',
      'doraMajor',
      'aiGenerated',
      'aiMethod',
      'aiEvidence',
      'aiGenerator',
      'aiMarkMissing',
      'aiConsumers',
      'aiHighRisk',
      'rootCause',
      'lessons',
      'recurrence',
      'costs',
      'measuresProposed',
      'servicesAffected',
      'staffInvolvement',
    ] as const
  ).forEach(copy);
  if (flags.decision) p.decision = buildDecision(flags, actor);
  else if (flags.saReference) p.saReference = flags.saReference;
  if (flags.subjects) {
    p.communication = {
      status: flags.subjects,
      ...(flags.subjects === 'informed' || flags.subjects === 'planned'
        ? { at: times.subjectsAt ?? iso(now) }
        : times.subjectsAt
          ? { at: times.subjectsAt }
          : {}),
      ...(flags.channel ? { channel: flags.channel } : {}),
      ...(flags.exemption ? { exemption: flags.exemption } : {}),
      ...(flags.subjectsReason ? { reason: flags.subjectsReason } : {}),
    };
  }
  if (flags.notice) {
    p.notice = {
      to: flags.notice,
      at: times.noticeAt ?? iso(now),
      ...(flags.noticeName ? { name: flags.noticeName } : {}),
      ...(flags.noticeStage ? { stage: flags.noticeStage } : {}),
      ...(flags.noticeRef ? { reference: flags.noticeRef } : {}),
    };
  }
  if (Object.keys(p).length === 0) {
    throw new UsageError('nothing to record: give at least one assessment flag', {
      hint: 'see lockout incident assess --help',
    });
  }
  return p;
}

const buildDecision = (flags: AssessFlags, actor: string): Decision => ({
  decision: flags.decision!,
  decidedBy: flags.decidedBy ?? actor,
  reason: flags.decisionReason!,
  ...(flags.saReference ? { saReference: flags.saReference } : {}),
});

/** A fact with the entry that recorded it, so every statement in a report can cite its evidence. */
export interface Fact<T> {
  value: T;
  seq: number;
  ts: string;
  actor: string;
  hash: string;
}

export type Assessment = {
  [K in Exclude<keyof AssessedPayload, 'notice' | 'decision' | 'communication' | 'saReference'>]?: Fact<
    NonNullable<AssessedPayload[K]>
  >;
} & {
  saReference?: Fact<string>;
  decision?: Fact<Decision>;
  /** Every decision recorded, oldest first (the last one stands). */
  decisions: Fact<Decision>[];
  communication?: Fact<Communication>;
  notices: Fact<Notice>[];
};

/** Fold `incident.assessed` entries (seq order) into the current assessment: later fields win, notices add up. */
export function foldAssessment(entries: Iterable<ChainedEntry>): Assessment {
  const out: Assessment = { decisions: [], notices: [] };
  for (const e of entries) {
    if (e.kind !== 'incident.assessed') continue;
    const p = (e.payload ?? {}) as Record<string, unknown>;
    const fact = <T>(value: T): Fact<T> => ({ value, seq: e.seq, ts: e.ts, actor: e.actor, hash: e.hash });
    for (const [k, v] of Object.entries(p)) {
      if (v === undefined || v === null) continue;
      if (k === 'notice') out.notices.push(fact(v as Notice));
      else if (k === 'decision') {
        const d = fact(v as Decision);
        out.decisions.push(d);
        out.decision = d;
        if ((v as Decision).saReference) out.saReference = fact((v as Decision).saReference!);
      } else (out as Record<string, unknown>)[k] = fact(v);
    }
  }
  return out;
}

/** Record an assessment for the incident (explicit id, --incident, LOCKOUT_INCIDENT or the current one). */
export function assessIncident(
  ctx: Context,
  id: string | undefined,
  flags: AssessFlags,
): { incident: string; seq: number; hash: string; payload: AssessedPayload } {
  const now = ctx.now();
  const actor = ctx.actor();
  const payload = buildAssessment(flags, now, actor);
  const store = ctx.store({ create: false });
  const inc = requireIncident(store, id ?? ctx.flags.incident ?? ctx.env.LOCKOUT_INCIDENT);
  const entry = store.append({ kind: 'incident.assessed', incident: inc.id, actor, ts: iso(now), payload });
  return { incident: inc.id, seq: entry.seq, hash: entry.hash, payload };
}
