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

  it('holds the bounds users are told of (README, docs/waiting-and-limits.md), so changing one is a decision', () => {
    expect(PRODUCTION_LIMITS).toMatchObject({
      lookupMs: 45_000,
      lastCheckMs: 10_000,
      commentMs: 30_000,
      runBudgetMs: 55_000,
      connectionTimeoutMs: 3_000,
      requestTimeoutMs: 5_000,
      maxListPages: 20,
      maxAnswerBytes: 1024 * 1024,
      maxCommentPages: 10,
      maxGitHubAnswerBytes: 32 * 1024 * 1024,
    });
  });
});

describe('formatBound', () => {
  it('reads in whole seconds from one second up, as the action always has', () => {
    expect(formatBound(45_000)).toBe('45 s');
    expect(formatBound(21_345)).toBe('21 s');
    expect(formatBound(1_500)).toBe('2 s');
  });

  it('reads in milliseconds under one second, where whole seconds would say 0 s', () => {
    expect(formatBound(400)).toBe('400 ms');
  });
});
