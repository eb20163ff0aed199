// The imperative shell: read inputs, call the core, and report through the Actions
// toolkit (outputs, log, annotations, job summary, pull-request comment). Every log line
// goes through log.ts, every network phase has a bound, and all of them share one budget.

import * as core from '@actions/core';

import type * as AwsModuleType from './aws.js';
import type { AppRunnerApi, Connection, EnsureResult } from './connection.js';
import { untilAborted, withDeadline } from './deadline.js';
import { formatDuration } from './duration.js';
import { DeadlineExceeded, describeFailure, errorText } from './errors.js';
import { type Settings, readSettings } from './inputs.js';
import * as log from './log.js';
import { type Report, handshakeUrl, prCommentMarker, renderPrComment, renderSummary } from './summary.js';

// The whole lookup-or-create gives up after this long, whatever the retries are doing,
// so a stalled endpoint fails the step well within a minute.
export const DEADLINE_MS = 45_000;
// A wait's last status check, made when wait-for-handshake is up, may take this long.
export const FINAL_CHECK_MS = 10_000;
// The pull-request comment (find, then create or update) gives up after this long.
export const COMMENT_BOUND_MS = 30_000;
// Every phase takes at most its own bound out of what is left of this budget (plus the wait
// asked for), whatever AWS or GitHub do; start-up and reporting fit in the rest of the 60 s a
// run may last.
export const RUN_BUDGET_MS = 55_000;

type AwsModule = typeof AwsModuleType;
/** The time a phase may take: its own bound, or what is left of the run's budget if less. */
type Budget = (boundMs: number) => number;

export async function run(): Promise<void> {
  try {
    const settings = readSettings((name) => core.getInput(name), process.env);
    const end = Date.now() + RUN_BUDGET_MS + settings.waitForHandshakeMs;
    await ensureAndReport(settings, (boundMs) => Math.max(0, Math.min(boundMs, end - Date.now())));
  } catch (error) {
    log.fail(error instanceof Error ? error.message : String(error));
  }
}

async function ensureAndReport(settings: Settings, budget: Budget): Promise<void> {
  const { createAppRunnerClient, ensureConnection, waitForAvailable, proxyRoutingFor } = await import('./aws.js');
  const proxy = await proxyRoutingFor(settings.region);
  const { client, lastAttemptError } = createAppRunnerClient(settings.region, process.env, proxy);
  const { connectionName: name, region, dryRun } = settings;
  // What is known so far; every failure after the connection is known is reported with it.
  let report: Report = {
    name,
    providerType: settings.providerType,
    region,
    connection: undefined,
    created: false,
    dryRun,
    tagChanges: [],
  };

  try {
    log.info(`Looking up App Runner connection ${name} in ${region}${dryRun ? ' (dry run)' : ''}.`);
    const result = await withDeadline(budget(DEADLINE_MS), (signal) =>
      ensureConnection(
        client,
        { name, region, providerType: settings.providerType, tags: settings.tags, dryRun },
        {
          signal,
          onConnection: (connection, created) => {
            report = { ...report, connection, created };
            writeOutputs(connection, created, region);
            log.info(
              `${created ? 'Created' : 'Reusing'} connection ${connection.name} (${connection.status}): ${connection.arn}`,
            );
            warnOnOtherProvider(connection, settings);
          },
        },
      ),
    );
    report = { ...report, ...result };
    logTagChanges(result);
    if (!result.connection) {
      log.info(`Dry run: connection ${name} does not exist; a run without dry-run would create it.`);
      writeDryRunOutputs(settings);
    }

    const waits = report.connection?.status === 'PENDING_HANDSHAKE' && settings.waitForHandshakeMs > 0 && !dryRun;
    let unanswered = false;
    if (waits && report.connection) {
      const waiting = { ...report, connection: report.connection };
      const outcome = await waitForHandshake(waitForAvailable, client, waiting, settings, budget);
      report = { ...report, connection: outcome.connection, created: outcome.created };
      unanswered = outcome.unanswered;
    }
    report = { ...report, failure: statusFailure(report, settings, waits, unanswered) };
  } catch (error) {
    const failure = describeFailure(error, { region, lastAttempt: lastAttemptError() });
    if (!report.connection) throw new Error(failure, { cause: error });
    report = { ...report, failure };
  } finally {
    client.destroy();
  }

  if (report.connection?.status === 'PENDING_HANDSHAKE' && !report.failure) {
    log.notice(
      `Connection ${name} is waiting for its handshake: complete it in the App Runner console, ${handshakeUrl(region)}`,
      'App Runner connection needs a handshake',
    );
  }
  await writeSummary(report);
  if (settings.commentOnPr) await commentOnPullRequest(settings, report, budget);
  if (report.failure) log.fail(report.failure);
}

/** Why a connection that was found or created still fails the step, if it does. */
function statusFailure(report: Report, settings: Settings, waited: boolean, unanswered: boolean): string | undefined {
  const { connection, region } = report;
  if (!connection) return undefined;
  if (connection.status === 'ERROR') {
    return (
      `Connection ${connection.name} is in status ERROR and cannot be used. Delete it ` +
      `(aws apprunner delete-connection --connection-arn ${connection.arn} --region ${region}) ` +
      `and re-run the workflow to create it again.`
    );
  }
  if (connection.status === 'DELETED') {
    return `Connection ${connection.name} is DELETED: it was deleted while the action waited for its handshake. Re-run the workflow to create it again.`;
  }
  if (waited && connection.status !== 'AVAILABLE') {
    const lastCheck = unanswered ? ' (the last status check got no answer in time)' : '';
    return (
      `Connection ${connection.name} is still ${connection.status} after waiting ` +
      `${formatDuration(settings.waitForHandshakeMs)}${lastCheck}. Complete the handshake at ${handshakeUrl(region)} and re-run the job.`
    );
  }
  return undefined;
}

