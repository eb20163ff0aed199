// The README's section on proxies quotes the errors a user sees: they must be the ones the action
// prints, for the proxy and the endpoint the section uses as its example.

import { readFileSync } from 'node:fs';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { AwsCallError, DeadlineExceeded, describeFailure } from '../../src/errors.js';
import { resolveProxy } from '../../src/proxy.js';
import { ProxyError, forgetProxyInUse, noteProxyInUse, type ProxyRoute } from '../../src/proxy-errors.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(
  readme.indexOf('## Self-hosted runners behind a proxy'),
  readme.indexOf('## Troubleshooting'),
);
const quoted = [...section.matchAll(/^```text\n([\s\S]*?)\n^```$/gm)].map(([, text = '']) => text);

const ROUTE: ProxyRoute = {
  proxy: 'http://proxy.example.com:3128',
  variable: 'https_proxy',
  target: 'apprunner.us-east-1.amazonaws.com:443',
  withCredentials: true,
};
const context = { region: 'us-east-1' };
const failed = (cause: unknown, lastAttempt?: unknown) =>
  describeFailure(new AwsCallError('ListConnections', cause), { ...context, lastAttempt });

afterEach(() => {
  forgetProxyInUse();
  vi.unstubAllEnvs();
});

describe('the README section "Self-hosted runners behind a proxy"', () => {
  it('quotes, word for word, the errors for wrong credentials, a refusal and a proxy that is down', () => {
    expect(quoted).toContain(failed(new ProxyError(ROUTE, 407, 'Proxy Authentication Required', undefined)));
    expect(quoted).toContain(failed(new ProxyError(ROUTE, 403, 'Forbidden', undefined)));
    expect(quoted).toContain(failed(new ProxyError(ROUTE, undefined, '', 'ECONNREFUSED')));
  });

  it('quotes the hint added to a timeout through the proxy', () => {
    noteProxyInUse(ROUTE, []);
    const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    const message = failed(new DeadlineExceeded(45_000), timeout);
    expect(quoted.some((text) => text.startsWith('AWS calls go through') && message.endsWith(` ${text}`))).toBe(true);
  });

  it('quotes the error for a variable that names no usable proxy', () => {
    vi.stubEnv('https_proxy', 'socks5://proxy.example.com:1080');
    const refusal = quoted.find((text) => text.startsWith('https_proxy is set'));
    expect(refusal).toBeDefined();
    expect(() => resolveProxy(new URL('https://apprunner.us-east-1.amazonaws.com'))).toThrow(refusal);
  });
});
