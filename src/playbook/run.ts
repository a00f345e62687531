import { UsageError } from '../errors.js';
import { redact } from '../redact.js';
import {
  BUILTIN_VARS,
  CLOCK_TITLES,
  CLOCKS,
  ROLE_TITLES,
  timeboxMinutes,
  type Answer,
  type Answers,
  type DecisionStep,
  type Playbook,
  type Role,
  type Step,
} from './schema.js';
import { stepOrder } from './parse.js';
import { displayCommand, placeholders, renderWords, tokenizeCommand } from './template.js';
import { settled, type RunState, type StepOutcome, type StepRecord } from './state.js';

/** Reads one answer from the responder; null when the input has ended. */
export type Prompter = (question: string) => Promise<string | null>;

export type Mode = { kind: 'interactive'; ask: Prompter } | { kind: 'answers'; answers: Answers; file: string };

export interface RunOptions {
  playbook: Playbook;
  source: { file: string; sha256: string; origin: string };
  incident: { id: string; awareAt: string };
  actor: string;
  /** --var values. On resume they extend or override the run's recorded values. */
  vars: Record<string, string>;
  /** The run to continue (--resume), or null for a new run. */
  resume: RunState | null;
  mode: Mode;
  /** How the responder named the playbook (a name or a file), for the resume command shown. */
  invokedAs?: string;
}

export interface RunDeps {
  /** Run `lockout <argv>` in-process with the run's global flags; returns its exit code and error line. */
  exec(argv: string[]): Promise<{ code: number; error?: string }>;
  /** Append `playbook.started` and return the new run id (allocated inside the append). */
  start(payload: (run: string) => Record<string, unknown>): string;
  /** Append one evidence entry for this run's incident. */
  record(kind: string, payload: Record<string, unknown>): void;
  now(): Date;
  /** Narration for the responder (stderr). */
  say(text: string): void;
}

export interface StepResult {
  step: string;
  title: string;
  kind: Step['kind'];
  outcome: StepOutcome | 'pending';
  /** Done before this invocation (a resumed run). */
  earlier?: boolean;
  exitCode?: number;
  decision?: string;
  decidedBy?: string;
  role?: string;
  reason?: string;
}

export interface RunResult {
  run: string;
  playbook: string;
  incident: string;
  status: 'completed' | 'stopped';
  resumed: boolean;
  steps: StepResult[];
  stopped?: { step: string; reason: string; exitCode: number; resume: string };
}

class Stop extends Error {
  constructor(
    readonly step: string,
    readonly reason: string,
    readonly exitCode: number,
    readonly hint?: string,
  ) {
    super(reason);
  }
}

const fmtMinutes = (m: number): string => {
  const abs = Math.abs(Math.round(m));
  const h = Math.floor(abs / 60);
  return h ? `${h}h ${String(abs % 60).padStart(2, '0')}m` : `${abs}m`;
};

/** Fill placeholders for display; unknown ones stay visible as {{name}}. */
const fill = (text: string, values: Record<string, string | undefined>) =>
  text.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (m, name: string) => values[name] ?? m);

/** Variables a run needs before it starts: used in any step and not learned during the run. */
export function requiredVars(pb: Playbook): string[] {
  const names = new Set<string>();
  for (const s of pb.steps) {
    const text = s.kind === 'command' ? s.command : s.kind === 'manual' ? s.instructions : s.question;
    for (const ref of placeholders(text)) {
      if (ref.includes('.') || (BUILTIN_VARS as readonly string[]).includes(ref)) continue;
      if (!pb.vars[ref]?.from) names.add(ref);
    }
  }
  return [...names];
}

