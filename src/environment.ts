// The environment a run reads, passed in as a value: main.ts gives process.env, a test gives
// its own. Everything the action decides from the environment reads it from this argument;
// the AWS SDK's own chains (credentials, a profile's region) read process.env themselves, as
// they must stay whole, and @actions/github picks GitHub's proxy itself.

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The endpoint the environment points App Runner calls at, as the SDK reads it:
 * AWS_ENDPOINT_URL_APPRUNNER, then AWS_ENDPOINT_URL, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS.
 */
export function configuredEndpoint(env: Environment): string | undefined {
  if (env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'] === 'true') return undefined;
  return env['AWS_ENDPOINT_URL_APPRUNNER'] || env['AWS_ENDPOINT_URL'] || undefined;
}

/** The URL App Runner calls go to: the configured endpoint, else the region's. */
export function appRunnerEndpoint(region: string, env: Environment): string {
  return configuredEndpoint(env) ?? `https://apprunner.${region}.amazonaws.com`;
}
