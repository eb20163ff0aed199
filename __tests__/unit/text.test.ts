// Behaviour 10: outside text reaches a person only through one escape for the log and code spans
// in Markdown; long messages are truncated; account ids and secrets are redacted; one duration
// formatter. And the facts other parts promise: the documented bounds, the version, the SDK enums.

import { readFileSync } from 'node:fs';

import { ConnectionStatus, ProviderType } from '@aws-sdk/client-apprunner';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { CONNECTION_STATUSES, PRODUCTION_LIMITS, PROVIDER_TYPES } from '../../src/model.js';
import { accountIdsIn, codeSpan, escapeLog, formatDuration, joinProse, plain, prose } from '../../src/text.js';
import { quote, redact, toMarkdown, toText, truncate } from '../../src/text.js';
import { ACTION_NAME, ACTION_VERSION } from '../../src/version.js';
import { commandLike } from '../support/in-process.js';

const LINE_BREAK = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/;
const PROPERTY = { timeout: 30_000 };

describe('escapeLog: outside text as one log line that can start no workflow command', () => {
  const kept = 'Created my-conn (PENDING_HANDSHAKE): arn:aws:apprunner 日本 👩‍💻 "a=b"';
  it.each([
    ['::warning::INJECTED', ': :warning::INJECTED'],
    ['   ::error file=x::INJECTED', '   : :error file=x::INJECTED'],
    ['ok\n::set-output name=x::y', 'ok ::set-output name=x::y'],
    ['ok\r\n::add-mask::y', 'ok ::add-mask::y'],
    ['a\u2028::stop-commands::t\u2029b\u0085c\vd\fe', 'a ::stop-commands::t b c d e'],
    ['text ##[error]y\n##[group]z', 'text ## [error]y ## [group]z'],
    ['a\u001b[31m \u202ex \u200by \u2066z\ufeff', 'a\\u{1b}[31m \\u{202e}x \\u{200b}y \\u{2066}z\\u{feff}'],
    [kept, kept],
  ])('writes %j as %j', (text, line) => {
    expect(escapeLog(text)).toBe(line);
  });

  const hostile = '::|##[| |\n|\r\n|\u2028|\u0085|\v|\u001b|\u202e|\u200b|\u2066|\ufeff'.split('|');
  const unit = fc.oneof(
    fc.constantFrom(...hostile),
    fc.nat(0x10ffff).map((code) => String.fromCodePoint(code)),
  );
  it('leaves any text on one line, with no command and no control, bidi or zero-width character', PROPERTY, () => {
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        const line = escapeLog(text);
        expect(line.split(LINE_BREAK)).toEqual([line]);
        expect(commandLike([line])).toEqual([]);
        expect(line).not.toMatch(/[\p{Cc}\u061C\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/u);
      }),
      { numRuns: 500, seed: 25 },
    );
  });
});