/** Walk a playbook: each step in dependency order, recorded in the evidence log as it starts and ends. */
export async function runPlaybook(opts: RunOptions, deps: RunDeps): Promise<RunResult> {
  const pb = opts.playbook;
  const values: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(pb.vars)) if (v.default !== undefined) values[k] = v.default;
  Object.assign(values, opts.resume?.vars ?? {}, opts.vars);

  const missing = requiredVars(pb).filter((v) => !values[v]);
  if (missing.length) {
    const [first] = missing;
    throw new UsageError(`playbook ${pb.name} needs --var ${missing.map((m) => `${m}=<value>`).join(' --var ')}`, {
      hint: `${first}: ${pb.vars[first!]?.description ?? ''}${pb.vars[first!]?.example ? ` (e.g. ${pb.vars[first!]?.example})` : ''}`,
    });
  }
  for (const name of Object.keys(opts.vars)) {
    if (!(name in pb.vars)) {
      throw new UsageError(`--var ${name}: playbook ${pb.name} has no variable "${name}"`, {
        hint: `its variables: ${Object.keys(pb.vars).join(', ') || 'none'}`,
      });
    }
  }

  const records = new Map<string, StepRecord>(opts.resume?.steps ?? []);
  const recordedVars = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
  let run: string;
  if (opts.resume) {
    run = opts.resume.run;
    deps.record('playbook.resumed', {
      run,
      playbook: pb.name,
      vars: opts.vars,
      settled: [...records.values()].filter(settled).map((r) => r.step),
    });
    deps.say(`resuming ${run} (${pb.title}) for ${opts.incident.id}`);
    for (const step of opts.resume.interrupted) {
      deps.say(`note: step ${step} was started and never finished (interrupted); it runs again, check its state first`);
    }
    if (opts.resume.sha256 && opts.resume.sha256 !== opts.source.sha256) {
      deps.say(`note: ${opts.source.file} changed since ${run} started; steps already done are not run again`);
    }
  } else {
    run = deps.start((id) => ({
      run: id,
      playbook: pb.name,
      title: pb.title,
      version: pb.version,
      file: opts.source.file,
      origin: opts.source.origin,
      sha256: opts.source.sha256,
      vars: recordedVars,
      mode: opts.mode.kind,
      steps: pb.steps.length,
    }));
    deps.say(`${run}: ${pb.title} (${pb.steps.length} steps) for ${opts.incident.id}`);
  }
  values.incident = opts.incident.id;
  values.actor = opts.actor;
  values.playbook = pb.name;
  values.run = run;

  const order = stepOrder(pb);
  const results: StepResult[] = [];
  const decisionValues = () => {
    const out: Record<string, string | undefined> = {};
    for (const r of records.values()) {
      if (r.outcome !== 'decided') continue;
      out[`${r.step}.decision`] = r.decision;
      out[`${r.step}.decidedBy`] = r.decidedBy;
      out[`${r.step}.role`] = r.role;
      out[`${r.step}.reason`] = r.reason;
    }
    return out;
  };

  let index = 0;
  try {
    for (const step of order) {
      index++;
      const prior = records.get(step.id);
      if (settled(prior)) {
        results.push({ step: step.id, title: step.title, kind: step.kind, earlier: true, ...pick(prior!) });
        deps.say(`✓ ${index}/${order.length} ${step.id}: ${prior!.outcome} earlier (${prior!.actor}, ${prior!.ts})`);
        continue;
      }
      if (step.when) {
        const d = records.get(step.when.step)?.decision;
        if (!d || !step.when.in.includes(d)) {
          const reason = `applies only when ${step.when.step} is ${step.when.in.join(' or ')} (it is ${d ?? 'undecided'})`;
          deps.record('playbook.step.completed', { run, step: step.id, outcome: 'not-applicable', reason });
          records.set(step.id, mkRecord(step.id, 'not-applicable', deps, opts.actor, { reason }));
          results.push({ step: step.id, title: step.title, kind: step.kind, outcome: 'not-applicable', reason });
          deps.say(`- ${index}/${order.length} ${step.id}: not applicable, ${reason}`);
          continue;
        }
      }
      const all = { ...values, ...decisionValues() };
      const shownAt = deps.now();
      const clock = step.clock ? clockInfo(step.clock, opts.incident.awareAt, shownAt) : undefined;
      deps.say(describeStep(step, index, order.length, all, clock?.text));
      let argv: string[] | undefined;
      const learned: Record<string, string> = {};
      if (step.kind === 'command') {
        argv = await renderCommand(step, pb, all, opts.mode, deps);
        for (const name of placeholders(step.command)) {
          if (values[name] === undefined && all[name] !== undefined && name in pb.vars) learned[name] = all[name]!;
        }
        Object.assign(values, learned);
        // A value was asked for: show the command as it will run.
        if (Object.keys(learned).length) deps.say(`   $ ${redact(displayCommand(['lockout', ...argv]))}`);
      }

      const started = deps.now();
      deps.record('playbook.step.started', {
        run,
        step: step.id,
        title: step.title,
        kind: step.kind,
        owner: step.owner,
        timebox: step.timebox,
        ...(argv ? { command: redact(displayCommand(['lockout', ...argv])) } : {}),
        ...(Object.keys(learned).length ? { learned: clean(learned) } : {}),
        ...(clock ? { clock: { name: step.clock, deadline: clock.deadline, minutesLeft: clock.minutesLeft } } : {}),
      });

      // Free text typed by a person is masked like everything else lockout records (a pasted token stays out).
      const outcome = clean(await perform(step, argv, opts.mode, deps));
      const elapsedMs = deps.now().getTime() - started.getTime();
      const overran = elapsedMs > timeboxMinutes(step.timebox) * 60_000;
      deps.record('playbook.step.completed', {
        run,
        step: step.id,
        ...outcome,
        elapsedMs,
        timeboxExceeded: overran,
      });
      records.set(step.id, mkRecord(step.id, outcome.outcome, deps, opts.actor, outcome));
      results.push({ step: step.id, title: step.title, kind: step.kind, ...pick(outcome) });
      if (overran) deps.say(`  (took ${fmtMinutes(elapsedMs / 60_000)}, over the ${step.timebox} timebox)`);
      if (outcome.outcome === 'failed') {
        throw new Stop(
          step.id,
          `step ${step.id} failed: lockout exited ${outcome.exitCode}${outcome.error ? `: ${outcome.error}` : ''}`,
          outcome.exitCode ?? 70,
        );
      }
      deps.say(
        outcome.outcome === 'skipped'
          ? `  ↷ skipped: ${outcome.reason ?? ''}`
          : `  ✓ ${outcome.outcome}${outcome.decision ? `: ${outcome.decision}` : ''}`,
      );
    }
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    deps.record('playbook.stopped', { run, step: e.step, reason: e.reason, exitCode: e.exitCode });
    for (const step of order.slice(results.length)) {
      results.push({ step: step.id, title: step.title, kind: step.kind, outcome: 'pending' });
    }
    const resume = `lockout playbook run ${opts.invokedAs ?? pb.name} --incident ${opts.incident.id} --resume${e.hint ? ` ${e.hint}` : ''}`;
    deps.say(`stopped at ${e.step}: ${e.reason}`);
    deps.say(`continue with: ${resume}`);
    return {
      run,
      playbook: pb.name,
      incident: opts.incident.id,
      status: 'stopped',
      resumed: !!opts.resume,
      steps: results,
      stopped: { step: e.step, reason: e.reason, exitCode: e.exitCode, resume },
    };
  }

  const counts: Record<string, number> = {};
  for (const r of results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
  deps.record('playbook.completed', { run, playbook: pb.name, outcomes: counts });
  deps.say(
    `${run} completed: ${Object.entries(counts)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}`,
  );
  return {
    run,
    playbook: pb.name,
    incident: opts.incident.id,
    status: 'completed',
    resumed: !!opts.resume,
    steps: results,
  };
}

