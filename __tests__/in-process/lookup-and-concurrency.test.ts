// The whole step in process (real SDK client, local endpoint, TEST_LIMITS) finding or creating one connection:
// reuse, create, tags, dry runs, provider, region, faults, a refused create, races, storms where throttling is
// a queue. Assertions are on outcomes (one connection, one ARN, one created=true), never on retries.

import { setTimeout as sleep } from 'node:timers/promises';

import { describe, it, type ExpectStatic, type TestContext } from 'vitest';

import {
  type LocalAppRunner,
  type LocalAppRunnerOptions,
  startLocalAppRunner,
} from '../../local/apprunner-endpoint.js';
import { type Answer, appRunnerBehindFront, appRunnerOperation } from '../support/hostile-front.js';
import { type InProcessOptions, type InProcessRun, infoText, runInProcess } from '../support/in-process.js';

const REGION = 'us-east-1';
const NAME = 'shared-conn';
type Context = Pick<TestContext, 'onTestFinished'>;

async function endpointFor({ onTestFinished }: Context, options: LocalAppRunnerOptions = {}) {
  const server = await startLocalAppRunner({ region: REGION, ...options });
  onTestFinished(() => server.close());
  return server;
}

/** A run of NAME against `url`, its region from AWS_REGION as after configure-aws-credentials. */
function runAgainst(url: string, inputs: Record<string, string> = {}, options: InProcessOptions = {}) {
  return runInProcess({
    ...options,
    inputs: { 'connection-name': NAME, ...inputs },
    env: { AWS_ENDPOINT_URL_APPRUNNER: url, AWS_REGION: REGION, ...options.env },
  });
}

const live = (server: LocalAppRunner, name = NAME) =>
  server.connections().filter((c) => c.name === name && c.status !== 'DELETED');

/** Every run passed, the endpoint holds one live connection of `name`, every run has its ARN, one created it. */
function expectOneConnection(expect: ExpectStatic, runs: readonly InProcessRun[], server: LocalAppRunner, name = NAME) {
  expect(runs.filter((run) => run.failure).map((run) => run.failure)).toEqual([]);
  const [connection, ...more] = live(server, name);
  expect(more).toEqual([]);
  expect(new Set(runs.map((run) => run.outputs['connection-arn']))).toEqual(new Set([connection?.arn]));
  expect(runs.filter((run) => run.outputs.created === 'true')).toHaveLength(1);
  return connection;
}

