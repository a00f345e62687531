// sObject schemas: field names and types per object, key prefixes, relationships. OrgState owns one Schema;
// objects not listed here are created on demand (seed or defineObject) with fields inferred from values.

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multipicklist'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'reference'
  | 'anyType'
  | 'base64';

export interface FieldDef {
  name: string;
  type: FieldType;
  label: string;
  referenceTo: string[];
  /** For reference fields: the parent relationship name (AccountId -> Account, Foo__c -> Foo__r). */
  relationshipName: string | null;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  filterable: boolean;
  custom: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string | null;
  custom: boolean;
  /** Lower-case field name -> field. */
  fields: Map<string, FieldDef>;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable: boolean;
  /** Tooling API object (served under /tooling only). */
  tooling: boolean;
  /** Required on create (REQUIRED_FIELD_MISSING). */
  required: string[];
  /** Records go to the recycle bin on delete (false: hard delete, e.g. AuthSession). */
  recycle: boolean;
}

const SYSTEM_FIELDS =
  'Id:id, IsDeleted:boolean!, CreatedDate:datetime!, CreatedById:reference(User)!, LastModifiedDate:datetime!, LastModifiedById:reference(User)!, SystemModstamp:datetime!';

/**
 * Built-in objects, as `name: [keyPrefix, fields, options]`. Field DSL: `Name:type[(Ref|Ref2)][!]` where `!`
 * marks a read-only (not createable/updateable) field.
 */
