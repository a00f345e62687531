import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { Store } from '../../src/store/evidence.js';

/** Values an attacker controls through record data, used everywhere a record-derived string can appear. */
export const HOSTILE = {
  script: '<script>alert(1)</script>',
  img: '"><img src=x onerror=alert(2)>',
  formula: '=HYPERLINK("http://evil.example","click")',
  long: 'A'.repeat(20_000),
  rtl: 'שלום \u202Egnp.exe\u202C مرحبا',
  md: '| pipe | `tick` [link](http://evil.example) **bold** <!-- lockout:seal -->',
};

export interface Scenario {
  dir: string;
  db: string;
  incident: string;
  cli: (argv: string[], now?: string) => Promise<CliResult>;
}

export const T = (h: number, m = 0) => new Date(Date.UTC(2026, 10, 20, h, m)).toISOString();

const CONFIG = `
controller:
  name: Acme Retail SAS
  registrationNumber: "552 100 554"
  establishment: Paris, FR
  address: 1 rue de la Paix, 75002 Paris
  legalRepresentative: Jeanne Martin, CEO
  leadSupervisoryAuthority: CNIL
  dpo: { name: Data Protection Office, email: dpo@acme.example, phone: "+33 1 00 00 00 00" }
  processingActivities: ["RoPA-12: customer relationship management"]
  sectors: { nis2: true, nis2Entity: important, dora: false }
  staffTraining: Annual data protection training for all CRM staff.
`;

