// Behaviours 5-7, 9 and 13, issues 25 and 27: the outcome (pass or fail, the next step) and its words: what
// happened, then what to do, on one line; messages hide nothing themselves (the log masks, rendering redacts).

import { describe, expect, it } from 'vitest';

import type { Problem } from '../../src/errors.js';
import { failure, log, notice } from '../../src/messages.js';
import { type Report, decideOutcome, outputs } from '../../src/outcome.js';
import { toText } from '../../src/text.js';
import { ACCOUNT, CONSOLE, NOW, ROUTE, arnOf, connectionOf, holder, report } from '../support/reports.js';

const ROUTE_HINT =
  ' AWS calls go through the proxy http://proxy.corp:3128 (from https_proxy): check that it is up and lets the runner' +
  ' reach apprunner.eu-west-1.amazonaws.com:443, or, if the runner can reach AWS without it, add' +
  ' apprunner.eu-west-1.amazonaws.com to no_proxy.';
const FOREIGN_ADVICE =
  'Something between the runner and AWS answered instead: check the proxy or firewall in between (https_proxy,' +
  ' no_proxy), and that AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_APPRUNNER, if set, point at App Runner.';
const SESSION =
  "role-duration-seconds (within the role's … chained roles are capped at 1h … shorter wait-for-handshake";
const OP = { operation: 'ListConnections' } as const;
const waited = (minutes: number, end?: 'timeout' | 'unanswered' | 'credentials' | 'status', forMs = 7_200_000) => ({
  forMs,
  startedAt: NOW - minutes * 60_000,
  endedAt: NOW,
  ...(end && { end }),
});

/** The failure of a report as the log shows it, or undefined when the step passes. */
function failureOf(fields: Partial<Report>): string | undefined {
  const base = report(fields);
  const text = failure(base, decideOutcome(base));
  return text && toText(text);
}
const problemText = (problem: Problem, fields: Partial<Report> = {}) =>
  failureOf({ connection: undefined, problem, ...fields }) ?? '';

/** A row of a table of words: the problem, the report's other facts, and the phrases expected. */
type Row = { problem: Problem; fields: Partial<Report>; phrases: string };

/** Each phrase (" … " between them) is in the text after the one before: what happened, then what to do. */
function expectInOrder(text: string | undefined, phrases: string) {
  let from = 0;
  for (const phrase of phrases.split(' … ')) {
    const at = text?.indexOf(phrase, from) ?? -1;
    expect(at, `"${phrase}" after character ${from} of: ${text}`).toBeGreaterThanOrEqual(0);
    from = at + phrase.length;
  }
  expect(text).not.toMatch(/[\r\n]/);
}

describe('decideOutcome: whether the step passes, and what a person does next', () => {
  const begun = { forMs: 60_000, startedAt: NOW };
  it.each`
    case                                                 | status                 | fields                                           | passed   | next
    ${'an AVAILABLE connection'}                         | ${'AVAILABLE'}         | ${{}}                                            | ${true}  | ${'none'}
    ${'a PENDING_HANDSHAKE connection'}                  | ${'PENDING_HANDSHAKE'} | ${{}}                                            | ${true}  | ${'handshake'}
    ${'a pending connection whose wait has begun'}       | ${'PENDING_HANDSHAKE'} | ${{ waited: begun }}                             | ${true}  | ${'handshake'}
    ${'a wait that ended AVAILABLE'}                     | ${'AVAILABLE'}         | ${{ waited: waited(3, 'status') }}               | ${true}  | ${'none'}
    ${'a wait that ran out'}                             | ${'PENDING_HANDSHAKE'} | ${{ waited: waited(120, 'timeout') }}            | ${false} | ${'handshake'}
    ${'a wait whose last check went unanswered'}         | ${'PENDING_HANDSHAKE'} | ${{ waited: waited(120, 'unanswered') }}         | ${false} | ${'handshake'}
    ${'a wait stopped before the credentials expire'}    | ${'PENDING_HANDSHAKE'} | ${{ waited: waited(50, 'credentials') }}         | ${false} | ${'handshake'}
    ${'a connection in ERROR'}                           | ${'ERROR'}             | ${{}}                                            | ${false} | ${'recover-error'}
    ${'a connection deleted during the wait'}            | ${'DELETED'}           | ${{ waited: waited(3, 'status') }}               | ${false} | ${'rerun'}
    ${'a refusal after a pending connection was known'}  | ${'PENDING_HANDSHAKE'} | ${{ problem: { kind: 'access-denied', ...OP } }} | ${false} | ${'handshake'}
    ${'a dry run that found nothing'}                    | ${undefined}           | ${{ dryRun: true }}                              | ${true}  | ${'would-create'}
    ${'a run that failed before it knew the connection'} | ${undefined}           | ${{ problem: { kind: 'no-region' } }}            | ${false} | ${'none'}
    ${'a quota refusal'}                                 | ${undefined}           | ${{ problem: { kind: 'quota', ...OP } }}         | ${false} | ${'free-quota'}
  `('decides $case: passed $passed, next $next', ({ status, fields, passed, next }) => {
    const connection = status && connectionOf(status);
    expect(decideOutcome(report({ ...fields, connection }))).toEqual({ passed, next });
  });
});

