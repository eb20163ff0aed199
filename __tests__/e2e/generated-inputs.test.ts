// A handful of the generated inputs (support/generated-inputs.ts; the unit specs run them by the
// hundred) through the bundle, as INPUT_* variables: an accepted set sends exactly the requests it
// describes, a refused one names its input in one error annotation and sends nothing, and neither
// prints a line the runner would take as a command.
import { describe, it } from 'vitest';

import { acceptedCases, expectedRequests, refusedCases } from '../support/generated-inputs.js';
import { localRuns } from '../support/local-run.js';
import { annotations, foreignCommandLines } from '../support/log-lines.js';
import { runAction } from '../support/run-action.js';

const REGION = 'us-east-1';
const { endpointFor } = localRuns({ connectionName: 'unused', region: REGION });

describe.concurrent('generated inputs read by the bundle as by the input reader', () => {
  it.for(acceptedCases(5, REGION))('accepted $name sends the requests it describes', async (c, context) => {
    const server = await endpointFor(context);

    const run = await runAction({ inputs: c.inputs, env: { AWS_ENDPOINT_URL_APPRUNNER: server.url } });

    context.expect(run.exitCode, `${JSON.stringify(c.inputs)}\n${run.stdout}`).toBe(0);
    context.expect(server.calls.map(({ operation, body }) => ({ operation, body }))).toEqual(expectedRequests(c));
    context.expect(run.outputs).toMatchObject({ 'connection-name': c.name, 'provider-type': c.providerType });
    const warned = annotations(run, 'warning').map((warning) => Number(/^Input 'tags' line (\d+) /.exec(warning)?.[1]));
    context.expect(warned).toEqual(c.warnedLines);
    context.expect(foreignCommandLines(run)).toEqual([]);
  });

  it.for(refusedCases(5, REGION))('refused for $input: named, and nothing sent', async (c, context) => {
    const server = await endpointFor(context);

    const run = await runAction({ inputs: c.inputs, env: { AWS_ENDPOINT_URL_APPRUNNER: server.url } });

    context.expect(run.exitCode, `${c.input}=${JSON.stringify(c.value)}\n${run.stdout}`).toBe(1);
    context.expect(annotations(run, 'error')).toEqual([context.expect.stringContaining(`Input '${c.input}'`)]);
    context.expect(run.outputs).toEqual({});
    context.expect(server.count()).toBe(0);
    context.expect(foreignCommandLines(run)).toEqual([]);
  });
});
