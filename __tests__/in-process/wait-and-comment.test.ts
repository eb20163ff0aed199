// Behaviours 6, 12 and 14 in process (issue 25, items 1-2): the pull-request comment is there before the step tags
// and waits and is updated when the run ends; the wait, with the outputs following the connection; credentials that
// end before the wait. One test after another against the local App Runner endpoint and fake GitHub; what a person
// or AWS does meanwhile happens through `meanwhile`, just before a chosen App Runner call of the step.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';

import { startLocalAppRunner, type LocalAppRunner } from '../../local/apprunner-endpoint.js';
import { type AppRunnerSession, type ClientOptions, createAppRunner } from '../../src/aws-client.js';
import { handshakeUrl } from '../../src/model.js';
import type { CommentRequest } from '../../src/pull-request.js';
import { commentMarker } from '../../src/render.js';
import { type FakeComment, type FakeGitHub, startFakeGitHub } from '../support/fake-github.js';
import { type InProcessOptions, type InProcessRun, infoText, runInProcess } from '../support/in-process.js';

const REGION = 'us-east-1';
const HANDSHAKE_URL = handshakeUrl(REGION);
const TOKEN = 'ghs_inProcessSecretToken0123456789abcdefXYZ';
const PR = 7;
const COMMENT = { 'comment-on-pr': 'true' };
/** A wait the test never waits out: a run that did would take 20 s. */
const LONG_WAIT = { waitForHandshakeMs: 20_000, pollIntervalMs: 50 } as const;
/** A wait that runs out in the test. */
const SHORT_WAIT = { waitForHandshakeMs: 300, pollIntervalMs: 50 } as const;
const EXPIRED = { operation: 'ListConnections', type: 'ExpiredTokenException', status: 400 } as const;

let appRunner: LocalAppRunner;
let github: FakeGitHub;
let eventDir: string;
beforeAll(async () => {
  [appRunner, github] = await Promise.all([startLocalAppRunner({ region: REGION }), startFakeGitHub()]);
  eventDir = mkdtempSync(join(tmpdir(), 'wait-and-comment-'));
});
afterAll(async () => {
  await Promise.all([appRunner.close(), github.close()]);
  rmSync(eventDir, { recursive: true, force: true });
});
beforeEach(() => {
  appRunner.reset();
  github.reset();
});

