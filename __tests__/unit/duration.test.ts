// The duration syntax of `wait-for-handshake` and `poll-interval` (DESIGN inputs table):
// 0, plain seconds, or a whole number with a unit s, m or h.

import { describe, expect, it } from 'vitest';

import { formatAge, formatDuration, parseDuration } from '../../src/duration.js';
import { InputError } from '../../src/input-error.js';

const ONE_DAY = 24 * 3_600_000;

function rejection(raw: string, limits: { min?: number; max: number } = { max: ONE_DAY }): InputError {
  try {
    parseDuration('poll-interval', raw, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}

describe('parseDuration: 0, seconds, or a number with a unit s, m or h', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['1', 1_000],
    ['600', 600_000],
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['24h', ONE_DAY],
    ['15 m', 900_000],
    ['15M', 900_000],
    ['1H', 3_600_000],
    ['90 S', 90_000],
  ])('reads %j as %i ms', (raw, ms) => {
    expect(parseDuration('poll-interval', raw, { max: ONE_DAY })).toBe(ms);
  });

  it('ignores whitespace around the value', () => {
    expect(parseDuration('poll-interval', '  15m \n', { max: ONE_DAY })).toBe(900_000);
  });

  it.each([
    ['a negative number', '-5'],
    ['a decimal', '1.5'],
    ['a decimal with a unit', '0.5h'],
    ['an unknown unit', '5d'],
    ['milliseconds', '500ms'],
    ['two units', '1h30m'],
    ['a unit without a number', 'm'],
    ['a word', 'abc'],
    ['an empty value', ''],
    ['a blank value', '   '],
  ])('rejects %s (%j), naming the input and the accepted forms', (_case, raw) => {
    expect(rejection(raw).message).toBe(
      `Input 'poll-interval' must be 0, a number of seconds (600) or a number with a unit s, m or h ` +
        `(90s, 15m, 1h) (got ${JSON.stringify(raw.replace(/\s+/g, ' '))}).`,
    );
  });

  it('accepts a value equal to the minimum and rejects one below it', () => {
    expect(parseDuration('poll-interval', '1s', { min: 1_000, max: ONE_DAY })).toBe(1_000);
    expect(rejection('0', { min: 1_000, max: ONE_DAY }).message).toBe(
      `Input 'poll-interval' must be at least 1s (got "0").`,
    );
  });

  it('accepts a value equal to the maximum and rejects one above it', () => {
    expect(parseDuration('poll-interval', '60m', { max: 3_600_000 })).toBe(3_600_000);
    expect(rejection('3601', { max: 3_600_000 }).message).toBe(
      `Input 'poll-interval' must be at most 1h (got "3601").`,
    );
  });

  it('rejects a number too large to be meant, rather than overflowing', () => {
    expect(rejection('99999999999999999999h').message).toContain('must be at most 24h');
  });

  it('names the input it was given in every message', () => {
    expect(() => parseDuration('wait-for-handshake', 'soon', { max: ONE_DAY })).toThrow(
      /^Input 'wait-for-handshake' must be 0/,
    );
  });
});

describe('formatDuration: the largest whole unit that fits', () => {
  it.each([
    [0, '0s'],
    [1_000, '1s'],
    [45_000, '45s'],
    [90_000, '90s'],
    [60_000, '1m'],
    [900_000, '15m'],
    [5_400_000, '90m'],
    [3_600_000, '1h'],
    [21_600_000, '6h'],
  ])('writes %i ms as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('rounds a part of a second to whole seconds', () => {
    expect(formatDuration(1_400)).toBe('1s');
    expect(formatDuration(61_600)).toBe('62s');
  });

  it.each(['90s', '15m', '1h', '600'])('writes what parseDuration reads back unchanged (%j)', (raw) => {
    const ms = parseDuration('poll-interval', raw, { max: ONE_DAY });
    expect(parseDuration('poll-interval', formatDuration(ms), { max: ONE_DAY })).toBe(ms);
  });
});

describe('formatAge: how long ago a connection was created, in the largest whole unit', () => {
  it.each([
    [30_000, 'less than a minute'],
    [60_000, '1 minute'],
    [3 * 3_600_000 + 59 * 60_000, '3 hours'],
    [86_400_000, '1 day'],
    [41 * 86_400_000 + 5_000, '41 days'],
  ])('%i ms is %j', (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});

describe('formatDuration under a second: the milliseconds a test passes as a limit', () => {
  it('shows 250 ms as 250ms, and a second and more in seconds as before', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(1_003)).toBe('1s');
  });
});
