// The whole step, in process: from validated settings to a report of what happened. Everything
// from outside comes in as a dependency (the environment, the clients, the clock, the limits and
// a log), so a test runs it against the local endpoint with limits in milliseconds, and main.ts
// only copies the report onto the toolkit. Every network phase has a bound, and all of them
// share one budget. Loaded by a dynamic import once the inputs are valid: it loads the SDK.

import { AppRunnerClient } from '@aws-sdk/client-apprunner';

import { accountIdsIn } from './account-ids.js';
import { type AppRunnerClientOptions, type ObservedClient, createAppRunnerClient } from './aws-client.js';
import { handshakeUrl } from './aws-links.js';
import { type Connection, ensureConnection, waitForAvailable } from './connection.js';
import { delay, untilAborted, withDeadline } from './deadline.js';
import { formatDuration } from './duration.js';
import { type Environment, appRunnerEndpoint, configuredEndpoint } from './environment.js';
import { ConfigurationError, QuotaReached } from './errors.js';
import { describeCommentFailure, describeFailure } from './failure.js';
import { REGION, type Settings } from './inputs.js';
import { type Limits, PRODUCTION_LIMITS } from './limits.js';
import { decideOutcome } from './outcome.js';
import type { CommentRequest } from './pr-comment.js';
import { type ProxyRouting, proxyRouting, proxyVariable, resolveProxy } from './proxy.js';
import { pullRequestOf } from './pull-request.js';
import { APP_RUNNER_REGIONS } from './regions.js';
import type { StepFacts, StepReport } from './report.js';
import { prCommentMarker, renderPrComment } from './summary.js';

export type OutputName =
  'connection-arn' | 'connection-name' | 'connection-status' | 'provider-type' | 'created' | 'handshake-url';

/** What the step says while it runs; main.ts sends it to the toolkit, a test records it. */
export interface StepLog {
  info(text: string): void;
  debug(text: string): void;
  warning(text: string): void;
  /** A value the runner masks from now on, wherever the job prints it. */
  secret(value: string): void;
  /** A step output, set as soon as it is known. */
  output(name: OutputName, value: string): void;
}

export interface StepDependencies {
  /** The environment the run reads (process.env in the action). */
  readonly env: Environment;
  readonly log: StepLog;
  readonly limits?: Limits;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly createClient?: (options: AppRunnerClientOptions) => ObservedClient;
  /** The region of the AWS configuration (a profile's), for a run that names none. */
  readonly configuredRegion?: () => Promise<string | undefined>;
  readonly upsertComment?: (request: CommentRequest) => Promise<'created' | 'updated'>;
}

/** Bounds a phase: its own bound, or what is left of the run's budget if less. */
type Budget = (boundMs: number) => number;

export async function runStep(settings: Settings, dependencies: StepDependencies): Promise<StepReport> {
  const limits = dependencies.limits ?? PRODUCTION_LIMITS;
  const now = dependencies.now ?? Date.now;
  const end = now() + limits.runBudgetMs + settings.waitForHandshakeMs;
  const budget: Budget = (boundMs) => Math.max(0, Math.min(boundMs, end - now()));
  const accountIds = new Set<string>();
  const log = settings.maskAccountId ? maskingLog(dependencies.log, accountIds) : dependencies.log;
  const run = { settings, limits, now, budget, log, dependencies };

  const facts = await ensureAndWait(run);
  const outcome = decideOutcome(facts);
  // The shell prints these at the end: the runner must know every account id in them first.
  if (settings.maskAccountId) registerAccountIds([outcome.failure, outcome.notice?.text], log, accountIds);
  const report: StepReport = { ...facts, outcome, accountIds: [...accountIds] };
  if (settings.commentOnPr) await commentOnPullRequest(run, report);
  return { ...report, accountIds: [...accountIds] };
}

interface Run {
  readonly settings: Settings;
  readonly limits: Limits;
  readonly now: () => number;
  readonly budget: Budget;
  readonly log: StepLog;
  readonly dependencies: StepDependencies;
}