describe.concurrent('a connection of that name is reused; an absent one is created with the tags', () => {
  it('reuses an existing connection with one call in total, its outputs set', async ({ expect, onTestFinished }) => {
    const server = await endpointFor({ onTestFinished });
    const arn = server.seedConnection({ name: NAME, status: 'AVAILABLE' });

    const run = await runAgainst(server.url);

    expect(run.failure).toBeUndefined();
    expect(run.outputs).toEqual({
      'connection-arn': arn,
      'connection-name': NAME,
      'connection-status': 'AVAILABLE',
      'provider-type': 'GITHUB',
      created: 'false',
      'handshake-url': `https://${REGION}.console.aws.amazon.com/apprunner/home?region=${REGION}#/connections`,
    });
    expect(server.count()).toBe(1);
    expect(infoText(run)).toContain(`Reusing connection ${NAME} (AVAILABLE): ${arn}`);
  });

  it('creates an absent connection with the tags, pending its handshake', async ({ expect, onTestFinished }) => {
    const server = await endpointFor({ onTestFinished });

    const run = await runAgainst(server.url, { tags: 'team=platform\ncost-center=4711\n# a comment\nenv = preview' });

    expect(run.failure).toBeUndefined();
    expect(live(server)).toMatchObject([{ tags: { team: 'platform', 'cost-center': '4711', env: 'preview' } }]);
    expect(run.outputs).toMatchObject({
      'connection-arn': live(server)[0]?.arn,
      'connection-status': 'PENDING_HANDSHAKE',
      created: 'true',
    });
    expect(server.calls.filter((call) => call.operation === 'CreateConnection')).toHaveLength(1);
    expect(server.count('TagResource')).toBe(0);
  });

  it('applies only tags that are missing or differ, removes none, then none again', async ({
    expect,
    onTestFinished,
  }) => {
    const server = await endpointFor({ onTestFinished });
    server.seedConnection({ name: NAME, tags: { team: 'old', keep: 'me', same: '1' } });
    const tags = 'team=new\nsame=1\nadded=yes';

    const first = await runAgainst(server.url, { tags });
    const second = await runAgainst(server.url, { tags });

    expect([first.failure, second.failure]).toEqual([undefined, undefined]);
    expect(live(server)[0]?.tags).toEqual({ team: 'new', keep: 'me', same: '1', added: 'yes' });
    const applied = server.calls.filter((call) => call.operation === 'TagResource').map((call) => call.body?.['Tags']);
    expect(JSON.stringify(applied)).toBe('[[{"Key":"team","Value":"new"},{"Key":"added","Value":"yes"}]]');
    expect(infoText(first)).toContain('Applied tags: "team=new", "added=yes"');
  });

  it.for([
    { seeded: false, says: `Dry run: connection ${NAME} does not exist; a run without dry-run would create it.` },
    { seeded: true, says: 'Dry run: would apply tags: "team=new"' },
  ])(
    'changes nothing in a dry run (connection there: $seeded), saying what it would do',
    async ({ seeded, says }, { expect, onTestFinished }) => {
      const server = await endpointFor({ onTestFinished });
      const arn = seeded ? server.seedConnection({ name: NAME, tags: { team: 'old' } }) : undefined;

      const run = await runAgainst(server.url, { tags: 'team=new', 'dry-run': 'true' });

      expect(run.failure).toBeUndefined();
      expect(infoText(run)).toContain(says);
      expect(run.outputs).toMatchObject({ 'connection-name': NAME, created: 'false' });
      expect(run.outputs['connection-arn']).toBe(arn);
      expect(server.calls.map((call) => call.operation)).toEqual(
        seeded ? ['ListConnections', 'ListTagsForResource'] : ['ListConnections'],
      );
      expect(live(server).map((c) => c.tags)).toEqual(seeded ? [{ team: 'old' }] : []);
    },
  );

  it('reuses a connection of another provider as it is, with a warning', async ({ expect, onTestFinished }) => {
    const server = await endpointFor({ onTestFinished });
    server.seedConnection({ name: NAME, providerType: 'BITBUCKET' });

    const run = await runAgainst(server.url, { 'provider-type': 'github' });

    expect(run.failure).toBeUndefined();
    expect(run.outputs['provider-type']).toBe('BITBUCKET');
    expect(run.warnings).toEqual([
      `Connection ${NAME} exists with provider BITBUCKET, not the GITHUB of provider-type; it is reused as it is. To use GITHUB, choose another connection-name.`,
    ]);
    expect(server.count('CreateConnection')).toBe(0);
  });
});

describe.concurrent('a fault on any call is retried with the action’s attempts, and the run passes', () => {
  it.for(['ListConnections', 'CreateConnection', 'ListTagsForResource', 'TagResource'])(
    '%s answered 500, 503 and throttling first',
    async (operation, { expect, onTestFinished }) => {
      const server = await endpointFor({ onTestFinished });
      // The tag calls come with a reused connection whose tags differ.
      const seeded = operation.includes('Tag');
      if (seeded) server.seedConnection({ name: NAME, tags: { team: 'old' } });
      for (const fault of [{}, { status: 503 }, { type: 'ThrottlingException' }])
        server.injectFault({ operation, ...fault });

      const run = await runAgainst(server.url, { tags: 'team=new' });

      expect([run.failure, run.outputs.created]).toEqual([undefined, String(!seeded)]);
      expect(live(server)).toMatchObject([{ tags: { team: 'new' } }]);
      const answers = server.calls
        .filter((call) => call.operation === operation)
        .map((call) => call.errorType ?? call.status);
      expect(answers).toEqual([
        'InternalServiceErrorException',
        'ServiceUnavailableException',
        'ThrottlingException',
        200,
      ]);
    },
  );
});

