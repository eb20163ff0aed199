// Behaviours 9, 11 and 13: classifyError turns what a call threw into one problem of a closed set. The fixtures are
// errors as the SDK and Node build them: `$metadata`, `$fault`, the hidden `$response`, a socket error's `code`.

import { AppRunnerServiceException, InternalServiceErrorException } from '@aws-sdk/client-apprunner';
import { describe, expect, it } from 'vitest';

import {
  CallError,
  type ClassifyContext,
  DeadlineExceeded,
  type Problem,
  ProblemError,
  ProxyError,
  ResponseTooLarge,
  classifyError,
  errorText,
  malformedResponse,
} from '../../src/errors.js';
import { ROUTE } from '../support/reports.js';

const OP = 'ListConnections';
const HINT =
  'Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.';

/** Keeps the response on the error as the SDK does: hidden (not enumerable). */
const withResponse = <T extends Error>(error: T, statusCode: number, headers: Record<string, string> = {}) =>
  Object.defineProperty(error, '$response', { value: { statusCode, headers } });

/** An App Runner error response, named by its `__type` (the SDK strips a namespace from a name it models). */
function aws(name: string, status: number, message = '', attempts = 1): AppRunnerServiceException {
  const $metadata = { httpStatusCode: status, attempts, requestId: 'b7a0c2e4' };
  const $fault = status >= 500 ? 'server' : 'client';
  return withResponse(new AppRunnerServiceException({ name, $fault, $metadata, message }), status);
}

/** A response the SDK could not parse as App Runner's (a proxy's page, a redirect). */
function unparsable(status: number, headers: Record<string, string>, attempts = 1): Error {
  const error = new SyntaxError(`Unexpected token '<', "<html>" is not valid JSON\n  ${HINT}`);
  return withResponse(Object.assign(error, { $metadata: { httpStatusCode: status, attempts } }), status, headers);
}

/** Node's socket errors and the HTTP handler's timeouts, after the SDK's retries. */
function network(code: string | undefined, message: string, attempts = 1, name = 'Error'): Error {
  return Object.assign(new Error(message), { name, $metadata: { attempts }, ...(code && { code }) });
}

const classify = (cause: unknown, context?: ClassifyContext) => classifyError(new CallError(OP, cause), context);
const gaveUp = (lastAttempt: unknown, context: ClassifyContext = {}) =>
  classifyError(new CallError(OP, new DeadlineExceeded(45_000)), { ...context, lastAttempt });

const W = 'AWS words.';
const timeout = () => network(undefined, 'the socket did not connect within 3000 ms', 10, 'TimeoutError');

describe('an error App Runner answered with: its kind, and AWS’s words', () => {
  it.each([
    ['ExpiredTokenException', 400, { kind: 'credentials-expired' }],
    ['com.amazon.coral.service#ExpiredTokenException', 400, { kind: 'credentials-expired' }],
    ['ExpiredToken', 400, { kind: 'credentials-expired' }],
    ['UnrecognizedClientException', 403, { kind: 'credentials-rejected', name: 'UnrecognizedClientException' }],
    ['InvalidClientTokenId', 403, { kind: 'credentials-rejected', name: 'InvalidClientTokenId' }],
    ['SignatureDoesNotMatch', 403, { kind: 'credentials-rejected', name: 'SignatureDoesNotMatch' }],
    ['AccessDeniedException', 400, { kind: 'access-denied' }],
    ['ServiceQuotaExceededException', 402, { kind: 'quota' }],
    ['InvalidRequestException', 400, { kind: 'invalid-request' }],
    ['ThrottlingException', 400, { kind: 'throttled' }],
    ['TooManyRequestsException', 400, { kind: 'throttled' }],
    ['SlowDown', 429, { kind: 'throttled' }],
    ['ServiceUnavailableException', 503, { kind: 'server-error', status: 503, name: 'ServiceUnavailableException' }],
  ])('calls %s (HTTP %i) what it is, with the operation, the attempts and what AWS said', (name, status, problem) => {
    const said = /expired|throttled/.test(problem.kind) ? {} : { awsSaid: W };
    expect(classify(aws(name, status, W, 3))).toEqual({ operation: OP, attempts: 3, ...said, ...problem });
  });

  it('calls a provider chain that found nothing no credentials, leaving out a single attempt', () => {
    const none = network(undefined, 'Could not load credentials from any providers', 1, 'CredentialsProviderError');
    expect(classify(none)).toEqual({ kind: 'no-credentials', operation: OP });
  });

  it.each([
    ['App Runner is no longer available to new customers.', 'closed-to-new-customers'],
    ['This service is closed to a new customer.', 'closed-to-new-customers'],
    ['User: arn:aws:sts::123456789012:assumed-role/ci/gh is not authorized', 'access-denied'],
  ])('tells a denial that says %j from one an IAM change would fix', (message, kind) => {
    expect(classify(aws('AccessDeniedException', 403, message))).toEqual({ kind, operation: OP, awsSaid: message });
  });

  it("calls App Runner's modelled InternalServiceErrorException a server error", () => {
    const $metadata = { httpStatusCode: 500, attempts: 10 };
    const internal = new InternalServiceErrorException({ $metadata, message: 'An internal error occurred.' });
    expect(classify(withResponse(internal, 500))).toMatchObject({ kind: 'server-error', status: 500, attempts: 10 });
  });

  it('counts the time a throttled call was queued', () => {
    expect(classify(aws('ThrottlingException', 400), { queuedMs: 240_000 })).toMatchObject({ queuedMs: 240_000 });
  });

  it('truncates what AWS said to 500 characters, saying how much was left out', () => {
    const said = `${'y'.repeat(500)}... (299500 more characters)`;
    expect(classify(aws('InvalidRequestException', 400, 'y'.repeat(300_000)))).toHaveProperty('awsSaid', said);
  });

  it('calls an App Runner error it has no words for unexpected, naming operation, error and message', () => {
    const text = 'TagResource failed: InvalidStateException: The connection is being deleted.';
    const conflict = aws('InvalidStateException', 400, 'The connection is being deleted.');
    expect(classifyError(new CallError('TagResource', conflict))).toEqual({ kind: 'unexpected', text });
  });
});

