// The whole step in process against the local endpoint behind a hostile front: bounds (small limits, the run
// ends at the bound and not before), then with TEST_LIMITS the wording of every hostile answer (not App
// Runner's, malformed, endless, huge) and refusal, and AWS text that never starts a workflow command.

import { describe, it, vi, type ExpectStatic, type TestContext } from 'vitest';

import { type Answer, type Misbehaviour, appRunnerBehindFront } from '../support/hostile-front.js';
import {
  type InProcessOptions,
  type InProcessRun,
  TEST_LIMITS,
  commandLike,
  infoText,
  runInProcess,
} from '../support/in-process.js';
import { anyLineStartsACommand } from '../support/log-lines.js';

const REGION = 'us-east-1';
const NAME = 'hostile-conn';
/** What a bound may overshoot by on a loaded two-core machine. */
const SLACK_MS = 10_000;
const ESCAPE = '\u001b';
const RIGHT_TO_LEFT = '\u202e';

const behindFront = (context: Pick<TestContext, 'onTestFinished'>) => appRunnerBehindFront(context, REGION);

function runBehind(url: string, inputs: Record<string, string> = {}, options: InProcessOptions = {}) {
  return runInProcess({
    ...options,
    inputs: { 'connection-name': NAME, ...inputs },
    env: { AWS_ENDPOINT_URL_APPRUNNER: url, AWS_REGION: REGION, ...options.env },
  });
}

/** The failure of a run that must fail, after what every failure holds: no command started, nothing garbled. */
function failureOf(expect: ExpectStatic, run: InProcessRun): string {
  expect(run.failure, infoText(run)).toEqual(expect.any(String));
  const failure = run.failure ?? '';
  expect(commandLike([failure, ...run.lines.map((line) => line.text)])).toEqual([]);
  expect(anyLineStartsACommand(run.summary)).toBe(false);
  for (const text of [failure, run.summary]) {
    expect(text).not.toMatch(/\[object Object\]|TypeError|Cannot read properties/);
    expect([ESCAPE, RIGHT_TO_LEFT].filter((char) => text.includes(char))).toEqual([]);
  }
  return failure;
}

/** The run ended because of a bound of `boundMs`: not before it, and not long after. */
function expectEndedAt(expect: ExpectStatic, run: InProcessRun, boundMs: number) {
  expect(run.durationMs).toBeGreaterThanOrEqual(boundMs);
  expect(run.durationMs).toBeLessThan(boundMs + SLACK_MS);
}

