// The action's raw inputs turned into one typed, frozen settings value, every problem reported at once.

import { CONNECTION_NAME, type Environment, PROVIDER_TYPES, type ProviderType, REGION } from './model.js';
import { InputError, invalidInput } from './errors.js';
import { parseTags } from './tags.js';
import { UNIT_MS, formatDuration, quote } from './text.js';

export type Settings = Awaited<ReturnType<typeof readSettings>>;

/** Reads and validates every input, so a person fixes the workflow once instead of once per run. */
export async function readSettings(read: (name: string) => string, env: Environment) {
  const problems: string[] = [];
  const check = async <T>(parse: () => T | Promise<T>, fallback: T): Promise<T> => {
    try {
      return await parse();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
      return fallback;
    }
  };
  const warnings: string[] = []; // what is accepted but probably not meant
  const settings = {
    connectionName: await check(() => parseConnectionName(read('connection-name')), ''),
    providerType: await check(() => parseProviderType(read('provider-type')), 'GITHUB'),
    tags: await check(() => parseTags(read('tags'), warnings), []),
    ...(await check(() => regionOf(read('region'), env), { region: undefined, regionSource: 'the region input' })),
    waitForHandshakeMs: await check(() => parseDuration('wait-for-handshake', read('wait-for-handshake') || '0', 0), 0),
    pollIntervalMs: await check(() => parseDuration('poll-interval', read('poll-interval') || '15s', 1000), 0),
    dryRun: await check(() => parseBoolean('dry-run', read('dry-run')), false),
    commentOnPr: await check(() => parseBoolean('comment-on-pr', read('comment-on-pr')), false),
    githubToken: read('github-token'),
    maskAccountId: await check(() => parseBoolean('mask-aws-account-id', read('mask-aws-account-id')), false),
    warnings,
  };
  if (settings.commentOnPr && settings.githubToken.trim() === '') {
    problems.push(
      "Input 'github-token' is empty, but comment-on-pr needs a token: keep its default ${{ github.token }}.",
    );
  }
  if (problems.length > 0) throw new InputError(problems);
  return Object.freeze(settings);
}

function parseConnectionName(raw: string): string {
  const name = raw.trim();
  if (name === '') invalidInput("Input 'connection-name' is required.");
  if (!CONNECTION_NAME.test(name)) {
    invalidInput(
      "Input 'connection-name' must be 4-32 characters of letters, digits, '-' and '_', " +
        `starting with a letter or digit (got ${quote(name)}).`,
    );
  }
  return name;
}

function parseProviderType(raw: string): ProviderType {
  const value = raw.trim() || 'GITHUB';
  const providerType = PROVIDER_TYPES.find((type) => type === value.toUpperCase());
  if (!providerType) invalidInput(`Input 'provider-type' must be GITHUB or BITBUCKET (got ${quote(value)}).`);
  return providerType;
}

type RegionSource = 'the region input' | 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'the AWS configuration';

/** The region input, else AWS_REGION, else AWS_DEFAULT_REGION; none of them leaves it to the AWS configuration. */
function regionOf(raw: string, env: Environment): { region: string | undefined; regionSource: RegionSource } {
  const sources = [
    ['the region input', raw],
    ['AWS_REGION', env['AWS_REGION']],
    ['AWS_DEFAULT_REGION', env['AWS_DEFAULT_REGION']],
  ] as const;
  const named = sources.find(([, value]) => value?.trim());
  if (!named) return { region: undefined, regionSource: 'the AWS configuration' };
  const [regionSource, value = ''] = named;
  const region = value.trim();
  if (REGION.test(region)) return { region, regionSource };
  invalidInput(
    regionSource === 'the region input'
      ? `Input 'region' must be an AWS region code such as us-east-1 (got ${quote(region)}).`
      : `Input 'region' is empty and ${regionSource}, which it falls back to, is not an AWS region code ` +
          `such as us-east-1 (got ${quote(region)}).`,
  );
}

/** `0`, plain seconds (`600`) or a number with a unit in either case (`90s`, `15 m`, `1H`), in milliseconds. */
function parseDuration(input: string, raw: string, minMs: number): number {
  const match = /^(\d+)\s*([smh]?)$/i.exec(raw.trim());
  if (!match) {
    invalidInput(
      `Input '${input}' must be 0, a number of seconds (600) or a number with a unit s, m or h ` +
        `(90s, 15m, 1h) (got ${quote(raw)}).`,
    );
  }
  const ms = Number(match[1]) * UNIT_MS[(match[2] || 's').toLowerCase() as 's' | 'm' | 'h'];
  // A wait beyond the 6 h a GitHub-hosted job may run can never succeed.
  const maxMs = input === 'poll-interval' ? UNIT_MS.h : 6 * UNIT_MS.h;
  if (ms < minMs) invalidInput(`Input '${input}' must be at least ${formatDuration(minMs)} (got ${quote(raw)}).`);
  if (ms > maxMs) invalidInput(`Input '${input}' must be at most ${formatDuration(maxMs)} (got ${quote(raw)}).`);
  return ms;
}

// The YAML 1.2 core schema booleans, as @actions/core's getBooleanInput accepts them.
function parseBoolean(input: string, raw: string): boolean {
  const value = raw.trim() || 'false';
  if (!/^(true|True|TRUE|false|False|FALSE)$/.test(value)) {
    invalidInput(`Input '${input}' must be true or false (got ${quote(value)}).`);
  }
  return value.toLowerCase() === 'true';
}
