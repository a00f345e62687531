/** The output formats of `lockout scan` (no dependencies: the CLI registers the command without loading the engine). */
export const FORMATS = ['table', 'json', 'jsonl', 'csv', 'sarif', 'junit'] as const;
export type Format = (typeof FORMATS)[number];
