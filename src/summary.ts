// Renders what happened as Markdown for the job summary and the pull-request comment.
// Pure functions of a report; every value that came from outside goes through
// inertMarkdown, inside <code>, where GitHub neither links nor mentions.

import type { Connection } from './connection.js';
import { inertMarkdown } from './inert.js';
import type { Tag } from './tags.js';

export interface Report {
  readonly name: string;
  readonly providerType: string;
  readonly region: string;
  /** Absent in a dry run that found nothing. */
  readonly connection: Connection | undefined;
  readonly created: boolean;
  readonly dryRun: boolean;
  readonly tagChanges: readonly Tag[];
  /** Why the step failed after the connection was known, if it did. */
  readonly failure?: string;
}

/** The App Runner console page listing the region's connections, where the handshake is done. */
export function handshakeUrl(region: string): string {
  return `https://${region}.console.aws.amazon.com/apprunner/home?region=${region}#/connections`;
}

/** Finds this connection's comment among a pull request's comments. */
export function prCommentMarker(name: string): string {
  // Connection names are validated to [A-Za-z0-9_-], which cannot close an HTML comment.
  return `<!-- apprunner-connection-action:connection=${name} -->`;
}

export function renderSummary(report: Report): string {
  const lines = [`## App Runner connection ${code(report.name)}`, '', ...renderTable(report), ''];
  lines.push(...renderNextStep(report), ...renderFailure(report));
  return lines.join('\n') + '\n';
}

export function renderPrComment(report: Report): string {
  const status = report.connection?.status;
  const headline =
    status === 'AVAILABLE'
      ? `The App Runner connection ${code(report.name)} is **AVAILABLE**: App Runner services can use it.`
      : `The App Runner connection ${code(report.name)} is ${status ? `**${code(status)}**` : '**not created (dry run)**'}.`;
  const lines = [prCommentMarker(report.name), `### App Runner connection`, '', headline, ''];
  if (status !== 'AVAILABLE') lines.push(...renderNextStep(report));
  lines.push(...renderFailure(report));
  return lines.join('\n') + '\n';
}

function renderFailure(report: Report): string[] {
  return report.failure ? ['', `**The step failed:** ${code(report.failure)}`] : [];
}

function renderTable(report: Report): string[] {
  const { connection } = report;
  const rows: [string, string][] = [
    ['Name', code(report.name)],
    ['Provider', code(connection?.providerType ?? report.providerType)],
    ['Status', connection ? `**${code(connection.status)}**` : 'does not exist'],
    ['Region', code(report.region)],
    ['ARN', connection ? code(connection.arn) : '-'],
    ['Created or reused', createdOrReused(report)],
  ];
  if (report.tagChanges.length > 0) {
    rows.push([report.dryRun ? 'Tags to apply' : 'Tags applied', report.tagChanges.map(formatTag).join(', ')]);
  }
  return ['| Field | Value |', '| --- | --- |', ...rows.map(([label, value]) => `| ${label} | ${value} |`)];
}

function createdOrReused(report: Report): string {
  if (report.dryRun) return report.connection ? 'would be reused (dry run)' : 'would be created (dry run)';
  return report.created ? 'created by this run' : 'reused';
}

function renderNextStep(report: Report): string[] {
  const { connection } = report;
  if (!connection) {
    return [
      `Dry run: no connection named ${code(report.name)} exists in ${code(report.region)}. ` +
        'Without `dry-run` the action would create it; nothing was changed.',
    ];
  }
  if (connection.status === 'PENDING_HANDSHAKE') return renderHandshakeGuide(report, connection);
  if (connection.status === 'ERROR') {
    return [
      '### The connection is in ERROR',
      '',
      'App Runner could not complete this connection, and it cannot be repaired in place. ' +
        `Delete it on the [App Runner connections page](${handshakeUrl(report.region)}) ` +
        `(or run ${code(`aws apprunner delete-connection --connection-arn ${connection.arn}`)}), ` +
        'then re-run this workflow to create it again and complete the handshake.',
    ];
  }
  if (connection.status === 'AVAILABLE') {
    return ['The connection is **AVAILABLE**: App Runner services can use it.'];
  }
  return [`The connection's status is ${code(connection.status)}.`];
}

function renderHandshakeGuide(report: Report, connection: Connection): string[] {
  const provider = connection.providerType === 'BITBUCKET' ? 'Bitbucket' : 'GitHub';
  const authorize =
    provider === 'GitHub'
      ? 'Choose the GitHub app: install **AWS Connector for GitHub** on the account or organization if asked, ' +
        'give it access to the repositories App Runner will build, then choose **Connect**.'
      : 'Sign in to Bitbucket and grant AWS access to the workspace, then choose **Connect**.';
  return [
    '### Finish the handshake',
    '',
    `A new connection stays **PENDING_HANDSHAKE** until a person authorizes it with ${provider} once; ` +
      'App Runner services cannot use it before that.',
    '',
    `1. Open the [App Runner connections page](${handshakeUrl(report.region)}) (region ${code(report.region)}).`,
    `2. Select ${code(connection.name)} and choose **Complete handshake**.`,
    `3. ${authorize}`,
    '4. The status changes to **Available**. Re-run this workflow, or set `wait-for-handshake` so the action waits for it.',
  ];
}

function formatTag({ key, value }: Tag): string {
  return code(`${key}=${value}`);
}

function code(text: string): string {
  return `<code>${inertMarkdown(text)}</code>`;
}
