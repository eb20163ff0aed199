// Every failure the action reports, worded once: what happened, then what to do. Each function
// gets all it needs as arguments (the operation, the region, the last attempt, the proxy route
// and the secrets to redact); nothing here keeps state. SDK errors are recognised by name, so
// this module never loads the SDK; the action's own errors by class.

import { deleteConnectionCommand, serviceQuotasUrl } from './aws-links.js';
import type { AccountConnection } from './aws-answers.js';
import {
  AwsCallError,
  CommentSearchCapped,
  ConfigurationError,
  DeadlineExceeded,
  MalformedAnswer,
  ProxyError,
  type ProxyRoute,
  QuotaReached,
} from './errors.js';
import { formatAge } from './duration.js';
import { cut } from './inert.js';
import { formatBound } from './limits.js';

export interface FailureContext {
  /** The region of the calls, when it was known. */
  readonly region: string | undefined;
  /** The last attempt's error, when retries or the deadline hid it. */
  readonly lastAttempt?: unknown;
  /** The proxy App Runner calls went through, if one did. */
  readonly proxy?: ProxyRoute;
  /** Texts no message may show (a proxy's password, in every form). */
  readonly secrets?: readonly string[];
  /** Now, for the age of the connections a quota message lists. */
  readonly now?: number;
}

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number; requestId?: string };
  $fault?: 'client' | 'server';
  /** The raw HTTP answer, which the SDK keeps (hidden) on errors from an answer. */
  $response?: { statusCode?: number; headers?: Record<string, string | undefined> };
}

// AWS's page on App Runner closing to new customers (30 April 2026).
export const AVAILABILITY_CHANGE_URL =
  'https://docs.aws.amazon.com/apprunner/latest/dg/apprunner-availability-change.html';
const ACCESS_DENIED_ERRORS = new Set(['AccessDeniedException', 'AccessDenied']);
const FOREIGN_ANSWER_ADVICE =
  'Something between the runner and AWS answered instead: check the proxy or firewall in between ' +
  '(https_proxy, no_proxy), and that AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_APPRUNNER, if set, point at App Runner.';
const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'ExpiredToken',
  'MissingAuthenticationTokenException',
  'SignatureDoesNotMatch',
]);
const THROTTLING_ERRORS = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
]);
/** The quota message names at most this many connections; the job summary lists them all. */
const QUOTA_LISTED = 10;

/** One message for the step's failure, on one line: what happened, then what to do. */
export function describeFailure(error: unknown, context: FailureContext): string {
  return redact(oneLine(describe(error, context)), context.secrets ?? []);
}

/** Why the pull-request comment was not written, and what to do: the text of a warning. */
export function describeCommentFailure(error: unknown): string {
  const what =
    error instanceof DeadlineExceeded ? `GitHub did not answer within ${formatBound(error.ms)}` : errorText(error);
  const advice =
    error instanceof CommentSearchCapped
      ? 'No second comment was added; the job summary has the same details.'
      : error instanceof DeadlineExceeded
        ? 'The job summary has the same details; re-run the job to retry.'
        : 'Give the job permissions: pull-requests: write, or set comment-on-pr: false.';
  return `Could not comment on the pull request (${what}). ${advice}`;
}

/** Why the job summary was not written: the text of a warning (the step's result stands). */
export function describeSummaryFailure(error: unknown): string {
  return `Could not write the job summary (${errorText(error)}). The step's outputs and log have the same details.`;
}

