// Generated inputs, run through the committed bundle as the runner runs it: every accepted
// set of inputs sends exactly the requests it describes (the tags App Runner accepts, byte
// for byte, in any of the three forms), and every refused one names the input it breaks and
// sends nothing. The generators know the expected outcome by construction, so the action's
// own parser is never the oracle. Seeded, so a failure can be replayed.

import fc from 'fast-check';
import { describe, it } from 'vitest';

import { startLocalAppRunner } from '../../local/apprunner-endpoint.js';
import { annotations, foreignCommandLines } from '../support/log-lines.js';
import { runAction } from '../support/run-action.js';

const REGION = 'us-east-1';
const SEED = 20261125;
const ACCEPTED_RUNS = 120;
const REFUSED_RUNS = 100;

interface Tag {
  readonly key: string;
  readonly value: string;
}

interface Case {
  readonly inputs: Record<string, string>;
  /** The tags CreateConnection must carry, in order (none: no Tags field). */
  readonly tags: readonly Tag[];
  readonly name: string;
  readonly providerType: 'GITHUB' | 'BITBUCKET';
  readonly dryRun: boolean;
}

// Characters people put in tags, and characters that try to break things.
const TEXT_CHARS = [
  ...'abcXYZ019 _.:/=+-@',
  ...'()[]{},;!?&%$#*~^`"\'\\<>|',
  ...'éüßçøåñ日本語платформа',
  '🚀',
  '👩‍💻',
  '\u202e',
];
const text = (min: number, max: number) =>
  fc.array(fc.constantFrom(...TEXT_CHARS), { minLength: min, maxLength: max }).map((chars) => chars.join(''));

/** A key App Runner accepts: 1-128 characters, not starting with aws: or a line break. */
const anyKey = text(1, 24).filter((key) => !key.startsWith('aws:'));
/** A key a key=value line can carry: no `=`, not a comment, no spaces at its ends (lines trim them). */
const lineKey = anyKey.filter((key) => !key.includes('=') && !key.startsWith('#') && key.trim() === key);
/** A value a line can carry: no spaces at its ends. */
const lineValue = text(0, 40).filter((value) => value.trim() === value);
/** A JSON value may hold line breaks and spaces at its ends. */
const jsonValue = fc.oneof(text(0, 40), fc.constantFrom('line one\nline two', '  padded  ', '\t'));

function uniqueTags(key: fc.Arbitrary<string>, value: fc.Arbitrary<string>): fc.Arbitrary<Tag[]> {
  return fc.uniqueArray(fc.record({ key, value }), { selector: (tag) => tag.key, maxLength: 8 });
}

/** The tags, and the `tags` input that writes them in one of the three forms. */
const taggedInput: fc.Arbitrary<{ tags: readonly Tag[]; input: string }> = fc.oneof(
  uniqueTags(lineKey, lineValue).map((tags) => ({
    tags,
    input: ['# generated', ...tags.map(({ key, value }) => ` ${key} =  ${value} `)].join('\n'),
  })),
  uniqueTags(anyKey, jsonValue).map((tags) => ({
    tags,
    input: JSON.stringify(Object.fromEntries(tags.map(({ key, value }) => [key, value])), null, 2),
  })),
  uniqueTags(anyKey, jsonValue).map((tags) => ({
    tags,
    input: JSON.stringify(tags.map(({ key, value }) => ({ Key: key, Value: value }))),
  })),
  // Numbers and booleans in JSON are sent as their JSON text.
  fc.constantFrom(
    {
      tags: [
        { key: 'cost-center', value: '1234' },
        { key: 'ratio', value: '1.50' },
        { key: 'public', value: 'true' },
      ],
      input: '{"cost-center": 1234, "ratio": 1.50, "public": true}',
    },
    {
      tags: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
      input: Array.from({ length: 50 }, (_, i) => `k${i}=v${i}`).join('\n'),
    },
  ),
);

const connectionName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{3,31}$/);
const anyCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((char, i) => (upper[i] ? char.toUpperCase() : char.toLowerCase())).join(''));

const acceptedCase: fc.Arbitrary<Case> = fc
  .record({
    name: connectionName,
    provider: fc.constantFrom('GITHUB', 'BITBUCKET' as const),
    providerSpelling: fc.nat(),
    dryRun: fc.constantFrom(['true', true], ['True', true], ['false', false], ['FALSE', false], ['', false]),
    tagged: taggedInput,
  })
  .chain((c) =>
    anyCase(c.provider).map((spelling) => ({
      inputs: {
        'connection-name': c.name,
        'provider-type': c.providerSpelling % 3 === 0 ? '' : spelling,
        tags: c.tagged.input,
        'dry-run': c.dryRun[0] as string,
      },
      tags: c.tagged.tags,
      name: c.name,
      providerType: c.providerSpelling % 3 === 0 ? 'GITHUB' : c.provider,
      dryRun: c.dryRun[1] as boolean,
    })),
  );

