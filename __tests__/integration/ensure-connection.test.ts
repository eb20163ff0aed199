// The core with the action's real AWS SDK client over HTTP, against the project's local endpoint:
// create and reuse, and the message each class of error becomes. Limits in milliseconds
// (FAST_LIMITS), the SDK's retry jitter pinned low: no test here waits seconds.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';

import { type LocalAppRunner, startLocalAppRunner } from '../../local/apprunner-endpoint.js';
import { type ObservedClient, createAppRunnerClient } from '../../src/aws-client.js';
import { ensureConnection } from '../../src/connection.js';
import { describeFailure } from '../../src/failure.js';
import { FAST_LIMITS } from '../support/in-process.js';

const REGION = 'us-east-1';
/** The SDK's backoff is random x min(base x 2^retry, 20 s); pinned low, a retry waits milliseconds. */
const PINNED_JITTER = 0.01;

let appRunner: LocalAppRunner;
/** The endpoint the next client is pointed at (through its environment, as the action finds it). */
let endpoint: string;
const clients: ObservedClient[] = [];

// Faithful to the API reference: the name filter is exact and all results come in one page.
beforeAll(async () => {
  appRunner = await startLocalAppRunner();
});
afterAll(() => appRunner.close());

/** An endpoint in the fault modes the action must survive: a prefix name filter, pages of 2. */
async function looseEndpoint(): Promise<LocalAppRunner> {
  const loose = await startLocalAppRunner({ pageSize: 2, prefixNameFilter: true });
  onTestFinished(() => loose.close());
  endpoint = loose.url;
  return loose;
}
beforeEach(() => {
  appRunner.reset();
  endpoint = appRunner.url;
  vi.spyOn(Math, 'random').mockReturnValue(PINNED_JITTER);
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const { client } of clients.splice(0)) client.destroy();
});

const request = { name: 'api-conn', region: REGION, providerType: 'GITHUB' as const, tags: [], dryRun: false };

/** The action's client, with FAST_LIMITS, pointed at the current endpoint unless `env` says otherwise. */
function actionClient(env: Record<string, string> = {}): ObservedClient {
  const observed = createAppRunnerClient({
    region: REGION,
    env: { AWS_ENDPOINT_URL_APPRUNNER: endpoint, ...env },
    limits: FAST_LIMITS,
    routing: undefined,
  });
  clients.push(observed);
  return observed;
}

/** Runs ensureConnection with a fresh client and returns the message a user would read on failure. */
async function failureMessage(env: Record<string, string> = {}): Promise<string> {
  const { client, lastAttemptError } = actionClient(env);
  try {
    await ensureConnection(client, request, { sleep: async () => {} });
  } catch (error) {
    return describeFailure(error, { region: REGION, lastAttempt: lastAttemptError() });
  }
  throw new Error('expected ensureConnection to fail');
}

describe('create and reuse over the wire', () => {
  it('creates an absent connection, then reuses it', async () => {
    const { client } = actionClient();
    const tags = [{ key: 'team', value: 'platform' }];

    const created = await ensureConnection(client, { ...request, tags });
    const reused = await ensureConnection(client, { ...request, tags });

    expect(created).toMatchObject({ created: true, connection: { name: 'api-conn', status: 'PENDING_HANDSHAKE' } });
    expect(reused).toMatchObject({ created: false, tagChanges: [], connection: created.connection });
    expect(appRunner.connections()).toMatchObject([{ name: 'api-conn', tags: { team: 'platform' } }]);
  });

  it('sends tags of any characters App Runner accepts, and finds them in place on the next run', async () => {
    const { client } = actionClient();
    const tags = [
      { key: 'owner', value: 'Jane Doe (Platform)' },
      { key: 'list', value: 'a,b,c' },
      { key: 'url', value: 'https://example.com/x?y=1&z=2' },
      { key: 'ticket', value: '#1234' },
      { key: 'AWS:case', value: 'App Runner’s pattern is case-sensitive' },
      { key: '🚀'.repeat(128), value: 'line one\nline two <b>|</b>' },
    ];

    await ensureConnection(client, { ...request, tags });
    const again = await ensureConnection(client, { ...request, tags });

    expect(appRunner.connections()[0]?.tags).toEqual(Object.fromEntries(tags.map(({ key, value }) => [key, value])));
    expect(again.tagChanges).toEqual([]);
  });

  it('reuses with one call in total when the connection exists', async () => {
    const arn = appRunner.seedConnection({ name: 'api-conn', status: 'AVAILABLE' });
    const { client } = actionClient();

    expect(await ensureConnection(client, request)).toMatchObject({ created: false, connection: { arn } });
    expect(appRunner.count()).toBe(1);
  });

  it('pages through ListConnections to find the exact name on a later page (a prefix filter, pages of 2)', async () => {
    const loose = await looseEndpoint();
    loose.seedConnection({ name: 'api-conn-a' });
    loose.seedConnection({ name: 'api-conn-b' });
    loose.seedConnection({ name: 'api-conn-c' });
    const arn = loose.seedConnection({ name: 'api-conn', status: 'AVAILABLE' });
    const { client } = actionClient();

    const result = await ensureConnection(client, request);

    expect(result).toMatchObject({ created: false, connection: { arn, status: 'AVAILABLE' } });
    expect(loose.count('ListConnections')).toBe(2);
  });

  it('creates its own connection when a prefix filter answers only a longer name', async () => {
    const loose = await looseEndpoint();
    const other = loose.seedConnection({ name: 'api-conn-old', status: 'AVAILABLE' });
    const { client } = actionClient();

    const result = await ensureConnection(client, request);

    expect(result.created).toBe(true);
    expect(result.connection?.arn).not.toBe(other);
    expect(loose.connections().map((c) => c.name)).toEqual(['api-conn-old', 'api-conn']);
  });

  it('treats a DELETED connection as absent and reports an ERROR one as it is', async () => {
    appRunner.seedConnection({ name: 'api-conn', status: 'DELETED' });
    const { client } = actionClient();

    const created = await ensureConnection(client, request);
    appRunner.setStatus('api-conn', 'ERROR');
    const broken = await ensureConnection(client, request);

    expect(created.created).toBe(true);
    expect(broken).toMatchObject({ created: false, connection: { status: 'ERROR', arn: created.connection?.arn } });
  });
});

