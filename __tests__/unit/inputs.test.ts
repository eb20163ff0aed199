// Behaviour 1: every input is read and checked before anything else, every problem reported at
// once, each naming its input and the rule. The `tags` input in its three forms, held to App
// Runner's tag rules and nothing stricter; behaviour 15: the comma syntax is kept, with a warning;
// behaviour 3: a reused connection gets only the missing or different tags.

import { describe, expect, it } from 'vitest';

import { InputError } from '../../src/errors.js';
import { readSettings, type Settings } from '../../src/inputs.js';
import { escapeLog } from '../../src/text.js';
import { acceptedCases, refusedCases } from '../support/generated-inputs.js';
import { commandLike, inputReader } from '../support/in-process.js';

type Inputs = Record<string, string>;

/** Inputs as GitHub passes them: an unset one is ''. */
const read = (inputs: Inputs) => (name: string) => inputs[name] ?? '';
const VALID = { 'connection-name': 'preview-conn', region: 'eu-west-1', 'github-token': 'ghs_token' };
const settingsFor = (inputs: Inputs = {}, env: Inputs = {}) => readSettings(read({ ...VALID, ...inputs }), env);

/** Every problem reading these inputs reports; fails the test if they are accepted. */
async function problemsWith(inputs: Inputs, env: Inputs = {}): Promise<readonly string[]> {
  const error = await settingsFor(inputs, env).catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).problems;
}
async function problemWith(inputs: Inputs, env: Inputs = {}): Promise<string> {
  const problems = await problemsWith(inputs, env);
  expect(problems).toHaveLength(1);
  return problems[0] ?? '';
}
const tagsOf = async (tags: string) => (await settingsFor({ tags })).tags;
const asTags = (tags: Inputs) => Object.entries(tags).map(([key, value]) => ({ key, value }));
const lines = (count: number) => Array.from({ length: count }, (_, i) => `key${i}=value${i}`).join('\n');
const A32 = 'a'.repeat(32);
/** For tests that may load the JSON reader first (a lazy import) or run many cases, on a loaded machine. */
const SLOW = { timeout: 30_000 };

describe('defaults: inputs left empty, or at their action.yml defaults', () => {
  it.each([
    ['empty', read({ 'connection-name': 'preview-conn' })],
    ['at their defaults', inputReader({ 'connection-name': 'preview-conn' })],
  ])('gives GITHUB, no tags, no wait, a 15s poll interval and every switch off when %s', async (_case, reader) => {
    const settings = await readSettings(reader, {});
    expect(settings).toEqual({
      ...{ connectionName: 'preview-conn', providerType: 'GITHUB', tags: [], warnings: [], githubToken: '' },
      ...{ region: undefined, regionSource: 'the AWS configuration', waitForHandshakeMs: 0, pollIntervalMs: 15_000 },
      ...{ dryRun: false, commentOnPr: false, maskAccountId: false },
    });
    expect(Object.isFrozen(settings)).toBe(true);
  });
});

describe('each input read into its setting', () => {
  const BOOLEANS = { true: true, True: true, TRUE: true, false: false, False: false, FALSE: false, '': false };
  const READS: [string, keyof Settings, Record<string, unknown>][] = [
    ['connection-name', 'connectionName', { abcd: 'abcd', [A32]: A32, '1st_preview-conn': '1st_preview-conn' }],
    ['connection-name', 'connectionName', { 'conn-_': 'conn-_', '  PreviewConn ': 'PreviewConn' }],
    ['provider-type', 'providerType', { github: 'GITHUB', ' GitHub ': 'GITHUB', BitBucket: 'BITBUCKET' }],
    ['region', 'region', { 'us-gov-west-1': 'us-gov-west-1', 'cn-north-1': 'cn-north-1' }],
    ['region', 'region', { 'us-isob-east-1': 'us-isob-east-1', 'eusc-de-east-1': 'eusc-de-east-1' }],
    ['wait-for-handshake', 'waitForHandshakeMs', { '0': 0, '0s': 0, '600': 600_000, '90s': 90_000 }],
    ['wait-for-handshake', 'waitForHandshakeMs', { '15m': 900_000, '15 m': 900_000, '15M': 900_000 }],
    ['wait-for-handshake', 'waitForHandshakeMs', { '1H': 3_600_000, '90 S': 90_000, ' 15m \n': 900_000 }],
    ['wait-for-handshake', 'waitForHandshakeMs', { '6h': 21_600_000, '360m': 21_600_000 }],
    ['poll-interval', 'pollIntervalMs', { '1': 1000, '1s': 1000, '30': 30_000, '60m': 3_600_000, '': 15_000 }],
    ['dry-run', 'dryRun', BOOLEANS],
    ['comment-on-pr', 'commentOnPr', BOOLEANS],
    ['mask-aws-account-id', 'maskAccountId', BOOLEANS],
    ['github-token', 'githubToken', { ghs_example: 'ghs_example', '': '' }],
  ];
  const cases = READS.flatMap(([input, field, values]) =>
    Object.entries(values).map(([raw, value]) => ({ input, raw, value, field })),
  );
  it.each(cases)('reads $input $raw as $value', async ({ input, raw, value, field }) => {
    expect((await settingsFor({ [input]: raw }))[field]).toEqual(value);
  });
});

