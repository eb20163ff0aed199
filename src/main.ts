// The imperative shell: read inputs, call the core, and report through the Actions
// toolkit (outputs, log, annotations, job summary, pull-request comment).

import * as core from '@actions/core';

import type * as AwsModuleType from './aws.js';
import type { AppRunnerApi, Connection, EnsureResult } from './connection.js';
import { formatDuration } from './duration.js';
import { DeadlineExceeded, describeFailure } from './errors.js';
import { type Settings, readSettings } from './inputs.js';
import { type Report, handshakeUrl, prCommentMarker, renderPrComment, renderSummary } from './summary.js';

// The whole lookup-or-create gives up after this long, whatever the retries are doing,
// so a stalled endpoint fails the step well within a minute (waiting has its own bound).
export const DEADLINE_MS = 45_000;

type AwsModule = typeof AwsModuleType;

export async function run(): Promise<void> {
  try {
    const settings = readSettings((name) => core.getInput(name), process.env);
    await ensureAndReport(settings);
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

async function ensureAndReport(settings: Settings): Promise<void> {
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
    core.info(`Looking up App Runner connection ${name} in ${region}${dryRun ? ' (dry run)' : ''}.`);
    const result = await withDeadline(DEADLINE_MS, (signal) =>
      ensureConnection(
        client,
        { name, providerType: settings.providerType, tags: settings.tags, dryRun },
        {
          signal,
          onConnection: (connection, created) => {
            report = { ...report, connection, created };
            writeOutputs(connection, created, region);
            core.info(
              `${created ? 'Created' : 'Reusing'} connection ${connection.name} (${connection.status}): ${connection.arn}`,
            );
          },
        },
      ),
    );
    report = { ...report, ...result };
    logTagChanges(result);
    if (!result.connection) {
      core.info(`Dry run: connection ${name} does not exist; a run without dry-run would create it.`);
      writeDryRunOutputs(settings);
    }

    const waits = report.connection?.status === 'PENDING_HANDSHAKE' && settings.waitForHandshakeMs > 0 && !dryRun;
    if (waits && report.connection) {
      const connection = await waitForHandshake(waitForAvailable, client, report.connection, settings);
      report = { ...report, connection };
    }
    report = { ...report, failure: statusFailure(report, settings, waits) };
  } catch (error) {
    const failure = describeFailure(error, { region, lastAttempt: lastAttemptError() });
    if (!report.connection) throw new Error(failure, { cause: error });
    report = { ...report, failure };
  } finally {
    client.destroy();
  }

  if (report.connection?.status === 'PENDING_HANDSHAKE' && !report.failure) {
    core.notice(
      `Connection ${name} is waiting for its handshake: complete it in the App Runner console, ${handshakeUrl(region)}`,
      { title: 'App Runner connection needs a handshake' },
    );
  }
  await writeSummary(report);
  if (settings.commentOnPr) await commentOnPullRequest(settings, report);
  if (report.failure) core.setFailed(report.failure);
}

/** Runs `work` with a signal that aborts after `ms`, whatever the SDK's retries are doing. */
async function withDeadline<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DeadlineExceeded(ms)), ms);
  try {
    return await work(deadline.signal);
  } finally {
    clearTimeout(timer);
  }
}

/** Why a connection that was found or created still fails the step, if it does. */
function statusFailure(report: Report, settings: Settings, waited: boolean): string | undefined {
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
    return (
      `Connection ${connection.name} is still ${connection.status} after waiting ` +
      `${formatDuration(settings.waitForHandshakeMs)}. Complete the handshake at ${handshakeUrl(region)} and re-run the job.`
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

function logTagChanges({ tagChanges, dryRun }: EnsureResult): void {
  if (tagChanges.length === 0) return;
  // Tag text comes from the workflow: keep it behind fixed words so no line can start a workflow command.
  const list = tagChanges.map(({ key, value }) => JSON.stringify(`${key}=${value}`)).join(', ');
  core.info(`${dryRun ? 'Dry run: would apply' : 'Applied'} tags: ${list}`);
}

async function waitForHandshake(
  wait: AwsModule['waitForAvailable'],
  client: AppRunnerApi,
  connection: Connection,
  settings: Settings,
): Promise<Connection> {
  core.info(
    `Waiting up to ${formatDuration(settings.waitForHandshakeMs)} for the handshake of ${connection.name}, ` +
      `checking every ${formatDuration(settings.pollIntervalMs)}. Complete it at ${handshakeUrl(settings.region)}`,
  );
  // The wait's own bound also cuts short a status check that stalls.
  const final = await withDeadline(settings.waitForHandshakeMs, (signal) =>
    wait(client, connection, {
      timeoutMs: settings.waitForHandshakeMs,
      intervalMs: settings.pollIntervalMs,
      signal,
      onPoll: (seen, elapsedMs) =>
        core.info(`Status of ${seen.name} after ${formatDuration(elapsedMs)}: ${seen.status}`),
    }),
  );
  // The outputs were written before the wait; the status output follows the change.
  if (final.status !== connection.status) core.setOutput('connection-status', final.status);
  return final;
}

async function writeSummary(report: Report): Promise<void> {
  // Outside GitHub (local runs) there is no summary file; that is not an error.
  if (!process.env['GITHUB_STEP_SUMMARY']) {
    core.debug('GITHUB_STEP_SUMMARY is not set; skipping the job summary.');
    return;
  }
  await core.summary.addRaw(renderSummary(report)).write();
}

async function commentOnPullRequest(settings: Settings, report: Report): Promise<void> {
  try {
    const { pullRequestTarget, upsertPullRequestComment } = await import('./pr-comment.js');
    const target = pullRequestTarget();
    if (!target) {
      core.debug(`comment-on-pr is ignored on ${process.env['GITHUB_EVENT_NAME'] ?? 'this'} event.`);
      return;
    }
    const done = await upsertPullRequestComment(
      settings.githubToken,
      target,
      prCommentMarker(settings.connectionName),
      renderPrComment(report),
    );
    core.info(`Pull request #${target.pullNumber}: comment ${done}.`);
  } catch (error) {
    core.warning(
      `Could not comment on the pull request (${error instanceof Error ? error.message : String(error)}). ` +
        'Give the job permissions: pull-requests: write, or set comment-on-pr: false.',
    );
  }
}
