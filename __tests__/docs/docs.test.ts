// The documentation is part of the product: these tests fail when the README and the guides drift from action.yml and
// from the rules and limits src/ applies (inputs, regions, statuses, bounds, the lines the log prints), or when a link
// of the README, the guides, CONTRIBUTING.md or RELEASING.md leads nowhere.

import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

import { ConnectionStatus } from '@aws-sdk/client-apprunner';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { readSettings } from '../../src/inputs.js';
import { log, summary } from '../../src/messages.js';
import { APP_RUNNER_REGIONS, PRODUCTION_LIMITS, handshakeUrl } from '../../src/model.js';
import { formatDuration, toText } from '../../src/text.js';
import * as markdown from './markdown.js';

// Prose is compared with its line breaks as spaces, so rewrapping a paragraph changes nothing.
const flat = (text: string): string => text.replace(/\s+/g, ' ');
/** The inline code of Markdown, fenced blocks left out. */
const codeSpans = (text: string): string[] =>
  [...text.replace(/^( *)```[\s\S]*?^\1```$/gm, '').matchAll(/`([^`]+)`/g)].map(([, code = '']) => flat(code));
/** Each of the words, separated by `|`, appears in the text. */
const expectWords = (text: string, words: string): void => words.split('|').forEach((w) => expect(text).toContain(w));
const { GUIDES, LINKED_DOCUMENTS, ROOT, USER_DOCUMENTS, headings, links, read, section, slug, tableRows } = markdown;
const readme = read('README.md');
const limits = read('docs/waiting-and-limits.md');

type Spec = { readonly description: string; readonly required?: boolean; readonly default?: string | boolean };
const action = parse(read('action.yml')) as { inputs: Record<string, Spec>; outputs: Record<string, Spec> };
const inputRows = tableRows(section(readme, 'Inputs'));
const inputRow = (name: string): string => inputRows.find((row) => row.name === name)?.cells.join(' ') ?? '';

/** Whether readSettings accepts these inputs, on top of a valid connection name. */
const accepted = (given: Record<string, string>): Promise<boolean> => {
  const read = (name: string) => ({ 'connection-name': 'your-org-github', ...given })[name] ?? '';
  return readSettings(read, {}).then(Boolean, () => false);
};

describe('the README', () => {
  it('is at most 350 lines, and says in its first 60 what happens while the handshake is pending', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(350);
    const firstScreen = readme.split('\n').slice(0, 60).join('\n');
    const pending = firstScreen.slice(firstScreen.lastIndexOf('```'));
    expectWords(pending, 'PENDING_HANDSHAKE|succeeds|creates a service|wait-for-handshake');
  });

  it('names the prerequisites: an account that already uses App Runner, the IAM role, someone to approve the app', () => {
    const prerequisites = section(readme, 'Prerequisites');
    expectWords(prerequisites, 'already uses App Runner|30 April 2026|IAM role|docs/iam.md|owner of that organization');
  });

  it('has a table of contents with every section and every guide', () => {
    const contents = links(section(readme, 'Contents')).map((link) => link.target);
    for (const { anchor } of headings(readme).filter(({ level, text }) => level === 2 && text !== 'Contents')) {
      expect(contents).toContain(`#${anchor}`);
    }
    for (const guide of GUIDES) expect(contents).toContain(guide);
  });

  it('keeps contributors to a short section near the end, with the two set-up commands and CONTRIBUTING.md', () => {
    const contributing = section(readme, 'Contributing');
    expect(contributing.split('\n').length).toBeLessThanOrEqual(15);
    expectWords(contributing, 'npm ci && npm run demo|\nnpm test |(CONTRIBUTING.md)');
    expectWords(readme.slice(0, readme.indexOf(contributing)), '## Inputs|## Outputs|## The handshake|## Guides');
    expect(readme).not.toMatch(/npm run bench|check-dist|gh release create|Source map|callgrind/);
  });

  it('links the handshake page the action outputs, the security policy and the troubleshooting guide', () => {
    expectWords(readme, `${handshakeUrl('<region>')}|[SECURITY.md](SECURITY.md)|(docs/troubleshooting.md)`);
  });

  it('recovers a connection in ERROR in the order the job summary gives, without deleting it first', () => {
    const handshake = flat(section(readme, 'The handshake'));
    expect(handshake).not.toMatch(/cannot be repaired|delete it and re-run/);
    const order = ['Complete the handshake again', 'new `connection-name`', 'delete the old one'];
    const at = order.map((words) => handshake.indexOf(words));
    expect(at[0]).toBeGreaterThan(0);
    expect(at).toEqual([...at].sort((a, b) => a - b));
  });
});

