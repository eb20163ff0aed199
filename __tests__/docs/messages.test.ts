// The guides quote the action's messages, so that searching for one finds its entry. Every quote is produced here by
// the functions of src/ that word it, for the guides' example: the connection your-org-github in us-east-1, behind the
// proxy http://proxy.example.com:3128 where there is one.

import { describe, expect, it } from 'vitest';

import { type AppRunner, createAppRunner } from '../../src/aws-client.js';
import { matchingConnection } from '../../src/aws-responses.js';
import { findOrCreate } from '../../src/connection.js';
import * as errors from '../../src/errors.js';
import { readSettings } from '../../src/inputs.js';
import { failure, log } from '../../src/messages.js';
import { type ConnectionStatus, PRODUCTION_LIMITS, type ProxyRoute } from '../../src/model.js';
import { type Report, decideOutcome } from '../../src/outcome.js';
import { routeCalls } from '../../src/proxy.js';
import { resolveRegion } from '../../src/aws-client.js';
import { renderInputProblems } from '../../src/render.js';
import { toText } from '../../src/text.js';
import { guardThisProcess } from '../support/network-guard.js';
import { codeBlocks, headings, read, section } from './markdown.js';

guardThisProcess(); // The proxy routes name hosts; nothing here may reach them.

const [NAME, REGION] = ['your-org-github', 'us-east-1'];
const ARN = `arn:aws:apprunner:${REGION}:123456789012:connection/${NAME}/0123456789abcdef`;
const NOW = Date.parse('2026-12-01T12:00:00Z');
const [MINUTE, DAY] = [60_000, 86_400_000];
const { maxAttempts, lookupMs, commentMs, throttleBudgetMs, maxCommentPages } = PRODUCTION_LIMITS;
const { CallError, CommentSearchCapped, DeadlineExceeded, ProxyError, classifyError, errorText } = errors;

type Context = errors.ClassifyContext;
type SdkError = [name: string, message: string, status?: number, attempts?: number, fields?: object];
/** An error shaped as the AWS SDK throws it, `attempts` as its retry strategy records them. */
const sdkError = (...[name, message, status, attempts, fields]: SdkError): Error =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, attempts }, ...fields });
const afterAttempts = <T>(error: T): T => Object.assign(error as object, { $metadata: { attempts: maxAttempts } }) as T;
const html = { $response: { statusCode: 403, headers: { 'content-type': 'text/html' } } };
const login = { 'content-type': 'application/x-amz-json-1.0', location: 'https://login.example.com/' };
const EXPIRED: SdkError = ['ExpiredTokenException', 'The security token included in the request is expired', 400];
const CERT = { code: 'SELF_SIGNED_CERT_IN_CHAIN' };
const UNTRUSTED: SdkError = ['Error', 'self-signed certificate in certificate chain', undefined, undefined, CERT];
// ListConnections refused, as the SDK reports it: no credentials, rejected ones, expired ones, closed to new customers,
// a server error, a host that does not resolve, an untrusted certificate, a proxy's page, a redirect.
const LIST_ERRORS: SdkError[] = [
  ['CredentialsProviderError', 'Could not load credentials from any providers'],
  ['InvalidClientTokenId', 'The security token included in the request is invalid.', 403],
  EXPIRED,
  ['AccessDeniedException', 'AWS App Runner is no longer available to new customers.', 400],
  ['InternalServiceErrorException', 'An internal error occurred.', 500, maxAttempts, { $fault: 'server' }],
  ['Error', `getaddrinfo ENOTFOUND apprunner.${REGION}.amazonaws.com`, undefined, maxAttempts, { code: 'ENOTFOUND' }],
  UNTRUSTED,
  ['UnknownError', 'UnknownError', 403, 1, html],
  ['Unknown', 'UnknownError', 302, 1, { $response: { statusCode: 302, headers: login } }],
];
// The SDK's words for a connection that did not open within connectionTimeout.
const TIMEOUT: SdkError = [
  'TimeoutError',
  `@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of ${PRODUCTION_LIMITS.connectionTimeoutMs} ms.`,
];

/** What `work` throws; a test that expected a throw fails when it returns. */
async function thrown(work: () => unknown): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

/** The failure of a run that ends with this report, as the log and the annotation print it. */
function failed(fields: Partial<Report>): string {
  const report: Report = {
    ...{ name: NAME, providerType: 'GITHUB', region: REGION, dryRun: false, maskAccountId: false, created: false },
    ...{ tags: [], tagChanges: [], at: NOW, ...fields },
  };
  const text = failure(report, decideOutcome(report));
  if (!text) throw new Error(`the run passes: ${JSON.stringify(fields)}`);
  return toText(text);
}
/** The failure of a run whose `operation` threw `cause`, classified as the step classifies it. */
const callFailed = (operation: string, cause: unknown, fields: Partial<Report> = {}, context: Context = {}) =>
  failed({ ...fields, problem: classifyError(new CallError(operation, cause), { proxy: fields.proxy, ...context }) });
