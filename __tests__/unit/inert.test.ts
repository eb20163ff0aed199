// Behaviour 10: outside text is made inert in one place for the log (inertLine) and one
// for Markdown (inertMarkdown), and long outside messages are cut (cut).

import { describe, expect, it } from 'vitest';

import { MAX_OUTSIDE_TEXT, cut, inertLine, inertMarkdown } from '../../src/inert.js';

/** Decodes the numeric character references inertMarkdown writes, as a browser does. */
const decode = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));

/** What the runner would take as a workflow command in `line`. */
const startsCommand = (line: string) => /^\s*::/.test(line) || line.includes('##[');

describe('inertLine: safe as a whole log line or inside one', () => {
  it.each([
    ['a command at the start', '::warning::INJECTED'],
    ['a command after spaces', '   ::error file=x::INJECTED'],
    ['a command after a newline', 'ok\n::set-output name=x::INJECTED'],
    ['a command after a carriage return', 'ok\r::add-mask::INJECTED'],
    ['stop-commands after a line separator', 'ok\u2028::stop-commands::token'],
    ['a legacy command anywhere', 'text ##[error]INJECTED'],
    ['a legacy command after a newline', 'text\n##[group]INJECTED'],
    ['a command after a vertical tab', 'a\v::warning::x'],
    ['a command after a next-line character', 'a\u0085::warning::x'],
  ])('leaves %s unable to start a command', (_case, text) => {
    const line = inertLine(text);
    expect(line.split(/\r\n|[\n\r\v\f\u0085\u2028\u2029]/)).toEqual([line]);
    expect(startsCommand(line)).toBe(false);
  });

  it('shows control characters and bidi overrides instead of obeying them', () => {
    expect(inertLine('a\u001b[31mred\u001b[0m \u202eevil \u200bzero')).toBe(
      'a\\u{1b}[31mred\\u{1b}[0m \\u{202e}evil \\u{200b}zero',
    );
  });

  it('keeps ordinary text, letters of any script and emoji sequences as they are', () => {
    const text = 'Created connection my-conn (PENDING_HANDSHAKE): arn:aws:apprunner:us-east-1 日本 👩‍💻 "a=b"';
    expect(inertLine(text)).toBe(text);
  });
});

describe('inertMarkdown: no markup, no table cell, no live link, no mention', () => {
  const hostile = [
    '<img src=x onerror=alert(1)>',
    'a|b',
    '@org/team',
    '[x](http://evil)',
    'https://evil.example/login',
    'www.evil.example',
    'dev@evil.example',
    '**bold**',
    '_x_',
    '`code`',
    '![img](http://evil/x.png)',
    '&lt;script&gt;',
    '<!-- hidden -->',
    '~~gone~~',
    '# heading',
    '#1234',
    '\\|escaped',
  ];

  it.each(hostile)('leaves no character of %j that Markdown or an autolink acts on raw', (text) => {
    const inert = inertMarkdown(text);
    expect(inert.replace(/&#\d+;/g, '')).not.toMatch(/[<>|[\]()*_`!@&#;~\\:./]/);
  });

  it.each(hostile)('keeps %j readable: it decodes back to the original', (text) => {
    expect(decode(inertMarkdown(text))).toBe(text);
  });

  it('leaves letters of any script, digits, spaces and , = + - as they are', () => {
    const plain = 'Team 42, café 日本 платформа a=b+c-d';
    expect(inertMarkdown(plain)).toBe(plain);
  });

  it('puts text with line breaks on one line, so it cannot end a table cell or start a block', () => {
    expect(decode(inertMarkdown('one\n\n| two |\r\n# three'))).toBe('one  | two | # three');
    expect(inertMarkdown('one\n\ntwo')).not.toMatch(/\n/);
  });
});

describe('cut: long outside messages are cut to a sane length', () => {
  it('leaves a message of at most the limit alone', () => {
    const text = 'x'.repeat(MAX_OUTSIDE_TEXT);
    expect(cut(text)).toBe(text);
  });

  it('cuts a longer one, saying how much was left out', () => {
    expect(cut('x'.repeat(300_000))).toBe(`${'x'.repeat(MAX_OUTSIDE_TEXT)}... (299500 more characters)`);
  });

  it('cuts between characters, never inside one', () => {
    expect(cut('🚀'.repeat(10), 3)).toBe('🚀🚀🚀... (7 more characters)');
  });
});
