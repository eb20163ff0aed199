// The Region of a run: the inputs', else the AWS configuration's; one App Runner runs in, unless an endpoint is set.

import { AppRunnerClient } from '@aws-sdk/client-apprunner';

import { ProblemError } from './errors.js';
import type { Settings } from './inputs.js';
import { APP_RUNNER_REGIONS, type Environment, REGION, configuredEndpoint } from './model.js';

export async function resolveRegion(
  settings: Settings,
  env: Environment,
  configuredRegion: () => Promise<string | undefined> = sdkConfiguredRegion,
): Promise<string> {
  const region = settings.region ?? (await configuredRegion());
  if (!region) throw new ProblemError({ kind: 'no-region' });
  if (!REGION.test(region)) throw new ProblemError({ kind: 'bad-configured-region', region });
  if (!APP_RUNNER_REGIONS.includes(region) && !configuredEndpoint(env)) {
    throw new ProblemError({ kind: 'unsupported-region', region, source: settings.regionSource });
  }
  return region;
}

/** The Region the SDK finds in the AWS configuration (the `region` of AWS_PROFILE's profile). */
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