/** The environment of a workflow run on `event` (a pull request by default) whose comment goes to the fake. */
function eventEnv(event = 'pull_request', payload: object = { pull_request: { number: PR } }) {
  const path = join(eventDir, `${event}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(payload));
  return {
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: path,
    GITHUB_REPOSITORY: 'owner/repo',
    GITHUB_API_URL: github.url,
  };
}

type Call = 'findConnection' | 'tagResource';
/** The step's client, with `act(call, n)` just before its n-th call of a kind (findConnection 2: the first check). */
function meanwhile(act: (call: Call, n: number) => void): InProcessOptions['dependencies'] {
  return {
    createClient: (options: ClientOptions): AppRunnerSession => {
      const session = createAppRunner(options);
      const counts = { findConnection: 0, tagResource: 0 };
      const before = (call: Call) => act(call, (counts[call] += 1));
      return {
        ...session,
        findConnection: (...args) => (before('findConnection'), session.findConnection(...args)),
        tagResource: (...args) => (before('tagResource'), session.tagResource(...args)),
      };
    },
  };
}

/** A run of `name` on a pull request with comment-on-pr, against the local endpoint and the fake GitHub. */
function run(name: string, options: InProcessOptions = {}): Promise<InProcessRun> {
  return runInProcess({
    ...options,
    inputs: { 'connection-name': name, region: REGION, 'github-token': TOKEN, ...COMMENT, ...options.inputs },
    env: { AWS_ENDPOINT_URL_APPRUNNER: appRunner.url, ...eventEnv(), ...options.env },
  });
}

/** The comments on the pull request that carry this connection's marker. */
const commentsOf = (name: string) => github.comments(PR).filter((c) => c.body.includes(commentMarker(name)));
/** The values an output was set to, in order: a wait sets them again when the connection changes. */
const valuesSet = (result: InProcessRun, name = 'connection-status') =>
  result.outputsSet.filter((output) => output.name === name).map((output) => output.value);
const statusLines = (result: InProcessRun, name: string) =>
  result.lines.filter((line) => line.text.startsWith(`Status of ${name} after `)).map((line) => line.text);

describe('the comment is on the pull request before tagging and waiting, and the same comment is updated at the end', () => {
  it('names the handshake before TagResource and the first status check, then says AVAILABLE in the same comment', async () => {
    appRunner.seedConnection({ name: 'early-comment', tags: { team: 'api' } });
    appRunner.flipToAvailableAfter('early-comment', 2);
    const seen: Partial<Record<Call, FakeComment[]>> = {};

    const result = await run('early-comment', {
      inputs: { tags: 'team=web' },
      settings: LONG_WAIT,
      dependencies: meanwhile((call, n) => {
        if (call === 'tagResource' || n === 2) seen[call] ??= commentsOf('early-comment');
      }),
    });

    expect(result.failure).toBeUndefined();
    expect(valuesSet(result)).toEqual(['PENDING_HANDSHAKE', 'AVAILABLE']);
    for (const call of ['tagResource', 'findConnection'] as const) {
      const [early, ...more] = seen[call] ?? [];
      expect(more, call).toEqual([]);
      expect(early?.body, call).toContain('Finish the handshake');
      expect(early?.body, call).toContain(HANDSHAKE_URL);
      expect(early?.body, call).toContain('this workflow, waiting up to 20s, carries on');
    }
    const [final, ...more] = commentsOf('early-comment');
    expect([final?.id, ...more]).toEqual([seen.tagResource?.[0]?.id]);
    expect(final?.body).toContain('AVAILABLE');
    expect(final?.body).not.toContain('Finish the handshake');
    // Updated by the id the run holds: no second search.
    expect(github.requests.map((request) => request.method)).toEqual(['GET', 'POST', 'PATCH']);
    expect(github.requests.every((request) => request.authorization === `token ${TOKEN}`)).toBe(true);
    expect(infoText(result)).toMatch(/Pull request #7: comment created\.[^]*Pull request #7: comment updated\./);
    expect(JSON.stringify([result.lines, result.summary, github.comments(PR)])).not.toContain(TOKEN);
  });

  it('still names the handshake in the final comment when the wait runs out, and fails with the link', async () => {
    const arn = appRunner.seedConnection({ name: 'wait-runs-out' });
    const checkedAt: number[] = [];

    const result = await run('wait-runs-out', {
      settings: SHORT_WAIT,
      dependencies: meanwhile((call, n) => n > 1 && checkedAt.push(Date.now())),
    });

    expect(result.failure).toBe(
      `Connection wait-runs-out is still PENDING_HANDSHAKE after waiting 300ms. ` +
        `Complete the handshake at ${HANDSHAKE_URL} and re-run the job.`,
    );
    expect(result.outputs).toMatchObject({ 'connection-arn': arn, 'connection-status': 'PENDING_HANDSHAKE' });
    expect(valuesSet(result)).toEqual(['PENDING_HANDSHAKE']);
    // A status check at the end of the wait, not only before it (timers may round a millisecond down).
    const { startedAt = 0 } = result.report.waited ?? {};
    expect(checkedAt.at(-1)).toBeGreaterThanOrEqual(startedAt + SHORT_WAIT.waitForHandshakeMs - 2);
    expect(statusLines(result, 'wait-runs-out')).toHaveLength(checkedAt.length);
    const [comment, ...more] = commentsOf('wait-runs-out');
    expect(more).toEqual([]);
    expect(comment?.body).toContain('Finish the handshake');
    expect(comment?.body).toContain('after waiting 300ms');
    expect(github.requests.map((request) => request.method)).toEqual(['GET', 'POST', 'PATCH']);
  });

  it('says ERROR in the same comment when the connection turns ERROR during the wait, and fails at once', async () => {
    const arn = appRunner.seedConnection({ name: 'turns-error' });

    const result = await run('turns-error', {
      settings: LONG_WAIT,
      dependencies: meanwhile((call, n) => n === 3 && appRunner.setStatus('turns-error', 'ERROR')),
    });

    expect(result.failure).toMatch(/^Connection turns-error is in status ERROR and cannot be used/);
    expect(result.outputs).toMatchObject({ 'connection-arn': arn, 'connection-status': 'ERROR' });
    expect(valuesSet(result)).toEqual(['PENDING_HANDSHAKE', 'ERROR']);
    expect(statusLines(result, 'turns-error').at(-1)).toMatch(/: ERROR$/);
    expect(result.durationMs).toBeLessThan(LONG_WAIT.waitForHandshakeMs);
    const [comment, ...more] = commentsOf('turns-error');
    expect(more).toEqual([]);
    expect(comment?.body).toContain('Recover the connection');
    expect(comment?.body).not.toContain('Finish the handshake');
  });

  it('updates the comment found by its marker with the failure when a later run fails before the connection is known', async () => {
    appRunner.seedConnection({ name: 'fails-later' });
    await run('fails-later');
    const [first] = commentsOf('fails-later');
    appRunner.denyOperation('ListConnections');

    const result = await run('fails-later');

    expect(result.failure).toMatch(/^Access denied: the AWS identity is not allowed apprunner:ListConnections\./);
    expect(result.outputsSet).toEqual([]);
    const [comment, ...more] = commentsOf('fails-later');
    expect(more).toEqual([]);
    expect(comment?.id).toBe(first?.id);
    expect(github.requests.map((request) => request.method)).toEqual(['GET', 'POST', 'GET', 'PATCH']);
    expect(comment?.body).toContain('The step failed.');
  });
});

describe('the comment goes to the pull request of the event, and only there', () => {
  it('posts to GITHUB_API_URL (else api.github.com), also on pull_request_target, the repository from the event if need be', async () => {
    appRunner.seedConnection({ name: 'api-url', status: 'AVAILABLE' });
    const posted: CommentRequest[] = [];
    const postComment = async (request: CommentRequest) => (posted.push(request), { id: 1, done: 'created' as const });
    const target = { pull_request: { number: 8 }, repository: { name: 'fork', owner: { login: 'other' } } };
    const env = { ...eventEnv('pull_request_target', target), GITHUB_API_URL: undefined, GITHUB_REPOSITORY: undefined };

    await run('api-url', { env: { GITHUB_API_URL: 'http://127.0.0.1:1/api/v3' }, dependencies: { postComment } });
    await run('api-url', { env, dependencies: { postComment } });

    expect(posted).toMatchObject([
      { apiUrl: 'http://127.0.0.1:1/api/v3', owner: 'owner', repo: 'repo', pullNumber: PR, token: TOKEN },
      { apiUrl: 'https://api.github.com', owner: 'other', repo: 'fork', pullNumber: 8, token: TOKEN },
    ]);
  });

  it.for([
    { what: 'on a push event', event: 'push', payload: {}, debug: 'comment-on-pr is ignored on push event.' },
    {
      what: 'on a pull_request event without a number',
      event: 'pull_request',
      payload: { pull_request: {} },
      debug: 'comment-on-pr is ignored on pull_request event.',
    },
    { what: 'without comment-on-pr', event: 'pull_request', payload: { pull_request: { number: PR } }, off: true },
  ])('sends nothing to GitHub $what, and says why in the debug log if asked to comment', async (c) => {
    appRunner.seedConnection({ name: 'no-comment' });

    const result = await run('no-comment', {
      inputs: c.off ? { 'comment-on-pr': 'false' } : {},
      env: eventEnv(c.event, c.payload),
    });

    expect(result.failure).toBeUndefined();
    expect(github.requests).toEqual([]);
    const debug = result.lines.filter((line) => line.kind === 'debug').map((line) => line.text);
    expect(debug).toEqual(c.debug ? [c.debug] : []);
  });
});

describe('while waiting, the outputs follow the connection, and a wait ends on what App Runner says', () => {
  it('ends the wait at the check that sees DELETED, saying to re-run', async () => {
    appRunner.seedConnection({ name: 'deleted-meanwhile' });

    const result = await run('deleted-meanwhile', {
      settings: LONG_WAIT,
      dependencies: meanwhile((call, n) => n === 2 && appRunner.setStatus('deleted-meanwhile', 'DELETED')),
    });

    expect(result.failure).toBe(
      'Connection deleted-meanwhile is DELETED: it was deleted while the action waited for its handshake. ' +
        'Re-run the workflow to create it again.',
    );
    expect(valuesSet(result)).toEqual(['PENDING_HANDSHAKE', 'DELETED']);
    expect(result.durationMs).toBeLessThan(LONG_WAIT.waitForHandshakeMs);
  });

  it('follows a connection deleted and created again under the same name: its ARN, and created=false', async () => {
    const act = (n: number) => {
      if (n === 2) appRunner.setStatus('re-created', 'DELETED');
      if (n === 2) appRunner.seedConnection({ name: 're-created' });
      if (n === 3) appRunner.setStatus('re-created', 'AVAILABLE');
    };

    const result = await run('re-created', { settings: LONG_WAIT, dependencies: meanwhile((call, n) => act(n)) });

    expect(result.failure).toBeUndefined();
    const [created, replacement] = appRunner.connections().map((connection) => connection.arn);
    expect([...new Set(valuesSet(result, 'connection-arn'))]).toEqual([created, replacement]);
    expect([...new Set(valuesSet(result, 'created'))]).toEqual(['true', 'false']);
    expect(result.outputs).toMatchObject({
      'connection-arn': replacement,
      created: 'false',
      'connection-status': 'AVAILABLE',
    });
    expect(infoText(result)).toContain(`Connection re-created was replaced meanwhile; it is now ${replacement}`);
  });

  it('ends at the wait plus the last check bound when a status check never gets an answer', async () => {
    appRunner.seedConnection({ name: 'last-check-hangs' });
    const limits = { lastCheckMs: 1_000 };
    const hang = () => appRunner.injectFault({ operation: 'ListConnections', hang: true, times: Infinity });

    const result = await run('last-check-hangs', {
      settings: SHORT_WAIT,
      limits,
      dependencies: meanwhile((call, n) => n === 2 && hang()),
    });

    expect(result.failure).toMatch(
      /^Connection last-check-hangs is still PENDING_HANDSHAKE after waiting 300ms \(the last status check got no answer in time\)/,
    );
    expect(result.durationMs).toBeGreaterThanOrEqual(SHORT_WAIT.waitForHandshakeMs + limits.lastCheckMs);
    expect(result.durationMs).toBeLessThan(SHORT_WAIT.waitForHandshakeMs + limits.lastCheckMs + 8_000);
    expect(result.outputs['connection-status']).toBe('PENDING_HANDSHAKE');
  });

  it.for([
    { what: 'in a dry run', status: 'PENDING_HANDSHAKE', dryRun: 'true' },
    { what: 'for a connection already AVAILABLE', status: 'AVAILABLE', dryRun: 'false' },
  ] as const)('checks no status $what, however long the wait', async ({ status, dryRun }) => {
    appRunner.seedConnection({ name: 'no-wait', status });

    const result = await run('no-wait', { inputs: { 'dry-run': dryRun }, settings: LONG_WAIT });

    expect(result.failure).toBeUndefined();
    expect(appRunner.count()).toBe(1);
    expect(infoText(result)).not.toContain('Waiting up to');
  });
});

describe('credentials that end before the wait does', () => {
  it('says the credentials expired after N of waiting, still pending, and re-running resumes', async () => {
    const arn = appRunner.seedConnection({ name: 'expires-mid-wait' });

    const result = await run('expires-mid-wait', {
      settings: LONG_WAIT,
      dependencies: meanwhile((call, n) => n === 3 && appRunner.injectFault(EXPIRED)),
    });

    expect(result.failure).toMatch(
      /^The AWS credentials expired after \d+m?s of waiting for the handshake of expires-mid-wait, which is still PENDING_HANDSHAKE\. .*re-running the job resumes.* role-duration-seconds/,
    );
    expect(result.outputs).toMatchObject({ 'connection-arn': arn, 'connection-status': 'PENDING_HANDSHAKE' });
    // Not retried, and well before the wait is over.
    expect(appRunner.count('ListConnections')).toBe(3);
    expect(result.durationMs).toBeLessThan(LONG_WAIT.waitForHandshakeMs);
    expect(commentsOf('expires-mid-wait')).toEqual([
      expect.objectContaining({ body: expect.stringContaining('expired after') }),
    ]);
  });

  it.for(['ExpiredTokenException', 'com.amazon.coral.service#ExpiredTokenException', 'ExpiredToken'])(
    'says the credentials had expired before this step when the first call gets %s',
    async (type) => {
      appRunner.injectFault({ ...EXPIRED, type });

      const result = await run('expired-before');

      expect(result.failure).toBe(
        'The AWS credentials had expired before this step (App Runner refused ListConnections with ExpiredToken). ' +
          'Run aws-actions/configure-aws-credentials in this job shortly before this step, then re-run the job.',
      );
      expect(appRunner.count()).toBe(1);
    },
  );

  it('warns before waiting when AWS_CREDENTIAL_EXPIRATION comes first, and ends the wait cleanly before it', async () => {
    appRunner.seedConnection({ name: 'expiry-known' });
    // Expiry in 3 s, less a margin of 1 s: the wait of 20 s stops after about 2 s.
    const limits = { credentialMarginMs: 1_000 };
    const expiry = new Date(Date.now() + 3_000);

    vi.stubEnv('AWS_CREDENTIAL_EXPIRATION', expiry.toISOString()); // read by the SDK, as on a runner
    onTestFinished(() => void vi.unstubAllEnvs());
    const result = await run('expiry-known', { settings: LONG_WAIT, limits });

    const texts = result.lines.map((line) => line.text);
    const warning = texts.findIndex((text) =>
      text.startsWith(
        `The AWS credentials expire at ${expiry.toISOString()}, before the 20s of wait-for-handshake are over: the wait will stop just before then.`,
      ),
    );
    expect(result.warnings).toHaveLength(1);
    expect(warning).toBeGreaterThan(-1);
    expect(warning).toBeLessThan(texts.findIndex((text) => text.startsWith('Waiting up to 20s')));
    expect(result.failure).toMatch(
      /^Connection expiry-known is still PENDING_HANDSHAKE after \d+m?s of waiting: the action stopped before its AWS credentials expire\. Complete the handshake at /,
    );
    const stopAt = expiry.getTime() - limits.credentialMarginMs;
    expect(result.report.waited?.endedAt).toBeGreaterThanOrEqual(stopAt - 2);
    expect(result.report.waited?.endedAt).toBeLessThan(stopAt + 5_000);
    expect(appRunner.calls.every((call) => call.status === 200)).toBe(true);
  });
});
