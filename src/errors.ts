// Turns what AWS and the network throw into messages that say what to do next.
// Errors are recognised by name, not by class, so this module never loads the SDK.

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
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $fault?: 'client' | 'server';
}

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
  if (!(error instanceof AwsCallError)) return errorText(error);
  const { operation, cause } = error;
  const sdk = (cause ?? {}) as SdkErrorShape;
  const name = sdk.name ?? '';
  const status = sdk.$metadata?.httpStatusCode;
  const attempts = sdk.$metadata?.attempts;
  const afterAttempts = attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
  const awsSaid = sdk.message ? ` AWS said: ${sdk.message}` : '';

  if (cause instanceof DeadlineExceeded) {
    const last = context.lastAttempt;
    const lastText = last ? ` The last attempt ended with: ${errorText(last).replace(/\.$/, '')}.` : '';
    return (
      `App Runner did not complete ${operation} within ${Math.round(cause.ms / 1000)} s, so the action gave up.` +
      `${lastText} ${deadlineAdvice(last, context.region)}`
    );
  }
  if (name === 'CredentialsProviderError') {
    return (
      `No AWS credentials were found for ${operation}. Configure them in an earlier step, for example with ` +
      `aws-actions/configure-aws-credentials (role-to-assume, with the job permission id-token: write).`
    );
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
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

/** `Name: message` of anything thrown, on one line. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return oneLine(error.message ? `${error.name}: ${error.message}` : error.name);
  return oneLine(String(error));
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
