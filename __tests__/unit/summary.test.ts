// Behaviour 8 (the job summary), the pull-request comment, and behaviour 10: text that
// came from outside can never break the summary's Markdown or start markup.

import { describe, expect, it } from 'vitest';

import { handshakeUrl } from '../../src/aws-links.js';
import type { Connection } from '../../src/connection.js';
import { decideOutcome } from '../../src/outcome.js';
import type { StepFacts, StepReport } from '../../src/report.js';
import { prCommentMarker, renderPrComment, renderSummary } from '../../src/summary.js';

const ARN = 'arn:aws:apprunner:eu-west-1:123456789012:connection/preview-conn/0123456789abcdef0123456789abcdef';
const EU_WEST_1_CONSOLE = 'https://eu-west-1.console.aws.amazon.com/apprunner/home?region=eu-west-1#/connections';

function connection(overrides: Partial<Connection> = {}): Connection {
  return { name: 'preview-conn', arn: ARN, providerType: 'GITHUB', status: 'PENDING_HANDSHAKE', ...overrides };
}

/** A run's report as the step builds it: the facts, and the outcome decided from them. */
function report(overrides: Partial<StepFacts> & { readonly accountIds?: readonly string[] } = {}): StepReport {
  const { accountIds = [], ...given } = overrides;
  const facts: StepFacts = {
    name: 'preview-conn',
    providerType: 'GITHUB',
    region: 'eu-west-1',
    dryRun: false,
    repository: undefined,
    maskAccountId: false,
    connection: connection(),
    created: true,
    tagChanges: [],
    ...given,
  };
  return { ...facts, outcome: decideOutcome(facts), accountIds };
}

/** Decodes the numeric character references inertMarkdown writes, as a browser does. */
function decode(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
}

/** The summary's table as label -> cell, the cells decoded; the header row left out. */
function tableOf(markdown: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of markdown.split('\n').slice(markdown.split('\n').findIndex((l) => l === '| --- | --- |') + 1)) {
    const match = /^\| ([^|]+) \| ([^|]*) \|$/.exec(line);
    if (match?.[1]) rows.set(match[1], decode(match[2] ?? ''));
  }
  return rows;
}

describe('the job summary: a heading and a table of what happened', () => {
  it('starts with a heading that names the connection', () => {
    expect(renderSummary(report()).split('\n')[0]).toBe('## App Runner connection <code>preview-conn</code>');
  });

  it('has a header row naming its columns, so no blank stripe shows above the first row', () => {
    const lines = renderSummary(report()).split('\n');
    const header = lines.findIndex((line) => line.startsWith('|'));
    expect(lines.slice(header, header + 2)).toEqual(['| Field | Value |', '| --- | --- |']);
  });

  it('has one row each for name, provider, status, region, ARN, and created or reused', () => {
    expect(Object.fromEntries(tableOf(renderSummary(report())))).toEqual({
      Name: '<code>preview-conn</code>',
      Provider: '<code>GITHUB</code>',
      Status: '**<code>PENDING_HANDSHAKE</code>**',
      Region: '<code>eu-west-1</code>',
      ARN: `<code>${ARN}</code>`,
      'Created or reused': 'created by this run',
    });
  });

  it('says "reused" for a connection that already existed', () => {
    expect(tableOf(renderSummary(report({ created: false }))).get('Created or reused')).toBe('reused');
  });

  it("shows the provider App Runner reports for the connection, not the input's", () => {
    const summary = renderSummary(
      report({ providerType: 'GITHUB', connection: connection({ providerType: 'BITBUCKET' }) }),
    );
    expect(tableOf(summary).get('Provider')).toBe('<code>BITBUCKET</code>');
  });

  it('lists the tags applied to a reused connection', () => {
    const summary = renderSummary(
      report({
        created: false,
        tagChanges: [
          { key: 'team', value: 'platform' },
          { key: 'env', value: 'preview' },
        ],
      }),
    );
    expect(tableOf(summary).get('Tags applied')).toBe('<code>team=platform</code>, <code>env=preview</code>');
  });

  it('has no tag row when no tag changed', () => {
    const rows = tableOf(renderSummary(report()));
    expect(rows.has('Tags applied')).toBe(false);
    expect(rows.has('Tags to apply')).toBe(false);
  });

  it('ends with the reason the step failed, when it failed after the connection was known', () => {
    const summary = renderSummary(report({ error: 'TagResource was refused.' }));
    expect(decode(summary.trimEnd().split('\n').at(-1) ?? '')).toBe(
      '**The step failed:** <code>TagResource was refused.</code>',
    );
  });

  it('has no failure line when the step succeeded', () => {
    expect(renderSummary(report())).not.toContain('The step failed');
  });

  it('mentions no dry run when the run was real', () => {
    expect(renderSummary(report()).toLowerCase()).not.toContain('dry run');
  });
});

