// The imperative shell: read inputs, call the core, and report through the Actions
// toolkit (outputs, log, annotations, job summary, pull-request comment).

import * as core from '@actions/core';

import type { Connection, EnsureResult } from './connection.js';
import { formatDuration } from './duration.js';
import { DeadlineExceeded, describeFailure } from './errors.js';
import { type Settings, readSettings } from './inputs.js';
import { type Report, handshakeUrl, prCommentMarker, renderPrComment, renderSummary } from './summary.js';

// The whole lookup-or-create gives up after this long, whatever the retries are doing,
// so a stalled endpoint fails the step well within a minute (waiting has its own bound).
export const DEADLINE_MS = 45_000;

export async function run(): Promise<void> {
  try {
    const settings = readSettings((name) => core.getInput(name), process.env);
    await ensureAndReport(settings);
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

async function ensureAndReport(settings: Settings): Promise<void> {
  const { createAppRunnerClient, ensureConnection, waitForAvailable } = await import('./aws.js');
  const { client, lastAttemptError } = createAppRunnerClient(settings.region);
  const { connectionName: name, region } = settings;
  const report: Report = {
    name,
    providerType: settings.providerType,
    region,
    connection: undefined,
    created: false,
    dryRun: settings.dryRun,
    tagChanges: [],
  };
  let known: Connection | undefined;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DeadlineExceeded(DEADLINE_MS)), DEADLINE_MS);

  try {
    core.info(`Looking up App Runner connection ${name} in ${region}${settings.dryRun ? ' (dry run)' : ''}.`);
    let result: EnsureResult;
    try {
      result = await ensureConnection(
        client,
        { name, providerType: settings.providerType, tags: settings.tags, dryRun: settings.dryRun },
        {
          signal: deadline.signal,
          onConnection: (connection, created) => {
            known = connection;
            writeOutputs(connection, created, region);
            core.info(
              `${created ? 'Created' : 'Reusing'} connection ${connection.name} (${connection.status}): ${connection.arn}`,
            );
          },
        },
      );
    } catch (error) {
      const message = describeFailure(error, { region, lastAttempt: lastAttemptError() });
      if (known) await writeSummary({ ...report, connection: known, failure: message });
      throw new Error(message, { cause: error });
    } finally {
      clearTimeout(timer);
    }

    logTagChanges(result);
    let connection = result.connection;
    if (!connection) {
      core.info(`Dry run: connection ${name} does not exist; a run without dry-run would create it.`);
      writeDryRunOutputs(settings);
    }

    let waitFailure: string | undefined;
    if (connection?.status === 'PENDING_HANDSHAKE' && settings.waitForHandshakeMs > 0 && !settings.dryRun) {
      connection = await waitForHandshake(connection, settings, (c, s) => waitForAvailable(client, c, s));
      if (connection.status !== 'AVAILABLE' && connection.status !== 'ERROR') {
        waitFailure =
          `Connection ${name} is still ${connection.status} after waiting ${formatDuration(settings.waitForHandshakeMs)}. ` +
          `Complete the handshake at ${handshakeUrl(region)} and re-run the job.`;
      }
    }

    const statusFailure = connection?.status === 'ERROR' ? errorStatusMessage(connection, region) : undefined;
    const failure = waitFailure ?? statusFailure;
    const finalReport: Report = { ...report, ...result, connection, failure };

    if (connection?.status === 'PENDING_HANDSHAKE' && !failure) {
      core.notice(
        `Connection ${name} is waiting for its handshake: complete it in the App Runner console, ${handshakeUrl(region)}`,
        { title: 'App Runner connection needs a handshake' },
      );
    }
    await writeSummary(finalReport);
    if (settings.commentOnPr) await commentOnPullRequest(settings, finalReport);
    if (failure) core.setFailed(failure);
  } finally {
    client.destroy();
  }
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

type Wait = (
  connection: Connection,
  options: { timeoutMs: number; intervalMs: number; onPoll: (c: Connection, elapsedMs: number) => void },
) => Promise<Connection>;

async function waitForHandshake(connection: Connection, settings: Settings, wait: Wait): Promise<Connection> {
  // Outputs are already written; update the status output when the wait changes it.
  core.info(
    `Waiting up to ${formatDuration(settings.waitForHandshakeMs)} for the handshake of ${connection.name}, ` +
      `checking every ${formatDuration(settings.pollIntervalMs)}. Complete it at ${handshakeUrl(settings.region)}`,
  );
  const final = await wait(connection, {
    timeoutMs: settings.waitForHandshakeMs,
    intervalMs: settings.pollIntervalMs,
    onPoll: (seen, elapsedMs) => core.info(`Status of ${seen.name} after ${formatDuration(elapsedMs)}: ${seen.status}`),
  });
  if (final.status !== connection.status) core.setOutput('connection-status', final.status);
  return final;
}

function errorStatusMessage(connection: Connection, region: string): string {
  return (
    `Connection ${connection.name} is in status ERROR and cannot be used. Delete it ` +
    `(aws apprunner delete-connection --connection-arn ${connection.arn} --region ${region}) ` +
    `and re-run the workflow to create it again.`
  );
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
