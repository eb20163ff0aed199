// The committed bundle, run as the runner runs it, against the local App Runner endpoint
// behind a hostile front: answers that are not App Runner's (a proxy's error page, a
// redirect, an empty 404, bodies cut off, flooding or not JSON), App Runner answers with
// malformed fields, AWS text built to start workflow commands, and waits whose status
// checks misbehave. Each run must end within 60 s plus the wait it asked for, with one
// clear error, no output made of a bad answer, and no workflow command it did not mean.

import { describe, it, type ExpectStatic, type TestContext } from 'vitest';

import { startLocalAppRunner, type LocalAppRunner } from '../../local/apprunner-endpoint.js';
import {
  type Answer,
  type HostileFront,
  type Misbehaviour,
  appRunnerOperation,
  startHostileFront,
} from '../support/hostile-front.js';
import { annotations, asRunnerShows, foreignCommandLines } from '../support/log-lines.js';
import { type ActionRun, runAction } from '../support/run-action.js';

const REGION = 'us-east-1';
const NAME = 'hostile-conn';
/** The contract: no run lasts longer than this plus the wait it asked for. */
const RUN_BOUND_MS = 60_000;
const ARN_OF = (name: string, id = '0123456789abcdef0123456789abcdef') =>
  `arn:aws:apprunner:${REGION}:123456789012:connection/${name}/${id}`;

interface Setup {
  readonly server: LocalAppRunner;
  readonly front: HostileFront;
}

async function behindFront(context: Pick<TestContext, 'onTestFinished'>): Promise<Setup> {
  const server = await startLocalAppRunner({ region: REGION });
  const front = await startHostileFront(server.url, appRunnerOperation);
  context.onTestFinished(async () => {
    await front.close();
    await server.close();
  });
  return { server, front };
}

function runBehind(front: HostileFront, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({
    inputs: { 'connection-name': NAME, ...inputs },
    env: { AWS_ENDPOINT_URL_APPRUNNER: front.url, AWS_REGION: REGION },
  });
}