describe('the job summary of a dry run', () => {
  it('says a missing connection would be created, and that nothing was changed', () => {
    const summary = renderSummary(report({ dryRun: true, created: false, connection: undefined }));
    const rows = tableOf(summary);
    expect(rows.get('Created or reused')).toBe('would be created (dry run)');
    expect(rows.get('Status')).toBe('does not exist');
    expect(rows.get('ARN')).toBe('-');
    expect(summary).toContain(
      'Dry run: no connection named <code>preview-conn</code> exists in <code>eu-west-1</code>. ' +
        'Without `dry-run` the action would create it; nothing was changed.',
    );
  });

  it('says an existing connection would be reused', () => {
    const summary = renderSummary(report({ dryRun: true, created: false }));
    expect(tableOf(summary).get('Created or reused')).toBe('would be reused (dry run)');
    expect(tableOf(summary).get('ARN')).toBe(`<code>${ARN}</code>`);
  });

  it('lists the tags it would apply, not "applied"', () => {
    const rows = tableOf(
      renderSummary(report({ dryRun: true, created: false, tagChanges: [{ key: 'team', value: 'platform' }] })),
    );
    expect(rows.get('Tags to apply')).toBe('<code>team=platform</code>');
    expect(rows.has('Tags applied')).toBe(false);
  });
});

describe('the handshake guide for a PENDING_HANDSHAKE connection', () => {
  it('is the App Runner console connections page of the given region', () => {
    expect(handshakeUrl('eu-west-1')).toBe(EU_WEST_1_CONSOLE);
    expect(handshakeUrl('ap-southeast-2')).toBe(
      'https://ap-southeast-2.console.aws.amazon.com/apprunner/home?region=ap-southeast-2#/connections',
    );
  });

  it("gives numbered steps, the first linking to the console in the connection's region", () => {
    const summary = renderSummary(report());
    const steps = summary.split('\n').filter((line) => /^\d+\. /.test(line));
    expect(steps.map((step) => step.slice(0, 3))).toEqual(['1. ', '2. ', '3. ', '4. ']);
    expect(steps[0]).toContain(`](${EU_WEST_1_CONSOLE})`);
    expect(steps[0]).toContain('region <code>eu-west-1</code>');
    expect(steps[1]).toBe('2. Select <code>preview-conn</code> and choose **Complete handshake**.');
  });

  it('never links to another region than the connection is in', () => {
    const summary = renderSummary(
      report({ region: 'us-east-1', connection: connection({ arn: ARN.replace('eu-west-1', 'us-east-1') }) }),
    );
    expect(summary).toContain(`](${handshakeUrl('us-east-1')})`);
    expect(summary).not.toContain('eu-west-1');
  });

  it('words the authorization for GitHub', () => {
    const summary = renderSummary(report());
    expect(summary).toContain('authorizes it with GitHub once');
    expect(summary).toContain('**AWS Connector for GitHub**');
    expect(summary).not.toContain('Bitbucket');
  });

  it('words the authorization for Bitbucket', () => {
    const summary = renderSummary(
      report({ providerType: 'BITBUCKET', connection: connection({ providerType: 'BITBUCKET' }) }),
    );
    expect(summary).toContain('authorizes it with Bitbucket once');
    expect(summary).toContain('3. Sign in to Bitbucket and grant AWS access to the workspace');
    expect(summary).not.toContain('GitHub');
  });

  it('tells how to avoid re-running by hand', () => {
    expect(renderSummary(report())).toContain('`wait-for-handshake`');
  });
});

