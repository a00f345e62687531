import type { ReportModel, Stated } from './model.js';
import { cleanText } from './util.js';

/**
 * The report as a document: numbered sections of simple blocks, built from the model only. The Markdown and HTML
 * renderers both render this, so the two formats always say the same thing. All strings here are plain text;
 * renderers escape them.
 */

export type Block =
  | { t: 'p'; text: string }
  | { t: 'h'; text: string }
  | { t: 'note'; text: string }
  | { t: 'kv'; rows: [string, string, string][] }
  | { t: 'table'; headers: string[]; rows: string[][]; empty: string; widths?: number[] }
  | { t: 'pre'; text: string }
  | { t: 'chart'; chart: 'timeline' | 'perHour' };

export interface Section {
  id: string;
  title: string;
  /** The article or form field the section answers. */
  basis: string;
  blocks: Block[];
}

export interface Doc {
  title: string;
  subtitle: string;
  sections: Section[];
}

export const NO_EVIDENCE = 'no evidence recorded';

/** The sections, in order, with what each answers (also the table of contents of docs/report.md). */
export const SECTIONS: readonly { id: string; title: string; basis: string }[] = [
  { id: 'type', title: 'Report type and phase', basis: 'GDPR Art. 33(4); ICO report type; CNIL initiale/complémentaire; NIS2 Art. 23(4); DORA Art. 19(4)' },
  { id: 'controller', title: 'Controller, contact point and processing activity', basis: 'GDPR Art. 33(1), 33(3)(b), 30, 55; EDPB 9/2022 §I.C.4' },
  { id: 'timestamps', title: 'Timestamps and notification clocks', basis: 'GDPR Art. 33(1); EDPB 9/2022 §I.C.1.b; NIS2 Art. 23(4); DORA Art. 19(4)' },
  { id: 'nature', title: 'Nature of the incident', basis: 'GDPR Art. 33(3)(a); EDPB 9/2022 §I.B.2; NIS2 Art. 23(4)(a); RTS 2024/1772 Art. 5' },
  { id: 'subjects', title: 'Data subjects and records', basis: 'GDPR Art. 33(3)(a); ICO numbers of records and data subjects' },
  { id: 'categories', title: 'Data categories and fields altered', basis: 'GDPR Art. 33(3)(a); EDPB 9/2022 §I.B.2 (integrity)' },
  { id: 'consequences', title: 'Likely consequences, risk assessment and decision', basis: 'GDPR Art. 33(3)(c); EDPB 9/2022 §I.E and §I.F; DPC' },
  { id: 'measures', title: 'Measures taken and proposed', basis: 'GDPR Art. 33(3)(d), 33(5), 19; ISO/IEC 27001 A.5.26; SOC 2 CC7.4/CC7.5' },
  { id: 'communication', title: 'Communication to data subjects', basis: 'GDPR Art. 34; Art. 34(3) exemptions' },
  { id: 'notices', title: 'Other notices sent', basis: 'GDPR Art. 19; ICO "other organisations"; NIS2 Art. 23; DORA Art. 19; AI Act Art. 26(5)' },
  { id: 'ai', title: 'AI provenance', basis: 'AI Act Art. 50(2), 50(4); Art. 26(5) and 73 where high-risk' },
  { id: 'impact', title: 'Impact, duration and costs', basis: 'ICO impact and recovery; NIS2 Art. 23(4)(d); DORA RTS 2025/301 Art. 4' },
  { id: 'review', title: 'Root cause and lessons learned', basis: 'ISO/IEC 27001 A.5.27; NIS2 Art. 23(4)(d); DORA final report; SOC 2 CC7.5' },
  { id: 'map', title: 'Authority form map', basis: 'the authority form named by --map' },
  { id: 'gaps', title: 'Open items', basis: 'GDPR Art. 33(4) (information in phases); Art. 33(5)' },
  { id: 'timeline', title: 'Timeline of evidence', basis: 'GDPR Art. 33(5); ISO/IEC 27001 A.5.26, A.5.28' },
  { id: 'records', title: 'Annex: records concerned', basis: 'GDPR Art. 33(5) internal register (omitted with --aggregate-only)' },
  { id: 'integrity', title: 'Appendix: evidence integrity', basis: 'GDPR Art. 33(5) "verify compliance"; ISO/IEC 27001 A.5.28; RFC 9162-style checkpoint' },
]; // prettier-ignore

