// Types of local/apprunner-endpoint.js: the project's local App Runner control-plane endpoint.

export type ProviderType = 'GITHUB' | 'BITBUCKET';
export type ConnectionStatus = 'PENDING_HANDSHAKE' | 'AVAILABLE' | 'ERROR' | 'DELETED';

export interface LocalAppRunnerOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Region written into ARNs. Default 'us-east-1'. */
  region?: string;
  /**
   * Most ListConnections results per page, whatever MaxResults asks. By default a page holds
   * MaxResults results, or all of them without MaxResults, as the API reference says.
   */
  pageSize?: number;
  /**
   * A fault mode: the ConnectionName filter matches every name that starts with it, not only
   * the exact name the API reference promises. The action must not trust the filter.
   */
  prefixNameFilter?: boolean;
  /**
   * CreateConnection checks the name, waits this long, re-checks and commits: two creates of one
   * name inside the window both pass the first check, and the later one gets the duplicate-name error.
   */
  createDelayMs?: number;
  /** A created connection is invisible to ListConnections for this long (eventual consistency). */
  listLagMs?: number;
  /** Token bucket over all operations; past it: 400 ThrottlingException "Rate exceeded". burst defaults to perSecond. */
  rateLimit?: { perSecond: number; burst?: number };
  /**
   * At most this many live (not DELETED) connections: CreateConnection answers 402
   * ServiceQuotaExceededException once they exist. No limit by default.
   */
  connectionQuota?: number;
  /**
   * A PENDING_HANDSHAKE connection is AVAILABLE from this long after its creation (or its seeding), as if
   * a person completed the handshake. By default only setStatus and flipToAvailableAfter complete it.
   */
  handshakeAfterMs?: number;
}

export interface SeedConnection {
  name: string;
  /** Default 'GITHUB'. */
  providerType?: ProviderType;
  /** Default 'PENDING_HANDSHAKE'. */
  status?: ConnectionStatus;
  tags?: Record<string, string>;
}

export interface ConnectionRecord {
  name: string;
  arn: string;
  providerType: ProviderType;
  status: ConnectionStatus;
  tags: Record<string, string>;
  createdAt: Date;
}

export interface RecordedCall {
  /** The operation from X-Amz-Target (without 'AppRunner.'), or the raw target when it is not App Runner's. */
  operation: string;
  /** The parsed JSON request body; undefined when it could not be parsed or was never read. */
  body: Record<string, unknown> | undefined;
  /** From the SigV4 Authorization header's Credential=; undefined without one. */
  accessKeyId: string | undefined;
  /** The x-amz-user-agent header (user-agent when absent). */
  userAgent: string;
  /** The SDK's attempt number, from its amz-sdk-request header (1 without one). */
  attempt: number;
  /** HTTP status answered; null while in flight or for a request that hangs. */
  status: number | null;
  /** The __type of an error answer. */
  errorType?: string;
}

export interface FaultSpec {
  /** Only this operation; every operation when omitted. */
  operation?: string;
  /** How many matching requests it hits. Default 1; Infinity = forever. */
  times?: number;
  /** Default: from type, as ERROR_STATUS gives it (500 InternalServiceErrorException, 402 ServiceQuotaExceededException, ...). */
  status?: number;
  /** Default InternalServiceErrorException (ServiceUnavailableException when status is 503). */
  type?: string;
  message?: string;
  /** Accept the request and never answer it. */
  hang?: boolean;
  /** Answer AccessDeniedException naming the IAM action, as denyOperation does. */
  denyAction?: boolean;
}

export interface LocalAppRunner {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly region: string;
  /** Every request in arrival order: throttled, failed, hanging and unauthenticated ones too. */
  readonly calls: RecordedCall[];
  /** Adds a connection (visible at once, no lag); returns its ARN. */
  seedConnection(connection: SeedConnection): string;
  /** Sets the status of the newest connection of that name. */
  setStatus(name: string, status: ConnectionStatus): void;
  /**
   * The newest connection of that name stays as it is for the next `listCalls` answered
   * ListConnections calls and is AVAILABLE from the one after (0 = at once).
   */
  flipToAvailableAfter(name: string, listCalls: number): void;
  /** A snapshot of every connection, DELETED ones included, oldest first. */
  connections(): ConnectionRecord[];
  /** Number of recorded calls, of one operation or of all. */
  count(operation?: string): number;
  /** Returns a function that lifts the fault before its `times` run out. */
  injectFault(fault?: FaultSpec): () => void;
  /** From now on: 400 AccessDeniedException "User: arn:aws:sts::123456789012:assumed-role/ci/run is not authorized to perform: apprunner:<Operation> on resource: ...". */
  denyOperation(operation: string): void;
  /** Clears connections, calls, faults, denials and the rate limit's bucket; drops hanging requests. */
  reset(): void;
  /** Stops listening and destroys every socket, hanging ones included. */
  close(): Promise<void>;
}

/** The HTTP status of each error type the endpoint answers with. */
export const ERROR_STATUS: Readonly<Record<string, number>>;

export function startLocalAppRunner(options?: LocalAppRunnerOptions): Promise<LocalAppRunner>;