/** How the Default column spells an input's default: "required", "(empty)" or a code span. */
const documentedDefault = (cell: string) => {
  const code = cell === '(empty)' ? '' : /^`(.+)`$/.exec(cell)?.[1];
  return cell === 'required' ? { required: true } : { required: false, default: code };
};

describe('the inputs and outputs tables', () => {
  it('list every input of action.yml in its order, with its real default and a description', () => {
    expect(inputRows.map((row) => row.name)).toEqual(Object.keys(action.inputs));
    for (const { name, cells } of inputRows) {
      const spec = action.inputs[name];
      const real = spec?.required ? { required: true } : { required: false, default: String(spec?.default) };
      expect(cells, name).toHaveLength(2);
      expect(documentedDefault(cells[0] ?? ''), name).toEqual(real);
      expect(cells[1], name).toMatch(/\w{3}/);
    }
  });

  it('list every output of action.yml in its order, each with a description', () => {
    const rows = tableRows(section(readme, 'Outputs'));
    expect(rows.map((row) => row.name)).toEqual(Object.keys(action.outputs));
    for (const row of rows) expect(row.cells[0], row.name).toMatch(/\w{3}/);
  });

  it('are the one place each input and output is documented in a table', () => {
    const rows = USER_DOCUMENTS.flatMap((path) => [...read(path).matchAll(/^\| `([^`]+)`/gm)].map(([, name]) => name));
    // connection-name and provider-type are an input and an output: one row in each table.
    for (const name of new Set([...Object.keys(action.inputs), ...Object.keys(action.outputs)])) {
      const tables = Number(name in action.inputs) + Number(name in action.outputs);
      expect(rows.filter((row) => row === name).length, name).toBe(tables);
    }
  });
});

describe('the rules the docs state', () => {
  const durationForms = section(limits, 'Durations')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => codeSpans(line.split('|')[1] ?? ''))
    .filter((form) => form !== '0');
  const WORDS = ['true', 'True', 'TRUE', 'false', 'False', 'FALSE'];
  // [input, values accepted, values refused], as the README's inputs table and the waiting guide state them.
  const RULES: [string, string[], string[]][] = [
    ['wait-for-handshake', [...durationForms, '6h', '0'], ['21601', '1.5m', '15 minutes']],
    ['poll-interval', [...durationForms, '1s', '1h'], ['0', '3601']],
    ['region', ['eu-west-1'], ['EU-WEST-1']],
    ['dry-run', WORDS, ['yes', '1']],
  ];

  it.each(RULES)('%s: accept what the docs accept, refuse what they refuse', async (input, good, bad) => {
    for (const value of good) expect(await accepted({ [input]: value }), value).toBe(true);
    for (const value of bad) expect(await accepted({ [input]: value }), value).toBe(false);
  });

  it('are written where the cases above come from', () => {
    expect(durationForms).toEqual(expect.arrayContaining(['600', '90s', '15m', '1h', '15 m', '15M', '1H']));
    const described = (input: string) => flat(action.inputs[input]?.description ?? '');
    expectWords(flat(limits), 'Fractions (`1.5m`) and other units (`15 minutes`) are refused');
    expectWords(`${inputRow('wait-for-handshake')} ${described('wait-for-handshake')}`, 'at most `6h`|at most 6h');
    expectWords(inputRow('poll-interval'), 'from `1s` to `1h` (`0` is refused)');
    expectWords(described('poll-interval'), 'from 1s to 1h (0 is refused)');
    expectWords(`${inputRow('region')} ${described('region')}`, 'Lower-case|lower-case');
    const booleans = readme.split('\n\n').find((paragraph) => paragraph.includes('Booleans are')) ?? '';
    expect(codeSpans(booleans)).toEqual(expect.arrayContaining([...WORDS, 'yes', '1']));
  });

  it('take the default when an optional input is empty, except github-token', async () => {
    expect(flat(readme)).toContain("An optional input left empty (`''`) takes its default, except `github-token`.");
    const settings = await readSettings((name) => (name === 'connection-name' ? 'your-org-github' : ''), {});
    expect(settings).toMatchObject({ providerType: 'GITHUB', tags: [], waitForHandshakeMs: 0, pollIntervalMs: 15_000 });
    expect(settings).toMatchObject({ dryRun: false, commentOnPr: false, maskAccountId: false });
    expect(await accepted({ 'comment-on-pr': 'true', 'github-token': '' })).toBe(false);
  });

  it('name the 11 regions App Runner runs in, and every status of a connection, DELETED included', () => {
    const named = codeSpans(section(readme, 'Prerequisites')).filter((code) => /^[a-z]{2}-[a-z]+-\d$/.test(code));
    expect(named).toEqual([...APP_RUNNER_REGIONS]);
    expect(inputRow('region')).toContain(`one of the ${APP_RUNNER_REGIONS.length}`);
    const row = tableRows(section(readme, 'Outputs')).find((output) => output.name === 'connection-status');
    for (const status of Object.values(ConnectionStatus)) {
      expect(codeSpans(row?.cells.join(' ') ?? ''), status).toContain(status);
      expect(flat(action.outputs['connection-status']?.description ?? ''), status).toContain(status);
    }
  });
});

describe('the limits the waiting guide states', () => {
  const d = (ms: number) => formatDuration(ms);
  const { maxAttempts, connectionTimeoutMs, requestTimeoutMs, lookupMs, throttleBudgetMs, queueNoticeMs } =
    PRODUCTION_LIMITS;
  const retries = flat(section(limits, 'Retries and time limits'));

  it('are the production limits, the fault bounds apart from the throttling queue', () => {
    const words = [
      `**${maxAttempts} attempts**`,
      `connection timeout of ${d(connectionTimeoutMs)} and a request timeout of ${d(requestTimeoutMs)}`,
      `gives up after **${d(lookupMs)}**`,
      `**keeps its place for up to ${d(throttleBudgetMs)}**`,
      `once every ${d(queueNoticeMs)}`,
      `plus up to ${d(PRODUCTION_LIMITS.lastCheckMs)} for its last status check`,
      `gives up after ${d(PRODUCTION_LIMITS.commentMs)} each time`,
      `at most ${PRODUCTION_LIMITS.maxCommentPages} pages`,
      `larger than ${PRODUCTION_LIMITS.maxGitHubResponseBytes / 1024 / 1024} MB`,
      'a run that meets faults ends within 60s plus the `wait-for-handshake`',
    ];
    expectWords(retries, words.join('|'));
    const megabytes = PRODUCTION_LIMITS.maxResponseBytes / 1024 / 1024;
    expectWords(flat(section(limits, 'Answers are checked')), `larger than ${megabytes} MB`);
    // Every phase but the wait and the queue, plus start-up and reporting, within a minute; the queue a few minutes.
    expect(PRODUCTION_LIMITS.runBudgetMs).toBeLessThanOrEqual(60_000);
    expect(throttleBudgetMs).toBeLessThanOrEqual(5 * 60_000);
    expect(flat(readme)).toContain(`keeps its place in the queue for up to ${d(throttleBudgetMs)} a call`);
  });

  it('end a wait before the credentials do, and give the recipe that lets the action know when', () => {
    const credentials = flat(section(limits, 'Credentials and long waits'));
    expectWords(credentials, `ends the wait cleanly ${d(PRODUCTION_LIMITS.credentialMarginMs)} before they expire`);
    expectWords(credentials, "role-duration-seconds|role's maximum session duration|1 hour|6 hours|aws-expiration");
    const recipe = 'AWS_CREDENTIAL_EXPIRATION: ${{ steps.credentials.outputs.aws-expiration }}';
    expectWords(credentials, `${recipe}|output-credentials: true`);
  });

  it('show log lines as the action prints them', () => {
    const shown = codeSpans(limits);
    expect(shown).toContain(toText(log.status('your-org-github', 20_000, 'PENDING_HANDSHAKE')));
    const queued = shown.find((code) => code.startsWith('Queued for'))?.replace(/ \.\.\.$/, '') ?? 'none';
    expect(toText(log.queued(30_000, throttleBudgetMs, 'us-east-1'))).toContain(queued);
  });

  it('give the storm advice: stagger, concurrency, a higher rate, ensure once and pass the ARN on', () => {
    const storms = flat(section(limits, 'Organization-wide storms'));
    expectWords(storms, 'per-repository|`concurrency:`|AWS Support|needs.connection.outputs.connection-arn');
  });

  it('lead a failed summary with the failure, as the troubleshooting guide says', () => {
    expect(flat(read('docs/troubleshooting.md'))).toContain(`opens with **${summary.failed}**`);
  });
});

describe('the documents', () => {
  it('are the README, CONTRIBUTING.md, RELEASING.md and the six guides', () => {
    const guides = 'examples iam self-hosted-runners tags troubleshooting waiting-and-limits'.split(' ');
    const documents = ['README.md', 'CONTRIBUTING.md', 'RELEASING.md', ...guides.map((guide) => `docs/${guide}.md`)];
    expect(LINKED_DOCUMENTS).toEqual(documents);
  });

  it('include a security policy naming the supported v1 line and the private way to report a vulnerability', () => {
    const policy = read('SECURITY.md');
    expectWords(policy, '## Supported versions\n|## Reporting a vulnerability\n|## What happens next\n|`v1`');
    expectWords(policy, '**Security** tab, choose **Report a vulnerability**');
  });
});

// The headings of aws-actions/configure-aws-credentials' README at v6.2.3, as GitHub anchors
// them, read from the repository when these docs were written: the docs link to some of them.
const CONFIGURE_AWS_CREDENTIALS_README = 'https://github.com/aws-actions/configure-aws-credentials';
const CONFIGURE_AWS_CREDENTIALS_ANCHORS = new Set(
  `quick-start-oidc-recommended security-recommendations use-an-http-proxy mask-account-id custom-sts-endpoint
  oidc-configuration-details oidc-audience configuring-iam-to-trust-github claims-and-scoping-permissions
  immutable-subject-claims inspecting-the-token`.split(/\s+/),
);

const isExternal = (target: string): boolean => /^[a-z][a-z+.-]*:/i.test(target);

describe('GitHub anchors', () => {
  it('are lower case, spaces as hyphens, punctuation dropped, code kept as text, repeats numbered', () => {
    expect(slug('Public repositories: hiding the account ID')).toBe('public-repositories-hiding-the-account-id');
    expect(slug("The preview example's service steps")).toBe('the-preview-examples-service-steps');
    expect(slug('The dist/ discipline')).toBe('the-dist-discipline');
    expect(slug('`AWS_MAX_ATTEMPTS`')).toBe('aws_max_attempts');
    expect(slug('Quick Start (OIDC, recommended)')).toBe('quick-start-oidc-recommended');
    const anchors = headings('# A\n## A\n```\n# not a heading\n```\n### A\n').map((heading) => heading.anchor);
    expect(anchors).toEqual(['a', 'a-1', 'a-2']);
  });
});

describe.each(LINKED_DOCUMENTS)('the links of %s', (document) => {
  const found = links(read(document));

  it('are there, and lead to files and folders of the repository, and to headings that exist', () => {
    expect(found.length).toBeGreaterThan(0);
    for (const { target } of found.filter((link) => !isExternal(link.target))) {
      const [path = '', anchor] = target.split('#');
      const file = path === '' ? document : normalize(join(dirname(document), path));
      expect(existsSync(join(ROOT, file)), `${target} in ${document}: ${file} does not exist`).toBe(true);
      if (anchor === undefined) continue;
      expect(file.endsWith('.md') && statSync(join(ROOT, file)).isFile(), `${target}: into ${file}`).toBe(true);
      const anchors = headings(read(file)).map((heading) => heading.anchor);
      expect(anchors, `${target} in ${document}`).toContain(anchor);
    }
  });

  it("lead to headings of configure-aws-credentials' README that exist", () => {
    for (const { target } of found.filter((link) => link.target.startsWith(`${CONFIGURE_AWS_CREDENTIALS_README}#`))) {
      expect(CONFIGURE_AWS_CREDENTIALS_ANCHORS, target).toContain(target.split('#')[1]);
    }
  });
});
