// The troubleshooting guide quotes the messages a user sees, so that searching for one finds its
// entry. Each quote is produced here by the function in src/ that words it, for the guide's
// example: the connection your-org-github in us-east-1.

import { describe, expect, it } from 'vitest';

import type { AccountConnection } from '../../src/aws-answers.js';
import { connectionsPage } from '../../src/aws-answers.js';
import { createAppRunnerClient } from '../../src/aws-client.js';
import { AwsCallError, DeadlineExceeded, ProxyError, type ProxyRoute, QuotaReached } from '../../src/errors.js';
import { describeCommentFailure, describeFailure } from '../../src/failure.js';
import { readSettings } from '../../src/inputs.js';
import { PRODUCTION_LIMITS } from '../../src/limits.js';
import { decideOutcome } from '../../src/outcome.js';
import { resolveProxy } from '../../src/proxy.js';
import type { StepFacts } from '../../src/report.js';
import { runStep } from '../../src/step.js';
import { headings, read, section } from './markdown.js';
import { expectQuotesToMatch, quotedMessages } from './quoted-messages.js';

const guide = read('docs/troubleshooting.md');
const NAME = 'your-org-github';
const REGION = 'us-east-1';
const ARN = `arn:aws:apprunner:${REGION}:123456789012:connection/${NAME}/0123456789abcdef`;
const NOW = Date.parse('2026-12-01T00:00:00Z');
const DAY = 86_400_000;

/** An error shaped as the AWS SDK throws it. */
const sdkError = (name: string, message: string, fields: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(message), { name, ...fields });
const failed = (operation: string, cause: unknown, lastAttempt?: unknown): string =>
  describeFailure(new AwsCallError(operation, cause), { region: REGION, lastAttempt, now: NOW });

/** The route of a proxy in `https_proxy`, as resolveProxy reports it for App Runner's endpoint in the region. */
function proxyRoute(proxyUrl: string): ProxyRoute {
  const resolved = resolveProxy(new URL(`https://apprunner.${REGION}.amazonaws.com`), { https_proxy: proxyUrl });
  if (!resolved) throw new Error(`no proxy for ${proxyUrl}`);
  return resolved.route;
}
/** A failed ListConnections through a proxy; the SDK's retry strategy records the attempts it made. */
const failedThroughProxy = (cause: Error, route: ProxyRoute, attempts?: number): string =>
  describeFailure(
    new AwsCallError('ListConnections', attempts ? Object.assign(cause, { $metadata: { attempts } }) : cause),
    { region: REGION, proxy: route },
  );
const proxy = proxyRoute('http://proxy.example.com:3128');
const httpsProxy = proxyRoute('https://proxy.example.com:3128');

/** The message readSettings refuses these inputs with. */
function inputError(given: Record<string, string>): string {
  try {
    readSettings((name) => ({ 'connection-name': NAME, ...given })[name] ?? '', {});
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`inputs accepted: ${JSON.stringify(given)}`);
}

/** The failure of a whole step that stops before any AWS call (no region, a region without App Runner). */
async function stepFailure(given: Record<string, string>): Promise<string> {
  const settings = readSettings((name) => ({ 'connection-name': NAME, ...given })[name] ?? '', {});
  const log = { info() {}, debug() {}, warning() {}, secret() {}, output() {} };
  const report = await runStep(settings, { env: {}, log, configuredRegion: () => Promise.resolve(undefined) });
  return report.outcome.failure ?? '';
}

