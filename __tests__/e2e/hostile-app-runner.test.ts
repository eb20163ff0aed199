// The committed bundle, run as the runner runs it, against the local App Runner endpoint behind
// a hostile front: only what the bundle alone can show. One answer that is not App Runner's (a
// proxy's HTML 403 page), one malformed field that carries a workflow command, AWS text built to
// start workflow commands, and a 300 KB AWS message: each fails the step with exactly one error
// annotation, no output made of a bad answer, no workflow command it did not mean in the real log,
// and a cut message in the annotation and the job summary. Every other hostile answer (redirects,
// empty 404s, bodies cut off, flooding, trickled past the deadline, dropped connections, each
// malformed field, an endless NextToken, control characters) and the waits whose status checks
// misbehave are specified in process with limits in milliseconds
// (in-process/hostile-app-runner.test.ts); the real production bounds in production-bounds.test.ts.

import { describe, it, type ExpectStatic, type TestContext } from 'vitest';

import { type Answer, type HostileFront, appRunnerBehindFront } from '../support/hostile-front.js';
import { annotations, asRunnerShows, foreignCommandLines } from '../support/log-lines.js';
import { type ActionRun, runAction } from '../support/run-action.js';

const REGION = 'us-east-1';
const NAME = 'hostile-conn';
/** The contract: no run lasts longer than this plus the wait it asked for. */
const RUN_BOUND_MS = 60_000;

/** The local endpoint of REGION behind a hostile front, for one test. */
const behindFront = (context: Pick<TestContext, 'onTestFinished'>) => appRunnerBehindFront(context, REGION);

function runBehind(front: HostileFront, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({
    inputs: { 'connection-name': NAME, ...inputs },
    env: { AWS_ENDPOINT_URL_APPRUNNER: front.url, AWS_REGION: REGION },
  });
}

/** The one error a failed run reports, after checking what every failed run must hold. */
function expectOneCleanFailure(expect: ExpectStatic, run: ActionRun): string {
  expect(run.exitCode, run.stdout + run.stderr).toBe(1);
  expect(run.durationMs).toBeLessThan(RUN_BOUND_MS);
  const errors = annotations(run, 'error');
  expect(errors, run.stdout).toHaveLength(1);
  expect(foreignCommandLines(run)).toEqual([]);
  for (const text of [run.stdout, run.stderr, run.summary]) {
    expect(text).not.toContain('[object Object]');
    expect(text).not.toMatch(/TypeError|Cannot read properties/);
  }
  return asRunnerShows(errors[0] ?? '');
}

describe.concurrent('a hostile answer fails the step with one error annotation and no output', () => {
  it('a proxy’s 403 HTML page: fails once, with the HTTP status and what to check, and sets no output', async ({
    expect,
    onTestFinished,
  }) => {
    const { front, server } = await behindFront({ onTestFinished });
    front.misbehave(
      'ListConnections',
      {
        kind: 'answer',
        status: 403,
        headers: { 'content-type': 'text/html' },
        body: '<html><body><h1>Access denied by policy</h1></body></html>',
      },
      Infinity,
    );

    const run = await runBehind(front);

    const error = expectOneCleanFailure(expect, run);
    expect(error).toMatch(/HTTP 403, text\/html, which is not an answer from App Runner/);
    expect(error).toMatch(
      /proxy or firewall in between \(https_proxy, no_proxy\), and that AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_APPRUNNER, if set, point at App Runner/,
    );
    expect(error).not.toMatch(/Deserialization error|UnknownError|hidden field/);
    expect(run.outputs).toEqual({});
    expect(server.count('CreateConnection')).toBe(0);
    expect(run.summary).toContain('**The step failed:**');
  });

  it('ListConnections with a status that carries a workflow command: fails naming the field, sets no output', async ({
    expect,
    onTestFinished,
  }) => {
    const { front, server } = await behindFront({ onTestFinished });
    server.seedConnection({ name: NAME });
    front.misbehave(
      'ListConnections',
      {
        kind: 'edit',
        edit: (answer: Answer): Answer => {
          const body = answer.body as { ConnectionSummaryList: Record<string, unknown>[] };
          const [first, ...rest] = body.ConnectionSummaryList;
          const status = 'AVAILABLE\n::set-output name=connection-arn::INJECTED';
          return { ...answer, body: { ...body, ConnectionSummaryList: [{ ...first, Status: status }, ...rest] } };
        },
      },
      Infinity,
    );

    const run = await runBehind(front);

    const error = expectOneCleanFailure(expect, run);
    expect(error).toContain(`App Runner's answer to ListConnections was malformed: ConnectionSummaryList[0].Status`);
    expect(error).toMatch(/The action set no output from it/);
    expect(run.outputs).toEqual({});
    expect(run.stdout).not.toMatch(/^::set-output/m);
  });
});

describe.concurrent('AWS text is inert in the real log and cut to a sane length', () => {
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
    expect(run.summaryShown).toContain('299500 more characters');
  });
});
