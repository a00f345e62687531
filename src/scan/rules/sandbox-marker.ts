import { ex, type Hit, type RecordRule } from '../rule.js';
import { emailDomain, quote } from '../text.js';

/**
 * Salesforce appends `.invalid` to email addresses when a sandbox is refreshed, and sandbox usernames carry the
 * sandbox name as a suffix: such values in production came from a sandbox (failure pattern 1).
 */
export const sandboxMarker: RecordRule = {
  id: 'sandbox-marker',
  family: 'sandbox-markers',
  why: 'Sandbox refreshes append .invalid to emails; seeing that in production means data leaked from a sandbox.',
  maxWeight: 0.95,
  check(view) {
    const hits: Hit[] = [];
    for (const role of ['email', 'username'] as const) {
      for (const v of view.all(role)) {
        const host = emailDomain(v.value);
        if (!host?.endsWith('.invalid') || host.split('.').length <= 2) continue;
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} ends in .invalid, which Salesforce appends to addresses when a sandbox is refreshed`,
          weight: 0.95,
        });
      }
    }
    for (const v of view.all('username')) {
      const m = /@[^@]+\.[a-z]{2,}\.(dev|devpro|qa|uat|test|sit|staging|stage|partial|full|sandbox|sbx|int)$/i.exec(
        v.value,
      );
      if (m) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} ends in .${m[1]}, the sandbox-name suffix Salesforce adds to sandbox usernames`,
          weight: 0.9,
        });
      }
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { LastName: 'Ng', Email: 'ng@acme.com.invalid' }),
      ex('User', { LastName: 'Ng', Username: 'integration@acme.com.uat' }),
    ],
    quiet: [
      ex('Contact', { LastName: 'Ng', Email: 'ng@acme.com' }),
      ex('User', { LastName: 'Ng', Username: 'ng@acme.co.uk' }),
    ],
  },
};
