// Behaviour 9: every failure says what went wrong and what to do next. The fixtures are
// errors as the AWS SDK and Node build them: service exceptions with `$metadata` and
// `$fault`, provider errors, and the HTTP handler's timeout and socket errors.

import {
  AppRunnerServiceException,
  InternalServiceErrorException,
  InvalidRequestException,
  ServiceQuotaExceededException,
} from '@aws-sdk/client-apprunner';
import { describe, expect, it } from 'vitest';

import {
  AnswerTooLarge,
  AwsCallError,
  CommentSearchCapped,
  ConfigurationError,
  DeadlineExceeded,
  MalformedAnswer,
  QuotaReached,
} from '../../src/errors.js';
import {
  AVAILABILITY_CHANGE_URL,
  describeCommentFailure,
  describeFailure,
  describeSummaryFailure,
  errorText,
} from '../../src/failure.js';

const CONTEXT = { region: 'eu-west-1' };

/** An exception App Runner does not model: the SDK builds it from the wire `__type`. */
function unmodeled(name: string, httpStatusCode: number, message: string, attempts = 1): AppRunnerServiceException {
  return new AppRunnerServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode, requestId: 'b7a0c2e4-0000-4000-8000-000000000000', attempts, totalRetryDelay: 0 },
    message,
  });
}

/** What the credential provider chain throws when it finds nothing (retry adds `$metadata`). */
function noCredentials(): Error {
  return Object.assign(new Error('Could not load credentials from any providers'), {
    name: 'CredentialsProviderError',
    tryNextLink: false,
    $metadata: { attempts: 1, totalRetryDelay: 0 },
  });
}

/** The Node HTTP handler's error for a request past `requestTimeout` (throwOnRequestTimeout). */
function requestTimeout(attempts: number): Error {
  return Object.assign(
    new Error('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 5000 ms requestTimeout.'),
    { name: 'TimeoutError', code: 'ETIMEDOUT', $metadata: { attempts, totalRetryDelay: 12_000 } },
  );
}

/** The Node HTTP handler's error when no connection opens within `connectionTimeout`. */
function connectionTimeout(attempts: number): Error {
  return Object.assign(
    new Error(
      '@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 3000 ms.',
    ),
    { name: 'TimeoutError', $metadata: { attempts, totalRetryDelay: 9_000 } },
  );
}

/** Node's own error for a closed port. */
function connectionRefused(attempts: number): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), {
    code: 'ECONNREFUSED',
    errno: -111,
    syscall: 'connect',
    address: '127.0.0.1',
    port: 4566,
    $metadata: { attempts, totalRetryDelay: 8_000 },
  });
}

describe('AwsCallError: which App Runner call failed, and the error it failed with', () => {
  it('keeps the operation and the cause; an error App Runner gives no advice for is worded with both', () => {
    const cause = unmodeled('SomethingNewException', 400, 'Rate exceeded');
    const error = new AwsCallError('ListConnections', cause);
    expect(error.operation).toBe('ListConnections');
    expect(error.cause).toBe(cause);
    expect(describeFailure(error, CONTEXT)).toBe('ListConnections failed: SomethingNewException: Rate exceeded');
  });
});

describe('no credentials: point at aws-actions/configure-aws-credentials', () => {
  it('says no credentials were found and how to configure them', () => {
    const message = describeFailure(new AwsCallError('ListConnections', noCredentials()), CONTEXT);
    expect(message).toContain('No AWS credentials were found for ListConnections.');
    expect(message).toContain('aws-actions/configure-aws-credentials');
    expect(message).toContain('id-token: write');
  });

  it.each([
    ['UnrecognizedClientException', 'The security token included in the request is invalid.'],
    ['ExpiredTokenException', 'The security token included in the request is expired'],
    ['InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.'],
  ])('says credentials AWS rejects with %s must be renewed by that action', (name, awsMessage) => {
    const message = describeFailure(new AwsCallError('ListConnections', unmodeled(name, 403, awsMessage)), CONTEXT);
    expect(message).toContain(`AWS rejected the credentials (${name}) for ListConnections.`);
    expect(message).toContain('aws-actions/configure-aws-credentials');
    expect(message).toContain('have not expired');
  });
});

