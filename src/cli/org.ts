import { Command } from 'commander';
import type { Context } from './context.js';
import { emit } from './output.js';
import { addOrgFlags, connectOrg, type OrgFlags } from '../org/connect.js';
import { renderWhoami, whoami } from '../org/whoami.js';

/** `lockout org ...`: connection checks against the org. */
export function registerOrg(program: Command, ctxFor: (cmd: Command) => Context): void {
  const org = program.command('org').description('check the connection to a Salesforce org');

  addOrgFlags(
    org
      .command('whoami')
      .description('show the org, user and instance lockout connects to, and the daily API calls left'),
  ).action(async (flags: OrgFlags, cmd: Command) => {
    const ctx = ctxFor(cmd);
    const client = await connectOrg(ctx, flags);
    emit(ctx, await whoami(client), renderWhoami);
  });
}