describe('the job summary of an AVAILABLE or ERROR connection', () => {
  it('has no handshake guide when the connection is AVAILABLE, and says it can be used', () => {
    const summary = renderSummary(report({ connection: connection({ status: 'AVAILABLE' }), created: false }));
    expect(summary).toContain('The connection is **AVAILABLE**: App Runner services can use it.');
    expect(summary).not.toContain('handshake');
    expect(summary).not.toMatch(/^\d+\. /m);
  });

  it('explains how to recover from ERROR: delete the connection, then re-run', () => {
    const summary = renderSummary(report({ connection: connection({ status: 'ERROR' }), created: false }));
    expect(summary).toContain('### The connection is in ERROR');
    expect(summary).toContain('cannot be repaired in place');
    expect(summary).toContain(`[App Runner connections page](${EU_WEST_1_CONSOLE})`);
    expect(decode(summary)).toContain(
      `<code>aws apprunner delete-connection --connection-arn ${ARN} --region eu-west-1</code>`,
    );
    expect(summary).toContain('re-run this workflow');
    expect(summary).not.toContain('Finish the handshake');
  });

  it('gives the same delete command as the failure the step reports', () => {
    const broken = report({ connection: connection({ status: 'ERROR' }), created: false });
    const command = `aws apprunner delete-connection --connection-arn ${ARN} --region eu-west-1`;
    expect(broken.outcome.failure).toContain(command);
    expect(decode(renderSummary(broken))).toContain(command);
    expect(decode(renderPrComment(broken))).toContain(command);
  });
});

describe('the handshake guide names the repository the connector app must see', () => {
  it('names GITHUB_REPOSITORY for a GitHub connection, and that an organization needs one of its owners', () => {
    const guide = decode(renderSummary(report({ repository: 'acme/web-shop' })));
    expect(guide).toContain('give it access to <code>acme/web-shop</code>, the repository this workflow runs in');
    expect(guide).toContain('installing it on an organization takes an owner of that organization');
    expect(decode(renderPrComment(report({ repository: 'acme/web-shop' })))).toContain('<code>acme/web-shop</code>');
  });

  it('speaks of the repositories App Runner will build when the repository is not known', () => {
    expect(renderSummary(report())).toContain('give it access to the repositories App Runner will build');
  });

  it('says nothing of GitHub repositories for a Bitbucket connection', () => {
    const guide = renderSummary(
      report({ repository: 'acme/web-shop', connection: connection({ providerType: 'BITBUCKET' }) }),
    );
    expect(guide).not.toContain('web-shop');
    expect(guide).toContain('grant AWS access to the workspace');
  });
});

describe('mask-aws-account-id: no account id in the summary or the comment', () => {
  const ACCOUNT = '123456789012';
  const masked = (overrides: Partial<StepFacts> = {}) =>
    report({ maskAccountId: true, accountIds: [ACCOUNT], ...overrides });

  it('shows the ARN with the account id replaced, and says so', () => {
    const summary = decode(renderSummary(masked()));
    expect(summary).not.toContain(ACCOUNT);
    expect(tableOf(renderSummary(masked())).get('ARN')).toBe(
      '<code>arn:aws:apprunner:eu-west-1:<account-id>:connection/preview-conn/0123456789abcdef0123456789abcdef</code>',
    );
    expect(summary).toContain('The AWS account id is shown as <account-id> (`mask-aws-account-id`)');
    expect(summary).toContain('the `connection-arn` output holds the full ARN');
  });

  it('hides it in the failure and the delete command too, also where AWS wrote it without an ARN around it', () => {
    const failing = masked({
      connection: connection({ status: 'ERROR' }),
      error: `User: arn:aws:sts::${ACCOUNT}:assumed-role/ci/run is not authorized; account ${ACCOUNT}`,
    });
    for (const text of [renderSummary(failing), renderPrComment(failing)]) {
      expect(decode(text)).not.toContain(ACCOUNT);
      expect(decode(text)).toContain('arn:aws:sts::<account-id>:assumed-role/ci/run');
    }
  });

  it('shows the account id when masking is off', () => {
    expect(decode(renderSummary(report()))).toContain(ACCOUNT);
    expect(renderSummary(report())).not.toContain('mask-aws-account-id');
  });
});