describe('each input refused, naming the input, the rule and the value', () => {
  const name = "must be 4-32 characters of letters, digits, '-' and '_', starting with a letter or digit";
  const region = 'must be an AWS region code such as us-east-1';
  const duration = 'must be 0, a number of seconds (600) or a number with a unit s, m or h (90s, 15m, 1h)';
  const REFUSALS: [string, string[], string][] = [
    ['connection-name', ['abc', 'a'.repeat(33), '-preview', '_preview', 'pre.conn', 'pre conn', 'café-conn'], name],
    ['provider-type', ['GITLAB', 'git-hub'], 'must be GITHUB or BITBUCKET'],
    [
      'region',
      ['US-EAST-1', 'us-east', 'useast1', 'us-east-1a', 'us_east_1', 'eu-west-123', 'us-east-1; rm -rf /'],
      region,
    ],
    ['wait-for-handshake', ['-5', '1.5', '0.5h', '5d', '500ms', '1h30m', 'm', 'abc', '10 minutes'], duration],
    ['wait-for-handshake', ['361m', '99999999999999999999h'], 'must be at most 6h'],
    ['poll-interval', ['0'], 'must be at least 1s'],
    ['poll-interval', ['3601', '61m'], 'must be at most 1h'],
    ...['dry-run', 'comment-on-pr', 'mask-aws-account-id'].map(
      (input) => [input, ['yes', 'no', '1', '0', 'on', 'tRUE'], 'must be true or false'] as [string, string[], string],
    ),
  ];
  it.each(REFUSALS.flatMap(([input, raws, rule]) => raws.map((raw) => [input, raw, rule])))(
    'refuses %s %j',
    async (input, raw, rule) => {
      expect(await problemWith({ [input]: raw })).toBe(`Input '${input}' ${rule} (got ${JSON.stringify(raw)}).`);
    },
  );

  it('says a missing connection-name is required', async () => {
    expect(await problemWith({ 'connection-name': ' ' })).toBe("Input 'connection-name' is required.");
  });

  it('refuses comment-on-pr without a github-token, naming github-token', async () => {
    expect(await problemWith({ 'comment-on-pr': 'true', 'github-token': ' ' })).toBe(
      "Input 'github-token' is empty, but comment-on-pr needs a token: keep its default ${{ github.token }}.",
    );
  });
});

