// The whole step in process, top down, with everything from outside passed in: settings in, a report out.

import { type AppRunnerSession, type ClientOptions, createAppRunner, resolveRegion } from './aws-client.js';
import { checkStatus, convergeTags, findOrCreate } from './connection.js';
import { classifyError } from './errors.js';
import type { Settings } from './inputs.js';
import { log as words } from './messages.js';
import { type Connection, type Environment, type Limits, PRODUCTION_LIMITS, configuredEndpoint } from './model.js';
import { type Report, type StepLog, type StepReport, decideOutcome, outputs } from './outcome.js';
import { routeCalls } from './proxy.js';
import { type CommentPoster, commentPoster } from './pull-request.js';
import { RunBudget } from './run-budget.js';

export interface StepDependencies {
  readonly env: Environment;
  readonly log: StepLog;
  readonly limits?: Limits;
  readonly now?: () => number;
  readonly createClient?: (options: ClientOptions) => AppRunnerSession;
  readonly configuredRegion?: () => Promise<string | undefined>;
  readonly postComment?: CommentPoster;
}

export async function runStep(settings: Settings, dependencies: StepDependencies): Promise<StepReport> {
  const { env, log, limits = PRODUCTION_LIMITS, now = Date.now } = dependencies;
  const { connectionName: name, providerType, dryRun, tags, maskAccountId, waitForHandshakeMs: waitMs } = settings;
  const budget = new RunBudget(limits.runBudgetMs + waitMs, now);
  const comment = commentPoster(settings, dependencies.postComment, { env, log, limits, budget });
  let report: Report = {
    name,
    providerType,
    dryRun,
    maskAccountId,
    tags,
    repository: env['GITHUB_REPOSITORY'] || undefined,
    created: false,
    tagChanges: [],
    at: 0,
  };
  let secrets: readonly string[] = [];
  let session: AppRunnerSession | undefined;
  const setOutputs = () => outputs(report).forEach(([output, value]) => log.output(output, value));
  for (const warning of settings.warnings) log.warning(warning);

  try {
    const region = await resolveRegion(settings, env, dependencies.configuredRegion);
    const route = await routeCalls(region, env);
    secrets = route.secrets;
    secrets.forEach((secret) => log.secret(secret));
    if (route.bypassed) log.debug(words.bypassed(route.bypassed.host, route.bypassed.variable));
    if (route.proxy) log.info(words.proxy(route.proxy));
    report = { ...report, region, endpoint: configuredEndpoint(env), proxy: route.proxy };
    const api = (dependencies.createClient ?? createAppRunner)({
      ...route,
      region,
      env,
      limits,
      now,
      onThrottled: (queuedMs, noticeDue) => {
        budget.queued();
        if (noticeDue) log.info(words.queued(queuedMs, limits.throttleBudgetMs, region));
      },
    });
    session = api;

    log.info(words.lookingUp(name, region, dryRun));
    const found = await budget.phase(
      limits.lookupMs,
      (signal) =>
        findOrCreate(api, { name, providerType, tags, dryRun }, { signal, racePausesMs: limits.raceLookupPausesMs }),
      { restartWhenQueued: true },
    );
    const { connection } = found;
    report = { ...report, ...found, tagChanges: connection ? [] : tags };
    setOutputs();
    if (!connection) {
      log.info(words.wouldCreate(name));
      return await finish();
    }
    log.info(words.found(connection, found.created));
    if (connection.providerType !== providerType) log.warning(words.otherProvider(connection, providerType));
    const wait = connection.status === 'PENDING_HANDSHAKE' && waitMs > 0 && !dryRun;
    // The person who must do the handshake hears of it now, not after the wait.
    const early = { ...report, ...(wait && { waited: { forMs: waitMs, startedAt: now() } }) };
    await comment({ ...early, outcome: decideOutcome(early), secrets });

    // A connection this run created has its tags already.
    const converge = (signal: AbortSignal) => convergeTags(api, connection, tags, { dryRun, signal });
    const tagChanges = found.created ? [] : await budget.phase(limits.lookupMs, converge, { restartWhenQueued: true });
    report = { ...report, tagChanges };
    if (tagChanges.length > 0) log.info(words.tags(tagChanges, dryRun));
    if (wait) await waitForHandshake(api, connection, region);
  } catch (error) {
    report = { ...report, problem: classifyError(error, session?.failureContext()) };
    if (report.waited && !report.waited.end) report = { ...report, waited: { ...report.waited, endedAt: now() } };
  } finally {
    session?.destroy();
  }
  return await finish();

  async function finish(): Promise<StepReport> {
    const final = { ...report, at: now(), outcome: decideOutcome(report), secrets };
    await comment(final);
    return final;
  }

  /** Checks the status until AVAILABLE, the wait is up, or the credentials are about to expire; the outputs follow it. */
  async function waitForHandshake(api: AppRunnerSession, connection: Connection, region: string) {
    const expiry = await api.credentialsExpiry();
    const startedAt = now();
    report = { ...report, waited: { forMs: waitMs, startedAt } };
    const credentialEnd = expiry ? expiry.getTime() - limits.credentialMarginMs : Infinity;
    if (expiry && credentialEnd < startedAt + waitMs) log.warning(words.credentialsEndFirst(expiry, waitMs));
    const untilMs = Math.min(startedAt + waitMs, credentialEnd);
    log.info(words.waiting(name, waitMs, settings.pollIntervalMs, region));
    let end: 'unanswered' | undefined;
    await budget.phase(untilMs - now() + limits.lastCheckMs, async (signal) => {
      try {
        const checks = checkStatus(api, connection, { intervalMs: settings.pollIntervalMs, untilMs, now, signal });
        for await (const { connection: seen, elapsedMs } of checks) {
          log.info(words.status(name, elapsedMs, seen.status));
          const previous = report.connection;
          // Deleted and created again under the same name: the outputs follow the live one.
          const replaced = seen.arn !== previous?.arn && seen.status !== 'DELETED';
          if (replaced) log.info(words.replaced(name, seen.arn));
          report = { ...report, connection: seen, created: report.created && !replaced };
          if (replaced || seen.status !== previous?.status) setOutputs();
        }
      } catch (error) {
        if (!signal.aborted) throw error;
        end = 'unanswered';
      }
    });
    const pending = report.connection?.status === 'PENDING_HANDSHAKE';
    const ended = !pending ? 'status' : (end ?? (untilMs < startedAt + waitMs ? 'credentials' : 'timeout'));
    report = { ...report, waited: { forMs: waitMs, startedAt, endedAt: now(), end: ended } };
  }
}
