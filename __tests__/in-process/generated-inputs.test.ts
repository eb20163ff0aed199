// Generated inputs through the action's own input reader (action.yml's defaults for the rest),
// then the step against a local endpoint: every accepted set of inputs sends exactly the
// requests it describes (the tags App Runner accepts, byte for byte, in any of the three
// forms), and every refused one names the input it breaks and sends nothing. The generators
// (support/generated-inputs.ts) know the outcome by construction; the bundle runs a few of the
// same cases end to end.

import { describe, it } from 'vitest';

import { startLocalAppRunner } from '../../local/apprunner-endpoint.js';
import { InputError } from '../../src/inputs.js';
import { acceptedCases, expectedRequests, refusedCases } from '../support/generated-inputs.js';
import { inertLine } from '../../src/inert.js';
import { commandLike, printedLines, runInProcess } from '../support/in-process.js';

const REGION = 'us-east-1';
const ACCEPTED_RUNS = 120;
const REFUSED_RUNS = 100;

describe('generated accepted inputs send exactly the requests they describe', () => {
  it.concurrent.for(acceptedCases(ACCEPTED_RUNS, REGION))('accepted #$index', async (c, { expect, onTestFinished }) => {
    const server = await startLocalAppRunner({ region: REGION });
    onTestFinished(() => server.close());

    const run = await runInProcess({ inputs: c.inputs, env: { AWS_ENDPOINT_URL_APPRUNNER: server.url } });

    expect(run.failure, JSON.stringify(c.inputs)).toBeUndefined();
    expect(commandLike(printedLines(run))).toEqual([]);
    expect(server.calls.map(({ operation, body }) => ({ operation, body }))).toEqual(expectedRequests(c));
    expect(run.outputs['connection-name']).toBe(c.name);
    expect(run.outputs['provider-type']).toBe(c.providerType);
    expect(run.outputs['created']).toBe(String(!c.dryRun));
    const stored = server.connections().map(({ name, providerType, tags }) => ({ name, providerType, tags }));
    const tags = Object.fromEntries(c.tags.map(({ key, value }) => [key, value]));
    expect(stored).toEqual(c.dryRun ? [] : [{ name: c.name, providerType: c.providerType, tags }]);
  });
});

describe('generated refused inputs name the input and send nothing', () => {
  it.concurrent.for(refusedCases(REFUSED_RUNS, REGION))(
    'refused #$index ($input)',
    async ({ inputs, input, value }, { expect, onTestFinished }) => {
      const server = await startLocalAppRunner({ region: REGION });
      onTestFinished(() => server.close());

      const refused = await runInProcess({ inputs, env: { AWS_ENDPOINT_URL_APPRUNNER: server.url } }).then(
        (run) => run,
        (error: unknown) => error,
      );

      expect(refused, `${input}=${JSON.stringify(value)}`).toBeInstanceOf(InputError);
      const [problem, ...more] = (refused as InputError).message.split('\n');
      expect(more).toEqual([]);
      expect(problem).toContain(`Input '${input}'`);
      // As the shell prints it (log.fail passes it through inertLine): no command the runner would run.
      expect(commandLike([inertLine(problem ?? '')])).toEqual([]);
      expect(server.count()).toBe(0);
    },
  );
});
