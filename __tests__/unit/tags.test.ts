// The `tags` input (DESIGN inputs table): key=value lines, a JSON object or the AWS CLI's
// list form, held to App Runner's own tag rules (and nothing stricter) before any call; and
// behaviour 3: a reused connection gets only the missing or different tags, never a removal.

import { describe, expect, it } from 'vitest';

import { InputError } from '../../src/input-error.js';
import { parseTags, tagsToApply } from '../../src/tags.js';

/** The message parseTags rejects `raw` with; fails the test if it accepts it. */
function rejection(raw: string): string {
  try {
    parseTags(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error(`expected tags ${JSON.stringify(raw)} to be rejected`);
}

function lines(count: number): string {
  return Array.from({ length: count }, (_, index) => `key${index}=value${index}`).join('\n');
}

describe('tags as key=value lines', () => {
  it('reads one tag per line, in order', () => {
    expect(parseTags('team=platform\nenv=preview')).toEqual([
      { key: 'team', value: 'platform' },
      { key: 'env', value: 'preview' },
    ]);
  });

  it('splits at the first "=", so a value may contain "="', () => {
    expect(parseTags('query=a=b==c')).toEqual([{ key: 'query', value: 'a=b==c' }]);
  });

  it('ignores blank lines and lines starting with "#", even when indented', () => {
    expect(parseTags('# owners\n\nteam=platform\n   \n  # env follows\nenv=preview\n')).toEqual([
      { key: 'team', value: 'platform' },
      { key: 'env', value: 'preview' },
    ]);
  });

  it('keeps a "#" inside a value: only a line that starts with "#" is a comment', () => {
    expect(parseTags('ticket=#1234')).toEqual([{ key: 'ticket', value: '#1234' }]);
  });

  it('trims whitespace around the key and the value but keeps spaces inside them', () => {
    expect(parseTags('  cost center  =   research and development  ')).toEqual([
      { key: 'cost center', value: 'research and development' },
    ]);
  });

  it('allows an empty value', () => {
    expect(parseTags('reviewed=\nflag =  ')).toEqual([
      { key: 'reviewed', value: '' },
      { key: 'flag', value: '' },
    ]);
  });

  it('reads Windows line endings', () => {
    expect(parseTags('team=platform\r\nenv=preview\r\n')).toEqual([
      { key: 'team', value: 'platform' },
      { key: 'env', value: 'preview' },
    ]);
  });

  it('gives no tags for an empty or blank input', () => {
    expect(parseTags('')).toEqual([]);
    expect(parseTags(' \n \n')).toEqual([]);
    expect(parseTags('# only a comment')).toEqual([]);
  });

  it('rejects a line without "=", naming the input and the line', () => {
    expect(rejection('team=platform\njust-a-word')).toBe(
      `Input 'tags' line 2 must be key=value, or the whole input a JSON object (got "just-a-word").`,
    );
  });

  it('rejects an empty key', () => {
    expect(rejection('=platform')).toBe(`Input 'tags': a key must be 1-128 characters (got 0: "").`);
  });

  it('rejects a key given twice, naming it', () => {
    expect(rejection('env=preview\nteam=platform\nenv=production')).toBe(
      `Input 'tags' names the key "env" more than once; each key may appear once.`,
    );
  });

  it('rejects a key given twice that differs only in surrounding whitespace, which the lines trim', () => {
    expect(rejection('env=preview\n  env  =production')).toContain('"env" more than once');
  });

  it('treats keys as case-sensitive, as AWS does', () => {
    expect(parseTags('env=preview\nEnv=production')).toHaveLength(2);
  });
});

describe('tags as a JSON object: keys and values exactly as written', () => {
  it('reads each member as a tag, in order', () => {
    expect(parseTags('{"team": "platform", "env": "preview"}')).toEqual([
      { key: 'team', value: 'platform' },
      { key: 'env', value: 'preview' },
    ]);
  });

  it('reads an object spread over several lines, with whitespace around it', () => {
    expect(parseTags('\n  {\n    "team": "platform",\n    "reviewed": ""\n  }\n')).toEqual([
      { key: 'team', value: 'platform' },
      { key: 'reviewed', value: '' },
    ]);
  });

  it('reads a pretty-printed object whose key starts with ":"', () => {
    expect(parseTags('{"team": "a",\n  ":odd": "b"}')).toEqual([
      { key: 'team', value: 'a' },
      { key: ':odd', value: 'b' },
    ]);
  });

  it('does not take a ":" or "=" inside a value for a key', () => {
    expect(parseTags('{"url": "https://example.com:8443/a=b", "note": "x: y"}')).toEqual([
      { key: 'url', value: 'https://example.com:8443/a=b' },
      { key: 'note', value: 'x: y' },
    ]);
  });

  it('keeps whitespace inside the quotes: " env " is its own key, "  x " its own value', () => {
    expect(parseTags('{" env ": "  x ", "env": "y"}')).toEqual([
      { key: ' env ', value: '  x ' },
      { key: 'env', value: 'y' },
    ]);
  });

  it.each([
    ['an integer', '{"cost-center": 1234}', '1234'],
    ['a decimal as written', '{"ratio": 1.50}', '1.50'],
    ['an exponent as written', '{"big": 1e3}', '1e3'],
    ['a negative number', '{"offset": -7}', '-7'],
    ['true', '{"public": true}', 'true'],
    ['false', '{"public": false}', 'false'],
  ])('sends %s as its JSON text', (_case, raw, value) => {
    expect(parseTags(raw)[0]?.value).toBe(value);
  });

  it('gives no tags for an empty object', () => {
    expect(parseTags('{}')).toEqual([]);
  });

  it.each([
    ['{"team": "platform"', /line 1, column 20: expected "," or "}", found the end of the text/],
    ['{team: "platform"}', /line 1, column 2: expected a key in double quotes, found "t"/],
    ["{'team': 'platform'}", /expected a key in double quotes, found "'"/],
    ['{"team": "platform",}', /expected a key in double quotes, found "}"/],
    ['{"team": "plat\nform"}', /line 1, column 15: expected a character, not a line break/],
    ['{"a": "b"} trailing', /expected the end of the text, found "t"/],
  ])('rejects the invalid JSON %j, naming the input and where', (raw, where) => {
    const message = rejection(raw);
    expect(message).toMatch(/^Input 'tags' starts like JSON but is not valid JSON: /);
    expect(message).toMatch(where);
  });

  it.each([
    ['null', '{"owner": null}', 'the value of "owner" must be a string, a number or a boolean, not null.'],
    [
      'an object',
      '{"owner": {"team": "platform"}}',
      'the value of "owner" must be a string, a number or a boolean, not an object.',
    ],
    [
      'an array',
      '{"owners": ["a", "b"]}',
      'the value of "owners" must be a string, a number or a boolean, not an array.',
    ],
  ])('rejects a value that is %s, naming its key', (_case, raw, message) => {
    expect(rejection(raw)).toBe(`Input 'tags': ${message}`);
  });

  it.each(['42', 'null', 'true'])(
    'reads the bare JSON value %j as a key=value line, and says what is missing',
    (raw) => {
      // Only text that opens with { or [ is JSON; anything else is key=value lines.
      expect(rejection(raw)).toBe(
        `Input 'tags' line 1 must be key=value, or the whole input a JSON object (got "${raw}").`,
      );
    },
  );

  it('rejects a repeated key, although JSON.parse would silently keep the last', () => {
    expect(rejection('{"env": "preview", "team": "platform", "env": "production"}')).toBe(
      `Input 'tags' names the key "env" more than once; each key may appear once.`,
    );
  });

  it('rejects a repeated key written once with a Unicode escape', () => {
    expect(rejection('{"env": "preview", "\\u0065nv": "production"}')).toContain('"env" more than once');
  });

  it('rejects nesting deeper than any tags value needs, without exhausting the stack', () => {
    expect(rejection(`{"a": ${'['.repeat(100_000)}`)).toMatch(/expected at most 32 levels of nesting/);
  });
});

describe("tags in the AWS CLI's list form", () => {
  it('reads [{"Key": ..., "Value": ...}], as copied from aws ... --tags', () => {
    expect(parseTags('[{"Key": "env", "Value": "preview"}, {"Key": "team", "Value": "platform"}]')).toEqual([
      { key: 'env', value: 'preview' },
      { key: 'team', value: 'platform' },
    ]);
  });

  it('takes a missing Value as the empty value, and numbers and booleans as their text', () => {
    expect(parseTags('[{"Key": "reviewed"}, {"Key": "cost", "Value": 42}]')).toEqual([
      { key: 'reviewed', value: '' },
      { key: 'cost', value: '42' },
    ]);
  });

  it('gives no tags for an empty list', () => {
    expect(parseTags('[]')).toEqual([]);
  });

  it.each([
    [
      'an item that is not an object',
      '["team=platform"]',
      `Input 'tags' item 1 must be an object {"Key": "key", "Value": "value"}.`,
    ],
    ['an item without Key', '[{"Value": "x"}]', `Input 'tags' item 1 needs a "Key" that is a string.`],
    ['a Key that is not a string', '[{"Key": 7, "Value": "x"}]', `Input 'tags' item 1 needs a "Key" that is a string.`],
    [
      'a member in the wrong case',
      '[{"key": "env", "value": "x"}]',
      `Input 'tags' item 1 has the member "key"; an item has only "Key" and "Value".`,
    ],
    ['a Key given twice in one item', '[{"Key": "a", "Key": "b"}]', `Input 'tags' item 1 names "Key" more than once.`],
    [
      'a Value that is null',
      '[{"Key": "a", "Value": null}]',
      `Input 'tags': the "Value" of item 1 must be a string, a number or a boolean, not null.`,
    ],
  ])('rejects %s, naming the item', (_case, raw, message) => {
    expect(rejection(raw)).toBe(message);
  });

  it('rejects the same key in two items', () => {
    expect(rejection('[{"Key": "env", "Value": "a"}, {"Key": "env", "Value": "b"}]')).toContain('"env" more than once');
  });
});

describe("App Runner's tag rules, nothing stricter", () => {
  it('accepts 50 tags and rejects 51', () => {
    expect(parseTags(lines(50))).toHaveLength(50);
    expect(rejection(lines(51))).toBe(`Input 'tags' has 51 tags; App Runner allows at most 50.`);
  });

  it('counts tags in the JSON forms too', () => {
    const json = JSON.stringify(Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`k${index}`, 'v'])));
    expect(rejection(json)).toContain('has 51 tags');
  });

  it('accepts a key of 128 characters and rejects one of 129', () => {
    expect(parseTags(`${'k'.repeat(128)}=v`)[0]?.key).toHaveLength(128);
    expect(rejection(`${'k'.repeat(129)}=v`)).toContain(`Input 'tags': a key must be 1-128 characters (got 129`);
  });

  it('accepts a value of 256 characters and rejects one of 257', () => {
    expect(parseTags(`k=${'v'.repeat(256)}`)[0]?.value).toHaveLength(256);
    expect(rejection(`k=${'v'.repeat(257)}`)).toBe(
      `Input 'tags': the value of "k" must be at most 256 characters (got 257).`,
    );
  });

  it('counts characters as the service model does (Unicode scalar values), not UTF-16 units', () => {
    // 🚀 is one character and two UTF-16 code units.
    expect(parseTags(`k=${'🚀'.repeat(256)}`)[0]?.value).toHaveLength(512);
    expect(rejection(`k=${'🚀'.repeat(257)}`)).toContain('(got 257)');
    expect(parseTags(`${'🚀'.repeat(128)}=v`)).toHaveLength(1);
  });

  it('rejects the aws: prefix, which App Runner reserves', () => {
    expect(rejection('aws:owner=me')).toBe(
      `Input 'tags': the key "aws:owner" starts with 'aws:', which AWS reserves for its own tags.`,
    );
  });

  it.each(['AWS:owner', 'Aws:Owner'])(
    "passes %j on: App Runner's pattern ^(?!aws:).+ is case-sensitive, and AWS answers for itself",
    (key) => {
      expect(parseTags(`${key}=me`)).toEqual([{ key, value: 'me' }]);
    },
  );

  it('accepts "aws" elsewhere in a key', () => {
    expect(parseTags('my-aws:owner=me\naws=yes')).toHaveLength(2);
  });

  it.each([
    ['spaces and parentheses', 'owner', 'Jane Doe (Platform)'],
    ['commas', 'list', 'a,b,c'],
    ['a URL with ? and &', 'url', 'https://example.com/x?y=1&z=2'],
    ['"#"', 'ticket', '#1234'],
    ['an emoji', 'mood', 'ship it 🚀'],
    ['markup', 'html', '<b>bold</b> | `code` [link](http://a.b)'],
    ['a newline (JSON only)', 'note', 'line one\nline two'],
    ['a value that begins with "::"', 'note', '::warning::looks like a workflow command'],
    ['quotes and backslashes', 'q', 'say "hi" \\ bye'],
    ['non-Latin letters', 'チーム', 'платформа'],
  ])('accepts %s', (_case, key, value) => {
    expect(parseTags(JSON.stringify({ [key]: value }))).toEqual([{ key, value }]);
  });

  it.each(['\nkey', '\rkey', '\u2028key'])('rejects a key that starts with a line break (%j)', (key) => {
    expect(rejection(JSON.stringify({ [key]: 'v' }))).toMatch(/must not start with a line break/);
  });

  it('rejects an unpaired surrogate, which is not a character', () => {
    expect(rejection('{"k": "\\ud800"}')).toMatch(/holds an unpaired surrogate/);
  });

  it('keeps a rejected value on one line in the message', () => {
    expect(rejection(JSON.stringify({ ['k\n'.repeat(100)]: 'v' })).split('\n')).toHaveLength(1);
  });
});