describe('bounds end a run App Runner holds, at the bound and not before', () => {
  // An attempt that timed out before the deadline is named; the deadline's own abort of one is not.
  it.for([
    { requestTimeoutMs: 300, last: ' The last attempt ended with: TimeoutError: .*\\.' },
    { requestTimeoutMs: 10_000, last: '' },
  ])(
    'gives up at lookupMs on an endpoint that never answers ($requestTimeoutMs ms a request)',
    async ({ requestTimeoutMs, last }, { expect, onTestFinished }) => {
      const { server, front } = await behindFront({ onTestFinished });
      server.injectFault({ hang: true, times: Infinity });

      const run = await runBehind(front.url, {}, { limits: { lookupMs: 3_000, requestTimeoutMs } });

      const reach = `Check that the endpoint ${front.url} \\(from AWS_ENDPOINT_URL_APPRUNNER or AWS_ENDPOINT_URL\\) is up`;
      expect(failureOf(expect, run)).toMatch(
        new RegExp(`^App Runner did not complete ListConnections within 3s, so the action gave up\\.${last} ${reach}`),
      );
      expectEndedAt(expect, run, 3_000);
      expect(run.outputs).toEqual({});
    },
  );

  it('ends the lookup at lookupMs while a body trickles in', async ({ expect, onTestFinished }) => {
    const { front } = await behindFront({ onTestFinished });
    // {"ConnectionSummaryList":[]} at a byte every 400 ms takes 11 s; no read waits long enough to time out.
    front.misbehave('ListConnections', { kind: 'trickle', intervalMs: 400 }, Infinity);

    const run = await runBehind(front.url, {}, { limits: { lookupMs: 1_000 } });

    expect(failureOf(expect, run)).toMatch(
      /^App Runner did not complete ListConnections within 1s, so the action gave up\./,
    );
    expectEndedAt(expect, run, 1_000);
    expect(front.requests).toHaveLength(1);
  });

  it('ends the lookup at lookupMs during a retry pause that would outlast it', async ({ expect, onTestFinished }) => {
    const { server, front } = await behindFront({ onTestFinished });
    server.injectFault({ operation: 'ListConnections', times: Infinity });
    // Jitter pinned: the pause after the first 500 is 30 s.
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    onTestFinished(() => void vi.restoreAllMocks());

    const limits = { lookupMs: 1_000, retryBaseMs: 60_000, maxRetryDelayMs: 60_000 };
    const run = await runBehind(front.url, {}, { limits });

    expect(failureOf(expect, run)).toBe(
      'App Runner did not complete ListConnections within 1s, so the action gave up. The last attempt ended with: InternalServiceErrorException: An unexpected service exception occurred. This is on the AWS side: re-run the job later.',
    );
    expectEndedAt(expect, run, 1_000);
    expect(server.count()).toBe(1);
  });

  it('ends a run throttled for ever at throttleBudgetMs', async ({ expect, onTestFinished }) => {
    const { server, front } = await behindFront({ onTestFinished });
    server.injectFault({ operation: 'ListConnections', type: 'ThrottlingException', times: Infinity });

    const run = await runBehind(front.url, {}, { limits: { throttleBudgetMs: 1_500 } });

    expect(failureOf(expect, run)).toMatch(
      /^App Runner kept throttling ListConnections after \d+ attempts over \d+s: more runs call it at once in this account and us-east-1 than it allows \(a few calls a second[^)]*\)\. Stagger the workflows .*, ask AWS Support for a higher App Runner rate, or ensure the connection once in an organization workflow and pass its ARN on\.$/,
    );
    expectEndedAt(expect, run, 1_500);
  });
});

describe.concurrent('answers that are not App Runner’s name their HTTP status and what to check', () => {
  const html = { 'content-type': 'text/html' };
  const json = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'f00d-1234' };
  const FOREIGN: [string, Misbehaviour, string][] = [
    [
      'a proxy’s 403 HTML page',
      { kind: 'answer', status: 403, headers: html, body: '<html><h1>Access denied by policy</h1></html>' },
      'The endpoint answered ListConnections with HTTP 403, text/html, which is not an answer from App Runner. Something between the runner and AWS answered instead: check the proxy or firewall in between (https_proxy, no_proxy), and that AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_APPRUNNER, if set, point at App Runner.',
    ],
    [
      'an empty 404 with App Runner’s headers',
      { kind: 'answer', status: 404, headers: json },
      'HTTP 404, application/x-amz-json-1.0, which is not an answer from App Runner',
    ],
    [
      'a redirect to a sign-in page',
      { kind: 'answer', status: 302, headers: { location: 'https://sso.example.test/login?next=/' } },
      'HTTP 302 (a redirect to https://sso.example.test/login?next=/), which is not an answer from App Runner',
    ],
    [
      'an HTML page under App Runner’s content type',
      { kind: 'answer', status: 200, headers: json, body: '<!doctype html><title>Sign in</title>' },
      'HTTP 200, application/x-amz-json-1.0, which is not an answer from App Runner',
    ],
    [
      'a gateway’s 502 page, retried',
      { kind: 'answer', status: 502, headers: html, body: '<html>Bad Gateway</html>' },
      'HTTP 502, text/html, which is not an answer from App Runner after 10 attempts',
    ],
    [
      'a body cut off, retried',
      { kind: 'truncate', bytes: 10 },
      "HTTP 200, application/x-amz-json-1.0, but the connection broke before the answer's end (ECONNRESET) after 10 attempts. Check the network and any proxy between the runner and AWS, then re-run the job.",
    ],
    [
      'a body of 64 MiB without a length',
      { kind: 'flood', bytes: 64 * 1024 ** 2, contentType: json['content-type'], declareLength: false },
      'and a body larger than App Runner ever sends, so the action stopped reading it',
    ],
    [
      'a body that declares 4 GiB',
      { kind: 'flood', bytes: 4 * 1024 ** 3, contentType: 'application/octet-stream', declareLength: true },
      'HTTP 200, application/octet-stream and a body larger than App Runner ever sends',
    ],
    [
      'a connection dropped before any answer',
      { kind: 'reset' },
      'App Runner did not answer ListConnections (ECONNRESET) after 10 attempts.',
    ],
  ];

  it.for(FOREIGN)('fails once on %s', async ([, behaviour, says], { expect, onTestFinished }) => {
    const { front, server } = await behindFront({ onTestFinished });
    front.misbehave('ListConnections', behaviour, Infinity);

    const run = await runBehind(front.url);

    expect(failureOf(expect, run)).toContain(says);
    expect(run.failure).not.toMatch(/Deserialization error|UnknownError|hidden field/);
    expect(run.outputs).toEqual({});
    expect(server.count('CreateConnection')).toBe(0);
  });

  it('still reads App Runner’s answer under another content type', async ({ expect, onTestFinished }) => {
    const { front, server } = await behindFront({ onTestFinished });
    const arn = server.seedConnection({ name: NAME });
    const asText = (answer: Answer) => ({ ...answer, headers: { ...answer.headers, 'content-type': 'text/plain' } });
    front.misbehave('ListConnections', { kind: 'edit', edit: asText });

    const run = await runBehind(front.url);

    expect([run.failure, run.outputs['connection-arn']]).toEqual([undefined, arn]);
  });

  it('names the unreachable custom endpoint it was pointed at', async ({ expect }) => {
    const run = await runBehind('http://127.0.0.1:9');

    expect(failureOf(expect, run)).toBe(
      'App Runner did not answer ListConnections (ECONNREFUSED) after 10 attempts. Check that the endpoint http://127.0.0.1:9 (from AWS_ENDPOINT_URL_APPRUNNER or AWS_ENDPOINT_URL) is up and that the runner can reach it.',
    );
  });
});