/** The one error a failed run reports, after checking what every failed run must hold. */
function expectOneCleanFailure(expect: ExpectStatic, run: ActionRun, waitMs = 0): string {
  expect(run.exitCode, run.stdout + run.stderr).toBe(1);
  expect(run.durationMs).toBeLessThan(RUN_BOUND_MS + waitMs);
  const errors = annotations(run, 'error');
  expect(errors, run.stdout).toHaveLength(1);
  expect(foreignCommandLines(run)).toEqual([]);
  for (const text of [run.stdout, run.stderr, run.summary]) {
    expect(text).not.toContain('[object Object]');
    expect(text).not.toMatch(/TypeError|Cannot read properties/);
  }
  return asRunnerShows(errors[0] ?? '');
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
      says: /HTTP 502, text\/html, which is not an answer from App Runner/,
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
    '$what: fails once, with the HTTP status and what to check, and sets no output',
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

  it('a connection dropped before any answer, every time: says the endpoint did not answer', async ({
    expect,
    onTestFinished,
  }) => {
    const { front } = await behindFront({ onTestFinished });
    front.misbehave('ListConnections', { kind: 'reset' }, Infinity);

    const run = await runBehind(front);

    const error = expectOneCleanFailure(expect, run);
    expect(error).toMatch(/App Runner did not answer ListConnections \(ECONNRESET\) after 10 attempts/);
    expect(run.outputs).toEqual({});
  });

  it('a body trickled a byte every 2 s: the deadline ends the lookup, saying so', async ({
    expect,
    onTestFinished,
  }) => {
    const { front } = await behindFront({ onTestFinished });
    // {"ConnectionSummaryList":[]} at a byte every 2 s would take a minute; no timeout of a
    // single read fires, since bytes keep coming.
    front.misbehave('ListConnections', { kind: 'trickle', intervalMs: 2_000 }, Infinity);

    const run = await runBehind(front);

    const error = expectOneCleanFailure(expect, run);
    expect(error).toMatch(/App Runner did not complete ListConnections within 45 s, so the action gave up/);
    expect(run.outputs).toEqual({});
    console.log(`a trickled answer ended the step after ${run.durationMs} ms`);
  });

  it('a valid App Runner answer under another content type is still read', async ({ expect, onTestFinished }) => {
    const { front, server } = await behindFront({ onTestFinished });
    const arn = server.seedConnection({ name: NAME });
    front.misbehave('ListConnections', { kind: 'edit', edit: (answer) => withHeader(answer, 'text/plain') });

    const run = await runBehind(front);

    expect(run.exitCode, run.stdout).toBe(0);
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
      'ListConnections with $what: fails naming the field',
      async ({ edit, field }, { expect, onTestFinished }) => {
        const { front, server } = await behindFront({ onTestFinished });
        server.seedConnection({ name: NAME });
        front.misbehave('ListConnections', { kind: 'edit', edit }, Infinity);

        const run = await runBehind(front);

        const error = expectOneCleanFailure(expect, run);
        expect(error).toContain(`App Runner's answer to ListConnections was malformed: ${field}`);
        expect(error).toMatch(/The action set no output from it/);
        expect(run.outputs).toEqual({});
        expect(run.stdout).not.toMatch(/^::set-output/m);
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
      'CreateConnection answering with $what: fails naming the field',
      async ({ edit, field }, { expect, onTestFinished }) => {
        const { front } = await behindFront({ onTestFinished });
        front.misbehave('CreateConnection', { kind: 'edit', edit });

        const run = await runBehind(front);

        const error = expectOneCleanFailure(expect, run);
        expect(error).toContain(`App Runner's answer to CreateConnection was malformed: ${field}`);
        expect(run.outputs).toEqual({});
      },
    );

    it('ListTagsForResource with tags that are not a list: fails naming the field, the outputs of the valid lookup stay', async ({
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

    it('an endpoint that sends a new NextToken for ever is followed 20 pages, then refused', async ({
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
      expect(error).toContain(
        `App Runner's answer to ListConnections was malformed: NextToken is still set after 20 pages`,
      );
      expect(front.requests.filter((request) => request.key === 'ListConnections')).toHaveLength(20);
    });
  },
);

describe.concurrent('AWS text is inert in the log and cut to a sane length', () => {
  it('an AWS message built to start commands (::warning::, ::stop-commands::, ##[error]) starts none', async ({
    expect,
    onTestFinished,
  }) => {
    const { front, server } = await behindFront({ onTestFinished });
    server.seedConnection({ name: NAME, tags: { team: 'old' } });
    const message = 'refused\n::warning::INJECTED\n::stop-commands::token\n##[error]INJECTED\r::add-mask::x';
    server.injectFault({ operation: 'TagResource', type: 'InvalidRequestException', message });

    const run = await runBehind(front, { tags: 'team=new' });

    const error = expectOneCleanFailure(expect, run);
    expect(error).toContain('INJECTED');
    expect(error).not.toMatch(/[\r\n]/);
    expect(error).not.toContain('##[');
    expect(run.stdout).not.toMatch(/^\s*::(warning|stop-commands|add-mask)/m);
  });

  it('a 300 KB AWS message is cut in the annotation and the summary', async ({ expect, onTestFinished }) => {
    const { front, server } = await behindFront({ onTestFinished });
    server.seedConnection({ name: NAME, tags: { team: 'old' } });
    server.injectFault({ operation: 'TagResource', type: 'InvalidRequestException', message: 'x'.repeat(300_000) });

    const run = await runBehind(front, { tags: 'team=new' });

    const error = expectOneCleanFailure(expect, run);
    expect(error.length).toBeLessThan(2_000);
    expect(error).toMatch(/\.\.\. \(299500 more characters\)/);
    expect(run.summary.length).toBeLessThan(10_000);
  });

  it('control characters and bidi overrides in AWS text are shown, not obeyed', async ({ expect, onTestFinished }) => {
    const { front, server } = await behindFront({ onTestFinished });
    server.seedConnection({ name: NAME, tags: { team: 'old' } });
    server.injectFault({
      operation: 'TagResource',
      type: 'InvalidRequestException',
      message: 'red \u001b[31mALERT\u001b[0m rtl \u202eDETCEJNI',
    });

    const run = await runBehind(front, { tags: 'team=new' });

    const error = expectOneCleanFailure(expect, run);
    expect(error).toContain('\\u{1b}[31mALERT');
    expect(error).toContain('\\u{202e}DETCEJNI');
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stdout).not.toContain('\u202e');
  });
});

describe.concurrent(
  'waiting: one more look at the end, only AVAILABLE succeeds, and the outputs follow the live connection',
  () => {
    it.for([
      { wait: '3s', interval: '15s' },
      { wait: '2s', interval: '2s' },
    ])(
      'wait-for-handshake $wait with poll-interval $interval looks again at the end and sees AVAILABLE',
      async ({ wait, interval }, { expect, onTestFinished }) => {
        const { front, server } = await behindFront({ onTestFinished });
        server.seedConnection({ name: NAME });
        server.flipToAvailableAfter(NAME, 1);

        const run = await runBehind(front, { 'wait-for-handshake': wait, 'poll-interval': interval });

        expect(run.exitCode, run.stdout).toBe(0);
        expect(run.outputs['connection-status']).toBe('AVAILABLE');
        expect(server.count('ListConnections')).toBe(2);
        expect(run.durationMs).toBeLessThan(10_000);
      },
    );

    it.for([{ status: 'PENDING' }, { status: '' }, { status: 'READY' }])(
      'a status check answering "$status" fails the wait as malformed, never as success',
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

        const run = await runBehind(front, { 'wait-for-handshake': '2s', 'poll-interval': '1s' });

        const error = expectOneCleanFailure(expect, run, 2_000);
        expect(error).toContain(
          `App Runner's answer to ListConnections was malformed: ConnectionSummaryList[0].Status is "${status}"`,
        );
        // The outputs are those of the valid first answer, written before the wait.
        expect(run.outputs['connection-status']).toBe('PENDING_HANDSHAKE');
      },
    );

    it('a connection deleted and created again under the same name during the wait: the outputs name the live one', async ({
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

      const run = await runBehind(front, { 'wait-for-handshake': '2s', 'poll-interval': '1s' });

      expect(run.exitCode, run.stdout).toBe(0);
      expect(replacement).not.toBe(oldArn);
      expect(run.outputs['connection-arn']).toBe(replacement);
      expect(run.outputs['connection-status']).toBe('AVAILABLE');
      expect(run.outputs['created']).toBe('false');
      expect(run.stdout).toContain(`was replaced meanwhile; it is now ${replacement}`);
      // The summary shows the ARN (made inert); its id part passes through as it is.
      expect(run.summary).toContain(replacement.slice(-32));
    });

    it('a last status check that never answers ends the wait within its bound, saying so', async ({
      expect,
      onTestFinished,
    }) => {
      const { front, server } = await behindFront({ onTestFinished });
      server.seedConnection({ name: NAME });
      front.misbehave('ListConnections', { kind: 'edit', edit: (answer) => answer });
      front.misbehave('ListConnections', { kind: 'hang' }, Infinity);

      const run = await runBehind(front, { 'wait-for-handshake': '3s', 'poll-interval': '15s' });

      const error = expectOneCleanFailure(expect, run, 3_000);
      expect(error).toMatch(/still PENDING_HANDSHAKE after waiting 3s \(the last status check got no answer in time\)/);
      expect(run.outputs['connection-status']).toBe('PENDING_HANDSHAKE');
      console.log(`a wait of 3s whose last check hangs ended after ${run.durationMs} ms`);
    });
  },
);

function withHeader(answer: Answer, contentType: string): Answer {
  return { ...answer, headers: { ...answer.headers, 'content-type': contentType } };
}