describe.concurrent('the region: the input’s, else the AWS configuration’s, and one App Runner runs in', () => {
  it('takes the region of the AWS configuration when nothing else names one', async ({ expect, onTestFinished }) => {
    const server = await endpointFor({ onTestFinished }, { region: 'eu-west-1' });

    const run = await runAgainst(
      server.url,
      { region: '' },
      { env: { AWS_REGION: undefined }, dependencies: { configuredRegion: async () => 'eu-west-1' } },
    );

    expect(run.failure).toBeUndefined();
    expect(run.outputs['connection-arn']).toMatch(/^arn:aws:apprunner:eu-west-1:/);
    expect(run.outputs['handshake-url']).toContain('region=eu-west-1');
  });

  it.for([
    {
      region: 'sa-east-1',
      says: 'App Runner does not run in sa-east-1 (from the region input): it runs in us-east-1, us-east-2, us-west-2, ap-south-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3. Set the region input, or aws-region of aws-actions/configure-aws-credentials, to one of them.',
    },
    {
      region: '',
      says: "Input 'region' is empty, neither AWS_REGION nor AWS_DEFAULT_REGION is set, and the AWS configuration names no region: set the region input, or set aws-region in aws-actions/configure-aws-credentials.",
    },
  ])('fails before any call with the region $region and no custom endpoint', async ({ region, says }, { expect }) => {
    const dependencies = {
      configuredRegion: async () => undefined,
      createClient: () => expect.unreachable('a client'),
    };

    const run = await runInProcess({ inputs: { 'connection-name': NAME, region }, dependencies });

    expect(run.failure).toBe(says);
    expect(run.outputs).toEqual({});
  });
});

describe.concurrent('a create App Runner refuses is followed by lookups, as the name may be taken meanwhile', () => {
  /** The endpoint holding NAME, behind a front that hides it from the first `hidden` listings (a lag). */
  async function takenButHidden(context: Context, hidden: number) {
    const { server, front } = await appRunnerBehindFront(context, REGION);
    const arn = server.seedConnection({ name: NAME });
    const none = (answer: Answer): Answer => ({ ...answer, body: { ConnectionSummaryList: [] } });
    front.misbehave('ListConnections', { kind: 'edit', edit: none }, hidden);
    return { server, front, arn };
  }

  it.for([
    { refusal: 'InvalidRequestException', hidden: 4, says: undefined },
    { refusal: 'ServiceQuotaExceededException', hidden: 4, says: undefined },
    {
      refusal: 'InvalidRequestException',
      hidden: 6,
      says: `App Runner refused CreateConnection as an invalid request. AWS said: Connection with name ${NAME} already exists`,
    },
    {
      refusal: 'ServiceQuotaExceededException',
      hidden: 6,
      says: 'The App Runner connection quota in us-east-1 is reached, so CreateConnection was refused.',
    },
  ])(
    'after $refusal, the name hidden from $hidden listings: reused if a lookup finds it, else the refusal stands',
    async ({ refusal, hidden, says }, { expect, onTestFinished }) => {
      const { server, front, arn } = await takenButHidden({ onTestFinished }, hidden);
      if (refusal !== 'InvalidRequestException') server.injectFault({ operation: 'CreateConnection', type: refusal });

      const run = await runAgainst(front.url);

      expect(server.calls.filter((call) => call.errorType === refusal)).toHaveLength(1);
      if (says) expect(run.failure).toContain(says);
      else expect([run.failure, run.outputs['connection-arn'], run.outputs.created]).toEqual([undefined, arn, 'false']);
    },
  );
});

