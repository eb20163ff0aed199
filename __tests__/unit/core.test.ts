// Behaviours 2-4, 6 and 12 in the core, over a fake of the narrow App Runner API: find or create, converge tags,
// check the status while waiting; and the run's time budget, on fake timers.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { AppRunner } from '../../src/aws-client.js';
import { checkStatus, convergeTags, findOrCreate } from '../../src/connection.js';
import { CallError, DeadlineExceeded, ProblemError, malformedResponse } from '../../src/errors.js';
import type { Connection, Tag } from '../../src/model.js';
import { RunBudget } from '../../src/run-budget.js';
import { connectionOf, holder } from '../support/reports.js';

const PENDING = connectionOf('PENDING_HANDSHAKE', 'my-conn');
const REQUEST = { name: 'my-conn', providerType: 'GITHUB' as const, tags: [{ key: 'a', value: 'b' }], dryRun: false };
const refused = (name: string) => new CallError('CreateConnection', Object.assign(new Error('refused'), { name }));
const METHODS = ['findConnection', 'listConnections', 'createConnection', 'listTags', 'tagResource'] as const;

/** A fake App Runner that records every call; each method gives its answers in turn, then keeps the last (an
 * Error is thrown, a function is called). */
function fakeAppRunner(answers: { [K in keyof AppRunner]?: unknown[] }) {
  const calls: unknown[][] = [];
  const answer =
    (name: keyof AppRunner) =>
    async (...args: unknown[]) => {
      calls.push([name, ...args.filter((arg) => !(arg instanceof AbortSignal))]);
      const queue = answers[name] ?? [];
      const next = queue.length > 1 ? queue.shift() : queue[0];
      const value: unknown = typeof next === 'function' ? next() : next;
      if (value instanceof Error) throw value;
      return value;
    };
  const api = Object.fromEntries(METHODS.map((name) => [name, answer(name)])) as unknown as AppRunner;
  return { api, calls, count: (name: string) => calls.filter(([called]) => called === name).length };
}

const ensure = (api: AppRunner, request = REQUEST, racePausesMs = [0, 0]) =>
  findOrCreate(api, request, { signal: new AbortController().signal, racePausesMs });

describe('find or create: reuse the exact name, or create it with the tags', () => {
  it('reuses a connection with exactly one call in total when no tags are given', async () => {
    const { api, calls } = fakeAppRunner({ findConnection: [PENDING] });
    const found = await ensure(api, { ...REQUEST, tags: [] });
    const tagged = await convergeTags(api, PENDING, [], { dryRun: false, signal: new AbortController().signal });
    expect([found, tagged]).toEqual([{ connection: PENDING, created: false }, []]);
    expect(calls).toEqual([['findConnection', 'my-conn']]);
  });

  it('creates an absent connection with its provider and tags, and nothing in a dry run', async () => {
    const { api, calls } = fakeAppRunner({ findConnection: [undefined], createConnection: [PENDING] });
    expect(await ensure(api, { ...REQUEST, dryRun: true })).toEqual({ connection: undefined, created: false });
    expect(calls).toEqual([['findConnection', 'my-conn']]);
    expect(await ensure(api)).toEqual({ connection: PENDING, created: true });
    expect(calls.at(-1)).toEqual(['createConnection', REQUEST]);
  });
});

describe('a refused create: the name may have been taken meanwhile, so look again before reporting', () => {
  // The emulators disagree on the duplicate-name error, and App Runner does not document it.
  it.each(['InvalidRequestException', 'ServiceQuotaExceededException', 'InternalServiceErrorException'])(
    'reuses the connection another run created when the create was refused with %s',
    async (name) => {
      const { api, calls } = fakeAppRunner({ findConnection: [undefined, PENDING], createConnection: [refused(name)] });
      expect(await ensure(api)).toEqual({ connection: PENDING, created: false });
      expect(calls.map(([called]) => called)).toEqual(['findConnection', 'createConnection', 'findConnection']);
    },
  );

  it('keeps looking while a listing lags behind the other run, once after each pause', async () => {
    const lag = [undefined, undefined, undefined, PENDING];
    const lagging = fakeAppRunner({ findConnection: lag, createConnection: [refused('InvalidRequestException')] });
    expect(await ensure(lagging.api, REQUEST, [1, 1, 1])).toEqual({ connection: PENDING, created: false });
    expect(lagging.count('findConnection')).toBe(4);
  });

  it("reports the create's own error when the name never shows up, after every pause", async () => {
    const refusal = refused('InvalidRequestException');
    const { api, count } = fakeAppRunner({ findConnection: [undefined], createConnection: [refusal] });
    await expect(ensure(api, REQUEST, [1, 1, 1, 1])).rejects.toBe(refusal);
    expect(count('findConnection')).toBe(6);
  });

  it('does not look again after an error that is not a refusal by App Runner', async () => {
    const malformed = malformedResponse('CreateConnection', 'Connection', 'is missing');
    const { api, calls } = fakeAppRunner({ findConnection: [undefined], createConnection: [malformed] });
    await expect(ensure(api)).rejects.toBe(malformed);
    expect(calls).toHaveLength(2);
  });

  it('stops looking when the signal aborts during a pause', async () => {
    const deadline = new AbortController();
    const abort = () => void deadline.abort(new DeadlineExceeded(45_000));
    const { api, count } = fakeAppRunner({ findConnection: [undefined, abort], createConnection: [refused('X')] });
    await expect(findOrCreate(api, REQUEST, { signal: deadline.signal, racePausesMs: [60_000] })).rejects.toThrow();
    expect(count('findConnection')).toBe(2);
  });

  it('does not look again when the signal aborted the create', async () => {
    const deadline = new AbortController();
    const create = () => (deadline.abort(new DeadlineExceeded(45_000)), refused('X'));
    const { api, calls } = fakeAppRunner({ findConnection: [undefined], createConnection: [create] });
    await expect(findOrCreate(api, REQUEST, { signal: deadline.signal, racePausesMs: [0] })).rejects.toThrow(CallError);
    expect(calls).toHaveLength(2);
  });
});

