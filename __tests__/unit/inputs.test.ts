// Behaviour 1: every input is parsed and validated before anything else, and a bad
// input fails the step with an error that names the input and the rule it breaks.

import { describe, expect, it } from 'vitest';

import { InputError, readSettings, type Settings } from '../../src/inputs.js';

/** Reads inputs as GitHub passes them: every input present, an unset one as ''. */
function reader(inputs: Record<string, string>): (name: string) => string {
  return (name) => inputs[name] ?? '';
}

const VALID = { 'connection-name': 'preview-conn', region: 'eu-west-1', 'github-token': 'ghs_token' };

function settingsFor(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): Settings {
  return readSettings(reader({ ...VALID, ...inputs }), env);
}

/** The InputError that reading these inputs throws; fails the test if none is thrown. */
function problemWith(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): InputError {
  try {
    settingsFor(inputs, env);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`expected inputs ${JSON.stringify(inputs)} to be rejected`);
}

describe('defaults: inputs left empty, as GitHub passes them', () => {
  it('gives GITHUB, no tags, no waiting, a 15 s poll interval and every switch off', () => {
    expect(readSettings(reader({ 'connection-name': 'preview-conn', region: 'eu-west-1' }), {})).toEqual({
      connectionName: 'preview-conn',
      providerType: 'GITHUB',
      tags: [],
      region: 'eu-west-1',
      regionSource: 'the region input',
      waitForHandshakeMs: 0,
      pollIntervalMs: 15_000,
      dryRun: false,
      commentOnPr: false,
      githubToken: '',
      maskAccountId: false,
    });
  });

  it('passes the github-token through unchanged', () => {
    expect(settingsFor({ 'github-token': 'ghs_example' }).githubToken).toBe('ghs_example');
  });
});

describe('connection-name: 4-32 letters, digits, "-" and "_", starting with a letter or digit', () => {
  it.each([
    ['4 characters, the shortest allowed', 'abcd'],
    ['32 characters, the longest allowed', 'a'.repeat(32)],
    ['digits first and "-" and "_" inside', '1st_preview-conn'],
    ['a trailing "-" or "_"', 'conn-_'],
    ['upper-case letters', 'PreviewConn'],
  ])('accepts %s', (_case, name) => {
    expect(settingsFor({ 'connection-name': name }).connectionName).toBe(name);
  });

  it('trims whitespace around the name', () => {
    expect(settingsFor({ 'connection-name': '  preview-conn  ' }).connectionName).toBe('preview-conn');
  });

  it.each([
    ['3 characters, one too few', 'abc'],
    ['33 characters, one too many', 'a'.repeat(33)],
    ['a leading "-"', '-preview'],
    ['a leading "_"', '_preview'],
    ['a dot', 'preview.conn'],
    ['a space inside', 'preview conn'],
    ['a slash', 'org/preview'],
    ['a non-ASCII letter', 'café-conn'],
    ['a shell metacharacter', 'conn$(id)'],
  ])('rejects %s, naming the input and the rule', (_case, name) => {
    const error = problemWith({ 'connection-name': name });
    expect(error.message).toContain("Input 'connection-name' must be 4-32 characters");
    expect(error.message).toContain(`(got ${JSON.stringify(name)})`);
  });

  it('reports a missing name as required', () => {
    expect(problemWith({ 'connection-name': '' }).message).toBe("Input 'connection-name' is required.");
  });
});

describe('provider-type: GITHUB or BITBUCKET in any letter case, GITHUB by default', () => {
  it.each([
    ['GITHUB', 'GITHUB'],
    ['github', 'GITHUB'],
    ['GitHub', 'GITHUB'],
    ['BITBUCKET', 'BITBUCKET'],
    ['bitbucket', 'BITBUCKET'],
    ['BitBucket', 'BITBUCKET'],
    [' github ', 'GITHUB'],
  ])('reads %j as %s', (raw, expected) => {
    expect(settingsFor({ 'provider-type': raw }).providerType).toBe(expected);
  });

  it.each(['GITLAB', 'git-hub', 'CODECOMMIT'])('rejects %j, naming both allowed values', (raw) => {
    const error = problemWith({ 'provider-type': raw });
    expect(error.message).toBe(`Input 'provider-type' must be GITHUB or BITBUCKET (got "${raw}").`);
  });
});

