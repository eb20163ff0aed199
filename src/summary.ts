// Renders a run's report as Markdown for the job summary and the pull-request comment. Pure
// functions of the report and its outcome; every value that came from outside goes through
// inertMarkdown, inside <code>, where GitHub neither links nor mentions, and with
// mask-aws-account-id no account id is shown.

import { HIDDEN_ACCOUNT_ID, hideAccountIds } from './account-ids.js';
import type { AccountConnection } from './aws-answers.js';
import { deleteConnectionCommand, handshakeUrl, serviceQuotasUrl } from './aws-links.js';
import { formatAge } from './duration.js';
import { inertMarkdown } from './inert.js';
import type { StepReport } from './report.js';
import type { Tag } from './tags.js';

/** Finds this connection's comment among a pull request's comments. */
export function prCommentMarker(name: string): string {
  // Connection names are validated to [A-Za-z0-9_-], which cannot close an HTML comment.
  return `<!-- apprunner-connection-action:connection=${name} -->`;
}

/** The job summary; `now` dates the connections a quota refusal lists. */
export function renderSummary(report: StepReport, now = Date.now()): string {
  const show = shower(report);
  const lines = [`## App Runner connection ${show.code(report.name)}`, '', ...renderTable(report, show), ''];
  if (report.maskAccountId) lines.push(MASKED_NOTE, '');
  lines.push(...renderNextStep(report, show, now), ...renderFailure(report, show));
  return lines.join('\n') + '\n';
}

export function renderPrComment(report: StepReport, now = Date.now()): string {
  const show = shower(report);
  const status = report.connection?.status;
  const name = show.code(report.name);
  const headline =
    status === 'AVAILABLE'
      ? `The App Runner connection ${name} is **AVAILABLE**: App Runner services can use it.`
      : status
        ? `The App Runner connection ${name} is **${show.code(status)}**.`
        : report.outcome.passed
          ? `The App Runner connection ${name} is **not created (dry run)**.`
          : `The App Runner connection ${name} is **not known: the step failed**.`;
  const lines = [prCommentMarker(report.name), `### App Runner connection`, '', headline, ''];
  if (status !== 'AVAILABLE') lines.push(...renderNextStep(report, show, now));
  lines.push(...renderFailure(report, show));
  return lines.join('\n') + '\n';
}

const MASKED_NOTE =
  `The AWS account id is shown as ${HIDDEN_ACCOUNT_ID} (\`mask-aws-account-id\`); ` +
  'the `connection-arn` output holds the full ARN.';

/** How outside text is shown: inert, in <code>, and without account ids when they are masked. */
interface Shower {
  readonly code: (text: string) => string;
  readonly hide: (text: string) => string;
}

function shower(report: StepReport): Shower {
  const hide = (text: string) => (report.maskAccountId ? hideAccountIds(text, report.accountIds) : text);
  return { hide, code: (text) => `<code>${inertMarkdown(hide(text))}</code>` };
}

function renderFailure(report: StepReport, show: Shower): string[] {
  const { failure } = report.outcome;
  return failure ? ['', `**The step failed:** ${show.code(failure)}`] : [];
}

function renderTable(report: StepReport, show: Shower): string[] {
  const { connection } = report;
  const rows: [string, string][] = [
    ['Name', show.code(report.name)],
    ['Provider', show.code(connection?.providerType ?? report.providerType)],
    [
      'Status',
      connection ? `**${show.code(connection.status)}**` : report.outcome.passed ? 'does not exist' : 'not known',
    ],
    ['Region', report.region ? show.code(report.region) : 'not known'],
    ['ARN', connection ? show.code(connection.arn) : '-'],
    ['Created or reused', createdOrReused(report)],
  ];
  if (report.tagChanges.length > 0) {
    rows.push([
      report.dryRun ? 'Tags to apply' : 'Tags applied',
      report.tagChanges.map((tag) => formatTag(tag, show)).join(', '),
    ]);
  }
  return ['| Field | Value |', '| --- | --- |', ...rows.map(([label, value]) => `| ${label} | ${value} |`)];
}