describe('region: the input, else AWS_REGION, else AWS_DEFAULT_REGION, else the AWS configuration', () => {
  const both = { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'ap-southeast-2' };
  it.each([
    ['the input over both variables', 'eu-west-1', both, 'eu-west-1', 'the region input'],
    ['AWS_REGION when the input is empty', '', both, 'us-west-2', 'AWS_REGION'],
    ['AWS_DEFAULT_REGION last', '', { AWS_DEFAULT_REGION: 'eu-north-1' }, 'eu-north-1', 'AWS_DEFAULT_REGION'],
    [
      'it over a blank AWS_REGION',
      ' ',
      { AWS_REGION: ' ', AWS_DEFAULT_REGION: 'eu-north-1' },
      'eu-north-1',
      'AWS_DEFAULT_REGION',
    ],
    ['none, leaving it to the AWS configuration (a profile)', '', {}, undefined, 'the AWS configuration'],
  ])('takes %s', async (_case, region, env: Inputs, expected, regionSource) => {
    expect(await settingsFor({ region }, env)).toMatchObject({ region: expected, regionSource });
  });

  it.each(['AWS_REGION', 'AWS_DEFAULT_REGION'])('names %s when the malformed region came from it', async (name) => {
    expect(await problemWith({ region: '' }, { [name]: 'Frankfurt' })).toBe(
      `Input 'region' is empty and ${name}, which it falls back to, is not an AWS region code such as us-east-1 (got "Frankfurt").`,
    );
  });
});

