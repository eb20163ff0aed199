// The one boundary where App Runner's responses are checked and turned into model values (or refused as malformed).

import type {
  CreateConnectionResponse,
  ListConnectionsResponse,
  ListTagsForResourceResponse,
} from '@aws-sdk/client-apprunner';

import { malformedResponse } from './errors.js';
import * as model from './model.js';
import type { AccountConnection, Connection, ConnectionStatus, ProviderType } from './model.js';
import { truncate } from './text.js';

type Expected = { readonly name: string; readonly region: string };

type Fields = Readonly<Record<string, unknown>>;

const LIST = 'ListConnections';

export function matchingConnection(page: ListConnectionsResponse, expected: Expected): Connection | undefined {
  // The name filter may list other connections too: only the exact name counts.
  const live = summaries(page)
    .filter(([, , name]) => name === expected.name)
    .map(([fields, at]) => toConnection(fields, LIST, at, expected))
    .filter(({ status }) => status !== 'DELETED');
  const problem = `lists ${live.length} live connections named ${expected.name}`;
  if (live.length > 1) throw malformedResponse(LIST, 'ConnectionSummaryList', problem);
  return live[0];
}

export function accountConnections(page: ListConnectionsResponse, region: string): AccountConnection[] {
  return summaries(page).flatMap(([fields, at, name]) => {
    if (!model.CONNECTION_NAME.test(name)) refuse(LIST, `${at}.ConnectionName`, name, 'a connection name');
    const connection = toConnection(fields, LIST, at, { name, region });
    const createdAt = fields['CreatedAt'];
    if (createdAt !== undefined && !(createdAt instanceof Date && !Number.isNaN(createdAt.getTime()))) {
      refuse(LIST, `${at}.CreatedAt`, createdAt, 'a time');
    }
    return connection.status === 'DELETED' ? [] : [{ ...connection, createdAt }];
  });
}

export function nextToken(page: ListConnectionsResponse): string | undefined {
  const token = record(page, LIST, 'the response')['NextToken'];
  if (token !== undefined && (typeof token !== 'string' || token.length < 1 || token.length > 1024)) {
    refuse(LIST, 'NextToken', token, 'a token of 1-1024 characters');
  }
  return token as string | undefined;
}

/** The entries of a ListConnections page: each an object, where it is, and its name (a string). */
function summaries(page: ListConnectionsResponse): [Fields, string, string][] {
  nextToken(page);
  const list = record(page, LIST, 'the response')['ConnectionSummaryList'];
  if (!Array.isArray(list)) refuse(LIST, 'ConnectionSummaryList', list, 'a list');
  return (list as unknown[]).map((item, index) => {
    const at = `ConnectionSummaryList[${index}]`;
    const fields = record(item, LIST, at);
    const name = fields['ConnectionName'];
    if (typeof name !== 'string') refuse(LIST, `${at}.ConnectionName`, name, 'a name');
    return [fields, at, name as string];
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
    throw malformedResponse(operation, 'Connection.ProviderType', problem);
  }
  return connection;
}

export function resourceTags(response: ListTagsForResourceResponse): Map<string, string> {
  const operation = 'ListTagsForResource';
  const tags = record(response, operation, 'the response')['Tags'] ?? [];
  if (!Array.isArray(tags)) refuse(operation, 'Tags', tags, 'a list');
  const pairs = (tags as unknown[]).map((item, index): [string, string] => {
    const { Key: key, Value: value = '' } = record(item, operation, `Tags[${index}]`);
    if (typeof key !== 'string') refuse(operation, `Tags[${index}].Key`, key, 'a string');
    if (typeof value !== 'string') refuse(operation, `Tags[${index}].Value`, value, 'a string');
    return [key as string, value as string];
  });
  return new Map(pairs);
}

function toConnection(fields: Fields, operation: string, at: string, expected: Expected): Connection {
  const { ConnectionName: name, ConnectionArn: arn, ProviderType: provider, Status: status } = fields;
  if (name !== expected.name) refuse(operation, `${at}.ConnectionName`, name, `the requested ${expected.name}`);
  // At most 1011 characters; names ([A-Za-z0-9_-]) and Regions ([a-z0-9-]) need no escaping in a pattern.
  const pattern = `^arn:aws(?:-[a-z]+)*:apprunner:${expected.region}:\\d{12}:connection/${expected.name}/[A-Za-z0-9]+$`;
  if (typeof arn !== 'string' || arn.length > 1011 || !new RegExp(pattern).test(arn)) {
    const wanted = `the ARN of an App Runner connection named ${expected.name} in ${expected.region}`;
    refuse(operation, `${at}.ConnectionArn`, arn, wanted);
  }
  if (!model.CONNECTION_STATUSES.includes(status as ConnectionStatus)) {
    refuse(operation, `${at}.Status`, status, `one of ${model.CONNECTION_STATUSES.join(', ')}`);
  }
  if (!model.PROVIDER_TYPES.includes(provider as ProviderType)) {
    refuse(operation, `${at}.ProviderType`, provider, `one of ${model.PROVIDER_TYPES.join(', ')}`);
  }
  return {
    name: expected.name,
    arn: arn as string,
    providerType: provider as ProviderType,
    status: status as ConnectionStatus,
  };
}

function record(value: unknown, operation: string, field: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse(operation, field, value, 'an object');
  return value as Fields;
}

function refuse(operation: string, field: string, value: unknown, expected: string): never {
  if (value === undefined) throw malformedResponse(operation, field, `is missing (expected ${expected})`);
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  throw malformedResponse(operation, field, `is ${truncate(shown, 80)}, not ${expected}`);
}
