// Text the action does not control (tag keys and values from the workflow, error messages from
// AWS) reaches App Runner exactly as written, and the job summary only as inert text: no markup,
// no link, no mention, no extra table cell, no line the runner could take as a command. The step
// in process against the local endpoint; what the real log prints, and that the secret key never
// shows, is checked on the bundle (e2e/untrusted-text.test.ts).

import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';

import { startLocalAppRunner, type LocalAppRunner } from '../../local/apprunner-endpoint.js';
import { InputError } from '../../src/inputs.js';
import { anyLineStartsACommand } from '../support/log-lines.js';
import { type InProcessRun, commandLike, infoText, printedLines, runInProcess } from '../support/in-process.js';

const REGION = 'us-east-1';
const NAME = 'untrusted-conn';

let server: LocalAppRunner;

beforeAll(async () => {
  server = await startLocalAppRunner({ region: REGION });
});

afterAll(async () => {
  await server?.close();
});

beforeEach(() => server.reset());

function runAgainst(inputs: Record<string, string>): Promise<InProcessRun> {
  return runInProcess({
    inputs: { 'connection-name': NAME, ...inputs },
    env: { AWS_ENDPOINT_URL_APPRUNNER: server.url, AWS_REGION: REGION },
  });
}

describe('tag text from the workflow is sent verbatim and shown inert in the job summary', () => {
  // Values App Runner accepts (any characters) that look like commands, markup, links or
  // mentions. Each carries INJECTED, so any place it surfaces can be found.
  const TAGS = {
    '::warning::INJECTED-key': '::add-mask::INJECTED-mask',
    cmd: '::warning::INJECTED-pwned',
    legacy: '##[error]INJECTED-legacy',
    owner: '@org/team INJECTED',
    emph: '_x_ INJECTED',
    html: '<b>INJECTED</b> <script>alert(1)</script>',
    pipe: 'a|INJECTED|b',
    tick: '`INJECTED`',
    link: '[INJECTED](http://evil.example) https://evil.example www.evil.example',
    encoded: '%0A::warning::INJECTED-encoded',
    newline: 'x\n::warning::INJECTED-newline\r::set-output name=connection-arn::INJECTED',
    stop: '::stop-commands::INJECTED-token',
    bidi: '\u202eINJECTED-bidi \u001b[31mINJECTED-ansi',
  };
  // The same tags as key=value lines, where a line can hold them (no newline in a value).
  const LINE_TAGS = Object.fromEntries(Object.entries(TAGS).filter(([, value]) => !/[\r\n]/.test(value)));
  const LINES = Object.entries(LINE_TAGS)
    .map(([key, value]) => `${key} = ${value}`)
    .join('\n');
  /** Markup, links and mentions of the tags: none of them may reach the summary's raw text. */
  const RAW_MARKUP = [
    '@org',
    '](',
    '_x_',
    '<b>',
    '<script>',
    '|INJECTED',
    '`INJECTED',
    'http://',
    'https://',
    'www.evil',
  ];

  const SCENARIOS = [
    {
      scenario: 'JSON tags applied to a reused connection',
      tags: JSON.stringify(TAGS),
      sent: TAGS,
      dryRun: false,
      logged: 'Applied tags:',
      row: 'Tags applied',
    },
    {
      scenario: 'key=value tags applied to a reused connection',
      tags: LINES,
      sent: LINE_TAGS,
      dryRun: false,
      logged: 'Applied tags:',
      row: 'Tags applied',
    },
    {
      scenario: 'JSON tags in a dry run that would create the connection',
      tags: JSON.stringify(TAGS),
      sent: undefined,
      dryRun: true,
      logged: 'would apply tags:',
      row: 'Tags to apply',
    },
  ];

  it.for(SCENARIOS)(
    '$scenario: sent verbatim, and the summary shows them with no markup, link or extra cell',
    async ({ tags, sent, dryRun, logged, row }, { expect }) => {
      // AVAILABLE: the summary then has no handshake guide, so it holds no link of the action's own either.
      if (!dryRun) server.seedConnection({ name: NAME, status: 'AVAILABLE', tags: { team: 'old' } });

      const run = await runAgainst({ tags, 'dry-run': String(dryRun) });

      expect(run.failure).toBeUndefined();
      expect(server.connections().map((connection) => connection.tags)).toEqual(sent ? [{ team: 'old', ...sent }] : []);
      // The tags do reach the log and the summary, so the checks below are not vacuous.
      expect(infoText(run)).toContain(logged);
      expect(infoText(run)).toContain('INJECTED');
      expect(run.summaryShown).toContain(row);
      expect(run.summaryShown).toContain('INJECTED');

      // The log, as the shell prints it: no line the runner could take as a command, no escape or bidi control.
      const printed = printedLines(run);
      expect(commandLike(printed)).toEqual([]);
      for (const line of printed) {
        expect(line).not.toContain('\u001b');
        expect(line).not.toContain('\u202e');
      }

      for (const raw of RAW_MARKUP) expect(run.summary).not.toContain(raw);
      expect(run.summary).not.toContain('\u001b');
      expect(run.summary).not.toContain('\u202e');
      expect(anyLineStartsACommand(run.summary)).toBe(false);
      // The table keeps two columns on every row: no tag text adds a cell.
      const tableRows = run.summary.split('\n').filter((line) => line.startsWith('|'));
      expect(tableRows.length).toBeGreaterThan(2);
      for (const line of tableRows) expect(line.split('|'), line).toHaveLength(4);
    },
  );
});