describe('access denied: name the IAM action to allow', () => {
  it.each(['CreateConnection', 'ListConnections', 'TagResource', 'ListTagsForResource'])(
    'names apprunner:%s when that call is denied',
    (operation) => {
      const denied = unmodeled(
        'AccessDeniedException',
        400,
        `User: arn:aws:sts::123456789012:assumed-role/ci/gh is not authorized to perform: apprunner:${operation}`,
      );
      const message = describeFailure(new AwsCallError(operation, denied), CONTEXT);
      expect(message).toContain(
        `Add the IAM action apprunner:${operation} to the policy of the role this job assumes.`,
      );
      expect(message).toContain(`AWS said: User: arn:aws:sts::123456789012:assumed-role/ci/gh is not authorized`);
    },
  );
});

describe('App Runner closed to new customers: say so, not "add an IAM permission"', () => {
  it.each([
    'App Runner is no longer available to new customers.',
    'This service is not available to new customers. Existing customers can continue to use it.',
  ])('recognises an access-denied answer that speaks of new customers (%j)', (awsMessage) => {
    const closed = unmodeled('AccessDeniedException', 403, awsMessage);
    const message = describeFailure(new AwsCallError('CreateConnection', closed), CONTEXT);
    expect(message).toContain('App Runner refused CreateConnection because it is closed to new customers');
    expect(message).toContain('no IAM change will help');
    expect(message).toContain(AVAILABILITY_CHANGE_URL);
    expect(message).toContain(`AWS said: ${awsMessage}`);
    expect(message).not.toContain('Add the IAM action');
  });

  it('keeps the IAM advice for every other access-denied answer', () => {
    const denied = unmodeled(
      'AccessDeniedException',
      400,
      'User is not authorized to perform: apprunner:ListConnections',
    );
    expect(describeFailure(new AwsCallError('ListConnections', denied), CONTEXT)).toContain(
      'Add the IAM action apprunner:ListConnections',
    );
  });

  it('links to AWS’s availability page for App Runner', () => {
    expect(AVAILABILITY_CHANGE_URL).toBe(
      'https://docs.aws.amazon.com/apprunner/latest/dg/apprunner-availability-change.html',
    );
  });
});

/** An SDK error made from an HTTP answer, with the hidden `$response` the SDK keeps on it. */
function fromAnswer(error: Error, status: number, headers: Record<string, string>, metadata = {}): Error {
  Object.assign(error, { $metadata: { httpStatusCode: status, attempts: 1, ...metadata } });
  return Object.defineProperty(error, '$response', { value: { statusCode: status, headers } });
}

