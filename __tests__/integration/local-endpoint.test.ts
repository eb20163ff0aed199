// The local App Runner endpoint, driven by the real AWS SDK client over HTTP on 127.0.0.1.
// If these pass, the endpoint speaks awsJson1_0 the way App Runner does, as far as the SDK can tell,
// for what the action calls (ListConnections, CreateConnection, ListTagsForResource, TagResource)
// and what the other tests use of it: seeding, faults, hangs, denials, the rate limit, the race
// window, the listing lag and the status helpers.

import {
  AppRunnerClient,
  AppRunnerServiceException,
  CreateConnectionCommand,
  InternalServiceErrorException,
  InvalidRequestException,
  InvalidStateException,
  ListConnectionsCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  paginateListConnections,
  type AppRunnerClientConfig,
  type ConnectionSummary,
} from '@aws-sdk/client-apprunner';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import * as appRunnerSdk from '@aws-sdk/client-apprunner';

import {
  ERROR_STATUS,
  startLocalAppRunner,
  type LocalAppRunner,
  type LocalAppRunnerOptions,
} from '../../local/apprunner-endpoint.js';

/**
 * The errors App Runner models, with the HTTP status of each, read from the installed SDK's
 * own error schemas (`[-3, namespace, name, { httpError }, ...]`), not from memory.
 */
function modelledErrorStatuses(): [string, number][] {
  return Object.entries(appRunnerSdk)
    .filter(([name, schema]) => name.endsWith('Exception$') && Array.isArray(schema) && schema[0] === -3)
    .map(([, schema]) => schema as unknown as [number, string, string, { httpError?: number }])
    .filter(([, , , traits]) => typeof traits?.httpError === 'number')
    .map(([, , name, traits]) => [name, traits.httpError as number]);
}

const ARN_PATTERN = /^arn:aws:apprunner:us-east-1:123456789012:connection\/([A-Za-z0-9_-]+)\/[0-9a-f]{32}$/;

/** A plain SDK client of the endpoint, with credentials of its own (nothing here may reach AWS). */
function clientFor(server: LocalAppRunner, extra: Partial<AppRunnerClientConfig> = {}): AppRunnerClient {
  return new AppRunnerClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    ...extra,
  });
}

/** The error a promise rejects with; fails the test if it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<AppRunnerServiceException> {
  try {
    await promise;
  } catch (error) {
    return error as AppRunnerServiceException;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

async function listAll(client: AppRunnerClient, ConnectionName?: string): Promise<ConnectionSummary[]> {
  const all: ConnectionSummary[] = [];
  const pages = paginateListConnections(
    { client, stopOnSameToken: true },
    ConnectionName === undefined ? {} : { ConnectionName },
  );
  for await (const page of pages) all.push(...(page.ConnectionSummaryList ?? []));
  return all;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Servers started with special options inside one test; closed after it. */
const extraServers: LocalAppRunner[] = [];
async function startExtra(options: LocalAppRunnerOptions): Promise<LocalAppRunner> {
  const server = await startLocalAppRunner(options);
  extraServers.push(server);
  return server;
}
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(extraServers.splice(0).map((s) => s.close()));
});