describe('a tags input App Runner would refuse is refused before any request, naming the input', () => {
  it('refuses the aws: prefix on one line that starts no command, and sends nothing', async ({ expect }) => {
    // A key with a line break, so the rest of it would start a line of its own if echoed as it is.
    const tags = JSON.stringify({ 'aws:\n::warning::INJECTED': 'v' });

    const refused = await runAgainst({ tags }).then(
      (run) => run,
      (error: unknown) => error,
    );

    expect(refused).toBeInstanceOf(InputError);
    const message = (refused as InputError).message;
    expect(message).toMatch(/^Input 'tags'/);
    expect(message).toContain('INJECTED');
    expect(message.split('\n')).toHaveLength(1);
    expect(anyLineStartsACommand(message)).toBe(false);
    expect(server.count()).toBe(0);
  });
});

describe('an AWS error message with markup and newlines is reported on one line, escaped in the summary', () => {
  const AWS_TEXT = '<script>alert(1)</script>\n::warning::INJECTED';

  async function refusedTagging(): Promise<InProcessRun> {
    server.seedConnection({ name: NAME, tags: { team: 'old' } });
    server.injectFault({ operation: 'TagResource', type: 'InvalidRequestException', message: AWS_TEXT });
    return runAgainst({ tags: 'team=new' });
  }

  it('fails the step on the refused TagResource with the outputs still set', async ({ expect }) => {
    const run = await refusedTagging();

    expect(server.count('TagResource')).toBe(1);
    expect(run.failure).toMatch(/TagResource/);
    expect(run.outputs['connection-arn']).toBe(server.connections()[0]?.arn);
  });

  it('keeps the AWS text on one line of the failure, so no line of it starts with ::warning', async ({ expect }) => {
    const { failure = '' } = await refusedTagging();

    expect(failure).toContain('INJECTED');
    expect(failure.split(/\r?\n|\r/)).toHaveLength(1);
    expect(anyLineStartsACommand(failure)).toBe(false);
  });

  it('shows the failure in the summary with the AWS text escaped', async ({ expect }) => {
    const run = await refusedTagging();

    expect(run.summaryShown).toContain('The step failed');
    expect(run.summaryShown).toMatch(/alert/);
    expect(run.summary).not.toContain('<script>');
    expect(anyLineStartsACommand(run.summary)).toBe(false);
  });
});