describe('each error class becomes a message that says what to do', () => {
  it('access denied names the IAM action', async () => {
    appRunner.denyOperation('ListConnections');

    expect(await failureMessage()).toMatch(/^Access denied: .*apprunner:ListConnections/);
  });

  it('an account App Runner refuses as a new customer is told so, with no IAM advice', async () => {
    appRunner.injectFault({
      operation: 'ListConnections',
      type: 'AccessDeniedException',
      status: 403,
      message: 'This service is no longer available to new customers.',
    });

    const message = await failureMessage();
    expect(message).toMatch(/closed to new customers/);
    expect(message).not.toMatch(/Add the IAM action/);
  });

  it('a reached quota says to delete connections or raise the quota', async () => {
    appRunner.injectFault({ operation: 'CreateConnection', type: 'ServiceQuotaExceededException' });

    expect(await failureMessage()).toMatch(/quota in us-east-1 is reached.*delete-connection.*Service Quotas/);
  });

  it('missing credentials point at aws-actions/configure-aws-credentials', async () => {
    const saved = { id: process.env['AWS_ACCESS_KEY_ID'], secret: process.env['AWS_SECRET_ACCESS_KEY'] };
    // The SDK's credential chain reads process.env itself.
    delete process.env['AWS_ACCESS_KEY_ID'];
    delete process.env['AWS_SECRET_ACCESS_KEY'];
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = '/nonexistent/credentials';
    process.env['AWS_CONFIG_FILE'] = '/nonexistent/config';
    try {
      expect(await failureMessage()).toMatch(/No AWS credentials were found.*aws-actions\/configure-aws-credentials/);
      expect(appRunner.count()).toBe(0);
    } finally {
      if (saved.id !== undefined) process.env['AWS_ACCESS_KEY_ID'] = saved.id;
      if (saved.secret !== undefined) process.env['AWS_SECRET_ACCESS_KEY'] = saved.secret;
      delete process.env['AWS_SHARED_CREDENTIALS_FILE'];
      delete process.env['AWS_CONFIG_FILE'];
    }
  });

  it('throttling that outlasts the retries says so and names AWS_MAX_ATTEMPTS', async () => {
    appRunner.injectFault({ operation: 'ListConnections', type: 'ThrottlingException', times: Infinity });

    expect(await failureMessage({ AWS_MAX_ATTEMPTS: '2' })).toMatch(
      /kept throttling ListConnections after 2 attempts.*AWS_MAX_ATTEMPTS/,
    );
    expect(appRunner.count('ListConnections')).toBe(2);
  });

  it('a persistent server error says it is on the AWS side', async () => {
    appRunner.injectFault({ operation: 'CreateConnection', status: 503, times: Infinity });

    expect(await failureMessage({ AWS_MAX_ATTEMPTS: '2' })).toMatch(
      /server error \(503 ServiceUnavailableException\) after 2 attempts/,
    );
  });

  it('a refused connection says App Runner did not answer and to check the region and network', async () => {
    const closedPort = 'http://127.0.0.1:9';

    expect(await failureMessage({ AWS_MAX_ATTEMPTS: '1', AWS_ENDPOINT_URL_APPRUNNER: closedPort })).toMatch(
      /did not answer ListConnections \(ECONNREFUSED\).*region us-east-1/,
    );
  });
});
