import { Command } from 'commander';
import { stringify } from 'yaml';
import type { Context } from './context.js';
import { emit } from './output.js';
import { settings } from '../config/schema.js';

const get = (obj: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);

export function registerConfig(program: Command, ctxFor: (cmd: Command) => Context): void {
  const config = program.command('config').description('show the resolved configuration');
  config
    .command('show')
    .description('print the resolved config and where each value came from (flag, env, file, default)')
    .action((_flags, cmd: Command) => {
      const ctx = ctxFor(cmd);
      const loaded = ctx.loadedConfig();
      const secret = new Set(settings.filter((s) => s.secret && s.path).map((s) => s.path));
      const values = Object.entries(loaded.origins).map(([key, origin]) => ({
        key,
        value: secret.has(key) ? '[REDACTED]' : get(loaded.config, key),
        origin,
      }));
      emit(ctx, { file: loaded.file, values }, (r) => {
        const lines = [`# config file: ${r.file ?? '(none; defaults, env and flags only)'}`];
        for (const v of r.values) {
          const rendered = stringify(v.value, { flow: true }).trim();
          lines.push(`${v.key}: ${rendered}  # ${v.origin}`);
        }
        return lines.join('\n');
      });
    });
}
