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
  /** Field API name -> value (built on first use). */
  values: Readonly<Record<string, string | null>>;
  /** The field names and the raw values in the same order (no per-record object). */
  header: readonly string[];
  row: readonly (string | null)[];
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
  /** Column of each role's field in the header (same order as `roles`). */
  columns: readonly number[];
  /** Role -> its slot in a view's per-role lists. */
  slots: ReadonlyMap<Role, number>;
  /** Slot of each entry of `roles`. */
  roleSlots: readonly number[];
  /** Whether each entry of `roles` is an address part. */
  address: readonly boolean[];
}

const ADDRESS_ROLES = new Set<Role>(['street', 'city', 'state', 'postalCode', 'country']);

/** Build the layout of a source: `object` from the flag/source, else the first Id's key prefix, else `fallback`. */
export function layoutFor(header: readonly string[], object: string, extra: Record<string, string> = {}): Layout {
  const roles = mapFields(header, object, extra);
  const slots = new Map<Role, number>();
  for (const fr of roles) if (!slots.has(fr.role)) slots.set(fr.role, slots.size);
  return {
    object,
    roles,
    columns: roles.map((fr) => header.indexOf(fr.field)),
    slots,
    roleSlots: roles.map((fr) => slots.get(fr.role)!),
    address: roles.map((fr) => ADDRESS_ROLES.has(fr.role)),
  };
}

/** Detect the object of a record without a declared one. */
export function detectObject(values: Record<string, string | null>, fallback: string | null): string {
  const idKey = Object.keys(values).find((k) => k.toLowerCase() === 'id');
  const id = idKey ? values[idKey] : null;
  return (id && objectFromId(id)) || fallback || 'Unknown';
}

const EMPTY: readonly Val[] = [];

/** A record view over one row: per-role lists are filled once, `values` is built only when a rule asks. */
class RowView implements RecordView {
  private valuesObj: Record<string, string | null> | undefined;
  constructor(
    readonly object: string,
    readonly header: readonly string[],
    readonly row: readonly (string | null)[],
    private readonly slots: ReadonlyMap<Role, number>,
    private readonly byRole: (Val[] | undefined)[],
    readonly addresses: readonly Address[],
    readonly country: string | null,
  ) {}
  get values(): Readonly<Record<string, string | null>> {
    if (!this.valuesObj) {
      const v: Record<string, string | null> = {};
      for (let j = 0; j < this.header.length; j++) v[this.header[j]!] = this.row[j] ?? null;
      this.valuesObj = v;
    }
    return this.valuesObj;
  }
  all(role: Role): readonly Val[] {
    const slot = this.slots.get(role);
    return (slot === undefined ? undefined : this.byRole[slot]) ?? EMPTY;
  }
  first(role: Role): Val | undefined {
    const slot = this.slots.get(role);
    return slot === undefined ? undefined : this.byRole[slot]?.[0];
  }
}

/** Build a record view from a row of the header the layout was made for. Pure, given the reference data. */
export function buildRowView(
  header: readonly string[],
  row: readonly (string | null)[],
  layout: Layout,
  ref: Reference,
): RecordView {
  const byRole: (Val[] | undefined)[] = new Array<Val[] | undefined>(layout.slots.size);
  let groups: Address[] | undefined;
  const roles = layout.roles;
  for (let i = 0; i < roles.length; i++) {
    const raw = row[layout.columns[i]!];
    if (raw === null || raw === undefined) continue;
    const value = raw.trim();
    if (!value) continue;
    const fr = roles[i]!;
    const v: Val = { field: fr.field, value };
    const slot = layout.roleSlots[i]!;
    const list = byRole[slot];
    if (list) list.push(v);
    else byRole[slot] = [v];
    if (layout.address[i]) {
      groups ??= [];
      let a = groups.find((g) => g.group === fr.group);
      if (!a) {
        a = { group: fr.group, countryCode: null };
        groups.push(a);
      }
      const part = fr.role as 'street' | 'city' | 'state' | 'postalCode' | 'country';
      if (!a[part]) a[part] = v;
    }
  }
  let country: string | null = null;
  if (groups) {
    for (const a of groups) {
      if (a.country) a.countryCode = ref.countryCode(a.country.value);
      if (!country && a.countryCode) country = a.countryCode;
    }
  }
  return new RowView(layout.object, header, row, layout.slots, byRole, groups ?? [], country);
}

/** Build a record view from a values object (field API name -> value). Pure, given the reference data. */
export function buildView(values: Record<string, string | null>, layout: Layout, ref: Reference): RecordView {
  const header = Object.keys(values);
  const row = header.map((k) => values[k] ?? null);
  const columns = layout.roles.map((fr) => header.indexOf(fr.field));
  return buildRowView(header, row, { ...layout, columns }, ref);
}