const listFailed = (error: SdkError, fields?: Partial<Report>) =>
  callFailed('ListConnections', sdkError(...error), fields);
const problemOf = async (work: () => unknown) => failed({ problem: classifyError(await thrown(work)) });

const settingsFor = (given: Record<string, string>) =>
  readSettings((name) => ({ 'connection-name': NAME, ...given })[name] ?? '', {});
const inputProblems = async (given: Record<string, string>) =>
  ((await thrown(() => settingsFor(given))) as errors.InputError).problems;

const connection = (status: ConnectionStatus, name = NAME) =>
  ({ name, arn: ARN.replace(NAME, name), providerType: 'GITHUB', status }) as const;
const pending = connection('PENDING_HANDSHAKE');
/** A wait of `forMs` that ended now, after `waitedMs`, for `end`. */
const waited = (forMs: number, waitedMs: number, end?: 'timeout' | 'credentials') =>
  ({ forMs, startedAt: NOW - waitedMs, endedAt: NOW, ...(end && { end }) }) as const;

/** A create refused by the quota, as findOrCreate reports it, with the account's connections. */
function quotaRefusal(): Promise<string> {
  const quota = sdkError('ServiceQuotaExceededException', 'You have reached the maximum number of connections.', 402);
  const held = [
    { ...connection('AVAILABLE'), createdAt: new Date(NOW - 300 * DAY) },
    { ...connection('PENDING_HANDSHAKE', 'old-preview'), createdAt: new Date(NOW - 41.5 * DAY) },
  ];
  const api: AppRunner = {
    findConnection: () => Promise.resolve(undefined),
    listConnections: () => Promise.resolve(held),
    createConnection: () => Promise.reject(new CallError('CreateConnection', quota)),
    listTags: () => Promise.reject(new Error('not called')),
    tagResource: () => Promise.reject(new Error('not called')),
  };
  const request = { name: NAME, providerType: 'GITHUB', tags: [], dryRun: false } as const;
  return problemOf(() => findOrCreate(api, request, { signal: AbortSignal.timeout(10_000), racePausesMs: [] }));
}

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY'];
/** The route routeCalls takes with `https_proxy` set (the toolkit's rules read process.env, put back after). */
async function routeWith(proxyUrl: string): Promise<ProxyRoute | undefined> {
  const saved = PROXY_VARIABLES.map((variable) => [variable, process.env[variable]] as const);
  PROXY_VARIABLES.forEach((variable) => delete process.env[variable]);
  process.env['https_proxy'] = proxyUrl;
  try {
    return (await routeCalls(REGION, {})).proxy;
  } finally {
    for (const [variable, value] of saved) {
      if (value === undefined) delete process.env[variable];
      else process.env[variable] = value;
    }
  }
}

async function troubleshootingMessages(): Promise<string[]> {
  const proxy = await routeWith('http://proxy.example.com:3128');
  const regionOf = (given: Record<string, string>, configured?: string) =>
    problemOf(async () => resolveRegion(await settingsFor(given), {}, () => Promise.resolve(configured)));
  const denied = 'User: arn:aws:sts::123456789012:assumed-role/deploy/GitHubActions is not authorized';
  const down = sdkError('Error', 'connect ECONNREFUSED', undefined, maxAttempts, { code: 'ECONNREFUSED' });
  const throttled = sdkError('ThrottlingException', 'Rate exceeded', 400, 31);
  const summary = { ConnectionName: NAME, ConnectionArn: ARN, ProviderType: 'GITHUB', Status: 'BROKEN' };
  const broken = { ConnectionSummaryList: [summary] } as Parameters<typeof matchingConnection>[0];
  const client = { region: REGION, endpoint: undefined, limits: PRODUCTION_LIMITS, now: Date.now, onThrottled() {} };
  return [
    ...(await inputProblems({ region: 'US-EAST-1', 'wait-for-handshake': '15 minutes', 'dry-run': 'yes' })),
    ...(await inputProblems({ 'poll-interval': '0' })),
    ...(await settingsFor({ tags: 'team=platform,env=prod' })).warnings,
    await regionOf({}),
    await regionOf({}, 'Ireland'),
    await regionOf({ region: 'sa-east-1' }),
    ...LIST_ERRORS.map((error) => listFailed(error)),
    listFailed(EXPIRED, { connection: pending, waited: waited(2 * 60 * MINUTE, 47 * MINUTE) }),
    failed({ connection: pending, waited: waited(2 * 60 * MINUTE, 59 * MINUTE, 'credentials') }),
    toText(log.credentialsEndFirst(new Date(NOW + 60 * MINUTE), 2 * 60 * MINUTE)),
    callFailed('CreateConnection', sdkError('AccessDeniedException', denied, 400)),
    await problemOf(() => createAppRunner({ ...client, env: { AWS_MAX_ATTEMPTS: 'ten' } })),
    await quotaRefusal(),
    toText(log.queued(30_000, throttleBudgetMs, REGION)),
    callFailed('ListConnections', throttled, {}, { queuedMs: throttleBudgetMs }),
    callFailed('ListConnections', down, { endpoint: 'http://localhost:4566' }),
    callFailed('ListConnections', new DeadlineExceeded(lookupMs), {}, { lastAttempt: sdkError(...TIMEOUT) }),
    // A status App Runner does not have, as a broken or hostile endpoint may send it.
    await problemOf(() => matchingConnection(broken, { name: NAME, region: REGION })),
    callFailed('ListConnections', afterAttempts(new ProxyError(proxy!, 502, undefined)), { proxy }),
    failed({ connection: connection('ERROR') }),
    failed({ connection: pending, waited: waited(15 * MINUTE, 15 * MINUTE, 'timeout') }),
    failed({ connection: connection('DELETED'), waited: waited(15 * MINUTE, 4 * MINUTE) }),
    toText(log.otherProvider({ ...connection('AVAILABLE'), providerType: 'BITBUCKET' }, 'GITHUB')),
    ...[
      { kind: 'refused', error: errorText(sdkError('HttpError', 'Resource not accessible by integration')) } as const,
      { kind: 'other', error: errorText(sdkError('HttpError', 'Bad Gateway')) } as const,
      { kind: 'deadline', ms: commentMs } as const,
      { kind: 'capped', error: errorText(new CommentSearchCapped(maxCommentPages * 100)) } as const,
    ].map((failed) => toText(log.commentFailed(failed))),
  ];
}

