// A create the connection quota refuses, in process against the local endpoint behind a front that
// can spoil the one listing of the account's connections that follows it: with the listing, the
// failure names the connections that hold the quota; without it, the quota message stands alone.

import type { IncomingMessage } from 'node:http';

import { describe, it, type TestContext } from 'vitest';

import { type HostileFront, appRunnerBehindFront, appRunnerOperation } from '../support/hostile-front.js';
import { type InProcessRun, runInProcess } from '../support/in-process.js';

const REGION = 'us-east-1';
const QUOTA_REFUSED = 'The App Runner connection quota in us-east-1 is reached, so CreateConnection was refused.';

/** The endpoint, holding two connections and refusing the next create, behind a front that tells the lookup from the listing after it. */
async function quotaReached(context: Pick<TestContext, 'onTestFinished'>): Promise<HostileFront> {
  let listings = 0;
  const keyOf = (req: IncomingMessage) => {
    const operation = appRunnerOperation(req);
    if (operation !== 'ListConnections') return operation;
    return listings++ === 0 ? 'lookup' : 'account listing';
  };
  const { server, front } = await appRunnerBehindFront(context, REGION, keyOf);
  server.seedConnection({ name: 'in-use', status: 'AVAILABLE' });
  server.seedConnection({ name: 'left-over', status: 'PENDING_HANDSHAKE' });
  server.injectFault({ operation: 'CreateConnection', type: 'ServiceQuotaExceededException' });
  return front;
}

function createThrough(front: HostileFront): Promise<InProcessRun> {
  return runInProcess({
    inputs: { 'connection-name': 'one-too-many', region: REGION },
    env: { AWS_ENDPOINT_URL_APPRUNNER: front.url, AWS_MAX_ATTEMPTS: '2' },
  });
}

describe.concurrent('a create the connection quota refuses', () => {
  it('names the connections that hold the quota, the leftover first, in the failure and the summary', async ({
    expect,
    onTestFinished,
  }) => {
    const front = await quotaReached({ onTestFinished });

    const run = await createThrough(front);

    expect(run.failure).toContain(QUOTA_REFUSED);
    expect(run.failure).toMatch(/left-over \(GITHUB, PENDING_HANDSHAKE, created [^)]+\); in-use \(GITHUB, AVAILABLE, /);
    expect(run.report.outcome.next).toMatchObject({ kind: 'free-quota' });
    expect(run.summaryShown).toContain('### The connection quota is reached');
    expect(run.outputs).toEqual({});
  });

  it('keeps the quota message alone when the account’s connections cannot be listed', async ({
    expect,
    onTestFinished,
  }) => {
    const front = await quotaReached({ onTestFinished });
    front.misbehave(
      'account listing',
      { kind: 'answer', status: 500, body: '{"__type":"InternalServiceErrorException"}' },
      Infinity,
    );

    const run = await createThrough(front);

    // The listing was tried, every attempt of it, and failed.
    expect(front.requests.map((request) => request.key)).toEqual([
      'lookup',
      'CreateConnection',
      'account listing',
      'account listing',
    ]);
    expect(run.failure).toContain(QUOTA_REFUSED);
    expect(run.failure).toMatch(/Delete connections you no longer use \(aws apprunner delete-connection/);
    expect(run.failure).not.toMatch(/left-over|in-use|InternalServiceError/);
    expect(run.report.outcome.next).toEqual({ kind: 'none' });
    expect(run.summaryShown).not.toContain('### The connection quota is reached');
    expect(run.summaryShown).toContain('**The step failed:**');
  });
});
