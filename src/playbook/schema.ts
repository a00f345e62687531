import { z } from 'zod';

/**
 * The playbook file format (playbooks/*.yaml and the team directory named by `playbooks.dir`).
 * Shape only: cross-step rules (unknown `needs`, cycles, undeclared template variables, commands the CLI does
 * not know) are checked in parse.ts, where each problem can be given its YAML path and line.
 */

/** Who owns a step. Kept short and fixed so a team can map each role to a person on its rota. */
export const ROLES = ['on-call-engineer', 'integration-owner', 'compliance-lead', 'dpo'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_TITLES: Record<Role, string> = {
  'on-call-engineer': 'on-call engineer',
  'integration-owner': 'integration owner',
  'compliance-lead': 'compliance lead',
  dpo: 'DPO',
};

/** Regulatory clocks a step can show; each runs from the incident's `awareAt`. */
export const CLOCKS = { 'gdpr-72h': 72, 'nis2-24h': 24, 'nis2-72h': 72, 'dora-24h': 24 } as const;
export type Clock = keyof typeof CLOCKS;

export const CLOCK_TITLES: Record<Clock, string> = {
  'gdpr-72h': 'GDPR Art. 33 notification (72 h from awareness)',
  'nis2-24h': 'NIS2 Art. 23 early warning (24 h)',
  'nis2-72h': 'NIS2 Art. 23 incident notification (72 h)',
  'dora-24h': 'DORA Art. 19 initial notification (24 h from awareness)',
};

const ID = /^[a-z0-9][a-z0-9-]*$/;
const VAR = /^[A-Za-z][A-Za-z0-9_]*$/;
const TIMEBOX = /^(?=\d)(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;

const oneOf = (values: readonly string[]) => `must be one of ${values.join(', ')}`;

const id = z.string().regex(ID, 'must be lower-case letters, digits and dashes (e.g. freeze-users)');
const text = z.string().trim().min(1, 'must not be empty');
const role = z.enum(ROLES, { error: oneOf(ROLES) });

const condition = z.strictObject({
  /** A decision step this step depends on (directly or through other steps). */
  step: id,
  /** The step applies only when that decision was one of these options. */
  in: z.array(id).min(1, 'must list at least one option id'),
});

const common = {
  id,
  title: text,
  owner: role,
  /** How long the step should take, e.g. 10m, 1h, 1h30m, 2d; the runner records when it overruns. */
  timebox: z.string().regex(TIMEBOX, 'must be a duration such as 10m, 2h, 1h30m or 1d'),
  needs: z.array(id).default([]),
  /** Why the step matters, in a sentence: shown to the responder. */
  why: text.optional(),
  when: condition.optional(),
  clock: z.enum(Object.keys(CLOCKS) as [Clock, ...Clock[]], { error: oneOf(Object.keys(CLOCKS)) }).optional(),
};

const commandStep = z.strictObject({
  ...common,
  kind: z.literal('command'),
  /** A lockout command line with {{variables}}; rendered into argv without a shell. */
  command: text,
  /** Exit codes that count as the step succeeding (e.g. [0, 1] for a scan, where 1 means findings). */
  okExitCodes: z.array(z.number().int().min(0).max(255)).min(1).default([0]),
  /** What to look at in the output. */
  expect: text.optional(),
});

const manualStep = z.strictObject({
  ...common,
  kind: z.literal('manual'),
  instructions: text,
  /** What the responder must be able to show when the step is done (ticket, screenshot, file, name). */
  evidence: text,
});

const option = z.strictObject({ id, label: text, next: text.optional() });

const decisionStep = z.strictObject({
  ...common,
  kind: z.literal('decision'),
  question: text,
  options: z.array(option).min(2, 'a decision needs at least two options'),
  /** Roles allowed to take the decision; the runner records who decided and in which role. */
  decidedBy: z.array(role).min(1, 'must name at least one role'),
  /** What the decision must be based on, and what to record with it. */
  guidance: text.optional(),
});

export const stepSchema = z.discriminatedUnion('kind', [commandStep, manualStep, decisionStep], {
  error: (issue) => (issue.code === 'invalid_union' ? 'must be one of command, manual, decision' : undefined),
});

const variable = z.strictObject({
  description: text,
  example: z.string().optional(),
  default: z.string().optional(),
  /** A step that reveals the value (e.g. an id listed by an earlier command): the run asks for it then. */
  from: id.optional(),
});

export const playbookSchema = z.strictObject({
  name: id,
  title: text,
  version: z.number().int().min(1),
  /** When to reach for this playbook: the symptoms, in a few lines. */
  summary: text,
  /** Other playbooks to follow from this one (by name). */
  related: z.array(id).default([]),
  vars: z.record(z.string().regex(VAR, 'variable names are letters, digits and _'), variable).default({}),
  steps: z.array(stepSchema).min(1, 'a playbook needs at least one step'),
});

export type Playbook = z.infer<typeof playbookSchema>;
export type Step = z.infer<typeof stepSchema>;
export type CommandStep = Extract<Step, { kind: 'command' }>;
export type ManualStep = Extract<Step, { kind: 'manual' }>;
export type DecisionStep = Extract<Step, { kind: 'decision' }>;
export type Variable = z.infer<typeof variable>;

/** Minutes in a timebox string such as `1h30m` or `2d` (already validated). */
export function timeboxMinutes(timebox: string): number {
  const m = TIMEBOX.exec(timebox);
  if (!m) return 0;
  return Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** Built-in template variables, filled by the runner. */
export const BUILTIN_VARS = ['incident', 'actor', 'playbook', 'run'] as const;

/** The answers file for `playbook run --non-interactive`: step id -> what a person would have answered. */
export const answerSchema = z.strictObject({
  /** Command steps: run it (true) or skip it (false, with a reason). */
  confirm: z.boolean().optional(),
  /** Manual steps: done or skipped. */
  outcome: z.enum(['done', 'skipped'], { error: oneOf(['done', 'skipped']) }).optional(),
  /** Manual steps: the evidence gathered (where it is). */
  evidence: z.string().optional(),
  /** Decision steps: the option id chosen, who decided and in which role. */
  decision: id.optional(),
  decidedBy: text.optional(),
  role: role.optional(),
  /** Why (a decision's rationale, or why a step was skipped). */
  reason: z.string().optional(),
  note: z.string().optional(),
});
export const answersSchema = z.record(z.string(), answerSchema);
export type Answer = z.infer<typeof answerSchema>;
export type Answers = Record<string, Answer>;