function describe(error: unknown, context: FailureContext): string {
  if (error instanceof ConfigurationError) return error.message;
  if (error instanceof MalformedAnswer) {
    return (
      `${error.message} The action set no output from it. If AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_APPRUNNER ` +
      'or a proxy sends the action somewhere else than App Runner, fix that; otherwise re-run the job.'
    );
  }
  if (error instanceof QuotaReached) return quotaReached(error, context);
  if (!(error instanceof AwsCallError)) return errorText(error);

  const { operation, cause } = error;
  const last = shape(context.lastAttempt);
  const proxyFailure = [cause, context.lastAttempt].find((candidate) => candidate instanceof ProxyError);
  if (proxyFailure instanceof ProxyError) {
    return proxyRefusal(proxyFailure, operation, shape(proxyFailure).$metadata?.attempts);
  }
  const { proxy } = context;
  // Only a proxy answers 407; AWS never does (the absolute-form request of an http:// endpoint).
  if (proxy && [shape(cause), last].some((e) => e.$metadata?.httpStatusCode === 407)) {
    return proxyWantsCredentials(proxy, operation, shape(cause).$metadata?.attempts);
  }
  // No HTTP answer came back through the proxy (a timeout, a socket or TLS error, the deadline):
  // the route is what to check. An answer of App Runner's is left as it is.
  const deadline = cause instanceof DeadlineExceeded;
  const unanswered = deadline ? last : shape(cause);
  const noAnswer =
    (deadline || unanswered.name === 'TimeoutError' || typeof unanswered.code === 'string') &&
    unanswered.$metadata?.httpStatusCode === undefined;
  const failure = awsFailure(operation, cause, context);
  return noAnswer && proxy ? `${sentence(failure)}${routeHint(proxy, unanswered)}` : failure;
}

/** An App Runner call that failed: by how the SDK says it ended, with the proxy's route when no answer came through it. */
function awsFailure(operation: string, cause: unknown, context: FailureContext): string {
  const sdk = shape(cause);
  const name = sdk.name ?? '';
  const status = sdk.$metadata?.httpStatusCode;
  const attempts = afterAttempts(sdk.$metadata?.attempts);
  const awsSaid = sdk.message ? ` AWS said: ${cut(oneLine(sdk.message))}` : '';
  const where = context.region ? `region ${context.region}` : 'the region';
  const reach = `Check that ${where} is right and that the runner can reach AWS`;

  if (cause instanceof DeadlineExceeded) {
    const last = shape(context.lastAttempt);
    const foreignLast = foreignAnswer(operation, last);
    const lastText = foreignLast
      ? ` In the last attempt ${foreignLast.what}.`
      : context.lastAttempt
        ? ` The last attempt ended with: ${errorText(context.lastAttempt).replace(/\.$/, '')}.`
        : '';
    const advice =
      foreignLast?.advice ??
      (isThrottling(last)
        ? 'App Runner was throttling: too many calls at once in this account and region. Re-run the job, or stagger concurrent runs.'
        : isServerError(last)
          ? 'This is on the AWS side: re-run the job later.'
          : `${reach}, then re-run the job.`);
    return `App Runner did not complete ${operation} within ${formatBound(cause.ms)}, so the action gave up.${lastText} ${advice}`;
  }
  const foreign = foreignAnswer(operation, sdk);
  if (foreign) return `${capitalize(foreign.what)}${attempts}. ${foreign.advice}`;
  if (name === 'CredentialsProviderError') {
    return (
      `No AWS credentials were found for ${operation}. Configure them in an earlier step, for example with ` +
      `aws-actions/configure-aws-credentials (role-to-assume, with the job permission id-token: write).`
    );
  }
  if (ACCESS_DENIED_ERRORS.has(name) && /new customers?/i.test(sdk.message ?? '')) {
    return (
      `App Runner refused ${operation} because it is closed to new customers (since 30 April 2026), and AWS ` +
      `counts this account as new: it cannot use App Runner, and no IAM change will help. Use an account that ` +
      `already uses App Runner, or see AWS's advice on alternatives: ${AVAILABILITY_CHANGE_URL}.${awsSaid}`
    );
  }
  if (ACCESS_DENIED_ERRORS.has(name)) {
    return (
      `Access denied: the AWS identity is not allowed apprunner:${operation}. ` +
      `Add the IAM action apprunner:${operation} to the policy of the role this job assumes.${awsSaid}`
    );
  }
  if (CREDENTIAL_ERRORS.has(name)) {
    return (
      `AWS rejected the credentials (${name}) for ${operation}. Check that aws-actions/configure-aws-credentials ` +
      `ran in this job and that the credentials have not expired.${awsSaid}`
    );
  }
  if (name === 'ServiceQuotaExceededException') return quotaText(operation, context.region, awsSaid, '');
  if (isThrottling(sdk)) {
    return (
      `App Runner kept throttling ${operation}${attempts}: too many calls at once in this account and region. ` +
      `Re-run the job, stagger concurrent runs, or allow more attempts with AWS_MAX_ATTEMPTS.`
    );
  }
  if (isServerError(sdk)) {
    return (
      `App Runner answered ${operation} with a server error (${status ?? '5xx'} ${name})${attempts}. ` +
      `This is on the AWS side: re-run the job later.${awsSaid}`
    );
  }
  if (name === 'TimeoutError' || isNetworkCode(sdk.code)) {
    const code = typeof sdk.code === 'string' ? sdk.code : name;
    return `App Runner did not answer ${operation} (${code})${attempts}. ${reach}.`;
  }
  if (name === 'InvalidRequestException') return `App Runner refused ${operation} as an invalid request.${awsSaid}`;
  return `${operation} failed: ${errorText(cause)}`;
}

