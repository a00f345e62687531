/**
 * Redaction: tokens and passwords never reach output, errors or evidence.
 * Salesforce session ids look like `00D…!AQ…`; OAuth and JWT tokens travel as Bearer values or form fields.
 */
const PATTERNS: readonly [RegExp, string][] = [
  [/\b00D[a-zA-Z0-9]{12,15}![A-Za-z0-9._\-+/=]{20,}/g, '[REDACTED session id]'],
  [/(Bearer\s+)[A-Za-z0-9._\-+/=!]{8,}/gi, '$1[REDACTED]'],
  [
    /((?:access_token|refresh_token|client_secret|password|token|sessionId)["']?\s*[:=]\s*["']?)[^"'&\s,}<]{4,}/gi,
    '$1[REDACTED]',
  ],
  [/(<(?:sessionId|password)>)[^<]*(<\/)/gi, '$1[REDACTED]$2'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, '[REDACTED jwt]'],
];

const knownSecrets = new Set<string>();

/** Remember a secret value (a token read from a flag or env) so that it is masked wherever it appears. */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 6) knownSecrets.add(value);
}

/** Mask secrets in a string. */
export function redact(text: string): string {
  let out = text;
  for (const secret of knownSecrets) out = out.split(secret).join('[REDACTED]');
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out;
}
