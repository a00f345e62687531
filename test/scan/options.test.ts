import { Command } from 'commander';
import { buildScanCommand } from '../../src/cli/scan.js';
import type { ScanCommandOptions } from '../../src/scan/command.js';
import { createContext } from '../../src/cli/context.js';
import { PassThrough, Readable } from 'node:stream';
import { tempDir } from '../helpers/cli.js';

// Flags -> options object, captured through the `run` parameter (gh runF style).
async function capture(argv: string[]): Promise<ScanCommandOptions> {
  let captured: ScanCommandOptions | undefined;
  const io = {
    in: Readable.from([]),
    out: new PassThrough(),
    err: new PassThrough(),
    isTTY: { in: false, out: false, err: false },
    color: false,
  };
  const ctxFor = () => createContext({ io, env: {}, cwd: tempDir() }, {});
  const cmd = buildScanCommand(ctxFor, async (_ctx, opts) => {
    captured = opts;
  });
  cmd.exitOverride().configureOutput({ writeErr: () => {} });
  const program = new Command().exitOverride().addCommand(cmd);
  await program.parseAsync(['scan', ...argv], { from: 'user' });
  return captured!;
}

describe('scan flags -> options', () => {
  it('maps file flags', async () => {
    const o = await capture([
      'a.csv',
      'b.jsonl',
      '--object',
      'Lead',
      '--format',
      'sarif',
      '--min-score',
      '0.5',
      '--fail-on',
      'medium',
      '--jobs',
      '2',
      '--skip-bad-rows',
    ]);
    expect(o).toMatchObject({
      files: ['a.csv', 'b.jsonl'],
      object: 'Lead',
      format: 'sarif',
      minScore: 0.5,
      failOn: 'medium',
      jobs: 2,
      skipBadRows: true,
      updateBaseline: false,
    });
    expect(o.org).toBeUndefined();
  });
  it('maps live org flags', async () => {
    const o = await capture([
      '--org',
      '--object',
      'Contact',
      '--where',
      "LeadSource = 'Partner'",
      '--fields',
      'Id, Email,Phone',
      '--since-last',
    ]);
    expect(o.org).toEqual({ where: "LeadSource = 'Partner'", fields: ['Id', 'Email', 'Phone'], sinceLast: true });
    expect(o.files).toEqual([]);
  });
  it('rejects a score outside [0, 1]', async () => {
    await expect(capture(['a.csv', '--min-score', '2'])).rejects.toThrow(/between 0 and 1/);
  });
});
