import { Command, InvalidArgumentError, Option } from 'commander';
import type { Context } from './context.js';
import { emit } from './output.js';
import {
  AI_METHODS,
  assessIncident,
  COMMUNICATION,
  DATA_CATEGORIES,
  DECISIONS,
  EXEMPTIONS,
  IMPACTS,
  LIKELIHOODS,
  NATURES,
  NOTICE_STAGES,
  NOTICE_TO,
  RECOVERY,
  RISK_LEVELS,
  SUBJECT_CATEGORIES,
  TRISTATE,
  type AssessFlags,
} from '../incident/assess.js';

const oneOf =
  (values: readonly string[]) =>
  (v: string): string => {
    const x = v.trim().toLowerCase();
    if (!values.includes(x)) throw new InvalidArgumentError(`expected one of: ${values.join(', ')}`);
    return x;
  };

const listOf =
  (values: readonly string[]) =>
  (v: string, prev: string[] | undefined): string[] => {
    const items = v
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    if (!items.length) throw new InvalidArgumentError('the list is empty');
    const bad = items.filter((i) => !values.includes(i));
    if (bad.length) throw new InvalidArgumentError(`unknown ${bad.join(', ')}; expected: ${values.join(', ')}`);
    return [...new Set([...(prev ?? []), ...items])];
  };

const countries = (v: string, prev: string[] | undefined): string[] => {
  const items = v
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const bad = items.filter((i) => !/^[A-Z]{2}$/.test(i));
  if (!items.length || bad.length) throw new InvalidArgumentError('expected ISO 3166 two-letter codes, e.g. FR,DE');
  return [...new Set([...(prev ?? []), ...items])];
};

const exemption = (v: string): string => {
  const x = v
    .trim()
    .toLowerCase()
    .replace(/^34-?3-?/, '')
    .replace(/[()]/g, '');
  const full = `34-3-${x}`;
  if (!(EXEMPTIONS as readonly string[]).includes(full)) {
    throw new InvalidArgumentError(
      'expected a, b or c (Art. 34(3)(a) encrypted, (b) high risk no longer likely, (c) disproportionate effort)',
    );
  }
  return full;
};

const opt = (flags: string, help: string, parse?: (v: string, prev: never) => unknown) => {
  const o = new Option(flags, help);
  return parse ? o.argParser(parse as (v: string, prev: unknown) => unknown) : o;
};