async function proxyMessages(): Promise<string[]> {
  const urls = ['http://proxy.example.com:3128', 'http://deploy-bot:s3cr%40t@proxy.example.com:3128'];
  const [plain, withCredentials, https] = await Promise.all([...urls, 'https://proxy.example.com:3128'].map(routeWith));
  const through = (route: ProxyRoute | undefined, cause: unknown, lastAttempt?: unknown) =>
    callFailed('ListConnections', cause, { proxy: route }, { lastAttempt });
  return [
    through(plain, new ProxyError(plain!, 407, undefined)),
    through(withCredentials, new ProxyError(withCredentials!, 407, undefined)),
    through(plain, new ProxyError(plain!, 403, undefined)),
    through(plain, afterAttempts(new ProxyError(plain!, 502, undefined))),
    through(plain, new ProxyError(plain!, undefined, 'ECONNREFUSED')),
    through(https, new ProxyError(https!, undefined, 'SELF_SIGNED_CERT_IN_CHAIN')),
    through(plain, new DeadlineExceeded(lookupMs), sdkError(...TIMEOUT)),
    through(plain, sdkError(...UNTRUSTED)),
    await problemOf(() => routeWith('socks5://proxy.example.com:1080')),
    await problemOf(() => routeWith('proxy.example.com:3128')),
  ];
}

const GUIDES: [string, string | undefined, () => Promise<readonly string[]>][] = [
  ['docs/troubleshooting.md', undefined, troubleshootingMessages],
  ['docs/self-hosted-runners.md', 'What the proxy errors look like', proxyMessages],
  ['docs/tags.md', 'Commas', async () => (await settingsFor({ tags: 'team=platform,env=prod' })).warnings],
];

describe.each(GUIDES)('the messages %s quotes', (path, heading, printed) => {
  // Its one-line ```text blocks.
  const quotes = codeBlocks(heading === undefined ? read(path) : section(read(path), heading))
    .filter((block) => block.language === 'text')
    .map((block) => block.text.replace(/\n$/, ''));

  it('are each a part (40 characters or more) of a message the action prints, and quote every one of them', async () => {
    const messages = await printed();
    expect(quotes.length).toBeGreaterThan(0);
    for (const quote of quotes) {
      const closest = messages.filter((message) => message.startsWith(quote.slice(0, 30))).join('\n');
      expect(quote.length, quote).toBeGreaterThanOrEqual(40);
      const printed = messages.some((message) => message.includes(quote));
      expect(printed, `not printed:\n${quote}\nclosest:\n${closest}`).toBe(true);
    }
    for (const message of messages) {
      const quoted = quotes.some((quote) => message.includes(quote));
      expect(quoted, `printed, not quoted:\n${message}`).toBe(true);
    }
  });
});

describe('the troubleshooting guide', () => {
  const guide = read('docs/troubleshooting.md');

  it('starts every entry with the message the user sees: a quote of the action, or of whoever printed it', () => {
    const entries = headings(guide).filter((heading) => heading.level === 3);
    expect(entries.length).toBeGreaterThan(20);
    for (const { text } of entries) {
      const body = section(guide, text).split('\n').slice(1).join('\n').trimStart();
      expect(body, `the entry "${text}" does not open with the message`).toMatch(/^(```text\n|> `)/);
    }
  });

  it('names the heading of the summary a refused run writes', () => {
    expect(guide).toContain(`**${renderInputProblems(['x']).split('\n')[0]?.replace(/^#+ /, '')}**`);
  });

  it('shows the proxy messages without the credentials of the proxy URL', async () => {
    for (const message of await proxyMessages()) expect(message).not.toMatch(/deploy-bot|s3cr/);
  });
});
