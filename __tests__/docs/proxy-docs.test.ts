// The proxy guide quotes the errors a user sees behind a proxy: they must be the ones the action
// prints, for the proxy and the endpoint the guide uses as its example.

import { describe, expect, it } from 'vitest';

import { AwsCallError, DeadlineExceeded, ProxyError, type ProxyRoute } from '../../src/errors.js';
import { describeFailure } from '../../src/failure.js';
import { PRODUCTION_LIMITS } from '../../src/limits.js';
import { resolveProxy } from '../../src/proxy.js';
import { read, section } from './markdown.js';
import { expectQuotesToMatch, quotedMessages } from './quoted-messages.js';

const guide = read('docs/self-hosted-runners.md');
const ENDPOINT = new URL('https://apprunner.us-east-1.amazonaws.com');
const PROXY = 'http://proxy.example.com:3128';

/** The route of the guide's example, as resolveProxy reports it for `https_proxy`. */
function routeFor(proxyUrl: string): ProxyRoute {
  const resolved = resolveProxy(ENDPOINT, { https_proxy: proxyUrl });
  if (!resolved) throw new Error(`no proxy for ${proxyUrl}`);
  return resolved.route;
}
const withCredentials = routeFor('http://deploy-bot:s3cr%40t@proxy.example.com:3128');
const withoutCredentials = routeFor(PROXY);
const httpsProxy = routeFor('https://proxy.example.com:3128');

const failed = (cause: unknown, route: ProxyRoute, lastAttempt?: unknown): string =>
  describeFailure(new AwsCallError('ListConnections', cause), { region: 'us-east-1', proxy: route, lastAttempt });
/** The SDK's retry strategy records the attempts on the error it gives up with. */
const afterAttempts = <T extends Error>(error: T, attempts: number): T =>
  Object.assign(error, { $metadata: { attempts } });

function refusal(value: string): string {
  try {
    resolveProxy(ENDPOINT, { https_proxy: value });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${value} accepted`);
}

function printedMessages(): string[] {
  const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
  const untrusted = Object.assign(new Error('self-signed certificate in certificate chain'), {
    code: 'SELF_SIGNED_CERT_IN_CHAIN',
  });
  return [
    failed(new ProxyError(withoutCredentials, 407, 'Proxy Authentication Required', undefined), withoutCredentials),
    failed(new ProxyError(withCredentials, 407, 'Proxy Authentication Required', undefined), withCredentials),
    failed(new ProxyError(withoutCredentials, 403, 'Forbidden', undefined), withoutCredentials),
    failed(
      afterAttempts(new ProxyError(withoutCredentials, 502, 'Bad Gateway', undefined), PRODUCTION_LIMITS.maxAttempts),
      withoutCredentials,
    ),
    failed(new ProxyError(withoutCredentials, undefined, '', 'ECONNREFUSED'), withoutCredentials),
    failed(new ProxyError(httpsProxy, undefined, '', 'SELF_SIGNED_CERT_IN_CHAIN'), httpsProxy),
    failed(new DeadlineExceeded(PRODUCTION_LIMITS.lookupMs), withoutCredentials, timeout),
    failed(untrusted, withoutCredentials),
    refusal('socks5://proxy.example.com:1080'),
    refusal('proxy.example.com:3128'),
  ];
}

describe('the proxy guide', () => {
  it('quotes, word for word, what the action prints for wrong credentials, refusals, a proxy down or untrusted, a timeout', () => {
    expectQuotesToMatch(quotedMessages(section(guide, 'What the proxy errors look like')), printedMessages());
  });

  it('names the proxy without its credentials in every message', () => {
    for (const message of printedMessages()) expect(message).not.toMatch(/deploy-bot|s3cr/);
  });

  it('says what configure-aws-credentials reads, and that a runner with only https_proxy fails at that step', () => {
    const credentials = section(guide, 'The credentials step behind a proxy');
    for (const words of [
      '`http-proxy`',
      '`HTTP_PROXY`',
      '`no-proxy`',
      'only `https_proxy`',
      'before this action runs',
    ]) {
      expect(credentials, words).toContain(words);
    }
  });

  it('names the hosts the proxy must allow, STS among them, and the runner version node24 needs', () => {
    const hosts = section(guide, 'Hosts the runner must reach');
    expect(hosts).toContain('`sts.<region>.amazonaws.com`');
    expect(hosts).toContain('`sts.amazonaws.com`');
    expect(hosts).toContain('`apprunner.<region>.amazonaws.com`');
    expect(section(guide, 'The runner')).toContain('Actions Runner 2.327.1 or later');
  });
});