describe.concurrent('runs racing to create one name end with one connection and its ARN everywhere', () => {
  const RUNS = 20;

  it.for([{ duplicate: 'InvalidRequestException' }, { duplicate: 'ServiceQuotaExceededException' }])(
    `${RUNS} runs that all find the name absent and all create it, the losers refused with $duplicate`,
    async ({ duplicate }, { expect, onTestFinished }) => {
      // The endpoint's race window (createDelayMs) and a listing that lags behind the create, shorter
      // than the lookups after a refused create (TEST_LIMITS.raceLookupPausesMs) and not shorter than the first.
      const race = { createDelayMs: 200, listLagMs: 200 };
      const { server, front } = await appRunnerBehindFront({ onTestFinished }, REGION, appRunnerOperation, race);
      // Every lookup is answered only once all have arrived: every run then creates.
      let arrived = 0;
      let releaseAll = () => undefined as void;
      const together = new Promise<void>((resolve) => (releaseAll = resolve));
      const holdUntilAll = async (answer: Answer) => (++arrived === RUNS ? releaseAll() : await together, answer);
      front.misbehave('ListConnections', { kind: 'edit', edit: holdUntilAll }, RUNS);
      // App Runner's duplicate-name error is undocumented: another emulator answers it as a quota refusal.
      const asQuota = (answer: Answer): Answer =>
        (answer.body as { __type?: string }).__type === 'InvalidRequestException' &&
        duplicate !== 'InvalidRequestException'
          ? { ...answer, status: 402, body: { __type: duplicate, Message: 'Quota reached.' } }
          : answer;
      front.misbehave('CreateConnection', { kind: 'edit', edit: asQuota }, Infinity);

      const runs = await Promise.all(
        Array.from({ length: RUNS }, () => runAgainst(front.url, { tags: 'team=platform\nenv=preview' })),
      );

      const connection = expectOneConnection(expect, runs, server);
      expect(connection?.tags).toEqual({ team: 'platform', env: 'preview' });
      const creates = server.calls.filter((call) => call.operation === 'CreateConnection');
      expect(creates.filter((call) => call.status === 200)).toHaveLength(1);
      expect(creates.filter((call) => call.errorType === 'InvalidRequestException')).toHaveLength(RUNS - 1);
      // The losers found the tags of the create in place.
      expect(server.count('TagResource')).toBe(0);
    },
  );
});

describe('storms: hundreds of runs against one rate-limited endpoint all pass, as throttling is a queue', () => {
  it(
    '200 runs reusing a connection and 60 creating another, at once: all pass, one ARN each, one call per reuse',
    { timeout: 180_000 },
    async ({ expect, onTestFinished }) => {
      const server = await endpointFor({ onTestFinished }, { rateLimit: { perSecond: 40, burst: 10 } });
      const arn = server.seedConnection({ name: 'storm-present', status: 'AVAILABLE' });
      // The SDK's backoff kept short, the throttling budget far above what the queue needs.
      const limits = { throttleRetryBaseMs: 50, maxRetryDelayMs: 500, throttleBudgetMs: 150_000 };
      const storm = (count: number, name: string) =>
        Array.from({ length: count }, () => runAgainst(server.url, { 'connection-name': name }, { limits }));

      const [present, absent] = await Promise.all([
        Promise.all(storm(200, 'storm-present')),
        Promise.all(storm(60, 'storm-absent')),
      ]);

      expect(present.filter((run) => run.failure).map((run) => run.failure)).toEqual([]);
      expect(new Set(present.map((run) => run.outputs['connection-arn']))).toEqual(new Set([arn]));
      expect(present.filter((run) => run.outputs.created !== 'false')).toEqual([]);
      // Whatever the storm did, each reuse without tags was answered exactly once.
      const answered = server.calls.filter(
        (call) => call.body?.['ConnectionName'] === 'storm-present' && call.errorType !== 'ThrottlingException',
      );
      expect(answered.map((call) => call.operation)).toEqual(Array(200).fill('ListConnections'));
      expectOneConnection(expect, absent, server, 'storm-absent');
      expect(server.calls.some((call) => call.errorType === 'ThrottlingException')).toBe(true);
    },
  );

  it('keeps a run queued past lookupMs, saying so past queueNoticeMs', async ({ expect, onTestFinished }) => {
    const { server, front } = await appRunnerBehindFront({ onTestFinished }, REGION);
    // Ten throttled answers, each 300 ms late: queued at least 2.7 s, past the notice (1 s) and the lookup (2 s).
    server.injectFault({ operation: 'ListConnections', type: 'ThrottlingException', times: 10 });
    front.misbehave('ListConnections', { kind: 'edit', edit: async (answer) => (await sleep(300), answer) }, 10);

    const run = await runAgainst(front.url, {}, { limits: { queueNoticeMs: 1_000, lookupMs: 2_000 } });

    expect(run.failure).toBeUndefined();
    expect(infoText(run)).toMatch(
      /^Queued for \d+s: App Runner is throttling this run, as more calls arrive at once in this account and us-east-1 than it allows\. The run keeps its place for up to 20s\.$/m,
    );
  });
});
