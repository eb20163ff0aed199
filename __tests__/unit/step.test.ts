// The step's own rules, with the App Runner client mocked: where the region comes from and where
// App Runner runs, the environment it reads, and that an account id is a secret before anything
// prints it. The same step against the real SDK over HTTP is in __tests__/in-process/.

import {
  AppRunnerClient,
  ListConnectionsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
} from '@aws-sdk/client-apprunner';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';

import { readSettings } from '../../src/inputs.js';
import { type StepDependencies, runStep } from '../../src/step.js';
import { inputReader } from '../support/in-process.js';

const ARN = 'arn:aws:apprunner:eu-west-1:123456789012:connection/step-conn/0123456789abcdef0123456789abcdef';
const appRunner = mockClient(AppRunnerClient);

beforeEach(() => appRunner.reset());

interface Said {
  readonly kind: string;
  readonly text: string;
}

/** Runs the step with the mocked client; returns the report and everything it said, in order. */
async function step(
  inputs: Record<string, string>,
  env: Record<string, string>,
  extra: Partial<StepDependencies> = {},
) {
  const said: Said[] = [];
  const regionsAsked: string[] = [];
  const report = await runStep(readSettings(inputReader({ 'connection-name': 'step-conn', ...inputs }), env), {
    env,
    log: {
      info: (text) => said.push({ kind: 'info', text }),
      debug: (text) => said.push({ kind: 'debug', text }),
      warning: (text) => said.push({ kind: 'warning', text }),
      secret: (text) => said.push({ kind: 'secret', text }),
      output: (name, value) => said.push({ kind: `output ${name}`, text: value }),
    },
    createClient: ({ region }) => {
      regionsAsked.push(region);
      return { client: new AppRunnerClient({ region }), lastAttemptError: () => undefined };
    },
    ...extra,
  });
  return { report, said, regionsAsked };
}

describe('the region: settings, else the AWS configuration, and only one App Runner runs in', () => {
  it('asks the AWS configuration only when neither the input nor the environment names a region', async () => {
    appRunner.on(ListConnectionsCommand).resolves({
      ConnectionSummaryList: [
        { ConnectionName: 'step-conn', ConnectionArn: ARN, ProviderType: 'GITHUB', Status: 'AVAILABLE' },
      ],
    });
    let asked = 0;
    const configuredRegion = async () => {
      asked += 1;
      return 'eu-west-1';
    };

    const fromProfile = await step({}, {}, { configuredRegion });
    const fromInput = await step({ region: 'eu-west-1' }, {}, { configuredRegion });

    expect(asked).toBe(1);
    expect(fromProfile.regionsAsked).toEqual(['eu-west-1']);
    expect(fromProfile.report.outcome.passed).toBe(true);
    expect(fromInput.report.outcome.passed).toBe(true);
  });

  it('fails before any call when the AWS configuration names no region either, naming the input', async () => {
    const { report, regionsAsked } = await step({}, {}, { configuredRegion: async () => undefined });

    expect(regionsAsked).toEqual([]);
    expect(report.outcome.failure).toBe(
      "Input 'region' is empty, neither AWS_REGION nor AWS_DEFAULT_REGION is set, and the AWS configuration names " +
        'no region: set the region input, or set aws-region in aws-actions/configure-aws-credentials.',
    );
    expect(report.region).toBeUndefined();
  });

  it('fails before any call on a profile region that is no region code', async () => {
    const { report, regionsAsked } = await step({}, {}, { configuredRegion: async () => 'Frankfurt' });

    expect(regionsAsked).toEqual([]);
    expect(report.outcome.failure).toMatch(
      /^The AWS configuration names the region "Frankfurt", which is not an AWS region code/,
    );
  });

  it.each([
    ['the region input', { region: 'sa-east-1' }, {}],
    ['AWS_REGION', {}, { AWS_REGION: 'sa-east-1' }],
    ['AWS_DEFAULT_REGION', {}, { AWS_DEFAULT_REGION: 'sa-east-1' }],
  ])(
    'says App Runner does not run in a region from %s, and names the 11 it runs in, before any call',
    async (source, inputs, env) => {
      const { report, regionsAsked } = await step(inputs, env);

      expect(regionsAsked).toEqual([]);
      expect(report.outcome.failure).toBe(
        `App Runner does not run in sa-east-1 (from ${source}): it runs in us-east-1, us-east-2, us-west-2, ` +
          'ap-south-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3. ' +
          'Set the region input, or aws-region of aws-actions/configure-aws-credentials, to one of them.',
      );
    },
  );

  it('trusts a configured endpoint whatever the region', async () => {
    appRunner.on(ListConnectionsCommand).resolves({ ConnectionSummaryList: [] });

    const { report, regionsAsked } = await step(
      { region: 'sa-east-1', 'dry-run': 'true' },
      { AWS_ENDPOINT_URL_APPRUNNER: 'http://127.0.0.1:9' },
    );

    expect(regionsAsked).toEqual(['sa-east-1']);
    expect(report.outcome).toMatchObject({ passed: true, next: { kind: 'would-create' } });
  });
});

