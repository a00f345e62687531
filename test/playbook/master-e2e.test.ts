import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { DEMO_CONFIG } from '../../src/emulator/seeds/demo.js';
import { Store } from '../../src/store/evidence.js';
import { runCli, tempDir } from '../helpers/cli.js';

/** Answers a responder would give for the whole master playbook (partner-sync fabricated data, notify). */
const ANSWERS = `
confirm-incident: { confirm: true }
note-start: { confirm: true }
check-org: { confirm: true }
discover: { confirm: true }
confirm-integration: { outcome: done, evidence: config entry reviewed in CHG-1 by the integration owner }
preview-isolation: { confirm: true }
contain-decision: { decision: isolate, decidedBy: Sam Oncall, role: on-call-engineer, reason: within thresholds }
isolate: { confirm: true }
isolate-approved: { confirm: true }
check-containment: { confirm: true }
snapshot: { confirm: true }
scan: { confirm: true }
triage: { decision: fabricated-partner-data, decidedBy: Ivy Owner, role: integration-owner, reason: burst of generator-made leads from the partner user }
note-triage: { confirm: true }
classify: { decision: 'yes', decidedBy: Dana Ruiz, role: dpo, reason: partner overwrote fields on real contacts }
record-classification: { confirm: true }
preview-rollback: { confirm: true }
repair-decision: { decision: rollback, decidedBy: Ivy Owner, role: integration-owner, reason: 'plan reviewed, no conflicts of concern' }
rollback: { confirm: true }
rollback-quarantine: { confirm: true }
rescan: { confirm: true }
risk: { decision: medium, decidedBy: Dana Ruiz, reason: contact data of real customers altered; no special categories }
record-risk: { confirm: true }
notify-sa: { decision: notify, decidedBy: Dana Ruiz, role: dpo, reason: integrity breach with a risk to the people concerned }
record-notify-decision: { confirm: true }
initial-report: { confirm: true }
submit-notification: { outcome: done, evidence: portal receipt in ticket INC-1 }
record-notice: { confirm: true }
subjects: { decision: not-required, decidedBy: Dana Ruiz, reason: risk is not high }
record-subjects: { confirm: true }
downstream: { outcome: done, evidence: 'marketing tool and warehouse owners told, see notices' }
verify-evidence: { confirm: true }
checkpoint: { confirm: true }
handover: { outcome: done, evidence: follow-up booked in ticket INC-1 }
`;

const OVERREACH_ANSWERS = `
note-start: { confirm: true }
list-isolations: { confirm: true }
prove-genuine: { outcome: done, evidence: sample of 20 confirmed with the customers in ticket T-9 }
reverse: { decision: reverse-all, decidedBy: Cora Lead, role: compliance-lead, reason: records are genuine new-market customers }
undo-isolation: { confirm: true }
reauthorise: { outcome: done, evidence: partner re-authorised at 10:42 UTC }
find-rollback: { confirm: true }
undo-rollback: { confirm: true }
review-conflicts: { outcome: done, evidence: none needed a change }
allowlist: { outcome: done, evidence: commit abc123 }
rescan: { confirm: true }
thresholds: { decision: keep, decidedBy: Cora Lead, reason: the allowlist covers this market }
tell-business: { outcome: done, evidence: mail to sales ops }
record-review: { confirm: true }
verify-evidence: { confirm: true }
`;