describe('answers that are not App Runner’s: the HTTP status, and what to check', () => {
  const CHECK = 'check the proxy or firewall in between (https_proxy, no_proxy), and that AWS_ENDPOINT_URL';

  it('reports a body that is not JSON (a proxy page) by status and content type', () => {
    const syntax = new SyntaxError(
      `Unexpected token '<', "<html>" is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.`,
    );
    const message = describeFailure(
      new AwsCallError('ListConnections', fromAnswer(syntax, 403, { 'content-type': 'text/html' })),
      CONTEXT,
    );
    expect(message).toBe(
      'The endpoint answered ListConnections with HTTP 403, text/html, which is not an answer from App Runner. ' +
        'Something between the runner and AWS answered instead: check the proxy or firewall in between ' +
        '(https_proxy, no_proxy), and that AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_APPRUNNER, if set, point at App Runner.',
    );
  });

  it('reports a nameless error answer (an empty 404) without "UnknownError"', () => {
    const unknown = Object.assign(new Error('UnknownError'), { name: 'Unknown', $fault: 'client' });
    const message = describeFailure(new AwsCallError('ListConnections', fromAnswer(unknown, 404, {})), CONTEXT);
    expect(message).toMatch(
      /^The endpoint answered ListConnections with HTTP 404, which is not an answer from App Runner\./,
    );
    expect(message).toContain(CHECK);
    expect(message).not.toContain('UnknownError');
  });

  it('names where a redirect points', () => {
    const unknown = Object.assign(new Error('UnknownError'), { name: 'Unknown' });
    const redirect = fromAnswer(unknown, 302, { location: 'https://login.example.test/' });
    expect(describeFailure(new AwsCallError('ListConnections', redirect), CONTEXT)).toContain(
      'with HTTP 302 (a redirect to https://login.example.test/), which is not an answer from App Runner',
    );
  });

  it('reports a nameless answer by its status even when it carries a request id and App Runner’s content type', () => {
    // App Runner names every error it answers with; a front (a gateway, a proxy) may copy the rest.
    const unknown = () => Object.assign(new Error('UnknownError'), { name: 'Unknown' });
    const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'b7a0c2e4' };
    const answers = [
      fromAnswer(unknown(), 404, headers, { requestId: 'b7a0c2e4' }),
      fromAnswer(unknown(), 302, { ...headers, location: 'https://login.example.test/' }, { requestId: 'b7a0c2e4' }),
    ];
    const [notFound, redirect] = answers.map((answer) =>
      describeFailure(new AwsCallError('ListConnections', answer), CONTEXT),
    );
    expect(notFound).toMatch(
      /^The endpoint answered ListConnections with HTTP 404, application\/x-amz-json-1\.0, which is not an answer from App Runner\./,
    );
    expect(redirect).toContain('with HTTP 302, application/x-amz-json-1.0 (a redirect to https://login.example.test/)');
    for (const message of [notFound, redirect]) {
      expect(message).toContain(CHECK);
      expect(message).not.toMatch(/Unknown/);
    }
  });

  it('reports a body cut off by a dropped connection, after the attempts', () => {
    const aborted = Object.assign(new Error('aborted\n  Deserialization error: ...'), { code: 'ECONNRESET' });
    const cutOff = fromAnswer(aborted, 200, { 'content-type': 'application/x-amz-json-1.0' }, { attempts: 10 });
    expect(describeFailure(new AwsCallError('ListConnections', cutOff), CONTEXT)).toBe(
      'The endpoint answered ListConnections with HTTP 200, application/x-amz-json-1.0, but the connection broke ' +
        "before the answer's end (ECONNRESET) after 10 attempts. Check the network and any proxy between the runner " +
        'and AWS, then re-run the job.',
    );
  });

  it('reports a body larger than App Runner sends', () => {
    const large = fromAnswer(new AnswerTooLarge(1_048_576), 200, { 'content-type': 'application/octet-stream' });
    expect(describeFailure(new AwsCallError('ListConnections', large), CONTEXT)).toMatch(
      /^The endpoint answered ListConnections with HTTP 200, application\/octet-stream and a body larger than App Runner ever sends/,
    );
  });

  it('after the deadline, says what the last attempt got instead of App Runner’s answer', () => {
    const unknown = Object.assign(new Error('UnknownError'), { name: 'Unknown' });
    const message = describeFailure(new AwsCallError('ListConnections', new DeadlineExceeded(45_000)), {
      region: 'eu-west-1',
      lastAttempt: fromAnswer(unknown, 502, { 'content-type': 'text/html' }),
    });
    expect(message).toBe(
      'App Runner did not complete ListConnections within 45 s, so the action gave up. In the last attempt the ' +
        'endpoint answered ListConnections with HTTP 502, text/html, which is not an answer from App Runner. ' +
        'Something between the runner and AWS answered instead: check the proxy or firewall in between ' +
        '(https_proxy, no_proxy), and that AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_APPRUNNER, if set, point at App Runner.',
    );
  });
});

