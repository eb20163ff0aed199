// Seeded generators of the action's inputs: the unit specs run every case through readSettings, the
// end-to-end ones a handful through the bundle. Each case knows its outcome by construction (the
// tags, the warnings, the input a refused case breaks), so the action's own parser is never the
// oracle. Seeded, so a failure replays; the n-th case of a seed is the same for any count.

import fc from 'fast-check';

import type { Tag } from '../../src/model.js';

export const SEED = 20261125;

export interface AcceptedCase {
  readonly index: number;
  /** Inputs by their action.yml names, the region among them. */
  readonly inputs: Record<string, string>;
  /** The tags CreateConnection must carry, in order. */
  readonly tags: readonly Tag[];
  /** The `tags` lines that must get the comma-syntax warning (DESIGN behaviour 15). */
  readonly warnedLines: readonly number[];
  readonly name: string;
  readonly providerType: 'GITHUB' | 'BITBUCKET';
  readonly dryRun: boolean;
}

/** Good inputs with one of them made bad: `input`, now `value`. */
export interface RefusedCase {
  readonly index: number;
  readonly inputs: Record<string, string>;
  readonly input: string;
  readonly value: string;
}

// Characters people put in tags, characters that try to break things, and the comma syntax.
const TEXT_CHARS = [...'abcXYZ019 _.:/=+-@()[]{},;!?&%$#*~^`"\'\\<>|éüßçøåñ日本語платформа🚀\u202e', '👩‍💻', ',k='];
const text = (min: number, max: number) =>
  fc.array(fc.constantFrom(...TEXT_CHARS), { minLength: min, maxLength: max }).map((chars) => chars.join(''));

/** A key App Runner accepts: 1-128 characters, not starting with aws:. */
const anyKey = text(1, 24).filter((key) => !key.startsWith('aws:'));
/** A key=value line's key: no `=`, not a comment, no spaces at its ends (lines trim them). */
const lineKey = anyKey.filter((key) => !key.includes('=') && !key.startsWith('#') && key.trim() === key);
const lineValue = text(0, 40).filter((value) => value.trim() === value);
/** A JSON value may hold line breaks and spaces at its ends. */
const jsonValue = fc.oneof(text(0, 40), fc.constantFrom('line one\nline two', '  padded  ', '\t'));
/** A value that looks like more tags in the comma syntax of other actions (`a,b=c`). */
const looksLikeCommaList = (value: string) => /,[^,=]+=/.test(value);

const uniqueTags = (key: fc.Arbitrary<string>, value: fc.Arbitrary<string>) =>
  fc.uniqueArray(fc.record({ key, value }), { selector: (tag) => tag.key, maxLength: 8 });

type Tagged = { tags: readonly Tag[]; input: string; warnedLines: readonly number[] };
const fixed = (input: string, tags: Tag[], warnedLines: number[] = []): Tagged => ({ input, tags, warnedLines });

const member = ({ key, value }: Tag) => `\n  ${JSON.stringify(key)}: ${JSON.stringify(value)}`;

/** The tags, and the `tags` input that writes them in one of the three forms. */
const taggedInput: fc.Arbitrary<Tagged> = fc.oneof(
  uniqueTags(lineKey, lineValue).map((tags) => ({
    tags,
    input: ['# generated', ...tags.map(({ key, value }) => ` ${key} =  ${value} `)].join('\n'),
    warnedLines: tags.flatMap(({ value }, index) => (looksLikeCommaList(value) ? [index + 2] : [])),
  })),
  // Written out member by member: an object would put integer-like keys first.
  uniqueTags(anyKey, jsonValue).map((tags) => fixed(`{${tags.map(member).join(',')}\n}`, tags)),
  uniqueTags(anyKey, jsonValue).map((tags) =>
    fixed(JSON.stringify(tags.map(({ key, value }) => ({ Key: key, Value: value }))), tags),
  ),
  fc.constantFrom(
    // Numbers and booleans in JSON are sent as their JSON text.
    fixed('{"cost-center": 1234, "ratio": 1.50, "public": true}', [
      { key: 'cost-center', value: '1234' },
      { key: 'ratio', value: '1.50' },
      { key: 'public', value: 'true' },
    ]),
    fixed(
      Array.from({ length: 50 }, (_, i) => `k${i}=v${i}`).join('\n'),
      Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    ),
    fixed('team=platform,env=prod', [{ key: 'team', value: 'platform,env=prod' }], [1]),
  ),
);

