// Behaviour 14 against a hostile GitHub (the fake behind support/hostile-front.ts: refusals, broken, huge, trickled,
// hanging or endless responses): the comment is a courtesy, so the step passes with a warning, its outputs and
// summary intact, within the comment's bound, and never with two comments.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, it, type TestContext } from 'vitest';

import { startLocalAppRunner, type LocalAppRunner } from '../../local/apprunner-endpoint.js';
import type { Limits } from '../../src/model.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { type HostileFront, type Misbehaviour, githubRoute, startHostileFront } from '../support/hostile-front.js';
import { type InProcessRun, TEST_LIMITS, commandLike, runInProcess } from '../support/in-process.js';

const REGION = 'us-east-1';
const PR = 7;
const LIST = `GET /repos/owner/repo/issues/${PR}/comments`;
const CREATE = `POST /repos/owner/repo/issues/${PR}/comments`;
const TOKEN = 'ghs_hostileTestToken0123456789abcdefXYZ';
const WARNED = /^Could not comment on the pull request \(/;
/** A bound that is the subject of a test: small, so a run waits it out quickly. */
const COMMENT_MS = 1_000;
/** Far below the production cap, so that a flood past it is quick to send. */
const MAX_BYTES = 1024 * 1024;

let appRunner: LocalAppRunner;
let eventDir: string;
beforeAll(async () => {
  appRunner = await startLocalAppRunner({ region: REGION });
  await import('@actions/github'); // Loaded before the runs, which would otherwise race to load it.
  eventDir = mkdtempSync(join(tmpdir(), 'hostile-github-'));
  writeFileSync(join(eventDir, 'event.json'), JSON.stringify({ pull_request: { number: PR } }));
});
afterAll(async () => {
  await appRunner.close();
  rmSync(eventDir, { recursive: true, force: true });
});

/** The fake GitHub behind a hostile front, with a few comments of other people on the pull request. */
async function githubBehindFront({ onTestFinished }: Pick<TestContext, 'onTestFinished'>) {
  const github = await startFakeGitHub();
  const front = await startHostileFront(github.url, githubRoute);
  onTestFinished(() => Promise.all([front.close(), github.close()]).then(() => undefined));
  for (let i = 0; i < 5; i += 1) github.seedComment({ issue: PR, body: `review ${i}: ${'looks good '.repeat(40)}` });
  return { github, front };
}

let runs = 0;
/** A run on a pull_request event that creates its own connection and comments through the front. */
function commentingRun(front: HostileFront, limits: Partial<Limits> = {}) {
  return runInProcess({
    inputs: { 'connection-name': `gh-${++runs}`, region: REGION, 'comment-on-pr': 'true', 'github-token': TOKEN },
    env: {
      AWS_ENDPOINT_URL_APPRUNNER: appRunner.url,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: join(eventDir, 'event.json'),
      GITHUB_REPOSITORY: 'owner/repo',
      GITHUB_API_URL: front.url,
    },
    // Many runs share this worker: a comment whose bound is not the subject gets twice TEST_LIMITS' own.
    limits: { maxGitHubResponseBytes: MAX_BYTES, commentMs: 20_000, ...limits },
  });
}

/** The step passed with its outputs and summary, and no text of it or comment on GitHub holds the token. */
function expectUnaffected(expect: TestContext['expect'], run: InProcessRun, github: FakeGitHub) {
  expect(run.failure).toBeUndefined();
  expect(run.outputs['connection-arn']).toMatch(/^arn:aws:apprunner:/);
  expect(run.summary).toContain('Finish the handshake');
  expect(commandLike(run.lines.map((line) => line.text))).toEqual([]);
  const texts = [...run.lines.map((line) => line.text), run.summary, ...github.comments(PR).map((c) => c.body)];
  expect(texts.filter((text) => text.includes(TOKEN))).toEqual([]);
}

const answer = (status: number, body: unknown, contentType = 'application/json'): Misbehaviour => ({
  kind: 'answer',
  status,
  headers: { 'content-type': contentType },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const flood = (bytes: number, declareLength: boolean): Misbehaviour => ({
  kind: 'flood',
  bytes,
  contentType: 'application/json',
  declareLength,
});

const [GAVE_UP, TOO_LARGE] = [/GitHub did not answer within 1s\)/, new RegExp(`larger than ${MAX_BYTES} bytes`)];
const PERMISSION = /Give the job permissions: pull-requests: write/;
const RETRY = /\. The job summary has the same details; re-run/;
const CASES: { what: string; route: string; behaviour: Misbehaviour; says?: RegExp; bound?: boolean }[] = [
  { what: '403 Forbidden', route: LIST, behaviour: answer(403, { message: 'Forbidden' }), says: PERMISSION },
  { what: '404 Not Found', route: CREATE, behaviour: answer(404, { message: 'Not Found' }), says: PERMISSION },
  { what: '500 on every request', route: '*', behaviour: answer(500, { message: 'oops' }), says: RETRY },
  {
    what: 'a 502 HTML page',
    route: LIST,
    behaviour: answer(502, '<html>Bad Gateway</html>', 'text/html'),
    says: RETRY,
  },
  { what: 'a list that is not a list', route: LIST, behaviour: answer(200, { comments: [] }), says: /not a list/ },
  { what: 'a new comment without an id', route: CREATE, behaviour: answer(201, {}), says: /has no valid id/ },
  { what: 'a dropped connection', route: LIST, behaviour: { kind: 'reset' } },
  { what: 'a list 4x the cap, no length', route: LIST, behaviour: flood(4 * MAX_BYTES, false), says: TOO_LARGE },
  { what: 'a list that declares 4 GB', route: LIST, behaviour: flood(4 * 1024 ** 3, true), says: TOO_LARGE },
  { what: 'a list that never comes', route: LIST, behaviour: { kind: 'hang' }, says: GAVE_UP, bound: true },
  { what: 'a create that never answers', route: CREATE, behaviour: { kind: 'hang' }, says: GAVE_UP, bound: true },
  { what: 'a trickle', route: LIST, behaviour: { kind: 'trickle', intervalMs: 5 }, says: GAVE_UP, bound: true },
];

describe.concurrent('a GitHub that refuses or breaks: a warning, the step unaffected, never two comments', () => {
  it.for(CASES)('warns and passes when GitHub sends $what', async (bad, { expect, onTestFinished }) => {
    const { front, github } = await githubBehindFront({ onTestFinished });
    front.misbehave(bad.route, bad.behaviour, Infinity);

    const run = await commentingRun(front, bad.bound ? { commentMs: COMMENT_MS } : {});

    expectUnaffected(expect, run, github);
    expect(run.warnings.length).toBeGreaterThan(0);
    for (const warning of run.warnings) expect(warning).toMatch(WARNED);
    for (const warning of run.warnings) expect(warning).toMatch(bad.says ?? WARNED);
    // The bound ended the comment, or the comment gave up as soon as the response was known to be bad.
    if (bad.bound) expect(run.durationMs).toBeGreaterThanOrEqual(COMMENT_MS);
    if (bad.bound) expect(run.durationMs).toBeLessThan(COMMENT_MS + 8_000);
    if (!bad.bound) expect(run.warnings.filter((warning) => /did not answer/.test(warning))).toEqual([]);
    expect(github.comments(PR).filter((comment) => comment.user !== 'octocat').length).toBeLessThanOrEqual(1);
  });

  it('warns once, with the permission it needs, when GitHub keeps refusing', async ({ expect, onTestFinished }) => {
    const { front, github } = await githubBehindFront({ onTestFinished });
    front.misbehave('*', answer(403, { message: 'Resource not accessible by integration' }), Infinity);

    const run = await commentingRun(front);

    expectUnaffected(expect, run, github);
    expect(run.warnings).toEqual([
      'Could not comment on the pull request (HttpError: Resource not accessible by integration). ' +
        'Give the job permissions: pull-requests: write, or set comment-on-pr: false.',
    ]);
  });

  it("keeps GitHub's error text built to start workflow commands on the warning's one line", async ({
    expect,
    onTestFinished,
  }) => {
    const { front, github } = await githubBehindFront({ onTestFinished });
    front.misbehave(LIST, answer(403, { message: 'Forbidden\n::warning::INJECTED\n##[error]INJECTED' }), Infinity);

    const run = await commentingRun(front);

    expectUnaffected(expect, run, github);
    expect(run.warnings[0]).toMatch(
      /^Could not comment on the pull request \(HttpError: Forbidden ::warning::INJECTED/,
    );
    expect(run.warnings.filter((warning) => /[\r\n]/.test(warning))).toEqual([]);
  });
});

describe.concurrent('never two comments: a search for the earlier comment that cannot finish adds none', () => {
  it('stops at the page cap of a list longer than that, and warns', async ({ expect, onTestFinished }) => {
    const { front, github } = await githubBehindFront({ onTestFinished });
    const cap = TEST_LIMITS.maxCommentPages;
    for (let i = 0; i < cap * 100; i += 1) github.seedComment({ issue: PR, body: 'someone else' });

    const run = await commentingRun(front);

    expectUnaffected(expect, run, github);
    expect([...new Set(run.warnings)]).toEqual([
      `Could not comment on the pull request (CommentSearchCapped: this connection's comment is not among the first ` +
        `${cap * 100} comments). No second comment was added; the job summary has the same details.`,
    ]);
    expect(front.requests.filter((request) => request.key === CREATE)).toEqual([]);
  });

  it('adds no comment when the list of comments is cut off before its end', async ({ expect, onTestFinished }) => {
    const { front, github } = await githubBehindFront({ onTestFinished });
    const before = github.comments(PR);
    front.misbehave(LIST, { kind: 'truncate', bytes: 20 }, Infinity);

    const run = await commentingRun(front);

    expectUnaffected(expect, run, github);
    expect(run.warnings.length).toBeGreaterThan(0);
    expect(front.requests.filter((request) => request.key === CREATE)).toEqual([]);
    expect(github.comments(PR)).toEqual(before);
  });
});

describe('one budget for every phase: a GitHub that never answers cannot hold the run past it', () => {
  it('gives the comment only what is left of the run budget', async ({ expect, onTestFinished }) => {
    const { front, github } = await githubBehindFront({ onTestFinished });
    front.misbehave(LIST, { kind: 'hang' }, Infinity);
    const limits = { runBudgetMs: 4_000, commentMs: 20_000 };

    const run = await commentingRun(front, limits);

    expectUnaffected(expect, run, github);
    // Not the comment's own 20s: what was left of the run's 4s.
    expect(run.warnings[0]).toMatch(
      /^Could not comment on the pull request \(GitHub did not answer within (\d+ms|[1-4]s)\)/,
    );
    expect(run.durationMs).toBeLessThan(limits.runBudgetMs + 8_000);
  });
});