/** A value for display, cleaned (bidi and control characters made visible, length bounded). */
export const clean = (v: unknown, max = 4000): string => cleanText(v === null || v === undefined ? '' : String(v), max);

/** Where a statement comes from, for the "source" column. */
export function source(s: Stated<unknown>): string {
  if (s.from === 'none') return '';
  if (s.from === 'config') return 'config';
  const seqs = s.seqs.map((n) => `#${n}`).join(', ');
  return s.from === 'derived' ? `derived from ${seqs || 'evidence'}` : seqs || 'evidence';
}

/** A stated value as text, "no evidence recorded" when absent. */
export function show(s: Stated<unknown>): string {
  const v = s.value;
  if (v === null || v === undefined) return NO_EVIDENCE;
  if (Array.isArray(v)) return v.length ? clean(v.join(', ')) : NO_EVIDENCE;
  if (typeof v === 'object') {
    return clean(
      Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== null && x !== undefined && x !== '')
        .map(([k, x]) => `${k}: ${String(x)}`)
        .join('; '),
    );
  }
  return clean(v);
}

const kv = (label: string, s: Stated<unknown>): [string, string, string] => [label, show(s), source(s)];
const seqs = (list: number[]) => list.map((n) => `#${n}`).join(', ');
/** 2026-11-20 09:00Z: compact for tables; the key-value rows keep full ISO 8601. */
export const shortTime = (t: string): string => `${t.slice(0, 10)} ${t.slice(11, 16)}Z`;
const n = (v: number | null) => (v === null ? NO_EVIDENCE : String(v));

