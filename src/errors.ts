/**
 * Typed errors. Each class stands for one exit code; the mapping lives in one table in src/main.ts.
 * Throw these from anywhere; never call process.exit outside bin/.
 */
export class LockoutError extends Error {
  /** One extra line shown under the message, e.g. what to try next. */
  readonly hint?: string;
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** Scan findings reached `--fail-on`. Not a crash: the command already printed its result. */
export class FindingsFound extends LockoutError {}

/** Usage error or bad input: unknown flag, malformed file, invalid config, unreadable path. */
export class UsageError extends LockoutError {}

/** Org, auth or API error: login failed, API limit reached, network. */
export class OrgError extends LockoutError {}

/** A guardrail refused: approval needed, the user declined, or a protected target was named. */
export class Refused extends LockoutError {}

/** The evidence log failed verification: a break, truncation or a bad signature. */
export class IntegrityError extends LockoutError {}