describe('every problem at once: one InputError, each problem its own one-line string', () => {
  it('reports every bad input together, in the order of the inputs, each naming its input', async () => {
    const bad = { 'connection-name': '-x', 'provider-type': 'gitlab', tags: 'no-equals', region: 'Mars' };
    const more = { 'wait-for-handshake': 'forever', 'poll-interval': '0', 'dry-run': 'yes', 'comment-on-pr': 'true' };
    const error = await settingsFor({ ...bad, ...more, 'github-token': '' }).catch((thrown: InputError) => thrown);
    expect(error).toBeInstanceOf(InputError);
    const { problems, message } = error as InputError;
    expect(problems.map((problem) => /^Input '([a-z-]+)'/.exec(problem)?.[1])).toEqual([
      ...Object.keys({ ...bad, ...more }).slice(0, -1),
      'github-token',
    ]);
    expect(problems.filter((problem) => problem.includes('\n'))).toEqual([]);
    expect(message).toBe(problems.join('\n'));
  });

  it('reports a bad name alone when no region is named: the AWS configuration may still have one', async () => {
    expect(await problemsWith({ 'connection-name': 'ab', region: '' })).toEqual([
      expect.stringMatching(/^Input 'conn/),
    ]);
  });

  it('quotes a long bad value shortened and on one line', async () => {
    const problem = await problemWith({ 'provider-type': `git\nhub${'x'.repeat(60)}` });
    expect(problem).toMatch(/\(got "git hubx+\.\.\. \(\d+ more characters\)"\)\.$/);
  });
});

describe('tags in their three forms: key=value lines, a JSON object, the AWS CLI list', SLOW, () => {
  it.each([
    ['one tag a line, in order', 'team=platform\nenv=preview', { team: 'platform', env: 'preview' }],
    ['split at the first "="', 'query=a=b==c', { query: 'a=b==c' }],
    ['blank and "#" lines skipped, indented too', '# owners\n\nteam=x\n   \n  # env\nenv=y\n', { team: 'x', env: 'y' }],
    ['a "#" inside a value', 'ticket=#1234', { ticket: '#1234' }],
    ['key and value trimmed, inner spaces kept', '  cost center  =  R and D  ', { 'cost center': 'R and D' }],
    ['empty values', 'reviewed=\nflag =  ', { reviewed: '', flag: '' }],
    ['Windows line endings', 'team=x\r\nenv=y\r\n', { team: 'x', env: 'y' }],
    ['keys that differ in case, as AWS does', 'env=a\nEnv=b', { env: 'a', Env: 'b' }],
    ['no tags from blank lines or comments', ' \n \n# only a comment', {}],
    ['JSON members in order, over lines', '\n {\n "team": "x",\n "reviewed": ""\n }\n', { team: 'x', reviewed: '' }],
    ['a JSON key starting with ":"', '{"team": "a",\n  ":odd": "b"}', { team: 'a', ':odd': 'b' }],
    ['":" and "=" inside a JSON value', '{"url": "https://e.x:8443/a=b"}', { url: 'https://e.x:8443/a=b' }],
    ['whitespace inside JSON quotes', '{" env ": "  x ", "env": "y"}', { ' env ': '  x ', env: 'y' }],
    ['JSON numbers and booleans as written', '{"a": 1.50, "b": -1e3, "c": true}', { a: '1.50', b: '-1e3', c: 'true' }],
    ['no tags from an empty object', '{}', {}],
    ['the list form', '[{"Key": "env", "Value": "pr"}, {"Key": "team", "Value": 4.0}]', { env: 'pr', team: '4.0' }],
    ['a list item without Value as empty', '[{"Key": "reviewed"}]', { reviewed: '' }],
    ['no tags from an empty list', '[]', {}],
  ])('reads %s', async (_case, raw, expected: Inputs) => {
    expect(await tagsOf(raw)).toEqual(asTags(expected));
  });

  const notALine = (line: number, got: string) =>
    ` line ${line} must be key=value, or the whole input a JSON object (got ${JSON.stringify(got)}).`;
  const shape = ` in JSON must be an object {"key": "value"} or a list [{"Key": "key", "Value": "value"}].`;
  const scalar = 'must be a string, a number or a boolean, not';
  const twice = ` names the key "env" more than once; each key may appear once.`;
  const noKey = ` item 1 needs a "Key" that is a string.`;
  it.each([
    ['team=x\njust-a-word', notALine(2, 'just-a-word')],
    ['42', notALine(1, '42')],
    ['=platform', `: a key must be 1-128 characters (got 0: "").`],
    ['env=a\nteam=x\n  env  =b', twice],
    ['{"env": "a", "team": "x", "env": "b"}', twice],
    ['{"env": "a", "\\u0065nv": "b"}', twice],
    ['[{"Key": "env"}, {"Key": "env", "Value": "b"}]', twice],
    ['{"owner": null}', `: the value of "owner" ${scalar} null.`],
    ['{"owner": {"team": "x"}}', `: the value of "owner" ${scalar} an object.`],
    ['{"owners": ["a", "b"]}', `: the value of "owners" ${scalar} an array.`],
    ['["team=platform"]', shape],
    ['[[{"Key": "a"}]]', shape],
    ['[{"Value": "x"}]', noKey],
    ['[{"Key": 7}]', noKey],
    ['[{"key": "a"}]', ` item 1 has the member "key"; an item has only "Key" and "Value".`],
    ['[{"Key": "a", "Key": "b"}]', ` item 1 names "Key" more than once.`],
    ['[{"Key": "a", "Value": null}]', `: the "Value" of item 1 ${scalar} null.`],
  ])('refuses %j, naming the line, key or item', async (raw, problem) => {
    expect(await problemWith({ tags: raw })).toBe(`Input 'tags'${problem}`);
  });

  it.each(['{"team": "x"', '{team: "x"}', "{'team': 'x'}", '{"a": "b",}', '{"a": "b\nc"}', '{"a": "b"} x', '[1, 2'])(
    "refuses the invalid JSON %j in JSON.parse's own words",
    async (raw) => {
      const parseError = await Promise.resolve(raw)
        .then(JSON.parse)
        .catch((error: Error) => error.message);
      expect(await problemWith({ tags: raw })).toBe(
        `Input 'tags' starts like JSON but is not valid JSON: ${parseError}.`,
      );
    },
  );

  it('refuses nesting deeper than any tag needs as a problem with the input, not an exhausted stack', async () => {
    expect(await problemWith({ tags: `{"a": ${'['.repeat(100_000)}${']'.repeat(100_000)}}` })).toMatch(/^Input 'tags'/);
  });
});

describe("App Runner's tag rules, and nothing stricter", () => {
  it.each([
    lines(50),
    `${'k'.repeat(128)}=${'v'.repeat(256)}`,
    `${'🚀'.repeat(128)}=${'🚀'.repeat(256)}`,
    'AWS:owner=me\nAws:Owner=me\nmy-aws:owner=me\naws=yes',
    'list=a,b\nowner=Platform (EU)\nurl=https://example.com/x?y=1&z=2\nticket=#1234\nwho=👩‍💻',
  ])('accepts %j as written: lengths count characters, and only a lower-case aws: is reserved', async (raw) => {
    const written = raw.split('\n').map((line) => line.split(/=(.*)/s));
    expect(await tagsOf(raw)).toEqual(written.map(([key, value]) => ({ key, value })));
  });

  it.each<Inputs>([
    { html: '<b>x</b> | `code` [link](http://a.b) @org/team', note: 'line one\nline two' },
    { command: '::warning::x ##[error]y', q: 'say "hi" \\ bye', チーム: 'платформа' },
  ])('accepts any characters in JSON: %j', async (tags) => {
    expect(await tagsOf(JSON.stringify(tags))).toEqual(asTags(tags));
  });

  const tooMany = ' has 51 tags; App Runner allows at most 50.';
  const tooLong = ': the value of "k" must be at most 256 characters (got 257).';
  const json51 = JSON.stringify(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])));
  const key129 = `"${'k'.repeat(40)}... (89 more characters)"`;
  const surrogate =
    'holds an unpaired surrogate (a \\uD800-\\uDFFF escape without its pair), which is not a character.';
  it.each([
    ['51 tags', lines(51), tooMany],
    ['51 tags in JSON', json51, tooMany],
    ['a key of 129 characters', `${'k'.repeat(129)}=v`, `: a key must be 1-128 characters (got 129: ${key129}).`],
    ['a value of 257 characters', `k=${'v'.repeat(257)}`, tooLong],
    ['a value of 257 emoji', `k=${'🚀'.repeat(257)}`, tooLong],
    [
      'the aws: prefix',
      'aws:owner=me',
      `: the key "aws:owner" starts with 'aws:', which AWS reserves for its own tags.`,
    ],
    ['an unpaired surrogate', '{"k": "\\ud800"}', `: the tag "k" ${surrogate}`],
    ...['\n', '\r', '\u2028', '\u2029'].map((lineBreak) => [
      `a key starting with ${JSON.stringify(lineBreak)}`,
      JSON.stringify({ [`${lineBreak}key`]: 'v' }),
      ': the key "key" must not start with a line break.',
    ]),
  ])('refuses %s, on one line', async (_case, raw, problem) => {
    expect(await problemWith({ tags: raw })).toBe(`Input 'tags'${problem}`);
  });
});

