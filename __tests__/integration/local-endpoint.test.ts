// The local App Runner endpoint (local/apprunner-endpoint.js), driven by the plain AWS SDK client over
// HTTP: it speaks awsJson1_0 as App Runner does for what the action calls, and each option the other
// specs rely on (name filter, pages, faults, hangs, denials, rate limit, race window, listing lag,
// handshake) changes its answers as documented.

import * as sdk from '@aws-sdk/client-apprunner';
import { describe, expect, it, onTestFinished } from 'vitest';

import {
  ERROR_STATUS,
  type LocalAppRunner,
  type LocalAppRunnerOptions,
  startLocalAppRunner,
} from '../../local/apprunner-endpoint.js';

const ARN = /^arn:aws:apprunner:us-east-1:123456789012:connection\/my-conn\/[0-9a-f]{32}$/;

/** An endpoint for one test, and a plain SDK client of it: one attempt, credentials of its own. */
async function endpointFor(options: LocalAppRunnerOptions = {}) {
  const server: LocalAppRunner = await startLocalAppRunner(options);
  const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };
  const client = new sdk.AppRunnerClient({ endpoint: server.url, region: server.region, credentials, maxAttempts: 1 });
  onTestFinished(() => (client.destroy(), server.close()));
  return { server, client };
}

type Client = sdk.AppRunnerClient;
const create = (client: Client, name: string, extra: Partial<sdk.CreateConnectionRequest> = {}) =>
  client.send(new sdk.CreateConnectionCommand({ ConnectionName: name, ProviderType: 'GITHUB', ...extra }));
const list = (client: Client, input: sdk.ListConnectionsRequest = {}) =>
  client.send(new sdk.ListConnectionsCommand(input));
const names = async (client: Client, input: sdk.ListConnectionsRequest = {}) =>
  (await list(client, input)).ConnectionSummaryList?.map((c) => c.ConnectionName);
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('the call succeeded'),
    (error: sdk.AppRunnerServiceException) => error,
  );

/** The errors App Runner models, with their HTTP status, from the installed SDK's error schemas. */
const MODELLED = Object.entries(sdk)
  .filter(([name, schema]) => name.endsWith('Exception$') && Array.isArray(schema) && schema[0] === -3)
  .map(([, schema]) => schema as unknown as [number, string, string, { httpError?: number }])
  .filter(([, , , traits]) => typeof traits?.httpError === 'number')
  .map(([, , name, traits]) => [name, traits.httpError] as const);

