import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import {
  answersSchema,
  BUILTIN_VARS,
  playbookSchema,
  type Answers,
  type DecisionStep,
  type Playbook,
  type Step,
} from './schema.js';
import { checkArgv, type CommandSpec } from './catalog.js';
import { placeholders, REF, tokenizeCommand } from './template.js';

/** One problem in a playbook or answers file: where (YAML path and line) and what. */
export interface Problem {
  /** e.g. `steps[3].owner`, or `(root)`. */
  path: string;
  /** 1-based line in the file, or null when the file has no such place (e.g. an empty file). */
  line: number | null;
  message: string;
}

export interface ParseResult {
  /** The playbook when there are no errors (warnings allowed), else null. */
  playbook: Playbook | null;
  errors: Problem[];
  warnings: Problem[];
}

export interface ParseOptions {
  /** The file name without extension; a playbook's `name` should match it (warning otherwise). */
  basename?: string;
  /** The CLI's commands: when given, every command step is checked against it. */
  catalog?: CommandSpec;
  /** Names of the playbooks that exist, to check `related`. */
  known?: readonly string[];
}

type Path = (string | number)[];

const SECRET_FLAGS = new Set(['--access-token', '--password', '--client-secret']);

/** Render a path as `steps[3].owner`. */
export function formatPath(path: readonly (string | number | symbol)[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

/** `file:line: path: message`, the one-line form every caller prints. */
export function formatProblem(file: string, p: Problem): string {
  return `${file}${p.line ? `:${p.line}` : ''}: ${p.path === '(root)' ? '' : `${p.path}: `}${p.message}`;
}

/** The line of the node at `path`, or of its nearest existing ancestor; `key` asks for a key's own line. */
function lineOf(doc: Document, lines: LineCounter, path: Path, key?: string): number | null {
  if (key !== undefined) {
    const map = path.length ? doc.getIn(path, true) : doc.contents;
    if (isMap(map)) {
      const pair = map.items.find((it) => isPair(it) && isScalar(it.key) && it.key.value === key);
      const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
      if (range) return lines.linePos(range[0]).line;
    }
  }
  for (let n = path.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as
      { range?: [number, number, number] } | null | undefined;
    if (node?.range) return lines.linePos(node.range[0]).line;
  }
  return null;
}

function readYaml(text: string): { doc: Document; lines: LineCounter; error: Problem | null } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  const error = err
    ? { path: '(root)', line: lines.linePos(err.pos[0]).line, message: `YAML: ${err.message.split('\n')[0]}` }
    : null;
  return { doc, lines, error };
}

/** Turn zod issues into problems that name the YAML path and line. */
function schemaProblems(issues: readonly z.core.$ZodIssue[], doc: Document, lines: LineCounter): Problem[] {
  return issues.map((issue) => {
    const path = issue.path as Path;
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0]!;
      return {
        path: formatPath([...path, key]),
        line: lineOf(doc, lines, path, key),
        message: `unknown key${issue.keys.length > 1 ? `s ${issue.keys.join(', ')}` : ''}`,
      };
    }
    const present = doc.hasIn(path);
    let message = issue.message;
    if (!present && path.length && issue.code === 'invalid_type') message = 'is required';
    else if (issue.code === 'invalid_type') message = `must be ${issue.expected}`;
    return { path: formatPath(path), line: lineOf(doc, lines, path), message };
  });
}

/** Ids of every step `id` depends on, directly or not (assumes no cycles). */
export function ancestors(playbook: Playbook, id: string): Set<string> {
  const byId = new Map(playbook.steps.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const stack = [...(byId.get(id)?.needs ?? [])];
  while (stack.length) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(byId.get(next)?.needs ?? []));
  }
  return seen;
}

/** A cycle in `needs`, as the ids along it (first repeated at the end), or null. */
function findCycle(steps: readonly Step[]): string[] | null {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'open') return [...trail.slice(trail.indexOf(id)), id];
    state.set(id, 'open');
    trail.push(id);
    for (const n of byId.get(id)?.needs ?? []) {
      if (!byId.has(n)) continue;
      const c = visit(n);
      if (c) return c;
    }
    trail.pop();
    state.set(id, 'done');
    return null;
  };
  for (const s of steps) {
    const c = visit(s.id);
    if (c) return c;
  }
  return null;
}

