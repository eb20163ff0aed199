// Behaviour 11: App Runner's responses are checked at one boundary (exact name, an App Runner connection ARN of
// the Region, a known status and provider); anything else is a malformed-response problem naming operation and field.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  accountConnections,
  createdConnection,
  matchingConnection,
  nextToken,
  resourceTags,
} from '../../src/aws-responses.js';
import { ProblemError } from '../../src/errors.js';

const EXPECTED = { name: 'my-conn', region: 'eu-west-1' };
const ARN = 'arn:aws:apprunner:eu-west-1:123456789012:connection/my-conn/0123456789abcdef0123456789abcdef';
const SUMMARY = { ConnectionName: 'my-conn', ConnectionArn: ARN, ProviderType: 'GITHUB', Status: 'AVAILABLE' };
const CONNECTION = { name: 'my-conn', arn: ARN, providerType: 'GITHUB', status: 'AVAILABLE' };

// A response as a hostile endpoint sends it, which the SDK's types would refuse.
const list = (response: unknown) => matchingConnection(response as never, EXPECTED);
const listed = (...entries: unknown[]) => list({ ConnectionSummaryList: entries });

/** What `read` refuses, as a malformed-response problem reads: `Operation: field problem`. */
function refusal(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    const problem = error instanceof ProblemError ? error.problem : undefined;
    if (problem?.kind === 'malformed-response') return `${problem.operation}: ${problem.field} ${problem.problem}`;
    throw error;
  }
  throw new Error('expected a malformed response');
}

describe('ListConnections: the live connection of exactly the requested name', () => {
  it('takes the exact name among the others a lax name filter lists, even malformed ones it does not use', () => {
    const prefixed = { ConnectionName: 'my-conn-2', ConnectionArn: 5, Status: 'WHATEVER' };
    expect(listed(prefixed, { ...SUMMARY, ConnectionName: 'MY-CONN' }, SUMMARY)).toEqual(CONNECTION);
    expect(listed(prefixed)).toBeUndefined();
  });

  it('counts a DELETED connection of the name as absent, and takes the live one beside it', () => {
    const deleted = { ...SUMMARY, ConnectionArn: ARN.replace('0123', 'ffff'), Status: 'DELETED' };
    expect(listed(deleted, SUMMARY)).toEqual(CONNECTION);
    expect(listed(deleted)).toBeUndefined();
  });

  it('gives the page token as it is (up to 1024 characters), and undefined on the last page', () => {
    expect(nextToken({ ConnectionSummaryList: [], NextToken: 'page-2' })).toBe('page-2');
    expect(nextToken({ ConnectionSummaryList: [], NextToken: 'n'.repeat(1024) })).toHaveLength(1024);
    expect(nextToken({ ConnectionSummaryList: [] })).toBeUndefined();
  });

  it.each([
    ['another partition', ARN.replace('arn:aws:', 'arn:aws-us-gov:')],
    ['the China partition', ARN.replace('arn:aws:', 'arn:aws-cn:')],
    ['an id of another length', ARN.replace(/\/[0-9a-f]+$/, '/abc123')],
  ])('accepts an ARN of %s', (_case, arn) => {
    expect(listed({ ...SUMMARY, ConnectionArn: arn })?.arn).toBe(arn);
  });

  // Each refusal names the operation and the field: `ListConnections: <field> <problem>`.
  it.each([
    ['the response is null', null, 'the response is null, not an object'],
    ['the list is missing', {}, 'ConnectionSummaryList is missing (expected a list)'],
    ['the list is an object', { ConnectionSummaryList: {} }, 'ConnectionSummaryList is {}, not a list'],
    ['an entry is null', { ConnectionSummaryList: [null] }, 'ConnectionSummaryList[0] is null, not an object'],
    ['an entry is text', { ConnectionSummaryList: ['my-conn'] }, 'ConnectionSummaryList[0] is "my-conn", not an'],
    ['any name is a number', { ConnectionSummaryList: [{ ConnectionName: 1 }] }, '[0].ConnectionName is 1, not'],
    ['two live ones share the name', { ConnectionSummaryList: [SUMMARY, SUMMARY] }, 'List lists 2 live connections'],
    ['the token is a number', { ConnectionSummaryList: [], NextToken: 7 }, 'NextToken is 7, not a token of 1-1024'],
    ['the token is empty', { ConnectionSummaryList: [], NextToken: '' }, 'NextToken is "", not a token'],
    ['the token is too long', { ConnectionSummaryList: [], NextToken: 'n'.repeat(1025) }, 'characters), not a token'],
  ])('refuses a response where %s', (_case, response, detail) => {
    const error = refusal(() => list(response));
    expect(error).toMatch(/^ListConnections: /);
    expect(error).toContain(detail);
  });

  it.each([
    ['the ARN is missing', { ConnectionArn: undefined }, 'ConnectionArn is missing (expected the ARN of an App'],
    ['the ARN is of another service', { ConnectionArn: ARN.replace('apprunner', 'codestar') }, 'ConnectionArn is'],
    ['the ARN is of another Region', { ConnectionArn: ARN.replace('eu-west-1', 'us-east-1') }, 'ConnectionArn is'],
    ['the ARN names another connection', { ConnectionArn: ARN.replace('/my-conn/', '/other/') }, 'ConnectionArn is'],
    ['the ARN has a line after it', { ConnectionArn: `${ARN}\n::warning::x` }, 'ConnectionArn is'],
    ['the ARN is too long', { ConnectionArn: ARN + 'a'.repeat(1011) }, 'ConnectionArn is'],
    ['the status is missing', { Status: undefined }, 'Status is missing (expected one of PENDING_HANDSHAKE,'],
    ['the status is unknown', { Status: 'PENDING' }, 'Status is "PENDING", not one of'],
    ['the status is lower case', { Status: 'available' }, 'Status is "available", not one of'],
    ['the provider is unknown', { ProviderType: 'GITLAB' }, 'ProviderType is "GITLAB", not one of GITHUB, BITBUCKET'],
  ])('refuses the requested connection when %s, naming the field', (_case, change, detail) => {
    const error = refusal(() => listed({ ...SUMMARY, ...change }));
    expect(error.startsWith(`ListConnections: ConnectionSummaryList[0].${detail.split(' ')[0]} `)).toBe(true);
    expect(error).toContain(detail);
    expect(error).not.toMatch(/[\r\n]/);
    if (detail.endsWith(' is'))
      expect(error).toContain(', not the ARN of an App Runner connection named my-conn in eu-west-1');
  });

  it('shows a long bad value truncated, on one line', () => {
    const error = refusal(() => listed({ ...SUMMARY, Status: `${'S'.repeat(5_000)}\n${'T'.repeat(5_000)}` }));
    expect(error.length).toBeLessThan(250);
    expect(error).toMatch(/S+\.\.\. \(\d+ more characters\), not one of/);
    expect(error).not.toMatch(/[\r\n]/);
  });

  it('throws nothing but a malformed-response problem, whatever the response', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (response) => {
        try {
          list(response);
          list({ ConnectionSummaryList: [response] });
        } catch (error) {
          return error instanceof ProblemError && error.problem.kind === 'malformed-response';
        }
        return true;
      }),
      { numRuns: 300 },
    );
  }, 30_000);
});