describe('no response, a certificate the runner does not trust, a proxy that failed the call', () => {
  it.each([
    ['ETIMEDOUT', 'TimeoutError'],
    [undefined, 'TimeoutError'],
    ['ECONNREFUSED', 'Error'],
    ['ENOTFOUND', 'Error'],
  ])('calls %s (%s) no response, with the code and the attempts', (code, name) => {
    const silent = network(code, 'no answer', 10, name);
    expect(classify(silent)).toEqual({ kind: 'no-response', operation: OP, attempts: 10, code: code ?? name });
  });

  const HTTPS = { ...ROUTE, proxy: 'https://proxy.corp:443' };
  it.each([
    ['SELF_SIGNED_CERT_IN_CHAIN', 'directly', {}],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'through a proxy', { proxy: ROUTE }],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'directly', {}],
    ['CERT_HAS_EXPIRED', 'through a proxy', { proxy: ROUTE }],
    ['SELF_SIGNED_CERT_IN_CHAIN', "as an https:// proxy's own", { proxy: HTTPS }],
  ] as [string, string, ClassifyContext][])('calls %s %s a certificate problem', (code, _how, context) => {
    const proxyOwn = context.proxy === HTTPS && new ProxyError(HTTPS, undefined, code);
    const untrusted = proxyOwn || network(code, 'self-signed certificate in certificate chain');
    expect(classify(untrusted, context)).toEqual({ kind: 'certificate', operation: OP, code });
  });

  it.each([
    [407, undefined, { kind: 'auth' }],
    [403, undefined, { kind: 'refused', status: 403 }],
    [502, undefined, { kind: 'upstream', status: 502 }],
    [undefined, 'ECONNREFUSED', { kind: 'unreachable', code: 'ECONNREFUSED' }],
  ])('calls a proxy that answered %s (%s) a proxy failure, with its route', (status, code, failure) => {
    expect(classify(new ProxyError(ROUTE, status, code))).toMatchObject({ kind: 'proxy', route: ROUTE, failure });
  });

  it("takes the SDK's 407 (a proxy's page to a plain-HTTP request) for the proxy's only when one is in use", () => {
    const page = unparsable(407, { 'content-type': 'text/html' });
    expect(classify(page, { proxy: ROUTE })).toMatchObject({ kind: 'proxy', route: ROUTE, failure: { kind: 'auth' } });
    expect(classify(page)).toMatchObject({ kind: 'foreign-response', response: { status: 407 } });
  });

  it('lets the SDK retry a proxy that answered 5xx or dropped the connection, never one that refused', () => {
    const retried = (status?: number, code?: string) => new ProxyError(ROUTE, status, code).$retryable;
    const final = [retried(407), retried(403), retried(undefined, 'ECONNREFUSED'), retried(undefined, 'ENOTFOUND')];
    expect(final).toEqual(Array(4).fill(undefined));
    const again = [retried(503), retried(undefined, 'ECONNRESET'), retried()];
    expect(again).toEqual(Array(3).fill({ throttling: false }));
    // The SDK's retry classification reads `code`: the proxy's own is kept apart from it.
    expect(new ProxyError(ROUTE, undefined, 'ECONNREFUSED')).not.toHaveProperty('code');
  });
});

