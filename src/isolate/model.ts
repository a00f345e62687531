/**
 * The values isolate reads, decides on and records. Everything here is plain data: it is what the evidence log
 * stores (`isolate.planned` carries the whole pre-state), so an undo can be rebuilt from the log alone.
 * Nothing here is a token: OAuth tokens are identified by a short hash of their DeleteToken (`ref`).
 */

/** What the person (or config) asked to isolate, after expanding integrations. */
export interface Targets {
  /** Configured integrations named with --integration (or touched by the ad hoc targets). */
  integrations: string[];
  users: string[];
  apps: string[];
  remoteSites: string[];
  namedCredentials: string[];
  flows: string[];
  objects: string[];
}

export interface SessionState {
  id: string;
  sessionType: string | null;
  sourceIp: string | null;
  createdDate: string | null;
}

export interface UserState {
  id: string;
  username: string;
  isActive: boolean;
  /** The UserLogin row that carries IsFrozen; null when the org returned none. */
  userLoginId: string | null;
  frozen: boolean | null;
  sessions: SessionState[];
}

export interface TokenState {
  appName: string;
  userId: string;
  username: string | null;
  useCount: number | null;
  lastUsedDate: string | null;
  /** First 16 hex chars of sha256(DeleteToken): names the token in evidence without storing it. */
  ref: string;
}

export interface RemoteSiteState {
  id: string | null;
  name: string;
  url: string;
  isActive: boolean;
  disableProtocolSecurity: boolean;
  description: string | null;
}

export interface NamedCredentialState {
  id: string | null;
  name: string;
  endpoint: string | null;
  /** Whether callouts through it are enabled (the state isolate changes). */
  enabled: boolean;
  /** The component as the Metadata API returned it (restored as-is by undo). */
  metadata: Record<string, unknown>;
}

export type BulkApi = 'v2-ingest' | 'v2-query' | 'v1';

export interface BulkJobState {
  id: string;
  api: BulkApi;
  object: string | null;
  operation: string | null;
  state: string;
  createdById: string;
  createdDate: string | null;
}

export interface FlowState {
  /** FlowDefinition id (tooling). */
  id: string;
  apiName: string;
  label: string | null;
  object: string | null;
  triggerType: string | null;
  activeVersionId: string | null;
  /** The version number to re-activate on undo. */
  activeVersionNumber: number | null;
}

export interface ApexTriggerState {
  id: string;
  name: string;
  object: string;
  status: string;
}

/** Everything isolate read from the org about the targets, before changing anything. */
export interface PreState {
  readAt: string;
  org: { id: string | null; instanceUrl: string | null };
  runningUser: { id: string; username: string };
  users: UserState[];
  tokens: TokenState[];
  remoteSites: RemoteSiteState[];
  namedCredentials: NamedCredentialState[];
  bulkJobs: BulkJobState[];
  flows: FlowState[];
  apexTriggers: ApexTriggerState[];
  /** Requested targets the org does not have. */
  notFound: { kind: 'user' | 'app' | 'remoteSite' | 'namedCredential' | 'flow'; name: string }[];
  /** Surfaces the org refused to let lockout read (permissions, missing objects): they become manual steps. */
  unreadable?: {
    surface: 'tokens' | 'remoteSites' | 'namedCredentials' | 'bulkJobs' | 'flows' | 'apexTriggers';
    reason: string;
  }[];
}

/** Bulk job states in which a job can still load data (and can be aborted). */
export const OPEN_JOB_STATES: readonly string[] = ['Open', 'UploadComplete', 'InProgress', 'Queued'];
