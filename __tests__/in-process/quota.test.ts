// A create the connection quota refuses, in process, behind a front that tells the lookup from the listing
// of the account's connections: the failure and the summary name the holders, likely leftovers first,
// oldest first; a listing that fails or is malformed leaves the refusal alone.

import { describe, it, type TestContext } from 'vitest';

import {
  type Answer,
  type KeyOf,
  type Misbehaviour,
  appRunnerBehindFront,
  appRunnerOperation,
} from '../support/hostile-front.js';
import { runInProcess } from '../support/in-process.js';

const REFUSED = 'The App Runner connection quota in us-east-1 is reached, so CreateConnection was refused.';
/** The account's connections, in the order App Runner lists them, and their age in days. */
const HELD = [
  { name: 'in-use', status: 'AVAILABLE', days: 1 },
  { name: 'left-over', status: 'PENDING_HANDSHAKE', days: 3 },
  { name: 'broken', status: 'ERROR', days: 10 },
  { name: 'old-in-use', status: 'AVAILABLE', days: 40 },
  { name: 'gone', status: 'DELETED', days: 50 },
] as const;
const listingAll: KeyOf = (req, body) =>
  appRunnerOperation(req) === 'ListConnections' && !body.includes('ConnectionName')
    ? 'account listing'
    : appRunnerOperation(req);

/** A create of `one-too-many` refused for the quota while HELD exist, their listing aged (or `listing` instead). */
async function quotaReached(context: Pick<TestContext, 'onTestFinished'>, listing?: Misbehaviour) {
  const { server, front } = await appRunnerBehindFront(context, 'us-east-1', listingAll);
  for (const { name, status } of HELD) server.seedConnection({ name, status });
  server.injectFault({ operation: 'CreateConnection', type: 'ServiceQuotaExceededException', message: 'Quota hit.' });
  const aged = (answer: Answer): Answer => {
    for (const entry of (answer.body as { ConnectionSummaryList: Record<string, unknown>[] }).ConnectionSummaryList) {
      const days = HELD.find(({ name }) => name === entry['ConnectionName'])?.days ?? 0;
      entry['CreatedAt'] = Date.now() / 1000 - days * 86_400;
    }
    return answer;
  };
  front.misbehave('account listing', listing ?? { kind: 'edit', edit: aged }, Infinity);
  const env = { AWS_ENDPOINT_URL_APPRUNNER: front.url };
  const run = await runInProcess({ inputs: { 'connection-name': 'one-too-many', region: 'us-east-1' }, env });
  return { server, front, run };
}

describe.concurrent('a create the connection quota refuses', () => {
  it('names the connections that hold the quota, leftovers first, oldest first', async ({ expect, onTestFinished }) => {
    const { server, run } = await quotaReached({ onTestFinished });

    expect(run.failure).toBe(
      `${REFUSED} The account's 4 connections there, likely leftovers (PENDING_HANDSHAKE, ERROR) first, oldest first: broken (GITHUB, ERROR, created 10d ago); left-over (GITHUB, PENDING_HANDSHAKE, created 3d ago); old-in-use (GITHUB, AVAILABLE, created 40d ago); in-use (GITHUB, AVAILABLE, created 1d ago). Delete connections you no longer use (aws apprunner delete-connection --connection-arn <connection-arn> --region us-east-1) or request a higher quota in Service Quotas (https://us-east-1.console.aws.amazon.com/servicequotas/home/services/apprunner/quotas). AWS said: Quota hit.`,
    );
    // The summary's table of them, each with the command that deletes it.
    const rows = run.summary.split('\n').filter((line) => line.includes('delete-connection --connection-arn arn:'));
    const row = (name: string) => {
      const arn = server.connections().find((c) => c.name === name)?.arn ?? '';
      return expect.stringMatching(
        new RegExp(`^\\| \`${name}\` \\|.* --connection-arn ${arn} --region us-east-1\` \\|$`),
      );
    };
    expect(rows).toEqual(['broken', 'left-over', 'old-in-use', 'in-use'].map(row));
    expect(run.summary).toContain('### The connection quota is reached');
    expect(run.outputs).toEqual({});
  });

  it.for([
    ['fails', { kind: 'answer', status: 500, body: '{"__type":"InternalServiceErrorException"}' }],
    ['is malformed', { kind: 'edit', edit: (answer) => ({ ...answer, body: { ConnectionSummaryList: [7] } }) }],
  ] satisfies [string, Misbehaviour][])(
    'stands alone when the listing %s',
    async ([, listing], { expect, onTestFinished }) => {
      const { front, run } = await quotaReached({ onTestFinished }, listing);

      expect(front.requests.map((request) => request.key)).toContain('account listing');
      expect(run.failure).toMatch(
        new RegExp(`^${REFUSED.replaceAll('.', '\\.')} Delete connections you no longer use`),
      );
      expect(run.failure).not.toMatch(/in-use|left-over|InternalServiceError|ConnectionSummaryList/);
      expect(run.summary).not.toContain('delete-connection --connection-arn arn:');
    },
  );
});
