// A strict JSON parser (RFC 8259, the grammar JSON.parse accepts) that keeps what JSON.parse
// loses: every member of an object in order, repeated keys included, and each number and
// boolean as written. The `tags` input needs both: a repeated key is an error, and
// `{"cost-center": 1234}` means the tag value `1234`.

export type JsonValue =
  | { readonly kind: 'object'; readonly members: readonly JsonMember[] }
  | { readonly kind: 'array'; readonly items: readonly JsonValue[] }
  | { readonly kind: 'string'; readonly value: string }
  /** Numbers and booleans keep their text: `1.50`, `true`. */
  | { readonly kind: 'number' | 'boolean'; readonly text: string }
  | { readonly kind: 'null' };

export interface JsonMember {
  readonly key: string;
  readonly value: JsonValue;
}

/** Where and why the text is not JSON. */
export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
}

// Deeper nesting than a tags value ever needs is refused before it can exhaust the stack.
const MAX_DEPTH = 32;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

export function parseJson(text: string): JsonValue {
  let at = 0;

  const fail = (expected: string): never => {
    const before = text.slice(0, at).split('\n');
    const where = `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
    const found = at < text.length ? JSON.stringify(Array.from(text.slice(at))[0]) : 'the end of the text';
    throw new JsonSyntaxError(`${where}: expected ${expected}, found ${found}`);
  };
  const skipSpace = () => {
    while (at < text.length && ' \t\n\r'.includes(text.charAt(at))) at += 1;
  };
  const take = (char: string, expected = JSON.stringify(char)) => {
    skipSpace();
    if (text[at] !== char) fail(expected);
    at += 1;
  };

  const value = (depth: number): JsonValue => {
    skipSpace();
    const char = text[at];
    if (char === '{' || char === '[') {
      if (depth >= MAX_DEPTH) fail(`at most ${MAX_DEPTH} levels of nesting`);
      return char === '{' ? object(depth + 1) : array(depth + 1);
    }
    if (char === '"') return { kind: 'string', value: string() };
    for (const word of ['true', 'false', 'null'] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return word === 'null' ? { kind: 'null' } : { kind: 'boolean', text: word };
      }
    }
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(text)?.[0];
    if (!number) return fail('a value');
    at += number.length;
    return { kind: 'number', text: number };
  };

  const object = (depth: number): JsonValue => {
    at += 1;
    const members: JsonMember[] = [];
    skipSpace();
    if (text[at] === '}') {
      at += 1;
      return { kind: 'object', members };
    }
    for (;;) {
      skipSpace();
      if (text[at] !== '"') fail('a key in double quotes');
      const key = string();
      take(':');
      members.push({ key, value: value(depth) });
      skipSpace();
      if (text[at] === '}') {
        at += 1;
        return { kind: 'object', members };
      }
      take(',', '"," or "}"');
    }
  };

  const array = (depth: number): JsonValue => {
    at += 1;
    const items: JsonValue[] = [];
    skipSpace();
    if (text[at] === ']') {
      at += 1;
      return { kind: 'array', items };
    }
    for (;;) {
      items.push(value(depth));
      skipSpace();
      if (text[at] === ']') {
        at += 1;
        return { kind: 'array', items };
      }
      take(',', '"," or "]"');
    }
  };

  const string = (): string => {
    at += 1;
    let result = '';
    for (;;) {
      const char = text[at];
      if (char === undefined) return fail('a closing double quote');
      if (char === '"') {
        at += 1;
        return result;
      }
      if (char < ' ')
        return fail('a character, not a line break or control character, inside a string (write it as \\n, \\t, ...)');
      if (char !== '\\') {
        result += char;
        at += 1;
        continue;
      }
      const escape = text[at + 1] ?? '';
      if (escape === 'u') {
        const hex = text.slice(at + 2, at + 6);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) {
          at += 2;
          return fail('four hexadecimal digits after \\u');
        }
        result += String.fromCharCode(parseInt(hex, 16));
        at += 6;
      } else if (Object.hasOwn(ESCAPES, escape)) {
        result += ESCAPES[escape];
        at += 2;
      } else {
        at += 1;
        return fail('an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX) after the backslash');
      }
    }
  };

  const parsed = value(0);
  skipSpace();
  if (at < text.length) fail('the end of the text');
  return parsed;
}
