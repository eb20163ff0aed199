// Behaviours 8, 10 and 14, issue 25: the summary and the comment lead with the failure in prose (links live), then
// what is known and the next step; outside text stays literal in code spans, and nothing secret shows.

import { describe, expect, it } from 'vitest';

import type { Problem } from '../../src/errors.js';
import type { Report } from '../../src/outcome.js';
import { commentMarker, renderComment, renderInputProblems, renderSummary } from '../../src/render.js';
import { ACCOUNT, CONSOLE, arnOf, connectionOf, holder, rendered } from '../support/reports.js';

const summaryOf = (fields: Partial<Report> = {}, secrets: readonly string[] = []) =>
  renderSummary(rendered(fields, secrets));
const failedWith = (problem: Problem, fields: Partial<Report> = {}) =>
  summaryOf({ connection: undefined, problem, ...fields });
const denied = (awsSaid: string): Problem => ({ kind: 'access-denied', operation: 'TagResource', awsSaid });

/** The Markdown with its code spans taken out: what GitHub renders as Markdown, links and mentions. */
const outsideCode = (markdown: string) => markdown.replace(/(`+)[^`][\s\S]*?\1/g, '');

/** The cells of a table row (a `|` in a cell is escaped, so ` | ` only parts cells). */
const cells = (row: string) => row.slice(2, -2).split(' | ');

/** The summary's table as label -> cell. */
function tableOf(markdown: string): Map<string, string> {
  const lines = markdown.split('\n');
  const rows = lines.slice(lines.indexOf('| Field | Value |') + 2).filter((line) => line.startsWith('| '));
  return new Map(rows.map((row) => cells(row) as [string, string]));
}

describe('the job summary: a heading, the failure first, then a table of what is known', () => {
  it('names the connection in the heading and tables name, provider, status with its mark, Region, ARN, created', () => {
    const summary = summaryOf({ created: true });
    expect(summary.split('\n')[0]).toBe('## App Runner connection `preview-conn`');
    expect(summary).not.toContain('The step failed');
    const known =
      'Name: `preview-conn` / Provider: `GITHUB` / Status: **⏳ `PENDING_HANDSHAKE`** / Region: `eu-west-1`';
    const rows = [...tableOf(summary)].map((row) => row.join(': ')).join(' / ');
    expect(rows).toBe(`${known} / ARN: \`${arnOf('preview-conn')}\` / Created or reused: created by this run`);
  });

  it('opens a failed run with the failure in prose, its link live, before any table', () => {
    const summary = failedWith({ kind: 'no-response', operation: 'ListConnections', code: 'ECONNREFUSED' });
    const lines = summary.split('\n');
    expect(lines[2]).toMatch(/^\*\*The step failed\.\*\* App Runner did not answer `ListConnections` /);
    expect(lines.findIndex((line) => line.startsWith('|'))).toBeGreaterThan(2);
    expect(outsideCode(summaryOf({ connection: connectionOf('ERROR') }).split('\n')[2] ?? '')).toContain(CONSOLE);
  });

  it('tables only what is known (a failure before the connection or the Region), and the provider App Runner reports', () => {
    const noConnection = tableOf(failedWith(denied('no')));
    expect([...noConnection.keys()]).toEqual(['Name', 'Provider', 'Region']);
    expect([...tableOf(failedWith({ kind: 'no-region' }, { region: undefined })).keys()]).toEqual(['Name', 'Provider']);
    expect(failedWith(denied('no'))).not.toMatch(/not known|\| - \|/);
    const bitbucket = { ...connectionOf('AVAILABLE'), providerType: 'BITBUCKET' as const };
    expect(tableOf(summaryOf({ providerType: 'GITHUB', connection: bitbucket })).get('Provider')).toBe('`BITBUCKET`');
  });

  const TAGS = [{ key: 'team', value: 'platform' }];
  it.each`
    case                                             | fields                                            | label
    ${'a create shows the tags it was created with'} | ${{ created: true, tags: TAGS }}                  | ${'Tags (set at creation)'}
    ${'a reuse shows the tags it applied'}           | ${{ tags: TAGS, tagChanges: TAGS }}               | ${'Tags applied'}
    ${'a dry run shows the tags it would apply'}     | ${{ dryRun: true, tags: TAGS, tagChanges: TAGS }} | ${'Tags to apply'}
    ${'a reuse that changed no tag shows none'}      | ${{ tags: TAGS }}                                 | ${undefined}
  `('$case', ({ fields, label }) => {
    const rows = tableOf(summaryOf(fields));
    expect([...rows.keys()].filter((key) => key.startsWith('Tags'))).toEqual(label ? [label] : []);
    if (label) expect(rows.get(label)).toBe('`team=platform`');
  });

  it.each`
    case                              | fields                                     | cell
    ${'a create'}                     | ${{ created: true }}                       | ${'created by this run'}
    ${'a reuse'}                      | ${{}}                                      | ${'reused'}
    ${'a dry run that found it'}      | ${{ dryRun: true }}                        | ${'would be reused (dry run)'}
    ${'a dry run that found nothing'} | ${{ dryRun: true, connection: undefined }} | ${'would be created (dry run)'}
  `('says of $case: $cell', ({ fields, cell }) => {
    expect(tableOf(summaryOf(fields)).get('Created or reused')).toBe(cell);
  });
});