function createdOrReused(report: StepReport): string {
  if (report.dryRun) return report.connection ? 'would be reused (dry run)' : 'would be created (dry run)';
  if (!report.connection) return '-';
  return report.created ? 'created by this run' : 'reused';
}

function renderNextStep(report: StepReport, show: Shower, now: number): string[] {
  const { next } = report.outcome;
  const region = report.region ?? '';
  switch (next.kind) {
    case 'would-create':
      return [
        `Dry run: no connection named ${show.code(report.name)} exists in ${show.code(region)}. ` +
          'Without `dry-run` the action would create it; nothing was changed.',
      ];
    case 'handshake':
      return renderHandshakeGuide(report, show);
    case 'delete-and-rerun':
      return [
        '### The connection is in ERROR',
        '',
        'App Runner could not complete this connection, and it cannot be repaired in place. ' +
          `Delete it on the [App Runner connections page](${handshakeUrl(region)}) ` +
          `(or run ${show.code(next.command)}), ` +
          'then re-run this workflow to create it again and complete the handshake.',
      ];
    case 'rerun':
      return ['The connection was deleted while the action waited. Re-run this workflow to create it again.'];
    case 'free-quota':
      return renderQuota(next.connections, region, show, now);
    case 'none':
      return report.connection?.status === 'AVAILABLE'
        ? ['The connection is **AVAILABLE**: App Runner services can use it.']
        : [];
  }
}

function renderHandshakeGuide(report: StepReport, show: Shower): string[] {
  const region = report.region ?? '';
  const provider = report.connection?.providerType === 'BITBUCKET' ? 'Bitbucket' : 'GitHub';
  const repositories = report.repository
    ? `${show.code(report.repository)}, the repository this workflow runs in (and any other repository App Runner will build)`
    : 'the repositories App Runner will build';
  const authorize =
    provider === 'GitHub'
      ? 'Choose the GitHub app: install **AWS Connector for GitHub** on the account or organization if asked, ' +
        `and give it access to ${repositories}; installing it on an organization takes an owner of that organization. ` +
        'Then choose **Connect**.'
      : 'Sign in to Bitbucket and grant AWS access to the workspace, then choose **Connect**.';
  return [
    '### Finish the handshake',
    '',
    `A new connection stays **PENDING_HANDSHAKE** until a person authorizes it with ${provider} once; ` +
      'App Runner services cannot use it before that.',
    '',
    `1. Open the [App Runner connections page](${handshakeUrl(region)}) (region ${show.code(region)}).`,
    `2. Select ${show.code(report.name)} and choose **Complete handshake**.`,
    `3. ${authorize}`,
    '4. The status changes to **Available**. Re-run this workflow, or set `wait-for-handshake` so the action waits for it.',
  ];
}

function renderQuota(connections: readonly AccountConnection[], region: string, show: Shower, now: number): string[] {
  const rows = connections.map(
    (connection) =>
      `| ${show.code(connection.name)} | ${show.code(connection.providerType)} | ${show.code(connection.status)} | ` +
      `${connection.createdAt ? formatAge(now - connection.createdAt.getTime()) : 'not known'} | ` +
      `${show.code(deleteConnectionCommand(connection.arn, region))} |`,
  );
  return [
    '### The connection quota is reached',
    '',
    `The account's connections in ${show.code(region)} use up its quota. Delete those no workflow uses any more ` +
      `(connections still **PENDING_HANDSHAKE** or in **ERROR** are the likely leftovers; they are listed first), ` +
      `or request a higher quota in [Service Quotas](${serviceQuotasUrl(region)}), then re-run this workflow.`,
    ...(rows.length > 0
      ? ['', '| Connection | Provider | Status | Age | Delete it with |', '| --- | --- | --- | --- | --- |', ...rows]
      : []),
  ];
}

function formatTag({ key, value }: Tag, show: Shower): string {
  return show.code(`${key}=${value}`);
}