describe('a malformed App Runner answer: operation and field, and no output from it', () => {
  it('says which answer and which field, and what to check', () => {
    const malformed = new MalformedAnswer('ListConnections', 'ConnectionSummaryList[0].ConnectionArn', 'is missing');
    expect(describeFailure(malformed, CONTEXT)).toBe(
      "App Runner's answer to ListConnections was malformed: ConnectionSummaryList[0].ConnectionArn is missing. " +
        'The action set no output from it. If AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_APPRUNNER or a proxy sends the ' +
        'action somewhere else than App Runner, fix that; otherwise re-run the job.',
    );
  });
});

describe('long AWS messages are cut to a sane length', () => {
  it('cuts what AWS said to 500 characters, saying how much was left out', () => {
    const invalid = new InvalidRequestException({ $metadata: { httpStatusCode: 400 }, message: 'y'.repeat(300_000) });
    const message = describeFailure(new AwsCallError('TagResource', invalid), CONTEXT);
    expect(message.length).toBeLessThan(700);
    expect(message).toMatch(/y{500}\.\.\. \(299500 more characters\)$/);
  });

  it('cuts errorText the same way', () => {
    expect(errorText(new Error('z'.repeat(10_000)))).toMatch(/^Error: z+\.\.\. \(9507 more characters\)$/);
  });
});

describe('quota reached: say so, and how to make room', () => {
  it('names the region and suggests deleting connections or raising the quota', () => {
    const quota = new ServiceQuotaExceededException({
      $metadata: { httpStatusCode: 402, attempts: 1 },
      message: 'You have reached the maximum number of connections for this account.',
    });
    const message = describeFailure(new AwsCallError('CreateConnection', quota), CONTEXT);
    expect(message).toContain(
      'The App Runner connection quota in eu-west-1 is reached, so CreateConnection was refused.',
    );
    expect(message).toContain('aws apprunner delete-connection');
    expect(message).toContain('request a higher quota in Service Quotas');
    expect(message).toContain('AWS said: You have reached the maximum number of connections');
  });

  const NOW = Date.parse('2026-12-06T12:00:00Z');
  const DAY = 86_400_000;
  const holder = (name: string, status: string, daysOld: number | undefined) => ({
    name,
    arn: `arn:aws:apprunner:eu-west-1:123456789012:connection/${name}/0123456789abcdef0123456789abcdef`,
    providerType: 'GITHUB' as const,
    status: status as 'AVAILABLE',
    createdAt: daysOld === undefined ? undefined : new Date(NOW - daysOld * DAY),
  });
  const refusal = () =>
    new AwsCallError(
      'CreateConnection',
      new ServiceQuotaExceededException({ $metadata: { httpStatusCode: 402 }, message: 'Quota reached.' }),
    );

  it('names the connections that hold the quota, in the order given, with provider, status and age', () => {
    const connections = [
      holder('old-preview', 'PENDING_HANDSHAKE', 41),
      holder('broken', 'ERROR', 3),
      holder('main', 'AVAILABLE', undefined),
    ];

    const message = describeFailure(new QuotaReached(refusal(), connections), { ...CONTEXT, now: NOW });

    expect(message).toBe(
      'The App Runner connection quota in eu-west-1 is reached, so CreateConnection was refused. ' +
        "The account's 3 connections there, likely leftovers (PENDING_HANDSHAKE, ERROR) first, oldest first: " +
        'old-preview (GITHUB, PENDING_HANDSHAKE, created 41 days ago); broken (GITHUB, ERROR, created 3 days ago); ' +
        'main (GITHUB, AVAILABLE). Delete connections you no longer use (aws apprunner delete-connection ' +
        '--connection-arn <connection-arn> --region eu-west-1) or request a higher quota in Service Quotas ' +
        '(https://eu-west-1.console.aws.amazon.com/servicequotas/home/services/apprunner/quotas). AWS said: Quota reached.',
    );
  });

  it('names ten of them and leaves the rest to the job summary', () => {
    const connections = Array.from({ length: 13 }, (_, i) => holder(`conn-${i}`, 'AVAILABLE', i));

    const message = describeFailure(new QuotaReached(refusal(), connections), { ...CONTEXT, now: NOW });

    expect(message).toContain('conn-9 (GITHUB, AVAILABLE, created 9 days ago), and 3 more (see the job summary).');
    expect(message).not.toContain('conn-10 ');
  });
});

