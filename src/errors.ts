// Turns what AWS and the network throw into messages that say what to do next.
// Errors are recognised by name, not by class, so this module never loads the SDK.

import { cut } from './inert.js';
import { explainProxyFailure } from './proxy-errors.js';

/** A failed App Runner call: which operation, and what the SDK threw. */
export class AwsCallError extends Error {
  override name = 'AwsCallError';
  constructor(
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super(`${operation} failed: ${errorText(cause)}`);
  }
}

/** An answer from App Runner that the action cannot use: which operation, which field, what is wrong. */
export class MalformedAnswer extends Error {
  override name = 'MalformedAnswer';
  constructor(
    readonly operation: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`App Runner's answer to ${operation} was malformed: ${field} ${problem}.`);
  }
}

/** An answer body larger than App Runner ever sends; read no further. */
export class AnswerTooLarge extends Error {
  override name = 'AnswerTooLarge';
  constructor(readonly limitBytes: number) {
    super(`the answer is larger than ${limitBytes} bytes`);
  }
}

/** The reason given to the deadline's AbortSignal. */
export class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
  constructor(readonly ms: number) {
    super(`deadline of ${Math.round(ms / 1000)} s exceeded`);
  }
}

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
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

export interface FailureContext {
  readonly region: string;
  /** The last attempt's error, when retries or the deadline hid it. */
  readonly lastAttempt?: unknown;
}

/** One message for the step's failure, on one line: what happened, then what to do. */
export function describeFailure(error: unknown, context: FailureContext): string {
  return oneLine(explainProxyFailure(describe(error, context), error, context.lastAttempt));
}

function describe(error: unknown, context: FailureContext): string {
  if (error instanceof MalformedAnswer) {
    return (
      `${error.message} The action set no output from it. If AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_APPRUNNER ` +
      'or a proxy sends the action somewhere else than App Runner, fix that; otherwise re-run the job.'
    );
  }
  if (!(error instanceof AwsCallError)) return errorText(error);
  const { operation, cause } = error;
  const sdk = (cause ?? {}) as SdkErrorShape;
  const name = sdk.name ?? '';
  const status = sdk.$metadata?.httpStatusCode;
  const attempts = sdk.$metadata?.attempts;
  const afterAttempts = attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
  const awsSaid = sdk.message ? ` AWS said: ${cut(oneLine(sdk.message))}` : '';

  if (cause instanceof DeadlineExceeded) {
    const last = context.lastAttempt;
    const foreignLast = foreignAnswer(operation, (last ?? {}) as SdkErrorShape);
    const lastText = foreignLast
      ? ` In the last attempt ${foreignLast.what}.`
      : last
        ? ` The last attempt ended with: ${errorText(last).replace(/\.$/, '')}.`
        : '';
    return (
      `App Runner did not complete ${operation} within ${Math.round(cause.ms / 1000)} s, so the action gave up.` +
      `${lastText} ${foreignLast?.advice ?? deadlineAdvice(last, context.region)}`
    );
  }
  const foreign = foreignAnswer(operation, sdk);
  if (foreign) return `${capitalize(foreign.what)}${afterAttempts}. ${foreign.advice}`;
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
  if (name === 'ServiceQuotaExceededException') {
    return (
      `The App Runner connection quota in ${context.region} is reached, so ${operation} was refused. ` +
      `Delete connections you no longer use (aws apprunner delete-connection) or request a higher quota ` +
      `in Service Quotas.${awsSaid}`
    );
  }
  if (isThrottling(sdk)) {
    return (
      `App Runner kept throttling ${operation}${afterAttempts}: too many calls at once in this account and region. ` +
      `Re-run the job, stagger concurrent runs, or allow more attempts with AWS_MAX_ATTEMPTS.`
    );
  }
  if (isServerError(sdk)) {
    return (
      `App Runner answered ${operation} with a server error (${status ?? '5xx'} ${name})${afterAttempts}. ` +
      `This is on the AWS side: re-run the job later.${awsSaid}`
    );
  }
  if (name === 'TimeoutError' || NETWORK_CODES.has(sdk.code ?? '')) {
    return (
      `App Runner did not answer ${operation} (${sdk.code ?? name})${afterAttempts}. ` +
      `Check that region ${context.region} is right and that the runner can reach AWS.`
    );
  }
  if (name === 'InvalidRequestException') {
    return `App Runner refused ${operation} as an invalid request.${awsSaid}`;
  }
  return error.message;
}

/**
 * An answer that is not App Runner's (a proxy's error page, a redirect, an empty 404, a body
 * that is not JSON, cut off or far too large): what happened and what to check, or undefined.
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
  if (NETWORK_CODES.has(sdk.code ?? '')) {
    return {
      what: `${answered}, but the connection broke before the answer's end (${sdk.code})`,
      advice: 'Check the network and any proxy between the runner and AWS, then re-run the job.',
    };
  }
  const unreadable = /Deserialization error/.test(sdk.message ?? '');
  // App Runner names every error it answers with (`__type`); the SDK calls a nameless one Unknown.
  const nameless = (sdk.name === 'Unknown' || sdk.name === 'UnknownError') && !sdk.$metadata?.requestId;
  if (!unreadable && !nameless) return undefined;
  const location = headers['location'];
  const redirect =
    status && status >= 300 && status < 400 && location ? ` (a redirect to ${cut(oneLine(location), 120)})` : '';
  return { what: `${answered}${redirect}, which is not an answer from App Runner`, advice: FOREIGN_ANSWER_ADVICE };
}

/** What to do after the deadline, judged by how the last attempt ended. */
function deadlineAdvice(lastAttempt: unknown, region: string): string {
  const last = (lastAttempt ?? {}) as SdkErrorShape;
  if (isThrottling(last)) {
    return 'App Runner was throttling: too many calls at once in this account and region. Re-run the job, or stagger concurrent runs.';
  }
  if (isServerError(last)) return 'This is on the AWS side: re-run the job later.';
  return `Check that region ${region} is right and that the runner can reach AWS, then re-run the job.`;
}

function isThrottling(error: SdkErrorShape): boolean {
  return THROTTLING_ERRORS.has(error.name ?? '') || error.$metadata?.httpStatusCode === 429;
}

function isServerError(error: SdkErrorShape): boolean {
  const status = error.$metadata?.httpStatusCode;
  return (status !== undefined && status >= 500) || error.$fault === 'server';
}

/** `Name: message` of anything thrown, on one line and cut to a sane length. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return cut(oneLine(error.message ? `${error.name}: ${error.message}` : error.name));
  return cut(oneLine(String(error)));
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
