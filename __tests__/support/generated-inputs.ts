// Seeded generators of the action's inputs, shared by the in-process specs (every case) and the
// end-to-end ones (a handful, through the bundle). Each case knows its expected outcome by
// construction: an accepted one, the exact requests it must send; a refused one, the input it
// breaks. So the action's own parser is never the oracle. Seeded, so a failure can be replayed.

import fc from 'fast-check';

export const SEED = 20261125;

export interface Tag {
  readonly key: string;
  readonly value: string;
}

export interface AcceptedCase {
  readonly index: number;
  /** Inputs by their action.yml names (a region is added by the spec). */
  readonly inputs: Record<string, string>;
  /** The tags CreateConnection must carry, in order (none: no Tags field). */
  readonly tags: readonly Tag[];
  readonly name: string;
  readonly providerType: 'GITHUB' | 'BITBUCKET';
  readonly dryRun: boolean;
}

export interface RefusedCase {
  readonly index: number;
  /** Good inputs with one of them made bad. */
  readonly inputs: Record<string, string>;
  /** The input made bad, which the refusal must name... */
  readonly input: string;
  /** ...and its bad value. */
  readonly value: string;
}

/** A request the local endpoint records: the operation and its JSON body. */
export interface SentRequest {
  readonly operation: string;
  readonly body: Record<string, unknown> | undefined;
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

/** A key App Runner accepts: 1-128 characters, not starting with aws:. */
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

const acceptedCase: fc.Arbitrary<Omit<AcceptedCase, 'index'>> = fc
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
      providerType: c.providerSpelling % 3 === 0 ? ('GITHUB' as const) : c.provider,
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

/**
 * The first `count` accepted cases of the seeded sequence: the same cases, in the same order,
 * for any count (fast-check draws the n-th value of a seed independently of how many follow).
 */
export function acceptedCases(count: number, region: string): AcceptedCase[] {
  return fc
    .sample(acceptedCase, { seed: SEED, numRuns: count })
    .map((c, index) => ({ ...c, index, inputs: { ...c.inputs, region } }));
}

/**
 * The first `count` refused cases: good inputs (a github-token among them, so comment-on-pr
 * may be on) with one made bad.
 */
export function refusedCases(count: number, region: string): RefusedCase[] {
  return fc.sample(refusedCase, { seed: SEED + 1, numRuns: count }).map(({ valid, bad: [input, value] }, index) => ({
    index,
    input,
    value,
    inputs: { ...valid.inputs, region, 'github-token': 'ghs_token', [input]: value },
  }));
}

/** The requests an accepted case describes: one lookup by name, then (unless a dry run) the create. */
export function expectedRequests(c: AcceptedCase): SentRequest[] {
  const create = {
    operation: 'CreateConnection',
    body: {
      ConnectionName: c.name,
      ProviderType: c.providerType,
      ...(c.tags.length > 0 && { Tags: c.tags.map(({ key, value }) => ({ Key: key, Value: value })) }),
    },
  };
  return [{ operation: 'ListConnections', body: { ConnectionName: c.name } }, ...(c.dryRun ? [] : [create])];
}
