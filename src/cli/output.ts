import { Chalk, type ChalkInstance } from 'chalk';
import type { Context } from './context.js';

/** Colour for stderr chatter (only on a TTY without --no-color / NO_COLOR). */
export function colors(ctx: Context): ChalkInstance {
  return new Chalk({ level: ctx.io.color ? 1 : 0 });
}

/**
 * Print a command's result: with --json exactly the result object, else the text rendering.
 * What `run` returns is the --json output (style.md, plugin-data).
 */
export function emit<T>(ctx: Context, result: T, renderText: (r: T) => string): void {
  if (ctx.flags.json) {
    ctx.io.out.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  if (ctx.flags.quiet) return;
  const text = renderText(result);
  if (text) ctx.io.out.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** A status line on stderr (suppressed by --quiet and --json). */
export function status(ctx: Context, line: string): void {
  if (ctx.flags.quiet || ctx.flags.json) return;
  ctx.io.err.write(`${line}\n`);
}

/** A plain fixed-width table. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
