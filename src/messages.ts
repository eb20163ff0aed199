// Every sentence a person reads, worded once: log lines, failures, the notice, the handshake steps, the quota list.

import { STATUS_CODES } from 'node:http';

import type { ForeignResponse, Problem, ProxyFailure } from './errors.js';
import * as model from './model.js';
import type { Connection, ProxyRoute, Tag } from './model.js';
import type { Outcome, Report } from './outcome.js';
import { type Prose, formatDuration, joinProse, plain, prose as p, quote } from './text.js';

const d = (ms: number) => plain(formatDuration(ms));
const none = plain('');
const console_ = (region: string) => plain(model.handshakeUrl(region));
const waitedFor = ({ waited }: Report) => d((waited?.endedAt ?? 0) - (waited?.startedAt ?? 0));
const resume = (region: string) =>
  p`Complete the handshake at ${console_(region)}; re-running the job resumes, as it reuses the connection. To wait this long, ${SESSION_ADVICE}.`;
const SESSION_ADVICE = p`give aws-actions/configure-aws-credentials a longer role-duration-seconds (within the role's maximum session duration; chained roles are capped at 1h), or set a shorter wait-for-handshake`;
const FOREIGN_ADVICE = p`Something between the runner and AWS answered instead: check the proxy or firewall in between (https_proxy, no_proxy), and that AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_APPRUNNER, if set, point at App Runner.`;
const COMMENT_ADVICE = {
  other: p`The job summary has the same details; re-run the job to retry.`,
  capped: p`No second comment was added; the job summary has the same details.`,
  refused: p`Give the job permissions: pull-requests: write, or set comment-on-pr: false.`,
};
const QUOTA_LISTED = 10; // connections a quota failure names; the job summary lists them all

export const log = {
  lookingUp: (name: string, region: string, dryRun: boolean) =>
    p`Looking up App Runner connection ${name} in ${region}${plain(dryRun ? ' (dry run)' : '')}.`,
  found: ({ name, status, arn }: Connection, created: boolean) =>
    p`${plain(created ? 'Created' : 'Reusing')} connection ${name} (${status}): ${arn}`,
  otherProvider: ({ name, providerType }: Connection, asked: string) =>
    p`Connection ${name} exists with provider ${providerType}, not the ${asked} of provider-type; it is reused as it is. To use ${asked}, choose another connection-name.`,
  tags: (changes: readonly Tag[], dryRun: boolean) =>
    p`${plain(dryRun ? 'Dry run: would apply' : 'Applied')} tags: ${changes.map(({ key, value }) => JSON.stringify(`${key}=${value}`)).join(', ')}`,
  wouldCreate: (name: string) => p`Dry run: connection ${name} does not exist; a run without dry-run would create it.`,
  proxy: ({ target, proxy, variable }: ProxyRoute) =>
    p`App Runner calls to ${target} go through the proxy ${proxy} (from ${variable}).`,
  bypassed: (host: string, variable: string) =>
    p`App Runner calls to ${host} go direct: no_proxy or a loopback host exempts them from ${variable}.`,
  queued: (queuedMs: number, budgetMs: number, region: string) =>
    p`Queued for ${d(queuedMs)}: App Runner is throttling this run, as more calls arrive at once in this account and ${region} than it allows. The run keeps its place for up to ${d(budgetMs)}.`,
  waiting: (name: string, forMs: number, everyMs: number, region: string) =>
    p`Waiting up to ${d(forMs)} for the handshake of ${name}, checking every ${d(everyMs)}. Complete it at ${console_(region)}`,
  credentialsEndFirst: (expiry: Date, waitMs: number) =>
    p`The AWS credentials expire at ${expiry.toISOString()}, before the ${d(waitMs)} of wait-for-handshake are over: the wait will stop just before then. To wait the whole time, ${SESSION_ADVICE}.`,
  status: (name: string, elapsedMs: number, status: string) => p`Status of ${name} after ${d(elapsedMs)}: ${status}`,
  replaced: (name: string, arn: string) => p`Connection ${name} was replaced meanwhile; it is now ${arn}`,
  commented: (pullNumber: number, done: string) => p`Pull request #${pullNumber}: comment ${done}.`,
  noPullRequest: (event: string) => p`comment-on-pr is ignored on ${event || 'this'} event.`,
  commentFailed: (failed: { kind: 'deadline'; ms: number } | { kind: keyof typeof COMMENT_ADVICE; error: string }) =>
    failed.kind === 'deadline'
      ? p`Could not comment on the pull request (GitHub did not answer within ${d(failed.ms)}). ${COMMENT_ADVICE.other}`
      : p`Could not comment on the pull request (${failed.error}). ${COMMENT_ADVICE[failed.kind]}`,
  noSummaryFile: () => p`GITHUB_STEP_SUMMARY is not set; skipping the job summary.`,
  summaryFailed: (error: string) =>
    p`Could not write the job summary (${error}). The step's outputs and log have the same details.`,
};

