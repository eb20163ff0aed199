// The step in process, with the real SDK client, against the local App Runner endpoint behind a
// hostile front: answers that are not App Runner's (a proxy's error page, a redirect, an empty
// 404, bodies cut off, flooding, trickled or not JSON, dropped connections), App Runner answers
// with malformed fields, a NextToken that never ends, AWS text built to start workflow commands
// or far too long, and waits whose status checks misbehave. Each run ends within its bound
// (FAST_LIMITS, milliseconds) plus the wait it asked for, with one clear failure, no output made
// of a bad answer, and no line the runner would take as a command. What the real log shows is
// checked on the bundle for a few of these cases (e2e/hostile-app-runner.test.ts).

import { afterAll, beforeAll, describe, it, vi, type ExpectStatic, type TestContext } from 'vitest';

import { formatDuration } from '../../src/duration.js';
import { inertLine } from '../../src/inert.js';
import type { Settings } from '../../src/inputs.js';
import { PRODUCTION_LIMITS, formatBound } from '../../src/limits.js';
import { type Answer, type HostileFront, type Misbehaviour, appRunnerBehindFront } from '../support/hostile-front.js';
import { FAST_LIMITS, type InProcessRun, infoText, runInProcess } from '../support/in-process.js';
import { anyLineStartsACommand } from '../support/log-lines.js';

const REGION = 'us-east-1';
const NAME = 'hostile-conn';
/**
 * The contract: a run ends within 60 s plus the wait it asked for, its phases sharing the 55 s of
 * PRODUCTION_LIMITS.runBudgetMs. The same proportion of FAST_LIMITS' budget.
 */
const RUN_BOUND_MS = (FAST_LIMITS.runBudgetMs * 60_000) / PRODUCTION_LIMITS.runBudgetMs;
const LOOKUP = formatBound(FAST_LIMITS.lookupMs);
const ARN_OF = (name: string, id = '0123456789abcdef0123456789abcdef') =>
  `arn:aws:apprunner:${REGION}:123456789012:connection/${name}/${id}`;

// The SDK waits random x min(100 ms x 2^retry, 20 s) between attempts. With the jitter pinned low
// the ten attempts of a retried answer (a 502 page, a body cut off, a dropped connection) take
// milliseconds, so they end by running out of attempts, as in production, and not at FAST_LIMITS'
// lookup deadline. No case here depends on the jitter otherwise.
beforeAll(() => {
  vi.spyOn(Math, 'random').mockReturnValue(0.001);
});
afterAll(() => {
  vi.restoreAllMocks();
});

/** The local endpoint of REGION behind a hostile front, for one test. */
const behindFront = (context: Pick<TestContext, 'onTestFinished'>) => appRunnerBehindFront(context, REGION);

/** A run of NAME whose App Runner calls go to the front; `settings` set waits in milliseconds. */
function runBehind(
  front: HostileFront,
  inputs: Record<string, string> = {},
  settings: Partial<Settings> = {},
): Promise<InProcessRun> {
  return runInProcess({
    inputs: { 'connection-name': NAME, ...inputs },
    env: { AWS_ENDPOINT_URL_APPRUNNER: front.url, AWS_REGION: REGION },
    settings,
  });
}

/** What the step logs that the runner would take as a workflow command: `::` at a line's start, `##[` anywhere. */
const commandLikeLines = (run: InProcessRun): string[] =>
  run.lines.map((line) => line.text).filter((text) => /^\s*::/.test(text) || text.includes('##['));

/**
 * The one failure of a failed run, as the runner shows its error annotation (the shell passes it
 * through inertLine, src/log.ts), after checking what every failed run must hold.
 */
function expectOneCleanFailure(expect: ExpectStatic, run: InProcessRun, waitMs = 0): string {
  expect(run.failure, infoText(run)).toEqual(expect.any(String));
  const failure = run.failure ?? '';
  expect(run.durationMs).toBeLessThan(RUN_BOUND_MS + waitMs);
  // One line: the annotation cannot hold a second one that starts a command.
  expect(failure.split(/\r?\n|\r/)).toHaveLength(1);
  expect(anyLineStartsACommand(failure)).toBe(false);
  expect(run.warnings).toEqual([]);
  expect(commandLikeLines(run)).toEqual([]);
  expect(anyLineStartsACommand(run.summary)).toBe(false);
  for (const text of [failure, infoText(run), run.summary]) {
    expect(text).not.toContain('[object Object]');
    expect(text).not.toMatch(/TypeError|Cannot read properties/);
  }
  return inertLine(failure);
}