const clean = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? redact(v) : v])) as T;

function pick(r: Partial<StepRecord> & { outcome: StepOutcome }): Omit<StepResult, 'step' | 'title' | 'kind'> {
  const out: Omit<StepResult, 'step' | 'title' | 'kind'> = { outcome: r.outcome };
  if (r.exitCode !== undefined) out.exitCode = r.exitCode;
  if (r.decision !== undefined) out.decision = r.decision;
  if (r.decidedBy !== undefined) out.decidedBy = r.decidedBy;
  if (r.role !== undefined) out.role = r.role;
  if (r.reason !== undefined) out.reason = r.reason;
  return out;
}

function mkRecord(
  step: string,
  outcome: StepOutcome,
  deps: RunDeps,
  actor: string,
  extra: Partial<StepRecord>,
): StepRecord {
  return { ...extra, step, outcome, seq: 0, actor, ts: deps.now().toISOString() };
}

function clockInfo(clock: keyof typeof CLOCKS, awareAt: string, now: Date) {
  const deadline = new Date(new Date(awareAt).getTime() + CLOCKS[clock] * 3_600_000);
  const minutesLeft = Math.round((deadline.getTime() - now.getTime()) / 60_000);
  const due = deadline
    .toISOString()
    .replace(/:\d\d\.\d{3}Z$/, ' UTC')
    .replace('T', ' ');
  const text =
    minutesLeft >= 0
      ? `${CLOCK_TITLES[clock]}: due ${due}, ${fmtMinutes(minutesLeft)} left`
      : `${CLOCK_TITLES[clock]}: OVERDUE since ${due} (${fmtMinutes(minutesLeft)}); record the reasons for the delay`;
  return { deadline: deadline.toISOString(), minutesLeft, text };
}

