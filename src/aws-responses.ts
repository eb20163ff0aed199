// The one boundary between App Runner's responses and the action: every SDK output the action uses
// is checked here and turned into a model value, or rejected as malformed (operation and field).
// Nothing downstream reads an SDK shape. Only types come from the SDK: this module loads none of it.

import type {
  CreateConnectionResponse,
  ListConnectionsResponse,
  ListTagsForResourceResponse,
} from '@aws-sdk/client-apprunner';

import { MalformedResponse } from './errors.js';
import {
  type AccountConnection,
  CONNECTION_NAME,
  CONNECTION_STATUSES,
  type Connection,
  type ConnectionStatus,
  PROVIDER_TYPES,
  type ProviderType,
} from './model.js';
import { truncate } from './text.js';

/** What a response must describe: the connection of this name, in this Region. */
interface Expected {
  readonly name: string;
  readonly region: string;
}

type Fields = Readonly<Record<string, unknown>>;

const LIST = 'ListConnections';
// The App Runner API reference: ARNs are at most 1011 characters; NextToken 1-1024.
const MAX_ARN_LENGTH = 1011;
const MAX_NEXT_TOKEN_LENGTH = 1024;

/** The live (not DELETED) connection named exactly as expected, if this page of ListConnections has it. */
export function matchingConnection(page: ListConnectionsResponse, expected: Expected): Connection | undefined {
  // The name filter may list other connections too: only the exact name counts.
  const live = summaries(page)
    .filter(({ name }) => name === expected.name)
    .map(({ summary, field }) => toConnection(summary, LIST, field, expected))
    .filter((connection) => connection.status !== 'DELETED');
  if (live.length > 1) {
    throw new MalformedResponse(
      LIST,
      'ConnectionSummaryList',
      `lists ${live.length} live connections named ${expected.name}`,
    );
  }
  return live[0];
}

/** A page of ListConnections without a name filter: the account's live connections in `region`. */
export function accountConnections(page: ListConnectionsResponse, region: string): AccountConnection[] {
  return summaries(page).flatMap(({ summary, field, name }) => {
    if (!CONNECTION_NAME.test(name)) {
      throw new MalformedResponse(LIST, `${field}.ConnectionName`, found(name, 'a connection name'));
    }
    const connection = toConnection(summary, LIST, field, { name, region });
    const createdAt = summary['CreatedAt'];
    if (createdAt !== undefined && !(createdAt instanceof Date && !Number.isNaN(createdAt.getTime()))) {
      throw new MalformedResponse(LIST, `${field}.CreatedAt`, found(createdAt, 'a time'));
    }
    return connection.status === 'DELETED' ? [] : [{ ...connection, createdAt }];
  });
}

/** The page's NextToken, checked: a string of App Runner's lengths, or absent. */
export function nextToken(page: ListConnectionsResponse): string | undefined {
  const token = record(page, LIST, 'the response')['NextToken'];
  if (token === undefined) return undefined;
  if (typeof token !== 'string' || token.length < 1 || token.length > MAX_NEXT_TOKEN_LENGTH) {
    throw new MalformedResponse(LIST, 'NextToken', found(token, 'a token of 1-1024 characters'));
  }
  return token;
}

/** The entries of a ListConnections page, each an object with a string name. */
function summaries(page: ListConnectionsResponse): { summary: Fields; field: string; name: string }[] {
  nextToken(page);
  const list = record(page, LIST, 'the response')['ConnectionSummaryList'];
  if (!Array.isArray(list)) throw new MalformedResponse(LIST, 'ConnectionSummaryList', found(list, 'a list'));
  return list.map((item: unknown, index) => {
    const field = `ConnectionSummaryList[${index}]`;
    const summary = record(item, LIST, field);
    const name = summary['ConnectionName'];
    if (typeof name !== 'string') throw new MalformedResponse(LIST, `${field}.ConnectionName`, found(name, 'a name'));
    return { summary, field, name };
  });
}

export function createdConnection(
  response: CreateConnectionResponse,
  expected: Expected & { readonly providerType: ProviderType },
): Connection {
  const operation = 'CreateConnection';
  const fields = record(record(response, operation, 'the response')['Connection'], operation, 'Connection');
  const connection = toConnection(fields, operation, 'Connection', expected);
  if (connection.providerType !== expected.providerType) {
    const problem = `is ${connection.providerType}, not the ${expected.providerType} that was asked for`;
    throw new MalformedResponse(operation, 'Connection.ProviderType', problem);
  }
  return connection;
}

/** A resource's tags, key to value. */
export function resourceTags(response: ListTagsForResourceResponse): Map<string, string> {
  const operation = 'ListTagsForResource';
  const tags = record(response, operation, 'the response')['Tags'] ?? [];
  if (!Array.isArray(tags)) throw new MalformedResponse(operation, 'Tags', found(tags, 'a list'));
  return new Map(
    tags.map((item: unknown, index) => {
      const tag = record(item, operation, `Tags[${index}]`);
      const { Key: key, Value: value = '' } = tag;
      if (typeof key !== 'string') throw new MalformedResponse(operation, `Tags[${index}].Key`, found(key, 'a string'));
      if (typeof value !== 'string') {
        throw new MalformedResponse(operation, `Tags[${index}].Value`, found(value, 'a string'));
      }
      return [key, value];
    }),
  );
}

function toConnection(fields: Fields, operation: string, field: string, expected: Expected): Connection {
  const { ConnectionName: name, ConnectionArn: arn, ProviderType: provider, Status: status } = fields;
  if (name !== expected.name) {
    throw new MalformedResponse(operation, `${field}.ConnectionName`, found(name, `the requested ${expected.name}`));
  }
  if (typeof arn !== 'string' || arn.length > MAX_ARN_LENGTH || !connectionArn(expected).test(arn)) {
    const wanted = `the ARN of an App Runner connection named ${expected.name} in ${expected.region}`;
    throw new MalformedResponse(operation, `${field}.ConnectionArn`, found(arn, wanted));
  }
  if (!CONNECTION_STATUSES.includes(status as ConnectionStatus)) {
    throw new MalformedResponse(
      operation,
      `${field}.Status`,
      found(status, `one of ${CONNECTION_STATUSES.join(', ')}`),
    );
  }
  if (!PROVIDER_TYPES.includes(provider as ProviderType)) {
    throw new MalformedResponse(
      operation,
      `${field}.ProviderType`,
      found(provider, `one of ${PROVIDER_TYPES.join(', ')}`),
    );
  }
  return { name: expected.name, arn, providerType: provider as ProviderType, status: status as ConnectionStatus };
}

/** `arn:<partition>:apprunner:<region>:<account>:connection/<name>/<id>`. */
function connectionArn({ name, region }: Expected): RegExp {
  // Names are [A-Za-z0-9_-] and regions [a-z0-9-]: neither needs escaping in a pattern.
  return new RegExp(`^arn:aws(?:-[a-z]+)*:apprunner:${region}:\\d{12}:connection/${name}/[A-Za-z0-9]+$`);
}

function record(value: unknown, operation: string, field: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedResponse(operation, field, found(value, 'an object'));
  }
  return value as Fields;
}

/** What was found instead of what was expected, short: `is 5, not a name`. */
function found(value: unknown, expected: string): string {
  if (value === undefined) return `is missing (expected ${expected})`;
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  return `is ${truncate(shown, 80)}, not ${expected}`;
}
