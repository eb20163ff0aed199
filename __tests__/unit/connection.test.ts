import {
  AppRunnerClient,
  CreateConnectionCommand,
  InvalidRequestException,
  ListConnectionsCommand,
  ListTagsForResourceCommand,
  ServiceQuotaExceededException,
  TagResourceCommand,
} from '@aws-sdk/client-apprunner';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import {
  type Connection,
  ensureConnection,
  findConnection,
  listAccountConnections,
  waitForAvailable,
} from '../../src/connection.js';
import { AwsCallError, DeadlineExceeded, MalformedAnswer, QuotaReached } from '../../src/errors.js';

const ARN = 'arn:aws:apprunner:us-east-1:123456789012:connection/my-conn/0123456789abcdef0123456789abcdef';
const OTHER_ARN = 'arn:aws:apprunner:us-east-1:123456789012:connection/my-conn-2/fedcba9876543210fedcba9876543210';
const ARN_2 = 'arn:aws:apprunner:us-east-1:123456789012:connection/my-conn/11112222333344445555666677778888';

const summary = (name: string, arn: string, status = 'AVAILABLE') => ({
  ConnectionName: name,
  ConnectionArn: arn,
  ProviderType: 'GITHUB' as const,
  Status: status as 'AVAILABLE',
});

const KEY = { name: 'my-conn', region: 'us-east-1' };
const request = { ...KEY, providerType: 'GITHUB' as const, tags: [], dryRun: false };
const noPause = async (_ms: number) => {};

const appRunner = mockClient(AppRunnerClient);
const client = new AppRunnerClient({ region: 'us-east-1' });

beforeEach(() => {
  appRunner.reset();
});

const callsOf = (command: unknown) => appRunner.commandCalls(command as typeof ListConnectionsCommand);

describe('lookup: the exact name over every page, DELETED counts as absent', () => {
  it('asks App Runner with the name filter and reuses the exact match with one call in total', async () => {
    appRunner.on(ListConnectionsCommand).resolves({ ConnectionSummaryList: [summary('my-conn', ARN)] });

    const result = await ensureConnection(client, request);

    expect(result).toEqual({
      connection: { name: 'my-conn', arn: ARN, providerType: 'GITHUB', status: 'AVAILABLE' },
      created: false,
      tagChanges: [],
      dryRun: false,
    });
    expect(appRunner.calls()).toHaveLength(1);
    expect(callsOf(ListConnectionsCommand)[0]?.args[0].input).toEqual({ ConnectionName: 'my-conn' });
  });

  it('follows NextToken until the exact name turns up on a later page', async () => {
    const pages = [
      { ConnectionSummaryList: [summary('my-conn-2', OTHER_ARN)], NextToken: 'page-2' },
      { ConnectionSummaryList: [summary('my-conn', ARN)] },
    ];
    // The paginator reuses one input object, so keep a copy of each request as it was sent.
    const sent: unknown[] = [];
    appRunner.on(ListConnectionsCommand).callsFake((input) => {
      sent.push({ ...input });
      return pages[sent.length - 1];
    });

    const found = await findConnection(client, KEY);

    expect(found?.arn).toBe(ARN);
    expect(sent).toMatchObject([{ ConnectionName: 'my-conn' }, { ConnectionName: 'my-conn', NextToken: 'page-2' }]);
    expect(sent[0]).toHaveProperty('NextToken', undefined);
  });

  it('does not take a connection whose name only starts with the wanted name', async () => {
    appRunner.on(ListConnectionsCommand).resolves({ ConnectionSummaryList: [summary('my-conn-2', OTHER_ARN)] });

    expect(await findConnection(client, KEY)).toBeUndefined();
  });

  it('treats a DELETED connection of that name as absent', async () => {
    appRunner.on(ListConnectionsCommand).resolves({ ConnectionSummaryList: [summary('my-conn', ARN, 'DELETED')] });

    expect(await findConnection(client, KEY)).toBeUndefined();
  });

  it('rejects an answer it cannot use as malformed, naming the operation and field', async () => {
    appRunner
      .on(ListConnectionsCommand)
      .resolves({ ConnectionSummaryList: [{ ...summary('my-conn', ARN), ConnectionArn: undefined }] });

    const failure = findConnection(client, KEY);

    await expect(failure).rejects.toBeInstanceOf(MalformedAnswer);
    await expect(failure).rejects.toMatchObject({
      operation: 'ListConnections',
      field: 'ConnectionSummaryList[0].ConnectionArn',
    });
  });

  it('stops when the service repeats a page token instead of looping forever', async () => {
    appRunner.on(ListConnectionsCommand).resolves({ ConnectionSummaryList: [], NextToken: 'same' });

    expect(await findConnection(client, KEY)).toBeUndefined();
    expect(callsOf(ListConnectionsCommand).length).toBeLessThanOrEqual(2);
  });
});

