// Lays a report out as Markdown for the job summary and the pull-request comment, in words from messages.ts.

import { failure, guide, summary } from './messages.js';
import { deleteCommand } from './model.js';
import type { StepReport } from './outcome.js';
import { accountIdsIn, codeSpan, formatDuration, redact, toMarkdown } from './text.js';

const STATUS_MARK: Readonly<Record<string, string>> = { AVAILABLE: '✅ ', PENDING_HANDSHAKE: '⏳ ', ERROR: '❌ ' };

/** The hidden line that finds this connection's comment; names are [A-Za-z0-9_-], which cannot close it. */
export const commentMarker = (name: string) => `<!-- apprunner-connection-action:connection=${name} -->`;

export function renderSummary(report: StepReport): string {
  const failed = failure(report, report.outcome);
  const lines = [`## App Runner connection ${codeSpan(report.name)}`, ''];
  if (failed) lines.push(`**${summary.failed}** ${toMarkdown(failed)}`, '');
  lines.push(...table(report), '');
  if (report.maskAccountId) lines.push(toMarkdown(summary.masked), '');
  const next = guide(report, report.outcome);
  if (next?.heading) lines.push(`### ${next.heading}`, '');
  if (next) lines.push(toMarkdown(next.text), '');
  next?.steps?.forEach((step, index) => lines.push(`${index + 1}. ${toMarkdown(step)}`));
  if (report.problem?.kind === 'quota') lines.push('', ...quotaTable(report));
  return hide(report, lines.join('\n').trimEnd() + '\n');
}

export function renderComment(report: StepReport): string {
  return `${commentMarker(report.name)}\n${renderSummary(report).replace(/^## /, '### ')}`;
}

export function renderInputProblems(problems: readonly string[]): string {
  return ['## The step refused its inputs', '', ...problems.map((problem) => `- ${codeSpan(problem)}`), ''].join('\n');
}

function table(report: StepReport): string[] {
  const { connection, region, dryRun, created } = report;
  const tags = created ? report.tags : report.tagChanges;
  const rows: [string, string | undefined][] = [
    ['Name', codeSpan(report.name)],
    ['Provider', codeSpan(connection?.providerType ?? report.providerType)],
    ['Status', connection && `**${STATUS_MARK[connection.status] ?? ''}${codeSpan(connection.status)}**`],
    ['Region', region && codeSpan(region)],
    ['ARN', connection && codeSpan(connection.arn)],
    [
      'Created or reused',
      dryRun
        ? `would be ${connection ? 'reused' : 'created'} (dry run)`
        : connection && (created ? 'created by this run' : 'reused'),
    ],
    [
      created ? 'Tags (set at creation)' : dryRun ? 'Tags to apply' : 'Tags applied',
      tags.map(({ key, value }) => codeSpan(`${key}=${value}`)).join(', ') || undefined,
    ],
  ];
  const known = rows.filter((row): row is [string, string] => row[1] !== undefined);
  return markdownTable(['Field', 'Value'], known);
}

function quotaTable({ problem, region = '', at }: StepReport): string[] {
  const held = problem?.kind === 'quota' ? (problem.connections ?? []) : [];
  if (held.length === 0) return [];
  const cells = held.map(({ name, providerType, status, arn, createdAt }) => [
    codeSpan(name),
    codeSpan(providerType),
    codeSpan(status),
    createdAt ? `${formatDuration(at - createdAt.getTime(), { roughly: true })} ago` : 'not known',
    codeSpan(deleteCommand(arn, region)),
  ]);
  return markdownTable(['Connection', 'Provider', 'Status', 'Created', 'Delete it with'], cells);
}

/** A Markdown table; a `|` in a cell would end its row, inside a code span too. */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const row = (cells: readonly string[]) => `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [row(header), row(header.map(() => '---')), ...rows.map(row)];
}

function hide(report: StepReport, markdown: string): string {
  const hidden = new Map(report.secrets.map((secret) => [secret, '***']));
  if (report.maskAccountId) for (const id of accountIdsIn(markdown)) hidden.set(id, '<account-id>');
  return redact(markdown, hidden);
}
