import type { ScanRecord } from './types.js';

/** What a field means to the rules, whatever its API name. */
export type Role =
  | 'id'
  | 'email'
  | 'phone'
  | 'firstName'
  | 'lastName'
  | 'fullName'
  | 'company'
  | 'website'
  | 'street'
  | 'city'
  | 'state'
  | 'postalCode'
  | 'country'
  | 'title'
  | 'username'
  | 'birthdate'
  | 'createdDate'
  | 'createdById';

export const ROLES: readonly Role[] = [
  'id',
  'email',
  'phone',
  'firstName',
  'lastName',
  'fullName',
  'company',
  'website',
  'street',
  'city',
  'state',
  'postalCode',
  'country',
  'title',
  'username',
  'birthdate',
  'createdDate',
  'createdById',
];

/** Key prefixes of the standard objects (Salesforce "Standard Field Record ID Prefix Decoder"). */
const KEY_PREFIXES: Record<string, string> = {
  '001': 'Account',
  '003': 'Contact',
  '00Q': 'Lead',
  '005': 'User',
  '006': 'Opportunity',
  '500': 'Case',
  '701': 'Campaign',
  '00T': 'Task',
  '00U': 'Event',
  '800': 'Contract',
  '02i': 'Asset',
  '01t': 'Product2',
};

/** The sObject type of an Id's key prefix, or null. */
export function objectFromId(id: string): string | null {
  return /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id) ? (KEY_PREFIXES[id.slice(0, 3)] ?? null) : null;
}

/** The sObject type named by a file label (`contacts.csv` -> Contact), or null. */
export function objectFromLabel(label: string): string | null {
  const base = label
    .replace(/^.*[\\/]/, '')
    .toLowerCase()
    .replace(/\..*$/, '');
  const map: [RegExp, string][] = [
    [/contact/, 'Contact'],
    [/lead/, 'Lead'],
    [/account/, 'Account'],
    [/user/, 'User'],
  ];
  return map.find(([re]) => re.test(base))?.[1] ?? null;
}

/**
 * Flatten an org-style record: drops `attributes`, turns relationship objects (`Account: {Name}`) into
 * `Account.Name` and also `AccountName`, and stringifies scalars. Null stays null.
 */
export function flatten(
  rec: ScanRecord,
  out: Record<string, string | null> = {},
  prefix = '',
): Record<string, string | null> {
  for (const [k, v] of Object.entries(rec)) {
    if (k === 'attributes') continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      flatten(v as ScanRecord, out, `${prefix}${k}.`);
      continue;
    }
    const value = v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);
    out[`${prefix}${k}`] = value;
    if (prefix && !prefix.slice(0, -1).includes('.')) out[`${prefix.slice(0, -1)}${k}`] ??= value;
  }
  return out;
}

const ADDRESS_PREFIXES = ['mailing', 'other', 'billing', 'shipping', ''];
const ADDRESS_PARTS: [string, Role][] = [
  ['street', 'street'],
  ['city', 'city'],
  ['state', 'state'],
  ['statecode', 'state'],
  ['postalcode', 'postalCode'],
  ['country', 'country'],
  ['countrycode', 'country'],
];

/** Standard field API names (lower case) -> role, for every object. Address fields are added below. */
const STANDARD: Record<string, Role> = {
  id: 'id',
  email: 'email',
  personemail: 'email',
  phone: 'phone',
  mobilephone: 'phone',
  homephone: 'phone',
  otherphone: 'phone',
  assistantphone: 'phone',
  personmobilephone: 'phone',
  fax: 'phone',
  firstname: 'firstName',
  lastname: 'lastName',
  title: 'title',
  company: 'company',
  companyname: 'company',
  accountname: 'company',
  'account.name': 'company',
  website: 'website',
  username: 'username',
  birthdate: 'birthdate',
  personbirthdate: 'birthdate',
  createddate: 'createdDate',
  createdbyid: 'createdById',
};

/** Address group of a field: `Mailing`, `Billing`, ... or '' for Lead/User addresses. */
export interface FieldRole {
  field: string;
  role: Role;
  group: string;
}

/**
 * Map a header to roles for an object. `extra` is config `scan.fields` (API name -> role); unknown role names
 * are reported by the caller. Account `Name` is the company; on other objects `Name` is the full name.
 */
export function mapFields(header: readonly string[], object: string, extra: Record<string, string> = {}): FieldRole[] {
  const extraLower = new Map(Object.entries(extra).map(([k, v]) => [k.toLowerCase(), v as Role]));
  const out: FieldRole[] = [];
  for (const field of header) {
    const lower = field.toLowerCase();
    const configured = extraLower.get(lower);
    if (configured) {
      out.push({ field, role: configured, group: '' });
      continue;
    }
    if (lower === 'name') {
      out.push({ field, role: object === 'Account' ? 'company' : 'fullName', group: '' });
      continue;
    }
    const std = STANDARD[lower];
    if (std) {
      out.push({ field, role: std, group: '' });
      continue;
    }
    let matched = false;
    for (const prefix of ADDRESS_PREFIXES) {
      for (const [part, role] of ADDRESS_PARTS) {
        if (lower === `${prefix}${part}`) {
          out.push({ field, role, group: prefix });
          matched = true;
        }
      }
    }
    if (matched) continue;
    // Custom fields: guess from the name, conservatively.
    if (lower.endsWith('__c')) {
      if (/email/.test(lower)) out.push({ field, role: 'email', group: '' });
      else if (/phone|mobile/.test(lower)) out.push({ field, role: 'phone', group: '' });
      else if (/website|url/.test(lower)) out.push({ field, role: 'website', group: '' });
    }
  }
  return out;
}