/** One input made bad in a way the action must refuse before any call, and the input it names. */
const BAD_INPUTS: readonly (readonly [string, string])[] = [
  ['connection-name', 'abc'],
  ['connection-name', '-starts-with-dash'],
  ['connection-name', 'has space'],
  ['connection-name', 'x'.repeat(33)],
  ['connection-name', 'dots.are.out'],
  ['provider-type', 'GITLAB'],
  ['provider-type', 'git hub'],
  ['region', 'us-east'],
  ['region', 'US-EAST-1'],
  ['wait-for-handshake', '5d'],
  ['wait-for-handshake', '-1'],
  ['wait-for-handshake', '1.5m'],
  ['wait-for-handshake', '7h'],
  ['poll-interval', '0'],
  ['poll-interval', '2h'],
  ['dry-run', 'yes'],
  ['dry-run', '1'],
  ['comment-on-pr', 'on'],
  ['tags', 'aws:owner=me'],
  ['tags', 'env=a\nenv=b'],
  ['tags', Array.from({ length: 51 }, (_, i) => `k${i}=v`).join('\n')],
  ['tags', `${'k'.repeat(129)}=v`],
  ['tags', `k=${'v'.repeat(257)}`],
  ['tags', 'just-a-word'],
  ['tags', '=value'],
  ['tags', '{"a": "b",}'],
  ['tags', "{'a': 'b'}"],
  ['tags', '{"a": "b"'],
  ['tags', '{"a": null}'],
  ['tags', '{"a": {"b": "c"}}'],
  ['tags', '{"a": "1", "a": "2"}'],
  ['tags', '[{"key": "a", "value": "b"}]'],
  ['tags', '["a=b"]'],
  ['tags', '{"\\nkey": "v"}'],
];

const refusedCase = fc.record({ valid: acceptedCase, bad: fc.constantFrom(...BAD_INPUTS) });

const sample = <T>(arbitrary: fc.Arbitrary<T>, runs: number, seed: number) =>
  fc.sample(arbitrary, { seed, numRuns: runs });

describe.concurrent('generated accepted inputs send exactly the requests they describe', () => {
  const cases = sample(acceptedCase, ACCEPTED_RUNS, SEED).map((c, index) => ({ ...c, index }));

  it.for(cases)('accepted #$index', async (c, { expect, onTestFinished }) => {
    const server = await startLocalAppRunner({ region: REGION });
    onTestFinished(() => server.close());

    const run = await runAction({
      inputs: { ...c.inputs, region: REGION },
      env: { AWS_ENDPOINT_URL_APPRUNNER: server.url },
    });

    expect(run.exitCode, `${JSON.stringify(c.inputs)}\n${run.stdout}`).toBe(0);
    const sent = server.calls.map(({ operation, body }) => ({ operation, body }));
    const create = {
      operation: 'CreateConnection',
      body: {
        ConnectionName: c.name,
        ProviderType: c.providerType,
        ...(c.tags.length > 0 && { Tags: c.tags.map(({ key, value }) => ({ Key: key, Value: value })) }),
      },
    };
    expect(sent).toEqual([
      { operation: 'ListConnections', body: { ConnectionName: c.name } },
      ...(c.dryRun ? [] : [create]),
    ]);
    expect(run.outputs['connection-name']).toBe(c.name);
    expect(run.outputs['provider-type']).toBe(c.providerType);
    expect(foreignCommandLines(run)).toEqual([]);
  });
});

describe.concurrent('generated refused inputs name the input and send nothing', () => {
  const cases = sample(refusedCase, REFUSED_RUNS, SEED + 1).map((c, index) => ({ ...c, index }));

  it.for(cases)('refused #$index', async ({ valid, bad: [input, value] }, { expect, onTestFinished }) => {
    const server = await startLocalAppRunner({ region: REGION });
    onTestFinished(() => server.close());

    const run = await runAction({
      inputs: { ...valid.inputs, region: REGION, 'github-token': 'ghs_token', [input]: value },
      env: { AWS_ENDPOINT_URL_APPRUNNER: server.url },
    });

    expect(run.exitCode, `${input}=${JSON.stringify(value)}\n${run.stdout}`).toBe(1);
    expect(server.count()).toBe(0);
    const errors = annotations(run, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`Input '${input}'`);
    expect(run.outputs).toEqual({});
    expect(foreignCommandLines(run)).toEqual([]);
  });
});