describe.concurrent('malformed App Runner answers name the operation and the field, and set no output', () => {
  const ARN = `arn:aws:apprunner:${REGION}:123456789012:connection/${NAME}/0123456789abcdef0123456789abcdef`;
  const AT = 'ConnectionSummaryList[0]';
  // What the fields of the listed connection become, and the problem the failure names.
  const LISTED: [string, Record<string, unknown> | null, string][] = [
    ['an entry without an ARN', { ConnectionArn: undefined }, `${AT}.ConnectionArn is missing`],
    ['an ARN of another region', { ConnectionArn: ARN.replace(REGION, 'eu-west-1') }, `${AT}.ConnectionArn is "arn`],
    ['an ARN of another connection', { ConnectionArn: ARN.replace(NAME, 'other-conn') }, `${AT}.ConnectionArn is`],
    ['a status it does not have', { Status: 'PENDING' }, `${AT}.Status is "PENDING", not one of PENDING_HANDSHAKE,`],
    ['a status carrying a command', { Status: 'AVAILABLE\n::set-output name=x::INJECTED' }, `${AT}.Status is`],
    ['a provider it does not have', { ProviderType: 'GITLAB' }, `${AT}.ProviderType is "GITLAB"`],
    ['a name that is an object', { ConnectionName: { name: NAME } }, `${AT}.ConnectionName is {"name":"${NAME}"}`],
    ['a null entry', null, `${AT} is null, not an object`],
  ];
  const withEntry = (fields: Record<string, unknown> | null) => (answer: Answer) => {
    const [sent] = (answer.body as { ConnectionSummaryList: object[] }).ConnectionSummaryList;
    return { ...answer, body: { ConnectionSummaryList: [fields && { ...sent, ...fields }] } };
  };
  const withBody = (body: object) => (answer: Answer) => ({ ...answer, body });

  it.for([
    ...LISTED.map(([what, fields, problem]) => [what, withEntry(fields), problem] as const),
    ['no list', withBody({}), 'ConnectionSummaryList is missing'] as const,
    [
      'a number as NextToken',
      withBody({ ConnectionSummaryList: [], NextToken: 7 }),
      'NextToken is 7, not a token',
    ] as const,
  ])('fails on ListConnections with %s', async ([, edit, problem], { expect, onTestFinished }) => {
    const { front, server } = await behindFront({ onTestFinished });
    server.seedConnection({ name: NAME });
    front.misbehave('ListConnections', { kind: 'edit', edit }, Infinity);

    const run = await runBehind(front.url);

    expect(failureOf(expect, run)).toContain(`App Runner's answer to ListConnections was malformed: ${problem}`);
    expect(run.failure).toContain('The action set no output from it.');
    expect(run.outputsSet).toEqual([]);
  });

  const withConnection = (fields: object) => (answer: Answer) => {
    const { Connection: sent } = answer.body as { Connection: object };
    return { ...answer, body: { Connection: { ...sent, ...fields } } };
  };
  it.for([
    ['no connection', withBody({}), 'Connection is missing'],
    [
      'another connection',
      withConnection({ ConnectionName: 'other-conn' }),
      'Connection.ConnectionName is "other-conn"',
    ],
    ['another provider', withConnection({ ProviderType: 'BITBUCKET' }), 'Connection.ProviderType is BITBUCKET, not'],
  ] as const)('fails on CreateConnection with %s', async ([, edit, problem], { expect, onTestFinished }) => {
    const { front, server } = await behindFront({ onTestFinished });
    front.misbehave('CreateConnection', { kind: 'edit', edit });

    const run = await runBehind(front.url);

    expect(failureOf(expect, run)).toContain(`App Runner's answer to CreateConnection was malformed: ${problem}`);
    expect(run.outputsSet).toEqual([]);
    expect(server.count('CreateConnection')).toBe(1);
  });

  it('keeps the outputs of a valid lookup when the tags are garbage', async ({ expect, onTestFinished }) => {
    const { front, server } = await behindFront({ onTestFinished });
    const arn = server.seedConnection({ name: NAME, tags: { team: 'old' } });
    front.misbehave('ListTagsForResource', { kind: 'edit', edit: withBody({ Tags: 'team=old' }) });

    const run = await runBehind(front.url, { tags: 'team=new' });

    expect(failureOf(expect, run)).toContain(
      `answer to ListTagsForResource was malformed: Tags is "team=old", not a list`,
    );
    expect(run.outputs['connection-arn']).toBe(arn);
    expect(server.count('TagResource')).toBe(0);
  });

  it('never takes a malformed status during a wait for success: it fails, the outputs kept', async ({
    expect,
    onTestFinished,
  }) => {
    let listings = 0;
    const { front, server } = await appRunnerBehindFront({ onTestFinished }, REGION, () =>
      listings++ === 0 ? 'lookup' : 'check',
    );
    const arn = server.seedConnection({ name: NAME });
    front.misbehave('check', { kind: 'edit', edit: withEntry({ Status: 'AVAILABLE ' }) }, Infinity);

    const run = await runBehind(front.url, { 'wait-for-handshake': '1h', 'poll-interval': '1s' });

    expect(failureOf(expect, run)).toContain(`answer to ListConnections was malformed: ${AT}.Status is "AVAILABLE "`);
    expect(run.outputs).toMatchObject({ 'connection-arn': arn, 'connection-status': 'PENDING_HANDSHAKE' });
  });

  it(`refuses new NextTokens after ${TEST_LIMITS.maxListPages} pages`, async ({ expect, onTestFinished }) => {
    const { front } = await behindFront({ onTestFinished });
    let page = 0;
    const endless = (answer: Answer) => ({
      ...answer,
      status: 200,
      body: { ConnectionSummaryList: [], NextToken: `p${++page}` },
    });
    front.misbehave('ListConnections', { kind: 'edit', edit: endless }, Infinity);

    const run = await runBehind(front.url);

    expect(failureOf(expect, run)).toContain(`NextToken is still set after ${TEST_LIMITS.maxListPages} pages`);
    expect(front.requests).toHaveLength(TEST_LIMITS.maxListPages);
  });
});