const BUILTIN: Record<string, [string | null, string, Partial<ObjectDef>?]> = {
  Organization: [
    '00D',
    'Name:string, InstanceName:string!, IsSandbox:boolean!, OrganizationType:string!, NamespacePrefix:string!, TrialExpirationDate:datetime!, TimeZoneSidKey:string, LanguageLocaleKey:string, DefaultLocaleSidKey:string, Country:string',
    { createable: false, deletable: false },
  ],
  User: [
    '005',
    'Username:string, LastName:string, FirstName:string, Name:string!, Alias:string, Email:email, IsActive:boolean, UserType:picklist, ProfileId:reference(Profile), UserRoleId:reference(UserRole), ManagerId:reference(User), LastLoginDate:datetime!, TimeZoneSidKey:picklist, LocaleSidKey:picklist, LanguageLocaleKey:picklist, EmailEncodingKey:picklist, Title:string, Department:string, CompanyName:string, FederationIdentifier:string',
    { deletable: false, required: ['Username', 'LastName', 'Email', 'Alias', 'ProfileId'] },
  ],
  UserRole: ['00E', 'Name:string, DeveloperName:string, ParentRoleId:reference(UserRole)'],
  Profile: [
    '00e',
    'Name:string, UserLicenseId:reference(UserLicense), UserType:picklist, PermissionsApiEnabled:boolean, PermissionsApiUserOnly:boolean, PermissionsModifyAllData:boolean, PermissionsViewAllData:boolean, Description:string',
  ],
  UserLicense: ['100', 'Name:string, LicenseDefinitionKey:string, Status:string, TotalLicenses:int, UsedLicenses:int'],
  PermissionSet: [
    '0PS',
    'Name:string, Label:string, IsOwnedByProfile:boolean, ProfileId:reference(Profile), PermissionsApiEnabled:boolean, PermissionsApiUserOnly:boolean, PermissionsModifyAllData:boolean, Description:string',
  ],
  PermissionSetAssignment: [
    '0Pa',
    'AssigneeId:reference(User), PermissionSetId:reference(PermissionSet), IsActive:boolean',
  ],
  UserLogin: [
    '0Yw',
    'UserId:reference(User)!, IsFrozen:boolean, IsPasswordLocked:boolean!',
    { createable: false, deletable: false },
  ],
  LoginHistory: [
    '0Ya',
    'UserId:reference(User), LoginTime:datetime, LoginType:string, SourceIp:string, Status:string, Application:string, Browser:string, Platform:string, LoginUrl:string, AuthenticationServiceId:string',
    { createable: false, updateable: false, deletable: false },
  ],
  AuthSession: [
    '0Ak',
    'UsersId:reference(User)!, LoginType:string!, SessionType:string!, SourceIp:string!, UserType:string!, SessionSecurityLevel:string!, NumSecondsValid:int!, ParentId:reference(AuthSession)!, LoginHistoryId:reference(LoginHistory)!, IsCurrent:boolean!',
    { createable: false, updateable: false, recycle: false },
  ],
  OauthToken: [
    null,
    'AccessToken:string!, AppMenuItemId:string!, AppName:string!, DeleteToken:string!, LastUsedDate:datetime!, RequestToken:string!, UseCount:int!, UserId:reference(User)!',
    { createable: false, updateable: false, deletable: false },
  ],
  ConnectedApplication: [
    '0H4',
    'Name:string, MobileSessionTimeout:string, MobileStartUrl:string, OptionsAllowAdminApprovedUsersOnly:boolean, OptionsHasSessionLevelPolicy:boolean, OptionsIsInternal:boolean, OptionsRefreshTokenValidityMetric:boolean, PinLength:string, RefreshTokenValidityPeriod:int, StartUrl:string',
    { createable: false, updateable: false, deletable: false },
  ],
  NamedCredential: [
    '0XA',
    'DeveloperName:string, MasterLabel:string, Endpoint:string, PrincipalType:string, NamespacePrefix:string, Language:string',
    { createable: false, updateable: false, deletable: false },
  ],
  FlowDefinitionView: [
    '300',
    'ApiName:string, Label:string, ProcessType:string, TriggerType:string, TriggerObjectOrEventLabel:string, TriggerObjectOrEventId:string, IsActive:boolean, ActiveVersionId:string, LatestVersionId:string, DurableId:string, Description:string, NamespacePrefix:string, RecordTriggerType:string',
    { createable: false, updateable: false, deletable: false },
  ],
  Account: [
    '001',
    'Name:string, Type:picklist, ParentId:reference(Account), OwnerId:reference(User), Industry:picklist, Phone:phone, Fax:phone, Website:url, AccountNumber:string, Site:string, Description:textarea, NumberOfEmployees:int, AnnualRevenue:currency, BillingStreet:textarea, BillingCity:string, BillingState:string, BillingPostalCode:string, BillingCountry:string, ShippingStreet:textarea, ShippingCity:string, ShippingState:string, ShippingPostalCode:string, ShippingCountry:string',
    { required: ['Name'] },
  ],
  Contact: [
    '003',
    'AccountId:reference(Account), OwnerId:reference(User), Salutation:picklist, FirstName:string, LastName:string, Name:string!, Email:email, Phone:phone, MobilePhone:phone, Title:string, Department:string, Birthdate:date, LeadSource:picklist, Description:textarea, MailingStreet:textarea, MailingCity:string, MailingState:string, MailingPostalCode:string, MailingCountry:string, HasOptedOutOfEmail:boolean, DoNotCall:boolean',
    { required: ['LastName'] },
  ],
  Lead: [
    '00Q',
    'OwnerId:reference(User), Salutation:picklist, FirstName:string, LastName:string, Name:string!, Company:string, Email:email, Phone:phone, MobilePhone:phone, Title:string, Status:picklist, LeadSource:picklist, Industry:picklist, Rating:picklist, Description:textarea, Street:textarea, City:string, State:string, PostalCode:string, Country:string, Website:url, NumberOfEmployees:int, IsConverted:boolean!, HasOptedOutOfEmail:boolean',
    { required: ['LastName', 'Company'] },
  ],
  Opportunity: [
    '006',
    'Name:string, AccountId:reference(Account), OwnerId:reference(User), StageName:picklist, CloseDate:date, Amount:currency, Probability:percent, Type:picklist, LeadSource:picklist, Description:textarea, IsClosed:boolean!, IsWon:boolean!',
    { required: ['Name', 'StageName', 'CloseDate'] },
  ],
  Case: [
    '500',
    'CaseNumber:string!, AccountId:reference(Account), ContactId:reference(Contact), OwnerId:reference(User), Subject:string, Description:textarea, Status:picklist, Priority:picklist, Origin:picklist, Type:picklist, IsClosed:boolean!',
  ],
  Task: [
    '00T',
    'Subject:string, WhoId:reference(Contact|Lead), WhatId:reference(Account|Opportunity|Case), OwnerId:reference(User), Status:picklist, Priority:picklist, ActivityDate:date, Description:textarea',
  ],
};

/** Plural child-relationship names where a simple "s" is wrong. */
const PLURAL: Record<string, string> = {
  Opportunity: 'Opportunities',
  Case: 'Cases',
  Task: 'Tasks',
  Activity: 'Activities',
};

export const HISTORY_PREFIX = '017';

function label(name: string): string {
  return name
    .replace(/__c$|__History$/, '')
    .replace(/Id$/, ' ID')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim();
}

export function relationshipNameFor(field: string): string | null {
  if (field.endsWith('__c')) return field.slice(0, -3) + '__r';
  if (field.endsWith('Id') && field.length > 2) return field.slice(0, -2);
  return null;
}

