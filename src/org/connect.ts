import { execFile } from 'node:child_process';
import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import type { Connection } from 'jsforce';
import type { Context } from '../cli/context.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { OrgError, UsageError } from '../errors.js';
import { redact, registerSecret } from '../redact.js';
import type { LoginMode, OrgClient } from './client.js';
import { OrgApiError, toOrgError } from './errors.js';
import { JsforceOrgClient, type RetryPolicy } from './jsforce-client.js';

/** The org flags every org command takes (added by addOrgFlags). */
export interface OrgFlags {
  instanceUrl?: string;
  accessToken?: string;
  targetOrg?: string;
  loginUrl?: string;
  apiVersion?: string;
  /** Percent of the remaining daily API calls (commander gives a string). */
  apiBudget?: string | number;
}

/**
 * Add the org connection flags to a command. Read them back with `ctxFor(cmd).flags` (optsWithGlobals) or
 * `cmd.opts()`, and pass them to connectOrg.
 */
export function addOrgFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--instance-url <url>', 'org instance URL (env SF_INSTANCE_URL)'))
    .addOption(new Option('--access-token <token>', 'access token, never stored (env SF_ACCESS_TOKEN)'))
    .addOption(
      new Option(
        '--target-org <alias>',
        'alias or username of a Salesforce CLI login (sf org display; env SF_TARGET_ORG)',
      ),
    )
    .addOption(new Option('--login-url <url>', 'OAuth2 login URL for password/JWT login (env SF_LOGIN_URL)'))
    .addOption(new Option('--api-version <version>', 'Salesforce API version (default 62.0; env SF_API_VERSION)'))
    .addOption(
      new Option(
        '--api-budget <percent>',
        'percent of the remaining daily API calls this command may use (default 10; env LOCKOUT_API_BUDGET)',
      ),
    );
}

/** Connection precedence, shown by `lockout help environment` and docs/org.md. */
export const CONNECTION_PRECEDENCE = [
  '--instance-url + --access-token',
  'SF_INSTANCE_URL + SF_ACCESS_TOKEN',
  '--target-org <alias|username> (sf org display --json; needs the Salesforce CLI)',
  'OAuth2 username-password: SF_USERNAME, SF_PASSWORD, SF_CLIENT_ID, SF_CLIENT_SECRET (+ --login-url)',
  'JWT bearer: SF_CLIENT_ID, SF_USERNAME, SF_JWT_KEY_FILE (+ --login-url)',
] as const;

export interface ConnectOptions {
  /** Retry policy for reads and locked rows (tests shorten it). */
  retry?: RetryPolicy;
  /** The Salesforce CLI binary for --target-org (default `sf`, or env LOCKOUT_SF_BIN). */
  sfBin?: string;
}

/** What connection the flags, environment and config ask for (pure: no I/O). */
export type ConnectionPlan =
  | { mode: 'access-token' | 'env-access-token'; instanceUrl: string; accessToken: string }
  | { mode: 'target-org'; targetOrg: string }
  | {
      mode: 'oauth-password';
      loginUrl: string;
      username: string;
      password: string;
      clientId: string;
      clientSecret: string;
    }
  | { mode: 'jwt-bearer'; loginUrl: string; username: string; clientId: string; keyFile: string };

const nonEmpty = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);