describe('the next step: the handshake guide, the recovery of ERROR, or nothing', () => {
  it("gives numbered steps, the first linking the console of the connection's Region", () => {
    const steps = summaryOf().match(/^\d+\. .*$/gm) ?? [];
    expect(steps.map((step) => step.slice(0, 3))).toEqual(['1. ', '2. ', '3. ', '4. ']);
    expect(steps[0]).toBe(`1. Open the [App Runner connections page](${CONSOLE}) in \`eu-west-1\`.`);
    expect(steps[1]).toBe('2. Select `preview-conn` and choose **Complete handshake**.');
  });

  const BITBUCKET = { ...connectionOf('PENDING_HANDSHAKE'), providerType: 'BITBUCKET' as const };
  const US_EAST = { ...BITBUCKET, arn: BITBUCKET.arn.replace('eu-west-1', 'us-east-1') };
  const ranOut = { forMs: 60_000, startedAt: 0, endedAt: 60_000, end: 'timeout' };
  const DELETE = `\`aws apprunner delete-connection --connection-arn ${arnOf('preview-conn')} --region eu-west-1\``;
  // Each row: phrases (" … " between them) the summary has in this order, and one it lacks. No advice twice.
  it.each`
    case                                                         | fields                                                    | present                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                        | absent
    ${'a create says this run created it'}                       | ${{ created: true }}                                      | ${'This run created the connection. A new connection stays … 4. The status changes to **Available**. Re-run this workflow, or set wait-for-handshake so the action waits for it.'}                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                             | ${'waiting up to'}
    ${'a reuse does not say this run created it'}                | ${{}}                                                     | ${'The connection stays **PENDING_HANDSHAKE** until … Re-run this workflow, or set wait-for-handshake'}                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                        | ${'This run created'}
    ${'a wait under way says the workflow carries on'}           | ${{ waited: { forMs: 900_000, startedAt: 0 } }}           | ${'4. The status changes to **Available**, and this workflow, waiting up to 15m, carries on.'}                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 | ${'set wait-for-handshake'}
    ${'a wait that ran out does not advise wait-for-handshake'}  | ${{ waited: ranOut }}                                     | ${'4. The status changes to **Available**. Then re-run this workflow.'}                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                        | ${'set wait-for-handshake'}
    ${'GITHUB_REPOSITORY is the repository the app must see'}    | ${{ repository: 'acme/web-shop' }}                        | ${'give it access to `acme/web-shop`, the repository this workflow runs in … installing it on an organization takes an owner of that organization'}                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                            | ${'repositories App Runner will build'}
    ${'without a repository, the repositories to build'}         | ${{}}                                                     | ${'give it access to the repositories App Runner will build'}                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                  | ${'the repository this workflow runs in'}
    ${'Bitbucket, not a GitHub repository'}                      | ${{ repository: 'acme/web-shop', connection: BITBUCKET }} | ${'authorizes it with Bitbucket once … 3. Sign in to Bitbucket and grant AWS access to the workspace'}                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                         | ${'GitHub'}
    ${'another Region links its own console'}                    | ${{ region: 'us-east-1', connection: US_EAST }}           | ${'[App Runner connections page](https://us-east-1.console.aws.amazon.com/apprunner/home?region=us-east-1#/connections) in `us-east-1`'}                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                       | ${'eu-west-1'}
    ${'AVAILABLE: no guide'}                                     | ${{ connection: connectionOf('AVAILABLE') }}              | ${'| Status | **✅ `AVAILABLE`** |'}                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                           | ${'handshake'}
    ${'ERROR: recover in order; never delete; the command once'} | ${{ connection: connectionOf('ERROR') }}                  | ${`| Status | **❌ \`ERROR\`** | … ### Recover the connection … App Runner could not complete this connection. The action never deletes anything; recover in this order: … 1. Complete the handshake again: open the [App Runner connections page](${CONSOLE}) in \`eu-west-1\`, select \`preview-conn\` and choose **Complete handshake**. Check that the AWS Connector app is installed, with access to the repository (the same app serves CodePipeline and CodeBuild connections: a revoked installation breaks those too). … 2. If it stays in **ERROR**: run this workflow with a new connection-name, point your App Runner services at the new connection, then delete this one with ${DELETE} (App Runner refuses while a running service uses it).`} | ${'Finish the handshake'}
    ${'a dry run that found nothing: nothing was changed'}       | ${{ dryRun: true, connection: undefined }}                | ${'Dry run: no connection named `preview-conn` exists in `eu-west-1`. Without dry-run the action would create it; nothing was changed.'}                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                       | ${'handshake'}
  `('fits the next step to the case: $case', ({ fields, present, absent }) => {
    const summary = summaryOf(fields);
    let from = 0;
    for (const phrase of present.split(' … '))
      expect((from = summary.indexOf(phrase, from)), phrase).toBeGreaterThan(0);
    expect(summary).not.toContain(absent);
    expect(summary.match(/delete-connection/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });
});

describe('a reached quota: every connection that holds it, with the command that deletes it', () => {
  const holders = [
    holder('old-preview', 'PENDING_HANDSHAKE', 41),
    ...Array.from({ length: 12 }, (_, i) => holder(`c${i}`, 'AVAILABLE')),
  ];
  const problem: Problem = { kind: 'quota', operation: 'CreateConnection', connections: holders };
  const QUOTAS =
    '[Service Quotas](https://eu-west-1.console.aws.amazon.com/servicequotas/home/services/apprunner/quotas)';

  it('lists all of them, with provider, status, age and delete command (the account id masked if asked)', () => {
    const summary = failedWith(problem);
    expect(summary).toContain('### The connection quota is reached');
    expect(summary).toContain(QUOTAS);
    expect(summary).toContain('| Connection | Provider | Status | Created | Delete it with |');
    const rows = summary.split('\n').filter((line) => /^\| `(old-preview|c\d+)`/.test(line));
    const command = (name: string) =>
      `aws apprunner delete-connection --connection-arn ${arnOf(name)} --region eu-west-1`;
    const row = (name: string, status: string, age: string) =>
      `| \`${name}\` | \`GITHUB\` | \`${status}\` | ${age} | \`${command(name)}\` |`;
    expect(rows).toEqual([
      row('old-preview', 'PENDING_HANDSHAKE', '41d ago'),
      ...holders.slice(1).map(({ name }) => row(name, 'AVAILABLE', 'not known')),
    ]);
    const masked = failedWith(problem, { maskAccountId: true });
    expect(masked).not.toContain(ACCOUNT);
    expect(masked).toContain('--connection-arn arn:aws:apprunner:eu-west-1:<account-id>:connection/old-preview/');
  });
});