describe('it answers as the App Runner API reference says, in awsJson1_0', () => {
  it('creates a pending connection that ListConnections then lists with the same fields', async () => {
    const { server, client } = await endpointFor();

    const { Connection: created } = await create(client, 'my-conn');
    const listed = await list(client, { ConnectionName: 'my-conn' });

    expect(created?.ConnectionArn).toMatch(ARN);
    expect(created).toMatchObject({ ConnectionName: 'my-conn', Status: 'PENDING_HANDSHAKE', ProviderType: 'GITHUB' });
    // CreatedAt travels as epoch seconds; the SDK makes it a Date.
    expect(created?.CreatedAt).toBeInstanceOf(Date);
    expect(listed.ConnectionSummaryList).toEqual([created]);
    expect(listed.NextToken).toBeUndefined();
    expect(server.calls).toEqual([
      expect.objectContaining({ operation: 'CreateConnection', accessKeyId: 'AKIDLOCAL', attempt: 1, status: 200 }),
      expect.objectContaining({ operation: 'ListConnections', body: { ConnectionName: 'my-conn' }, status: 200 }),
    ]);
  });

  it('filters by exact name, lists all in one page without MaxResults, and writes its region into ARNs', async () => {
    const { server, client } = await endpointFor({ region: 'eu-west-1' });
    for (let i = 0; i < 30; i += 1) server.seedConnection({ name: `many-${i}` });

    expect(await names(client, { ConnectionName: 'many-1' })).toEqual(['many-1']);
    const all = await list(client);
    expect([all.ConnectionSummaryList?.length, all.NextToken]).toEqual([30, undefined]);
    expect(server.connections()[0]?.arn).toMatch(/^arn:aws:apprunner:eu-west-1:/);
  });

  it('refuses a second live connection of a name (InvalidRequestException), not one whose first is DELETED', async () => {
    const { server, client } = await endpointFor();
    const gone = server.seedConnection({ name: 'gone-conn', status: 'DELETED' });
    await create(client, 'taken');

    const duplicate = await failureOf(create(client, 'taken'));
    const again = await create(client, 'gone-conn');

    expect(duplicate).toBeInstanceOf(sdk.InvalidRequestException);
    expect(duplicate.message).toBe('Connection with name taken already exists');
    expect(again.Connection?.ConnectionArn).not.toBe(gone);
    expect((await list(client, { ConnectionName: 'gone-conn' })).ConnectionSummaryList?.map((c) => c.Status)).toEqual([
      'DELETED',
      'PENDING_HANDSHAKE',
    ]);
  });

  it('keeps tags: TagResource adds and overwrites, never removes; an unknown ARN is ResourceNotFound', async () => {
    const { server, client } = await endpointFor();
    const ResourceArn = server.seedConnection({ name: 'tagged', tags: { team: 'platform', env: 'dev' } });

    await client.send(new sdk.TagResourceCommand({ ResourceArn, Tags: [{ Key: 'env', Value: 'prod' }] }));

    const { Tags } = await client.send(new sdk.ListTagsForResourceCommand({ ResourceArn }));
    expect(Tags).toEqual([
      { Key: 'team', Value: 'platform' },
      { Key: 'env', Value: 'prod' },
    ]);
    const unknown = ResourceArn.replace(/\/[0-9a-f]+$/, '/0123456789abcdef0123456789abcdef');
    const error = await failureOf(client.send(new sdk.ListTagsForResourceCommand({ ResourceArn: unknown })));
    expect(error).toBeInstanceOf(sdk.ResourceNotFoundException);
  });

  it('answers errors as {"__type","Message"}, an unsigned request with 403, in its own content type', async () => {
    const { server } = await endpointFor();
    const headers = { 'X-Amz-Target': 'AppRunner.ListConnections', 'Content-Type': 'application/x-amz-json-1.0' };

    const unsigned = await fetch(server.url, { method: 'POST', headers, body: '{}' });

    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(unsigned.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const body = await unsigned.json();
    expect(body).toEqual({ __type: 'MissingAuthenticationTokenException', Message: 'Missing Authentication Token' });
  });

  it('knows the errors App Runner models, ServiceQuotaExceededException (402) among them', () => {
    expect(MODELLED).toContainEqual(['ServiceQuotaExceededException', 402]);
    expect(MODELLED.length).toBeGreaterThanOrEqual(5);
  });

  it.for(MODELLED)('answers %s with the HTTP %i the SDK expects, and the SDK reads it back', async ([type, status]) => {
    const { server, client } = await endpointFor();
    server.injectFault({ operation: 'ListConnections', type });

    const error = await failureOf(list(client));

    expect(ERROR_STATUS[type]).toBe(status);
    expect(error.name).toBe(type);
    expect(error.$metadata.httpStatusCode).toBe(status);
  });
});

describe('its options and helpers change its answers as documented', () => {
  it('with prefixNameFilter and pageSize 1, lists longer names too, one a page, tokens bound to the filter', async () => {
    const { server, client } = await endpointFor({ pageSize: 1, prefixNameFilter: true });
    for (const name of ['page-one', 'page-two', 'other']) server.seedConnection({ name });

    const first = await list(client, { ConnectionName: 'page-' });
    const second = await list(client, { ConnectionName: 'page-', NextToken: first.NextToken });
    const elsewhere = await failureOf(list(client, { ConnectionName: 'other', NextToken: first.NextToken }));

    expect([first, second].map((page) => page.ConnectionSummaryList?.map((c) => c.ConnectionName))).toEqual([
      ['page-one'],
      ['page-two'],
    ]);
    expect(second.NextToken).toBeUndefined();
    expect(elsewhere).toBeInstanceOf(sdk.InvalidRequestException);
  });

  it('injects faults on one operation for a number of requests, and denies one for good', async () => {
    const { server, client } = await endpointFor();
    const arn = server.seedConnection({ name: 'guarded' });
    server.injectFault({ operation: 'ListConnections', times: 2 });
    server.injectFault({ operation: 'TagResource', type: 'ThrottlingException' });
    server.injectFault({ operation: 'ListTagsForResource', denyAction: true });
    server.injectFault({ operation: 'CreateConnection', status: 503 });
    server.denyOperation('CreateConnection');

    const failed = await Promise.all([
      failureOf(list(client)),
      failureOf(list(client)),
      failureOf(client.send(new sdk.TagResourceCommand({ ResourceArn: arn, Tags: [] }))),
      failureOf(client.send(new sdk.ListTagsForResourceCommand({ ResourceArn: arn }))),
    ]);
    const created = [await failureOf(create(client, 'denied')), await failureOf(create(client, 'denied'))];

    expect([...failed, ...created].map((error) => [error.name, error.$metadata.httpStatusCode])).toEqual([
      ['InternalServiceErrorException', 500],
      ['InternalServiceErrorException', 500],
      ['ThrottlingException', 400],
      ['AccessDeniedException', 400],
      ['ServiceUnavailableException', 503],
      ['AccessDeniedException', 400],
    ]);
    expect(failed[2]?.message).toBe('Rate exceeded');
    expect(failed[3]?.message).toContain(
      `not authorized to perform: apprunner:ListTagsForResource on resource: ${arn}`,
    );
    expect(created[1]?.message).toMatch(
      /^User: arn:aws:sts::123456789012:assumed-role\/ci\/run is not authorized to perform: apprunner:CreateConnection on resource: arn:aws:apprunner:us-east-1:123456789012:connection\/denied/,
    );
    expect(await names(client)).toEqual(['guarded']);
  });

  it('holds a hanging request unanswered, recorded with no status, until the server closes', async () => {
    const { server, client } = await endpointFor();
    server.injectFault({ hang: true });

    const pending = failureOf(list(client));
    await expect.poll(() => server.calls.length, { timeout: 10_000 }).toBe(1);
    await server.close();

    expect(await pending).toBeInstanceOf(Error);
    expect(server.calls).toEqual([expect.objectContaining({ operation: 'ListConnections', status: null })]);
  });

  it('throttles past its rate limit with ThrottlingException "Rate exceeded", recording the throttled calls', async () => {
    // A token every 10 s, two at first: five calls at once get two answers and three refusals.
    const { server, client } = await endpointFor({ rateLimit: { perSecond: 0.1, burst: 2 } });

    const results = await Promise.allSettled(Array.from({ length: 5 }, () => list(client)));

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
    expect(server.calls.filter((call) => call.errorType === 'ThrottlingException')).toHaveLength(3);
  });

  it('with createDelayMs, lets two creates of a name both pass the first check; the later one loses', async () => {
    const { server, client } = await endpointFor({ createDelayMs: 200 });

    const results = await Promise.allSettled([create(client, 'racy-conn'), create(client, 'racy-conn')]);

    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((result) => result.status === 'rejected')?.reason).toBeInstanceOf(sdk.InvalidRequestException);
    expect(server.connections()).toHaveLength(1);
  });

  it('with listLagMs, hides a new connection from ListConnections for that long, while a create counts it', async () => {
    const { client } = await endpointFor({ listLagMs: 1_000 });

    await create(client, 'laggy-conn');
    const hidden = await names(client, { ConnectionName: 'laggy-conn' });
    const duplicate = await failureOf(create(client, 'laggy-conn'));
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    expect(hidden).toEqual([]);
    expect(duplicate).toBeInstanceOf(sdk.InvalidRequestException);
    expect(await names(client, { ConnectionName: 'laggy-conn' })).toEqual(['laggy-conn']);
  });

  it('turns a pending connection AVAILABLE after flipToAvailableAfter’s count of listings; setStatus at once', async () => {
    const { server, client } = await endpointFor();
    server.seedConnection({ name: 'handshake' });
    server.seedConnection({ name: 'broken-conn' });
    server.flipToAvailableAfter('handshake', 2);
    server.setStatus('broken-conn', 'ERROR');

    const seen = [];
    for (let i = 0; i < 3; i += 1) seen.push((await list(client)).ConnectionSummaryList?.map((c) => c.Status));

    expect(seen).toEqual([
      ['PENDING_HANDSHAKE', 'ERROR'],
      ['PENDING_HANDSHAKE', 'ERROR'],
      ['AVAILABLE', 'ERROR'],
    ]);
  });
});