describe('an environment or configuration that does not let the run start: its own words', () => {
  it('passes the message through as it is', () => {
    const message = 'App Runner does not run in sa-east-1 (from AWS_REGION): it runs in us-east-1.';
    expect(describeFailure(new ConfigurationError(message), CONTEXT)).toBe(message);
  });
});

describe('secrets never reach a message', () => {
  it('replaces every secret it is given, wherever AWS or the network put it', () => {
    const denied = unmodeled('AccessDeniedException', 400, 'denied for token hunter2 (hunter2)');
    const message = describeFailure(new AwsCallError('ListConnections', denied), { ...CONTEXT, secrets: ['hunter2'] });
    expect(message).not.toContain('hunter2');
    expect(message).toContain('denied for token *** (***)');
  });
});

describe('the pull-request comment: a warning that says why and what to do', () => {
  it('names the bound GitHub did not answer within', () => {
    expect(describeCommentFailure(new DeadlineExceeded(30_000))).toBe(
      'Could not comment on the pull request (GitHub did not answer within 30 s). ' +
        'The job summary has the same details; re-run the job to retry.',
    );
  });

  it('adds no second comment when the search for the first could not finish', () => {
    expect(describeCommentFailure(new CommentSearchCapped(1000))).toBe(
      "Could not comment on the pull request (CommentSearchCapped: this connection's comment is not among the " +
        'first 1000 comments of the pull request). No second comment was added; the job summary has the same details.',
    );
  });

  it('asks for the permission when GitHub refused', () => {
    const refused = Object.assign(new Error('Resource not accessible by integration'), {
      name: 'HttpError',
      status: 403,
    });
    expect(describeCommentFailure(refused)).toBe(
      'Could not comment on the pull request (HttpError: Resource not accessible by integration). ' +
        'Give the job permissions: pull-requests: write, or set comment-on-pr: false.',
    );
  });
});

describe('throttling that outlasts the retries: say so, and how to allow more attempts', () => {
  it('names the attempts made and AWS_MAX_ATTEMPTS', () => {
    const throttled = unmodeled('ThrottlingException', 400, 'Rate exceeded', 10);
    const message = describeFailure(new AwsCallError('ListConnections', throttled), CONTEXT);
    expect(message).toBe(
      'App Runner kept throttling ListConnections after 10 attempts: too many calls at once in this account and region. ' +
        'Re-run the job, stagger concurrent runs, or allow more attempts with AWS_MAX_ATTEMPTS.',
    );
  });

  it('recognises throttling by HTTP status 429 whatever the error is called', () => {
    const message = describeFailure(
      new AwsCallError('CreateConnection', unmodeled('TooManyRequests', 429, 'Slow down', 10)),
      CONTEXT,
    );
    expect(message).toMatch(/^App Runner kept throttling CreateConnection after 10 attempts/);
  });
});

describe('server errors that outlast the retries: say the fault is on the AWS side', () => {
  it('reports a 503 with its status, name and attempts', () => {
    const unavailable = unmodeled('ServiceUnavailableException', 503, 'Service Unavailable', 10);
    const message = describeFailure(new AwsCallError('ListConnections', unavailable), CONTEXT);
    expect(message).toContain(
      'App Runner answered ListConnections with a server error (503 ServiceUnavailableException) after 10 attempts.',
    );
    expect(message).toContain('re-run the job later');
  });

  it("reports App Runner's modelled InternalServiceErrorException as a server error", () => {
    const internal = new InternalServiceErrorException({
      $metadata: { httpStatusCode: 500, attempts: 10 },
      message: 'An internal error occurred.',
    });
    expect(describeFailure(new AwsCallError('CreateConnection', internal), CONTEXT)).toContain(
      'server error (500 InternalServiceErrorException) after 10 attempts',
    );
  });
});

