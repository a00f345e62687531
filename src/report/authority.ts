import type { ReportModel, Stated } from './model.js';

/**
 * Authority maps: field by field, what to paste into a supervisory authority's form, from the report model only.
 * Field lists follow regulatory.md §3 (ICO online form, CNIL téléservice content, GDPR Art. 33(3) for generic).
 */

export const AUTHORITIES = ['ico', 'cnil', 'generic'] as const;
export type AuthorityName = (typeof AUTHORITIES)[number];

export interface AuthorityField {
  field: string;
  value: string;
  /** Evidence entries the value comes from (`#12, #14`), `config`, `derived`, or `not recorded`. */
  source: string;
}

export interface AuthorityMap {
  authority: AuthorityName;
  title: string;
  note: string;
  fields: AuthorityField[];
}

const NOT = 'not recorded';

const src = (s: Stated<unknown>): string =>
  s.from === 'none'
    ? NOT
    : s.from === 'config'
      ? 'config'
      : `${s.from === 'derived' ? 'derived from ' : ''}${s.seqs.map((n) => `#${n}`).join(', ') || 'evidence'}`;

const text = (s: Stated<unknown>): string => {
  const v = s.value;
  if (v === null || v === undefined) return NOT;
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== null && x !== undefined)
      .map(([k, x]) => `${k}: ${String(x)}`)
      .join('; ');
  }
  return String(v);
};

const f = (field: string, s: Stated<unknown>): AuthorityField => ({ field, value: text(s), source: src(s) });
const raw = (field: string, value: string, source: string): AuthorityField => ({ field, value, source });

function common(m: ReportModel) {
  const seqList = (seqs: number[]) => (seqs.length ? seqs.map((n) => `#${n}`).join(', ') : NOT);
  const counts = `${m.subjects.flagged} records flagged by scan (high ${m.subjects.byLevel.high}, medium ${m.subjects.byLevel.medium}, low ${m.subjects.byLevel.low})`;
  const scanSeqs = m.subjects.scans.map((s) => s.seq);
  const measures = m.measures.length
    ? m.measures
        .map((x) => `${x.title}: ${x.start} to ${x.end}${x.approver ? `, approved by ${x.approver}` : ''}`)
        .join('; ')
    : NOT;
  const measureSeqs = m.measures.flatMap((x) => x.seqs);
  const notices = m.notices.length
    ? m.notices
        .map((n) => `${n.to}${n.name ? ` (${n.name})` : ''}${n.stage ? ` ${n.stage}` : ''} at ${n.at}`)
        .join('; ')
    : NOT;
  const subjects =
    m.subjects.approximateSubjects.value === null
      ? m.subjects.approximateSubjects.basis
      : `${m.subjects.approximateSubjects.value} (${m.subjects.approximateSubjects.basis})`;
  const what = [m.nature.description.value, m.nature.ingestion.value ? `Ingestion: ${m.nature.ingestion.value}` : null]
    .filter(Boolean)
    .join(' ');
  return {
    counts: raw('Number of records', counts, scanSeqs.length ? seqList(scanSeqs) : NOT),
    subjects: raw('Number of data subjects (approximate)', subjects, seqList(m.subjects.existingRecordsAltered.seqs)),
    measures: raw('Measures taken', measures, seqList(measureSeqs)),
    notices: raw('Other organisations informed', notices, seqList(m.notices.map((n) => n.seq))),
    what: raw('What happened', what || NOT, seqList([...m.nature.description.seqs, ...m.nature.ingestion.seqs])),
    fields: raw(
      'Fields altered (names and counts, never values)',
      m.fieldsAltered.length ? m.fieldsAltered.map((x) => `${x.field} (${x.count ?? '?'})`).join(', ') : NOT,
      seqList(m.fieldsAltered.flatMap((x) => x.seqs)),
    ),
  };
}