describe('tagsToApply: only the missing or different tags, never a removal', () => {
  const current = (tags: Record<string, string>) => new Map(Object.entries(tags));

  const wanted = [
    { key: 'team', value: 'platform' },
    { key: 'env', value: 'preview' },
    { key: 'cost-center', value: '42' },
  ];

  it('returns the tags the connection lacks', () => {
    expect(tagsToApply(wanted, current({ team: 'platform' }))).toEqual([
      { key: 'env', value: 'preview' },
      { key: 'cost-center', value: '42' },
    ]);
  });

  it('returns the tags the connection holds with another value', () => {
    expect(tagsToApply(wanted, current({ team: 'platform', env: 'production', 'cost-center': '42' }))).toEqual([
      { key: 'env', value: 'preview' },
    ]);
  });

  it('returns nothing when every tag is already there with its value', () => {
    expect(
      tagsToApply(wanted, current({ team: 'platform', env: 'preview', 'cost-center': '42', extra: 'kept' })),
    ).toEqual([]);
  });

  it('never names a tag the input does not name, so nothing is removed', () => {
    const changes = tagsToApply([{ key: 'team', value: 'platform' }], current({ owner: 'alice', env: 'preview' }));
    expect(changes).toEqual([{ key: 'team', value: 'platform' }]);
    expect(tagsToApply([], current({ owner: 'alice' }))).toEqual([]);
  });

  it('tells an empty value from a missing tag', () => {
    expect(tagsToApply([{ key: 'reviewed', value: '' }], current({}))).toEqual([{ key: 'reviewed', value: '' }]);
    expect(tagsToApply([{ key: 'reviewed', value: '' }], current({ reviewed: '' }))).toEqual([]);
  });

  it('compares keys case-sensitively', () => {
    expect(tagsToApply([{ key: 'Env', value: 'preview' }], current({ env: 'preview' }))).toEqual([
      { key: 'Env', value: 'preview' },
    ]);
  });

  it('applies a key that shares its name with an Object property', () => {
    const keys = [
      { key: 'constructor', value: 'x' },
      { key: 'toString', value: 'y' },
    ];
    expect(tagsToApply(keys, current({}))).toEqual(keys);
  });
});