describe('an endpoint that never answers: say so, and what to check', () => {
  it.each([
    ['a request timeout', requestTimeout(10), '(ETIMEDOUT) after 10 attempts'],
    ['a connection timeout', connectionTimeout(10), '(TimeoutError) after 10 attempts'],
    ['a refused connection', connectionRefused(10), '(ECONNREFUSED) after 10 attempts'],
  ])('reports %s as no answer, naming the region to check', (_case, cause, detail) => {
    const message = describeFailure(new AwsCallError('ListConnections', cause), CONTEXT);
    expect(message).toBe(
      `App Runner did not answer ListConnections ${detail}. ` +
        'Check that region eu-west-1 is right and that the runner can reach AWS.',
    );
  });

  it('leaves out the attempt count when there was only one attempt', () => {
    expect(describeFailure(new AwsCallError('ListConnections', connectionRefused(1)), CONTEXT)).toContain(
      'did not answer ListConnections (ECONNREFUSED). ',
    );
  });
});

describe('the deadline on the whole lookup-or-create: name the time and the last error', () => {
  it('says which call it gave up on, after how long, and what the last attempt ended with', () => {
    const error = new AwsCallError('ListConnections', new DeadlineExceeded(45_000));
    const message = describeFailure(error, {
      region: 'eu-west-1',
      lastAttempt: unmodeled('ServiceUnavailableException', 503, 'Service Unavailable', 4),
    });
    expect(message).toBe(
      'App Runner did not complete ListConnections within 45 s, so the action gave up. ' +
        'The last attempt ended with: ServiceUnavailableException: Service Unavailable. ' +
        'This is on the AWS side: re-run the job later.',
    );
  });

  it('advises on throttling when the last attempt was throttled, without a doubled full stop', () => {
    const error = new AwsCallError('ListConnections', new DeadlineExceeded(45_000));
    const message = describeFailure(error, {
      region: 'eu-west-1',
      lastAttempt: unmodeled('ThrottlingException', 400, 'Rate exceeded.', 7),
    });
    expect(message).toContain(
      'The last attempt ended with: ThrottlingException: Rate exceeded. App Runner was throttling',
    );
  });

  it('advises on the region and the network when the last attempt timed out', () => {
    const error = new AwsCallError('ListConnections', new DeadlineExceeded(45_000));
    const timeout = Object.assign(new Error('request timed out'), { name: 'TimeoutError' });
    expect(describeFailure(error, { region: 'eu-west-1', lastAttempt: timeout })).toMatch(
      /Check that region eu-west-1 is right and that the runner can reach AWS/,
    );
  });

  it('says nothing of a last attempt when there was none', () => {
    const message = describeFailure(new AwsCallError('CreateConnection', new DeadlineExceeded(45_000)), CONTEXT);
    expect(message).toContain('App Runner did not complete CreateConnection within 45 s');
    expect(message).not.toContain('last attempt');
  });

  it('is itself an error that names the deadline', () => {
    const deadline = new DeadlineExceeded(45_000);
    expect(deadline.name).toBe('DeadlineExceeded');
    expect(deadline.ms).toBe(45_000);
    expect(deadline.message).toBe('deadline of 45 s exceeded');
  });
});

describe('other failures: pass the message through', () => {
  it('reports an invalid request with what AWS said', () => {
    const invalid = new InvalidRequestException({
      $metadata: { httpStatusCode: 400, attempts: 1 },
      message: 'Connection name is not valid.',
    });
    expect(describeFailure(new AwsCallError('CreateConnection', invalid), CONTEXT)).toBe(
      'App Runner refused CreateConnection as an invalid request. AWS said: Connection name is not valid.',
    );
  });

  it('reports an App Runner error it has no advice for by operation, name and message', () => {
    const conflict = unmodeled('InvalidStateException', 400, 'The connection is being deleted.');
    expect(describeFailure(new AwsCallError('TagResource', conflict), CONTEXT)).toBe(
      'TagResource failed: InvalidStateException: The connection is being deleted.',
    );
  });

  it('passes through the message of an error that is not an AWS call error', () => {
    expect(describeFailure(new Error('CreateConnection answered without a connection.'), CONTEXT)).toBe(
      'Error: CreateConnection answered without a connection.',
    );
  });

  it('passes through a thrown value that is not an Error', () => {
    expect(describeFailure('plain text', CONTEXT)).toBe('plain text');
  });
});