function writeOutputs(connection: Connection, created: boolean, region: string): void {
  core.setOutput('connection-arn', connection.arn);
  core.setOutput('connection-name', connection.name);
  core.setOutput('connection-status', connection.status);
  core.setOutput('provider-type', connection.providerType);
  core.setOutput('created', String(created));
  core.setOutput('handshake-url', handshakeUrl(region));
}

/** A dry run that found nothing still knows what it would have created. */
function writeDryRunOutputs(settings: Settings): void {
  core.setOutput('connection-name', settings.connectionName);
  core.setOutput('provider-type', settings.providerType);
  core.setOutput('created', 'false');
  core.setOutput('handshake-url', handshakeUrl(settings.region));
}

/** A connection's provider is fixed when it is created; reusing another one is worth saying. */
function warnOnOtherProvider(connection: Connection, settings: Settings): void {
  if (connection.providerType === settings.providerType) return;
  log.warning(
    `Connection ${connection.name} exists with provider ${connection.providerType}, not the ${settings.providerType} ` +
      `of provider-type; it is reused as it is. To use ${settings.providerType}, choose another connection-name.`,
  );
}

function logTagChanges({ tagChanges, dryRun }: EnsureResult): void {
  if (tagChanges.length === 0) return;
  const list = tagChanges.map(({ key, value }) => JSON.stringify(`${key}=${value}`)).join(', ');
  log.info(`${dryRun ? 'Dry run: would apply' : 'Applied'} tags: ${list}`);
}

async function waitForHandshake(
  wait: AwsModule['waitForAvailable'],
  client: AppRunnerApi,
  report: Report & { readonly connection: Connection },
  settings: Settings,
  budget: Budget,
): Promise<{ connection: Connection; created: boolean; unanswered: boolean }> {
  const { connection, region } = report;
  let live = { arn: connection.arn, status: connection.status, created: report.created };
  log.info(
    `Waiting up to ${formatDuration(settings.waitForHandshakeMs)} for the handshake of ${connection.name}, ` +
      `checking every ${formatDuration(settings.pollIntervalMs)}. Complete it at ${handshakeUrl(region)}`,
  );
  // The wait's own bound, plus time for its last check, also cuts short a check that stalls.
  const outcome = await withDeadline(budget(settings.waitForHandshakeMs + FINAL_CHECK_MS), (signal) =>
    wait(
      client,
      connection,
      { name: connection.name, region },
      {
        timeoutMs: settings.waitForHandshakeMs,
        intervalMs: settings.pollIntervalMs,
        signal,
        onPoll: (seen, elapsedMs) => {
          log.info(`Status of ${seen.name} after ${formatDuration(elapsedMs)}: ${seen.status}`);
          if (seen.arn !== live.arn && seen.status !== 'DELETED') {
            // Deleted and created again under the same name: the outputs follow the live one.
            log.info(`Connection ${seen.name} was replaced meanwhile; it is now ${seen.arn}`);
            live = { arn: seen.arn, status: seen.status, created: false };
            writeOutputs(seen, false, region);
          } else if (seen.status !== live.status) {
            live = { ...live, status: seen.status };
            core.setOutput('connection-status', seen.status);
          }
        },
      },
    ),
  );
  return { connection: outcome.connection, created: live.created, unanswered: outcome.unanswered };
}

async function writeSummary(report: Report): Promise<void> {
  // Outside GitHub (local runs) there is no summary file; that is not an error.
  if (!process.env['GITHUB_STEP_SUMMARY']) {
    log.debug('GITHUB_STEP_SUMMARY is not set; skipping the job summary.');
    return;
  }
  await core.summary.addRaw(renderSummary(report)).write();
}

async function commentOnPullRequest(settings: Settings, report: Report, budget: Budget): Promise<void> {
  try {
    const { pullRequestTarget, upsertPullRequestComment } = await import('./pr-comment.js');
    const target = pullRequestTarget();
    if (!target) {
      log.debug(`comment-on-pr is ignored on ${process.env['GITHUB_EVENT_NAME'] ?? 'this'} event.`);
      return;
    }
    // Octokit passes the signal to fetch; the race also ends anything that ignores it.
    const done = await withDeadline(budget(COMMENT_BOUND_MS), (signal) =>
      untilAborted(
        upsertPullRequestComment(
          settings.githubToken,
          target,
          prCommentMarker(settings.connectionName),
          renderPrComment(report),
          signal,
        ),
        signal,
      ),
    );
    log.info(`Pull request #${target.pullNumber}: comment ${done}.`);
  } catch (error) {
    log.warning(`Could not comment on the pull request (${commentFailure(error)}). ${commentAdvice(error)}`);
  }
}

function commentFailure(error: unknown): string {
  if (error instanceof DeadlineExceeded) return `GitHub did not answer within ${Math.round(error.ms / 1000)} s`;
  return errorText(error);
}

function commentAdvice(error: unknown): string {
  const name = (error as Error | undefined)?.name;
  if (name === 'CommentSearchCapped') return 'No second comment was added; the job summary has the same details.';
  if (error instanceof DeadlineExceeded) return 'The job summary has the same details; re-run the job to retry.';
  return 'Give the job permissions: pull-requests: write, or set comment-on-pr: false.';
}