function describeStep(
  step: Step,
  index: number,
  total: number,
  values: Record<string, string | undefined>,
  clock: string | undefined,
): string {
  const lines = [
    '',
    `── ${index}/${total} ${step.id}: ${step.title}`,
    `   ${step.kind} · owner: ${ROLE_TITLES[step.owner]} · timebox ${step.timebox}`,
  ];
  if (clock) lines.push(`   ⏱ ${clock}`);
  if (step.why) lines.push(`   why: ${fill(step.why, values)}`);
  if (step.kind === 'command') {
    // Filled as far as known; a value asked for during the run still shows as {{name}} here.
    const t = tokenizeCommand(step.command);
    const words = t.ok ? t.words.map((w) => fill(w, values)) : [step.command];
    lines.push(`   $ ${t.ok ? displayCommand(words).replace(/'(\{\{[^}]+\}\})'/g, '$1') : words[0]}`);
    if (step.expect) lines.push(`   expect: ${fill(step.expect, values)}`);
  } else if (step.kind === 'manual') {
    lines.push(...indent(fill(step.instructions, values)), `   evidence to keep: ${fill(step.evidence, values)}`);
  } else {
    lines.push(`   ${fill(step.question, values)}`);
    step.options.forEach((o, i) => lines.push(`     ${i + 1}) ${o.id}: ${o.label}${o.next ? ` → ${o.next}` : ''}`));
    if (step.guidance) lines.push(...indent(fill(step.guidance, values)));
    lines.push(`   may decide: ${step.decidedBy.map((r) => ROLE_TITLES[r]).join(', ')}`);
  }
  return lines.join('\n');
}

const indent = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => `   ${l}`);

async function renderCommand(
  step: Extract<Step, { kind: 'command' }>,
  pb: Playbook,
  values: Record<string, string | undefined>,
  mode: Mode,
  deps: RunDeps,
): Promise<string[]> {
  const t = tokenizeCommand(step.command);
  if (!t.ok) throw new UsageError(`playbook ${pb.name}: steps ${step.id}: ${t.message}`);
  let r = renderWords(t.words.slice(1), values);
  if (!r.ok && mode.kind === 'interactive') {
    // Values learned during the run (an isolation id, a rollback run id) are asked for when they are needed.
    for (const name of r.missing) {
      const v = pb.vars[name];
      if (!v?.from) continue;
      deps.say(`   ${step.id} needs {{${name}}}: ${v.description}${v.example ? ` (e.g. ${v.example})` : ''}`);
      const answer = (await mode.ask(`   ${name}: `))?.trim();
      if (!answer) throw new Stop(step.id, `no value for {{${name}}}`, 4);
      values[name] = answer;
    }
    r = renderWords(t.words.slice(1), values);
  }
  if (!r.ok) {
    const name = r.missing[0]!;
    const v = pb.vars[name];
    throw new Stop(
      step.id,
      `step ${step.id} needs {{${name}}}, which has no value${v ? `: ${v.description}` : ''}`,
      2,
      r.missing.map((m) => `--var ${m}=<value>`).join(' '),
    );
  }
  return r.argv;
}

type Outcome = {
  outcome: StepOutcome;
  exitCode?: number;
  error?: string;
  decision?: string;
  decidedBy?: string;
  role?: Role;
  reason?: string;
  evidence?: string;
  note?: string;
};

