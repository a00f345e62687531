import type { OrgClient } from './client.js';

/** What `lockout org whoami` prints (and returns with --json). */
export interface WhoamiResult {
  orgId: string;
  organizationName: string | null;
  organizationType: string | null;
  isSandbox: boolean | null;
  userId: string;
  username: string;
  displayName: string | null;
  instanceUrl: string;
  apiVersion: string;
  loginMode: string;
  dailyApiRequests: { max: number; remaining: number } | null;
  /** API calls this command made. */
  apiCalls: number;
}

/** Who the client is logged in as, and how many daily API calls the org has left. */
export async function whoami(client: OrgClient): Promise<WhoamiResult> {
  const id = await client.identity();
  const limits = await client.limits();
  const daily = limits.DailyApiRequests;
  return {
    orgId: id.orgId,
    organizationName: id.organizationName,
    organizationType: id.organizationType,
    isSandbox: id.isSandbox,
    userId: id.userId,
    username: id.username,
    displayName: id.displayName,
    instanceUrl: id.instanceUrl,
    apiVersion: id.apiVersion,
    loginMode: id.loginMode,
    dailyApiRequests: daily ? { max: daily.Max, remaining: daily.Remaining } : null,
    apiCalls: client.calls,
  };
}

/** The text rendering of whoami. */
export function renderWhoami(r: WhoamiResult): string {
  const sandbox = r.isSandbox === null ? 'unknown' : r.isSandbox ? 'yes' : 'no (production)';
  return [
    `org        ${r.orgId}${r.organizationName ? `  ${r.organizationName}` : ''}${r.organizationType ? ` (${r.organizationType})` : ''}`,
    `user       ${r.username} (${r.userId})${r.displayName ? `  ${r.displayName}` : ''}`,
    `instance   ${r.instanceUrl}  API v${r.apiVersion}`,
    `sandbox    ${sandbox}`,
    `API calls  ${r.dailyApiRequests ? `${r.dailyApiRequests.remaining} of ${r.dailyApiRequests.max} daily calls remaining` : 'unknown'}`,
    `login      ${r.loginMode}`,
  ].join('\n');
}
