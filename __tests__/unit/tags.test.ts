// The `tags` input (DESIGN inputs table): key=value lines or a JSON object, held to
// AWS's tag rules before any call; and behaviour 3: a reused connection gets only the
// missing or different tags, never a removal.

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
    expect(rejection('=platform')).toBe(`Input 'tags': a key must be 1-128 characters (got "").`);
  });

  it('rejects a key given twice, naming it', () => {
    expect(rejection('env=preview\nteam=platform\nenv=production')).toBe(
      `Input 'tags' names the key "env" more than once; each key may appear once.`,
    );
  });

  it('rejects a key given twice that differs only in surrounding whitespace', () => {
    expect(rejection('env=preview\n  env  =production')).toContain('"env" more than once');
  });

  it('treats keys as case-sensitive, as AWS does', () => {
    expect(parseTags('env=preview\nEnv=production')).toHaveLength(2);
  });
});

describe('tags as a JSON object', () => {
  it('reads each property as a tag, in order', () => {
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

  it('does not take a ":" or "=" inside a value for a key', () => {
    expect(parseTags('{"url": "https://example.com:8443/a=b", "note": "x: y"}')).toEqual([
      { key: 'url', value: 'https://example.com:8443/a=b' },
      { key: 'note', value: 'x: y' },
    ]);
  });

  it('gives no tags for an empty object', () => {
    expect(parseTags('{}')).toEqual([]);
  });

  it.each(['{"team": "platform"', '{team: "platform"}', "{'team': 'platform'}", '{"team": "platform",}'])(
    'rejects the invalid JSON %j, naming the input',
    (raw) => {
      expect(rejection(raw)).toMatch(/^Input 'tags' is not valid JSON: /);
    },
  );

  it.each(['["team=platform"]', '[{"team": "platform"}]', '"team=platform"', '42', 'null'])(
    'rejects the JSON value %j, which is not an object, naming the input',
    (raw) => {
      expect(rejection(raw)).toMatch(/^Input 'tags'/);
    },
  );

  it('answers a JSON array with the JSON rule, not as a malformed key=value line', () => {
    expect(rejection('["team=platform"]')).toBe(`Input 'tags' in JSON must be an object of "key": "value" pairs.`);
  });

  it.each([
    ['a number', '{"replicas": 3}'],
    ['a boolean', '{"public": true}'],
    ['null', '{"owner": null}'],
    ['an object', '{"owner": {"team": "platform"}}'],
    ['an array', '{"owners": ["a", "b"]}'],
  ])('rejects a value that is %s, naming its key', (_case, raw) => {
    const key = Object.keys(JSON.parse(raw) as object)[0];
    expect(rejection(raw)).toBe(`Input 'tags': the value of "${key}" must be a string.`);
  });

  it('rejects a repeated key, although JSON.parse would silently keep the last', () => {
    expect(rejection('{"env": "preview", "team": "platform", "env": "production"}')).toBe(
      `Input 'tags' names the key "env" more than once; each key may appear once.`,
    );
  });

  it('rejects a repeated key written once with a Unicode escape', () => {
    expect(rejection('{"env": "preview", "\\u0065nv": "production"}')).toContain('"env" more than once');
  });

  it('rejects a repeated key that differs only in surrounding whitespace', () => {
    expect(rejection('{"env": "preview", " env ": "production"}')).toContain('"env" more than once');
  });
});

describe('AWS tag rules: count, lengths, reserved prefix and characters', () => {
  it('accepts 50 tags', () => {
    expect(parseTags(lines(50))).toHaveLength(50);
  });

  it('rejects 51 tags', () => {
    expect(rejection(lines(51))).toBe(`Input 'tags' has 51 tags; AWS allows at most 50.`);
  });

  it('counts tags in the JSON form too', () => {
    const json = JSON.stringify(Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`k${index}`, 'v'])));
    expect(rejection(json)).toContain('has 51 tags');
  });

  it('accepts a key of 128 characters and rejects one of 129', () => {
    expect(parseTags(`${'k'.repeat(128)}=v`)[0]?.key).toHaveLength(128);
    expect(rejection(`${'k'.repeat(129)}=v`)).toContain(`Input 'tags': a key must be 1-128 characters`);
  });

  it('accepts a value of 256 characters and rejects one of 257', () => {
    expect(parseTags(`k=${'v'.repeat(256)}`)[0]?.value).toHaveLength(256);
    expect(rejection(`k=${'v'.repeat(257)}`)).toBe(
      `Input 'tags': the value of "k" must be at most 256 characters (got 257).`,
    );
  });

  it.each(['aws:owner', 'AWS:owner', 'Aws:Owner', 'aWs:owner'])(
    'rejects the key %j, whose prefix AWS reserves in any letter case',
    (key) => {
      expect(rejection(`${key}=me`)).toContain(`starts with 'aws:', which AWS reserves`);
    },
  );

  it('accepts "aws" elsewhere in a key', () => {
    expect(parseTags('my-aws:owner=me\naws=yes')).toHaveLength(2);
  });

  it.each([
    ['letters, digits and spaces', 'Cost Center 42', 'Team 7'],
    ['every allowed symbol', 'a_b.c:d/e=f+g-h@i', '_.:/=+-@'],
    ['accented letters', 'propriétaire', 'équipe données'],
    ['non-Latin letters', 'チーム', 'платформа'],
    ['a value that begins with "::"', 'note', '::warning::looks like a workflow command'],
    ['a value with "@", as in an email', 'owner', 'dev@example.com'],
  ])('accepts %s', (_case, key, value) => {
    expect(parseTags(JSON.stringify({ [key]: value }))).toEqual([{ key, value }]);
  });

  const disallowed = [
    ['"<"', '<script>'],
    ['">"', 'a>b'],
    ['a double quote', 'say "hi"'],
    ['a backtick', 'run `id`'],
    ['"|"', 'a|b'],
    ['a newline', 'line one\nline two'],
    ['a tab', 'a\tb'],
    ['an emoji', 'ship it 🚀'],
    ['"#"', 'issue#1'],
    ['"$"', '$HOME'],
    ['"&"', 'a&b'],
    ['"%"', '100%'],
  ] as const;

  it.each(disallowed)('rejects %s in a key', (_case, text) => {
    expect(rejection(JSON.stringify({ [text]: 'v' }))).toMatch(
      /^Input 'tags': the key .* may contain only letters, digits, spaces and _ \. : \/ = \+ - @\.$/,
    );
  });

  it.each(disallowed)('rejects %s in a value, naming its key', (_case, text) => {
    expect(rejection(JSON.stringify({ owner: text }))).toMatch(
      /^Input 'tags': the value of "owner" may contain only letters, digits, spaces and _ \. : \/ = \+ - @ \(got .*\)\.$/,
    );
  });

  it('rejects a disallowed character in the key=value form too', () => {
    expect(rejection('owner=<img src=x onerror=alert(1)>')).toContain('the value of "owner" may contain only');
  });

  it('keeps a rejected value on one line in the message', () => {
    expect(rejection(JSON.stringify({ owner: 'a\nb' })).split('\n')).toHaveLength(1);
  });
});