describe('one line: no message contains a newline', () => {
  const multiLine = 'first line\nsecond line\r\n\tthird line';

  it.each([
    ['throttling', new AwsCallError('ListConnections', unmodeled('ThrottlingException', 400, multiLine, 10))],
    ['no credentials', new AwsCallError('ListConnections', Object.assign(noCredentials(), { message: multiLine }))],
    ['no answer', new AwsCallError('ListConnections', Object.assign(connectionRefused(3), { message: multiLine }))],
    ['an unknown AWS error', new AwsCallError('TagResource', unmodeled('SomethingNew', 400, multiLine))],
    ['access denied', new AwsCallError('CreateConnection', unmodeled('AccessDeniedException', 400, multiLine))],
    [
      'a server error',
      new AwsCallError('CreateConnection', unmodeled('InternalServiceErrorException', 500, multiLine)),
    ],
    ['a plain Error', new Error(multiLine)],
  ])('keeps the message of %s on one line', (_case, error) => {
    expect(describeFailure(error, CONTEXT)).not.toMatch(/[\r\n]/);
  });

  it('keeps a multi-line last attempt on one line after a deadline', () => {
    const message = describeFailure(new AwsCallError('ListConnections', new DeadlineExceeded(45_000)), {
      region: 'eu-west-1',
      lastAttempt: new Error(multiLine),
    });
    expect(message).not.toMatch(/[\r\n]/);
    expect(message).toContain('The last attempt ended with: Error: first line second line third line.');
  });
});

describe('errorText: "Name: message" of anything thrown, on one line', () => {
  it('joins the name and the message', () => {
    expect(errorText(unmodeled('ThrottlingException', 400, 'Rate exceeded'))).toBe(
      'ThrottlingException: Rate exceeded',
    );
  });

  it('gives the name alone when the message is empty', () => {
    expect(errorText(Object.assign(new Error(''), { name: 'AbortError' }))).toBe('AbortError');
  });

  it('collapses line breaks and runs of whitespace', () => {
    expect(errorText(new Error('  a\n\n  b\tc  '))).toBe('Error: a b c');
  });

  it('writes a value that is not an Error as a string', () => {
    expect(errorText(42)).toBe('42');
    expect(errorText(undefined)).toBe('undefined');
  });
});

describe('the job summary: a warning when its file cannot be written, the step result unchanged', () => {
  it('says why, and where the same details are', () => {
    const denied = Object.assign(new Error("EACCES: permission denied, open '/runner/summary.md'"), { code: 'EACCES' });
    expect(describeSummaryFailure(denied)).toBe(
      "Could not write the job summary (Error: EACCES: permission denied, open '/runner/summary.md'). " +
        "The step's outputs and log have the same details.",
    );
  });
});

describe('a call through a proxy that got no answer: what happened, then the route to check', () => {
  const ROUTE = {
    proxy: 'http://proxy.corp:3128',
    variable: 'https_proxy',
    target: 'apprunner.eu-west-1.amazonaws.com:443',
    withCredentials: false,
  };

  it('ends the SDK message as a sentence before it names the proxy to trust', () => {
    const untrusted = Object.assign(new Error('self-signed certificate in certificate chain'), {
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    expect(describeFailure(new AwsCallError('ListConnections', untrusted), { ...CONTEXT, proxy: ROUTE })).toBe(
      'ListConnections failed: Error: self-signed certificate in certificate chain. AWS calls go through the proxy ' +
        'http://proxy.corp:3128 (from https_proxy); if it inspects TLS, give the runner its CA certificate with NODE_EXTRA_CA_CERTS.',
    );
  });

  it('adds nothing about a proxy when none carried the call', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    expect(describeFailure(new AwsCallError('ListConnections', refused), CONTEXT)).not.toMatch(/proxy/);
  });
});
