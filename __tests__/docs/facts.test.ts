// The rules the docs state, held to the code that applies them: the regions, the durations and
// their bounds, the booleans, empty inputs, and the limits of a run.

import { ConnectionStatus } from '@aws-sdk/client-apprunner';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { type Settings, readSettings } from '../../src/inputs.js';
import { PRODUCTION_LIMITS, formatBound } from '../../src/limits.js';
import { APP_RUNNER_REGIONS } from '../../src/regions.js';
import { read, section, tableRows } from './markdown.js';

// Prose is compared with its line breaks as spaces, so rewrapping a paragraph changes nothing.
const flat = (text: string): string => text.replace(/\s+/g, ' ');
const readme = read('README.md');
const limits = read('docs/waiting-and-limits.md');
const inputRow = (name: string): string =>
  tableRows(section(readme, 'Inputs'))
    .find((row) => row.name === name)
    ?.cells.join(' ') ?? '';
const codeSpans = (text: string): string[] => [...text.matchAll(/`([^`]+)`/g)].map(([, code = '']) => code);
const action = parse(read('action.yml')) as {
  inputs: Record<string, { description: string }>;
  outputs: Record<string, { description: string }>;
};
const inputDescription = (name: string): string => flat(action.inputs[name]?.description ?? '');

/** The settings for these inputs on top of a valid connection name, or the error's message. */
function settingsFor(given: Record<string, string>): Settings | string {
  try {
    return readSettings((name) => ({ 'connection-name': 'your-org-github', ...given })[name] ?? '', {});
  } catch (error) {
    return (error as Error).message;
  }
}
const accepted = (given: Record<string, string>): boolean => typeof settingsFor(given) !== 'string';

describe('the regions the docs name', () => {
  it('are the 11 App Runner runs in, in the prerequisites', () => {
    const named = codeSpans(section(readme, 'Prerequisites')).filter((code) => /^[a-z]{2}-[a-z]+-\d$/.test(code));
    expect(named).toEqual([...APP_RUNNER_REGIONS]);
    expect(inputRow('region')).toContain(`one of the ${APP_RUNNER_REGIONS.length}`);
  });

  it('must be lower-case codes', () => {
    expect(inputRow('region')).toMatch(/Lower-case/);
    expect(inputDescription('region')).toMatch(/lower-case/);
    expect(accepted({ region: 'eu-west-1' })).toBe(true);
    expect(accepted({ region: 'EU-WEST-1' })).toBe(false);
  });
});

describe('the durations the docs give', () => {
  // The forms in the first column of the table.
  const forms = section(limits, 'Durations')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => codeSpans(line.split('|')[1] ?? ''));

  it('are accepted by both duration inputs, as written', () => {
    expect(forms).toEqual(expect.arrayContaining(['600', '90s', '15m', '1h', '15 m', '15M', '1H']));
    for (const form of forms.filter((code) => code !== '0')) {
      expect(accepted({ 'wait-for-handshake': form }), form).toBe(true);
      expect(accepted({ 'poll-interval': form }), form).toBe(true);
    }
  });

  it('are bounded as stated: wait-for-handshake at most 6h, poll-interval from 1s to 1h, 0 refused there', () => {
    expect(inputRow('wait-for-handshake')).toContain('at most `6h`');
    expect(accepted({ 'wait-for-handshake': '6h' })).toBe(true);
    expect(accepted({ 'wait-for-handshake': '21601' })).toBe(false);
    expect(accepted({ 'wait-for-handshake': '0' })).toBe(true);
    expect(inputRow('poll-interval')).toContain('from `1s` to `1h` (`0` is refused)');
    expect(inputDescription('wait-for-handshake')).toContain('at most 6h');
    expect(inputDescription('poll-interval')).toContain('from 1s to 1h (0 is refused)');
    expect(accepted({ 'poll-interval': '1s' })).toBe(true);
    expect(accepted({ 'poll-interval': '1h' })).toBe(true);
    expect(accepted({ 'poll-interval': '0' })).toBe(false);
    expect(accepted({ 'poll-interval': '3601' })).toBe(false);
  });

  it('refuse what the docs say is refused', () => {
    expect(flat(limits)).toContain('Fractions (`1.5m`) and other units (`15 minutes`) are refused');
    expect(accepted({ 'wait-for-handshake': '1.5m' })).toBe(false);
    expect(accepted({ 'wait-for-handshake': '15 minutes' })).toBe(false);
  });
});

describe('the statuses the docs name', () => {
  it('are every status App Runner gives a connection, DELETED included, in the README and action.yml', () => {
    const row =
      tableRows(section(readme, 'Outputs'))
        .find((output) => output.name === 'connection-status')
        ?.cells.join(' ') ?? '';
    const statuses = Object.values(ConnectionStatus);
    expect(statuses).toContain('DELETED');
    for (const status of statuses) {
      expect(codeSpans(row), status).toContain(status);
      expect(flat(action.outputs['connection-status']?.description ?? ''), status).toContain(status);
    }
  });
});

describe('booleans and empty inputs', () => {
  it('accept the six words the README names and refuse yes and 1', () => {
    const words = ['true', 'True', 'TRUE', 'false', 'False', 'FALSE'];
    const sentence = readme.split('\n\n').find((paragraph) => paragraph.includes('Booleans are')) ?? '';
    expect(codeSpans(sentence)).toEqual(expect.arrayContaining([...words, 'yes', '1']));
    for (const word of words) expect(accepted({ 'dry-run': word }), word).toBe(true);
    for (const word of ['yes', '1']) expect(accepted({ 'dry-run': word }), word).toBe(false);
  });

  it('take the default when an optional input is empty, except github-token', () => {
    expect(flat(readme)).toContain("An optional input left empty (`''`) takes its default, except `github-token`.");
    const settings = settingsFor({});
    expect(settings).toMatchObject({
      providerType: 'GITHUB',
      tags: [],
      waitForHandshakeMs: 0,
      pollIntervalMs: 15_000,
      dryRun: false,
      commentOnPr: false,
      maskAccountId: false,
    });
    expect(settingsFor({ 'comment-on-pr': 'true', 'github-token': '' })).toMatch(/^Input 'github-token' is empty/);
  });
});

describe('the limits the waiting guide states', () => {
  const retries = flat(section(limits, 'Retries and time limits'));

  it('are the production limits', () => {
    expect(retries).toContain(`**${PRODUCTION_LIMITS.maxAttempts} attempts**`);
    expect(retries).toContain(`connection timeout of ${formatBound(PRODUCTION_LIMITS.connectionTimeoutMs)}`);
    expect(retries).toContain(`request timeout of ${formatBound(PRODUCTION_LIMITS.requestTimeoutMs)}`);
    expect(retries).toContain(`gives up after **${formatBound(PRODUCTION_LIMITS.lookupMs)}**`);
    expect(retries).toContain(`plus up to ${formatBound(PRODUCTION_LIMITS.lastCheckMs)} for its last status check`);
    expect(retries).toContain(`gives up after ${formatBound(PRODUCTION_LIMITS.commentMs)}`);
    expect(retries).toContain(`at most ${PRODUCTION_LIMITS.maxCommentPages} pages`);
    expect(retries).toContain(`larger than ${PRODUCTION_LIMITS.maxGitHubAnswerBytes / 1024 / 1024} MB`);
    expect(flat(section(limits, 'Answers are checked'))).toContain(
      `larger than ${PRODUCTION_LIMITS.maxAnswerBytes / 1024 / 1024} MB`,
    );
    // The budget of every phase, plus start-up and reporting, within a minute plus the wait.
    expect(PRODUCTION_LIMITS.runBudgetMs).toBeLessThanOrEqual(60_000);
    expect(retries).toContain('no run lasts longer than 60 s plus the `wait-for-handshake`');
  });
});
