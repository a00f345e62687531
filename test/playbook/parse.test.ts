import { PassThrough, Readable } from 'node:stream';
import { buildProgram } from '../../src/main.js';
import { catalogFromProgram, checkArgv } from '../../src/playbook/catalog.js';
import { formatProblem, parseAnswers, parsePlaybook, stepOrder } from '../../src/playbook/parse.js';
import { renderWords, tokenizeCommand } from '../../src/playbook/template.js';

/** A valid playbook to break one line at a time. Line numbers below refer to this text. */
const BASE = `name: sample
title: Sample
version: 1
summary: A sample playbook.
vars:
  integration:
    description: the integration
steps:
  - id: note
    title: Note it
    owner: on-call-engineer
    timebox: 5m
    kind: command
    command: lockout incident note "start {{integration}}"
  - id: decide
    title: Decide
    owner: dpo
    timebox: 30m
    needs: [note]
    kind: decision
    question: Notify?
    options:
      - { id: notify, label: notify }
      - { id: no-notify, label: do not notify }
    decidedBy: [dpo]
  - id: record
    title: Record
    owner: dpo
    timebox: 5m
    needs: [decide]
    when: { step: decide, in: [notify] }
    kind: command
    command: lockout incident assess --decision {{decide.decision}} --decided-by "{{decide.decidedBy}}"
  - id: check
    title: Check
    owner: integration-owner
    timebox: 1h30m
    needs: [record]
    kind: manual
    instructions: Look at it.
    evidence: a ticket
`;

const program = buildProgram({
  io: {
    in: Readable.from([]),
    out: new PassThrough(),
    err: new PassThrough(),
    isTTY: { in: false, out: false, err: false },
    color: false,
  },
  env: {},
  cwd: '/',
});
const catalog = catalogFromProgram(program);

const edit = (from: string, to: string) => {
  expect(BASE).toContain(from);
  return BASE.replace(from, to);
};

describe('parsePlaybook', () => {
  it('accepts the sample and orders its steps', () => {
    const r = parsePlaybook(BASE, { catalog, basename: 'sample' });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(stepOrder(r.playbook!).map((s) => s.id)).toEqual(['note', 'decide', 'record', 'check']);
  });

  // [what is broken, text, expected path, expected line, message fragment]
  const cases: [string, string, string, number, string][] = [
    [
      'bad owner',
      edit('owner: dpo\n    timebox: 30m', 'owner: legal\n    timebox: 30m'),
      'steps[1].owner',
      17,
      'must be one of on-call-engineer, integration-owner, compliance-lead, dpo',
    ],
    [
      'unknown key',
      edit('    evidence: a ticket\n', '    evidence: a ticket\n    evidense: typo\n'),
      'steps[3].evidense',
      42,
      'unknown key',
    ],
    ['missing field', edit('    evidence: a ticket\n', ''), 'steps[3].evidence', 34, 'is required'],
    ['bad kind', edit('kind: manual', 'kind: manul'), 'steps[3].kind', 39, 'must be one of command, manual, decision'],
    ['bad timebox', edit('timebox: 1h30m', 'timebox: 90 minutes'), 'steps[3].timebox', 37, 'must be a duration'],
    ['unknown needs', edit('needs: [record]', 'needs: [recrod]'), 'steps[3].needs[0]', 38, 'unknown step "recrod"'],
    ['duplicate id', edit('- id: check', '- id: note'), 'steps[3].id', 34, 'duplicate id "note"'],
    [
      'cycle',
      edit(
        '    timebox: 5m\n    kind: command\n    command: lockout incident note',
        '    timebox: 5m\n    needs: [check]\n    kind: command\n    command: lockout incident note',
      ),
      'steps[0].needs',
      13,
      'dependency cycle: note -> check -> record -> decide -> note',
    ],
    [
      'undeclared var',
      edit('"start {{integration}}"', '"start {{integraton}}"'),
      'steps[0].command',
      14,
      '{{integraton}} is not declared under vars',
    ],
    [
      'when on an unknown option',
      edit('in: [notify]', 'in: [notfy]'),
      'steps[2].when.in[0]',
      31,
      '"notfy" is not an option of "decide"',
    ],
    [
      'not a lockout command',
      edit('command: lockout incident note', 'command: rm -rf / #'),
      'steps[0].command',
      14,
      'must start with "lockout"',
    ],
    ['shell operator', edit('"start {{integration}}"', '"start" | tee x'), 'steps[0].command', 14, 'shell operator'],
    [
      'unclosed quote',
      edit('"start {{integration}}"', '"start {{integration}}'),
      'steps[0].command',
      14,
      'unclosed " at column',
    ],
    ['unknown option', edit('--decided-by', '--decided-bye'), 'steps[2].command', 33, 'unknown option --decided-bye'],
    [
      'a credential',
      edit('incident note', 'org whoami --access-token {{integration}} #'),
      'steps[0].command',
      14,
      'must not carry credentials',
    ],
    ['unknown subcommand', edit('incident note', 'incident nope'), 'steps[0].command', 14, 'unknown command "nope"'],
    [
      'one option',
      edit('      - { id: no-notify, label: do not notify }\n', ''),
      'steps[1].options',
      23,
      'at least two options',
    ],
    [
      'decision of a later step',
      edit('needs: [decide]\n    when', 'needs: [note]\n    when'),
      'steps[2].when.step',
      31,
      "must be in this step's needs",
    ],
  ];
  it.each(cases)('%s: reports the YAML path and line', (_what, text, path, line, message) => {
    const r = parsePlaybook(text, { catalog });
    expect(r.playbook).toBeNull();
    const hit = r.errors.find((e) => e.path === path);
    expect({ errors: r.errors, hit }).toMatchObject({ hit: { path, line } });
    expect(hit!.message).toContain(message);
  });

  it('reports YAML syntax errors with their line', () => {
    const r = parsePlaybook(edit('    title: Check\n', '    title: Check\n   bad: [\n'));
    expect(r.errors[0]).toMatchObject({ path: '(root)', line: 36 });
    expect(r.errors[0]!.message).toMatch(/^YAML: /);
  });

  it('reports duplicate keys', () => {
    const r = parsePlaybook(edit('title: Sample\n', 'title: Sample\ntitle: Again\n'));
    expect(r.errors[0]).toMatchObject({ line: 3 });
  });

  it('formats problems as file:line: path: message', () => {
    const r = parsePlaybook(edit('owner: dpo\n    timebox: 30m', 'owner: legal\n    timebox: 30m'));
    expect(formatProblem('team/x.yaml', r.errors[0]!)).toBe(
      'team/x.yaml:17: steps[1].owner: must be one of on-call-engineer, integration-owner, compliance-lead, dpo',
    );
  });

  it('warns about unused variables and a name that differs from the file', () => {
    const r = parsePlaybook(edit('vars:\n', 'vars:\n  spare:\n    description: not used\n'), { basename: 'other' });
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((w) => w.path).sort()).toEqual(['name', 'vars.spare']);
  });
});

