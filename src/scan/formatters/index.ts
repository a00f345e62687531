import type { ScanResult } from '../engine.js';
import { renderCsv } from './csv.js';
import { renderJson, renderJsonl } from './json.js';
import { renderJunit } from './junit.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';

import type { Format } from '../formats.js';

export { FORMATS, type Format } from '../formats.js';

export interface RenderOptions {
  /** Colour (table only; never in files). */
  color: boolean;
  /** Findings shown by the table. */
  top?: number;
  /** lockout's version, for SARIF. */
  version: string;
}

/** Render a scan result in one of the output formats. Pure. */
export function render(format: Format, result: ScanResult, opts: RenderOptions): string {
  switch (format) {
    case 'json':
      return renderJson(result);
    case 'jsonl':
      return renderJsonl(result);
    case 'csv':
      return renderCsv(result);
    case 'sarif':
      return renderSarif(result, opts.version);
    case 'junit':
      return renderJunit(result);
    case 'table':
      return renderTable(result, opts);
  }
}

export { renderCsv, renderJson, renderJsonl, renderJunit, renderSarif, renderTable };