async function perform(step: Step, argv: string[] | undefined, mode: Mode, deps: RunDeps): Promise<Outcome> {
  const answer: Answer | undefined = mode.kind === 'answers' ? mode.answers[step.id] : undefined;
  const noAnswer = (what: string) =>
    new Stop(step.id, `${mode.kind === 'answers' ? mode.file : 'answers'} has no ${what} for step ${step.id}`, 4);

  if (step.kind === 'command') {
    let run: boolean;
    let reason: string | undefined;
    if (mode.kind === 'answers') {
      if (answer?.confirm === undefined) throw noAnswer('confirm: true|false');
      run = answer.confirm;
      reason = answer.reason;
      if (!run && !reason) throw noAnswer('reason for skipping');
    } else {
      const c = await choose(mode.ask, '   run it? [y]es, [s]kip, [q]uit: ', ['y', 's', 'q'], step.id);
      run = c === 'y';
      if (!run) reason = await required(mode.ask, '   why skip it: ', step.id);
    }
    if (!run) return { outcome: 'skipped', reason };
    const r = await deps.exec(argv!);
    const ok = step.okExitCodes.includes(r.code);
    return { outcome: ok ? 'done' : 'failed', exitCode: r.code, ...(r.error && !ok ? { error: r.error } : {}) };
  }

  if (step.kind === 'manual') {
    if (mode.kind === 'answers') {
      if (!answer?.outcome) throw noAnswer('outcome: done|skipped');
      if (answer.outcome === 'done' && !answer.evidence?.trim()) throw noAnswer('evidence (where the evidence is)');
      if (answer.outcome === 'skipped' && !answer.reason?.trim()) throw noAnswer('reason for skipping');
      return {
        outcome: answer.outcome,
        ...(answer.evidence ? { evidence: answer.evidence } : {}),
        ...(answer.reason ? { reason: answer.reason } : {}),
        ...(answer.note ? { note: answer.note } : {}),
      };
    }
    const c = await choose(mode.ask, '   outcome? [d]one, [s]kip, [q]uit: ', ['d', 's', 'q'], step.id);
    if (c === 'd')
      return { outcome: 'done', evidence: await required(mode.ask, '   evidence (where it is): ', step.id) };
    return { outcome: 'skipped', reason: await required(mode.ask, '   why skip it: ', step.id) };
  }

  const d = step as DecisionStep;
  if (mode.kind === 'answers') {
    if (!answer?.decision) throw noAnswer('decision');
    if (!answer.decidedBy) throw noAnswer('decidedBy');
    const role = answer.role ?? (d.decidedBy.length === 1 ? d.decidedBy[0] : undefined);
    if (!role) throw noAnswer(`role (one of ${d.decidedBy.join(', ')})`);
    if (!answer.reason?.trim()) throw noAnswer('reason (the reasoning behind the decision)');
    return { outcome: 'decided', decision: answer.decision, decidedBy: answer.decidedBy, role, reason: answer.reason };
  }
  const ids = d.options.map((o) => o.id);
  let decision: string | undefined;
  while (!decision) {
    const a = (await mode.ask(`   decision (1-${ids.length} or id, q to quit): `))?.trim();
    if (a === undefined || a === 'q') throw new Stop(step.id, 'stopped by the responder', 4);
    decision = ids[Number(a) - 1] ?? ids.find((i) => i === a);
  }
  const decidedBy = await required(mode.ask, '   decided by (name): ', step.id);
  let role: Role | undefined = d.decidedBy.length === 1 ? d.decidedBy[0] : undefined;
  while (!role) {
    const a = (await mode.ask(`   their role (${d.decidedBy.join(', ')}): `))?.trim();
    if (a === undefined || a === 'q') throw new Stop(step.id, 'stopped by the responder', 4);
    role = d.decidedBy.find((r) => r === a);
  }
  const reason = await required(mode.ask, '   reasoning (recorded for the regulator): ', step.id);
  return { outcome: 'decided', decision, decidedBy, role, reason };
}

async function choose(ask: Prompter, q: string, keys: string[], step: string): Promise<string> {
  for (;;) {
    const a = (await ask(q))?.trim().toLowerCase();
    if (a === undefined || a === 'q' || a === 'quit') throw new Stop(step, 'stopped by the responder', 4);
    const k = a ? keys.find((key) => a.startsWith(key)) : undefined;
    if (k) return k;
  }
}

async function required(ask: Prompter, q: string, step: string): Promise<string> {
  for (;;) {
    const a = await ask(q);
    if (a === null) throw new Stop(step, 'stopped by the responder', 4);
    if (a.trim()) return a.trim();
  }
}