describe('what must not show: account ids when masked, proxy secrets always', () => {
  it('shows the ARN with the account id masked, says so, and masks it in the failure too', () => {
    const problem = denied(`User: arn:aws:sts::${ACCOUNT}:assumed-role/ci is not authorized; account ${ACCOUNT}`);
    const failing = { maskAccountId: true, problem };
    for (const text of [summaryOf(failing), renderComment(rendered(failing))]) {
      expect(text).not.toContain(ACCOUNT);
      expect(text).toContain('arn:aws:sts::<account-id>:assumed-role/ci');
    }
    expect(tableOf(summaryOf(failing)).get('ARN')).toBe(`\`${arnOf('preview-conn', '<account-id>')}\``);
    const note = 'The AWS account id is shown as `<account-id>` (mask-aws-account-id); the connection-arn output holds';
    expect(summaryOf(failing)).toContain(`${note} the full ARN.`);
    expect(summaryOf()).toContain(ACCOUNT);
    expect(summaryOf()).not.toContain('mask-aws-account-id');
  });

  it("shows a proxy's credentials as ***, wherever an answer put them", () => {
    const leak = denied('proxy said: bad password hunter2 (Basic aHVudGVyMg==)');
    const summary = summaryOf({ problem: leak }, ['hunter2', 'Basic aHVudGVyMg==']);
    expect(summary).not.toMatch(/hunter2|aHVudGVyMg/);
    expect(summary).toContain('bad password *** (***)');
  });
});