function clientError(env: Record<string, string>): string {
  try {
    createAppRunnerClient({ region: REGION, env, limits: PRODUCTION_LIMITS, routing: undefined }).client.destroy();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('client built');
}

function malformedAnswer(): string {
  // A status App Runner does not have, as a hostile or broken endpoint may send it.
  const answer = {
    ConnectionSummaryList: [{ ConnectionName: NAME, ConnectionArn: ARN, ProviderType: 'GITHUB', Status: 'BROKEN' }],
  } as unknown as Parameters<typeof connectionsPage>[0];
  try {
    connectionsPage(answer, { name: NAME, region: REGION });
  } catch (error) {
    return describeFailure(error, { region: REGION });
  }
  throw new Error('answer accepted');
}

function outcomeFailure(status: string, waited?: StepFacts['waited']): string {
  const facts = {
    name: NAME,
    providerType: 'GITHUB',
    region: REGION,
    dryRun: false,
    repository: 'your-org/your-repo',
    maskAccountId: false,
    connection: { name: NAME, arn: ARN, providerType: 'GITHUB', status },
    created: false,
    tagChanges: [],
    ...(waited && { waited }),
  } as StepFacts;
  return decideOutcome(facts).failure ?? '';
}

const quota = sdkError('ServiceQuotaExceededException', 'You have reached the maximum number of connections.', {
  $metadata: { httpStatusCode: 402 },
});
const holders: AccountConnection[] = [
  {
    name: 'old-preview',
    arn: `arn:aws:apprunner:${REGION}:123456789012:connection/old-preview/1`,
    providerType: 'GITHUB',
    status: 'PENDING_HANDSHAKE',
    createdAt: new Date(NOW - 41 * DAY),
  },
  { name: NAME, arn: ARN, providerType: 'GITHUB', status: 'AVAILABLE', createdAt: new Date(NOW - 300 * DAY) },
];

async function printedMessages(): Promise<string[]> {
  return [
    inputError({ region: 'US-EAST-1' }),
    inputError({ 'wait-for-handshake': '15 minutes' }),
    inputError({ 'poll-interval': '0' }),
    inputError({ 'dry-run': 'yes' }),
    await stepFailure({}),
    await stepFailure({ region: 'sa-east-1' }),
    failed('ListConnections', sdkError('CredentialsProviderError', 'Could not load credentials from any providers')),
    failed(
      'ListConnections',
      sdkError('ExpiredTokenException', 'The security token included in the request is expired', {
        $metadata: { httpStatusCode: 400 },
      }),
    ),
    failed(
      'CreateConnection',
      sdkError(
        'AccessDeniedException',
        'User: arn:aws:sts::123456789012:assumed-role/deploy/GitHubActions is not authorized',
        {
          $metadata: { httpStatusCode: 400 },
        },
      ),
    ),
    failed(
      'ListConnections',
      sdkError('AccessDeniedException', 'AWS App Runner is no longer available to new customers.', {
        $metadata: { httpStatusCode: 400 },
      }),
    ),
    clientError({ AWS_MAX_ATTEMPTS: 'ten' }),
    describeFailure(new QuotaReached(new AwsCallError('CreateConnection', quota), holders), {
      region: REGION,
      now: NOW,
    }),
    failed(
      'ListConnections',
      sdkError('ThrottlingException', 'Rate exceeded', { $metadata: { httpStatusCode: 429, attempts: 10 } }),
    ),
    failed(
      'ListConnections',
      sdkError('InternalServiceErrorException', 'An internal error occurred.', {
        $metadata: { httpStatusCode: 500, attempts: 10 },
        $fault: 'server',
      }),
    ),
    failed(
      'ListConnections',
      sdkError('Error', `getaddrinfo ENOTFOUND apprunner.${REGION}.amazonaws.com`, {
        code: 'ENOTFOUND',
        $metadata: { attempts: 10 },
      }),
    ),
    failed(
      'ListConnections',
      new DeadlineExceeded(PRODUCTION_LIMITS.lookupMs),
      // The SDK's words for a connection that did not open within connectionTimeout.
      sdkError(
        'TimeoutError',
        `@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of ${PRODUCTION_LIMITS.connectionTimeoutMs} ms.`,
      ),
    ),
    failed(
      'ListConnections',
      sdkError('UnknownError', 'UnknownError', {
        $metadata: { httpStatusCode: 403 },
        $response: { statusCode: 403, headers: { 'content-type': 'text/html' } },
      }),
    ),
    failed(
      'ListConnections',
      sdkError('Unknown', 'UnknownError', {
        $metadata: { httpStatusCode: 302 },
        $response: {
          statusCode: 302,
          headers: { 'content-type': 'application/x-amz-json-1.0', location: 'https://login.example.com/' },
        },
      }),
    ),
    malformedAnswer(),
    // Behind a proxy: one that cannot reach AWS, an https:// one whose certificate is not trusted, and
    // one that inspects TLS with a certificate Node.js does not trust.
    failedThroughProxy(new ProxyError(proxy, 502, 'Bad Gateway', undefined), proxy, PRODUCTION_LIMITS.maxAttempts),
    failedThroughProxy(new ProxyError(httpsProxy, undefined, '', 'SELF_SIGNED_CERT_IN_CHAIN'), httpsProxy),
    failedThroughProxy(
      Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }),
      proxy,
    ),
    outcomeFailure('ERROR'),
    outcomeFailure('PENDING_HANDSHAKE', { forMs: 15 * 60_000, lastCheckUnanswered: false }),
    outcomeFailure('DELETED', { forMs: 15 * 60_000, lastCheckUnanswered: false }),
    describeCommentFailure(sdkError('HttpError', 'Resource not accessible by integration')),
    describeCommentFailure(new DeadlineExceeded(PRODUCTION_LIMITS.commentMs)),
  ];
}

describe('the troubleshooting guide', () => {
  it('quotes, word for word, the messages the action prints', async () => {
    expectQuotesToMatch(quotedMessages(guide), await printedMessages());
  });

  it('starts every entry with the message the user sees: a quote of the action, or of whoever printed it', () => {
    const entries = headings(guide).filter((heading) => heading.level === 3);
    expect(entries.length).toBeGreaterThan(20);
    for (const { text } of entries) {
      const body = section(guide, text).split('\n').slice(1).join('\n').trimStart();
      const opening = /^(```text\n|> `)/.test(body);
      expect(opening, `the entry "${text}" does not open with the message`).toBe(true);
    }
  });

  it('is reached from the README', () => {
    expect(read('README.md')).toContain('(docs/troubleshooting.md)');
  });
});