describe.concurrent('answers that are not App Runner’s say what happened and what to check', () => {
  const IMPOSTOR_ADVICE =
    /proxy or firewall in between \(https_proxy, no_proxy\), and that AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_APPRUNNER, if set, point at App Runner/;
  const FOREIGN: { what: string; behaviour: Misbehaviour; says: RegExp; advice?: RegExp }[] = [
    {
      what: 'a proxy’s 403 HTML page',
      behaviour: {
        kind: 'answer',
        status: 403,
        headers: { 'content-type': 'text/html' },
        body: '<html><body><h1>Access denied by policy</h1></body></html>',
      },
      says: /HTTP 403, text\/html, which is not an answer from App Runner/,
    },
    {
      what: 'a 404 with an empty body',
      behaviour: { kind: 'answer', status: 404 },
      says: /HTTP 404, which is not an answer from App Runner/,
    },
    {
      what: 'a 302 redirect to a login page',
      behaviour: { kind: 'answer', status: 302, headers: { location: 'https://login.example.test/sso?next=/' } },
      says: /HTTP 302 \(a redirect to https:\/\/login\.example\.test\/sso\?next=\/\), which is not an answer from App Runner/,
    },
    {
      what: 'a 200 whose body is not JSON',
      behaviour: { kind: 'answer', status: 200, headers: { 'content-type': 'text/plain' }, body: 'OK' },
      says: /HTTP 200, text\/plain, which is not an answer from App Runner/,
    },
    {
      what: 'a 502 HTML page from a gateway, retried as a server error',
      behaviour: {
        kind: 'answer',
        status: 502,
        headers: { 'content-type': 'text/html' },
        body: '<html>Bad Gateway</html>',
      },
      says: /HTTP 502, text\/html, which is not an answer from App Runner after 10 attempts/,
    },
    {
      what: 'an HTML page that claims to be App Runner JSON',
      behaviour: {
        kind: 'answer',
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: '<!doctype html><title>Sign in</title>',
      },
      says: /HTTP 200, application\/x-amz-json-1\.0, which is not an answer from App Runner/,
    },
    {
      what: 'a body cut off before its end',
      behaviour: { kind: 'truncate', bytes: 10 },
      says: /HTTP 200, application\/x-amz-json-1\.0, but the connection broke before the answer's end \(ECONNRESET\) after 10 attempts/,
      advice: /Check the network and any proxy between the runner and AWS/,
    },
    {
      what: 'a body of 64 MB without a length',
      behaviour: {
        kind: 'flood',
        bytes: 64 * 1024 * 1024,
        contentType: 'application/x-amz-json-1.0',
        declareLength: false,
      },
      says: /a body larger than App Runner ever sends, so the action stopped reading it/,
    },
    {
      what: 'a body that declares 4 GB',
      behaviour: {
        kind: 'flood',
        bytes: 4 * 1024 * 1024 * 1024,
        contentType: 'application/octet-stream',
        declareLength: true,
      },
      says: /HTTP 200, application\/octet-stream and a body larger than App Runner ever sends/,
    },
  ];

  it.for(FOREIGN)(
    'fails once on $what, with the HTTP status and what to check, and sets no output',
    async ({ behaviour, says, advice = IMPOSTOR_ADVICE }, { expect, onTestFinished }) => {
      const { front, server } = await behindFront({ onTestFinished });
      front.misbehave('ListConnections', behaviour, Infinity);

      const run = await runBehind(front);

      const error = expectOneCleanFailure(expect, run);
      expect(error).toMatch(says);
      expect(error).toMatch(advice);
      expect(error).not.toMatch(/Deserialization error|UnknownError|hidden field/);
      expect(run.outputs).toEqual({});
      expect(server.count('CreateConnection')).toBe(0);
    },
  );

  it('says the endpoint did not answer when every attempt’s connection drops before any answer', async ({
    expect,
    onTestFinished,
  }) => {
    const { front } = await behindFront({ onTestFinished });
    front.misbehave('ListConnections', { kind: 'reset' }, Infinity);

    const run = await runBehind(front);

    const error = expectOneCleanFailure(expect, run);
    expect(error).toMatch(/App Runner did not answer ListConnections \(ECONNRESET\) after 10 attempts/);
    expect(run.outputs).toEqual({});
    expect(front.requests.filter((request) => request.key === 'ListConnections')).toHaveLength(10);
  });

  it('ends the lookup at its deadline, saying so, when the answer is trickled a byte at a time', async ({
    expect,
    onTestFinished,
  }) => {
    const { front } = await behindFront({ onTestFinished });
    // {"ConnectionSummaryList":[]} at a byte every 100 ms takes about 3 s, twice the lookup
    // deadline; no timeout of a single read (FAST_LIMITS.requestTimeoutMs) fires, since bytes keep coming.
    const intervalMs = 100;
    expect(intervalMs * 3).toBeLessThan(FAST_LIMITS.requestTimeoutMs);
    expect(intervalMs * '{"ConnectionSummaryList":[]}'.length).toBeGreaterThan(FAST_LIMITS.lookupMs * 1.5);
    front.misbehave('ListConnections', { kind: 'trickle', intervalMs }, Infinity);

    const run = await runBehind(front);

    const error = expectOneCleanFailure(expect, run);
    expect(error).toMatch(
      new RegExp(`App Runner did not complete ListConnections within ${LOOKUP}, so the action gave up`),
    );
    expect(run.outputs).toEqual({});
    // The deadline ended it, on the first attempt.
    expect(run.durationMs).toBeGreaterThanOrEqual(FAST_LIMITS.lookupMs);
    expect(front.requests).toHaveLength(1);
  });

  it('still reads a valid App Runner answer sent under another content type', async ({ expect, onTestFinished }) => {
    const { front, server } = await behindFront({ onTestFinished });
    const arn = server.seedConnection({ name: NAME });
    front.misbehave('ListConnections', { kind: 'edit', edit: (answer) => withHeader(answer, 'text/plain') });

    const run = await runBehind(front);

    expect(run.failure).toBeUndefined();
    expect(run.outputs['connection-arn']).toBe(arn);
  });
});