describe('a reached quota: the refusal, with the connections that hold it', () => {
  const quota = refused('ServiceQuotaExceededException');
  const refusedForQuota = (listing: unknown) =>
    fakeAppRunner({ findConnection: [undefined], createConnection: [quota], listConnections: [listing] });

  it('lists the account’s connections, likely leftovers (PENDING_HANDSHAKE, ERROR) first, each group oldest first', async () => {
    const first = [holder('main-github', 'AVAILABLE', 400), holder('fresh-try', 'PENDING_HANDSHAKE', 1)];
    const then = [holder('undated', 'AVAILABLE'), holder('broken', 'ERROR', 20), holder('bitbucket', 'AVAILABLE', 30)];
    const { api, count } = refusedForQuota([...first, ...then]);
    const { problem } = (await ensure(api).catch((error: unknown) => error)) as ProblemError;
    expect(problem).toMatchObject({ kind: 'quota', operation: 'CreateConnection', awsSaid: 'refused' });
    const order = problem.kind === 'quota' ? problem.connections?.map(({ name }) => name) : [];
    expect(order).toEqual(['broken', 'fresh-try', 'main-github', 'bitbucket', 'undated']);
    expect(count('listConnections')).toBe(1);
  });

  it('stands alone when the connections cannot be listed', async () => {
    const denied = new CallError('ListConnections', new Error('no'));
    const { api } = refusedForQuota(denied);
    await expect(ensure(api)).rejects.toMatchObject({ problem: { kind: 'quota', connections: undefined } });
  });
});

describe('tags on a reused connection: apply only the missing or different ones, never remove one', () => {
  const asTags = (tags: object): Tag[] => Object.entries(tags).map(([key, value]) => ({ key, value }));
  const wanted = { team: 'platform', env: 'preview', reviewed: '' };
  const converge = (api: AppRunner, tags: Tag[], dryRun = false) =>
    convergeTags(api, PENDING, tags, { dryRun, signal: new AbortController().signal });

  it.each([
    ['the tags the connection lacks', wanted, { team: 'platform', owner: 'a' }, ['env', 'reviewed']],
    ['the tags it holds with another value', wanted, { team: 'platform', env: 'prod', reviewed: '' }, ['env']],
    ['an empty value where the tag is missing', wanted, { team: 'platform', env: 'preview' }, ['reviewed']],
    ['keys compared case-sensitively', wanted, { Team: 'platform', env: 'preview', reviewed: '' }, ['team']],
    ['a key named like an Object property', { constructor: 'x' }, { owner: 'a' }, ['constructor']],
  ])('applies %s, and no other', async (_case, given: object, current: object, keys: string[]) => {
    const { api, calls } = fakeAppRunner({ listTags: [new Map(Object.entries(current))], tagResource: [undefined] });
    const changes = asTags(given).filter(({ key }) => keys.includes(key));
    expect(await converge(api, asTags(given))).toEqual(changes);
    expect(calls.at(-1)).toEqual(['tagResource', PENDING.arn, changes]);
  });

  it('writes nothing when the tags are in place (others beside them), or in a dry run', async () => {
    const current = new Map(Object.entries({ ...wanted, env: 'old', owner: 'someone' }));
    const inPlace = fakeAppRunner({ listTags: [current] });
    expect(await converge(inPlace.api, asTags({ team: 'platform', reviewed: '' }))).toEqual([]);
    const dryRun = fakeAppRunner({ listTags: [current] });
    expect(await converge(dryRun.api, asTags(wanted), true)).toEqual(asTags({ env: 'preview' }));
    expect([...inPlace.calls, ...dryRun.calls].map(([called]) => called)).toEqual(['listTags', 'listTags']);
  });
});

