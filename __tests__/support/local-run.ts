// The committed bundle, run against the local App Runner endpoint (local/apprunner-endpoint.js):
// one endpoint per test, and runs pointed at it with a test file's connection name and region.
import type { TestContext } from 'vitest';

import {
  startLocalAppRunner,
  type LocalAppRunner,
  type LocalAppRunnerOptions,
} from '../../local/apprunner-endpoint.js';
import { runAction, type ActionRun, type RunOptions } from './run-action.js';

export interface LocalRunDefaults {
  /** The connection-name input of every run, unless a run gives its own. */
  readonly connectionName: string;
  /** The endpoint's region, and AWS_REGION of every run. */
  readonly region: string;
}

export interface LocalRuns {
  /** An endpoint for one test, in the defaults' region unless `options` say otherwise; closed when the test ends. */
  endpointFor(context: Pick<TestContext, 'onTestFinished'>, options?: LocalAppRunnerOptions): Promise<LocalAppRunner>;
  /**
   * Runs the action against an endpoint. The region comes from the environment (AWS_REGION), as after
   * configure-aws-credentials; `inputs` and `env` are added to, and win over, the defaults.
   */
  runAgainst(server: LocalAppRunner, inputs?: Record<string, string>, env?: RunOptions['env']): Promise<ActionRun>;
}

/** `endpointFor` and `runAgainst` bound to one connection name and region. */
export function localRuns({ connectionName, region }: LocalRunDefaults): LocalRuns {
  return {
    async endpointFor(context, options = {}) {
      const server = await startLocalAppRunner({ region, ...options });
      context.onTestFinished(() => server.close());
      return server;
    },
    runAgainst(server, inputs = {}, env = {}) {
      return runAction({
        inputs: { 'connection-name': connectionName, ...inputs },
        env: { AWS_ENDPOINT_URL_APPRUNNER: server.url, AWS_REGION: region, ...env },
      });
    },
  };
}