describe('a run that failed before the connection was known', () => {
  it('shows what it knew, the status as not known, and the failure', () => {
    const summary = renderSummary(
      report({ connection: undefined, created: false, error: 'ListConnections was refused.' }),
    );
    const table = tableOf(summary);
    expect(table.get('Status')).toBe('not known');
    expect(table.get('ARN')).toBe('-');
    expect(table.get('Created or reused')).toBe('-');
    expect(decode(summary)).toContain('**The step failed:** <code>ListConnections was refused.</code>');
    expect(summary).not.toContain('Finish the handshake');
  });

  it('shows the region as not known when the run never found one', () => {
    const summary = renderSummary(
      report({ region: undefined, connection: undefined, error: "Input 'region' is empty" }),
    );
    expect(tableOf(summary).get('Region')).toBe('not known');
  });

  it('says in the comment that the step failed', () => {
    const comment = renderPrComment(report({ connection: undefined, created: false, error: 'refused' }));
    expect(comment).toContain('is **not known: the step failed**.');
    expect(decode(comment)).toContain('**The step failed:** <code>refused</code>');
  });
});

describe('a reached connection quota: the connections that hold it, and how to free one', () => {
  const NOW = Date.parse('2026-12-06T12:00:00Z');
  const holder = (name: string, status: Connection['status'], daysOld: number) => ({
    name,
    arn: `arn:aws:apprunner:eu-west-1:123456789012:connection/${name}/0123456789abcdef0123456789abcdef`,
    providerType: 'GITHUB' as const,
    status,
    createdAt: new Date(NOW - daysOld * 86_400_000),
  });
  const quota = [holder('old-preview', 'PENDING_HANDSHAKE', 41), holder('main-github', 'AVAILABLE', 400)];
  const refused = (overrides: Partial<StepFacts> = {}) =>
    report({
      connection: undefined,
      created: false,
      error: 'The App Runner connection quota ...',
      quota,
      ...overrides,
    });

  it('lists each with provider, status, age and the command that deletes it, in the order given', () => {
    const summary = decode(renderSummary(refused(), NOW));
    expect(summary).toContain('### The connection quota is reached');
    expect(summary).toContain('| Connection | Provider | Status | Age | Delete it with |');
    const rows = summary.split('\n').filter((line) => /^\| <code>(old-preview|main-github)/.test(line));
    expect(rows).toEqual([
      '| <code>old-preview</code> | <code>GITHUB</code> | <code>PENDING_HANDSHAKE</code> | 41 days | ' +
        `<code>aws apprunner delete-connection --connection-arn ${quota[0]?.arn} --region eu-west-1</code> |`,
      '| <code>main-github</code> | <code>GITHUB</code> | <code>AVAILABLE</code> | 400 days | ' +
        `<code>aws apprunner delete-connection --connection-arn ${quota[1]?.arn} --region eu-west-1</code> |`,
    ]);
  });

  it('links the Service Quotas page of the region', () => {
    expect(renderSummary(refused(), NOW)).toContain(
      '[Service Quotas](https://eu-west-1.console.aws.amazon.com/servicequotas/home/services/apprunner/quotas)',
    );
  });

  it('masks the account id in the delete commands when asked', () => {
    const summary = decode(renderSummary(refused({ maskAccountId: true }), NOW));
    expect(summary).not.toContain('123456789012');
    expect(summary).toContain('--connection-arn arn:aws:apprunner:eu-west-1:<account-id>:connection/old-preview/');
  });
});

