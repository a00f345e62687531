import { computeClocks, type ClockInput } from '../../src/report/clocks.js';
import { foldAssessment } from '../../src/incident/assess.js';
import { configSchema } from '../../src/config/schema.js';
import type { ChainedEntry } from '../../src/store/chain.js';

const deadlines = configSchema.parse({}).controller.deadlines;
const AWARE = '2026-11-20T09:00:00.000Z';

let seq = 10;
const assessed = (payload: Record<string, unknown>): ChainedEntry => ({
  seq: ++seq,
  ts: AWARE,
  incident: 'INC-2026-0001',
  actor: 'dpo',
  kind: 'incident.assessed',
  payload,
  prevHash: '0'.repeat(64),
  hash: 'f'.repeat(64),
});

function clocks(now: string, payloads: Record<string, unknown>[], regimes = { nis2: false, dora: false }) {
  const a = foldAssessment(payloads.map(assessed));
  const input: ClockInput = {
    now,
    awareAt: AWARE,
    awareSeqs: [1],
    classifiedAt: a.classifiedAt?.value ?? null,
    assessment: a,
    notices: a.notices.map((n) => ({ to: n.value.to, stage: n.value.stage ?? null, at: n.value.at, seq: n.seq })),
    regimes,
    deadlines,
  };
  return computeClocks(input);
}

describe('notification clocks', () => {
  it('GDPR: due, then overdue with the recorded reason, then late when sent after 72 hours', () => {
    expect(clocks('2026-11-22T09:00:00.000Z', [])[0]).toMatchObject({
      status: 'due',
      detail: 'due in 1d 0m',
      deadline: '2026-11-23T09:00:00.000Z',
    });
    expect(clocks('2026-11-23T10:30:00.000Z', [])[0]).toMatchObject({
      status: 'overdue',
      detail: 'overdue by 1h 30m',
      reason: null,
    });
    const withReason = clocks('2026-11-23T10:30:00.000Z', [{ delayReason: 'waiting for the partner log' }])[0]!;
    expect(withReason).toMatchObject({ status: 'overdue', reason: 'waiting for the partner log' });
    const late = clocks('2026-11-24T00:00:00.000Z', [
      { delayReason: 'waiting for the partner log' },
      { notice: { to: 'supervisory-authority', at: '2026-11-23T12:00:00.000Z' } },
    ])[0]!;
    expect(late).toMatchObject({
      status: 'late',
      detail: 'sent 3h 0m after the deadline',
      reason: 'waiting for the partner log',
    });
    expect(
      clocks('2026-11-24T00:00:00.000Z', [
        { notice: { to: 'supervisory-authority', at: '2026-11-21T09:00:00.000Z' } },
      ])[0]!.status,
    ).toBe('met');
  });

  it('GDPR: a recorded decision not to notify, with who decided and why, is "not required"', () => {
    const c = clocks('2026-12-01T00:00:00.000Z', [
      { decision: { decision: 'no-notify', decidedBy: 'DPO', reason: 'unlikely to result in a risk' } },
    ])[0]!;
    expect(c).toMatchObject({
      status: 'not-required',
      reason: 'unlikely to result in a risk',
      detail: 'decided not to notify (decided by DPO)',
    });
  });

  it('NIS2: early warning 24h, notification 72h, final one month after the notification', () => {
    const c = clocks(
      '2026-11-21T12:00:00.000Z',
      [
        { notice: { to: 'csirt', stage: 'early-warning', at: '2026-11-20T20:00:00.000Z' } },
        { notice: { to: 'csirt', stage: 'notification', at: '2026-11-21T10:00:00.000Z' } },
      ],
      { nis2: true, dora: false },
    ).filter((k) => k.regime === 'NIS2');
    expect(c.map((k) => [k.stage, k.status, k.deadline])).toEqual([
      ['early warning', 'met', '2026-11-21T09:00:00.000Z'],
      ['incident notification', 'met', '2026-11-23T09:00:00.000Z'],
      ['final report', 'due', '2026-12-21T10:00:00.000Z'],
    ]);
    const notSignificant = clocks('2026-11-21T12:00:00.000Z', [{ nis2Significant: 'no' }], { nis2: true, dora: false });
    expect(notSignificant.filter((k) => k.regime === 'NIS2').map((k) => k.status)).toEqual(['not-applicable']);
  });

  it('DORA: initial notice 4h after classification as major, capped at 24h after awareness; later stages wait', () => {
    const early = clocks('2026-11-20T12:00:00.000Z', [{ classifiedAt: '2026-11-20T10:00:00.000Z' }], {
      nis2: false,
      dora: true,
    });
    expect(early.filter((k) => k.regime === 'DORA').map((k) => [k.stage, k.status, k.deadline])).toEqual([
      ['initial notification', 'due', '2026-11-20T14:00:00.000Z'],
      ['intermediate report', 'waiting', null],
      ['final report', 'waiting', null],
    ]);
    const lateClass = clocks('2026-11-20T12:00:00.000Z', [{ classifiedAt: '2026-11-21T08:00:00.000Z' }], {
      nis2: false,
      dora: true,
    });
    expect(lateClass.find((k) => k.stage === 'initial notification')!.deadline).toBe('2026-11-21T09:00:00.000Z');
    const sent = clocks(
      '2026-11-25T00:00:00.000Z',
      [
        { classifiedAt: '2026-11-20T10:00:00.000Z' },
        { notice: { to: 'competent-authority', stage: 'initial', at: '2026-11-20T13:00:00.000Z' } },
        { notice: { to: 'competent-authority', stage: 'intermediate', at: '2026-11-24T13:00:00.000Z' } },
      ],
      { nis2: false, dora: true },
    ).filter((k) => k.regime === 'DORA');
    expect(sent.map((k) => [k.stage, k.status, k.deadline])).toEqual([
      ['initial notification', 'met', '2026-11-20T14:00:00.000Z'],
      ['intermediate report', 'late', '2026-11-23T13:00:00.000Z'],
      ['final report', 'due', '2026-12-24T13:00:00.000Z'],
    ]);
  });
});
