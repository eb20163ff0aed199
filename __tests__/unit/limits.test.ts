// The bounds of a run: production values, and how a bound reads in a message.

import { describe, expect, it } from 'vitest';

import { PRODUCTION_LIMITS, formatBound } from '../../src/limits.js';

describe('the production limits keep a run within 60 s plus its wait', () => {
  it('gives every phase a bound within the 55 s budget, and the lookup more than two attempts of its timeouts', () => {
    const { lookupMs, commentMs, lastCheckMs, runBudgetMs, connectionTimeoutMs, requestTimeoutMs } = PRODUCTION_LIMITS;
    expect(runBudgetMs).toBeLessThan(60_000);
    for (const bound of [lookupMs, commentMs, lastCheckMs]) expect(bound).toBeLessThanOrEqual(runBudgetMs);
    expect(lookupMs).toBeGreaterThan(2 * (connectionTimeoutMs + requestTimeoutMs));
  });

  it('allows 10 attempts a call, where the SDK allows 3', () => {
    expect(PRODUCTION_LIMITS.maxAttempts).toBe(10);
  });
});

describe('formatBound', () => {
  it('reads whole seconds in seconds and anything else in milliseconds', () => {
    expect(formatBound(45_000)).toBe('45 s');
    expect(formatBound(1_500)).toBe('1500 ms');
  });
});