describe('region: the input, else AWS_REGION, else AWS_DEFAULT_REGION, else the AWS configuration', () => {
  const env = { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'ap-southeast-2' };

  it('takes the region input over both environment variables', () => {
    expect(settingsFor({ region: 'eu-west-1' }, env)).toMatchObject({
      region: 'eu-west-1',
      regionSource: 'the region input',
    });
  });

  it('falls back to AWS_REGION when the input is empty', () => {
    expect(settingsFor({ region: '' }, env)).toMatchObject({ region: 'us-west-2', regionSource: 'AWS_REGION' });
  });

  it('falls back to AWS_DEFAULT_REGION when the input and AWS_REGION are empty', () => {
    expect(settingsFor({ region: '' }, { AWS_REGION: '', AWS_DEFAULT_REGION: 'ap-southeast-2' }).region).toBe(
      'ap-southeast-2',
    );
    expect(settingsFor({ region: '' }, { AWS_DEFAULT_REGION: 'ap-southeast-2' }).region).toBe('ap-southeast-2');
  });

  it('leaves the region to the AWS configuration (a profile) when neither the input nor a variable names one', () => {
    // The step asks the SDK for the profile's region; only when that has none is it an error.
    expect(settingsFor({ region: '' }, {})).toMatchObject({ region: undefined, regionSource: 'the AWS configuration' });
  });

  it('treats a whitespace-only variable as unset', () => {
    expect(settingsFor({ region: '' }, { AWS_REGION: '  ', AWS_DEFAULT_REGION: 'eu-north-1' }).region).toBe(
      'eu-north-1',
    );
  });

  it.each([
    'us-east-1',
    'eu-central-2',
    'ap-southeast-2',
    'us-gov-west-1',
    'cn-north-1',
    'il-central-1',
    'us-isob-east-1',
    'eusc-de-east-1',
  ])('accepts the region code %s', (region) => {
    expect(settingsFor({ region }).region).toBe(region);
  });

  it.each(['US-EAST-1', 'us-east', 'useast1', 'us-east-1a', 'us_east_1', 'us-east-1; rm -rf /', 'eu-west-123'])(
    'rejects the malformed region %j, naming the input',
    (region) => {
      expect(problemWith({ region }).message).toContain("Input 'region' must be an AWS region code");
    },
  );

  it('rejects a malformed region that came from AWS_REGION too', () => {
    expect(problemWith({ region: '' }, { AWS_REGION: 'Frankfurt' }).message).toContain(
      'Input \'region\' is empty and AWS_REGION, which it falls back to, is not an AWS region code such as us-east-1 (got "Frankfurt").',
    );
  });
});

describe.each(['dry-run', 'comment-on-pr', 'mask-aws-account-id'] as const)(
  '%s: a YAML boolean, false when empty',
  (input) => {
    const field = (
      { 'dry-run': 'dryRun', 'comment-on-pr': 'commentOnPr', 'mask-aws-account-id': 'maskAccountId' } as const
    )[input];

    it.each(['true', 'True', 'TRUE'])('reads %j as true', (raw) => {
      expect(settingsFor({ [input]: raw })[field]).toBe(true);
    });

    it.each(['false', 'False', 'FALSE', ''])('reads %j as false', (raw) => {
      expect(settingsFor({ [input]: raw })[field]).toBe(false);
    });

    it.each(['yes', 'no', '1', '0', 'on', 'tRUE', 'y'])('rejects %j, naming the input', (raw) => {
      expect(problemWith({ [input]: raw }).message).toBe(`Input '${input}' must be true or false (got "${raw}").`);
    });
  },
);

describe('github-token: needed only to comment on the pull request', () => {
  it('rejects comment-on-pr without a token, naming github-token', () => {
    expect(problemWith({ 'comment-on-pr': 'true', 'github-token': '' }).message).toMatch(
      /^Input 'github-token' is empty, but comment-on-pr needs a token/,
    );
  });

  it('accepts an empty token when no comment is wanted', () => {
    expect(settingsFor({ 'github-token': '' }).githubToken).toBe('');
  });
});

