// Text the action does not control (tag keys and values from the workflow, error messages
// from AWS) must never start a workflow command in the log or break the job summary, and
// the secret key must never be printed. Checked on the committed bundle, run as the runner runs it.

import { afterAll, beforeAll, describe, it } from 'vitest';

import { startLocalAppRunner, type LocalAppRunner } from '../../local/apprunner-endpoint.js';
import { localRuns } from '../support/local-run.js';
import {
  annotations,
  anyLineStartsACommand,
  asRunnerShows,
  foreignCommandLines,
  logLines,
} from '../support/log-lines.js';
import { FAKE_SECRET_KEY, type ActionRun } from '../support/run-action.js';

const REGION = 'us-east-1';
const NAME = 'untrusted-conn';

const { endpointFor, runAgainst } = localRuns({ connectionName: NAME, region: REGION });

describe.concurrent('tag text from the workflow cannot start a workflow command or break the summary', () => {
  // Values App Runner accepts (any characters) that look like commands, markup, links or
  // mentions. Each carries INJECTED, so any place it surfaces can be found.
  const TAGS = {
    '::warning::INJECTED-key': '::add-mask::INJECTED-mask',
    cmd: '::warning::INJECTED-pwned',
    legacy: '##[error]INJECTED-legacy',
    owner: '@org/team INJECTED',
    emph: '_x_ INJECTED',
    html: '<b>INJECTED</b> <script>alert(1)</script>',
    pipe: 'a|INJECTED|b',
    tick: '`INJECTED`',
    link: '[INJECTED](http://evil.example) https://evil.example www.evil.example',
    encoded: '%0A::warning::INJECTED-encoded',
    newline: 'x\n::warning::INJECTED-newline\r::set-output name=connection-arn::INJECTED',
    stop: '::stop-commands::INJECTED-token',
    bidi: '\u202eINJECTED-bidi \u001b[31mINJECTED-ansi',
  };
  // The same tags as key=value lines, where a line can hold them (no newline in a value).
  const LINES = Object.entries(TAGS)
    .filter(([, value]) => !/[\r\n]/.test(value))
    .map(([key, value]) => `${key} = ${value}`)
    .join('\n');

  const SCENARIOS = [
    {
      scenario: 'JSON tags applied to a reused connection',
      tags: JSON.stringify(TAGS),
      dryRun: false,
      logged: 'Applied tags:',
      row: 'Tags applied',
    },
    {
      scenario: 'key=value tags applied to a reused connection',
      tags: LINES,
      dryRun: false,
      logged: 'Applied tags:',
      row: 'Tags applied',
    },
    {
      scenario: 'JSON tags in a dry run that would create the connection',
      tags: JSON.stringify(TAGS),
      dryRun: true,
      logged: 'would apply tags:',
      row: 'Tags to apply',
    },
  ];

  it.for(SCENARIOS)(
    '$scenario: sent verbatim, no log line starts a command, the summary shows them inert',
    async ({ tags, dryRun, logged, row }, { expect, onTestFinished }) => {
      const server = await endpointFor({ onTestFinished });
      // AVAILABLE: the summary then has no handshake guide, so it holds no link of the action's own either.
      if (!dryRun) server.seedConnection({ name: NAME, status: 'AVAILABLE', tags: { team: 'old' } });

      const run = await runAgainst(server, { tags, 'dry-run': String(dryRun) });

      expect(run.exitCode, run.stdout).toBe(0);
      if (!dryRun) {
        const expected = tags === LINES ? Object.fromEntries(LINES.split('\n').map((line) => line.split(' = '))) : TAGS;
        expect(server.connections()[0]?.tags).toEqual({ team: 'old', ...expected });
      }
      // The tags do reach the log and the summary, so the checks below are not vacuous.
      expect(run.stdout).toContain(logged);
      expect(run.stdout).toContain('INJECTED');
      expect(run.summaryShown).toContain(row);
      expect(run.summaryShown).toContain('INJECTED');

      expect(foreignCommandLines(run)).toEqual([]);
      expect(logLines(run).filter((line) => /^\s*::/.test(line) && line.includes('INJECTED'))).toEqual([]);
      expect(run.stdout).not.toContain('\u001b');
      expect(run.stdout).not.toContain('\u202e');

      for (const raw of [
        '@org',
        '](',
        '_x_',
        '<b>',
        '<script>',
        '|INJECTED',
        '`INJECTED',
        'http://',
        'https://',
        'www.evil',
      ]) {
        expect(run.summary).not.toContain(raw);
      }
      expect(anyLineStartsACommand(run.summary)).toBe(false);
      // The table keeps two columns on every row: no tag text adds a cell.
      const tableRows = run.summary.split('\n').filter((line) => line.startsWith('|'));
      expect(tableRows.length).toBeGreaterThan(2);
      for (const line of tableRows) expect(line.split('|'), line).toHaveLength(4);
    },
  );

  it('refuses a tags input App Runner would refuse (the aws: prefix) before any request, naming the input', async ({
    expect,
    onTestFinished,
  }) => {
    const server = await endpointFor({ onTestFinished });

    const run = await runAgainst(server, { tags: 'aws:owner = ::warning::INJECTED' });

    expect(run.exitCode).toBe(1);
    expect(server.count()).toBe(0);
    const [error, ...moreErrors] = annotations(run, 'error');
    expect(moreErrors).toEqual([]);
    expect(error).toMatch(/Input 'tags'/);
    expect(run.outputs['connection-arn']).toBeUndefined();
    expect(foreignCommandLines(run)).toEqual([]);
    expect(anyLineStartsACommand(asRunnerShows(error ?? ''))).toBe(false);
  });
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
    error = annotations(run, 'error')[0] ?? '';
  }, 30_000);

  afterAll(async () => {
    await server.close();
  });

  it('fails the step on the refused TagResource with the outputs still set', ({ expect }) => {
    expect(run.exitCode).toBe(1);
    expect(server.count('TagResource')).toBe(1);
    expect(run.outputs['connection-arn']).toBe(server.connections()[0]?.arn);
    expect(annotations(run, 'error')).toHaveLength(1);
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
    expect(run.summaryShown).toContain('The step failed');
    expect(run.summaryShown).toMatch(/alert/);
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