describe.concurrent('App Runner’s refusals over the wire each get their own failure', () => {
  it.for([
    [
      'an IAM denial',
      { denyAction: true },
      /^Access denied: the AWS identity is not allowed apprunner:ListConnections\. Add the IAM action apprunner:ListConnections to the policy of the role this job assumes\. AWS said: User: arn:aws:sts::123456789012:assumed-role\/ci\/run is not authorized/,
    ],
    [
      'an account closed to new customers',
      { type: 'AccessDeniedException', status: 403, message: 'This service is no longer available to new customers.' },
      /^App Runner refused ListConnections because it is closed to new customers .*no IAM change will help/,
    ],
    [
      'a persistent 500',
      { times: Infinity },
      /^App Runner answered ListConnections with a server error \(500 InternalServiceErrorException\) after 10 attempts\. This is on the AWS side: re-run the job later\./,
    ],
  ] as const)('fails on %s, saying what to do', async ([, fault, says], { expect, onTestFinished }) => {
    const { front, server } = await behindFront({ onTestFinished });
    server.injectFault({ operation: 'ListConnections', ...fault });

    const run = await runBehind(front.url);

    expect(failureOf(expect, run)).toMatch(says);
    expect(run.outputs).toEqual({});
  });
});

describe.concurrent('AWS and tag text starts no workflow command, and AWS text is cut short', () => {
  /** A reused connection whose TagResource App Runner refuses with `message`. */
  async function refusedTagging(context: Pick<TestContext, 'onTestFinished'>, message: string) {
    const { front, server } = await behindFront(context);
    const arn = server.seedConnection({ name: NAME, tags: { team: 'old' } });
    server.injectFault({ operation: 'TagResource', type: 'InvalidRequestException', message });
    return { run: await runBehind(front.url, { tags: 'team=new' }), arn };
  }

  it('shows commands and control characters of AWS text, obeying none', async ({ expect, onTestFinished }) => {
    const message = `refused\n::warning::INJECTED\r::add-mask::x ##[error]X ${ESCAPE}[31mRED ${RIGHT_TO_LEFT}DETCEJNI`;

    const { run, arn } = await refusedTagging({ onTestFinished }, message);

    expect(failureOf(expect, run)).toBe(
      'App Runner refused TagResource as an invalid request. AWS said: refused ::warning::INJECTED ::add-mask::x ## [error]X \\u{1b}[31mRED \\u{202e}DETCEJNI',
    );
    // The outputs were set before tagging.
    expect(run.outputs['connection-arn']).toBe(arn);
  });

  it('cuts a 300 KB AWS message in the failure and the summary', async ({ expect, onTestFinished }) => {
    const { run } = await refusedTagging({ onTestFinished }, 'x'.repeat(300_000));

    const failure = failureOf(expect, run);
    expect(failure).toContain('... (299500 more characters)');
    expect(failure.length).toBeLessThan(2_000);
    expect(run.summary.length).toBeLessThan(10_000);
  });

  it('sends tag text verbatim, and logs none of it as a command', async ({ expect, onTestFinished }) => {
    const { front, server } = await behindFront({ onTestFinished });
    server.seedConnection({ name: NAME, status: 'AVAILABLE' });
    const tags = {
      '::warning::INJECTED-key': '::add-mask::INJECTED',
      legacy: '##[error]INJECTED',
      newline: 'x\n::set-output name=connection-arn::INJECTED\r::warning::INJECTED',
      controls: `${RIGHT_TO_LEFT}INJECTED ${ESCAPE}[31mINJECTED`,
      ['🚀'.repeat(128)]: '<b>|INJECTED|</b> @org/team [x](https://evil.example)',
    };

    const run = await runBehind(front.url, { tags: JSON.stringify(tags) });

    expect(run.failure).toBeUndefined();
    expect(server.connections()[0]?.tags).toEqual(tags);
    expect(infoText(run)).toContain('Applied tags: "::warning::INJECTED-key=::add-mask::INJECTED"');
    expect(commandLike(run.lines.map((line) => line.text))).toEqual([]);
    expect(anyLineStartsACommand(run.summary)).toBe(false);
    expect([ESCAPE, RIGHT_TO_LEFT].filter((char) => `${infoText(run)}${run.summary}`.includes(char))).toEqual([]);
  });
});