describe('market-lockout against the emulator (non-interactive)', () => {
  let emu: Emulator;
  let dir = '';
  let since = '';
  const env = () => ({
    SF_INSTANCE_URL: emu.instanceUrl,
    SF_ACCESS_TOKEN: emu.accessToken,
    LOCKOUT_ACTOR: 'sam.oncall',
  });
  const startCwd = process.cwd();
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'demo' });
    dir = tempDir('lockout-master-');
    // `scan --out` resolves relative paths against process.cwd() rather than the command's cwd; run in the
    // temporary directory so the playbook's relative output files land there either way.
    process.chdir(dir);
  });
  afterAll(async () => {
    process.chdir(startCwd);
    await emu?.close();
  });

  it('completes, every step is in the evidence log, and the org is contained and repaired', async () => {
    writeFileSync(path.join(dir, 'lockout.config.yaml'), stringify(DEMO_CONFIG));
    writeFileSync(path.join(dir, 'answers.yaml'), ANSWERS);
    const env = { SF_INSTANCE_URL: emu.instanceUrl, SF_ACCESS_TOKEN: emu.accessToken, LOCKOUT_ACTOR: 'sam.oncall' };
    since = new Date(Date.now() - 6 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const opened = await runCli(['incident', 'open', '--title', 'Market lockout: partner-sync', '--severity', '1'], {
      cwd: dir,
      env,
    });
    expect(opened.code).toBe(0);

    const r = await runCli(
      [
        'playbook',
        'run',
        'market-lockout',
        '--var',
        'integration=partner-sync',
        '--var',
        `since=${since}`,
        '--var',
        'authority=CNIL',
        '--var',
        'saReference=CNIL-2026-0042',
        '--non-interactive',
        '--answers',
        'answers.yaml',
        '--json',
      ],
      { cwd: dir, env },
    );
    if (r.code !== 0) console.log(r.stderr.slice(-4000));
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.status).toBe('completed');

    const store = Store.open(path.join(dir, '.lockout/lockout.db'), { create: false });
    const log = [...store.entries()];
    store.close();
    const completed = log
      .filter((e) => e.kind === 'playbook.step.completed')
      .map((e) => e.payload as { step: string; outcome: string });
    expect(completed).toHaveLength(result.steps.length);
    expect(completed.filter((s) => s.outcome === 'failed')).toEqual([]);
    // The branches the decisions did not choose, and only those, were skipped as not applicable.
    expect(completed.filter((s) => s.outcome === 'not-applicable').map((s) => s.step)).toEqual([
      'isolate-approved',
      'rollback-quarantine',
      'overreach-handoff',
      'register-entry',
    ]);
    // The command steps did the real work, recorded by their own modules in the same chain.
    const kinds = new Set(log.map((e) => e.kind));
    for (const k of [
      'isolate.applied',
      'snapshot.created',
      'scan.completed',
      'rollback.completed',
      'report.generated',
    ]) {
      expect(kinds).toContain(k);
    }
    expect(log.filter((e) => e.kind === 'incident.assessed')).toHaveLength(5);
    // ... and the org shows it: the integration user is frozen and what it created in the window is gone.
    const partner = emu.state.userByUsername('partnersync.integration@alderridgesupply.com')!;
    expect(emu.state.isFrozen(String(partner.Id))).toBe(true);
    const createdByPartner = ['Contact', 'Lead', 'Account'].flatMap((t) =>
      emu.state.records(t).filter((rec) => rec.CreatedById === partner.Id && String(rec.CreatedDate) >= since),
    );
    expect(createdByPartner).toEqual([]);
    expect((await runCli(['audit', 'verify'], { cwd: dir })).code).toBe(0);
  }, 180_000);

  it('compliance-overreach then reverses it: undo isolation, undo rollback, allowlist, clean re-scan', async () => {
    expect(since).not.toBe('');
    // The team confirmed the flagged records genuine: their ids go into the allowlist.
    const flagged = readFileSync(path.join(dir, 'findings-INC-2026-0001.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    writeFileSync(path.join(dir, 'allow.txt'), `# confirmed genuine in T-9\n${flagged.join('\n')}\n`);
    writeFileSync(path.join(dir, 'overreach.yaml'), OVERREACH_ANSWERS);
    const r = await runCli(
      [
        'playbook',
        'run',
        'compliance-overreach',
        '--var',
        'integration=partner-sync',
        '--var',
        `since=${since}`,
        '--var',
        'isolation=ISO-2026-0001',
        '--var',
        'rollbackRun=rb-1',
        '--var',
        'allowlist=allow.txt',
        '--answers',
        'overreach.yaml',
      ],
      { cwd: dir, env: env() },
    );
    if (r.code !== 0) console.log(r.stderr.slice(-3000));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PB-0002 compliance-overreach for INC-2026-0001: completed/);
    const partner = emu.state.userByUsername('partnersync.integration@alderridgesupply.com')!;
    expect(emu.state.isFrozen(String(partner.Id))).toBe(false);
    // Everything the rollback deleted is back.
    for (const id of flagged.slice(0, 20)) expect(emu.state.findById(id)).toBeDefined();
    const store = Store.open(path.join(dir, '.lockout/lockout.db'), { create: false });
    const kinds = new Set([...store.entries({ afterSeq: 0 })].map((e) => e.kind));
    store.close();
    expect(kinds).toContain('isolate.undone');
  }, 180_000);
});