/** Build an incident through the real CLI, plus other modules' entries appended through Store.append. */
export async function scenario(opts: { hostile?: boolean; config?: string } = {}): Promise<Scenario> {
  const dir = tempDir('lockout-report-');
  const db = path.join(dir, 'evidence.db');
  writeFileSync(path.join(dir, 'lockout.config.yaml'), opts.config ?? CONFIG);
  const cli = (argv: string[], now = T(20)) => runCli(['--db', db, ...argv], { cwd: dir, now: () => new Date(now) });
  const h = opts.hostile ? HOSTILE : null;
  const opened = await cli(
    [
      'incident',
      'open',
      '--title',
      h ? h.script : 'Partner sync injected fabricated contacts',
      '--severity',
      '1',
      '--aware-at',
      T(9),
    ],
    T(9, 30),
  );
  if (opened.code !== 0) throw new Error(`open failed: ${opened.stderr}`);
  const incident = opened.stdout.trim();
  const must = async (argv: string[], now: string) => {
    const r = await cli(argv, now);
    if (r.code !== 0) throw new Error(`${argv.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r;
  };
  // Other modules' evidence, in the shapes of docs/evidence.md, appended through the real store in time order.
  const add = (kind: string, ts: string, payload: unknown) => {
    const store = Store.open(db, { create: false });
    try {
      return store.append({ kind, incident, actor: 'oncall', ts, payload });
    } finally {
      store.close();
    }
  };
  await must(['incident', 'note', h ? `${h.rtl} ${h.formula}` : 'Partner confirmed a faulty generator job'], T(9, 45));
  await must(
    [
      'incident',
      'assess',
      '--occurred-at',
      T(2),
      '--occurred-until',
      T(6),
      '--detected-at',
      T(8, 40),
      '--nature',
      'integrity,authenticity',
      '--description',
      h ? h.md : 'A partner integration created fabricated contacts and overwrote fields of real ones.',
      '--ingestion',
      'integration user partner-sync via REST API',
      '--cyber',
      'no',
      '--malicious',
      'unknown',
      '--cross-border',
      'yes',
      '--personal-data-breach',
      'yes',
      '--classification-basis',
      'Fields of real customers were overwritten (integrity breach).',
      '--data-categories',
      'identifiers,contact',
      '--subject-categories',
      'customers,prospects',
    ],
    T(10),
  );
  add('isolate.planned', T(10, 10), {
    isolationId: 'ISO-2026-0001',
    trigger: { kind: 'manual', why: 'partner-sync writes fabricated contacts' },
    targets: ['partner-sync'],
    approval: { by: 'Head of IT', reason: 'stop further writes' },
    preState: { readAt: T(10, 9), users: [{ Username: 'partner-sync@acme.example', IsFrozen: false }] },
    plan: {
      integrations: ['partner-sync'],
      actions: [
        {
          key: 'freeze-user:005PARTNER',
          kind: 'freeze-user',
          target: { type: 'user', id: '005PARTNER', name: 'partner-sync' },
          change: true,
        },
        {
          key: 'end-sessions:005PARTNER',
          kind: 'end-sessions',
          target: { type: 'user', id: '005PARTNER', name: 'partner-sync' },
          change: true,
        },
        {
          key: 'revoke-token:ab12',
          kind: 'revoke-token',
          target: { type: 'token', id: 'ab12', name: 'Partner Sync App' },
          change: true,
        },
        {
          key: 'deactivate-flow:301X',
          kind: 'deactivate-flow',
          target: { type: 'flow', id: '301X', name: 'Sync' },
          change: false,
        },
      ],
      counts: { actions: 3, manual: 0 },
    },
  });
  add('isolate.action', T(10, 11), {
    isolationId: 'ISO-2026-0001',
    key: 'freeze-user:005PARTNER',
    kind: 'freeze-user',
    status: 'done',
  });
  add('isolate.applied', T(10, 12), {
    isolationId: 'ISO-2026-0001',
    state: 'applied',
    done: 3,
    failed: 0,
    skipped: 1,
    isolated: ['partner-sync'],
    notIsolated: [],
    approval: { by: 'Head of IT', reason: 'stop further writes' },
    apiCalls: { discovery: 6, apply: 3 },
  });
  const flagged = [
    ...Array.from({ length: 6 }, (_, i) => ({
      id: `003A${i}`,
      object: 'Contact',
      level: 'high',
      score: 0.95,
      rules: ['reserved-domain'],
      country: 'FR',
      createdDate: T(2, i * 5),
      createdById: '005PARTNER',
    })),
    ...Array.from({ length: 3 }, (_, i) => ({
      id: `003B${i}`,
      object: 'Contact',
      level: 'medium',
      score: 0.7,
      rules: ['sequential-emails'],
      country: 'DE',
      createdDate: T(3, i * 5),
      createdById: '005PARTNER',
    })),
    {
      id: '00QC1',
      object: 'Lead',
      level: 'low',
      score: 0.4,
      rules: ['ai-text-heuristic'],
      country: 'US',
      createdDate: T(5, 10),
      createdById: '005PARTNER',
    },
  ];
  flagged.push({
    id: '003OLD',
    object: 'Contact',
    level: 'low',
    score: 0.4,
    rules: ['ai-text-heuristic'],
    country: 'FR',
    createdDate: '2024-03-01T10:00:00.000Z',
    createdById: '005ADMIN',
  });
  if (h)
    flagged.push({
      id: h.script,
      object: h.img,
      level: 'high',
      score: 0.99,
      rules: [h.formula],
      country: h.rtl,
      createdDate: T(4),
      createdById: h.long,
    });
  // The shape src/scan/evidence.ts writes.
  add('scan.completed', T(10, 30), {
    source: 'files',
    object: 'Contact',
    recordsRead: 1200,
    recordsSkipped: 0,
    findings: { total: 11 + (h ? 1 : 0), high: 6 + (h ? 1 : 0), medium: 3, low: 2 },
    byRule: { 'reserved-domain': 6, 'sequential-emails': 3, 'ai-text-heuristic': 2 },
    byObject: { Contact: 9, Lead: 1 },
    cohorts: [
      {
        rule: 'burst-creation',
        cohort: 'CreatedById=005PARTNER hour 02',
        members: 6,
        statistic: { z: 9.1 },
        message: '6 records in 25 minutes',
      },
    ],
    inputs: [{ file: 'contacts.csv', object: 'Contact', sha256: 'a'.repeat(64), rows: 1200, skipped: 0 }],
    rulesVersion: '2026.11.1',
    thresholds: { low: 0.35, medium: 0.6, high: 0.85 },
    minScore: 0.35,
    allowlisted: 0,
    baselineSuppressed: 0,
    durationMs: 5400,
    flagged,
  });
  await must(
    [
      'incident',
      'assess',
      '--risk',
      'medium',
      '--likelihood',
      'possible',
      '--consequences',
      'Mail sent to wrong addresses; inaccurate records used for credit decisions.',
      '--decision',
      'notify',
      '--decided-by',
      'DPO Claire Dubois',
      '--decision-reason',
      'Real customer records were altered.',
      '--ai-generated',
      'yes',
      '--ai-method',
      'heuristic',
      '--ai-evidence',
      'scan score only; no C2PA manifest present',
      '--ai-mark-missing',
      'unknown',
    ],
    T(11),
  );
  add('snapshot.created', T(11, 30), {
    snapshotId: 'SNAP-1',
    object: 'Contact',
    source: 'org',
    where: null,
    fields: ['Email', 'Phone', 'MailingCity'],
    count: 1200,
    merkleRoot: 'b'.repeat(64),
  });
  const odd = h ? h.script : 'MailingCity';
  add('verify.completed', T(11, 40), {
    mode: 'snapshot',
    snapshotId: 'SNAP-1',
    object: 'Contact',
    ok: false,
    counts: { unchanged: 1186, changed: 4, added: 10, deleted: 0 },
    fieldCounts: { Email: 4, Phone: 2, [odd]: 1, LastModifiedDate: 4, SystemModstamp: 4 },
    changed: [{ id: '003R1', fields: ['Email'] }],
    added: ['003A0'],
    deleted: [],
    truncated: false,
  });
  await must(
    [
      'incident',
      'assess',
      '--notice',
      'csirt',
      '--notice-stage',
      'early-warning',
      '--notice-name',
      'CERT-FR',
      '--notice-at',
      T(12),
    ],
    T(12, 5),
  );
  add('rollback.planned', T(12, 30), {
    runId: 'RB-0001',
    kind: 'rollback',
    scope: { since: T(2), until: T(6), users: ['005PARTNER'] },
    options: { approvedBy: 'DPO Claire Dubois' },
    counts: { Contact: { delete: 6, restore: 4 }, Lead: { quarantine: 1 } },
    byAction: { delete: 6, quarantine: 1, restore: 4, 'manual-review': 0, none: 0 },
    records: 11,
    conflicts: [],
    unrecoverable: [
      { object: 'Contact', id: '003R4', field: 'Phone', reason: 'no snapshot before the window and no History value' },
    ],
    manualReview: [],
  });
  const restored = (id: string, fields: string[]) => ({
    id,
    action: 'restore',
    ok: true,
    fields,
    before: { Email: 'real@customer.example' },
    after: { Email: 'x' },
  });
  add('rollback.batch', T(12, 40), {
    runId: 'RB-0001',
    batch: 1,
    object: 'Contact',
    operation: 'update',
    records: [
      restored('003R1', ['Email', 'Phone']),
      restored('003R2', ['Email', odd]),
      restored('003R3', ['Email']),
      restored('003R4', ['Email']),
    ],
  });
  add('rollback.batch', T(12, 41), {
    runId: 'RB-0001',
    batch: 2,
    object: 'Contact',
    operation: 'delete',
    records: Array.from({ length: 6 }, (_, i) => ({ id: `003A${i}`, action: 'delete', ok: true, fields: [] })),
  });
  add('rollback.verified', T(12, 44), { runId: 'RB-0001', ok: true, checked: 10, mismatches: [] });
  add('rollback.completed', T(12, 45), {
    runId: 'RB-0001',
    done: 10,
    failed: 0,
    byObject: { Contact: { delete: 6, restore: 4 } },
    failures: [],
    verified: true,
    apiCalls: { read: 4, apply: 2 },
  });
  await must(
    [
      'incident',
      'assess',
      '--notice',
      'supervisory-authority',
      '--notice-name',
      'CNIL',
      '--notice-ref',
      'CNIL-2026-123',
      '--notice-at',
      T(15),
    ],
    T(15, 5),
  );
  await must(
    [
      'incident',
      'assess',
      '--subjects',
      'exempt',
      '--exemption',
      'b',
      '--subjects-reason',
      'Rollback restored every altered field before any further use.',
    ],
    T(16),
  );
  return { dir, db, incident, cli };
}
