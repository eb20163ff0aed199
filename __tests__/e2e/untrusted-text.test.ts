// Text the action does not control (tag keys and values from the workflow, error messages
// from AWS) must never start a workflow command in the log or break the job summary, and
// the secret key must never be printed. Checked on the committed bundle, run as the runner runs it.

import { afterAll, beforeAll, describe, it } from 'vitest';

import { startLocalAppRunner, type LocalAppRunner } from '../../local/apprunner-endpoint.js';
import { localRuns } from '../support/local-run.js';
import { FAKE_SECRET_KEY, type ActionRun } from '../support/run-action.js';

const REGION = 'us-east-1';
const NAME = 'untrusted-conn';

const { endpointFor, runAgainst } = localRuns({ connectionName: NAME, region: REGION });

/** Every line of both streams: the runner looks for workflow commands in stdout and stderr alike. */
const logLines = (run: ActionRun) => `${run.stdout}\n${run.stderr}`.split(/\r?\n/);

/** Lines that start a workflow command (`::name::` or the legacy `##[name]`) the action does not send itself. */
function foreignCommandLines(run: ActionRun): string[] {
  return logLines(run).filter(
    (line) => /^\s*(::|##\[)/.test(line) && !/^\s*::(notice|error|debug)( [^:]*)?::/.test(line),
  );
}

/** Lines that start a workflow command of any name and carry `marker`. */
const commandLinesWith = (run: ActionRun, marker: string) =>
  logLines(run).filter((line) => /^\s*(::|##\[)/.test(line) && line.includes(marker));

/** A command's message as the runner shows it: it turns %0D, %0A and %25 back into characters. */
const asRunnerShows = (message: string) =>
  message.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%');

const errorsOf = (run: ActionRun) => run.commands.filter((c) => c.command === 'error').map((c) => c.message);

/** True when some line, after leading whitespace, starts with `::`. */
const anyLineStartsACommand = (text: string) => text.split(/\r?\n|\r/).some((line) => /^\s*::/.test(line));

describe.concurrent('tag text from the workflow cannot start a workflow command or break the summary', () => {
  // Every value AWS's tag character set allows ([\p{L}\p{Z}\p{N}_.:/=+\-@]) and yet looks like a command or markup.
  // Each carries INJECTED, so any place it surfaces can be found.
  const TAGS_INPUT = [
    '::warning::INJECTED-key = ::add-mask::INJECTED-mask',
    'cmd = ::warning::INJECTED-pwned',
    '  ::error::INJECTED-k2 = ::debug::INJECTED-debug',
    'owner = @org/team INJECTED',
    'emph = _x_ INJECTED',
    'kv = a=b INJECTED',
    'stop = ::stop-commands::INJECTED-token',
  ].join('\n');
  const TAGS = {
    '::warning::INJECTED-key': '::add-mask::INJECTED-mask',
    cmd: '::warning::INJECTED-pwned',
    '::error::INJECTED-k2': '::debug::INJECTED-debug',
    owner: '@org/team INJECTED',
    emph: '_x_ INJECTED',
    kv: 'a=b INJECTED',
    stop: '::stop-commands::INJECTED-token',
  };

  const SCENARIOS = [
    {
      scenario: 'reusing a connection and applying the tags',
      dryRun: false,
      logged: 'Applied tags:',
      row: 'Tags applied',
    },
    {
      scenario: 'a dry run that would create the connection',
      dryRun: true,
      logged: 'would apply tags:',
      row: 'Tags to apply',
    },
  ];

  it.for(SCENARIOS)(
    '$scenario: succeeds, sends the tags verbatim, no log line starts a command, the summary shows them inert',
    async ({ dryRun, logged, row }, { expect, onTestFinished }) => {
      const server = await endpointFor({ onTestFinished });
      // AVAILABLE: the summary then has no handshake guide, so it holds no link of the action's own either.
      if (!dryRun) server.seedConnection({ name: NAME, status: 'AVAILABLE', tags: { team: 'old' } });

      const run = await runAgainst(server, { tags: TAGS_INPUT, 'dry-run': String(dryRun) });

      expect(run.exitCode, run.stdout).toBe(0);
      if (!dryRun) expect(server.connections()[0]?.tags).toEqual({ team: 'old', ...TAGS });
      // The tags do reach the log and the summary, so the checks below are not vacuous.
      expect(run.stdout).toContain(logged);
      expect(run.stdout).toContain('INJECTED');
      expect(run.summary).toContain(row);

      expect(foreignCommandLines(run)).toEqual([]);
      expect(commandLinesWith(run, 'INJECTED')).toEqual([]);

      expect(run.summary).toContain('INJECTED');
      expect(run.summary).not.toContain('@org');
      expect(run.summary).not.toContain('](');
      expect(run.summary).not.toContain('_x_');
      expect(anyLineStartsACommand(run.summary)).toBe(false);
      // The table keeps two columns on every row: no tag text adds a cell.
      const tableRows = run.summary.split('\n').filter((line) => line.startsWith('|'));
      expect(tableRows.length).toBeGreaterThan(2);
      for (const line of tableRows) expect(line.split('|'), line).toHaveLength(4);
    },
  );

  const REJECTED = [
    { what: 'a value with <', tags: 'k = <b>INJECTED</b>' },
    { what: 'a value with |', tags: 'k = a|INJECTED' },
    { what: 'a value with a backtick', tags: 'k = `INJECTED`' },
    { what: 'a markdown link value', tags: 'k = [INJECTED](http://a.b)' },
    { what: 'a value with a percent-encoded newline', tags: 'k = %0A::warning::INJECTED' },
    { what: 'a key with <', tags: '<k> = INJECTED' },
    { what: 'a JSON value with a newline', tags: '{"k": "x\\n::warning::INJECTED"}' },
  ];

  it.for(REJECTED)(
    'rejects $what as a bad tags input before any request',
    async ({ tags }, { expect, onTestFinished }) => {
      const server = await endpointFor({ onTestFinished });

      const run = await runAgainst(server, { tags });

      expect(run.exitCode).toBe(1);
      expect(server.count()).toBe(0);
      const [error, ...moreErrors] = errorsOf(run);
      expect(moreErrors).toEqual([]);
      expect(error).toMatch(/Input 'tags'/);
      expect(run.outputs['connection-arn']).toBeUndefined();
      expect(foreignCommandLines(run)).toEqual([]);
      expect(anyLineStartsACommand(asRunnerShows(error ?? ''))).toBe(false);
    },
  );
});

describe('an AWS error message with markup and newlines is reported escaped', () => {
  const AWS_TEXT = '<script>alert(1)</script>\n::warning::INJECTED';
  let server: LocalAppRunner;
  let run: ActionRun;
  let error: string;

  beforeAll(async () => {
    server = await startLocalAppRunner({ region: REGION });
    server.seedConnection({ name: NAME, tags: { team: 'old' } });
    server.injectFault({ operation: 'TagResource', type: 'InvalidRequestException', message: AWS_TEXT });
    run = await runAgainst(server, { tags: 'team=new' });
    error = errorsOf(run)[0] ?? '';
  }, 30_000);

  afterAll(async () => {
    await server.close();
  });

  it('fails the step on the refused TagResource with the outputs still set', ({ expect }) => {
    expect(run.exitCode).toBe(1);
    expect(server.count('TagResource')).toBe(1);
    expect(run.outputs['connection-arn']).toBe(server.connections()[0]?.arn);
    expect(errorsOf(run)).toHaveLength(1);
    expect(error).toMatch(/TagResource/);
  });

  it('prints no log line that starts a workflow command from the AWS text', ({ expect }) => {
    expect(foreignCommandLines(run)).toEqual([]);
    expect(logLines(run).filter((line) => /^\s*::warning/.test(line))).toEqual([]);
  });

  it('keeps the AWS text on one line of the error annotation, so no line of it starts with ::warning', ({ expect }) => {
    const shown = asRunnerShows(error);
    expect(shown).toContain('INJECTED');
    expect(anyLineStartsACommand(shown)).toBe(false);
  });

  it('shows the failure in the summary with the AWS text escaped', ({ expect }) => {
    expect(run.summary).toContain('The step failed');
    expect(run.summary).toMatch(/alert/);
    expect(run.summary).not.toContain('<script>');
    expect(anyLineStartsACommand(run.summary)).toBe(false);
  });
});

describe.concurrent('the secret key never reaches the log, even in debug mode', () => {
  const DEBUG = { RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true' };
  const SCENARIOS = [
    { scenario: 'a run that creates the connection', expectedExit: 0, setup: (_server: LocalAppRunner) => {} },
    {
      scenario: 'a run refused CreateConnection by IAM',
      expectedExit: 1,
      setup: (server: LocalAppRunner) => server.denyOperation('CreateConnection'),
    },
    {
      scenario: 'a run whose credentials AWS rejects',
      expectedExit: 1,
      setup: (server: LocalAppRunner) =>
        server.injectFault({
          operation: 'ListConnections',
          type: 'UnrecognizedClientException',
          status: 403,
          message: 'The security token included in the request is invalid.',
        }),
    },
  ];

  it.for(SCENARIOS)(
    '$scenario prints neither the secret key nor any part of it, on stdout, stderr or in the summary',
    async ({ expectedExit, setup }, { expect, onTestFinished }) => {
      const server = await endpointFor({ onTestFinished });
      setup(server);

      const run = await runAgainst(server, { tags: 'team=platform' }, DEBUG);

      expect(run.exitCode, run.stdout).toBe(expectedExit);
      // The key was really loaded and used: the requests were signed with it.
      expect(server.calls.length).toBeGreaterThan(0);
      expect(server.calls.every((call) => call.accessKeyId === 'AKIDE2ETEST')).toBe(true);
      for (const text of [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs)]) {
        expect(text).not.toContain(FAKE_SECRET_KEY);
        expect(text).not.toContain(FAKE_SECRET_KEY.slice(0, 16));
        expect(text).not.toContain(FAKE_SECRET_KEY.slice(-16));
      }
    },
  );
});