describe('outputs: what the step knows, for the steps after it', () => {
  const ARN = arnOf('preview-conn');
  it.each`
    case                                                       | fields                                                                | expected
    ${'the connection, whether this run created it, the page'} | ${{ created: true }}                                                  | ${`connection-arn=${ARN} connection-name=preview-conn connection-status=PENDING_HANDSHAKE provider-type=GITHUB created=true handshake-url=${CONSOLE}`}
    ${'what a dry run that found nothing would create'}        | ${{ connection: undefined, dryRun: true, providerType: 'BITBUCKET' }} | ${`connection-name=preview-conn provider-type=BITBUCKET created=false handshake-url=${CONSOLE}`}
  `('gives $case', ({ fields, expected }) => {
    const given = outputs(report(fields)).map((output) => output.join('='));
    expect(given.join(' ')).toBe(expected);
  });
});

describe('a connection that is not usable, a wait that ended without it, expired credentials (issue 25)', () => {
  it('says nothing for a step that passes', () => {
    expect(failureOf({ connection: connectionOf('AVAILABLE') })).toBeUndefined();
    expect(failureOf({})).toBeUndefined();
  });

  const EXPIRED = { kind: 'credentials-expired', ...OP };
  it.each`
    case                                  | fields                                                                  | phrases
    ${'ERROR'}                            | ${{ connection: connectionOf('ERROR') }}                                | ${`Connection preview-conn is in status ERROR and cannot be used: complete the handshake again in the App Runner console in eu-west-1 (${CONSOLE}); if it stays in ERROR, replace it under a new connection-name (the job summary has the steps).`}
    ${'DELETED during the wait'}          | ${{ connection: connectionOf('DELETED'), waited: waited(3, 'status') }} | ${'Connection preview-conn is DELETED: it was deleted while the action waited for its handshake. Re-run the workflow to create it again.'}
    ${'a wait that ran out'}              | ${{ waited: waited(15, 'timeout', 900_000) }}                           | ${`Connection preview-conn is still PENDING_HANDSHAKE after waiting 15m. Complete the handshake at ${CONSOLE} and re-run the job.`}
    ${'an unanswered last check'}         | ${{ waited: waited(1, 'unanswered', 3_000) }}                           | ${'after waiting 3s (the last status check got no answer in time). Complete the handshake at'}
    ${'a stop before credentials expire'} | ${{ waited: waited(50, 'credentials') }}                                | ${`still PENDING_HANDSHAKE after 50m of waiting: the action stopped before its AWS credentials expire. Complete the handshake at ${CONSOLE}; re-running the job resumes, as it reuses the connection. … ${SESSION}`}
    ${'credentials expired before'}       | ${{ connection: undefined, problem: EXPIRED }}                          | ${'The AWS credentials had expired before this step (App Runner refused ListConnections with ExpiredToken). Run aws-actions/configure-aws-credentials in this job shortly before this step, then re-run the job.'}
    ${'credentials expired in a wait'}    | ${{ problem: EXPIRED, waited: waited(50) }}                             | ${`The AWS credentials expired after 50m of waiting for the handshake of preview-conn, which is still PENDING_HANDSHAKE. Complete the handshake at ${CONSOLE}; re-running the job resumes, as it reuses the connection. … ${SESSION}`}
  `('words $case', ({ fields, phrases }: Row) => {
    expectInOrder(failureOf(fields), phrases);
    expect(failureOf(fields)).not.toMatch(/delete it|delete-connection/i);
  });
});