/** Decide how to connect, in the documented precedence. Throws UsageError when nothing (or half a mode) is set. */
export function planConnection(
  flags: OrgFlags,
  env: Record<string, string | undefined>,
  org: Config['org'],
): ConnectionPlan {
  const flagToken = nonEmpty(flags.accessToken);
  const envToken = nonEmpty(env.SF_ACCESS_TOKEN);
  const token = flagToken ?? envToken;
  if (token) {
    const instanceUrl = org.instanceUrl;
    if (!instanceUrl) {
      throw new UsageError(
        `${flagToken ? '--access-token' : 'SF_ACCESS_TOKEN'} needs an instance URL: pass --instance-url or set SF_INSTANCE_URL`,
      );
    }
    return { mode: flagToken ? 'access-token' : 'env-access-token', instanceUrl, accessToken: token };
  }
  if (nonEmpty(flags.instanceUrl)) {
    throw new UsageError('--instance-url needs an access token: pass --access-token or set SF_ACCESS_TOKEN', {
      hint: 'or log in with the Salesforce CLI and pass --target-org <alias>',
    });
  }
  if (org.targetOrg) return { mode: 'target-org', targetOrg: org.targetOrg };

  const username = nonEmpty(env.SF_USERNAME);
  const clientId = nonEmpty(env.SF_CLIENT_ID);
  const password = nonEmpty(env.SF_PASSWORD);
  const clientSecret = nonEmpty(env.SF_CLIENT_SECRET);
  const keyFile = nonEmpty(env.SF_JWT_KEY_FILE);
  if (password) {
    const missing = [
      ['SF_USERNAME', username],
      ['SF_CLIENT_ID', clientId],
      ['SF_CLIENT_SECRET', clientSecret],
    ].filter(([, v]) => !v);
    if (missing.length) {
      throw new UsageError(`OAuth2 password login needs ${missing.map(([n]) => n).join(', ')} as well as SF_PASSWORD`);
    }
    return {
      mode: 'oauth-password',
      loginUrl: org.loginUrl,
      username: username!,
      password,
      clientId: clientId!,
      clientSecret: clientSecret!,
    };
  }
  if (keyFile) {
    const missing = [
      ['SF_USERNAME', username],
      ['SF_CLIENT_ID', clientId],
    ].filter(([, v]) => !v);
    if (missing.length) {
      throw new UsageError(`JWT bearer login needs ${missing.map(([n]) => n).join(', ')} as well as SF_JWT_KEY_FILE`);
    }
    return { mode: 'jwt-bearer', loginUrl: org.loginUrl, username: username!, clientId: clientId!, keyFile };
  }
  throw new UsageError('no org to connect to', {
    hint: `connect with one of (in this precedence):\n${CONNECTION_PRECEDENCE.map((p, i) => `${i + 1}. ${p}`).join('\n')}`,
  });
}

/** The org section of the config with the command's org flags applied (one resolver: src/config). */
export function resolveOrgConfig(ctx: Context, flags: OrgFlags): Config['org'] {
  const loaded = loadConfig({
    configFlag: ctx.flags.config,
    flags: {
      db: ctx.flags.db,
      actor: ctx.flags.actor,
      'org.instanceUrl': nonEmpty(flags.instanceUrl),
      'org.targetOrg': nonEmpty(flags.targetOrg),
      'org.loginUrl': nonEmpty(flags.loginUrl),
      'org.apiVersion': nonEmpty(flags.apiVersion),
      'org.apiBudget': flags.apiBudget === undefined || flags.apiBudget === '' ? undefined : flags.apiBudget,
    },
    env: ctx.env,
    cwd: ctx.cwd,
  });
  return loaded.config.org;
}

/** An instance URL must be an origin: jsforce's Bulk 2.0 classes resolve paths against it. */
function origin(url: string, what: string): string {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('not http(s)');
    return u.origin;
  } catch {
    throw new UsageError(`${what} is not a URL: ${redact(url)}`);
  }
}

interface SfDisplay {
  accessToken: string;
  instanceUrl: string;
  username?: string;
}

/** Run the Salesforce CLI with `args` and parse its `--json` output (sf prints a JSON error on failure too). */
async function runSf(
  sfBin: string,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ status?: number; result?: unknown; message?: string; name?: string }> {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      sfBin,
      args,
      {
        env: { ...env, SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true', SF_TEMP_SHOW_SECRETS: 'true' },
        timeout: 120_000,
        maxBuffer: 4 << 20,
      },
      (err, out) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(
            new OrgError(`--target-org needs the Salesforce CLI, but "${sfBin}" is not installed or not on PATH`, {
              hint: 'install @salesforce/cli, or pass --instance-url and --access-token',
            }),
          );
          return;
        }
        resolve(out);
      },
    );
  });
  try {
    return JSON.parse(stdout) as { status?: number; result?: unknown; message?: string };
  } catch {
    throw new OrgError(`sf ${args.slice(0, 2).join(' ')} did not print JSON`);
  }
}