describe('the comma syntax of other actions: kept as written, with a warning', () => {
  it.each([
    ['team=platform,env=prod', 1, 'team', 'platform,env=prod'],
    ['# tags\n\nteam=a, env=b', 3, 'team', 'a, env=b'],
    ['q=x=1,y=2', 1, 'q', 'x=1,y=2'],
  ])('keeps %j as one tag and warns, naming the input and the line', async (raw, line, key, value) => {
    const settings = await settingsFor({ tags: raw });
    expect(settings.tags).toEqual([{ key, value }]);
    expect(settings.warnings).toEqual([
      `Input 'tags' line ${line} gives ${JSON.stringify(key)} the value ${JSON.stringify(value)}, which looks like ` +
        'several tags separated by commas: it is kept as one value. Write each tag on its own line.',
    ]);
  });

  it.each(['list=a,b,c', 'pair=a=b', 'url=https://e.x/?a=1&b=2', '{"team": "a,env=b"}'])(
    'does not warn about %j',
    async (raw) => expect((await settingsFor({ tags: raw })).warnings).toEqual([]),
  );
});

describe('generated inputs through the input reader, with action.yml defaults for the rest', SLOW, () => {
  it.for(acceptedCases(120, 'us-east-1'))('accepts generated case #$index as it describes', async (c) => {
    const settings = await readSettings(inputReader(c.inputs), {});
    expect(settings.tags, c.inputs['tags']).toEqual(c.tags);
    expect(settings).toMatchObject({ connectionName: c.name, providerType: c.providerType, dryRun: c.dryRun });
    expect(settings.warnings.map((warning) => Number(/ line (\d+) /.exec(warning)?.[1]))).toEqual(c.warnedLines);
  });

  it.for(refusedCases(100, 'us-east-1'))('refuses generated case #$index, naming $input alone', async (c) => {
    const error = await readSettings(inputReader(c.inputs), {}).catch((thrown: unknown) => thrown);
    expect(error, `${c.input}=${JSON.stringify(c.value)}`).toBeInstanceOf(InputError);
    const { problems } = error as InputError;
    expect(problems).toEqual([expect.stringContaining(`Input '${c.input}'`)]);
    expect(commandLike(problems.map(escapeLog))).toEqual([]);
  });
});