describe('each problem: what happened, then what to do', () => {
  const said = { awsSaid: 'AWS words.' };
  const create = { operation: 'CreateConnection', ...said };
  const withAuth = { ...ROUTE, withCredentials: true };
  const page = (what: string, status: number, extra = {}) => ({ response: { what, status, ...extra } });
  const HTML = page('not-app-runner', 403, { contentType: 'text/html' });
  const CUT = page('cut-off', 200, { contentType: 'application/x-amz-json-1.0', detail: 'ECONNRESET' });
  const CERT = { kind: 'certificate', ...OP, code: 'SELF_SIGNED_CERT_IN_CHAIN' };
  const UNREACHABLE = { kind: 'unreachable', code: 'ECONNREFUSED' };
  // Secrets and account ids stay: the log masks them (setSecret), rendering redacts them.
  const MASKED = `User: arn:aws:sts::${ACCOUNT}:assumed-role/ci/run is not authorized; token hunter2`;
  // Each row: the problem, the report's other facts, and phrases ("…" between them) that must come in this order.
  it.each`
    problem                                                                                                     | fields                                | phrases
    ${{ kind: 'no-region' }}                                                                                    | ${{}}                                 | ${"Input 'region' is empty, neither AWS_REGION nor AWS_DEFAULT_REGION is set, and the AWS configuration names no region: set the region input, or set aws-region in aws-actions/configure-aws-credentials."}
    ${{ kind: 'bad-configured-region', region: 'Frankfurt' }}                                                   | ${{}}                                 | ${'The AWS configuration names the region "Frankfurt", which is not an AWS region code such as us-east-1: fix the profile, or set the region input.'}
    ${{ kind: 'unsupported-region', region: 'sa-east-1', source: 'AWS_REGION' }}                                | ${{}}                                 | ${'App Runner does not run in sa-east-1 (from AWS_REGION): it runs in us-east-1, us-east-2, us-west-2, ap-south-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3. Set the region input, or aws-region of aws-actions/configure-aws-credentials, to one of them.'}
    ${{ kind: 'bad-max-attempts', value: 'ten' }}                                                               | ${{}}                                 | ${'AWS_MAX_ATTEMPTS must be a whole number of attempts, 1 or more (got "ten").'}
    ${{ kind: 'bad-proxy-variable', value: 'https_proxy' }}                                                     | ${{}}                                 | ${'https_proxy is set but names no proxy this action can use … http://user:password@host:port … percent-encoded'}
    ${{ kind: 'no-credentials', ...OP }}                                                                        | ${{}}                                 | ${'No AWS credentials were found for ListConnections. … aws-actions/configure-aws-credentials … id-token: write'}
    ${{ kind: 'credentials-rejected', ...OP, name: 'UnrecognizedClientException', ...said }}                    | ${{}}                                 | ${'AWS rejected the credentials (UnrecognizedClientException) for ListConnections. … aws-actions/configure-aws-credentials … AWS said: AWS words.'}
    ${{ kind: 'access-denied', ...said, operation: 'TagResource' }}                                             | ${{}}                                 | ${'Access denied … apprunner:TagResource … Add the IAM action apprunner:TagResource to the policy of the role this job assumes. AWS said: AWS words.'}
    ${{ kind: 'closed-to-new-customers', ...create }}                                                           | ${{}}                                 | ${`App Runner refused CreateConnection because it is closed to new customers … no IAM change will help … https://docs.aws.amazon.com/apprunner/latest/dg/apprunner-availability-change.html … AWS said: AWS words.`}
    ${{ kind: 'invalid-request', ...create }}                                                                   | ${{}}                                 | ${'App Runner refused CreateConnection as an invalid request. AWS said: AWS words.'}
    ${{ kind: 'throttled', ...OP, attempts: 12, queuedMs: 240_000 }}                                            | ${{}}                                 | ${'App Runner kept throttling ListConnections after 12 attempts over 4m … more runs call it at once in this account and eu-west-1 than it allows … Stagger the workflows … per-repository schedule offset … AWS Support … ensure the connection once in an organization workflow and pass its ARN on'}
    ${{ kind: 'server-error', ...OP, attempts: 10, status: 503, name: 'Unavailable' }}                          | ${{}}                                 | ${'App Runner answered ListConnections with a server error (503 Unavailable) after 10 attempts. This is on the AWS side: re-run the job later.'}
    ${{ kind: 'no-response', ...OP, attempts: 10, code: 'ECONNREFUSED' }}                                       | ${{}}                                 | ${'App Runner did not answer ListConnections (ECONNREFUSED) after 10 attempts. Check that region eu-west-1 is right and that the runner can reach AWS.'}
    ${{ kind: 'no-response', ...OP, code: 'ECONNREFUSED' }}                                                     | ${{ endpoint: 'http://127.0.0.1:9' }} | ${'App Runner did not answer ListConnections (ECONNREFUSED). Check that the endpoint http://127.0.0.1:9 (from AWS_ENDPOINT_URL_APPRUNNER or AWS_ENDPOINT_URL) is up and that the runner can reach it.'}
    ${{ kind: 'no-response', ...OP, code: 'TimeoutError' }}                                                     | ${{ proxy: ROUTE }}                   | ${`Check that region eu-west-1 is right and that the runner can reach AWS.${ROUTE_HINT}`}
    ${CERT}                                                                                                     | ${{}}                                 | ${'The TLS certificate presented for ListConnections is not trusted (SELF_SIGNED_CERT_IN_CHAIN): a firewall or proxy that inspects TLS presents its own. Give the runner that certificate authority with NODE_EXTRA_CA_CERTS (the path of a PEM file), then re-run the job.'}
    ${CERT}                                                                                                     | ${{ proxy: ROUTE }}                   | ${`is not trusted (SELF_SIGNED_CERT_IN_CHAIN): a firewall or proxy that inspects TLS presents its own.${ROUTE_HINT} Give the runner that certificate authority with NODE_EXTRA_CA_CERTS`}
    ${{ kind: 'malformed-response', ...OP, field: 'NextToken', problem: 'is 7, not a token' }}                  | ${{}}                                 | ${"App Runner's answer to ListConnections was malformed: NextToken is 7, not a token. The action set no output from it. If AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_APPRUNNER or a proxy sends the action somewhere else than App Runner, fix that; otherwise re-run the job."}
    ${{ kind: 'foreign-response', ...OP, ...HTML }}                                                             | ${{}}                                 | ${`The endpoint answered ListConnections with HTTP 403, text/html, which is not an answer from App Runner. ${FOREIGN_ADVICE}`}
    ${{ kind: 'foreign-response', ...OP, ...page('not-app-runner', 404) }}                                      | ${{}}                                 | ${`The endpoint answered ListConnections with HTTP 404, which is not an answer from App Runner. ${FOREIGN_ADVICE}`}
    ${{ kind: 'foreign-response', ...OP, ...page('redirect', 302, { detail: 'https://login.example.test/' }) }} | ${{}}                                 | ${`with HTTP 302 (a redirect to https://login.example.test/), which is not an answer from App Runner. ${FOREIGN_ADVICE}`}
    ${{ kind: 'foreign-response', ...OP, ...page('too-large', 200) }}                                           | ${{}}                                 | ${`The endpoint answered ListConnections with HTTP 200 and a body larger than App Runner ever sends, so the action stopped reading it. ${FOREIGN_ADVICE}`}
    ${{ kind: 'foreign-response', ...OP, attempts: 10, ...CUT }}                                                | ${{}}                                 | ${"The endpoint answered ListConnections with HTTP 200, application/x-amz-json-1.0, but the connection broke before the answer's end (ECONNRESET) after 10 attempts. Check the network and any proxy between the runner and AWS, then re-run the job."}
    ${{ kind: 'proxy', ...OP, route: ROUTE, failure: { kind: 'auth' } }}                                        | ${{}}                                 | ${'The proxy http://proxy.corp:3128 (from https_proxy) requires credentials for ListConnections (407 Proxy Authentication Required). Give them in the URL: https_proxy=http://user:password@host:port, with special characters in them percent-encoded.'}
    ${{ kind: 'proxy', ...OP, route: withAuth, failure: { kind: 'auth' } }}                                     | ${{}}                                 | ${'The proxy http://proxy.corp:3128 (from https_proxy) did not accept the credentials in https_proxy for ListConnections (407 Proxy Authentication Required). Check the user and password: https_proxy=http://user:password@host:port, with special characters in them percent-encoded.'}
    ${{ kind: 'proxy', ...OP, route: ROUTE, failure: { kind: 'refused', status: 403 } }}                        | ${{}}                                 | ${"The proxy http://proxy.corp:3128 (from https_proxy) refused to connect to apprunner.eu-west-1.amazonaws.com:443 for ListConnections (403 Forbidden). Ask for apprunner.eu-west-1.amazonaws.com:443 to be added to the proxy's allow-list, or, if the runner can reach AWS without it, add apprunner.eu-west-1.amazonaws.com to no_proxy."}
    ${{ kind: 'proxy', ...OP, attempts: 10, route: ROUTE, failure: { kind: 'upstream', status: 502 } }}         | ${{}}                                 | ${'The proxy http://proxy.corp:3128 (from https_proxy) could not reach apprunner.eu-west-1.amazonaws.com:443 for ListConnections (502 Bad Gateway) after 10 attempts. Check that the proxy can reach AWS, or, if the runner can reach AWS without it, add apprunner.eu-west-1.amazonaws.com to no_proxy.'}
    ${{ kind: 'proxy', ...OP, route: ROUTE, failure: UNREACHABLE }}                                             | ${{}}                                 | ${'Could not connect to the proxy http://proxy.corp:3128 (from https_proxy) for ListConnections (ECONNREFUSED). Check that the proxy is running and that https_proxy names its host and port, or, if the runner can reach AWS without it, add apprunner.eu-west-1.amazonaws.com to no_proxy.'}
    ${{ kind: 'access-denied', ...OP, awsSaid: MASKED }}                                                        | ${{ maskAccountId: true }}            | ${`AWS said: ${MASKED}`}
    ${{ kind: 'unexpected', text: 'TagResource failed: InvalidStateException: busy' }}                          | ${{}}                                 | ${'TagResource failed: InvalidStateException: busy'}
  `('words $problem.kind ($phrases)', ({ problem, fields, phrases }: Row) => {
    const text = problemText(problem, fields);
    expectInOrder(text, phrases);
    if (!fields.proxy) expect(text).not.toContain('AWS calls go through the proxy');
  });

  const LAST_5XX = { kind: 'server-error', ...OP, status: 503, name: 'ServiceUnavailableException' };
  const LAST_PAGE = { kind: 'foreign-response', ...OP, ...page('not-app-runner', 502, { contentType: 'text/html' }) };
  const gaveUp = (last?: object, lastError?: string) => ({ kind: 'gave-up', ...OP, afterMs: 45_000, last, lastError });
  it.each`
    case                    | problem                                                  | fields                                              | phrases
    ${'no failed attempt'}  | ${gaveUp()}                                              | ${{}}                                               | ${'App Runner did not complete ListConnections within 45s, so the action gave up. Check that region eu-west-1 is right and that the runner can reach AWS, then re-run the job.'}
    ${'server errors'}      | ${gaveUp(LAST_5XX, 'ServiceUnavailableException: Down')} | ${{}}                                               | ${'within 45s, so the action gave up. The last attempt ended with: ServiceUnavailableException: Down. This is on the AWS side: re-run the job later.'}
    ${'a page'}             | ${gaveUp(LAST_PAGE, 'SyntaxError: <html>')}              | ${{}}                                               | ${`within 45s, so the action gave up. In the last attempt the endpoint answered ListConnections with HTTP 502, text/html, which is not an answer from App Runner. ${FOREIGN_ADVICE}`}
    ${'silence'}            | ${gaveUp(undefined, 'TimeoutError: timed out')}          | ${{}}                                               | ${'The last attempt ended with: TimeoutError: timed out. Check that region eu-west-1 is right and that the runner can reach AWS, then re-run the job.'}
    ${'silence, elsewhere'} | ${gaveUp(undefined, 'TimeoutError: timed out')}          | ${{ endpoint: 'http://127.0.0.1:9', proxy: ROUTE }} | ${`Check that the endpoint http://127.0.0.1:9 (from AWS_ENDPOINT_URL_APPRUNNER or AWS_ENDPOINT_URL) is up and that the runner can reach it, then re-run the job.${ROUTE_HINT}`}
  `('words a deadline after $case', ({ problem, fields, phrases }: Row) => {
    expectInOrder(problemText(problem, fields), phrases);
  });
});

describe('a reached quota: the connections that hold it, and how to make room', () => {
  const THREE = [
    holder('old-preview', 'PENDING_HANDSHAKE', 41),
    holder('broken', 'ERROR', 3),
    holder('main', 'AVAILABLE'),
  ];
  const THIRTEEN = Array.from({ length: 13 }, (_, i) => holder(`conn-${i}`, 'AVAILABLE', i + 1));
  const REFUSED = 'The App Runner connection quota in eu-west-1 is reached, so CreateConnection was refused.';
  const ROOM =
    'Delete connections you no longer use (aws apprunner delete-connection --connection-arn <connection-arn> --region eu-west-1) or request a higher quota in Service Quotas (https://eu-west-1.console.aws.amazon.com/servicequotas/home/services/apprunner/quotas). AWS said: Quota reached.';
  it.each`
    case                                            | connections                  | phrases
    ${'names each holder in the order given'}       | ${THREE}                     | ${`${REFUSED} The account's 3 connections there, likely leftovers (PENDING_HANDSHAKE, ERROR) first, oldest first: old-preview (GITHUB, PENDING_HANDSHAKE, created 41d ago); broken (GITHUB, ERROR, created 3d ago); main (GITHUB, AVAILABLE). ${ROOM}`}
    ${'names ten, leaving the rest to the summary'} | ${THIRTEEN}                  | ${'conn-9 (GITHUB, AVAILABLE, created 10d ago), and 3 more (see the job summary). Delete'}
    ${'stands alone when they could not be listed'} | ${undefined}                 | ${`${REFUSED} ${ROOM}`}
    ${'says when there are none'}                   | ${[]}                        | ${`${REFUSED} ListConnections shows no connection of the account there. ${ROOM}`}
    ${'counts one connection'}                      | ${[holder('solo', 'ERROR')]} | ${"The account's 1 connection there, … solo (GITHUB, ERROR)."}
  `('$case', ({ connections, phrases }) => {
    const problem = { kind: 'quota', operation: 'CreateConnection', awsSaid: 'Quota reached.', connections } as const;
    const text = problemText(problem);
    expectInOrder(text, phrases);
    if (!connections) expect(text).toBe(phrases);
  });
});

describe('log lines and the notice', () => {
  it.each`
    case                                      | text                                                                                   | expected
    ${'the notice of a pending connection'}   | ${notice.text('preview-conn', 'eu-west-1')}                                            | ${`Connection preview-conn is waiting for its handshake: complete it in the App Runner console, ${CONSOLE}`}
    ${'a queued run (issue 27)'}              | ${log.queued(20_000, 240_000, 'eu-west-1')}                                            | ${'Queued for 20s: App Runner is throttling this run, as more calls arrive at once in this account and eu-west-1 than it allows. The run keeps its place for up to 4m.'}
    ${'a comment GitHub did not answer'}      | ${log.commentFailed({ kind: 'deadline', ms: 30_000 })}                                 | ${'Could not comment on the pull request (GitHub did not answer within 30s). The job summary has the same details; re-run the job to retry.'}
    ${'a comment search at its cap'}          | ${log.commentFailed({ kind: 'capped', error: 'CommentSearchCapped: not in 1000' })}    | ${'Could not comment on the pull request (CommentSearchCapped: not in 1000). No second comment was added; the job summary has the same details.'}
    ${'a comment GitHub refused'}             | ${log.commentFailed({ kind: 'refused', error: 'HttpError: Resource not accessible' })} | ${'Could not comment on the pull request (HttpError: Resource not accessible). Give the job permissions: pull-requests: write, or set comment-on-pr: false.'}
    ${'a comment GitHub answered wrongly'}    | ${log.commentFailed({ kind: 'other', error: 'HttpError: oops' })}                      | ${'Could not comment on the pull request (HttpError: oops). The job summary has the same details; re-run the job to retry.'}
    ${'credentials that end before the wait'} | ${log.credentialsEndFirst(new Date(NOW + 3_600_000), 7_200_000)}                       | ${"The AWS credentials expire at 2026-12-06T13:00:00.000Z, before the 2h of wait-for-handshake are over: the wait will stop just before then. To wait the whole time, give aws-actions/configure-aws-credentials a longer role-duration-seconds (within the role's maximum session duration; chained roles are capped at 1h), or set a shorter wait-for-handshake."}
    ${'a summary that cannot be written'}     | ${log.summaryFailed('Error: EACCES: permission denied')}                               | ${"Could not write the job summary (Error: EACCES: permission denied). The step's outputs and log have the same details."}
  `('words $case', ({ text, expected }) => {
    expect(toText(text)).toBe(expected);
    expect(notice.title).toBe('App Runner connection needs a handshake');
  });
});