export function makeField(name: string, type: FieldType, opts: Partial<FieldDef> = {}): FieldDef {
  const system = /^(Id|IsDeleted|CreatedDate|CreatedById|LastModifiedDate|LastModifiedById|SystemModstamp)$/.test(name);
  const writable = !system && type !== 'id';
  return {
    name,
    type,
    label: label(name) || name,
    referenceTo: [],
    relationshipName: type === 'reference' ? relationshipNameFor(name) : null,
    nillable: !system && type !== 'boolean',
    createable: writable,
    updateable: writable,
    filterable: type !== 'anyType' && type !== 'textarea',
    custom: name.endsWith('__c'),
    ...opts,
  };
}

function parseFields(dsl: string): FieldDef[] {
  return dsl
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((spec) => {
      const m = /^(\w+):(\w+)(?:\(([\w|]+)\))?(!)?$/.exec(spec);
      if (!m) throw new Error(`emulator schema: bad field spec ${spec}`);
      const [, name, type, refs, ro] = m;
      return makeField(name!, type as FieldType, {
        referenceTo: refs ? refs.split('|') : [],
        ...(ro ? { createable: false, updateable: false } : {}),
      });
    });
}

export function makeObject(
  name: string,
  keyPrefix: string | null,
  fields: FieldDef[],
  opts: Partial<ObjectDef> = {},
): ObjectDef {
  const map = new Map<string, FieldDef>();
  for (const f of [...parseFields(SYSTEM_FIELDS), ...fields]) map.set(f.name.toLowerCase(), f);
  const lbl = label(name);
  return {
    name,
    label: lbl,
    labelPlural: PLURAL[name] ?? `${lbl}s`,
    keyPrefix,
    custom: name.endsWith('__c'),
    fields: map,
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    tooling: false,
    required: [],
    recycle: true,
    ...opts,
  };
}

/** The built-in object definitions (fresh copies). */
export function builtinObjects(): ObjectDef[] {
  return Object.entries(BUILTIN).map(([name, [prefix, dsl, opts]]) => makeObject(name, prefix, parseFields(dsl), opts));
}

/** The History object for `type` (salesforce-api.md §4): name and the field pointing at the parent. */
export function historyNames(type: string): { name: string; parentField: string } {
  if (type === 'Opportunity') return { name: 'OpportunityFieldHistory', parentField: 'OpportunityId' };
  if (type.endsWith('__c')) return { name: type.slice(0, -3) + '__History', parentField: 'ParentId' };
  return { name: `${type}History`, parentField: `${type}Id` };
}

export function historyObject(type: string): ObjectDef {
  const { name, parentField } = historyNames(type);
  return makeObject(
    name,
    HISTORY_PREFIX,
    [
      makeField(parentField, 'reference', {
        referenceTo: [type],
        relationshipName: parentField === 'ParentId' ? 'Parent' : type,
      }),
      makeField('Field', 'picklist'),
      makeField('DataType', 'picklist'),
      makeField('OldValue', 'anyType', { filterable: false }),
      makeField('NewValue', 'anyType', { filterable: false }),
    ].map((f) => ({ ...f, createable: false, updateable: false })),
    { createable: false, updateable: false, deletable: false },
  );
}

/** Child relationship name for children of type `child` (Contact -> Contacts, Foo__c -> Foos__r). */
export function childRelationshipName(child: string, field: string): string {
  if (child.endsWith('__History') || child.endsWith('History')) return 'Histories';
  if (field.endsWith('__c')) return field.slice(0, -3) + 's__r';
  return PLURAL[child] ?? `${child}s`;
}

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Guess a field's type from a seed value and its name. */
export function inferType(name: string, value: unknown): FieldType {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'string') {
    if (ISO_DATETIME.test(value)) return 'datetime';
    if (ISO_DATE.test(value)) return 'date';
    if (/Id$|__c$/.test(name) && /^[0-9A-Za-z]{15}([0-9A-Za-z]{3})?$/.test(value) && name !== 'Id') return 'reference';
    if (/email/i.test(name)) return 'email';
  }
  if (value && typeof value === 'object' && '@ref' in (value as object)) return 'reference';
  return 'string';
}

/** Canonical wire form of a datetime: 2024-05-01T12:34:56.000+0000. */
export function formatDateTime(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}

/** Parse a wire/ISO datetime to epoch ms (NaN when unparseable). */
export function parseDateTime(s: string): number {
  const m = /^(.*[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([+-]\d{2})(\d{2})$/.exec(s);
  return Date.parse(m ? `${m[1]}${m[2]}:${m[3]}` : s);
}

const ISO = { ISO_DATETIME, ISO_DATE };
export { ISO };