describe.concurrent(
  'malformed App Runner answers fail naming the operation and the field, and never become outputs',
  () => {
    /** Edits the first connection summary of a ListConnections answer. */
    const firstSummary =
      (edit: (summary: Record<string, unknown>) => unknown) =>
      (answer: Answer): Answer => {
        const body = answer.body as { ConnectionSummaryList: Record<string, unknown>[] };
        const [first, ...rest] = body.ConnectionSummaryList;
        return { ...answer, body: { ...body, ConnectionSummaryList: [edit({ ...first }), ...rest] } };
      };
    const without = (field: string) => (summary: Record<string, unknown>) => {
      delete summary[field];
      return summary;
    };
    const withField = (field: string, value: unknown) => (summary: Record<string, unknown>) => ({
      ...summary,
      [field]: value,
    });

    const LISTED = [
      {
        what: 'an entry without an ARN',
        edit: firstSummary(without('ConnectionArn')),
        field: 'ConnectionSummaryList[0].ConnectionArn is missing',
      },
      {
        what: 'an ARN that is an object',
        edit: firstSummary(withField('ConnectionArn', { arn: 'x' })),
        field: 'ConnectionSummaryList[0].ConnectionArn is {"arn":"x"}',
      },
      {
        what: 'an ARN of another region',
        edit: firstSummary(withField('ConnectionArn', ARN_OF(NAME).replace(REGION, 'eu-west-1'))),
        field: 'ConnectionSummaryList[0].ConnectionArn',
      },
      {
        what: 'an ARN of another connection',
        edit: firstSummary(withField('ConnectionArn', ARN_OF('other-conn'))),
        field: 'ConnectionSummaryList[0].ConnectionArn',
      },
      {
        what: 'an ARN that carries a workflow command',
        edit: firstSummary(withField('ConnectionArn', `${ARN_OF(NAME)}\n::warning::INJECTED`)),
        field: 'ConnectionSummaryList[0].ConnectionArn',
      },
      {
        what: 'an entry without a status',
        edit: firstSummary(without('Status')),
        field: 'ConnectionSummaryList[0].Status is missing',
      },
      {
        what: 'a status App Runner does not have',
        edit: firstSummary(withField('Status', 'PENDING')),
        field: 'ConnectionSummaryList[0].Status is "PENDING"',
      },
      {
        what: 'an empty status',
        edit: firstSummary(withField('Status', '')),
        field: 'ConnectionSummaryList[0].Status is ""',
      },
      {
        what: 'a status that carries a workflow command',
        edit: firstSummary(withField('Status', 'AVAILABLE\n::set-output name=connection-arn::INJECTED')),
        field: 'ConnectionSummaryList[0].Status',
      },
      {
        what: 'a provider App Runner does not have',
        edit: firstSummary(withField('ProviderType', 'GITLAB')),
        field: 'ConnectionSummaryList[0].ProviderType is "GITLAB"',
      },
      {
        what: 'a null entry',
        edit: firstSummary(() => null),
        field: 'ConnectionSummaryList[0] is null, not an object',
      },
      {
        what: 'a name that is an object',
        edit: firstSummary(withField('ConnectionName', { name: NAME })),
        field: 'ConnectionSummaryList[0].ConnectionName is {"name":"hostile-conn"}',
      },
      {
        what: 'no list at all',
        edit: (answer: Answer) => ({ ...answer, body: {} }),
        field: 'ConnectionSummaryList is missing',
      },
      {
        what: 'a NextToken that is a number',
        edit: (answer: Answer) => ({ ...answer, body: { ConnectionSummaryList: [], NextToken: 7 } }),
        field: 'NextToken is 7',
      },
    ];

    it.for(LISTED)(
      'fails naming the field when ListConnections answers with $what',
      async ({ edit, field }, { expect, onTestFinished }) => {
        const { front, server } = await behindFront({ onTestFinished });
        server.seedConnection({ name: NAME });
        front.misbehave('ListConnections', { kind: 'edit', edit }, Infinity);

        const run = await runBehind(front);

        const error = expectOneCleanFailure(expect, run);
        expect(error).toContain(`App Runner's answer to ListConnections was malformed: ${field}`);
        expect(error).toMatch(/The action set no output from it/);
        expect(run.outputs).toEqual({});
        expect(run.outputsSet).toEqual([]);
      },
    );

    const created =
      (edit: (connection: Record<string, unknown>) => unknown) =>
      (answer: Answer): Answer => {
        const body = answer.body as { Connection: Record<string, unknown> };
        return { ...answer, body: { Connection: edit({ ...body.Connection }) } };
      };

    const CREATED = [
      { what: 'no connection', edit: (answer: Answer) => ({ ...answer, body: {} }), field: 'Connection is missing' },
      {
        what: 'another connection',
        edit: created(withField('ConnectionName', 'someone-else')),
        field: 'Connection.ConnectionName is "someone-else", not the requested hostile-conn',
      },
      {
        what: 'a connection without an ARN',
        edit: created(without('ConnectionArn')),
        field: 'Connection.ConnectionArn is missing',
      },
      {
        what: 'another provider than asked for',
        edit: created(withField('ProviderType', 'BITBUCKET')),
        field: 'Connection.ProviderType is BITBUCKET, not the GITHUB that was asked for',
      },
    ];

    it.for(CREATED)(
      'fails naming the field when CreateConnection answers with $what',
      async ({ edit, field }, { expect, onTestFinished }) => {
        const { front, server } = await behindFront({ onTestFinished });
        front.misbehave('CreateConnection', { kind: 'edit', edit });

        const run = await runBehind(front);

        const error = expectOneCleanFailure(expect, run);
        expect(error).toContain(`App Runner's answer to CreateConnection was malformed: ${field}`);
        expect(run.outputs).toEqual({});
        expect(server.count('CreateConnection')).toBe(1);
      },
    );

    it('fails naming the field when ListTagsForResource answers with tags that are not a list, the outputs of the valid lookup kept', async ({
      expect,
      onTestFinished,
    }) => {
      const { front, server } = await behindFront({ onTestFinished });
      const arn = server.seedConnection({ name: NAME, tags: { team: 'old' } });
      front.misbehave('ListTagsForResource', {
        kind: 'edit',
        edit: (answer) => ({ ...answer, body: { Tags: 'team=old' } }),
      });

      const run = await runBehind(front, { tags: 'team=new' });

      const error = expectOneCleanFailure(expect, run);
      expect(error).toContain(
        `App Runner's answer to ListTagsForResource was malformed: Tags is "team=old", not a list`,
      );
      expect(run.outputs['connection-arn']).toBe(arn);
      expect(server.count('TagResource')).toBe(0);
    });

    it(`follows an endpoint that sends a new NextToken for ever ${FAST_LIMITS.maxListPages} pages (maxListPages), then refuses it`, async ({
      expect,
      onTestFinished,
    }) => {
      const { front } = await behindFront({ onTestFinished });
      let page = 0;
      front.misbehave(
        'ListConnections',
        {
          kind: 'edit',
          edit: (answer) => ({
            ...answer,
            status: 200,
            body: { ConnectionSummaryList: [], NextToken: `page-${++page}` },
          }),
        },
        Infinity,
      );

      const run = await runBehind(front);

      const error = expectOneCleanFailure(expect, run);
      expect(FAST_LIMITS.maxListPages).toBe(PRODUCTION_LIMITS.maxListPages);
      expect(error).toContain(
        `App Runner's answer to ListConnections was malformed: NextToken is still set after ${FAST_LIMITS.maxListPages} pages`,
      );
      expect(front.requests.filter((request) => request.key === 'ListConnections')).toHaveLength(
        FAST_LIMITS.maxListPages,
      );
      expect(run.outputs).toEqual({});
    });
  },
);