/** Build the field-by-field map for one authority. */
export function authorityMap(authority: AuthorityName, m: ReportModel): AuthorityMap {
  const c = common(m);
  const contact = m.controller.dpo.value ? m.controller.dpo : m.controller.contact;
  const gdpr = m.clocks.find((k) => k.regime === 'GDPR');
  const delay = raw(
    'Reasons for delay beyond 72 hours',
    gdpr && (gdpr.status === 'late' || gdpr.status === 'overdue')
      ? (gdpr.reason ?? 'no reason recorded')
      : 'not applicable (not late)',
    gdpr?.seqs.map((n) => `#${n}`).join(', ') ?? NOT,
  );
  if (authority === 'ico') {
    return {
      authority,
      title: 'UK ICO: personal data breach report form',
      note: "The ICO asks that the breach's personal data (e.g. names) are not included: generate this map with --aggregate-only.",
      fields: [
        raw('Report type', m.reportType.phase === 'initial' ? 'Initial report' : 'Follow-up report', 'this report'),
        f('ICO case reference (follow-up)', m.reportType.saReference),
        f('Organisation name', m.controller.name),
        c.what,
        f('Was the breach caused by a cyber incident?', m.nature.cyber),
        raw(
          'How did you find out about the breach?',
          [
            m.timestamps.awareBasis.value,
            m.timestamps.detectedAt.value ? `detected ${m.timestamps.detectedAt.value}` : null,
          ]
            .filter(Boolean)
            .join('; ') || NOT,
          src(m.timestamps.awareBasis),
        ),
        f('When did you discover the breach?', m.timestamps.awareAt),
        f('When did the breach happen?', m.timestamps.occurredAt),
        f('Categories of personal data', m.subjects.dataCategories),
        c.counts,
        c.subjects,
        f('Categories of data subjects', m.subjects.subjectCategories),
        f('Potential consequences', m.consequences.consequences),
        f('Likelihood of consequences', m.consequences.likelihood),
        f('Confidentiality / integrity / availability affected', m.nature.types),
        f('Impact on your organisation', m.consequences.impact),
        f('Recovery time', m.consequences.recovery),
        f('Staff involvement and training', m.impact.staffInvolvement),
        f('Preventive measures in place beforehand / proposed', m.measuresProposed),
        c.measures,
        f('Have you told the data subjects?', m.communication),
        c.notices,
        f('Contact person', contact),
      ],
    };
  }
  if (authority === 'cnil') {
    return {
      authority,
      title: 'CNIL: notification de violation de données personnelles',
      note: `Notification ${m.reportType.phase === 'initial' ? 'initiale' : 'complémentaire'}. The CNIL accepts the notification summary as the internal register entry (Art. 33(5)).`,
      fields: [
        raw('Type de notification', m.reportType.phase === 'initial' ? 'initiale' : 'complémentaire', 'this report'),
        f('Numéro de notification initiale', m.reportType.saReference),
        f('Organisme (raison sociale)', m.controller.name),
        f('Numéro SIREN', m.controller.registrationNumber),
        f('Adresse', m.controller.address),
        f('Représentant légal', m.controller.legalRepresentative),
        f('Personne à contacter (DPO)', contact),
        f('Nature de la violation (confidentialité / intégrité / disponibilité)', m.nature.types),
        c.what,
        f('Date de début de la violation', m.timestamps.occurredAt),
        f('Date de prise de connaissance', m.timestamps.awareAt),
        f('Catégories de personnes concernées', m.subjects.subjectCategories),
        c.subjects,
        f('Catégories de données', m.subjects.dataCategories),
        c.counts,
        c.fields,
        f('Conséquences probables', m.consequences.consequences),
        c.measures,
        f('Mesures envisagées', m.measuresProposed),
        f('Information des personnes concernées', m.communication),
        delay,
        f('Traitement concerné (registre)', m.controller.processingActivities),
      ],
    };
  }
  return {
    authority,
    title: 'Generic: GDPR Art. 33(3) minimum content and cross-border fields',
    note: 'For authorities without a specific map; follows Art. 33(3)(a)-(d) and the IDPC cross-border fields.',
    fields: [
      raw('Notification type', m.reportType.phase, 'this report'),
      f('Prior authority reference', m.reportType.saReference),
      f('Controller', m.controller.name),
      f('Main establishment', m.controller.establishment),
      f('Lead supervisory authority', m.controller.leadSupervisoryAuthority),
      f('Member States concerned', m.controller.memberStatesConcerned),
      f('Cross-border impact', m.nature.crossBorder),
      raw(
        '(a) Nature of the breach',
        [text(m.nature.types), m.nature.description.value].filter((x) => x && x !== NOT).join(': ') || NOT,
        src(m.nature.types),
      ),
      f('(a) Categories of data subjects', m.subjects.subjectCategories),
      c.subjects,
      f('(a) Categories of personal data records', m.subjects.dataCategories),
      c.counts,
      f('(b) DPO or other contact point', contact),
      f('(c) Likely consequences', m.consequences.consequences),
      c.measures,
      f('(d) Measures proposed', m.measuresProposed),
      delay,
      f('Communication to data subjects (Art. 34)', m.communication),
    ],
  };
}