describe('tagsToApply: only the missing or different tags, never a removal', () => {
  const wanted = [
    { key: 'team', value: 'platform' },
    { key: 'env', value: 'preview' },
    { key: 'cost-center', value: '42' },
  ];

  it('returns the tags the connection lacks', () => {
    expect(tagsToApply(wanted, { team: 'platform' })).toEqual([
      { key: 'env', value: 'preview' },
      { key: 'cost-center', value: '42' },
    ]);
  });

  it('returns the tags the connection holds with another value', () => {
    expect(tagsToApply(wanted, { team: 'platform', env: 'production', 'cost-center': '42' })).toEqual([
      { key: 'env', value: 'preview' },
    ]);
  });

  it('returns nothing when every tag is already there with its value', () => {
    expect(tagsToApply(wanted, { team: 'platform', env: 'preview', 'cost-center': '42', extra: 'kept' })).toEqual([]);
  });

  it('never names a tag the input does not name, so nothing is removed', () => {
    const changes = tagsToApply([{ key: 'team', value: 'platform' }], { owner: 'alice', env: 'preview' });
    expect(changes).toEqual([{ key: 'team', value: 'platform' }]);
    expect(tagsToApply([], { owner: 'alice' })).toEqual([]);
  });

  it('tells an empty value from a missing tag', () => {
    expect(tagsToApply([{ key: 'reviewed', value: '' }], {})).toEqual([{ key: 'reviewed', value: '' }]);
    expect(tagsToApply([{ key: 'reviewed', value: '' }], { reviewed: '' })).toEqual([]);
  });

  it('compares keys case-sensitively', () => {
    expect(tagsToApply([{ key: 'Env', value: 'preview' }], { env: 'preview' })).toEqual([
      { key: 'Env', value: 'preview' },
    ]);
  });

  it('applies a key that shares its name with an Object property', () => {
    const keys = [
      { key: 'constructor', value: 'x' },
      { key: 'toString', value: 'y' },
    ];
    expect(tagsToApply(keys, {})).toEqual(keys);
  });
});