describe('a response that is not App Runner’s: what it was', () => {
  const AR_TYPE = 'application/x-amz-json-1.0';
  const html = unparsable(403, { 'content-type': 'text/html' });
  const nameless = withResponse(aws('Unknown', 404, 'UnknownError'), 404, { 'content-type': AR_TYPE });
  const redirect = unparsable(302, { location: 'https://login.example.test/' });
  const aborted = Object.assign(new Error(`aborted\n  ${HINT}`), { code: 'ECONNRESET' });
  const cutOff = withResponse(aborted, 200, { 'content-type': AR_TYPE });
  it.each([
    ['an HTML page', html, { what: 'not-app-runner', status: 403, contentType: 'text/html' }],
    ['a nameless 404', withResponse(aws('Unknown', 404, 'UnknownError'), 404), { what: 'not-app-runner', status: 404 }],
    ['a nameless 404 in App Runner’s type', nameless, { what: 'not-app-runner', status: 404, contentType: AR_TYPE }],
    ['a redirect', redirect, { what: 'redirect', status: 302, detail: 'https://login.example.test/' }],
    ['a body too large', withResponse(new ResponseTooLarge(1_048_576), 200), { what: 'too-large', status: 200 }],
    ['a body cut off', cutOff, { what: 'cut-off', status: 200, contentType: AR_TYPE, detail: 'ECONNRESET' }],
  ])('reports %s by its status', (_case, error, response) => {
    expect(classify(error)).toEqual({ kind: 'foreign-response', operation: OP, response });
  });
});

describe('the deadline over the lookup-or-create: what the last attempt saw', () => {
  it('gives up with the bound alone when no attempt failed', () => {
    expect(gaveUp(undefined)).toEqual({ kind: 'gave-up', operation: OP, afterMs: 45_000 });
  });

  it.each([
    ['a server error', aws('ServiceUnavailableException', 503, 'Unavailable'), 'server-error', 'ServiceUnavailable'],
    ['throttling', aws('ThrottlingException', 400, 'Rate exceeded.'), 'throttled', 'ThrottlingException: Rate'],
    ['a timeout', timeout(), 'no-response', 'TimeoutError: the socket did not connect'],
    ['an HTML page', unparsable(502, { 'content-type': 'text/html' }), 'foreign-response', 'SyntaxError: Unexpected'],
    ['a multi-line error', new Error('first\nsecond\r\n\tthird'), 'unexpected', 'Error: first second third'],
  ])('gives up naming the last attempt: %s', (_case, last, kind, lastError) => {
    expect(gaveUp(last)).toMatchObject({ kind: 'gave-up', operation: OP, afterMs: 45_000, last: { kind } });
    expect(gaveUp(last)).toHaveProperty('lastError', expect.stringMatching(new RegExp(`^${lastError}`)));
  });

  it.each([
    ['a refused CONNECT', new ProxyError(ROUTE, 403, undefined), {}, { kind: 'refused', status: 403 }],
    ['a proxy not there', new ProxyError(ROUTE, undefined, 'ECONNREFUSED'), {}, { kind: 'unreachable' }],
    ["the SDK's 407", unparsable(407, {}), { proxy: ROUTE }, { kind: 'auth' }],
  ])('takes a proxy failure in the last attempt for the whole story: %s', (_case, last, context, failure) => {
    expect(gaveUp(last, context)).toMatchObject({ kind: 'proxy', operation: OP, route: ROUTE, failure });
  });
});

describe('what is not a call: the action’s own errors pass through, anything else is unexpected', () => {
  it('names the operation and field of a malformed response', () => {
    const malformed = malformedResponse(OP, 'NextToken', 'is 7, not a token');
    expect(classifyError(malformed)).toMatchObject({ kind: 'malformed-response', operation: OP, field: 'NextToken' });
  });

  it('passes a classified problem through as it is', () => {
    const problem: Problem = { kind: 'unsupported-region', region: 'sa-east-1', source: 'AWS_REGION' };
    expect(classifyError(new ProblemError(problem))).toBe(problem);
  });

  // errorText: `Name: message` on one line, truncated; what an unexpected problem says.
  it.each([
    ['an Error', new Error('no connection'), 'Error: no connection'],
    ['an AWS error', aws('ThrottlingException', 400, 'Rate exceeded'), 'ThrottlingException: Rate exceeded'],
    ['an empty message', Object.assign(new Error(''), { name: 'AbortError' }), 'AbortError'],
    ['line breaks', new Error('  a\n\n  b\tc  '), 'Error: a b c'],
    ['a long Error', new Error('z'.repeat(10_000)), `Error: ${'z'.repeat(493)}... (9507 more characters)`],
    ['a string', 'plain text', 'plain text'],
    ['a number', 42, '42'],
  ])('calls %s unexpected, by its text on one line', (_case, error, text) => {
    expect(classifyError(error)).toEqual({ kind: 'unexpected', text });
    expect(errorText(error)).toBe(text);
  });
});
