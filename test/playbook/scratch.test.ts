import { parsePlaybook } from '../../src/playbook/parse.js';
test('scratch', () => {
  const text = `name: x
title: T
version: 1
summary: s
steps:
  - id: a
    title: A
    owner: oncall
    timebox: 5m
    kind: command
    command: lockout audit verify
  - id: b
    title: B
    owner: dpo
    timebox: 5x
    kind: manuall
  - id: c
    title: C
    owner: dpo
    timebox: 5m
    kind: manual
    instructions: x
    extra: 1
  - id: d
    owner: dpo
    timebox: 5m
    kind: decision
    question: q
    options: [{id: a, label: b}]
    decidedBy: [dpo]
`;
  console.log(JSON.stringify(parsePlaybook(text), null, 1));
});
