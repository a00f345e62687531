import type { ScanResult } from '../engine.js';

// XML 1.0 forbids most control characters; drop them, then escape markup.
const xml = (s: string): string =>
  [...s]
    .filter((ch) => {
      const c = ch.charCodeAt(0);
      return c >= 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
    })
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/** `--format junit`: one test suite per input; each flagged record is a failed test case. */
export function renderJunit(result: ScanResult): string {
  const s = result.summary;
  const suites = s.inputs.map((input) => {
    const findings = result.findings.filter((f) => f.file === input.file);
    const cases = findings.map(
      (f) =>
        `    <testcase classname="${xml(`lockout.scan.${f.object}`)}" name="${xml(`${f.id} (${input.file}:${f.line})`)}">\n` +
        `      <failure type="${f.level}" message="${xml(`score ${f.score}: ${f.reasons[0]?.message ?? ''}`)}">${xml(
          f.reasons.map((r) => `${r.rule} ${r.field} "${r.evidence}": ${r.message} (weight ${r.weight})`).join('\n'),
        )}</failure>\n    </testcase>`,
    );
    cases.unshift(
      `    <testcase classname="lockout.scan" name="${xml(`${input.file}: ${input.rows} records read`)}"/>`,
    );
    return (
      `  <testsuite name="${xml(`lockout scan ${input.file}`)}" tests="${cases.length}" failures="${findings.length}" errors="0" skipped="0">\n` +
      `${cases.join('\n')}\n  </testsuite>`
    );
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="lockout scan" tests="${s.inputs.length + s.findings.total}" failures="${s.findings.total}" time="${(s.durationMs / 1000).toFixed(3)}">\n` +
    `${suites.join('\n')}\n</testsuites>\n`
  );
}
