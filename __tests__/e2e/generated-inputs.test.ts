// A few of the generated inputs (support/generated-inputs.ts, the same seeded cases the
// in-process specs run by the hundred) through the committed bundle as the runner runs it:
// INPUT_* variables in, GITHUB_OUTPUT and the log out. An accepted set of inputs sends exactly
// the requests it describes; a refused one names the input in one error annotation and sends
// nothing; neither prints a line the runner would take as a command.

import { describe, it } from 'vitest';

import { startLocalAppRunner } from '../../local/apprunner-endpoint.js';
import { acceptedCases, expectedRequests, refusedCases } from '../support/generated-inputs.js';
import { annotations, foreignCommandLines } from '../support/log-lines.js';
import { runAction } from '../support/run-action.js';

const REGION = 'us-east-1';
/** Enough to show the bundle reads the inputs as the in-process specs do; those run every case. */
const ACCEPTED_RUNS = 5;
const REFUSED_RUNS = 5;

describe.concurrent('generated accepted inputs send exactly the requests they describe, through the bundle', () => {
  it.for(acceptedCases(ACCEPTED_RUNS, REGION))('accepted #$index', async (c, { expect, onTestFinished }) => {
    const server = await startLocalAppRunner({ region: REGION });
    onTestFinished(() => server.close());

    const run = await runAction({ inputs: c.inputs, env: { AWS_ENDPOINT_URL_APPRUNNER: server.url } });

    expect(run.exitCode, `${JSON.stringify(c.inputs)}\n${run.stdout}`).toBe(0);
    expect(server.calls.map(({ operation, body }) => ({ operation, body }))).toEqual(expectedRequests(c));
    expect(run.outputs['connection-name']).toBe(c.name);
    expect(run.outputs['provider-type']).toBe(c.providerType);
    expect(foreignCommandLines(run)).toEqual([]);
  });
});

describe.concurrent('generated refused inputs name the input and send nothing, through the bundle', () => {
  it.for(refusedCases(REFUSED_RUNS, REGION))(
    'refused #$index ($input)',
    async ({ inputs, input, value }, { expect, onTestFinished }) => {
      const server = await startLocalAppRunner({ region: REGION });
      onTestFinished(() => server.close());

      const run = await runAction({ inputs, env: { AWS_ENDPOINT_URL_APPRUNNER: server.url } });

      expect(run.exitCode, `${input}=${JSON.stringify(value)}\n${run.stdout}`).toBe(1);
      expect(server.count()).toBe(0);
      const errors = annotations(run, 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`Input '${input}'`);
      expect(run.outputs).toEqual({});
      expect(foreignCommandLines(run)).toEqual([]);
    },
  );
});
