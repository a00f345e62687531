import { mapFields, objectFromId, type FieldRole, type Role } from './fields.js';
import type { Reference } from './reference.js';

/** A non-empty field value with the field it came from. */
export interface Val {
  field: string;
  value: string;
}

/** One address block (Mailing, Billing, Lead address, ...), with the country resolved to ISO alpha-2. */
export interface Address {
  group: string;
  street?: Val;
  city?: Val;
  state?: Val;
  postalCode?: Val;
  country?: Val;
  countryCode: string | null;
}

/** What a rule sees: the record's values by role, its addresses and its country. Built once per record. */
export interface RecordView {
  object: string;
  values: Readonly<Record<string, string | null>>;
  /** Non-empty values of a role, in header order. */
  all(role: Role): readonly Val[];
  first(role: Role): Val | undefined;
  addresses: readonly Address[];
  /** ISO alpha-2 of the first address that names a country, or null. */
  country: string | null;
}

/** Field roles of a header, computed once per source and object. */
export interface Layout {
  object: string;
  roles: readonly FieldRole[];
}

/** Build the layout of a source: `object` from the flag/source, else the first Id's key prefix, else `fallback`. */
export function layoutFor(header: readonly string[], object: string, extra: Record<string, string> = {}): Layout {
  return { object, roles: mapFields(header, object, extra) };
}

/** Detect the object of a record without a declared one. */
export function detectObject(values: Record<string, string | null>, fallback: string | null): string {
  const idKey = Object.keys(values).find((k) => k.toLowerCase() === 'id');
  const id = idKey ? values[idKey] : null;
  return (id && objectFromId(id)) || fallback || 'Unknown';
}

/** Build a record view. Pure, given the reference data used to resolve country names. */
export function buildView(values: Record<string, string | null>, layout: Layout, ref: Reference): RecordView {
  const byRole = new Map<Role, Val[]>();
  const groups = new Map<string, Address>();
  for (const fr of layout.roles) {
    const raw = values[fr.field];
    if (raw === null || raw === undefined) continue;
    const value = raw.trim();
    if (!value) continue;
    const v: Val = { field: fr.field, value };
    const list = byRole.get(fr.role);
    if (list) list.push(v);
    else byRole.set(fr.role, [v]);
    if (
      fr.role === 'street' ||
      fr.role === 'city' ||
      fr.role === 'state' ||
      fr.role === 'postalCode' ||
      fr.role === 'country'
    ) {
      let a = groups.get(fr.group);
      if (!a) {
        a = { group: fr.group, countryCode: null };
        groups.set(fr.group, a);
      }
      if (!a[fr.role]) a[fr.role] = v;
    }
  }
  const addresses = [...groups.values()];
  for (const a of addresses) if (a.country) a.countryCode = ref.countryCode(a.country.value);
  const empty: Val[] = [];
  return {
    object: layout.object,
    values,
    all: (role) => byRole.get(role) ?? empty,
    first: (role) => byRole.get(role)?.[0],
    addresses,
    country: addresses.find((a) => a.countryCode)?.countryCode ?? null,
  };
}