describe('ListConnections without a name filter: the account’s live connections in the Region', () => {
  const arn = (name: string) => ARN.replace('/my-conn/', `/${name}/`);
  const entry = (name: string, more = {}) => ({ ...SUMMARY, ConnectionName: name, ConnectionArn: arn(name), ...more });
  const account = (...entries: unknown[]) =>
    accountConnections({ ConnectionSummaryList: entries } as never, 'eu-west-1');

  it('lists every live connection with its creation time, leaving DELETED ones out', () => {
    const CreatedAt = new Date('2026-01-05T00:00:00Z');
    const listed = account(entry('main', { CreatedAt }), entry('gone', { Status: 'DELETED' }), entry('undated'));
    expect(listed).toEqual([
      { ...CONNECTION, name: 'main', arn: arn('main'), createdAt: CreatedAt },
      { ...CONNECTION, name: 'undated', arn: arn('undated'), createdAt: undefined },
    ]);
  });

  it.each([
    ['a name no connection can have', entry('a b'), '[0].ConnectionName is "a b", not a connection name'],
    ['a creation time that is text', entry('ab-c', { CreatedAt: 'yesterday' }), '[0].CreatedAt is "yesterday", not'],
    ['a creation time that is no time', entry('ab-c', { CreatedAt: new Date(NaN) }), '[0].CreatedAt is null, not'],
    ['a connection of another Region', entry('ab-c', { ConnectionArn: ARN.replace('eu-', 'us-') }), 'Arn is'],
  ])('refuses %s', (_case, summary, detail) => {
    expect(refusal(() => account(summary))).toMatch(/^ListConnections: ConnectionSummaryList\[0\]\./);
    expect(refusal(() => account(summary))).toContain(detail);
  });
});

describe('CreateConnection: the connection that was asked for', () => {
  const created = (response: unknown, providerType: 'GITHUB' | 'BITBUCKET' = 'GITHUB') =>
    createdConnection(response as never, { ...EXPECTED, providerType });

  it('gives the new connection', () => {
    const pending = { ...CONNECTION, status: 'PENDING_HANDSHAKE' };
    expect(created({ Connection: { ...SUMMARY, Status: 'PENDING_HANDSHAKE' } })).toEqual(pending);
  });

  it.each([
    ['no connection', undefined, 'Connection is missing (expected an object)'],
    ['another name', { ...SUMMARY, ConnectionName: 'other' }, 'ConnectionName is "other", not the requested my-conn'],
    ['no ARN', { ...SUMMARY, ConnectionArn: null }, 'ConnectionArn is null, not the ARN of an App Runner connection'],
    ['another provider', { ...SUMMARY, ProviderType: 'BITBUCKET' }, 'ProviderType is BITBUCKET, not the GITHUB that'],
  ])('refuses a response with %s', (_case, connection, detail) => {
    expect(refusal(() => created({ Connection: connection }))).toMatch(/^CreateConnection: Connection/);
    expect(refusal(() => created({ Connection: connection }))).toContain(detail);
  });
});

describe('ListTagsForResource: the tags, key to value', () => {
  const tags = (response: unknown) => resourceTags(response as never);

  it('gives the tags as a map, a missing value as empty, a missing list as no tags', () => {
    expect(Object.fromEntries(tags({ Tags: [{ Key: 'k', Value: 'v' }, { Key: 'flag' }] }))).toEqual({
      k: 'v',
      flag: '',
    });
    expect(tags({})).toEqual(new Map());
  });

  it.each([
    ['a list that is text', { Tags: 'team=a' }, 'Tags is "team=a", not a list'],
    ['a tag that is null', { Tags: [null] }, 'Tags[0] is null, not an object'],
    ['a key that is a number', { Tags: [{ Key: 1, Value: 'a' }] }, 'Tags[0].Key is 1, not a string'],
    ['a value that is an object', { Tags: [{ Key: 'k', Value: {} }] }, 'Tags[0].Value is {}, not a string'],
  ])('refuses %s', (_case, response, detail) => {
    expect(refusal(() => tags(response))).toBe(`ListTagsForResource: ${detail}`);
  });
});