const acceptedCase = fc
  .record({
    name: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{3,31}$/),
    provider: fc.constantFrom('', 'GITHUB', 'github', 'GitHub', 'BITBUCKET', 'bitbucket', 'BitBucket'),
    dryRun: fc.constantFrom('true', 'True', 'false', 'FALSE', ''),
    tagged: taggedInput,
  })
  .map(({ name, provider, dryRun, tagged: { input, tags, warnedLines } }) => ({
    inputs: { 'connection-name': name, 'provider-type': provider, tags: input, 'dry-run': dryRun },
    tags,
    warnedLines,
    name,
    providerType: (provider.toUpperCase() || 'GITHUB') as AcceptedCase['providerType'],
    dryRun: dryRun.toLowerCase() === 'true',
  }));

/** One input made bad in a way the action must refuse before any call. */
const bad = (input: string, ...values: string[]) => values.map((value) => [input, value] as const);
const BAD_INPUTS = [
  ...bad('connection-name', 'abc', '-starts-with-dash', 'has space', 'x'.repeat(33), 'dots.are.out'),
  ...bad('provider-type', 'GITLAB', 'git hub'),
  ...bad('region', 'us-east', 'US-EAST-1'),
  ...bad('wait-for-handshake', '5d', '-1', '1.5m', '7h'),
  ...bad('poll-interval', '0', '2h'),
  ...bad('dry-run', 'yes', '1'),
  ...bad('comment-on-pr', 'on'),
  ...bad('tags', 'aws:owner=me', 'env=a\nenv=b', 'just-a-word', '=value', '{"a": "b",}', "{'a': 'b'}", '{"a": "b"'),
  ...bad('tags', '{"a": null}', '{"a": {"b": "c"}}', '{"a": "1", "a": "2"}', '[{"key": "a"}]', '["a=b"]'),
  ...bad('tags', '{"\\nkey": "v"}', `${'k'.repeat(129)}=v`, `k=${'v'.repeat(257)}`),
  ...bad('tags', Array.from({ length: 51 }, (_, i) => `k${i}=v`).join('\n')),
];

export function acceptedCases(count: number, region: string): AcceptedCase[] {
  return fc
    .sample(acceptedCase, { seed: SEED, numRuns: count })
    .map((c, index) => ({ ...c, index, inputs: { ...c.inputs, region } }));
}

/** Good inputs (a github-token among them, so comment-on-pr may be on) with one made bad. */
export function refusedCases(count: number, region: string): RefusedCase[] {
  const refusedCase = fc.record({ valid: acceptedCase, bad: fc.constantFrom(...BAD_INPUTS) });
  return fc.sample(refusedCase, { seed: SEED + 1, numRuns: count }).map(({ valid, bad: [input, value] }, index) => ({
    index,
    input,
    value,
    inputs: { ...valid.inputs, region, 'github-token': 'ghs_token', [input]: value },
  }));
}

/** The requests an accepted case sends to App Runner: the lookup by name, then (unless a dry run) the create. */
export function expectedRequests(c: AcceptedCase): { operation: string; body: Record<string, unknown> }[] {
  const tags = c.tags.map(({ key, value }) => ({ Key: key, Value: value }));
  const create = { ConnectionName: c.name, ProviderType: c.providerType, ...(tags.length > 0 && { Tags: tags }) };
  return [
    { operation: 'ListConnections', body: { ConnectionName: c.name } },
    ...(c.dryRun ? [] : [{ operation: 'CreateConnection', body: create }]),
  ];
}