/** Looks the connection up (creating or tagging it), then waits for its handshake if asked: the facts of the run. */
async function ensureAndWait(run: Run): Promise<StepFacts> {
  const { settings, limits, budget, log, dependencies } = run;
  const { env } = dependencies;
  const { connectionName: name, providerType, dryRun } = settings;
  let facts: StepFacts = {
    name,
    providerType,
    region: settings.region,
    dryRun,
    repository: env['GITHUB_REPOSITORY'] || undefined,
    maskAccountId: settings.maskAccountId,
    connection: undefined,
    created: false,
    tagChanges: [],
  };
  let observed: ObservedClient | undefined;
  let routing: ProxyRouting | undefined;

  try {
    const region = await regionOf(settings, dependencies);
    facts = { ...facts, region };
    routing = await proxyFor(region, env, log);
    observed = (dependencies.createClient ?? createAppRunnerClient)({ region, env, limits, routing });
    const { client } = observed;

    log.info(`Looking up App Runner connection ${name} in ${region}${dryRun ? ' (dry run)' : ''}.`);
    const result = await withDeadline(budget(limits.lookupMs), (signal) =>
      ensureConnection(
        client,
        { name, region, providerType, tags: settings.tags, dryRun },
        {
          signal,
          maxPages: limits.maxListPages,
          racePausesMs: limits.raceLookupPausesMs,
          sleep: dependencies.sleep ?? delay,
          onConnection: (connection, created) => {
            facts = { ...facts, connection, created };
            writeOutputs(log, connection, created, region);
            log.info(
              `${created ? 'Created' : 'Reusing'} connection ${connection.name} (${connection.status}): ${connection.arn}`,
            );
            warnOnOtherProvider(log, connection, settings);
          },
        },
      ),
    );
    facts = { ...facts, tagChanges: result.tagChanges };
    if (result.tagChanges.length > 0) {
      const list = result.tagChanges.map(({ key, value }) => JSON.stringify(`${key}=${value}`)).join(', ');
      log.info(`${dryRun ? 'Dry run: would apply' : 'Applied'} tags: ${list}`);
    }
    if (!result.connection) {
      log.info(`Dry run: connection ${name} does not exist; a run without dry-run would create it.`);
      writeDryRunOutputs(log, settings, region);
    }

    const waiting = facts.connection;
    if (waiting?.status === 'PENDING_HANDSHAKE' && settings.waitForHandshakeMs > 0 && !dryRun) {
      const seen = await waitForHandshake(run, observed, waiting, region, facts.created);
      facts = {
        ...facts,
        ...seen,
        waited: { forMs: settings.waitForHandshakeMs, lastCheckUnanswered: seen.unanswered },
      };
    }
  } catch (error) {
    const context = {
      region: facts.region,
      lastAttempt: observed?.lastAttemptError(),
      ...(routing && { proxy: routing.route, secrets: routing.secrets }),
      now: run.now(),
    };
    facts = {
      ...facts,
      error: describeFailure(error, context),
      ...(error instanceof QuotaReached && { quota: error.connections }),
    };
  } finally {
    observed?.client.destroy();
  }
  return facts;
}

/**
 * The region of the settings, else of the AWS configuration as the SDK resolves it; one App Runner
 * runs in, unless a configured endpoint says where the calls go.
 */
async function regionOf(settings: Settings, dependencies: StepDependencies): Promise<string> {
  const source = settings.regionSource;
  const region = settings.region ?? (await (dependencies.configuredRegion ?? sdkConfiguredRegion)());
  if (!region) {
    throw new ConfigurationError(
      "Input 'region' is empty, neither AWS_REGION nor AWS_DEFAULT_REGION is set, and the AWS configuration " +
        'names no region: set the region input, or set aws-region in aws-actions/configure-aws-credentials.',
    );
  }
  if (!REGION.test(region)) {
    throw new ConfigurationError(
      `The AWS configuration names the region ${JSON.stringify(region)}, which is not an AWS region code such as us-east-1: ` +
        'fix the profile, or set the region input.',
    );
  }
  if (!APP_RUNNER_REGIONS.includes(region) && !configuredEndpoint(dependencies.env)) {
    throw new ConfigurationError(
      `App Runner does not run in ${region} (from ${source}): it runs in ${APP_RUNNER_REGIONS.join(', ')}. ` +
        'Set the region input, or aws-region of aws-actions/configure-aws-credentials, to one of them.',
    );
  }
  return region;
}

/** The region the SDK finds in the AWS configuration (AWS_PROFILE's `region` in the config file). */
async function sdkConfiguredRegion(): Promise<string | undefined> {
  const client = new AppRunnerClient({});
  try {
    return await client.config.region();
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}

/** The proxy App Runner calls take, if the environment names one; its credentials masked before anything prints. */
async function proxyFor(region: string, env: Environment, log: StepLog): Promise<ProxyRouting | undefined> {
  const endpoint = appRunnerEndpoint(region, env);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return undefined; // Not a URL: the SDK reports it on the first call, as without a proxy.
  }
  const resolved = resolveProxy(url, env);
  if (!resolved) {
    const variable = proxyVariable(url, env);
    if (variable)
      log.debug(
        `App Runner calls to ${url.host} go direct: no_proxy or a loopback host exempts them from ${variable}.`,
      );
    return undefined;
  }
  for (const secret of resolved.secrets) log.secret(secret);
  const { route } = resolved;
  log.info(`App Runner calls to ${route.target} go through the proxy ${route.proxy} (from ${route.variable}).`);
  return proxyRouting(endpoint, resolved);
}