describe('stepOrder', () => {
  it('runs every step after what it needs and keeps file order otherwise', () => {
    const text = edit('    needs: [note]\n    kind: decision', '    needs: [check]\n    kind: decision')
      .replace('    needs: [record]\n', '    needs: [note]\n')
      .replace('needs: [decide]\n    when', 'needs: [decide]\n    when');
    const r = parsePlaybook(text);
    expect(r.errors).toEqual([]);
    expect(stepOrder(r.playbook!).map((s) => s.id)).toEqual(['note', 'check', 'decide', 'record']);
  });
});

describe('command templates', () => {
  it('fills each word without splitting values or running a shell', () => {
    const t = tokenizeCommand(`lockout incident note "Triage: {{who}} said" '{{x}}' --a={{x}}`);
    expect(t).toEqual({
      ok: true,
      words: ['lockout', 'incident', 'note', 'Triage: {{who}} said', '{{x}}', '--a={{x}}'],
    });
    const r = renderWords((t as { words: string[] }).words, { who: "O'Brien; rm -rf /", x: 'a b' });
    expect(r).toEqual({
      ok: true,
      argv: ['lockout', 'incident', 'note', "Triage: O'Brien; rm -rf / said", 'a b', '--a=a b'],
    });
  });

  it('names every placeholder left without a value', () => {
    expect(renderWords(['--x', '{{a}}', '{{b}}-{{a}}'], { b: '' })).toEqual({ ok: false, missing: ['a', 'b'] });
  });
});

describe('checkArgv', () => {
  it.each([
    [['incident', 'note', 'hello'], null],
    [['--db', 'x.db', 'audit', 'verify', '--checkpoint', 'cp.txt'], null],
    [['audit', 'verify', '--json'], null],
    [['audit', 'verify', '--bogus'], 'audit verify: unknown option --bogus'],
    [['audits', 'verify'], 'unknown command "audits"'],
    [[], 'no command given'],
  ])('%j', (argv, expected) => {
    const r = checkArgv(argv as string[], catalog);
    if (expected === null) expect(r).toBeNull();
    else expect(r).toContain(expected);
  });
});

describe('parseAnswers', () => {
  const pb = parsePlaybook(BASE).playbook!;
  it('accepts answers for each kind of step', () => {
    const r = parseAnswers(
      'note: {confirm: true}\ndecide: {decision: notify, decidedBy: Dana, role: dpo, reason: r}\ncheck: {outcome: done, evidence: T-1}\n',
      pb,
    );
    expect(r.errors).toEqual([]);
  });
  it.each([
    ['unknwn: {confirm: true}\n', 'unknwn', 1, 'no step "unknwn"'],
    ['note: {confirm: true}\ndecide: {decision: maybe}\n', 'decide.decision', 2, 'must be one of notify, no-notify'],
    ['decide:\n  decision: notify\n  role: compliance-lead\n', 'decide.role', 3, 'may not take this decision'],
    ['note: {decision: notify}\n', 'note.decision', 1, 'only for decision steps'],
    ['check: {outcome: finished}\n', 'check.outcome', 1, 'must be one of done, skipped'],
  ])('%j', (text, path, line, message) => {
    const r = parseAnswers(text, pb);
    expect(r.answers).toBeNull();
    expect(r.errors[0]).toMatchObject({ path, line });
    expect(r.errors[0]!.message).toContain(message);
  });
});