export const notice = {
  title: 'App Runner connection needs a handshake',
  text: (name: string, region: string) =>
    p`Connection ${name} is waiting for its handshake: complete it in the App Runner console, ${console_(region)}`,
};

/** Why the step fails, or undefined when it passes: what happened, then what to do. */
export function failure(report: Report, outcome: Outcome): Prose | undefined {
  const { connection, waited, name, region = '' } = report;
  if (report.problem) return problemText(report.problem, report);
  if (outcome.passed || !connection) return undefined;
  if (connection.status === 'ERROR')
    return p`Connection ${name} is in status ERROR and cannot be used: complete the handshake again in the App Runner console in ${region} (${console_(region)}); if it stays in ERROR, replace it under a new connection-name (the job summary has the steps).`;
  if (connection.status === 'DELETED')
    return p`Connection ${name} is DELETED: it was deleted while the action waited for its handshake. Re-run the workflow to create it again.`;
  if (waited?.end === 'credentials')
    return p`Connection ${name} is still ${connection.status} after ${waitedFor(report)} of waiting: the action stopped before its AWS credentials expire. ${resume(region)}`;
  const lastCheck = plain(waited?.end === 'unanswered' ? ' (the last status check got no answer in time)' : '');
  return p`Connection ${name} is still ${connection.status} after waiting ${d(waited?.forMs ?? 0)}${lastCheck}. Complete the handshake at ${console_(region)} and re-run the job.`;
}