/** What GitHub shows of a Markdown code span (CommonMark 6.1), or undefined if `span` is not one. */
function renderedCodeSpan(span: string): string | undefined {
  const fence = /^`+/.exec(span)?.[0] ?? '';
  const inner = span.slice(fence.length, span.length - fence.length);
  const closes = span.length >= 2 * fence.length + 1 && span.endsWith(fence) && !inner.endsWith('`');
  if (fence === '' || !closes || (inner.match(/`+/g) ?? []).some((run) => run.length === fence.length)) return;
  const content = inner.replace(/\r\n|\n/g, ' ');
  return /^ .* $/s.test(content) && !/^ +$/.test(content) ? content.slice(1, -1) : content;
}

describe('codeSpan: outside text in Markdown as a code span GitHub shows literally', () => {
  it.each([
    ['main', '`main`'],
    ['a`b', '``a`b``'],
    ['``x', '``` ``x ```'],
    ['x`', '`` x` ``'],
    ['[x](http://evil) @org/team <img src=x> **b**\nline', '`[x](http://evil) @org/team <img src=x> **b** line`'],
  ])('writes %j as %j', (text, span) => {
    expect(codeSpan(text)).toBe(span);
  });

  it('shows any text, empty or space-padded included, as escapeLog writes it, in one code span', PROPERTY, () => {
    const text = fc.oneof(fc.string(), fc.stringMatching(/^[`a \n|@[\]()<>]{0,12}$/));
    fc.assert(
      fc.property(text, (value) => {
        const span = codeSpan(value);
        expect(span.split(LINE_BREAK)).toEqual([span]);
        expect(renderedCodeSpan(span)).toEqual(escapeLog(value) || expect.stringMatching(/^ +$/));
      }),
      { numRuns: 500, seed: 25 },
    );
  });
});

describe('Prose: our words as they are, outside values as code spans in Markdown', () => {
  const name = 'my`conn @org/team [x](http://evil)';
  const url = 'https://console.aws.amazon.com/apprunner/home?region=us-east-1#/connections';
  const tags = joinProse([prose`tags ${'team=a'}`, prose`none`], ', ');
  const sentence = prose`Connection ${name} waited ${45} s. Open ${plain(url)} ${plain('in us-east-1')}; ${tags}.`;

  it('reads as plain text for the log: values as they are', () => {
    expect(toText(sentence)).toBe(`Connection ${name} waited 45 s. Open ${url} in us-east-1; tags team=a, none.`);
  });

  it('reads as Markdown with values in code spans, our links live, numbers and our own words plain', () => {
    expect(toMarkdown(sentence)).toBe(
      `Connection \`\`${name}\`\` waited 45 s. Open ${url} in us-east-1; tags \`team=a\`, none.`,
    );
  });
});

describe('truncate, quote and redact', () => {
  it.each([
    ['x'.repeat(500), 500, 'x'.repeat(500)],
    ['x'.repeat(300_000), 500, `${'x'.repeat(500)}... (299500 more characters)`],
    ['🚀'.repeat(10), 3, '🚀🚀🚀... (7 more characters)'],
    [' a\n\n b \t c ', 500, 'a b c'],
  ])('truncates %j to %i characters on one line, whole code points, saying how many more', (text, max, result) => {
    expect(truncate(text, max)).toBe(result);
  });

  it('quotes a bad value as JSON, on one line, truncated to 40 characters', () => {
    expect(quote('say "hi"\nnow')).toBe('"say \\"hi\\" now"');
    expect(quote('x'.repeat(50))).toBe(`"${'x'.repeat(40)}... (10 more characters)"`);
  });

  it('replaces every occurrence of each hidden value by its stand-in, and ignores an empty one', () => {
    const hidden = new Map(Object.entries({ s3cret: '***', '123456789012': '<account-id>', '': 'never' }));
    expect(redact('user:s3cret@proxy, s3cret; arn:aws:iam::123456789012:role/x', hidden)).toBe(
      'user:***@proxy, ***; arn:aws:iam::<account-id>:role/x',
    );
  });
});

describe('accountIdsIn: the account of every ARN, of any partition and service', () => {
  it('takes each account once, a Region-less ARN included, and no other 12 digits', () => {
    const text =
      'arn:aws:apprunner:eu-west-1:123456789012:connection/web/01 and arn:aws:sts::210987654321:assumed-role/ci, ' +
      'arn:aws-us-gov:apprunner:us-gov-west-1:111122223333:connection/x/1, arn:aws-cn:iam::123456789012:role/r, ' +
      'ticket 999999999999, arn:aws:s3:::bucket-888888888888';
    expect(accountIdsIn(text)).toEqual(['123456789012', '210987654321', '111122223333']);
  });
});

describe('formatDuration: as the inputs write durations', () => {
  const exactly = { '0ms': 0, '250ms': 250, '1s': 1000, '2s': 1500, '45s': 45_000, '90s': 90_000, '1m': 60_000 };
  const inUnits = { '90m': 5_400_000, '6h': 21_600_000, '2d': 172_800_000 };
  it.each(Object.entries({ ...exactly, ...inUnits }))('writes %j for %i ms: its largest whole unit', (text, ms) => {
    expect(formatDuration(ms)).toBe(text);
  });

  const roughly = { '41d': 41.5 * 86_400_000, '3h': 3 * 3_600_000 + 59 * 60_000, '59s': 59_999, '400ms': 400 };
  it.each(Object.entries(roughly))('writes %j for %i ms roughly: the largest unit it reaches', (text, ms) => {
    expect(formatDuration(ms, { roughly: true })).toBe(text);
  });
});

describe('facts the docs, the release and the SDK hold the code to', () => {
  it('keeps the bounds the docs promise', () => {
    expect(PRODUCTION_LIMITS).toMatchObject({ lookupMs: 45_000, lastCheckMs: 10_000, commentMs: 30_000 });
    expect(PRODUCTION_LIMITS).toMatchObject({ runBudgetMs: 55_000, connectionTimeoutMs: 3000, requestTimeoutMs: 5000 });
    expect(PRODUCTION_LIMITS).toMatchObject({ maxAttempts: 10, maxListPages: 20, maxCommentPages: 10 });
    expect(PRODUCTION_LIMITS).toMatchObject({ maxResponseBytes: 2 ** 20, maxGitHubResponseBytes: 32 * 2 ** 20 });
    expect(PRODUCTION_LIMITS).toMatchObject({ throttleBudgetMs: 240_000, queueNoticeMs: 15_000 });
  });

  it("sends package.json's name and version in the user agent", () => {
    const packageJson = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const { name, version } = JSON.parse(packageJson) as Record<string, string>;
    expect([ACTION_NAME, ACTION_VERSION]).toEqual([name, version]);
  });

  it("knows exactly the SDK's connection statuses and provider types", () => {
    expect([...CONNECTION_STATUSES].sort()).toEqual(Object.values(ConnectionStatus).sort());
    expect([...PROVIDER_TYPES].sort()).toEqual(Object.values(ProviderType).sort());
  });
});