/** Waits for AVAILABLE; the outputs follow the connection's status, and a replacement of it. */
async function waitForHandshake(
  run: Run,
  { client }: ObservedClient,
  connection: Connection,
  region: string,
  created: boolean,
): Promise<{ connection: Connection; created: boolean; unanswered: boolean }> {
  const { settings, limits, budget, log, dependencies } = run;
  let live = { arn: connection.arn, status: connection.status, created };
  log.info(
    `Waiting up to ${formatDuration(settings.waitForHandshakeMs)} for the handshake of ${connection.name}, ` +
      `checking every ${formatDuration(settings.pollIntervalMs)}. Complete it at ${handshakeUrl(region)}`,
  );
  // The wait's own bound, plus time for its last check, also cuts short a check that stalls.
  const outcome = await withDeadline(budget(settings.waitForHandshakeMs + limits.lastCheckMs), (signal) =>
    waitForAvailable(
      client,
      connection,
      { name: connection.name, region },
      {
        timeoutMs: settings.waitForHandshakeMs,
        intervalMs: settings.pollIntervalMs,
        signal,
        maxPages: limits.maxListPages,
        ...(dependencies.sleep && { sleep: dependencies.sleep }),
        now: run.now,
        onPoll: (seen, elapsedMs) => {
          log.info(`Status of ${seen.name} after ${formatDuration(elapsedMs)}: ${seen.status}`);
          if (seen.arn !== live.arn && seen.status !== 'DELETED') {
            // Deleted and created again under the same name: the outputs follow the live one.
            log.info(`Connection ${seen.name} was replaced meanwhile; it is now ${seen.arn}`);
            live = { arn: seen.arn, status: seen.status, created: false };
            writeOutputs(log, seen, false, region);
          } else if (seen.status !== live.status) {
            live = { ...live, status: seen.status };
            log.output('connection-status', seen.status);
          }
        },
      },
    ),
  );
  return { connection: outcome.connection, created: live.created, unanswered: outcome.unanswered };
}

/** Keeps one comment on the pull request, within its bound; a failure to comment is only a warning. */
async function commentOnPullRequest(run: Run, report: StepReport): Promise<void> {
  const { settings, limits, budget, log, dependencies } = run;
  const target = pullRequestOf(dependencies.env);
  if (!target) {
    log.debug(`comment-on-pr is ignored on ${dependencies.env['GITHUB_EVENT_NAME'] || 'this'} event.`);
    return;
  }
  try {
    const upsert = dependencies.upsertComment ?? (await import('./pr-comment.js')).upsertPullRequestComment;
    // Octokit passes the signal to fetch; the race also ends anything that ignores it.
    const done = await withDeadline(budget(limits.commentMs), (signal) =>
      untilAborted(
        upsert({
          token: settings.githubToken,
          target,
          apiUrl: dependencies.env['GITHUB_API_URL'] || 'https://api.github.com',
          marker: prCommentMarker(settings.connectionName),
          body: renderPrComment(report, run.now()),
          signal,
          maxPages: limits.maxCommentPages,
          maxAnswerBytes: limits.maxGitHubAnswerBytes,
        }),
        signal,
      ),
    );
    log.info(`Pull request #${target.pullNumber}: comment ${done}.`);
  } catch (error) {
    log.warning(describeCommentFailure(error));
  }
}

function writeOutputs(log: StepLog, connection: Connection, created: boolean, region: string): void {
  log.output('connection-arn', connection.arn);
  log.output('connection-name', connection.name);
  log.output('connection-status', connection.status);
  log.output('provider-type', connection.providerType);
  log.output('created', String(created));
  log.output('handshake-url', handshakeUrl(region));
}

/** A dry run that found nothing still knows what it would have created. */
function writeDryRunOutputs(log: StepLog, settings: Settings, region: string): void {
  log.output('connection-name', settings.connectionName);
  log.output('provider-type', settings.providerType);
  log.output('created', 'false');
  log.output('handshake-url', handshakeUrl(region));
}

/** A connection's provider is fixed when it is created; reusing another one is worth saying. */
function warnOnOtherProvider(log: StepLog, connection: Connection, settings: Settings): void {
  if (connection.providerType === settings.providerType) return;
  log.warning(
    `Connection ${connection.name} exists with provider ${connection.providerType}, not the ${settings.providerType} ` +
      `of provider-type; it is reused as it is. To use ${settings.providerType}, choose another connection-name.`,
  );
}

/** A log that registers every account id a text carries as a secret before the text goes out. */
function maskingLog(log: StepLog, accountIds: Set<string>): StepLog {
  const registered =
    (say: (text: string) => void) =>
    (text: string): void => {
      registerAccountIds([text], log, accountIds);
      say(text);
    };
  return {
    info: registered((text) => log.info(text)),
    debug: registered((text) => log.debug(text)),
    warning: registered((text) => log.warning(text)),
    secret: (value) => log.secret(value),
    output: (name, value) => {
      registerAccountIds([value], log, accountIds);
      log.output(name, value);
    },
  };
}

function registerAccountIds(texts: readonly (string | undefined)[], log: StepLog, accountIds: Set<string>): void {
  for (const id of texts.flatMap((text) => (text ? accountIdsIn(text) : []))) {
    if (accountIds.has(id)) continue;
    accountIds.add(id);
    log.secret(id);
  }
}