describe.concurrent('AWS text is inert in the log and cut to a sane length', () => {
  /** A reused connection whose TagResource App Runner refuses with `message`. */
  async function refusedTagging(context: Pick<TestContext, 'onTestFinished'>, message: string) {
    const { front, server } = await behindFront(context);
    server.seedConnection({ name: NAME, tags: { team: 'old' } });
    server.injectFault({ operation: 'TagResource', type: 'InvalidRequestException', message });
    return runBehind(front, { tags: 'team=new' });
  }

  it('starts no command with an AWS message built to start them (::warning::, ::stop-commands::, ##[error])', async ({
    expect,
    onTestFinished,
  }) => {
    const message = 'refused\n::warning::INJECTED\n::stop-commands::token\n##[error]INJECTED\r::add-mask::x';

    const run = await refusedTagging({ onTestFinished }, message);

    const error = expectOneCleanFailure(expect, run);
    expect(error).toContain('INJECTED');
    expect(error).not.toMatch(/[\r\n]/);
    expect(error).not.toContain('##[');
    expect(infoText(run)).not.toMatch(/^\s*::(warning|stop-commands|add-mask)/m);
  });

  it('cuts a 300 KB AWS message in the failure and the summary', async ({ expect, onTestFinished }) => {
    const run = await refusedTagging({ onTestFinished }, 'x'.repeat(300_000));

    const error = expectOneCleanFailure(expect, run);
    expect(error.length).toBeLessThan(2_000);
    expect(error).toMatch(/\.\.\. \(299500 more characters\)/);
    expect(run.summary.length).toBeLessThan(10_000);
    expect(run.summaryShown).toContain('299500 more characters');
  });

  it('shows control characters and bidi overrides in AWS text, and obeys none', async ({ expect, onTestFinished }) => {
    const run = await refusedTagging({ onTestFinished }, 'red \u001b[31mALERT\u001b[0m rtl \u202eDETCEJNI');

    const error = expectOneCleanFailure(expect, run);
    expect(error).toContain('\\u{1b}[31mALERT');
    expect(error).toContain('\\u{202e}DETCEJNI');
    for (const text of [error, infoText(run), run.summary]) {
      expect(text).not.toContain('\u001b');
      expect(text).not.toContain('\u202e');
    }
  });
});

