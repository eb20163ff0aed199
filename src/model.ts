// The ground floor: the plain types and rules every other module shares. Imports nothing.

export const PROVIDER_TYPES = ['GITHUB', 'BITBUCKET'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

// The SDK's ConnectionStatus values (a test keeps them equal).
export const CONNECTION_STATUSES = ['PENDING_HANDSHAKE', 'AVAILABLE', 'ERROR', 'DELETED'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

export interface Connection {
  readonly name: string;
  readonly arn: string;
  readonly providerType: ProviderType;
  readonly status: ConnectionStatus;
}

export type AccountConnection = Connection & { readonly createdAt: Date | undefined };

export interface Tag {
  readonly key: string;
  readonly value: string;
}

// The proxy App Runner calls go through, as it may be shown: no credentials.
export interface ProxyRoute {
  readonly proxy: string;
  readonly variable: string;
  readonly target: string;
  readonly withCredentials: boolean;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export const CONNECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{3,31}$/;
// Region codes of every partition: us-east-1, us-gov-west-1, cn-north-1, eusc-de-east-1.
export const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;
// Where App Runner runs (AWS General Reference); none added since November 2023.
export const APP_RUNNER_REGIONS: readonly string[] = Object.freeze([
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
]);

export function configuredEndpoint(env: Environment): string | undefined {
  if (env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'] === 'true') return undefined;
  return env['AWS_ENDPOINT_URL_APPRUNNER'] || env['AWS_ENDPOINT_URL'] || undefined;
}

export function handshakeUrl(region: string): string {
  return `https://${region}.console.aws.amazon.com/apprunner/home?region=${region}#/connections`;
}

export function serviceQuotasUrl(region: string): string {
  return `https://${region}.console.aws.amazon.com/servicequotas/home/services/apprunner/quotas`;
}

export function deleteCommand(arn: string, region: string): string {
  return `aws apprunner delete-connection --connection-arn ${arn} --region ${region}`;
}

export const AVAILABILITY_CHANGE_URL =
  'https://docs.aws.amazon.com/apprunner/latest/dg/apprunner-availability-change.html';

const limits = {
  /** The lookup-or-create gives up after this long, counted again from each throttled response. */
  lookupMs: 45_000,
  /** A throttled call keeps its place in App Runner's queue this long, and says so this often. */
  throttleBudgetMs: 240_000,
  queueNoticeMs: 15_000,
  /** A wait's last status check may take this long; a wait ends this long before the credentials expire. */
  lastCheckMs: 10_000,
  credentialMarginMs: 60_000,
  /** Each pull-request comment (find, then create or update) gives up after this long. */
  commentMs: 30_000,
  /** Every phase but the wait and the queue fits in this, so a run ends within 60 s plus both. */
  runBudgetMs: 55_000,
  /** Per attempt: time to open a connection (or a proxy tunnel), then to get a response. */
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 5_000,
  /** Attempts per call for faults (throttled ones do not count), and the SDK's own backoff: 50 ms, 1 s throttled, at most 20 s. */
  maxAttempts: 10,
  retryBaseMs: 50,
  throttleRetryBaseMs: 1_000,
  maxRetryDelayMs: 20_000,
  /** Pauses between the lookups that follow a refused create: a listing may lag behind another run's create. */
  raceLookupPausesMs: Object.freeze([500, 1000, 2000, 3000]) as readonly number[],
  /** Pages followed before giving up: App Runner answers a name in one; GitHub lists 100 comments a page. */
  maxListPages: 20,
  maxCommentPages: 10,
  /** App Runner's largest response here is a few tens of KB; 100 of GitHub's longest comments stay under 32 MiB. */
  maxResponseBytes: 1024 * 1024,
  maxGitHubResponseBytes: 32 * 1024 * 1024,
};

export type Limits = Readonly<typeof limits>;
export const PRODUCTION_LIMITS: Limits = Object.freeze(limits);
