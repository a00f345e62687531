import type { ChainedEntry } from '../../src/store/chain.js';
import { foldRuns, runToResume, settled } from '../../src/playbook/state.js';

let seq = 0;
const entry = (kind: string, payload: Record<string, unknown>, incident = 'INC-2026-0001'): ChainedEntry => ({
  seq: ++seq,
  ts: `2026-11-27T00:00:${String(seq).padStart(2, '0')}.000Z`,
  incident,
  actor: 'ana',
  kind,
  payload,
  prevHash: '0'.repeat(64),
  hash: String(seq).padStart(64, '0'),
});

describe('foldRuns', () => {
  it('rebuilds a run from its entries: settled steps, a failed step to retry, a step cut off by a crash', () => {
    const runs = foldRuns([
      entry('playbook.started', {
        run: 'PB-0001',
        playbook: 'market-lockout',
        vars: { integration: 'p' },
        sha256: 'abc',
      }),
      entry('playbook.step.started', { run: 'PB-0001', step: 'a' }),
      entry('playbook.step.completed', { run: 'PB-0001', step: 'a', outcome: 'done', exitCode: 0 }),
      entry('playbook.step.started', { run: 'PB-0001', step: 'b' }),
      entry('playbook.step.completed', { run: 'PB-0001', step: 'b', outcome: 'failed', exitCode: 3 }),
      entry('playbook.resumed', { run: 'PB-0001', vars: { since: '2026-11-26' } }),
      entry('playbook.step.started', { run: 'PB-0001', step: 'b' }),
      entry('playbook.step.completed', { run: 'PB-0001', step: 'b', outcome: 'done', exitCode: 0 }),
      entry('playbook.step.started', { run: 'PB-0001', step: 'c' }),
      entry('incident.noted', { text: 'not a playbook entry' }),
      entry('playbook.started', { run: 'PB-0002', playbook: 'market-lockout', vars: {} }, 'INC-2026-0002'),
    ]);
    const run = runs.get('PB-0001')!;
    expect(run.vars).toEqual({ integration: 'p', since: '2026-11-26' });
    expect([...run.steps.values()].filter(settled).map((s) => s.step)).toEqual(['a', 'b']);
    expect([...run.interrupted]).toEqual(['c']);
    expect(run.finished).toBe(false);
    expect(runToResume(runs, 'market-lockout', 'INC-2026-0001')?.run).toBe('PB-0001');
    expect(runToResume(runs, 'market-lockout', 'INC-2026-0002')?.run).toBe('PB-0002');
    expect(runToResume(runs, 'dev-to-prod-leakage', null)).toBeNull();
  });

  it('an orderly stop is not an interruption, and a completed run is not resumed', () => {
    const runs = foldRuns([
      entry('playbook.started', { run: 'PB-0003', playbook: 'x', vars: {} }),
      entry('playbook.step.started', { run: 'PB-0003', step: 'a' }),
      entry('playbook.stopped', { run: 'PB-0003', step: 'a', reason: 'stopped by the responder' }),
      entry('playbook.started', { run: 'PB-0004', playbook: 'y', vars: {} }),
      entry('playbook.completed', { run: 'PB-0004' }),
    ]);
    expect([...runs.get('PB-0003')!.interrupted]).toEqual([]);
    expect(runs.get('PB-0003')!.stopped).toEqual({ step: 'a', reason: 'stopped by the responder' });
    expect(runToResume(runs, 'y', null)).toBeNull();
  });
});
