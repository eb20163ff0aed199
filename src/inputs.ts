// Turns the action's raw string inputs into one typed, validated settings value.
// Nothing here talks to AWS or to @actions/*: the caller passes a reader for inputs.

import { parseDuration } from './duration.js';
import type { Environment } from './environment.js';
import { InputError, describeValue } from './input-error.js';
import { parseTags, type Tag } from './tags.js';

export { InputError } from './input-error.js';

export type ProviderType = 'GITHUB' | 'BITBUCKET';

export interface Settings {
  readonly connectionName: string;
  readonly providerType: ProviderType;
  readonly tags: readonly Tag[];
  /** Undefined when neither the input nor the environment names one: the AWS configuration may. */
  readonly region: string | undefined;
  /** Where the region came from, for messages about it. */
  readonly regionSource: RegionSource;
  /** 0 means: do not wait for the handshake. */
  readonly waitForHandshakeMs: number;
  readonly pollIntervalMs: number;
  readonly dryRun: boolean;
  readonly commentOnPr: boolean;
  readonly githubToken: string;
  readonly maskAccountId: boolean;
}

export type RegionSource = 'the region input' | 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'the AWS configuration';

export type InputReader = (name: string) => string;

/** A connection name, as CreateConnection takes it. */
export const CONNECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{3,31}$/;
// Region codes of every partition: us-east-1, us-gov-west-1, cn-north-1, us-isob-east-1, eusc-de-east-1.
export const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;
const PROVIDER_TYPES: readonly ProviderType[] = ['GITHUB', 'BITBUCKET'];
// The longest a GitHub-hosted job may run; waiting longer can never succeed.
const MAX_WAIT_MS = 6 * 60 * 60 * 1000;
const MAX_POLL_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Reads and validates every input. All problems are reported together, so a
 * person fixes the workflow once instead of once per run.
 */
export function readSettings(read: InputReader, env: Environment): Settings {
  const problems: string[] = [];
  const check = <T>(parse: () => T, fallback: T): T => {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(error.message);
      return fallback;
    }
  };

  const settings: Settings = {
    connectionName: check(() => parseConnectionName(read('connection-name')), ''),
    providerType: check(() => parseProviderType(read('provider-type')), 'GITHUB'),
    tags: check(() => Object.freeze(parseTags(read('tags')).map((tag) => Object.freeze(tag))), []),
    ...check(() => regionOf(read('region'), env), { region: undefined, regionSource: 'the region input' as const }),
    waitForHandshakeMs: check(
      () => parseDuration('wait-for-handshake', read('wait-for-handshake') || '0', { max: MAX_WAIT_MS }),
      0,
    ),
    pollIntervalMs: check(
      () =>
        parseDuration('poll-interval', read('poll-interval') || '15s', {
          min: 1000,
          max: MAX_POLL_INTERVAL_MS,
        }),
      0,
    ),
    dryRun: check(() => parseBoolean('dry-run', read('dry-run')), false),
    commentOnPr: check(() => parseBoolean('comment-on-pr', read('comment-on-pr')), false),
    githubToken: read('github-token'),
    maskAccountId: check(() => parseBoolean('mask-aws-account-id', read('mask-aws-account-id')), false),
  };
  if (settings.commentOnPr && settings.githubToken.trim() === '') {
    problems.push(
      "Input 'github-token' is empty, but comment-on-pr needs a token: keep its default ${{ github.token }}.",
    );
  }

  if (problems.length > 0) throw new InputError(problems.join('\n'));
  return Object.freeze(settings);
}

function parseConnectionName(raw: string): string {
  const name = raw.trim();
  if (name === '') throw new InputError("Input 'connection-name' is required.");
  if (!CONNECTION_NAME.test(name)) {
    throw new InputError(
      `Input 'connection-name' must be 4-32 characters of letters, digits, '-' and '_', ` +
        `starting with a letter or digit (got ${describeValue(name)}).`,
    );
  }
  return name;
}

function parseProviderType(raw: string): ProviderType {
  const value = (raw.trim() || 'GITHUB').toUpperCase();
  const providerType = PROVIDER_TYPES.find((type) => type === value);
  if (!providerType) {
    throw new InputError(`Input 'provider-type' must be GITHUB or BITBUCKET (got ${describeValue(raw.trim())}).`);
  }
  return providerType;
}

/** The region input, else AWS_REGION, else AWS_DEFAULT_REGION; none of them leaves it to the AWS configuration. */
function regionOf(raw: string, env: Environment): Pick<Settings, 'region' | 'regionSource'> {
  const named = (
    [
      ['the region input', raw],
      ['AWS_REGION', env['AWS_REGION']],
      ['AWS_DEFAULT_REGION', env['AWS_DEFAULT_REGION']],
    ] as const
  ).find(([, value]) => value?.trim());
  if (!named) return { region: undefined, regionSource: 'the AWS configuration' };
  const [regionSource, value = ''] = named;
  const region = value.trim();
  if (!REGION.test(region)) {
    throw new InputError(
      regionSource === 'the region input'
        ? `Input 'region' must be an AWS region code such as us-east-1 (got ${describeValue(region)}).`
        : `Input 'region' is empty and ${regionSource}, which it falls back to, is not an AWS region code ` +
            `such as us-east-1 (got ${describeValue(region)}).`,
    );
  }
  return { region, regionSource };
}

// The YAML 1.2 core schema booleans, as @actions/core's getBooleanInput accepts them.
const TRUE_WORDS = ['true', 'True', 'TRUE'];
const FALSE_WORDS = ['false', 'False', 'FALSE', ''];

function parseBoolean(input: string, raw: string): boolean {
  const value = raw.trim();
  if (TRUE_WORDS.includes(value)) return true;
  if (FALSE_WORDS.includes(value)) return false;
  throw new InputError(`Input '${input}' must be true or false (got ${describeValue(value)}).`);
}