describe.concurrent(
  'waiting: one more look at the end, only AVAILABLE succeeds, and the outputs follow the live connection',
  () => {
    it.for([
      { waitForHandshakeMs: 300, pollIntervalMs: 5_000 },
      { waitForHandshakeMs: 300, pollIntervalMs: 300 },
    ])(
      'looks again at the end of a $waitForHandshakeMs ms wait with a poll interval of $pollIntervalMs ms, and sees AVAILABLE',
      async (wait, { expect, onTestFinished }) => {
        const { front, server } = await behindFront({ onTestFinished });
        server.seedConnection({ name: NAME });
        server.flipToAvailableAfter(NAME, 1);

        const run = await runBehind(front, {}, wait);

        expect(run.failure, infoText(run)).toBeUndefined();
        expect(run.outputs['connection-status']).toBe('AVAILABLE');
        expect(server.count('ListConnections')).toBe(2);
        // It waited the wait out, and no longer: not a poll interval past it.
        expect(run.durationMs).toBeGreaterThanOrEqual(wait.waitForHandshakeMs);
        expect(run.durationMs).toBeLessThan(RUN_BOUND_MS + wait.waitForHandshakeMs);
        if (wait.pollIntervalMs > wait.waitForHandshakeMs) expect(run.durationMs).toBeLessThan(wait.pollIntervalMs);
      },
    );

    const WAIT = { waitForHandshakeMs: 400, pollIntervalMs: 100 };

    it.for([{ status: 'PENDING' }, { status: '' }, { status: 'READY' }])(
      'fails the wait as malformed, never as success, when a status check answers "$status"',
      async ({ status }, { expect, onTestFinished }) => {
        const { front, server } = await behindFront({ onTestFinished });
        server.seedConnection({ name: NAME });
        front.misbehave('ListConnections', { kind: 'edit', edit: (answer) => answer });
        front.misbehave(
          'ListConnections',
          {
            kind: 'edit',
            edit: (answer) => {
              const body = answer.body as { ConnectionSummaryList: Record<string, unknown>[] };
              return {
                ...answer,
                body: { ConnectionSummaryList: body.ConnectionSummaryList.map((c) => ({ ...c, Status: status })) },
              };
            },
          },
          Infinity,
        );

        const run = await runBehind(front, {}, WAIT);

        const error = expectOneCleanFailure(expect, run, WAIT.waitForHandshakeMs);
        expect(error).toContain(
          `App Runner's answer to ListConnections was malformed: ConnectionSummaryList[0].Status is "${status}"`,
        );
        // The outputs are those of the valid first answer, written before the wait.
        expect(run.outputs['connection-status']).toBe('PENDING_HANDSHAKE');
        expect(run.outputsSet.filter((output) => output.name === 'connection-status')).toHaveLength(1);
      },
    );

    it('names the live connection in the outputs when it is deleted and created again under the same name during the wait', async ({
      expect,
      onTestFinished,
    }) => {
      const { front, server } = await behindFront({ onTestFinished });
      const oldArn = server.seedConnection({ name: NAME });
      let replacement = '';
      front.misbehave('ListConnections', {
        kind: 'edit',
        edit: (answer) => {
          // Right after the lookup: the connection is deleted, and another run creates it again.
          server.setStatus(NAME, 'DELETED');
          replacement = server.seedConnection({ name: NAME, status: 'AVAILABLE' });
          return answer;
        },
      });

      const run = await runBehind(front, {}, { waitForHandshakeMs: 1_000, pollIntervalMs: 100 });

      expect(run.failure, infoText(run)).toBeUndefined();
      expect(replacement).not.toBe(oldArn);
      expect(run.outputs['connection-arn']).toBe(replacement);
      expect(run.outputs['connection-status']).toBe('AVAILABLE');
      expect(run.outputs['created']).toBe('false');
      expect(infoText(run)).toContain(`was replaced meanwhile; it is now ${replacement}`);
      // The summary shows the ARN (made inert); its id part passes through as it is.
      expect(run.summary).toContain(replacement.slice(-32));
      expect(commandLikeLines(run)).toEqual([]);
    });

    it('ends the wait within its bound, saying so, when the last status check never answers', async ({
      expect,
      onTestFinished,
    }) => {
      const { front, server } = await behindFront({ onTestFinished });
      server.seedConnection({ name: NAME });
      front.misbehave('ListConnections', { kind: 'edit', edit: (answer) => answer });
      front.misbehave('ListConnections', { kind: 'hang' }, Infinity);
      // A poll interval longer than the wait: the one status check of the wait is its last.
      const wait = { waitForHandshakeMs: 300, pollIntervalMs: 5_000 };

      const run = await runBehind(front, {}, wait);

      const error = expectOneCleanFailure(expect, run, wait.waitForHandshakeMs);
      expect(error).toContain(
        `still PENDING_HANDSHAKE after waiting ${formatDuration(wait.waitForHandshakeMs)} (the last status check got no answer in time)`,
      );
      expect(run.outputs['connection-status']).toBe('PENDING_HANDSHAKE');
      // The last check had its bound (FAST_LIMITS.lastCheckMs), and the wait ended with it.
      expect(run.durationMs).toBeGreaterThanOrEqual(wait.waitForHandshakeMs + FAST_LIMITS.lastCheckMs);
      expect(front.requests.filter((request) => request.key === 'ListConnections')).toHaveLength(2);
    });
  },
);

function withHeader(answer: Answer, contentType: string): Answer {
  return { ...answer, headers: { ...answer.headers, 'content-type': contentType } };
}
