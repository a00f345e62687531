import { Command, InvalidArgumentError, Option } from 'commander';
import type { Context } from './context.js';
import { emit, table } from './output.js';
import { parseTime } from '../util/time.js';
import {
  closeIncident,
  listIncidents,
  noteIncident,
  openIncident,
  showIncident,
  useIncident,
} from '../incident/service.js';
import type { Incident } from '../incident/model.js';
import { registerAssess } from './incident-assess.js';

const INCIDENT_ID = /^INC-\d{4}-\d{4,}$/;

function parseSeverity(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 4) throw new InvalidArgumentError('severity is 1 (highest) to 4');
  return n;
}

/** An empty title or closing summary would leave a blank line in the report; refuse it like any bad flag. */
function nonEmpty(v: string): string {
  if (!v.trim()) throw new InvalidArgumentError('must not be empty');
  return v;
}

const describe = (i: Incident): string =>
  [
    `${i.id}  ${i.title}`,
    `  status     ${i.status}${i.closedAt ? ` (closed ${i.closedAt} by ${i.closedBy})` : ''}`,
    `  severity   ${i.severity}`,
    `  opened     ${i.openedAt} by ${i.openedBy}`,
    `  aware at   ${i.awareAt}`,
    ...(i.summary ? [`  summary    ${i.summary}`] : []),
    ...(i.closingSummary ? [`  closing    ${i.closingSummary}`] : []),
    `  evidence   ${i.entries} entries`,
    ...(i.notes.length ? ['  notes', ...i.notes.map((n) => `    #${n.seq} ${n.ts} ${n.actor}: ${n.text}`)] : []),
  ].join('\n');

export function registerIncident(program: Command, ctxFor: (cmd: Command) => Context): void {
  const incident = program
    .command('incident')
    .description('open, annotate and close incidents (all kept in the evidence log)');

  incident
    .command('open')
    .description('open an incident; it becomes the current one')
    .requiredOption('--title <title>', 'short title', nonEmpty)
    .addOption(new Option('--severity <1-4>', 'severity, 1 is highest').argParser(parseSeverity).default(2))
    .option('--aware-at <time>', 'when the organisation became aware (ISO 8601; default: now)')
    .option('--summary <text>', 'what is known so far')
    .action((flags: { title: string; severity: number; awareAt?: string; summary?: string }, cmd: Command) => {
      const ctx = ctxFor(cmd);
      const inc = openIncident(ctx, {
        title: flags.title,
        severity: flags.severity,
        awareAt: flags.awareAt ? parseTime(flags.awareAt, '--aware-at') : undefined,
        summary: flags.summary,
      });
      emit(ctx, inc, (i) => i.id);
    });

  incident
    .command('list')
    .description('list incidents')
    .action((_flags, cmd: Command) => {
      const ctx = ctxFor(cmd);
      const all = listIncidents(ctx);
      emit(ctx, all, (list) =>
        list.length
          ? table(
              ['ID', 'STATUS', 'SEV', 'OPENED', 'TITLE'],
              list.map((i) => [i.id, i.status, i.severity, i.openedAt, i.title]),
            )
          : 'no incidents',
      );
    });

  incident
    .command('show')
    .description('show an incident (default: the current one)')
    .argument('[id]', 'incident id')
    .action((id: string | undefined, _flags, cmd: Command) => {
      const ctx = ctxFor(cmd);
      emit(ctx, showIncident(ctx, id), describe);
    });

  incident
    .command('note')
    .description('add a timeline entry by hand: lockout incident note [id] <text>')
    .argument('<words...>', '[incident id] then the note')
    .action((words: string[], _flags, cmd: Command) => {
      const ctx = ctxFor(cmd);
      const [first, ...rest] = words;
      const id = rest.length && first && INCIDENT_ID.test(first) ? first : undefined;
      const text = (id ? rest : words).join(' ');
      const inc = noteIncident(ctx, id, text);
      emit(ctx, inc.notes[inc.notes.length - 1], (n) => `noted in ${inc.id} as entry #${n?.seq}`);
    });

  incident
    .command('close')
    .description('close an incident (default: the current one)')
    .argument('[id]', 'incident id')
    .requiredOption('--summary <text>', 'how it ended', nonEmpty)
    .action((id: string | undefined, flags: { summary: string }, cmd: Command) => {
      const ctx = ctxFor(cmd);
      emit(ctx, closeIncident(ctx, id, flags.summary), (i) => `closed ${i.id}`);
    });

  registerAssess(incident, ctxFor);

  incident
    .command('use')
    .description('make an open incident the current one')
    .argument('<id>', 'incident id')
    .action((id: string, _flags, cmd: Command) => {
      const ctx = ctxFor(cmd);
      emit(ctx, useIncident(ctx, id), (i) => `current incident: ${i.id}`);
    });
}
