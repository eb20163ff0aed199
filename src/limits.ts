// Every bound of a run in one value. The action runs with PRODUCTION_LIMITS; a test passes
// milliseconds, so a budget, a stall or a give-up is exercised without waiting it out.

export interface Limits {
  /** The whole lookup-or-create gives up after this long, whatever the retries are doing. */
  readonly lookupMs: number;
  /** A wait's last status check, made when wait-for-handshake is up, may take this long. */
  readonly lastCheckMs: number;
  /** The pull-request comment (find, then create or update) gives up after this long. */
  readonly commentMs: number;
  /**
   * Every phase takes at most its own bound out of what is left of this budget (plus the wait
   * asked for), so start-up and reporting fit in the rest of the 60 s a run may last.
   */
  readonly runBudgetMs: number;
  /** Per attempt: time to open a connection (or a proxy tunnel)... */
  readonly connectionTimeoutMs: number;
  /** ...and to get an answer once connected. */
  readonly requestTimeoutMs: number;
  /** Attempts per App Runner call, unless AWS_MAX_ATTEMPTS says otherwise. */
  readonly maxAttempts: number;
  /** Pauses between the lookups that follow a create lost to a concurrent run. */
  readonly raceLookupPausesMs: readonly number[];
  /** Pages of ListConnections followed before an endpoint that keeps sending tokens is refused. */
  readonly maxListPages: number;
  /** No App Runner answer body is read past this. */
  readonly maxAnswerBytes: number;
  /** Pages of pull-request comments read while looking for this connection's comment. */
  readonly maxCommentPages: number;
  /** No GitHub answer body is read past this. */
  readonly maxGitHubAnswerBytes: number;
}

export const PRODUCTION_LIMITS: Limits = Object.freeze({
  // A stalled endpoint fails the step well within a minute.
  lookupMs: 45_000,
  lastCheckMs: 10_000,
  commentMs: 30_000,
  runBudgetMs: 55_000,
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 5_000,
  // Capped exponential backoff with jitter over 10 attempts rides out dozens of runs hitting
  // App Runner's few-calls-a-second limit together; the SDK's default of 3 does not.
  maxAttempts: 10,
  // A listing may lag a few seconds behind another run's create: 6.5 s in all.
  raceLookupPausesMs: Object.freeze([500, 1000, 2000, 3000]),
  // With the name filter App Runner answers in one page.
  maxListPages: 20,
  // App Runner's largest answer here, a page of 100 connection summaries, is a few tens of kilobytes.
  maxAnswerBytes: 1024 * 1024,
  maxCommentPages: 10,
  // A page of 100 comments of GitHub's longest (65,536 characters) stays well under this.
  maxGitHubAnswerBytes: 32 * 1024 * 1024,
});

/** A bound as a person reads it: whole seconds (`45 s`), or milliseconds under one second (`300 ms`). */
export function formatBound(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000)} s`;
}
