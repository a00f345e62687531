import type { Config } from '../config/schema.js';
import type { Assessment } from '../incident/assess.js';
import { addHours, addMonths, duration } from './util.js';

/**
 * Notification clocks (pure): GDPR Art. 33(1) 72 hours from awareness; NIS2 Art. 23(4) early warning 24 h,
 * notification 72 h, final report one month after the notification; DORA Art. 19 initial (4 h from classification
 * as major, at most 24 h from awareness), intermediate 72 h after the initial notice, final one month after the
 * last intermediate report. Deadlines come from config (controller.deadlines) because the law may change.
 */

export type ClockStatus = 'met' | 'late' | 'due' | 'overdue' | 'not-required' | 'not-applicable' | 'waiting';

export interface Clock {
  regime: 'GDPR' | 'NIS2' | 'DORA';
  stage: string;
  article: string;
  startsFrom: string;
  start: string | null;
  deadline: string | null;
  status: ClockStatus;
  /** The notice that met (or late-met) the clock. */
  metBy: { seq: number; at: string } | null;
  /** Human form of the distance to the deadline, e.g. "due in 5h 3m", "overdue by 2h 0m", "met 3h 10m early". */
  detail: string;
  /** The recorded reason: for a delay, for not notifying, or for not applying. */
  reason: string | null;
  seqs: number[];
}

interface NoticeLike {
  to: string;
  stage: string | null;
  at: string;
  seq: number;
}

export interface ClockInput {
  now: string;
  awareAt: string;
  awareSeqs: number[];
  classifiedAt: string | null;
  assessment: Assessment;
  notices: NoticeLike[];
  regimes: { nis2: boolean; dora: boolean };
  deadlines: Config['controller']['deadlines'];
}

const ms = (t: string) => new Date(t).getTime();

function judge(
  base: Omit<Clock, 'status' | 'metBy' | 'detail' | 'reason'>,
  now: string,
  notice: NoticeLike | undefined,
  delayReason: { value: string; seq: number } | undefined,
): Clock {
  if (!base.deadline) {
    return { ...base, status: 'waiting', metBy: null, detail: 'starts when the previous stage is sent', reason: null };
  }
  const seqs = [...base.seqs];
  if (notice) {
    seqs.push(notice.seq);
    const late = ms(notice.at) - ms(base.deadline);
    if (late <= 0) {
      return {
        ...base,
        seqs,
        status: 'met',
        metBy: { seq: notice.seq, at: notice.at },
        detail: `met ${duration(late)} before the deadline`,
        reason: null,
      };
    }
    if (delayReason) seqs.push(delayReason.seq);
    return {
      ...base,
      seqs,
      status: 'late',
      metBy: { seq: notice.seq, at: notice.at },
      detail: `sent ${duration(late)} after the deadline`,
      reason: delayReason?.value ?? null,
    };
  }
  const left = ms(base.deadline) - ms(now);
  if (left >= 0) return { ...base, seqs, status: 'due', metBy: null, detail: `due in ${duration(left)}`, reason: null };
  if (delayReason) seqs.push(delayReason.seq);
  return {
    ...base,
    seqs,
    status: 'overdue',
    metBy: null,
    detail: `overdue by ${duration(left)}`,
    reason: delayReason?.value ?? null,
  };
}

const first = (notices: NoticeLike[], to: readonly string[], stages: readonly (string | null)[]) =>
  notices.filter((n) => to.includes(n.to) && stages.includes(n.stage)).sort((a, b) => ms(a.at) - ms(b.at))[0];
const last = (notices: NoticeLike[], to: readonly string[], stages: readonly (string | null)[]) =>
  notices
    .filter((n) => to.includes(n.to) && stages.includes(n.stage))
    .sort((a, b) => ms(a.at) - ms(b.at))
    .pop();