describe('outside text in the summary is inert: in <code>, no markup, no live link', () => {
  const hostile = [
    '<img src=x onerror=alert(1)>',
    'a|b',
    '@org/team',
    '[x](http://evil)',
    'see https://evil.example/login',
    'www.evil.example',
    'dev@evil.example',
    '**bold**',
    '_x_',
    '`code`',
    '&lt;script&gt;',
    '<!-- hidden -->',
    '# heading',
    '#1234',
  ];

  it.each(hostile)('keeps the tag %j inert in one cell of the summary table', (value) => {
    const summary = renderSummary(report({ created: false, tagChanges: [{ key: 'owner', value }] }));
    expect(summary).not.toContain(value);
    const tagRow = summary.split('\n').find((line) => line.startsWith('| Tags applied |'));
    expect(tagRow?.split('|')).toHaveLength(4);
    expect(decode(tagRow ?? '')).toContain(`<code>owner=${value}</code>`);
  });

  it.each(hostile)('keeps the failure text %j inert, inside <code>', (text) => {
    const summary = renderSummary(report({ error: `AWS said: ${text}` }));
    expect(summary).not.toContain(text);
    expect(decode(summary)).toContain(`<code>AWS said: ${text}</code>`);
  });

  it.each(hostile)('keeps the failure text %j inert in the pull-request comment too', (text) => {
    const comment = renderPrComment(report({ error: `AWS said: ${text}` }));
    expect(comment).not.toContain(text);
    expect(decode(comment)).toContain(`<code>AWS said: ${text}</code>`);
  });

  it('keeps a multi-line failure on the one failure line', () => {
    const summary = renderSummary(report({ error: 'first line\n\n## injected heading\n- item' }));
    expect(summary).not.toMatch(/^## injected/m);
    expect(summary).not.toMatch(/^- item/m);
    expect(summary.trimEnd().split('\n').at(-1)).toMatch(/^\*\*The step failed:\*\* <code>first line /);
  });
});

describe('the pull-request comment: one per connection, found by its marker', () => {
  it('starts with the marker', () => {
    expect(renderPrComment(report()).split('\n')[0]).toBe(prCommentMarker('preview-conn'));
  });

  it('makes the marker a hidden HTML comment that contains the connection name', () => {
    const marker = prCommentMarker('preview-conn');
    expect(marker).toMatch(/^<!-- .* -->$/);
    expect(marker).toContain('preview-conn');
  });

  it("does not find one connection's comment with the marker of a name that is a prefix of it", () => {
    expect(renderPrComment(report({ name: 'preview-conn-2' }))).not.toContain(prCommentMarker('preview-conn'));
    expect(renderPrComment(report())).not.toContain(prCommentMarker('preview-conn-2'));
  });

  it('gives the handshake steps and link for a PENDING_HANDSHAKE connection', () => {
    const comment = renderPrComment(report());
    expect(decode(comment)).toContain('is **<code>PENDING_HANDSHAKE</code>**');
    expect(comment).toContain(`](${EU_WEST_1_CONSOLE})`);
    expect(comment).toMatch(/^1\. Open the /m);
  });

  it('says an AVAILABLE connection is usable and gives no handshake steps', () => {
    const comment = renderPrComment(report({ connection: connection({ status: 'AVAILABLE' }), created: false }));
    expect(comment).toContain(
      'The App Runner connection <code>preview-conn</code> is **AVAILABLE**: App Runner services can use it.',
    );
    expect(comment).not.toMatch(/^\d+\. /m);
    expect(comment).not.toContain('handshake');
  });

  it('explains how to recover a connection in ERROR', () => {
    const comment = renderPrComment(report({ connection: connection({ status: 'ERROR' }), created: false }));
    expect(decode(comment)).toContain('is **<code>ERROR</code>**');
    expect(comment).toContain('delete-connection');
  });

  it('says a dry run created nothing', () => {
    const comment = renderPrComment(report({ dryRun: true, created: false, connection: undefined }));
    expect(decode(comment)).toContain('is **not created (dry run)**');
    expect(comment).toContain('nothing was changed');
  });
});