describe('wait-for-handshake: a duration, 0 (do not wait) by default, at most 6 hours', () => {
  it.each([
    ['0', 0],
    ['600', 600_000],
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['6h', 21_600_000],
  ])('reads %j as %i ms', (raw, ms) => {
    expect(settingsFor({ 'wait-for-handshake': raw }).waitForHandshakeMs).toBe(ms);
  });

  it('rejects a wait longer than a job may run, naming the input', () => {
    expect(problemWith({ 'wait-for-handshake': '361m' }).message).toBe(
      'Input \'wait-for-handshake\' must be at most 6h (got "361m").',
    );
  });

  it('rejects a malformed wait, naming the input', () => {
    expect(problemWith({ 'wait-for-handshake': '10 minutes' }).message).toContain(
      "Input 'wait-for-handshake' must be 0, a number of seconds",
    );
  });
});

describe('poll-interval: a duration, 15s by default, from 1 second to 1 hour', () => {
  it.each([
    ['1', 1_000],
    ['30', 30_000],
    ['30s', 30_000],
    ['1m', 60_000],
    ['1h', 3_600_000],
  ])('reads %j as %i ms', (raw, ms) => {
    expect(settingsFor({ 'poll-interval': raw }).pollIntervalMs).toBe(ms);
  });

  it('rejects an interval of 0, which would poll without pause', () => {
    expect(problemWith({ 'poll-interval': '0' }).message).toBe(
      'Input \'poll-interval\' must be at least 1s (got "0").',
    );
  });

  it('rejects an interval over an hour', () => {
    expect(problemWith({ 'poll-interval': '61m' }).message).toBe(
      'Input \'poll-interval\' must be at most 1h (got "61m").',
    );
  });
});

describe('tags: parsed into key/value pairs, or rejected naming the input', () => {
  it('parses key=value lines', () => {
    expect(settingsFor({ tags: 'team=platform\nenv=preview' }).tags).toEqual([
      { key: 'team', value: 'platform' },
      { key: 'env', value: 'preview' },
    ]);
  });

  it('rejects a bad tag, naming the input', () => {
    expect(problemWith({ tags: 'aws:owner=me' }).message).toMatch(/^Input 'tags'/);
  });
});

describe('all problems at once: one error lists every bad input, one line each', () => {
  it('reports six bad inputs together, each line naming its input', () => {
    const error = problemWith(
      {
        'connection-name': '-x',
        'provider-type': 'gitlab',
        tags: 'no-equals-sign',
        region: 'Mars',
        'wait-for-handshake': 'forever',
        'dry-run': 'yes',
      },
      {},
    );
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(6);
    expect(lines.map((line) => /^Input '([a-z-]+)'/.exec(line)?.[1])).toEqual([
      'connection-name',
      'provider-type',
      'tags',
      'region',
      'wait-for-handshake',
      'dry-run',
    ]);
  });

  it('reports a bad region together with a bad name', () => {
    const lines = problemWith({ 'connection-name': 'ab', region: 'Frankfurt' }, {}).message.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("Input 'connection-name'");
    expect(lines[1]).toContain("Input 'region'");
  });

  it('reports a bad name alone when no region is named: the AWS configuration may still have one', () => {
    expect(problemWith({ 'connection-name': 'ab', region: '' }, {}).message.split('\n')).toEqual([
      expect.stringContaining("Input 'connection-name'"),
    ]);
  });

  it('quotes a long bad value shortened and on one line', () => {
    const error = problemWith({ 'provider-type': `git\nhub${'x'.repeat(60)}` });
    expect(error.message.split('\n')).toHaveLength(1);
    expect(error.message).toContain('..."');
  });
});

describe('the settings value is immutable', () => {
  it('is frozen, so no later step can change a setting', () => {
    const settings = settingsFor({ tags: 'team=platform' });
    expect(Object.isFrozen(settings)).toBe(true);
    expect(() => {
      (settings as { dryRun: boolean }).dryRun = true;
    }).toThrow(TypeError);
    expect(settings.dryRun).toBe(false);
  });
});