/** Build the document from the model. */
export function buildDocument(m: ReportModel): Doc {
  const sections: Section[] = [];
  const add = (id: string, blocks: Block[]) => {
    const s = SECTIONS.find((x) => x.id === id)!;
    sections.push({ ...s, blocks });
  };
  const phaseText = { initial: 'Initial', 'follow-up': 'Follow-up', final: 'Final' }[m.reportType.phase];

  add('type', [
    {
      t: 'kv',
      rows: [
        ['Phase', `${phaseText} report (version ${m.reportType.version})`, 'this report'],
        ['Incident', `${clean(m.incident.id)}: ${clean(m.incident.title)}`, `#${m.incident.seq}`],
        ['Severity (1 highest to 4)', String(m.incident.severity), `#${m.incident.seq}`],
        ['Incident status', m.incident.status + (m.incident.closedAt ? ` (closed ${m.incident.closedAt})` : ''), ''],
        kv('Authority case reference', m.reportType.saReference),
        [
          'Supersedes',
          m.reportType.supersedes
            ? `${m.reportType.supersedes.phase ?? ''} report v${m.reportType.supersedes.version ?? '?'} of ${m.reportType.supersedes.ts}, sha256 ${m.reportType.supersedes.sha256}`
            : 'nothing (first report of this incident in this format)',
          m.reportType.supersedes ? `#${m.reportType.supersedes.seq}` : '',
        ],
        ['Generated', `${m.generatedAt} by lockout ${clean(m.tool.version)}`, ''],
        [
          'Personal data in this report',
          m.options.aggregateOnly
            ? 'none: aggregate-only (counts and categories)'
            : 'record identifiers in the annex; no field values',
          '',
        ],
      ],
    },
    {
      t: 'note',
      text: "Every statement in this report comes from the hash-chained evidence log (source #n is the entry sequence number) or, for the controller's standing facts, from the configuration file. Nothing was typed into the report itself.",
    },
  ]);

  const ctl = m.controller;
  add('controller', [
    {
      t: 'kv',
      rows: [
        kv('Controller', ctl.name),
        kv('Registration number', ctl.registrationNumber),
        kv('Main establishment', ctl.establishment),
        kv('Address', ctl.address),
        kv('Legal representative', ctl.legalRepresentative),
        kv('Lead supervisory authority', ctl.leadSupervisoryAuthority),
        ...(ctl.regimes.nis2 || ctl.csirt.value ? [kv('CSIRT (NIS2)', ctl.csirt)] : []),
        ...(ctl.regimes.dora || ctl.competentAuthority.value
          ? [kv('Competent authority (DORA)', ctl.competentAuthority)]
          : []),
        kv('Member States concerned', ctl.memberStatesConcerned),
        kv('Data protection officer', ctl.dpo),
        kv('Other contact point', ctl.contact),
        kv('Processing activities (Art. 30 record)', ctl.processingActivities),
        [
          'Reporting regimes',
          [
            'GDPR',
            ctl.regimes.nis2 ? `NIS2${ctl.regimes.nis2Entity ? ` (${ctl.regimes.nis2Entity} entity)` : ''}` : null,
            ctl.regimes.dora ? 'DORA' : null,
          ]
            .filter(Boolean)
            .join(', '),
          'config',
        ],
      ],
    },
  ]);

  const t = m.timestamps;
  add('timestamps', [
    {
      t: 'kv',
      rows: [
        kv('Occurred (start)', t.occurredAt),
        kv('Occurred (end)', t.occurredUntil),
        kv('Detected', t.detectedAt),
        kv('Aware', t.awareAt),
        kv('Basis of awareness', t.awareBasis),
        kv('Classified (major / significant)', t.classifiedAt),
        kv('Incident opened', t.openedAt),
        kv('Resolved', t.resolvedAt),
        kv('Incident closed', t.closedAt),
        kv('Reason for any delay', t.delayReason),
      ],
    },
    { t: 'p', text: `Clocks at ${m.generatedAt} (UTC):` },
    {
      t: 'table',
      headers: ['Regime', 'Stage', 'Clock starts', 'Deadline', 'Status', 'Detail and recorded reason', 'Source'],
      rows: m.clocks.map((k) => [
        k.regime,
        `${k.stage} (${k.article})`,
        k.start ? `${k.startsFrom}, ${shortTime(k.start)}` : k.startsFrom,
        k.deadline ? shortTime(k.deadline) : '-',
        k.status,
        k.reason
          ? `${k.detail}; reason: ${clean(k.reason)}`
          : k.status === 'overdue' || k.status === 'late'
            ? `${k.detail}; no reason recorded`
            : k.detail,
        seqs(k.seqs),
      ]),
      empty: NO_EVIDENCE,
    },
    { t: 'chart', chart: 'timeline' },
  ]);

  const nat = m.nature;
  add('nature', [
    {
      t: 'kv',
      rows: [
        kv('Breach type (C / I / A / authenticity)', nat.types),
        kv('What happened', nat.description),
        kv('How the data came in', nat.ingestion),
        kv('Cyber incident', nat.cyber),
        kv('Suspected unlawful or malicious', nat.malicious),
        kv('Possible cross-border impact', nat.crossBorder),
        kv('Personal data breach (Art. 4(12))', nat.personalDataBreach),
        kv('Basis of that classification', nat.classificationBasis),
      ],
    },
    {
      t: 'table',
      headers: ['Scan rule', 'Findings'],
      rows: nat.rulesFired.map((r) => [clean(r.rule, 200), String(r.count)]),
      empty: `Scan rules: ${NO_EVIDENCE}`,
    },
  ]);

  const s = m.subjects;
  add('subjects', [
    {
      t: 'kv',
      rows: [
        kv('Data-subject categories', s.subjectCategories),
        ['Records read by scans', n(s.recordsRead), seqs(s.scans.map((x) => x.seq))],
        [
          'Records flagged (distinct)',
          s.scans.length
            ? `${s.flagged} (high ${s.byLevel.high}, medium ${s.byLevel.medium}, low ${s.byLevel.low})`
            : NO_EVIDENCE,
          seqs(s.scans.map((x) => x.seq)),
        ],
        [
          'Existing records altered (restored by rollback)',
          show(s.existingRecordsAltered),
          source(s.existingRecordsAltered),
        ],
        [
          'Data subjects (approximate)',
          s.approximateSubjects.value === null
            ? clean(s.approximateSubjects.basis)
            : `${s.approximateSubjects.value}. Basis: ${clean(s.approximateSubjects.basis)}`,
          source(s.existingRecordsAltered),
        ],
      ],
    },
    {
      t: 'table',
      headers: [
        'Scan',
        'Time',
        'Object',
        'Read',
        'High',
        'Medium',
        'Low',
        'Population findings',
        'Inputs (sha256, rows)',
        'Rules version',
      ],
      rows: s.scans.map((x) => [
        `#${x.seq}`,
        x.ts,
        clean(x.object ?? '-', 200),
        n(x.recordsRead),
        String(x.byLevel.high),
        String(x.byLevel.medium),
        String(x.byLevel.low),
        x.cohorts.map((c) => `${clean(c.rule, 100)} (${c.members ?? '?'} records)`).join('; ') || '-',
        x.inputs.map((i) => `${clean(i.name, 200)} (${i.sha256 ?? '?'}, ${i.rows ?? '?'})`).join('; ') || '-',
        clean(x.rulesVersion ?? '-', 100),
      ]),
      empty: `Scans: ${NO_EVIDENCE}`,
    },
    {
      t: 'table',
      headers: ['Object', 'High', 'Medium', 'Low', 'Total'],
      rows: s.byObject.map((o) => [
        clean(o.object, 200),
        String(o.high),
        String(o.medium),
        String(o.low),
        String(o.total),
      ]),
      empty: `Records by object: ${NO_EVIDENCE}`,
    },
    {
      t: 'table',
      headers: ['Country', 'EU/EEA', 'Records'],
      rows: s.byCountry.map((c) => [clean(c.country, 100), c.eea ? 'yes' : 'no', String(c.total)]),
      empty: `Records by country: ${NO_EVIDENCE}`,
    },
    {
      t: 'table',
      headers: ['Rollback scope: object', 'Records by action', 'Plan'],
      rows: s.rollbackScope.map((r) => [
        clean(r.object, 200),
        Object.entries(r.actions)
          .filter(([, v]) => v > 0)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || '-',
        `#${r.seq}`,
      ]),
      empty: `Rollback scope: ${NO_EVIDENCE}`,
    },
    { t: 'chart', chart: 'perHour' },
  ]);

  add('categories', [
    { t: 'kv', rows: [kv('Data categories', s.dataCategories)] },
    {
      t: 'table',
      headers: ['Field', 'Changed since snapshot (verify)', 'Restored by rollback', 'Unrecoverable', 'Source'],
      rows: m.fieldsAltered.map((f) => [
        clean(f.field, 200),
        f.count === null ? '-' : String(f.count),
        f.restored === null ? '-' : String(f.restored),
        f.unrecoverable === null ? '-' : String(f.unrecoverable),
        seqs(f.seqs),
      ]),
      empty: `Fields altered: ${NO_EVIDENCE}`,
    },
    { t: 'note', text: 'Field names and counts only; no field values appear in this report.' },
  ]);

  const c = m.consequences;
  add('consequences', [
    {
      t: 'kv',
      rows: [
        kv('Likely consequences', c.consequences),
        kv('Risk rating', c.risk),
        kv('Likelihood', c.likelihood),
        kv('Risk factors weighed', c.riskFactors),
        kv('NIS2 significant incident', c.nis2Significant),
        kv('DORA major incident', c.doraMajor),
        [
          'Decision on notifying the authority',
          c.decision.value
            ? `${c.decision.value.decision === 'notify' ? 'notify' : 'do not notify'}; decided by ${clean(c.decision.value.decidedBy)}; reason: ${clean(c.decision.value.reason)} (recorded ${c.decision.value.at} by ${clean(c.decision.value.recordedBy)})`
            : NO_EVIDENCE,
          source(c.decision),
        ],
      ],
    },
    ...(c.decisionHistory.length > 1
      ? [
          {
            t: 'table' as const,
            headers: ['Entry', 'Recorded', 'Decision', 'Decided by', 'Reason'],
            rows: c.decisionHistory.map((d) => [`#${d.seq}`, d.at, d.decision, clean(d.decidedBy), clean(d.reason)]),
            empty: '',
          },
        ]
      : []),
  ]);

  add('measures', [
    ...(m.measures.length
      ? m.measures.flatMap((x, i): Block[] => [
          { t: 'h', text: `8.${i + 1} ${x.title}` },
          {
            t: 'kv',
            rows: [
              [
                'When',
                `${x.start} to ${x.end}`,
                seqs([x.seqs[0]!, x.seqs[x.seqs.length - 1]!].filter((v, j, all) => all.indexOf(v) === j)),
              ],
              ['Actor', clean(x.actors.join(', ')), ''],
              [
                'Approver',
                clean(x.approver ?? 'none recorded') + (x.reason ? `; reason: ${clean(x.reason, 500)}` : ''),
                '',
              ],
              ['Scope', clean(x.scope.join('\n') || '-', 2000), ''],
              ['Result', clean(x.result.join('\n') || '-', 2000), ''],
              ['Evidence entries', seqs(x.seqs), ''],
            ],
          },
        ])
      : [{ t: 'p' as const, text: `Measures taken: ${NO_EVIDENCE}` }]),
    { t: 'kv', rows: [kv('Measures proposed', m.measuresProposed)] },
  ]);

  const com = m.communication;
  add('communication', [
    {
      t: 'kv',
      rows: com.value
        ? [
            ['Status', com.value.status, source(com)],
            ['When', com.value.at ?? '-', source(com)],
            ['Channel and template', clean(com.value.channel ?? '-'), source(com)],
            [
              'Art. 34(3) exemption relied on',
              com.value.exemption ? `Art. ${com.value.exemption.replace(/^34-3-(\w)$/, '34(3)($1)')}` : '-',
              source(com),
            ],
            ['Reasoning', clean(com.value.reason ?? '-'), source(com)],
          ]
        : [['Communication to data subjects', NO_EVIDENCE, '']],
    },
  ]);

  add('notices', [
    {
      t: 'table',
      headers: ['Sent', 'To', 'Recipient', 'Stage', 'Reference', 'Recorded by', 'Entry'],
      rows: m.notices.map((x) => [
        shortTime(x.at),
        x.to,
        clean(x.name ?? '-', 300),
        x.stage ?? '-',
        clean(x.reference ?? '-', 300),
        clean(x.actor),
        `#${x.seq}`,
      ]),
      empty: `Notices: ${NO_EVIDENCE}`,
    },
  ]);

  const ai = m.aiProvenance;
  add('ai', [
    {
      t: 'kv',
      rows: [
        ['Verdict', ai.verdict, source(ai.generated)],
        kv('AI-generated content involved', ai.generated),
        kv('How it was established', ai.method),
        kv('Verifier output or heuristic used', ai.evidence),
        kv('Generating system or provider', ai.generator),
        kv('Machine-readable mark missing (Art. 50(2))', ai.markMissing),
        kv('Our AI systems that consumed the data', ai.consumers),
        kv('High-risk AI system involved (Art. 26(5), 73)', ai.highRisk),
      ],
    },
    {
      t: 'table',
      headers: ['Heuristic scan signal', 'Findings'],
      rows: ai.heuristicSignals.map((r) => [clean(r.rule, 200), String(r.count)]),
      empty: 'Heuristic scan signals for AI-generated content: none recorded',
    },
    {
      t: 'note',
      text: 'A verified machine-readable mark (e.g. a C2PA manifest or watermark check) establishes AI generation; a classifier or heuristic score does not, and is reported as such.',
    },
  ]);

  add('impact', [
    {
      t: 'kv',
      rows: [
        kv('Services and systems affected', m.impact.servicesAffected),
        kv('Duration', m.impact.duration),
        kv('Impact on the organisation', c.impact),
        kv('Recovery', c.recovery),
        kv('Costs, losses and recoveries', m.impact.costs),
        kv('Staff involvement and training', m.impact.staffInvolvement),
      ],
    },
  ]);

  add('review', [
    {
      t: 'kv',
      rows: [
        kv('Root cause', m.review.rootCause),
        kv('Lessons learned', m.review.lessons),
        kv('Recurrence', m.review.recurrence),
      ],
    },
    ...(m.reportType.phase === 'final'
      ? []
      : [{ t: 'note' as const, text: 'Required in the final report; recorded here as far as known.' }]),
  ]);

  if (m.authorityMap) {
    add('map', [
      { t: 'p', text: m.authorityMap.title },
      { t: 'note', text: m.authorityMap.note },
      {
        t: 'table',
        headers: ['Form field', 'Value to enter', 'Source'],
        rows: m.authorityMap.fields.map((f) => [f.field, clean(f.value), f.source]),
        empty: '',
      },
    ]);
  }

  add('gaps', [
    {
      t: 'table',
      headers: ['Section', 'Not yet recorded', 'How to record it'],
      rows: m.gaps.map((g) => [g.section, g.missing, g.record]),
      empty: 'None: every item this report looks for has evidence.',
    },
  ]);

  add('timeline', [
    {
      t: 'table',
      headers: ['#', 'Time (UTC)', 'Actor', 'Kind', 'What', 'Entry hash'],
      rows: m.timeline.map((r) => [
        String(r.seq),
        r.ts,
        clean(r.actor, 200),
        clean(r.kind, 100),
        clean(r.summary, 1000),
        r.hash,
      ]),
      empty: NO_EVIDENCE,
      widths: [4, 14, 10, 12, 37, 23],
    },
    ...(m.notes.length
      ? [
          {
            t: 'table' as const,
            headers: ['Note', 'Time (UTC)', 'Actor', 'Text'],
            rows: m.notes.map((x) => [
              `#${x.seq}`,
              x.ts,
              clean(x.actor, 200),
              x.text === null ? '(withheld: aggregate-only)' : clean(x.text),
            ]),
            empty: '',
          },
        ]
      : []),
  ]);

  if (m.flaggedRecords) {
    const MAX = 1000;
    add('records', [
      {
        t: 'table',
        headers: ['Record Id', 'Object', 'Level', 'Score', 'Rules', 'Country', 'Created', 'Created by', 'Scan'],
        rows: m.flaggedRecords
          .slice(0, MAX)
          .map((r) => [
            clean(r.id, 40),
            clean(r.object ?? '-', 40),
            clean(r.level ?? '-', 20),
            r.score === null ? '-' : r.score.toFixed(2),
            clean(r.rules.slice(0, 4).join(', ') + (r.rules.length > 4 ? ` +${r.rules.length - 4} more` : ''), 160),
            clean(r.country ?? '-', 40),
            r.createdDate && !Number.isNaN(Date.parse(r.createdDate))
              ? shortTime(new Date(r.createdDate).toISOString())
              : clean(r.createdDate ?? '-', 30),
            clean(r.createdById ?? '-', 40),
            `#${r.seq}`,
          ]),
        empty: `Flagged records: ${NO_EVIDENCE}`,
        widths: [19, 8, 6, 6, 22, 8, 11, 14, 6],
      },
      ...(m.flaggedRecords.length > MAX
        ? [
            {
              t: 'note' as const,
              text: `First ${MAX} of ${m.flaggedRecords.length} records; the JSON format lists all.`,
            },
          ]
        : []),
      {
        t: 'note',
        text: 'Record identifiers only (no field values). Generate with --aggregate-only to leave this annex out.',
      },
    ]);
  }

  const g = m.integrity;
  add('integrity', [
    {
      t: 'kv',
      rows: [
        ['Log origin', clean(g.origin), ''],
        ['Database', clean(g.dbPath), ''],
        ['Schema version', String(g.schemaVersion), ''],
        ['Canonicalisation', g.canonicalization, ''],
        [
          'Hash algorithm',
          `${g.hashAlgorithm}; entry hash = sha256("${g.domain.replace('\0', '\\0')}" || prev_hash || canonical_json(entry)); the first entry chains from 64 zeros`,
          '',
        ],
        ['Entries in the log', String(g.entryCount), ''],
        ['Entries of this incident', String(g.incidentEntryCount), ''],
        ['Head (entry, hash)', `#${g.head.seq} ${g.head.hash}`, ''],
        [
          'Verified',
          g.verified
            ? 'yes: the whole chain was walked and every entry recomputed when this report was generated'
            : 'NO',
          '',
        ],
        [
          'Checkpoint',
          g.checkpoint.signed
            ? `signed (Ed25519, public key sha256 ${g.checkpoint.keyFingerprint})`
            : 'unsigned (no signing key given)',
          '',
        ],
        [
          'This report in the log',
          `entry #${g.recordedAs.seq} (${g.recordedAs.kind}), holding this report's sha256`,
          '',
        ],
        ['Tool', `lockout ${clean(m.tool.version)}`, ''],
        ['Clock source', g.clockSource, ''],
      ],
    },
    { t: 'p', text: 'Checkpoint (save it as checkpoint.txt, byte for byte):' },
    { t: 'pre', text: g.checkpoint.text },
    { t: 'p', text: 'Commands to re-verify:' },
    { t: 'pre', text: g.commands.map((x) => `# ${x.purpose}\n${x.command}`).join('\n\n') },
    {
      t: 'note',
      text: `The log keeps growing after this report (this report's own entry is #${g.recordedAs.seq}), so a later "lockout audit verify" shows more entries and a newer head; the checkpoint command proves that the first ${g.head.seq} entries, up to the head printed here, are unchanged.`,
    },
  ]);

  return {
    title: `Personal data breach / incident report ${clean(m.incident.id)}`,
    subtitle: `${phaseText} report, version ${m.reportType.version}, generated ${m.generatedAt}`,
    sections,
  };
}