/**
 * An answer that is not App Runner's (a proxy's error page, a redirect, an empty 404, a body that
 * is not JSON, cut off or far too large), whatever content type it claims: what happened and what
 * to check, or undefined.
 */
function foreignAnswer(operation: string, sdk: SdkErrorShape): { what: string; advice: string } | undefined {
  const response = sdk.$response;
  if (!response) return undefined;
  const status = response.statusCode ?? sdk.$metadata?.httpStatusCode;
  const headers = response.headers ?? {};
  const type = headers['content-type'] ? `, ${cut(oneLine(headers['content-type']), 80)}` : '';
  const answered = `the endpoint answered ${operation} with HTTP ${status ?? '(no status)'}${type}`;
  if (sdk.name === 'AnswerTooLarge') {
    return {
      what: `${answered} and a body larger than App Runner ever sends, so the action stopped reading it`,
      advice: FOREIGN_ANSWER_ADVICE,
    };
  }
  if (isNetworkCode(sdk.code)) {
    return {
      what: `${answered}, but the connection broke before the answer's end (${String(sdk.code)})`,
      advice: 'Check the network and any proxy between the runner and AWS, then re-run the job.',
    };
  }
  const unreadable = /Deserialization error/.test(sdk.message ?? '');
  // App Runner names every error it answers with (`__type`); the SDK calls a nameless one Unknown,
  // whatever content type and headers (a request id among them) came with it.
  const nameless = sdk.name === 'Unknown' || sdk.name === 'UnknownError';
  if (!unreadable && !nameless) return undefined;
  const location = headers['location'];
  const redirect =
    status && status >= 300 && status < 400 && location ? ` (a redirect to ${cut(oneLine(location), 120)})` : '';
  return { what: `${answered}${redirect}, which is not an answer from App Runner`, advice: FOREIGN_ANSWER_ADVICE };
}

function quotaReached(error: QuotaReached, context: FailureContext): string {
  const { operation, cause } = error.createError;
  const message = shape(cause).message;
  const awsSaid = message ? ` AWS said: ${cut(oneLine(message))}` : '';
  const { connections } = error;
  const listed = connections.slice(0, QUOTA_LISTED).map((connection) => describeHolder(connection, context.now));
  const more =
    connections.length > QUOTA_LISTED ? `, and ${connections.length - QUOTA_LISTED} more (see the job summary)` : '';
  const holders =
    connections.length === 0
      ? ' ListConnections shows no connection of the account there.'
      : ` The account's ${connections.length} connection${connections.length === 1 ? '' : 's'} there, likely leftovers ` +
        `(PENDING_HANDSHAKE, ERROR) first, oldest first: ${listed.join('; ')}${more}.`;
  return quotaText(operation, context.region, awsSaid, holders);
}

function quotaText(operation: string, region: string | undefined, awsSaid: string, holders: string): string {
  const where = region ?? 'this region';
  const command = deleteConnectionCommand('<connection-arn>', where);
  const quotas = region ? `in Service Quotas (${serviceQuotasUrl(region)})` : 'in Service Quotas';
  return (
    `The App Runner connection quota in ${where} is reached, so ${operation} was refused.${holders} ` +
    `Delete connections you no longer use (${command}) or request a higher quota ${quotas}.${awsSaid}`
  );
}

