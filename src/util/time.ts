import { UsageError } from '../errors.js';

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parse an ISO 8601 time given on the command line; `flag` names it in the error.
 * A time without an offset is taken as UTC (the evidence log is in UTC).
 */
export function parseTime(value: string, flag: string): Date {
  const text = value.trim();
  if (!ISO.test(text)) {
    throw new UsageError(`${flag}: "${value}" is not an ISO 8601 time`, { hint: 'e.g. 2026-11-26T08:30:00Z' });
  }
  const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text);
  const normal = text.length === 10 ? `${text}T00:00:00Z` : hasOffset ? text : `${text}Z`;
  const d = new Date(normal.replace(' ', 'T'));
  if (Number.isNaN(d.getTime())) throw new UsageError(`${flag}: "${value}" is not a valid time`);
  return d;
}

export const iso = (d: Date): string => d.toISOString();