/** `lockout incident assess [id]`: record structured facts and decisions for the report. */
export function registerAssess(incident: Command, ctxFor: (cmd: Command) => Context): void {
  const cmd = incident
    .command('assess')
    .description('record facts and decisions for the regulator report (risk, decision, notices, times, AI provenance)')
    .argument('[id]', 'incident id (default: --incident, LOCKOUT_INCIDENT or the current one)');
  const options: Option[] = [
    // when
    opt('--aware-at <time>', 'revise when the organisation became aware (needs --aware-basis)'),
    opt('--aware-basis <text>', 'why that is the moment of awareness (EDPB 9/2022 "reasonable degree of certainty")'),
    opt('--occurred-at <time>', 'when the incident started'),
    opt('--occurred-until <time>', 'when it ended'),
    opt('--detected-at <time>', 'when it was detected'),
    opt('--classified-at <time>', 'when it was classified as major (DORA) or significant (NIS2)'),
    opt('--resolved-at <time>', 'when it was resolved'),
    opt('--delay-reason <text>', 'reasons for any notification later than the deadline (Art. 33(1))'),
    // what
    opt('--nature <list>', `breach type, comma-separated: ${NATURES.join(', ')}`, listOf(NATURES)),
    opt('--description <text>', 'what happened, in plain language'),
    opt('--ingestion <text>', 'how the data came in (integration user, partner, pipeline)'),
    opt('--cyber <yes|no|unknown>', 'was it a cyber incident', oneOf(TRISTATE)),
    opt('--malicious <yes|no|unknown>', 'suspected unlawful or malicious cause (NIS2 early warning)', oneOf(TRISTATE)),
    opt('--cross-border <yes|no|unknown>', 'possible cross-border impact', oneOf(TRISTATE)),
    opt(
      '--personal-data-breach <yes|no|undetermined>',
      'is it a personal data breach (Art. 4(12))',
      oneOf(['yes', 'no', 'undetermined']),
    ),
    opt('--classification-basis <text>', 'why it is (or is not) a personal data breach'),
    opt('--data-categories <list>', `data categories: ${DATA_CATEGORIES.join(', ')}`, listOf(DATA_CATEGORIES)),
    opt(
      '--subject-categories <list>',
      `data-subject categories: ${SUBJECT_CATEGORIES.join(', ')}`,
      listOf(SUBJECT_CATEGORIES),
    ),
    opt('--member-states <list>', 'Member States concerned, ISO 3166 codes (e.g. FR,DE)', countries),
    // risk
    opt('--risk <level>', `risk rating: ${RISK_LEVELS.join(', ')}`, oneOf(RISK_LEVELS)),
    opt('--likelihood <level>', `likelihood of harm: ${LIKELIHOODS.join(', ')}`, oneOf(LIKELIHOODS)),
    opt('--consequences <text>', 'likely consequences for the people concerned (Art. 33(3)(c))'),
    opt('--risk-factors <text>', 'factors weighed (EDPB 9/2022 §I.F.2)'),
    opt('--impact <level>', `impact on the organisation: ${IMPACTS.join(', ')}`, oneOf(IMPACTS)),
    opt('--recovery <time>', `recovery time: ${RECOVERY.join(', ')}`, oneOf(RECOVERY)),
    opt('--nis2-significant <yes|no>', 'a significant incident under NIS2 Art. 23(3)', oneOf(['yes', 'no'])),
    opt('--dora-major <yes|no>', 'a major ICT-related incident under DORA', oneOf(['yes', 'no'])),
    // decision
    opt(
      '--decision <notify|no-notify>',
      'notify the supervisory authority or not (needs --decision-reason)',
      oneOf(DECISIONS),
    ),
    opt('--decided-by <name>', 'who decided (default: the actor)'),
    opt('--decision-reason <text>', 'why'),
    opt('--sa-reference <ref>', "the authority's case reference"),
    // data subjects
    opt(
      '--subjects <status>',
      `data-subject communication (Art. 34): ${COMMUNICATION.join(', ')}`,
      oneOf(COMMUNICATION),
    ),
    opt('--subjects-at <time>', 'when they were (or will be) informed (default: now)'),
    opt('--channel <text>', 'how they were informed (e-mail, letter, public notice) and the template used'),
    opt('--exemption <a|b|c>', 'the Art. 34(3) exemption relied on (with --subjects exempt)', exemption),
    opt('--subjects-reason <text>', 'the reasoning for an exemption or for not informing'),
    // notices
    opt('--notice <to>', `a notice sent: ${NOTICE_TO.join(', ')}`, oneOf(NOTICE_TO)),
    opt('--notice-name <name>', 'who received it (e.g. "CNIL", "Acme Partner Ltd")'),
    opt('--notice-stage <stage>', `report stage: ${NOTICE_STAGES.join(', ')}`, oneOf(NOTICE_STAGES)),
    opt('--notice-at <time>', 'when it was sent (default: now)'),
    opt('--notice-ref <ref>', 'reference returned by the recipient'),
    // AI provenance
    opt('--ai-generated <yes|no|unknown>', 'was AI-generated content involved', oneOf(TRISTATE)),
    opt('--ai-method <method>', `how that was established: ${AI_METHODS.join(', ')}`, oneOf(AI_METHODS)),
    opt('--ai-evidence <text>', 'verifier output (C2PA manifest, watermark check) or the heuristic used'),
    opt('--ai-generator <text>', 'generating system or provider, if known'),
    opt(
      '--ai-mark-missing <yes|no|unknown>',
      'AI content without the Art. 50(2) machine-readable mark',
      oneOf(TRISTATE),
    ),
    opt('--ai-consumers <text>', 'AI systems of ours that consumed the data'),
    opt('--ai-high-risk <yes|no|unknown>', 'did the data come from or feed a high-risk AI system', oneOf(TRISTATE)),
    // review
    opt('--root-cause <text>', 'root cause (final report)'),
    opt('--lessons <text>', 'lessons learned (final report)'),
    opt('--recurrence <text>', 'whether and how it recurred'),
    opt('--costs <text>', 'direct and indirect costs, losses and recoveries'),
    opt('--measures-proposed <text>', 'measures proposed, not yet taken (Art. 33(3)(d))'),
    opt('--services-affected <text>', 'services and systems affected'),
    opt('--staff-involvement <text>', 'staff involvement and training (ICO)'),
  ];
  for (const o of options) cmd.addOption(o);
  cmd.action((id: string | undefined, flags: AssessFlags, c: Command) => {
    const ctx = ctxFor(c);
    const result = assessIncident(ctx, id, flags);
    emit(ctx, result, (r) => `assessment recorded in ${r.incident} as entry #${r.seq}`);
  });
}