describe('checking the status while waiting for the handshake', () => {
  /** The checks (`elapsed status`, one API call each) on a fake clock that each check moves on by the pause before it. */
  async function checks(answers: unknown[], intervalMs: number, untilMs: number, connection: Connection = PENDING) {
    let clock = 0;
    const moveOn = (seen: unknown) => () => ((clock = Math.min(clock + intervalMs, untilMs)), seen);
    const { api } = fakeAppRunner({ findConnection: answers.map(moveOn) });
    const options = { intervalMs, untilMs, now: () => clock, signal: new AbortController().signal };
    const seen: string[] = [];
    for await (const check of checkStatus(api, connection, options))
      seen.push(`${check.elapsedMs} ${check.connection.status}`);
    return seen.join(', ');
  }

  const AVAILABLE = connectionOf('AVAILABLE', 'my-conn');
  it.each`
    case                                                           | answers                               | intervalMs | untilMs  | from         | seen
    ${'checks once per interval, and once more at the wait’s end'} | ${[PENDING]}                          | ${5}       | ${12}    | ${PENDING}   | ${'5 PENDING_HANDSHAKE, 10 PENDING_HANDSHAKE, 12 PENDING_HANDSHAKE'}
    ${'checks at the end of a wait shorter than the interval'}     | ${[PENDING]}                          | ${15}      | ${3}     | ${PENDING}   | ${'3 PENDING_HANDSHAKE'}
    ${'stops at the first check that sees AVAILABLE'}              | ${[PENDING, AVAILABLE]}               | ${5}       | ${1_000} | ${PENDING}   | ${'5 PENDING_HANDSHAKE, 10 AVAILABLE'}
    ${'stops at the first check that sees ERROR'}                  | ${[connectionOf('ERROR', 'my-conn')]} | ${5}       | ${1_000} | ${PENDING}   | ${'5 ERROR'}
    ${'reports a connection that is gone as DELETED, and stops'}   | ${[undefined]}                        | ${5}       | ${1_000} | ${PENDING}   | ${'5 DELETED'}
    ${'checks nothing when the connection is not pending'}         | ${[PENDING]}                          | ${5}       | ${1_000} | ${AVAILABLE} | ${''}
  `('$case', async ({ answers, intervalMs, untilMs, from, seen }) => {
    expect(await checks(answers, intervalMs, untilMs, from)).toBe(seen);
  });

  it('ends with an error when the signal aborts during a pause', async () => {
    const stop = new AbortController();
    const { api } = fakeAppRunner({ findConnection: [PENDING] });
    const options = { intervalMs: 60_000, untilMs: 60_000, now: () => 0, signal: stop.signal };
    const waiting = checkStatus(api, PENDING, options).next();
    stop.abort(new DeadlineExceeded(70_000));
    await expect(waiting).rejects.toThrow();
  });
});

describe('the run budget: each phase bounded, by its own bound or what is left of the run', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  /** Starts a phase whose work waits for its deadline; the promise settles with the abort reason. */
  function untilAborted(budget: RunBudget, boundMs: number, restartWhenQueued = false) {
    let reason: unknown;
    const work = (signal: AbortSignal) => new Promise((_, reject) => (signal.onabort = () => reject(signal.reason)));
    void budget.phase(boundMs, work, { restartWhenQueued }).catch((error: unknown) => (reason = error));
    return () => reason;
  }

  it('aborts a phase with DeadlineExceeded at its bound, and not before', async () => {
    const reason = untilAborted(new RunBudget(55_000, Date.now), 45_000);
    await vi.advanceTimersByTimeAsync(44_999);
    expect(reason()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(reason()).toEqual(new DeadlineExceeded(45_000));
  });

  it('cuts a phase to what is left of the run', async () => {
    const budget = new RunBudget(10_000, Date.now);
    await vi.advanceTimersByTimeAsync(4_000);
    const reason = untilAborted(budget, 45_000);
    await vi.advanceTimersByTimeAsync(6_000);
    expect(reason()).toEqual(new DeadlineExceeded(6_000));
  });

  it('starts the bound of a restartable phase (the lookup) and the run again when queued, and no other phase', async () => {
    const budget = new RunBudget(55_000, Date.now);
    const lookup = untilAborted(budget, 45_000, true);
    const other = untilAborted(budget, 45_000);
    await vi.advanceTimersByTimeAsync(30_000);
    budget.queued();
    expect(budget.remainingMs()).toBe(55_000);
    await vi.advanceTimersByTimeAsync(15_000);
    expect([lookup(), other()]).toEqual([undefined, new DeadlineExceeded(45_000)]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(lookup()).toEqual(new DeadlineExceeded(45_000));
  });

  it('gives the work its value, and aborts nothing after the work is done', async () => {
    let signal: AbortSignal | undefined;
    const value = await new RunBudget(55_000, Date.now).phase(45_000, async (given) => ((signal = given), 'done'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect([value, signal?.aborted]).toEqual(['done', false]);
  });
});
