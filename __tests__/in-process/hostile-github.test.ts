// The step in process with comment-on-pr on a pull_request event, against the local fake of
// GitHub's comment API behind a hostile front: an API that never answers, trickles, floods,
// paginates for ever, drops the connection or answers with something that is not a list of
// comments. The comment is a courtesy: whatever GitHub does, the step passes within its bounds
// with one warning, the outputs and the summary intact. FAST_LIMITS give the comment 1 s.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';

import { startLocalAppRunner, type LocalAppRunner } from '../../local/apprunner-endpoint.js';
import { type Limits, PRODUCTION_LIMITS, formatBound } from '../../src/limits.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { type HostileFront, type Misbehaviour, githubRoute, startHostileFront } from '../support/hostile-front.js';
import { FAST_LIMITS, type InProcessRun, runInProcess } from '../support/in-process.js';

const REGION = 'us-east-1';
const PR = 7;
const LIST = `GET /repos/owner/repo/issues/${PR}/comments`;
const CREATE = `POST /repos/owner/repo/issues/${PR}/comments`;
const TOKEN = 'ghs_hostileTestToken0123456789abcdefXYZ';
/** GitHub's pages of comments, as the action asks for them. */
const COMMENTS_PER_PAGE = 100;
/** Smaller than FAST_LIMITS' 32 MiB, so a flood past it is quick to send. */
const MAX_ANSWER_BYTES = 1024 * 1024;
/**
 * The contract: a run ends within 60 s, its phases sharing the 55 s of PRODUCTION_LIMITS.runBudgetMs
 * (the rest is for start-up and reporting). The same proportion of FAST_LIMITS' budget.
 */
const RUN_BOUND_MS = (FAST_LIMITS.runBudgetMs * 60_000) / PRODUCTION_LIMITS.runBudgetMs;

let appRunner: LocalAppRunner;
let eventDir: string;
let eventPath: string;

beforeAll(async () => {
  appRunner = await startLocalAppRunner({ region: REGION });
  eventDir = mkdtempSync(join(tmpdir(), 'hostile-github-'));
  eventPath = join(eventDir, 'event.json');
  writeFileSync(
    eventPath,
    JSON.stringify({ pull_request: { number: PR }, repository: { name: 'repo', owner: { login: 'owner' } } }),
  );
});

afterAll(async () => {
  await appRunner?.close();
  if (eventDir) rmSync(eventDir, { recursive: true, force: true });
});

async function githubBehindFront(
  context: Pick<TestContext, 'onTestFinished'>,
): Promise<{ github: FakeGitHub; front: HostileFront }> {
  const github = await startFakeGitHub();
  const front = await startHostileFront(github.url, githubRoute);
  context.onTestFinished(async () => {
    await front.close();
    await github.close();
  });
  return { github, front };
}

/** A run on a pull_request event that comments through the front, each with its own connection name. */
function commentingRun(
  front: HostileFront,
  name: string,
  options: { endpoint?: string; limits?: Partial<Limits> } = {},
): Promise<InProcessRun> {
  return runInProcess({
    inputs: { 'connection-name': name, region: REGION, 'comment-on-pr': 'true', 'github-token': TOKEN },
    env: {
      AWS_ENDPOINT_URL_APPRUNNER: options.endpoint ?? appRunner.url,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: 'owner/repo',
      GITHUB_API_URL: front.url,
    },
    limits: options.limits ?? {},
  });
}

/** What the step logs that the runner would take as a workflow command: `::` at a line's start, `##[` anywhere. */
const commandLikeLines = (run: InProcessRun): string[] =>
  run.lines.map((line) => line.text).filter((text) => /^\s*::/.test(text) || text.includes('##['));

/** Every text of the run a person can read, and the comments on the fake: none may hold the token. */
function textsWithToken(run: InProcessRun, github: FakeGitHub): string[] {
  const texts = [
    ...run.lines.map((line) => line.text),
    run.summary,
    run.failure ?? '',
    ...Object.values(run.outputs),
    ...github.comments(PR).map((comment) => comment.body),
  ];
  return texts.filter((text) => text.includes(TOKEN));
}

const randomName = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