describe('text from outside stays literal: in code spans, one table cell, readable in the raw file', () => {
  const HOSTILE = [
    '<img src=x onerror=alert(1)> <!-- hidden',
    'a|b | c',
    '@org/team #1234 # heading',
    '[x](http://evil.example) see https://evil.example/login **bold**',
    '`code` and ``more`` closes -->',
  ];

  it.each(HOSTILE)('keeps the tag value %j in one code span, in one table cell', (value) => {
    const summary = summaryOf({ tagChanges: [{ key: 'owner', value }] });
    const row = summary.split('\n').find((line) => line.startsWith('| Tags applied |')) ?? '';
    expect(cells(row)).toHaveLength(2);
    expect(outsideCode(row)).not.toMatch(/owner|evil|@org|#1234|<|-->|\*\*bold/);
    expect(row).toContain(`owner=${value.replace(/\|/g, '\\|')}`);
    expect(summary).not.toMatch(/&#|&lt;|&gt;/);
  });

  it.each(HOSTILE)('keeps the AWS message %j literal in the failure of the summary and the comment', (text) => {
    for (const markdown of [summaryOf({ problem: denied(text) }), renderComment(rendered({ problem: denied(text) }))]) {
      expect(markdown).toContain(text);
      expect(outsideCode(markdown)).not.toContain(text);
      expect(markdown).not.toMatch(/&#|&lt;|&gt;/);
    }
  });

  it('keeps a multi-line message on the failure line', () => {
    const summary = summaryOf({ problem: denied('first line\n\n## injected heading\n- item') });
    expect(summary).not.toMatch(/^## injected|^- item/m);
    expect(summary).toMatch(/^\*\*The step failed\.\*\* .*first line {2}## injected heading - item/m);
  });
});

describe('the pull-request comment: the summary under a hidden marker that finds it again', () => {
  it('starts with the marker of the connection, then the summary under a smaller heading', () => {
    const comment = renderComment(rendered({ repository: 'acme/web-shop' }));
    const [marker, heading] = comment.split('\n');
    expect(marker).toBe(commentMarker('preview-conn'));
    expect(marker).toMatch(/^<!-- .*preview-conn -->$/);
    expect(heading).toBe('### App Runner connection `preview-conn`');
    expect(comment).toContain(`](${CONSOLE})`);
    expect(comment).toContain('`acme/web-shop`');
    // Not the marker of a name that is a prefix of another.
    expect(renderComment(rendered({ name: 'preview-conn-2' }))).not.toContain(commentMarker('preview-conn'));
  });
});

describe('a run refused on its inputs: a summary that lists each problem', () => {
  it('lists every problem on its own line, literal', () => {
    const problems = ['Input connection-name must be 4-32 characters (got "ab").', 'Input dry-run: "**yes**"?'];
    const listed = problems.map((problem) => `- \`${problem}\``);
    expect(renderInputProblems(problems)).toBe(['## The step refused its inputs', '', ...listed, ''].join('\n'));
  });
});