/** `name (GITHUB, PENDING_HANDSHAKE, created 41 days ago)`. */
function describeHolder(connection: AccountConnection, now: number | undefined): string {
  const age =
    connection.createdAt && now !== undefined ? `, created ${formatAge(now - connection.createdAt.getTime())} ago` : '';
  return `${connection.name} (${connection.providerType}, ${connection.status}${age})`;
}

function proxyRefusal(error: ProxyError, operation: string, attempts: number | undefined): string {
  const { route, status, statusText } = error;
  if (status === 407) return proxyWantsCredentials(route, operation, attempts);
  const { proxy, variable, target } = route;
  const answer = `${status} ${statusText}`.trimEnd();
  if (status !== undefined && status >= 500) {
    return (
      `The proxy ${proxy} (from ${variable}) could not reach ${target} for ${operation} ` +
      `(${answer})${afterAttempts(attempts)}. Check that the proxy can reach AWS, ${goDirect(route)}.`
    );
  }
  if (status !== undefined) {
    return (
      `The proxy ${proxy} (from ${variable}) refused to connect to ${target} for ${operation} (${answer}). ` +
      `Ask for ${target} to be added to the proxy's allow-list, ${goDirect(route)}.`
    );
  }
  const what = `Could not connect to the proxy ${proxy} (from ${variable}) for ${operation}`;
  if (isCertificateCode(error.networkCode)) {
    return `${what} (${error.networkCode}): give the runner the CA certificate of its https:// URL with NODE_EXTRA_CA_CERTS.`;
  }
  return (
    `${what} (${error.networkCode ?? 'it closed the connection without answering'})${afterAttempts(attempts)}. ` +
    `Check that the proxy is running and that ${variable} names its host and port, ${goDirect(route)}.`
  );
}

function proxyWantsCredentials(route: ProxyRoute, operation: string, attempts: number | undefined): string {
  const { proxy, variable } = route;
  const form = `${variable}=http://user:password@host:port, with special characters in them percent-encoded`;
  return route.withCredentials
    ? `The proxy ${proxy} (from ${variable}) did not accept the credentials in ${variable} for ${operation} ` +
        `(407 Proxy Authentication Required)${afterAttempts(attempts)}. Check the user and password: ${form}.`
    : `The proxy ${proxy} (from ${variable}) requires credentials for ${operation} ` +
        `(407 Proxy Authentication Required)${afterAttempts(attempts)}. Give them in the URL: ${form}.`;
}

/** What to check when a call through a proxy got no answer: the proxy, or trust in its certificate. */
function routeHint(route: ProxyRoute, unanswered: SdkErrorShape): string {
  const { proxy, variable, target } = route;
  if (isCertificateCode(unanswered.code)) {
    return (
      ` AWS calls go through the proxy ${proxy} (from ${variable}); if it inspects TLS, ` +
      `give the runner its CA certificate with NODE_EXTRA_CA_CERTS.`
    );
  }
  return (
    ` AWS calls go through the proxy ${proxy} (from ${variable}): check that it is up and lets the runner ` +
    `reach ${target}, ${goDirect(route)}.`
  );
}

/** Node's codes for a certificate it does not trust: a TLS-inspecting proxy's, typically. */
function isCertificateCode(code: unknown): boolean {
  return typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)/.test(code);
}

function goDirect(route: ProxyRoute): string {
  return `or, if the runner can reach AWS without it, add ${route.target.replace(/:\d+$/, '')} to no_proxy`;
}

function afterAttempts(attempts: number | undefined): string {
  return attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
}

function isThrottling(error: SdkErrorShape): boolean {
  return THROTTLING_ERRORS.has(error.name ?? '') || error.$metadata?.httpStatusCode === 429;
}

function isServerError(error: SdkErrorShape): boolean {
  const status = error.$metadata?.httpStatusCode;
  return (status !== undefined && status >= 500) || error.$fault === 'server';
}

function isNetworkCode(code: unknown): boolean {
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

/** `Name: message` of anything thrown, on one line and cut to a sane length. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return cut(oneLine(error.message ? `${error.name}: ${error.message}` : error.name));
  return cut(oneLine(String(error)));
}

function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((secret) => secret !== '').reduce((result, secret) => result.replaceAll(secret, '***'), text);
}

function shape(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
}

/** `text` ending as a sentence does, so another can follow it (an SDK message may end without a full stop). */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