function problemText(problem: Problem, report: Report): Prose {
  const region = report.region ?? '';
  const call = 'operation' in problem ? problem.operation : '';
  const tries = plain('attempts' in problem && problem.attempts ? ` after ${problem.attempts} attempts` : '');
  const said = 'awsSaid' in problem && problem.awsSaid ? p` AWS said: ${problem.awsSaid}` : none;
  const reach = report.endpoint
    ? p`Check that the endpoint ${report.endpoint} (from AWS_ENDPOINT_URL_APPRUNNER or AWS_ENDPOINT_URL) is up and that the runner can reach it`
    : p`Check that region ${region || 'the region'} is right and that the runner can reach AWS`;
  const route = report.proxy ? routeHint(report.proxy) : none;
  switch (problem.kind) {
    case 'no-region':
      return p`Input 'region' is empty, neither AWS_REGION nor AWS_DEFAULT_REGION is set, and the AWS configuration names no region: set the region input, or set aws-region in aws-actions/configure-aws-credentials.`;
    case 'bad-configured-region':
      return p`The AWS configuration names the region ${plain(quote(problem.region))}, which is not an AWS region code such as us-east-1: fix the profile, or set the region input.`;
    case 'unsupported-region':
      return p`App Runner does not run in ${problem.region} (from ${plain(problem.source ?? '')}): it runs in ${plain(model.APP_RUNNER_REGIONS.join(', '))}. Set the region input, or aws-region of aws-actions/configure-aws-credentials, to one of them.`;
    case 'bad-max-attempts':
      return p`AWS_MAX_ATTEMPTS must be a whole number of attempts, 1 or more (got ${plain(quote(problem.value))}).`;
    case 'bad-proxy-variable':
      return p`${problem.value} is set but names no proxy this action can use: write it as http://host:port, or http://user:password@host:port with special characters percent-encoded (http:// and https:// proxies only).`;
    case 'no-credentials':
      return p`No AWS credentials were found for ${call}. Configure them in an earlier step, for example with aws-actions/configure-aws-credentials (role-to-assume, with the job permission id-token: write).`;
    case 'credentials-rejected':
      return p`AWS rejected the credentials (${problem.name ?? ''}) for ${call}. Check that aws-actions/configure-aws-credentials ran in this job with the intended role or keys.${said}`;
    case 'credentials-expired':
      return report.waited
        ? p`The AWS credentials expired after ${waitedFor(report)} of waiting for the handshake of ${report.name}, which is still PENDING_HANDSHAKE. ${resume(region)}`
        : p`The AWS credentials had expired before this step (App Runner refused ${call} with ExpiredToken). Run aws-actions/configure-aws-credentials in this job shortly before this step, then re-run the job.`;
    case 'access-denied':
      return p`Access denied: the AWS identity is not allowed apprunner:${call}. Add the IAM action apprunner:${call} to the policy of the role this job assumes.${said}`;
    case 'closed-to-new-customers':
      return p`App Runner refused ${call} because it is closed to new customers (since 30 April 2026), and AWS counts this account as new: it cannot use App Runner, and no IAM change will help. Use an account that already uses App Runner, or see AWS's advice on alternatives: ${plain(model.AVAILABILITY_CHANGE_URL)}.${said}`;
    case 'quota': {
      const all = problem.connections ?? [];
      const listed = all
        .slice(0, QUOTA_LISTED)
        .map(
          (held) =>
            p`${held.name} (${plain(`${held.providerType}, ${held.status}`)}${held.createdAt ? p`, created ${plain(formatDuration(report.at - held.createdAt.getTime(), { roughly: true }))} ago` : none})`,
        );
      const more = plain(
        all.length > QUOTA_LISTED ? `, and ${all.length - QUOTA_LISTED} more (see the job summary)` : '',
      );
      const holders = !problem.connections
        ? none
        : all.length === 0
          ? p` ListConnections shows no connection of the account there.`
          : p` The account's ${all.length} connection${plain(all.length === 1 ? '' : 's')} there, likely leftovers (PENDING_HANDSHAKE, ERROR) first, oldest first: ${joinProse(listed, '; ')}${more}.`;
      return p`The App Runner connection quota in ${region} is reached, so ${call} was refused.${holders} Delete connections you no longer use (${model.deleteCommand('<connection-arn>', region)}) or request a higher quota in Service Quotas (${plain(model.serviceQuotasUrl(region))}).${said}`;
    }
    case 'throttled':
      return p`App Runner kept throttling ${call}${tries}${plain(problem.queuedMs ? ` over ${formatDuration(problem.queuedMs)}` : '')}: more runs call it at once in this account and ${region} than it allows (a few calls a second: this many refusals in a row mean dozens of runs or more). Stagger the workflows that use this action (a per-repository schedule offset), ask AWS Support for a higher App Runner rate, or ensure the connection once in an organization workflow and pass its ARN on.`;
    case 'server-error':
      return p`App Runner answered ${call} with a server error (${problem.status ?? '5xx'} ${problem.name})${tries}. This is on the AWS side: re-run the job later.${said}`;
    case 'no-response':
      return p`App Runner did not answer ${call} (${problem.code})${tries}. ${reach}.${route}`;
    case 'certificate':
      return p`The TLS certificate presented for ${call} is not trusted (${problem.code}): a firewall or proxy that inspects TLS presents its own.${route} Give the runner that certificate authority with NODE_EXTRA_CA_CERTS (the path of a PEM file), then re-run the job.`;
    case 'gave-up': {
      const { last } = problem;
      const foreign = last?.kind === 'foreign-response' ? last.response : undefined;
      const lastText = foreign
        ? p` In the last attempt ${responseSeen(call, foreign, 'the')}.`
        : problem.lastError
          ? p` The last attempt ended with: ${problem.lastError.replace(/\.$/, '')}.`
          : none;
      const advice = foreign
        ? FOREIGN_ADVICE
        : last?.kind === 'server-error'
          ? p`This is on the AWS side: re-run the job later.`
          : p`${reach}, then re-run the job.${route}`;
      return p`App Runner did not complete ${call} within ${d(problem.afterMs)}, so the action gave up.${lastText} ${advice}`;
    }
    case 'foreign-response': {
      const advice =
        problem.response.what === 'cut-off'
          ? p`Check the network and any proxy between the runner and AWS, then re-run the job.`
          : FOREIGN_ADVICE;
      return p`${responseSeen(call, problem.response, 'The')}${tries}. ${advice}`;
    }
    case 'malformed-response':
      return p`App Runner's answer to ${call} was malformed: ${plain(problem.field)} ${problem.problem}. The action set no output from it. If AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_APPRUNNER or a proxy sends the action somewhere else than App Runner, fix that; otherwise re-run the job.`;
    case 'proxy':
      return proxyText(problem.route, problem.failure, call, tries);
    case 'invalid-request':
      return p`App Runner refused ${call} as an invalid request.${said}`;
    case 'unexpected':
      return p`${problem.text}`;
  }
}

function responseSeen(operation: string, response: ForeignResponse, the: 'The' | 'the'): Prose {
  const { what, status, contentType, detail } = response;
  const head = p`${plain(the)} endpoint answered ${operation} with HTTP ${status ?? '(no status)'}${contentType ? p`, ${contentType}` : none}`;
  if (what === 'too-large')
    return p`${head} and a body larger than App Runner ever sends, so the action stopped reading it`;
  if (what === 'cut-off') return p`${head}, but the connection broke before the answer's end (${detail ?? ''})`;
  return p`${head}${what === 'redirect' ? p` (a redirect to ${detail ?? ''})` : none}, which is not an answer from App Runner`;
}