/** Compute every applicable clock with its status at `now`. */
export function computeClocks(input: ClockInput): Clock[] {
  const { assessment: a, notices, deadlines: d, now, awareAt } = input;
  const delay = a.delayReason ? { value: a.delayReason.value, seq: a.delayReason.seq } : undefined;
  const out: Clock[] = [];

  // GDPR Art. 33(1).
  const gdprBase = {
    regime: 'GDPR' as const,
    stage: 'notification to the supervisory authority',
    article: 'GDPR Art. 33(1)',
    startsFrom: 'awareness',
    start: awareAt,
    deadline: addHours(awareAt, d.gdprHours),
    seqs: input.awareSeqs,
  };
  const saNotice = first(
    notices,
    ['supervisory-authority'],
    [null, 'initial', 'notification', 'early-warning', 'intermediate', 'final', 'update'],
  );
  if (!saNotice && a.decision?.value.decision === 'no-notify') {
    out.push({
      ...gdprBase,
      seqs: [...gdprBase.seqs, a.decision.seq],
      status: 'not-required',
      metBy: null,
      detail: `decided not to notify (decided by ${a.decision.value.decidedBy})`,
      reason: a.decision.value.reason,
    });
  } else if (!saNotice && a.personalDataBreach?.value === 'no') {
    out.push({
      ...gdprBase,
      seqs: [...gdprBase.seqs, a.personalDataBreach.seq],
      status: 'not-required',
      metBy: null,
      detail: 'assessed as not a personal data breach',
      reason: a.classificationBasis?.value ?? null,
    });
  } else {
    out.push(judge(gdprBase, now, saNotice, delay));
  }

  if (input.regimes.nis2) {
    const to = ['csirt', 'competent-authority'];
    if (a.nis2Significant?.value === 'no') {
      out.push({
        regime: 'NIS2',
        stage: 'all stages',
        article: 'NIS2 Art. 23',
        startsFrom: 'awareness of a significant incident',
        start: null,
        deadline: null,
        status: 'not-applicable',
        metBy: null,
        detail: 'assessed as not significant',
        reason: a.riskFactors?.value ?? null,
        seqs: [a.nis2Significant.seq],
      });
    } else {
      const ew = first(notices, to, ['early-warning', 'notification']);
      out.push(
        judge(
          {
            regime: 'NIS2',
            stage: 'early warning',
            article: 'NIS2 Art. 23(4)(a)',
            startsFrom: 'awareness',
            start: awareAt,
            deadline: addHours(awareAt, d.nis2EarlyWarningHours),
            seqs: input.awareSeqs,
          },
          now,
          ew,
          delay,
        ),
      );
      const nt = first(notices, to, ['notification']);
      out.push(
        judge(
          {
            regime: 'NIS2',
            stage: 'incident notification',
            article: 'NIS2 Art. 23(4)(b)',
            startsFrom: 'awareness',
            start: awareAt,
            deadline: addHours(awareAt, d.nis2NotificationHours),
            seqs: input.awareSeqs,
          },
          now,
          nt,
          delay,
        ),
      );
      out.push(
        judge(
          {
            regime: 'NIS2',
            stage: 'final report',
            article: 'NIS2 Art. 23(4)(d)',
            startsFrom: 'the incident notification',
            start: nt?.at ?? null,
            deadline: nt ? addMonths(nt.at, d.nis2FinalMonths) : null,
            seqs: nt ? [nt.seq] : [],
          },
          now,
          first(notices, to, ['final']),
          delay,
        ),
      );
    }
  }

  if (input.regimes.dora) {
    const to = ['competent-authority'];
    if (a.doraMajor?.value === 'no') {
      out.push({
        regime: 'DORA',
        stage: 'all stages',
        article: 'DORA Art. 19',
        startsFrom: 'classification as major',
        start: null,
        deadline: null,
        status: 'not-applicable',
        metBy: null,
        detail: 'classified as not major',
        reason: a.riskFactors?.value ?? null,
        seqs: [a.doraMajor.seq],
      });
    } else {
      const fromAware = addHours(awareAt, d.doraInitialHours);
      const fromClass = input.classifiedAt ? addHours(input.classifiedAt, d.doraInitialAfterClassificationHours) : null;
      const initialDeadline = fromClass && ms(fromClass) < ms(fromAware) ? fromClass : fromAware;
      const initial = first(notices, to, ['initial']);
      out.push(
        judge(
          {
            regime: 'DORA',
            stage: 'initial notification',
            article: 'DORA Art. 19(4)(a); RTS/ITS 2025/301-302',
            startsFrom: input.classifiedAt
              ? `classification as major (${d.doraInitialAfterClassificationHours}h) or awareness (${d.doraInitialHours}h), whichever is earlier`
              : `awareness (${d.doraInitialHours}h); classification time not recorded`,
            start: input.classifiedAt ?? awareAt,
            deadline: initialDeadline,
            seqs: [...input.awareSeqs, ...(a.classifiedAt ? [a.classifiedAt.seq] : [])],
          },
          now,
          initial,
          delay,
        ),
      );
      const inter = last(notices, to, ['intermediate']);
      out.push(
        judge(
          {
            regime: 'DORA',
            stage: 'intermediate report',
            article: 'DORA Art. 19(4)(b)',
            startsFrom: 'the initial notification',
            start: initial?.at ?? null,
            deadline: initial ? addHours(initial.at, d.doraIntermediateHours) : null,
            seqs: initial ? [initial.seq] : [],
          },
          now,
          first(notices, to, ['intermediate']),
          delay,
        ),
      );
      out.push(
        judge(
          {
            regime: 'DORA',
            stage: 'final report',
            article: 'DORA Art. 19(4)(c)',
            startsFrom: 'the latest intermediate report',
            start: inter?.at ?? null,
            deadline: inter ? addMonths(inter.at, d.doraFinalMonths) : null,
            seqs: inter ? [inter.seq] : [],
          },
          now,
          first(notices, to, ['final']),
          delay,
        ),
      );
    }
  }
  return out;
}