/**
 * The session of a Salesforce CLI login: `sf org display --json` (which refreshes an expired session), and, when
 * that hides the token (sf 2.14x prints "[REDACTED]"), `sf org auth show-access-token --json`.
 */
export async function sfOrgDisplay(
  targetOrg: string,
  env: Record<string, string | undefined>,
  sfBin: string,
): Promise<SfDisplay> {
  const shown = await runSf(sfBin, ['org', 'display', '--json', '--target-org', targetOrg], env);
  const result = (shown.result ?? {}) as Partial<SfDisplay>;
  if (shown.status !== 0 || !result.instanceUrl) {
    throw new OrgError(
      redact(`sf org display --target-org ${targetOrg} failed: ${shown.message ?? shown.name ?? 'no session'}`),
      { hint: `log in again: sf org login web --alias ${targetOrg}` },
    );
  }
  let token = result.accessToken;
  if (!token || /REDACTED/.test(token)) {
    const auth = await runSf(sfBin, ['org', 'auth', 'show-access-token', '--json', '--target-org', targetOrg], env);
    const r = auth.result as string | { accessToken?: string; token?: string } | undefined;
    token = typeof r === 'string' ? r : (r?.accessToken ?? r?.token);
    if (auth.status !== 0 || !token) {
      throw new OrgError(
        `sf org auth show-access-token --target-org ${targetOrg} failed: ${auth.message ?? 'no token'}`,
      );
    }
  }
  registerSecret(token);
  return { accessToken: token, instanceUrl: result.instanceUrl, username: result.username };
}