/** Cross-step rules: unique ids, known `needs`, no cycles, conditions on earlier decisions, declared variables. */
function semanticProblems(pb: Playbook, doc: Document, lines: LineCounter, opts: ParseOptions) {
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const at = (list: Problem[], path: Path, message: string, key?: string) =>
    list.push({ path: formatPath(key ? [...path, key] : path), line: lineOf(doc, lines, path, key), message });

  if (opts.basename && opts.basename !== pb.name) {
    at(
      warnings,
      ['name'],
      `"${pb.name}" differs from the file name "${opts.basename}"; the file name is what run uses`,
    );
  }

  const firstIndex = new Map<string, number>();
  pb.steps.forEach((s, i) => {
    const prev = firstIndex.get(s.id);
    if (prev !== undefined) at(errors, ['steps', i, 'id'], `duplicate id "${s.id}" (also steps[${prev}])`);
    else firstIndex.set(s.id, i);
  });

  pb.steps.forEach((s, i) => {
    s.needs.forEach((n, k) => {
      if (n === s.id) at(errors, ['steps', i, 'needs', k], 'a step cannot need itself');
      else if (!firstIndex.has(n)) at(errors, ['steps', i, 'needs', k], `unknown step "${n}"`);
    });
  });
  const cycle = findCycle(pb.steps);
  if (cycle) {
    at(errors, ['steps', firstIndex.get(cycle[0]!)!, 'needs'], `dependency cycle: ${cycle.join(' -> ')}`);
    return { errors, warnings };
  }

  const byId = new Map(pb.steps.map((s) => [s.id, s]));
  const declared = new Set([...Object.keys(pb.vars), ...BUILTIN_VARS]);
  const used = new Set<string>();
  for (const [name, v] of Object.entries(pb.vars)) {
    if (v.from && !byId.has(v.from)) at(errors, ['vars', name, 'from'], `unknown step "${v.from}"`);
  }

  pb.steps.forEach((s, i) => {
    const before = ancestors(pb, s.id);
    if (s.when) {
      const target = byId.get(s.when.step);
      if (!target) at(errors, ['steps', i, 'when', 'step'], `unknown step "${s.when.step}"`);
      else if (target.kind !== 'decision') at(errors, ['steps', i, 'when', 'step'], `"${target.id}" is not a decision`);
      else if (!before.has(target.id)) {
        at(errors, ['steps', i, 'when', 'step'], `"${target.id}" must be in this step's needs (directly or not)`);
      } else {
        s.when.in.forEach((o, k) => {
          if (!target.options.some((opt) => opt.id === o)) {
            const ids = target.options.map((opt) => opt.id).join(', ');
            at(errors, ['steps', i, 'when', 'in', k], `"${o}" is not an option of "${target.id}" (${ids})`);
          }
        });
      }
    }
    if (s.kind === 'decision') {
      const seen = new Set<string>();
      s.options.forEach((o, k) => {
        if (seen.has(o.id)) at(errors, ['steps', i, 'options', k, 'id'], `duplicate option "${o.id}"`);
        seen.add(o.id);
      });
    }

    const texts: [string, string][] =
      s.kind === 'command'
        ? [['command', s.command]]
        : s.kind === 'manual'
          ? [
              ['instructions', s.instructions],
              ['evidence', s.evidence],
            ]
          : [['question', s.question]];
    for (const [field, text] of texts) {
      for (const ref of placeholders(text)) {
        used.add(ref.split('.')[0]!);
        if (!REF.test(ref)) {
          at(errors, ['steps', i, field], `{{${ref}}} is not a variable name or <step>.decision`);
        } else if (ref.includes('.')) {
          const stepId = ref.split('.')[0]!;
          const target = byId.get(stepId);
          if (!target || target.kind !== 'decision') {
            at(errors, ['steps', i, field], `{{${ref}}}: "${stepId}" is not a decision step`);
          } else if (!before.has(stepId)) {
            at(errors, ['steps', i, field], `{{${ref}}}: "${stepId}" must be in this step's needs (directly or not)`);
          }
        } else if (!declared.has(ref)) {
          at(errors, ['steps', i, field], `{{${ref}}} is not declared under vars`);
        } else {
          const from = pb.vars[ref]?.from;
          if (from && from !== s.id && !before.has(from)) {
            at(errors, ['steps', i, field], `{{${ref}}} is learned at step "${from}", which this step does not need`);
          }
        }
      }
    }

    if (s.kind === 'command') {
      const t = tokenizeCommand(s.command);
      if (!t.ok) at(errors, ['steps', i, 'command'], t.message);
      else if (t.words[0] !== 'lockout') at(errors, ['steps', i, 'command'], 'must start with "lockout"');
      else if (t.words.some((w) => SECRET_FLAGS.has(w.split('=')[0]!))) {
        // Commands are shown and recorded in the evidence log: credentials come from the environment instead.
        at(errors, ['steps', i, 'command'], 'must not carry credentials; set SF_ACCESS_TOKEN etc. in the environment');
      } else if (opts.catalog) {
        const problem = checkArgv(t.words.slice(1), opts.catalog);
        if (problem) at(errors, ['steps', i, 'command'], `not a valid lockout command: ${problem}`);
      }
    }
  });

  for (const name of Object.keys(pb.vars)) {
    if (!used.has(name)) at(warnings, ['vars', name], 'declared but never used');
  }
  if (opts.known) {
    pb.related.forEach((r, k) => {
      if (!opts.known!.includes(r)) at(warnings, ['related', k], `no playbook named "${r}"`);
    });
  }
  return { errors, warnings };
}