function proxyText(route: ProxyRoute, failed: ProxyFailure, call: string, tries: Prose): Prose {
  const { proxy, variable, target } = route;
  const form = p`${variable}=http://user:password@host:port, with special characters in them percent-encoded`;
  const status = 'status' in failed ? plain(`${failed.status} ${STATUS_CODES[failed.status] ?? ''}`.trimEnd()) : none;
  switch (failed.kind) {
    case 'auth':
      return route.withCredentials
        ? p`The proxy ${proxy} (from ${variable}) did not accept the credentials in ${variable} for ${call} (407 Proxy Authentication Required)${tries}. Check the user and password: ${form}.`
        : p`The proxy ${proxy} (from ${variable}) requires credentials for ${call} (407 Proxy Authentication Required)${tries}. Give them in the URL: ${form}.`;
    case 'upstream':
      return p`The proxy ${proxy} (from ${variable}) could not reach ${target} for ${call} (${status})${tries}. Check that the proxy can reach AWS, ${direct(target)}.`;
    case 'refused':
      return p`The proxy ${proxy} (from ${variable}) refused to connect to ${target} for ${call} (${status}). Ask for ${target} to be added to the proxy's allow-list, ${direct(target)}.`;
    case 'unreachable':
      return p`Could not connect to the proxy ${proxy} (from ${variable}) for ${call} (${failed.code ?? 'it closed the connection without answering'})${tries}. Check that the proxy is running and that ${variable} names its host and port, ${direct(target)}.`;
  }
}

const direct = (target: string) =>
  p`or, if the runner can reach AWS without it, add ${target.replace(/:\d+$/, '')} to no_proxy`;
const routeHint = ({ proxy, variable, target }: ProxyRoute) =>
  p` AWS calls go through the proxy ${proxy} (from ${variable}): check that it is up and lets the runner reach ${target}, ${direct(target)}.`;

export const summary = {
  failed: 'The step failed.',
  masked: p`The AWS account id is shown as ${'<account-id>'} (mask-aws-account-id); the connection-arn output holds the full ARN.`,
};

export function guide(report: Report, { next }: Outcome) {
  const { name, region = '', connection, repository, waited } = report;
  const page = p`the [App Runner connections page](${console_(region)}) in ${region}`;
  switch (next) {
    case 'would-create':
      return {
        text: p`Dry run: no connection named ${name} exists in ${region}. Without dry-run the action would create it; nothing was changed.`,
      };
    case 'free-quota':
      return {
        heading: 'The connection quota is reached',
        text: p`The account's connections in ${region} use up its quota. Delete those no workflow uses any more (connections still **PENDING_HANDSHAKE** or in **ERROR** are the likely leftovers; they are listed first), or request a higher quota in [Service Quotas](${plain(model.serviceQuotasUrl(region))}), then re-run this workflow.`,
      };
    case 'recover-error':
      return {
        heading: 'Recover the connection',
        text: p`App Runner could not complete this connection. The action never deletes anything; recover in this order:`,
        steps: [
          p`Complete the handshake again: open ${page}, select ${name} and choose **Complete handshake**. Check that the AWS Connector app is installed, with access to the repository (the same app serves CodePipeline and CodeBuild connections: a revoked installation breaks those too).`,
          p`If it stays in **ERROR**: run this workflow with a new connection-name, point your App Runner services at the new connection, then delete this one with ${model.deleteCommand(connection?.arn ?? '', region)} (App Runner refuses while a running service uses it).`,
        ],
      };
    case 'handshake':
      return {
        heading: 'Finish the handshake',
        text: p`${plain(report.created ? 'This run created the connection. A new connection' : 'The connection')} stays **PENDING_HANDSHAKE** until a person authorizes it with ${plain(connection?.providerType === 'BITBUCKET' ? 'Bitbucket' : 'GitHub')} once; App Runner services cannot use it before that.`,
        steps: [
          p`Open ${page}.`,
          p`Select ${name} and choose **Complete handshake**.`,
          connection?.providerType === 'BITBUCKET'
            ? p`Sign in to Bitbucket and grant AWS access to the workspace, then choose **Connect**.`
            : p`Choose the GitHub app: install **AWS Connector for GitHub** on the account or organization if asked, and give it access to ${repository ? p`${repository}, the repository this workflow runs in (and any other repository App Runner will build)` : p`the repositories App Runner will build`}; installing it on an organization takes an owner of that organization. Then choose **Connect**.`,
          waited?.endedAt
            ? p`The status changes to **Available**. Then re-run this workflow.`
            : waited
              ? p`The status changes to **Available**, and this workflow, waiting up to ${d(waited.forMs)}, carries on.`
              : p`The status changes to **Available**. Re-run this workflow, or set wait-for-handshake so the action waits for it.`,
        ],
      };
    default:
      return undefined;
  }
}
