// Text the action does not control (tag text from the workflow, error messages from AWS), built
// to start workflow commands, starts none in the real log, and the secret key is never printed,
// even in debug mode. Checked on the committed bundle, run as the runner runs it: the log is
// what @actions/core prints. What reaches App Runner and the job summary is specified in
// process (in-process/untrusted-text.test.ts).

import { describe, expect, it } from 'vitest';

import type { LocalAppRunner } from '../../local/apprunner-endpoint.js';
import { localRuns } from '../support/local-run.js';
import {
  annotations,
  anyLineStartsACommand,
  asRunnerShows,
  foreignCommandLines,
  logLines,
} from '../support/log-lines.js';
import { FAKE_SECRET_KEY } from '../support/run-action.js';

const REGION = 'us-east-1';
const NAME = 'untrusted-conn';

const { endpointFor, runAgainst } = localRuns({ connectionName: NAME, region: REGION });

/** Log lines the runner would read as a command that carries the injected text. */
const injectedCommandLines = (lines: readonly string[]) =>
  lines.filter((line) => /^\s*::/.test(line) && line.includes('INJECTED'));

describe.concurrent('text from outside, built to start workflow commands, starts none in the log', () => {
  it('tags that look like commands, applied to a reused connection, are logged on lines that start none', async ({
    expect,
    onTestFinished,
  }) => {
    // Each carries INJECTED, so any line it surfaces on can be found.
    const TAGS = {
      '::warning::INJECTED-key': '::add-mask::INJECTED-mask',
      cmd: '::warning::INJECTED-pwned',
      legacy: '##[error]INJECTED-legacy',
      encoded: '%0A::warning::INJECTED-encoded',
      newline: 'x\n::warning::INJECTED-newline\r::set-output name=connection-arn::INJECTED',
      stop: '::stop-commands::INJECTED-token',
      bidi: '\u202eINJECTED-bidi \u001b[31mINJECTED-ansi',
    };
    const server = await endpointFor({ onTestFinished });
    server.seedConnection({ name: NAME, status: 'AVAILABLE', tags: { team: 'old' } });

    const run = await runAgainst(server, { tags: JSON.stringify(TAGS) });

    expect(run.exitCode, run.stdout).toBe(0);
    // The tags do reach the log, so the checks below are not vacuous.
    expect(run.stdout).toContain('Applied tags:');
    expect(run.stdout).toContain('INJECTED');
    expect(foreignCommandLines(run)).toEqual([]);
    expect(injectedCommandLines(logLines(run))).toEqual([]);
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stdout).not.toContain('\u202e');
    expect(run.outputs['connection-arn']).toBe(server.connections()[0]?.arn);
  });

  it('an AWS error message with a newline and ::warning is logged and annotated on lines that start none', async ({
    expect,
    onTestFinished,
  }) => {
    const server = await endpointFor({ onTestFinished });
    server.seedConnection({ name: NAME, tags: { team: 'old' } });
    server.injectFault({
      operation: 'TagResource',
      type: 'InvalidRequestException',
      message: '<script>alert(1)</script>\n::warning::INJECTED',
    });

    const run = await runAgainst(server, { tags: 'team=new' });

    expect(run.exitCode).toBe(1);
    const [error = '', ...moreErrors] = annotations(run, 'error');
    expect(moreErrors).toEqual([]);
    expect(error).toMatch(/TagResource/);
    expect(foreignCommandLines(run)).toEqual([]);
    expect(logLines(run).filter((line) => /^\s*::warning/.test(line))).toEqual([]);
    // The runner turns %0A back into a line break: the annotation must hold none.
    const shown = asRunnerShows(error);
    expect(shown).toContain('INJECTED');
    expect(anyLineStartsACommand(shown)).toBe(false);
  });
});

describe.concurrent('the secret key never reaches the log, even in debug mode', () => {
  const DEBUG = { RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true' };
  const SCENARIOS = [
    {
      scenario: 'a run that creates the connection',
      expectedExit: 0,
      errors: [],
      setup: (_server: LocalAppRunner) => {},
    },
    {
      scenario: 'a run refused CreateConnection by IAM',
      expectedExit: 1,
      errors: [expect.stringMatching(/not allowed apprunner:CreateConnection/)],
      setup: (server: LocalAppRunner) => server.denyOperation('CreateConnection'),
    },
    {
      scenario: 'a run whose credentials AWS rejects',
      expectedExit: 1,
      errors: [expect.stringMatching(/rejected the credentials/)],
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
    async ({ expectedExit, errors, setup }, { expect, onTestFinished }) => {
      const server = await endpointFor({ onTestFinished });
      setup(server);

      const run = await runAgainst(server, { tags: 'team=platform' }, DEBUG);

      expect(run.exitCode, run.stdout).toBe(expectedExit);
      expect(annotations(run, 'error')).toEqual(errors);
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