/** Parse and check a playbook. Pure: errors and warnings are values, each with its YAML path and line. */
export function parsePlaybook(text: string, opts: ParseOptions = {}): ParseResult {
  const { doc, lines, error } = readYaml(text);
  if (error) return { playbook: null, errors: [error], warnings: [] };
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return {
      playbook: null,
      errors: [{ path: '(root)', line: lineOf(doc, lines, []), message: 'a playbook is a YAML mapping' }],
      warnings: [],
    };
  }
  const parsed = playbookSchema.safeParse(data);
  if (!parsed.success) {
    return { playbook: null, errors: schemaProblems(parsed.error.issues, doc, lines), warnings: [] };
  }
  const { errors, warnings } = semanticProblems(parsed.data, doc, lines, opts);
  return { playbook: errors.length ? null : parsed.data, errors, warnings };
}

/**
 * The order steps run in: every step after all it needs; ties keep the file order, so a playbook reads top to
 * bottom as it runs. Requires a playbook without cycles (parsePlaybook guarantees it).
 */
export function stepOrder(pb: Playbook): Step[] {
  const done = new Set<string>();
  const order: Step[] = [];
  while (order.length < pb.steps.length) {
    const next = pb.steps.find((s) => !done.has(s.id) && s.needs.every((n) => done.has(n)));
    if (!next) throw new Error(`playbook ${pb.name}: steps cannot be ordered (cycle)`);
    done.add(next.id);
    order.push(next);
  }
  return order;
}

/** Parse an answers file against a playbook: unknown steps, wrong options and roles are errors with lines. */
export function parseAnswers(text: string, pb: Playbook): { answers: Answers | null; errors: Problem[] } {
  const { doc, lines, error } = readYaml(text);
  if (error) return { answers: null, errors: [error] };
  const data: unknown = doc.toJS() ?? {};
  const parsed = answersSchema.safeParse(data);
  if (!parsed.success) return { answers: null, errors: schemaProblems(parsed.error.issues, doc, lines) };
  const errors: Problem[] = [];
  const byId = new Map(pb.steps.map((s) => [s.id, s]));
  const at = (path: Path, message: string, key?: string) =>
    errors.push({ path: formatPath(key ? [...path, key] : path), line: lineOf(doc, lines, path, key), message });
  for (const [id, a] of Object.entries(parsed.data)) {
    const step = byId.get(id);
    if (!step) {
      at([], `no step "${id}" in playbook ${pb.name}`, id);
      continue;
    }
    const wrong = (field: keyof typeof a, kinds: string) => {
      if (a[field] !== undefined) at([id], `only for ${kinds} steps; "${id}" is a ${step.kind} step`, field);
    };
    if (step.kind !== 'command') wrong('confirm', 'command');
    if (step.kind !== 'manual') {
      wrong('outcome', 'manual');
      wrong('evidence', 'manual');
    }
    if (step.kind !== 'decision') {
      wrong('decision', 'decision');
      wrong('decidedBy', 'decision');
      wrong('role', 'decision');
    } else {
      const d = step as DecisionStep;
      if (a.decision !== undefined && !d.options.some((o) => o.id === a.decision)) {
        at([id, 'decision'], `must be one of ${d.options.map((o) => o.id).join(', ')}`);
      }
      if (a.role !== undefined && !d.decidedBy.includes(a.role)) {
        at([id, 'role'], `"${a.role}" may not take this decision (${d.decidedBy.join(', ')} may)`);
      }
    }
  }
  return { answers: errors.length ? null : parsed.data, errors };
}