describe('AWS_MAX_ATTEMPTS, read from the environment the step is given', () => {
  it.each(['abc', '0', '2.5', '-1'])('fails before any call on %j, naming the variable and the rule', async (value) => {
    const { report } = await step({ region: 'eu-west-1' }, { AWS_MAX_ATTEMPTS: value }, { createClient: undefined });

    expect(report.outcome.failure).toBe(
      `AWS_MAX_ATTEMPTS must be a whole number of attempts, 1 or more (got ${JSON.stringify(value)}).`,
    );
    expect(appRunner.calls()).toHaveLength(0);
  });
});

describe('mask-aws-account-id: the account id is a secret before anything prints it', () => {
  const found = {
    ConnectionName: 'step-conn',
    ConnectionArn: ARN,
    ProviderType: 'GITHUB' as const,
    Status: 'AVAILABLE' as const,
  };

  it('registers the account id before the first output and the first line that carry it, and lists it in the report', async () => {
    appRunner.on(ListConnectionsCommand).resolves({ ConnectionSummaryList: [found] });

    const { report, said } = await step({ region: 'eu-west-1', 'mask-aws-account-id': 'true' }, {});

    const secret = said.findIndex((entry) => entry.kind === 'secret' && entry.text === '123456789012');
    const firstCarrier = said.findIndex((entry) => entry.kind !== 'secret' && entry.text.includes('123456789012'));
    expect(secret).toBeGreaterThanOrEqual(0);
    expect(secret).toBeLessThan(firstCarrier);
    expect(said.find((entry) => entry.kind === 'output connection-arn')?.text).toBe(ARN);
    expect(report.accountIds).toEqual(['123456789012']);
  });

  it('registers an account id that only the failure carries (an AWS denial) before the step returns', async () => {
    appRunner.on(ListConnectionsCommand).resolves({ ConnectionSummaryList: [found] });
    appRunner.on(ListTagsForResourceCommand).resolves({ Tags: [] });
    appRunner.on(TagResourceCommand).rejects(
      Object.assign(new Error('User: arn:aws:sts::210987654321:assumed-role/ci/run is not authorized'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    const { report, said } = await step({ region: 'eu-west-1', tags: 'team=web', 'mask-aws-account-id': 'true' }, {});

    expect(report.outcome.failure).toContain('210987654321');
    expect(said.filter((entry) => entry.kind === 'secret').map((entry) => entry.text)).toEqual([
      '123456789012',
      '210987654321',
    ]);
  });

  it('registers nothing when masking is off', async () => {
    appRunner.on(ListConnectionsCommand).resolves({ ConnectionSummaryList: [found] });

    const { report, said } = await step({ region: 'eu-west-1' }, {});

    expect(said.filter((entry) => entry.kind === 'secret')).toEqual([]);
    expect(report.accountIds).toEqual([]);
  });
});

describe('outputs: set as soon as the connection is known, before tagging', () => {
  it('writes every output before it reads or applies tags', async () => {
    appRunner.on(ListConnectionsCommand).resolves({
      ConnectionSummaryList: [
        { ConnectionName: 'step-conn', ConnectionArn: ARN, ProviderType: 'GITHUB', Status: 'AVAILABLE' },
      ],
    });
    appRunner.on(ListTagsForResourceCommand).callsFake(() => {
      throw Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    });

    const { report, said } = await step({ region: 'eu-west-1', tags: 'team=web' }, {});

    expect(said.filter((entry) => entry.kind.startsWith('output ')).map((entry) => entry.kind)).toEqual([
      'output connection-arn',
      'output connection-name',
      'output connection-status',
      'output provider-type',
      'output created',
      'output handshake-url',
    ]);
    expect(report.outcome.failure).toMatch(/apprunner:ListTagsForResource/);
  });
});