/** A JWT bearer assertion (RS256) for the OAuth2 JWT flow: iss = client id, sub = username, aud = login URL. */
export function jwtAssertion(opts: {
  clientId: string;
  username: string;
  audience: string;
  key: string | KeyObject;
  now: Date;
}) {
  const b64 = (v: string | Buffer) => Buffer.from(v).toString('base64url');
  const header = b64(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = b64(
    JSON.stringify({
      iss: opts.clientId,
      sub: opts.username,
      aud: opts.audience,
      exp: Math.floor(opts.now.getTime() / 1000) + 180,
    }),
  );
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${payload}`);
  return `${header}.${payload}.${b64(signer.sign(opts.key))}`;
}

interface TokenResponse {
  access_token: string;
  instance_url: string;
  id: string;
}

/**
 * Connect to the org named by the flags, environment and config (precedence: CONNECTION_PRECEDENCE).
 * `flags` defaults to the command's parsed options (ctx.flags holds them via optsWithGlobals).
 * Every token, password and secret is registered for redaction before anything can print it.
 */
export async function connectOrg(ctx: Context, flags?: OrgFlags, opts: ConnectOptions = {}): Promise<OrgClient> {
  const f = flags ?? (ctx.flags as OrgFlags);
  registerSecret(f.accessToken);
  for (const name of ['SF_ACCESS_TOKEN', 'SF_PASSWORD', 'SF_CLIENT_SECRET']) registerSecret(ctx.env[name]);
  const org = resolveOrgConfig(ctx, f);
  const plan = planConnection(f, ctx.env, org);
  if (plan.mode === 'env-access-token' && org.targetOrg && !ctx.flags.quiet && !ctx.flags.json) {
    // The documented precedence puts SF_ACCESS_TOKEN before --target-org: say so rather than surprise.
    ctx.io.err.write(`lockout: using SF_INSTANCE_URL + SF_ACCESS_TOKEN; target org "${org.targetOrg}" is ignored\n`);
  }
  const version = org.apiVersion;
  const sfBin = opts.sfBin ?? ctx.env.LOCKOUT_SF_BIN ?? 'sf';

  const state: { client?: JsforceOrgClient } = {};
  /** A refresh is allowed only when the previous session worked: otherwise jsforce would loop on 401s. */
  const guarded =
    (refresh: () => Promise<{ token: string; res: unknown }>) =>
    async (_conn: Connection, callback: (err: Error | null, token?: string, res?: never) => void) => {
      try {
        if (state.client && !state.client.sessionWorked) {
          throw new Error('the org refused the new session as well');
        }
        const { token, res } = await refresh();
        registerSecret(token);
        if (state.client) state.client.sessionWorked = false;
        callback(null, token, res as never);
      } catch (e) {
        callback(new Error(redact((e as Error).message)));
      }
    };

  // jsforce is loaded here, not at startup: commands that never reach an org (scan of a file, report, audit)
  // should not pay for it (about 36 MB of memory).
  const { Connection: JsConnection } = await import('jsforce');
  const base = { version, maxRequest: 10, callOptions: { client: 'lockout' } };
  let conn: Connection;
  let canRefresh = false;
  const what = 'connecting to the org';
  try {
    switch (plan.mode) {
      case 'access-token':
      case 'env-access-token': {
        registerSecret(plan.accessToken);
        conn = new JsConnection({
          ...base,
          instanceUrl: origin(plan.instanceUrl, 'the instance URL'),
          accessToken: plan.accessToken,
        });
        break;
      }
      case 'target-org': {
        const session = await sfOrgDisplay(plan.targetOrg, ctx.env, sfBin);
        canRefresh = true;
        conn = new JsConnection({
          ...base,
          instanceUrl: origin(session.instanceUrl, `the instance URL of ${plan.targetOrg}`),
          accessToken: session.accessToken,
          refreshFn: guarded(async () => {
            const s = await sfOrgDisplay(plan.targetOrg, ctx.env, sfBin);
            return { token: s.accessToken, res: { access_token: s.accessToken, instance_url: s.instanceUrl } };
          }),
        });
        break;
      }
      case 'oauth-password': {
        registerSecret(plan.password);
        registerSecret(plan.clientSecret);
        const loginUrl = origin(plan.loginUrl, '--login-url');
        const params = { grant_type: 'password', username: plan.username, password: plan.password };
        canRefresh = true;
        conn = new JsConnection({
          ...base,
          loginUrl,
          oauth2: { loginUrl, clientId: plan.clientId, clientSecret: plan.clientSecret },
          refreshFn: guarded(async () => {
            const res = (await conn.oauth2.requestToken(params)) as unknown as TokenResponse;
            return { token: res.access_token, res };
          }),
        });
        await conn.authorize(params);
        break;
      }
      case 'jwt-bearer': {
        let key: KeyObject;
        const keyPath = path.resolve(ctx.cwd, plan.keyFile);
        try {
          key = createPrivateKey(readFileSync(keyPath, 'utf8'));
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          throw new UsageError(
            code && !code.startsWith('ERR_')
              ? `cannot read SF_JWT_KEY_FILE ${keyPath}: ${code}`
              : `SF_JWT_KEY_FILE ${keyPath} does not hold a usable private key (PEM): ${(e as Error).message}`,
          );
        }
        const loginUrl = origin(plan.loginUrl, '--login-url');
        const params = () => {
          const assertion = jwtAssertion({
            clientId: plan.clientId,
            username: plan.username,
            audience: loginUrl,
            key,
            now: new Date(),
          });
          registerSecret(assertion);
          return { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion };
        };
        canRefresh = true;
        conn = new JsConnection({
          ...base,
          loginUrl,
          oauth2: { loginUrl, clientId: plan.clientId },
          refreshFn: guarded(async () => {
            const res = (await conn.oauth2.requestToken(params())) as unknown as TokenResponse;
            return { token: res.access_token, res };
          }),
        });
        await conn.authorize(params());
        break;
      }
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof OrgError) throw e;
    throw toOrgError(e, `${what} (${plan.mode})`);
  }
  registerSecret(conn.accessToken);
  conn.on('refresh', (token: string) => registerSecret(token));
  state.client = new JsforceOrgClient(conn, {
    loginMode: plan.mode as LoginMode,
    apiBudgetPercent: org.apiBudget,
    retry: opts.retry,
    canRefresh,
  });
  return state.client;
}

export { OrgApiError };