describe.concurrent('a misbehaving GitHub API: one warning within the comment bound, never a failure', () => {
  const GAVE_UP = new RegExp(`\\(GitHub did not answer within ${formatBound(FAST_LIMITS.commentMs)}\\)`);
  const TOO_LARGE = new RegExp(`larger than ${MAX_ANSWER_BYTES} bytes`);
  const CASES: {
    what: string;
    route: string;
    behaviour: Misbehaviour;
    says: RegExp;
    /** The comment waits its bound (FAST_LIMITS.commentMs) out, or gives up as soon as the answer is known to be bad. */
    waitsOutTheBound: boolean;
  }[] = [
    {
      what: 'a list of comments that never comes',
      route: LIST,
      behaviour: { kind: 'hang' },
      says: GAVE_UP,
      waitsOutTheBound: true,
    },
    {
      what: 'a list of comments trickled a byte every 5 ms',
      route: LIST,
      behaviour: { kind: 'trickle', intervalMs: 5 },
      says: GAVE_UP,
      waitsOutTheBound: true,
    },
    {
      what: 'a create that never answers',
      route: CREATE,
      behaviour: { kind: 'hang' },
      says: GAVE_UP,
      waitsOutTheBound: true,
    },
    {
      what: 'a list of comments four times the answer cap, with no length',
      route: LIST,
      behaviour: { kind: 'flood', bytes: 4 * MAX_ANSWER_BYTES, contentType: 'application/json', declareLength: false },
      says: TOO_LARGE,
      waitsOutTheBound: false,
    },
    {
      what: 'a list of comments that declares 4 GB',
      route: LIST,
      behaviour: { kind: 'flood', bytes: 4 * 1024 ** 3, contentType: 'application/json', declareLength: true },
      says: TOO_LARGE,
      waitsOutTheBound: false,
    },
    {
      what: 'a list of comments that is not a list',
      route: LIST,
      behaviour: {
        kind: 'answer',
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: '{"comments": []}',
      },
      says: /GitHub's list of comments is not a list/,
      waitsOutTheBound: false,
    },
    {
      what: 'a dropped connection',
      route: LIST,
      behaviour: { kind: 'reset' },
      says: /^Could not comment on the pull request \(/,
      waitsOutTheBound: false,
    },
    {
      what: 'a 502 HTML page from a gateway',
      route: LIST,
      behaviour: {
        kind: 'answer',
        status: 502,
        headers: { 'content-type': 'text/html' },
        body: '<html>Bad Gateway</html>',
      },
      says: /^Could not comment on the pull request \(/,
      waitsOutTheBound: false,
    },
  ];

  it.for(CASES)(
    'warns once and passes, outputs and summary intact, when GitHub sends $what',
    async ({ route, behaviour, says, waitsOutTheBound }, { expect, onTestFinished }) => {
      const { front, github } = await githubBehindFront({ onTestFinished });
      const name = randomName('gh');
      // Comments of other people make the list long enough to trickle past the bound.
      for (let i = 0; i < 5; i += 1)
        github.seedComment({ issue: PR, body: `review ${i}: ${'looks good '.repeat(40)}` });
      front.misbehave(route, behaviour, Infinity);

      const run = await commentingRun(front, name, { limits: { maxGitHubAnswerBytes: MAX_ANSWER_BYTES } });

      expect(run.failure).toBeUndefined();
      expect(run.warnings).toEqual([expect.stringMatching(says)]);
      expect(run.warnings[0]).toMatch(/^Could not comment on the pull request \(/);
      if (waitsOutTheBound) expect(run.durationMs).toBeGreaterThanOrEqual(FAST_LIMITS.commentMs);
      else expect(run.durationMs).toBeLessThan(FAST_LIMITS.commentMs);
      expect(run.durationMs).toBeLessThan(FAST_LIMITS.runBudgetMs);
      expect(run.outputs['connection-name']).toBe(name);
      expect(run.outputs['connection-arn']).toMatch(/^arn:aws:apprunner:/);
      expect(run.summary).toContain('Finish the handshake');
      expect(commandLikeLines(run)).toEqual([]);
      expect(textsWithToken(run, github)).toEqual([]);
      // Nothing half-done: no comment, or exactly one of this action's.
      expect(github.comments(PR).filter((comment) => comment.user !== 'octocat').length).toBeLessThanOrEqual(1);
    },
  );
});

describe('never two comments: a search for the earlier comment that cannot finish adds none', () => {
  it('reads maxCommentPages pages of a list that always has a next page, adds no comment, and warns', async ({
    onTestFinished,
  }) => {
    const { front, github } = await githubBehindFront({ onTestFinished });
    let page = 1;
    front.misbehave(
      LIST,
      {
        kind: 'edit',
        edit: (answer) => ({
          ...answer,
          headers: {
            ...answer.headers,
            link: `<${front.url}/repos/owner/repo/issues/${PR}/comments?page=${++page}>; rel="next"`,
          },
          body: Array.from({ length: COMMENTS_PER_PAGE }, (_, index) => ({
            id: page * 1000 + index,
            body: 'someone else',
          })),
        }),
      },
      Infinity,
    );

    const run = await commentingRun(front, 'gh-endless');

    expect(run.failure).toBeUndefined();
    const searched = FAST_LIMITS.maxCommentPages * COMMENTS_PER_PAGE;
    expect(run.warnings).toEqual([
      `Could not comment on the pull request (CommentSearchCapped: this connection's comment is not among the ` +
        `first ${searched} comments of the pull request). No second comment was added; the job summary has the same details.`,
    ]);
    expect(front.requests.filter((request) => request.key === LIST)).toHaveLength(FAST_LIMITS.maxCommentPages);
    expect(front.requests.filter((request) => request.key === CREATE)).toHaveLength(0);
    expect(github.comments(PR)).toEqual([]);
    expect(run.outputs['connection-arn']).toMatch(/^arn:aws:apprunner:/);
  });

  it('adds no comment and warns when the list of comments is cut off before its end', async ({ onTestFinished }) => {
    const { front, github } = await githubBehindFront({ onTestFinished });
    const earlier = github.seedComment({ issue: PR, body: 'an earlier review' });
    front.misbehave(LIST, { kind: 'truncate', bytes: 20 }, Infinity);

    const run = await commentingRun(front, 'gh-cut-off');

    expect(run.failure).toBeUndefined();
    expect(run.warnings).toEqual([expect.stringMatching(/^Could not comment on the pull request \(/)]);
    expect(front.requests.filter((request) => request.key === CREATE)).toHaveLength(0);
    expect(github.comments(PR)).toEqual([earlier]);
    expect(run.outputs['connection-arn']).toMatch(/^arn:aws:apprunner:/);
  });
});

describe('one budget for every phase: a slow App Runner leaves the comment only what is left of it', () => {
  it('passes within the run bound when App Runner is slow and GitHub never answers, the comment cut to what is left', async ({
    onTestFinished,
  }) => {
    const { front, github } = await githubBehindFront({ onTestFinished });
    const slow = await startLocalAppRunner({ region: REGION });
    onTestFinished(() => slow.close());
    // Two lookups hang until the request timeout: the lookup ends past runBudgetMs - commentMs
    // (2 x 550 ms against 2000 - 1000 ms) and well within lookupMs (1500 ms), so the comment
    // cannot have its full bound.
    const limits = { requestTimeoutMs: 550 };
    slow.injectFault({ operation: 'ListConnections', hang: true, times: 2 });
    front.misbehave(LIST, { kind: 'hang' }, Infinity);

    const run = await commentingRun(front, 'gh-both-slow', { endpoint: slow.url, limits });

    expect(run.failure).toBeUndefined();
    expect(run.outputs['connection-arn']).toMatch(/^arn:aws:apprunner:/);
    expect(slow.calls.filter((call) => call.operation === 'ListConnections' && call.status === null)).toHaveLength(2);
    expect(run.durationMs).toBeLessThan(RUN_BOUND_MS);
    expect(run.warnings).toEqual([expect.stringMatching(/^Could not comment on the pull request \(GitHub did not/)]);
    const [, bound] = /GitHub did not answer within (\d+) ms/.exec(run.warnings[0] ?? '') ?? [];
    expect(Number(bound)).toBeGreaterThan(0);
    expect(Number(bound)).toBeLessThan(FAST_LIMITS.commentMs);
    expect(Number(bound)).toBeLessThanOrEqual(FAST_LIMITS.runBudgetMs - 2 * limits.requestTimeoutMs);
    // The comment waited out all it was given, after the two timed-out lookups.
    expect(run.durationMs).toBeGreaterThanOrEqual(2 * limits.requestTimeoutMs + Number(bound));
    expect(textsWithToken(run, github)).toEqual([]);
  });
});

describe("GitHub's error text reaches the warning as data, on one line", () => {
  it('keeps an error message built to start workflow commands on the one line of the warning', async ({
    onTestFinished,
  }) => {
    const { front, github } = await githubBehindFront({ onTestFinished });
    front.misbehave(
      LIST,
      {
        kind: 'answer',
        status: 403,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Forbidden\n::warning::INJECTED\n##[error]INJECTED' }),
      },
      Infinity,
    );

    const run = await commentingRun(front, 'gh-injected');

    expect(run.failure).toBeUndefined();
    const [warning, ...more] = run.warnings;
    expect(more).toEqual([]);
    expect(warning).toMatch(/^Could not comment on the pull request \(HttpError: Forbidden ::warning::INJECTED/);
    expect(warning).not.toMatch(/[\r\n]/);
    expect(textsWithToken(run, github)).toEqual([]);
  });
});