describe('local App Runner endpoint, through the real AWS SDK client', () => {
  let server: LocalAppRunner;
  let client: AppRunnerClient;

  beforeAll(async () => {
    server = await startLocalAppRunner();
    client = clientFor(server, { maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
  });
  beforeEach(() => server.reset());

  describe('CreateConnection and ListConnections answer as the App Runner API reference says', () => {
    it('creates a connection that ListConnections then returns with its ARN, provider, pending status and creation time', async () => {
      const before = Date.now();
      const created = await client.send(
        new CreateConnectionCommand({ ConnectionName: 'my-conn', ProviderType: 'GITHUB' }),
      );
      expect(created.Connection?.ConnectionArn).toMatch(ARN_PATTERN);
      expect(created.Connection?.ConnectionArn).toContain(':connection/my-conn/');
      expect(created.Connection?.Status).toBe('PENDING_HANDSHAKE');
      expect(created.$metadata.httpStatusCode).toBe(200);
      expect(created.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
      // CreatedAt travels as epoch seconds and the SDK turns it into a Date.
      expect(created.Connection?.CreatedAt).toBeInstanceOf(Date);
      expect(created.Connection?.CreatedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(created.Connection?.CreatedAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);

      const listed = await client.send(new ListConnectionsCommand({ ConnectionName: 'my-conn' }));
      expect(listed.ConnectionSummaryList).toEqual([
        {
          ConnectionName: 'my-conn',
          ConnectionArn: created.Connection?.ConnectionArn,
          ProviderType: 'GITHUB',
          Status: 'PENDING_HANDSHAKE',
          CreatedAt: created.Connection?.CreatedAt,
        },
      ]);
      expect(listed.NextToken).toBeUndefined();
    });

    it('records every call with its operation, parsed body, access key id from the signature, attempt and status', async () => {
      const other = clientFor(server, {
        maxAttempts: 1,
        credentials: { accessKeyId: 'AKIDSECOND', secretAccessKey: 'other-secret' },
      });
      await client.send(new CreateConnectionCommand({ ConnectionName: 'logged', ProviderType: 'BITBUCKET' }));
      await other.send(new ListConnectionsCommand({ ConnectionName: 'logged' }));
      other.destroy();

      expect(server.calls).toEqual([
        {
          operation: 'CreateConnection',
          body: { ConnectionName: 'logged', ProviderType: 'BITBUCKET' },
          accessKeyId: 'AKIDLOCAL',
          attempt: 1,
          userAgent: expect.stringMatching(/^aws-sdk-js\//),
          status: 200,
        },
        {
          operation: 'ListConnections',
          body: { ConnectionName: 'logged' },
          accessKeyId: 'AKIDSECOND',
          attempt: 1,
          userAgent: expect.stringMatching(/^aws-sdk-js\//),
          status: 200,
        },
      ]);
      expect(server.count()).toBe(2);
      expect(server.count('ListConnections')).toBe(1);
      expect(server.count('TagResource')).toBe(0);
    });

    it('answers ListConnections with ConnectionName with only that connection, as the API reference says', async () => {
      server.seedConnection({ name: 'app-conn' });
      server.seedConnection({ name: 'app-conn-2' });
      server.seedConnection({ name: 'other-conn' });

      const listed = await listAll(client, 'app-conn');
      expect(listed.map((c) => c.ConnectionName)).toEqual(['app-conn']);
      expect((await listAll(client)).length).toBe(3);
    });

    it('answers ListConnections without a name filter or MaxResults with every connection in one page', async () => {
      for (let i = 0; i < 120; i += 1) server.seedConnection({ name: `many-${i}` });

      const page = await client.send(new ListConnectionsCommand({}));

      expect(page.ConnectionSummaryList).toHaveLength(120);
      expect(page.NextToken).toBeUndefined();
    });

    it('rejects a second connection of the same name with InvalidRequestException and keeps only the first', async () => {
      const first = await client.send(new CreateConnectionCommand({ ConnectionName: 'taken', ProviderType: 'GITHUB' }));

      const error = await rejectionOf(
        client.send(new CreateConnectionCommand({ ConnectionName: 'taken', ProviderType: 'GITHUB' })),
      );
      expect(error).toBeInstanceOf(InvalidRequestException);
      expect(error.name).toBe('InvalidRequestException');
      expect(error.message).toBe('Connection with name taken already exists');
      expect(error.$fault).toBe('client');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(server.connections().map((c) => c.arn)).toEqual([first.Connection?.ConnectionArn]);
    });

    it('rejects an invalid name or provider type with InvalidRequestException and stores nothing', async () => {
      const shortName = await rejectionOf(
        client.send(new CreateConnectionCommand({ ConnectionName: 'abc', ProviderType: 'GITHUB' })),
      );
      expect(shortName).toBeInstanceOf(InvalidRequestException);
      expect(shortName.message).toContain('connectionName');

      const badProvider = await rejectionOf(
        client.send(new CreateConnectionCommand({ ConnectionName: 'good-name', ProviderType: 'GITLAB' as 'GITHUB' })),
      );
      expect(badProvider).toBeInstanceOf(InvalidRequestException);
      expect(badProvider.message).toContain('providerType');
      expect(server.connections()).toEqual([]);
    });

    it('keeps listing a DELETED connection with its status, and lets the name be created again', async () => {
      const arn = server.seedConnection({ name: 'short-lived', status: 'DELETED' });
      expect((await listAll(client, 'short-lived')).map((c) => [c.ConnectionArn, c.Status])).toEqual([
        [arn, 'DELETED'],
      ]);

      const again = await client.send(
        new CreateConnectionCommand({ ConnectionName: 'short-lived', ProviderType: 'GITHUB' }),
      );

      expect(again.Connection?.ConnectionArn).not.toBe(arn);
      expect((await listAll(client, 'short-lived')).map((c) => c.Status)).toEqual(['DELETED', 'PENDING_HANDSHAKE']);
    });
  });

  describe('TagResource and ListTagsForResource keep tags as App Runner does', () => {
    it('round-trips tags through CreateConnection, TagResource (which adds and overwrites, never removes) and ListTagsForResource', async () => {
      const created = await client.send(
        new CreateConnectionCommand({
          ConnectionName: 'tagged',
          ProviderType: 'GITHUB',
          Tags: [
            { Key: 'team', Value: 'platform' },
            { Key: 'env', Value: 'dev' },
          ],
        }),
      );
      const ResourceArn = created.Connection!.ConnectionArn!;

      await client.send(
        new TagResourceCommand({
          ResourceArn,
          Tags: [
            { Key: 'env', Value: 'prod' },
            { Key: 'owner', Value: 'ci' },
          ],
        }),
      );

      const listed = await client.send(new ListTagsForResourceCommand({ ResourceArn }));
      expect(listed.Tags).toEqual([
        { Key: 'team', Value: 'platform' },
        { Key: 'env', Value: 'prod' },
        { Key: 'owner', Value: 'ci' },
      ]);
      expect(server.connections()[0]?.tags).toEqual({ team: 'platform', env: 'prod', owner: 'ci' });
    });

    it('answers ResourceNotFoundException for tag operations on an ARN it does not know', async () => {
      const ResourceArn = 'arn:aws:apprunner:us-east-1:123456789012:connection/ghost/0123456789abcdef0123456789abcdef';
      const calls = [
        () => client.send(new ListTagsForResourceCommand({ ResourceArn })),
        () => client.send(new TagResourceCommand({ ResourceArn, Tags: [{ Key: 'a', Value: 'b' }] })),
      ];
      for (const call of calls) {
        const error = await rejectionOf(call());
        expect(error).toBeInstanceOf(ResourceNotFoundException);
        expect(error.$metadata.httpStatusCode).toBe(400);
      }
    });

    it('refuses to tag a DELETED connection with InvalidStateException', async () => {
      const ResourceArn = server.seedConnection({ name: 'gone-conn', status: 'DELETED' });
      const error = await rejectionOf(
        client.send(new TagResourceCommand({ ResourceArn, Tags: [{ Key: 'a', Value: 'b' }] })),
      );
      expect(error).toBeInstanceOf(InvalidStateException);
    });

    it('seeds tags that ListTagsForResource returns', async () => {
      const ResourceArn = server.seedConnection({ name: 'seeded', tags: { team: 'platform' } });
      const listed = await client.send(new ListTagsForResourceCommand({ ResourceArn }));
      expect(listed.Tags).toEqual([{ Key: 'team', Value: 'platform' }]);
    });
  });

  describe('injected faults, hangs and denials reach the SDK as App Runner errors would', () => {
    it('surfaces an injected 500 as InternalServiceErrorException, a server fault, once', async () => {
      server.injectFault({ operation: 'ListConnections' });

      const error = await rejectionOf(client.send(new ListConnectionsCommand({})));
      expect(error).toBeInstanceOf(InternalServiceErrorException);
      expect(error.$fault).toBe('server');
      expect(error.$metadata.httpStatusCode).toBe(500);
      // times defaults to 1: the next call succeeds.
      await expect(client.send(new ListConnectionsCommand({}))).resolves.toBeDefined();
      expect(server.calls.map((c) => c.status)).toEqual([500, 200]);
    });

    it('lets the SDK retry injected 500s and succeed on the third attempt', async () => {
      const retrying = clientFor(server, { maxAttempts: 3 });
      server.injectFault({ operation: 'ListConnections', times: 2 });

      const result = await retrying.send(new ListConnectionsCommand({}));
      retrying.destroy();
      expect(result.$metadata.attempts).toBe(3);
      expect(server.calls.map((c) => [c.attempt, c.status])).toEqual([
        [1, 500],
        [2, 500],
        [3, 200],
      ]);
    });

    it('surfaces an injected 503 as ServiceUnavailableException', async () => {
      server.injectFault({ status: 503 });
      const error = await rejectionOf(client.send(new ListConnectionsCommand({})));
      expect(error.name).toBe('ServiceUnavailableException');
      expect(error.$metadata.httpStatusCode).toBe(503);
      expect(error.$fault).toBe('server');
    });

    it('surfaces injected throttling as ThrottlingException, which the SDK retries as throttling', async () => {
      server.injectFault({ operation: 'CreateConnection', type: 'ThrottlingException' });
      const error = await rejectionOf(
        client.send(new CreateConnectionCommand({ ConnectionName: 'throttled', ProviderType: 'GITHUB' })),
      );
      expect(error.name).toBe('ThrottlingException');
      expect(error.message).toBe('Rate exceeded');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(server.connections()).toEqual([]);

      // The SDK's throttling backoff is random x up to a second; pinned low, the retry waits milliseconds.
      vi.spyOn(Math, 'random').mockReturnValue(0.01);
      const retrying = clientFor(server, { maxAttempts: 2 });
      server.injectFault({ operation: 'CreateConnection', type: 'ThrottlingException' });
      const created = await retrying.send(
        new CreateConnectionCommand({ ConnectionName: 'throttled', ProviderType: 'GITHUB' }),
      );
      retrying.destroy();
      expect(created.$metadata.attempts).toBe(2);
      expect(server.connections().map((c) => c.name)).toEqual(['throttled']);
    });

    it('only faults the operation it names', async () => {
      server.injectFault({ operation: 'CreateConnection', times: Infinity });
      await expect(client.send(new ListConnectionsCommand({}))).resolves.toBeDefined();
      for (let i = 0; i < 3; i += 1) {
        const error = await rejectionOf(
          client.send(new CreateConnectionCommand({ ConnectionName: 'never-made', ProviderType: 'GITHUB' })),
        );
        expect(error).toBeInstanceOf(InternalServiceErrorException);
      }
      expect(server.connections()).toEqual([]);
    });

    it('holds a hanging request open until the SDK request timeout fails it', async () => {
      const impatient = clientFor(server, {
        maxAttempts: 1,
        requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true },
      });
      server.injectFault({ operation: 'ListConnections', hang: true });

      const started = Date.now();
      const error = await rejectionOf(impatient.send(new ListConnectionsCommand({})));
      const elapsed = Date.now() - started;
      impatient.destroy();
      expect(error.name).toBe('TimeoutError');
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(3000);
      expect(server.calls).toEqual([expect.objectContaining({ operation: 'ListConnections', status: null })]);
    });

    it('closes promptly even while a request hangs', async () => {
      const hangingServer = await startLocalAppRunner();
      hangingServer.injectFault({ hang: true });
      const impatient = clientFor(hangingServer, { maxAttempts: 1 });
      const pending = impatient.send(new ListConnectionsCommand({})).catch((e: Error) => e);
      await sleep(100);
      expect(hangingServer.calls).toHaveLength(1);

      const started = Date.now();
      await hangingServer.close();
      expect(Date.now() - started).toBeLessThan(1000);
      // The client sees its socket die instead of waiting forever.
      expect(await pending).toBeInstanceOf(Error);
      impatient.destroy();
    });

    it('denies an operation with AccessDeniedException naming the IAM action, while others still work', async () => {
      server.denyOperation('CreateConnection');
      const error = await rejectionOf(
        client.send(new CreateConnectionCommand({ ConnectionName: 'denied', ProviderType: 'GITHUB' })),
      );
      expect(error.name).toBe('AccessDeniedException');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toContain(
        'User: arn:aws:sts::123456789012:assumed-role/ci/run is not authorized to perform: apprunner:CreateConnection on resource: arn:aws:apprunner:us-east-1:123456789012:connection/denied',
      );
      await expect(client.send(new ListConnectionsCommand({}))).resolves.toBeDefined();
    });

    it('denies once through injectFault with denyAction, naming the ARN for tag calls', async () => {
      const ResourceArn = server.seedConnection({ name: 'guarded' });
      server.injectFault({ operation: 'TagResource', denyAction: true });
      const error = await rejectionOf(
        client.send(new TagResourceCommand({ ResourceArn, Tags: [{ Key: 'a', Value: 'b' }] })),
      );
      expect(error.name).toBe('AccessDeniedException');
      expect(error.message).toContain(`apprunner:TagResource on resource: ${ResourceArn}`);
      await client.send(new TagResourceCommand({ ResourceArn, Tags: [{ Key: 'a', Value: 'b' }] }));
      expect(server.connections()[0]?.tags).toEqual({ a: 'b' });
    });
  });

  describe('every error App Runner models is answered with the HTTP status the installed SDK expects', () => {
    const modelled = modelledErrorStatuses();

    it('finds the errors App Runner models in the SDK, ServiceQuotaExceededException (402) among them', () => {
      expect(modelled.length).toBeGreaterThanOrEqual(5);
      expect(modelled).toContainEqual(['ServiceQuotaExceededException', 402]);
    });

    it.each(modelled)('answers %s with HTTP %i, which the SDK reads back as that error', async (type, status) => {
      expect(ERROR_STATUS[type]).toBe(status);
      server.injectFault({ operation: 'ListConnections', type });

      const error = await rejectionOf(client.send(new ListConnectionsCommand({})));

      expect(error.name).toBe(type);
      expect(error.$metadata.httpStatusCode).toBe(status);
    });
  });

  describe('the wire protocol, seen without the SDK, is awsJson1_0', () => {
    it('answers an unsigned request with 403 MissingAuthenticationTokenException and logs it without a key id', async () => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'X-Amz-Target': 'AppRunner.ListConnections', 'Content-Type': 'application/x-amz-json-1.0' },
        body: '{}',
      });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({
        __type: 'MissingAuthenticationTokenException',
        Message: 'Missing Authentication Token',
      });
      expect(server.calls).toEqual([
        expect.objectContaining({ operation: 'ListConnections', accessKeyId: undefined, status: 403 }),
      ]);
    });

    it('answers in application/x-amz-json-1.0 with a request id, epoch-second timestamps and a __type on errors', async () => {
      server.seedConnection({ name: 'raw-conn' });
      const headers = {
        'X-Amz-Target': 'AppRunner.ListConnections',
        'Content-Type': 'application/x-amz-json-1.0',
        Authorization: 'AWS4-HMAC-SHA256 Credential=AKIDRAW/20260101/us-east-1/apprunner/aws4_request, Signature=x',
      };
      const ok = await fetch(server.url, { method: 'POST', headers, body: '{}' });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('application/x-amz-json-1.0');
      expect(ok.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
      const body = (await ok.json()) as { ConnectionSummaryList: { CreatedAt: unknown }[] };
      expect(typeof body.ConnectionSummaryList[0]?.CreatedAt).toBe('number');
      expect(body.ConnectionSummaryList[0]?.CreatedAt as number).toBeCloseTo(Date.now() / 1000, -1);

      const unknown = await fetch(server.url, {
        method: 'POST',
        headers: { ...headers, 'X-Amz-Target': 'AppRunner.Nope' },
        body: '{}',
      });
      expect(unknown.status).toBe(400);
      expect(unknown.headers.get('content-type')).toBe('application/x-amz-json-1.0');
      expect(await unknown.json()).toEqual({ __type: 'UnknownOperationException', Message: 'Unknown operation Nope' });
      expect(server.calls.map((c) => c.accessKeyId)).toEqual(['AKIDRAW', 'AKIDRAW']);
    });
  });

  describe('the status helpers and reset change what the next calls see', () => {
    it('turns a pending connection AVAILABLE after the given number of ListConnections calls', async () => {
      server.seedConnection({ name: 'handshake' });
      server.flipToAvailableAfter('handshake', 2);

      const seen: string[] = [];
      for (let i = 0; i < 4; i += 1) {
        const page = await client.send(new ListConnectionsCommand({ ConnectionName: 'handshake' }));
        seen.push(page.ConnectionSummaryList?.[0]?.Status ?? 'missing');
      }
      expect(seen).toEqual(['PENDING_HANDSHAKE', 'PENDING_HANDSHAKE', 'AVAILABLE', 'AVAILABLE']);
    });

    it('lets tests set a status directly', async () => {
      server.seedConnection({ name: 'broken-conn' });
      server.setStatus('broken-conn', 'ERROR');
      const page = await client.send(new ListConnectionsCommand({ ConnectionName: 'broken-conn' }));
      expect(page.ConnectionSummaryList?.[0]?.Status).toBe('ERROR');
    });

    it('forgets connections, calls and faults on reset', async () => {
      server.seedConnection({ name: 'forgotten' });
      server.injectFault({ times: Infinity });
      server.denyOperation('ListConnections');
      await rejectionOf(client.send(new ListConnectionsCommand({})));

      server.reset();
      expect(server.connections()).toEqual([]);
      expect(server.calls).toEqual([]);
      const page = await client.send(new ListConnectionsCommand({}));
      expect(page.ConnectionSummaryList).toEqual([]);
    });
  });
});

describe('each option of the endpoint changes its answers as documented', () => {
  it('filters by name prefix in the prefixNameFilter fault mode, so callers must compare names themselves', async () => {
    const server = await startExtra({ prefixNameFilter: true });
    server.seedConnection({ name: 'app-conn' });
    server.seedConnection({ name: 'app-conn-2' });
    server.seedConnection({ name: 'other-conn' });
    const client = clientFor(server, { maxAttempts: 1 });

    expect((await listAll(client, 'app-conn')).map((c) => c.ConnectionName)).toEqual(['app-conn', 'app-conn-2']);
    client.destroy();
  });

  it('pages ListConnections one connection at a time with pageSize 1, and paginateListConnections follows NextToken to the end', async () => {
    const server = await startExtra({ pageSize: 1, prefixNameFilter: true });
    for (const name of ['page-one', 'page-two', 'page-three']) server.seedConnection({ name });
    const client = clientFor(server, { maxAttempts: 1 });

    const pageSizes: number[] = [];
    for await (const page of paginateListConnections({ client, stopOnSameToken: true }, { ConnectionName: 'page-' })) {
      pageSizes.push(page.ConnectionSummaryList?.length ?? 0);
    }
    expect(pageSizes).toEqual([1, 1, 1]);
    expect((await listAll(client, 'page-')).map((c) => c.ConnectionName)).toEqual([
      'page-one',
      'page-two',
      'page-three',
    ]);
    const tokens = server.calls.slice(0, 3).map((c) => c.body?.['NextToken']);
    expect(tokens[0]).toBeUndefined();
    expect(tokens[1]).toEqual(expect.any(String));
    expect(tokens[2]).not.toBe(tokens[1]);

    // A token only continues the listing it came from.
    const error = await rejectionOf(
      client.send(new ListConnectionsCommand({ ConnectionName: 'other', NextToken: tokens[1] as string })),
    );
    expect(error).toBeInstanceOf(InvalidRequestException);
    client.destroy();
  });

  it('hides a new connection from ListConnections for listLagMs while CreateConnection already counts it', async () => {
    const listLagMs = 100;
    const server = await startExtra({ listLagMs });
    const client = clientFor(server, { maxAttempts: 1 });

    await client.send(new CreateConnectionCommand({ ConnectionName: 'laggy-conn', ProviderType: 'GITHUB' }));
    expect(await listAll(client, 'laggy-conn')).toEqual([]);
    const duplicate = await rejectionOf(
      client.send(new CreateConnectionCommand({ ConnectionName: 'laggy-conn', ProviderType: 'GITHUB' })),
    );
    expect(duplicate).toBeInstanceOf(InvalidRequestException);

    await sleep(listLagMs * 1.5);
    expect((await listAll(client, 'laggy-conn')).map((c) => c.ConnectionName)).toEqual(['laggy-conn']);
    client.destroy();
  });

  it('throttles past the rate limit with ThrottlingException "Rate exceeded" and recovers as tokens refill', async () => {
    const perSecond = 5;
    const server = await startExtra({ rateLimit: { perSecond, burst: 2 } });
    const client = clientFor(server, { maxAttempts: 1 });

    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => client.send(new ListConnectionsCommand({}))),
    );
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(rejected).toHaveLength(3);
    for (const r of rejected) {
      expect(r.reason.name).toBe('ThrottlingException');
      expect(r.reason.message).toBe('Rate exceeded');
      expect(r.reason.$metadata.httpStatusCode).toBe(400);
    }
    // Throttled calls are logged too.
    expect(server.calls.filter((c) => c.errorType === 'ThrottlingException')).toHaveLength(3);

    // One token back after 1/perSecond seconds.
    await sleep((1000 / perSecond) * 1.5);
    await expect(client.send(new ListConnectionsCommand({}))).resolves.toBeDefined();
    client.destroy();
  });

  it('opens a race window with createDelayMs: of two concurrent creates of one name exactly one wins', async () => {
    const server = await startExtra({ createDelayMs: 200 });
    const client = clientFor(server, { maxAttempts: 1 });

    const started = Date.now();
    const results = await Promise.allSettled([
      client.send(new CreateConnectionCommand({ ConnectionName: 'racy-conn', ProviderType: 'GITHUB' })),
      client.send(new CreateConnectionCommand({ ConnectionName: 'racy-conn', ProviderType: 'GITHUB' })),
    ]);
    // Both passed the first name check and waited out the window: the loser learns only at commit time.
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const loser = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(loser?.reason).toBeInstanceOf(InvalidRequestException);
    expect(loser?.reason.message).toBe('Connection with name racy-conn already exists');
    expect(server.connections()).toHaveLength(1);
    client.destroy();
  });

  it('writes the configured region into ARNs', async () => {
    const server = await startExtra({ region: 'eu-west-1' });
    const client = clientFor(server, { maxAttempts: 1, region: 'eu-west-1' });
    const created = await client.send(
      new CreateConnectionCommand({ ConnectionName: 'eu-conn', ProviderType: 'GITHUB' }),
    );
    expect(created.Connection?.ConnectionArn).toMatch(
      /^arn:aws:apprunner:eu-west-1:123456789012:connection\/eu-conn\//,
    );
    client.destroy();
  });
});