describe('create: an absent connection is created with the tags', () => {
  it('creates it with provider and tags, and reports created', async () => {
    appRunner.on(ListConnectionsCommand).resolves({ ConnectionSummaryList: [] });
    appRunner
      .on(CreateConnectionCommand)
      .resolves({ Connection: { ...summary('my-conn', ARN, 'PENDING_HANDSHAKE'), ProviderType: 'BITBUCKET' } });
    const onConnection = vi.fn();

    const result = await ensureConnection(
      client,
      { ...request, providerType: 'BITBUCKET', tags: [{ key: 'team', value: 'platform' }] },
      { onConnection },
    );

    expect(result.created).toBe(true);
    expect(result.connection?.status).toBe('PENDING_HANDSHAKE');
    expect(callsOf(CreateConnectionCommand)[0]?.args[0].input).toEqual({
      ConnectionName: 'my-conn',
      ProviderType: 'BITBUCKET',
      Tags: [{ Key: 'team', Value: 'platform' }],
    });
    expect(onConnection).toHaveBeenCalledWith(result.connection, true);
    expect(appRunner.calls()).toHaveLength(2);
  });

  it('sends no Tags field when no tags are given', async () => {
    appRunner.on(ListConnectionsCommand).resolves({ ConnectionSummaryList: [] });
    appRunner.on(CreateConnectionCommand).resolves({ Connection: summary('my-conn', ARN, 'PENDING_HANDSHAKE') });

    await ensureConnection(client, request);

    expect(callsOf(CreateConnectionCommand)[0]?.args[0].input).not.toHaveProperty('Tags');
  });

  it('answers a quota refusal with the account’s connections in the region, listed without a name filter', async () => {
    const listed: unknown[] = [];
    appRunner.on(ListConnectionsCommand).callsFake((input) => {
      listed.push({ ...input });
      return { ConnectionSummaryList: input.ConnectionName ? [] : [summary('my-conn-2', OTHER_ARN, 'ERROR')] };
    });
    const refusal = new ServiceQuotaExceededException({ message: 'Quota exceeded', $metadata: {} });
    appRunner.on(CreateConnectionCommand).rejects(refusal);

    const failure = await ensureConnection(client, request, { sleep: noPause }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(QuotaReached);
    const { createError, connections } = failure as QuotaReached;
    expect(createError).toMatchObject({ operation: 'CreateConnection', cause: refusal });
    expect(connections).toEqual([
      { name: 'my-conn-2', arn: OTHER_ARN, providerType: 'GITHUB', status: 'ERROR', createdAt: undefined },
    ]);
    // The lookup of the name, then one listing of the account; no lookup again as after a lost race.
    expect(listed).toEqual([{ ConnectionName: 'my-conn' }, {}]);
  });

  it('reports the quota refusal alone when the account’s connections cannot be listed', async () => {
    appRunner
      .on(ListConnectionsCommand)
      .resolvesOnce({ ConnectionSummaryList: [] })
      .rejects(new Error('listing refused'));
    appRunner
      .on(CreateConnectionCommand)
      .rejects(new ServiceQuotaExceededException({ message: 'Quota exceeded', $metadata: {} }));

    const failure = ensureConnection(client, request, { sleep: noPause });

    await expect(failure).rejects.toBeInstanceOf(AwsCallError);
    await expect(failure).rejects.toMatchObject({ operation: 'CreateConnection' });
  });
});

describe('the account’s connections: every page, likely quota leftovers first', () => {
  const at = (day: number) => new Date(Date.UTC(2026, 0, day));
  const entry = (name: string, status: string, created?: Date) => ({
    ...summary(
      name,
      `arn:aws:apprunner:us-east-1:123456789012:connection/${name}/0123456789abcdef0123456789abcdef`,
      status,
    ),
    ...(created && { CreatedAt: created }),
  });

  it('lists PENDING_HANDSHAKE and ERROR ones first, each group oldest first, DELETED ones not at all', async () => {
    appRunner
      .on(ListConnectionsCommand)
      .resolvesOnce({
        ConnectionSummaryList: [
          entry('main-github', 'AVAILABLE', at(1)),
          entry('fresh-try', 'PENDING_HANDSHAKE', at(20)),
        ],
        NextToken: 'page-2',
      })
      .resolves({
        ConnectionSummaryList: [
          entry('gone-conn', 'DELETED', at(2)),
          entry('broken-conn', 'ERROR', at(5)),
          entry('undated', 'AVAILABLE'),
          entry('bitbucket', 'AVAILABLE', at(3)),
        ],
      });

    const connections = await listAccountConnections(client, 'us-east-1');

    expect(connections.map((c) => c.name)).toEqual(['broken-conn', 'fresh-try', 'main-github', 'bitbucket', 'undated']);
    expect(connections[0]?.createdAt).toEqual(at(5));
  });

  it('refuses an entry that is not a connection of that region as malformed', async () => {
    appRunner.on(ListConnectionsCommand).resolves({
      ConnectionSummaryList: [
        { ...entry('other-region', 'AVAILABLE'), ConnectionArn: OTHER_ARN.replace('us-east-1', 'eu-west-1') },
      ],
    });

    await expect(listAccountConnections(client, 'us-east-1')).rejects.toBeInstanceOf(MalformedAnswer);
  });
});

describe('race: a create that loses to a concurrent run reuses the winner', () => {
  const taken = new InvalidRequestException({ message: 'Connection name my-conn already exists', $metadata: {} });

  it('looks the name up again after InvalidRequestException and reuses what the other run created', async () => {
    appRunner
      .on(ListConnectionsCommand)
      .resolvesOnce({ ConnectionSummaryList: [] })
      .resolves({ ConnectionSummaryList: [summary('my-conn', ARN, 'PENDING_HANDSHAKE')] });
    appRunner.on(CreateConnectionCommand).rejects(taken);
    const onConnection = vi.fn();

    const result = await ensureConnection(client, request, { sleep: noPause, onConnection });

    expect(result).toMatchObject({ created: false, connection: { arn: ARN } });
    expect(onConnection).toHaveBeenCalledWith(result.connection, false);
  });

  it('keeps looking while the listing lags behind the other run, pausing between lookups', async () => {
    appRunner
      .on(ListConnectionsCommand)
      .resolvesOnce({ ConnectionSummaryList: [] })
      .resolvesOnce({ ConnectionSummaryList: [] })
      .resolvesOnce({ ConnectionSummaryList: [] })
      .resolves({ ConnectionSummaryList: [summary('my-conn', ARN, 'PENDING_HANDSHAKE')] });
    appRunner.on(CreateConnectionCommand).rejects(taken);
    const sleep = vi.fn(noPause);

    const result = await ensureConnection(client, request, { sleep });

    expect(result.connection?.arn).toBe(ARN);
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([500, 1000]);
  });

  it('reports the original create error when the name never shows up', async () => {
    appRunner.on(ListConnectionsCommand).resolves({ ConnectionSummaryList: [] });
    appRunner.on(CreateConnectionCommand).rejects(taken);
    const sleep = vi.fn(noPause);

    const failure = ensureConnection(client, request, { sleep });

    await expect(failure).rejects.toMatchObject({ operation: 'CreateConnection', cause: taken });
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([500, 1000, 2000, 3000]);
  });

  it('converges the tags of the connection it reuses after a lost race', async () => {
    appRunner
      .on(ListConnectionsCommand)
      .resolvesOnce({ ConnectionSummaryList: [] })
      .resolves({ ConnectionSummaryList: [summary('my-conn', ARN)] });
    appRunner.on(CreateConnectionCommand).rejects(taken);
    appRunner.on(ListTagsForResourceCommand).resolves({ Tags: [] });
    appRunner.on(TagResourceCommand).resolves({});

    const result = await ensureConnection(
      client,
      { ...request, tags: [{ key: 'team', value: 'a' }] },
      { sleep: noPause },
    );

    expect(result.tagChanges).toEqual([{ key: 'team', value: 'a' }]);
    expect(callsOf(TagResourceCommand)).toHaveLength(1);
  });
});

describe('reuse with tags: apply only missing or different tags, never remove', () => {
  beforeEach(() => {
    appRunner.on(ListConnectionsCommand).resolves({ ConnectionSummaryList: [summary('my-conn', ARN)] });
    appRunner.on(ListTagsForResourceCommand, { ResourceArn: ARN }).resolves({
      Tags: [
        { Key: 'team', Value: 'platform' },
        { Key: 'env', Value: 'old' },
        { Key: 'owner', Value: 'someone' },
      ],
    });
    appRunner.on(TagResourceCommand).resolves({});
  });

  it('tags only the missing and the changed keys, leaving other tags alone', async () => {
    const tags = [
      { key: 'team', value: 'platform' },
      { key: 'env', value: 'new' },
      { key: 'cost', value: '42' },
    ];

    const result = await ensureConnection(client, { ...request, tags });

    expect(result.tagChanges).toEqual([
      { key: 'env', value: 'new' },
      { key: 'cost', value: '42' },
    ]);
    expect(callsOf(TagResourceCommand)[0]?.args[0].input).toEqual({
      ResourceArn: ARN,
      Tags: [
        { Key: 'env', Value: 'new' },
        { Key: 'cost', Value: '42' },
      ],
    });
    expect(appRunner.calls()).toHaveLength(3);
  });

  it('makes two calls and no write when the tags are already in place', async () => {
    const result = await ensureConnection(client, { ...request, tags: [{ key: 'team', value: 'platform' }] });

    expect(result.tagChanges).toEqual([]);
    expect(callsOf(TagResourceCommand)).toHaveLength(0);
    expect(appRunner.calls()).toHaveLength(2);
  });

  it('reports the connection before tagging, so a refused TagResource leaves it known', async () => {
    appRunner.on(TagResourceCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const onConnection = vi.fn();

    const failure = ensureConnection(client, { ...request, tags: [{ key: 'env', value: 'new' }] }, { onConnection });

    await expect(failure).rejects.toMatchObject({ operation: 'TagResource' });
    expect(onConnection).toHaveBeenCalledWith(expect.objectContaining({ arn: ARN }), false);
  });
});

describe('dry run: look, never write', () => {
  it('reports what it would create and calls nothing but ListConnections', async () => {
    appRunner.on(ListConnectionsCommand).resolves({ ConnectionSummaryList: [] });
    const tags = [{ key: 'team', value: 'platform' }];

    const result = await ensureConnection(client, { ...request, tags, dryRun: true });

    expect(result).toEqual({ connection: undefined, created: false, tagChanges: tags, dryRun: true });
    expect(appRunner.calls().map((call) => call.args[0].constructor.name)).toEqual(['ListConnectionsCommand']);
  });

  it('reports the tag changes it would make on an existing connection without tagging', async () => {
    appRunner.on(ListConnectionsCommand).resolves({ ConnectionSummaryList: [summary('my-conn', ARN)] });
    appRunner.on(ListTagsForResourceCommand).resolves({ Tags: [{ Key: 'env', Value: 'old' }] });

    const result = await ensureConnection(client, { ...request, tags: [{ key: 'env', value: 'new' }], dryRun: true });

    expect(result.tagChanges).toEqual([{ key: 'env', value: 'new' }]);
    expect(callsOf(TagResourceCommand)).toHaveLength(0);
    expect(callsOf(CreateConnectionCommand)).toHaveLength(0);
  });
});

describe('deadline: the abort signal ends the lookup-or-create at once', () => {
  it('fails with the deadline as the cause while a call is still pending', async () => {
    appRunner.on(ListConnectionsCommand).callsFake(() => new Promise(() => {}));
    const deadline = new AbortController();
    const failure = ensureConnection(client, request, { signal: deadline.signal });

    deadline.abort(new DeadlineExceeded(45_000));

    await expect(failure).rejects.toMatchObject({ operation: 'ListConnections', cause: { ms: 45_000 } });
  });
});

describe('waiting for the handshake', () => {
  const pending: Connection = { name: 'my-conn', arn: ARN, providerType: 'GITHUB', status: 'PENDING_HANDSHAKE' };

  function fakeClock() {
    let now = 0;
    return { now: () => now, sleep: async (ms: number) => void (now += ms) };
  }

  it('polls at the interval until the connection is AVAILABLE', async () => {
    appRunner
      .on(ListConnectionsCommand)
      .resolvesOnce({ ConnectionSummaryList: [summary('my-conn', ARN, 'PENDING_HANDSHAKE')] })
      .resolves({ ConnectionSummaryList: [summary('my-conn', ARN, 'AVAILABLE')] });
    const polls: number[] = [];

    const { connection: final } = await waitForAvailable(client, pending, KEY, {
      timeoutMs: 60_000,
      intervalMs: 10_000,
      ...fakeClock(),
      onPoll: (_, elapsed) => polls.push(elapsed),
    });

    expect(final.status).toBe('AVAILABLE');
    expect(polls).toEqual([10_000, 20_000]);
  });

  it('gives up at the timeout with the connection still pending, the last sleep cut to what is left', async () => {
    appRunner
      .on(ListConnectionsCommand)
      .resolves({ ConnectionSummaryList: [summary('my-conn', ARN, 'PENDING_HANDSHAKE')] });
    const clock = fakeClock();
    const sleep = vi.fn(clock.sleep);

    const { connection: final } = await waitForAvailable(client, pending, KEY, {
      timeoutMs: 25_000,
      intervalMs: 10_000,
      now: clock.now,
      sleep,
    });

    expect(final.status).toBe('PENDING_HANDSHAKE');
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([10_000, 10_000, 5_000]);
    expect(callsOf(ListConnectionsCommand)).toHaveLength(3);
  });

  it.each([
    { timeoutMs: 3_000, intervalMs: 15_000 },
    { timeoutMs: 2_000, intervalMs: 2_000 },
  ])(
    'looks once more at the end of a wait of $timeoutMs ms with an interval of $intervalMs ms',
    async ({ timeoutMs, intervalMs }) => {
      appRunner.on(ListConnectionsCommand).resolves({ ConnectionSummaryList: [summary('my-conn', ARN, 'AVAILABLE')] });
      const clock = fakeClock();
      const sleep = vi.fn(clock.sleep);

      const { connection } = await waitForAvailable(client, pending, KEY, {
        timeoutMs,
        intervalMs,
        now: clock.now,
        sleep,
      });

      expect(connection.status).toBe('AVAILABLE');
      expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([timeoutMs]);
    },
  );

  it('says the last check went unanswered when the signal ends it', async () => {
    appRunner.on(ListConnectionsCommand).callsFake(() => new Promise(() => {}));
    const stop = new AbortController();
    const clock = fakeClock();

    const waiting = waitForAvailable(client, pending, KEY, {
      timeoutMs: 1_000,
      intervalMs: 1_000,
      signal: stop.signal,
      ...clock,
    });
    await vi.waitFor(() => expect(callsOf(ListConnectionsCommand)).toHaveLength(1));
    stop.abort(new DeadlineExceeded(11_000));

    expect(await waiting).toEqual({ connection: pending, unanswered: true });
  });

  it('reports a connection replaced under the same name (another ARN) and follows it', async () => {
    appRunner.on(ListConnectionsCommand).resolves({
      ConnectionSummaryList: [summary('my-conn', ARN, 'DELETED'), summary('my-conn', ARN_2, 'AVAILABLE')],
    });
    const seen: string[] = [];

    const { connection } = await waitForAvailable(client, pending, KEY, {
      timeoutMs: 10_000,
      intervalMs: 1_000,
      ...fakeClock(),
      onPoll: (polled) => seen.push(polled.arn),
    });

    expect(connection).toMatchObject({ arn: ARN_2, status: 'AVAILABLE' });
    expect(seen).toEqual([ARN_2]);
  });

  it('fails with the malformed answer, not success, when a check answers a status App Runner does not have', async () => {
    appRunner.on(ListConnectionsCommand).resolves({ ConnectionSummaryList: [summary('my-conn', ARN, 'PENDING')] });

    const waiting = waitForAvailable(client, pending, KEY, { timeoutMs: 10_000, intervalMs: 1_000, ...fakeClock() });

    await expect(waiting).rejects.toBeInstanceOf(MalformedAnswer);
  });

  it('stops at once when the connection turns to ERROR', async () => {
    appRunner.on(ListConnectionsCommand).resolves({ ConnectionSummaryList: [summary('my-conn', ARN, 'ERROR')] });

    const { connection: final } = await waitForAvailable(client, pending, KEY, {
      timeoutMs: 600_000,
      intervalMs: 1_000,
      ...fakeClock(),
    });

    expect(final.status).toBe('ERROR');
    expect(callsOf(ListConnectionsCommand)).toHaveLength(1);
  });

  it('stops when the connection disappears, reporting it as DELETED', async () => {
    appRunner.on(ListConnectionsCommand).resolves({ ConnectionSummaryList: [] });

    const { connection: final } = await waitForAvailable(client, pending, KEY, {
      timeoutMs: 600_000,
      intervalMs: 1_000,
      ...fakeClock(),
    });

    expect(final.status).toBe('DELETED');
  });

  it('does not poll at all when the connection is already AVAILABLE', async () => {
    const { connection: final } = await waitForAvailable(client, { ...pending, status: 'AVAILABLE' }, KEY, {
      timeoutMs: 60_000,
      intervalMs: 1_000,
      ...fakeClock(),
    });

    expect(final.status).toBe('AVAILABLE');
    expect(appRunner.calls()).toHaveLength(0);
  });
});
