// Whether App Runner calls go through a proxy, decided the way the Actions toolkit decides it
// for GitHub calls: https_proxy / http_proxy and no_proxy (lower case first, then upper case),
// read by @actions/http-client's own resolver (its `lib/proxy` entry loads nothing else).
// The agents live in proxy-agents.ts, a chunk loaded only when a proxy applies: a run without
// one loads this file and that resolver, nothing more.

import type { Agent } from 'node:http';

import * as core from '@actions/core';
import { checkBypass, getProxyUrl } from '@actions/http-client/lib/proxy';

import * as log from './log.js';
import { type ProxyRoute, noteProxyInUse } from './proxy-errors.js';

/** How the App Runner client reaches its endpoint through a proxy. */
export interface ProxyRouting {
  /** The URL the decision was made for: the client must call exactly this one. */
  readonly endpoint: string;
  readonly httpAgent?: Agent;
  readonly httpsAgent?: Agent;
}

/** A proxy the environment names for an endpoint, with what may be shown of it. */
export interface ResolvedProxy {
  readonly route: ProxyRoute;
  /** The proxy without credentials: what the agent connects to. */
  readonly url: URL;
  /** `Basic ...` for the Proxy-Authorization header, when the URL carried credentials. */
  readonly authorization: string | undefined;
  /** Every form of the credentials that must never be shown: the password (or a lone user) as written and decoded, the header. */
  readonly secrets: readonly string[];
}

/**
 * The URL the App Runner client calls, resolved as the SDK resolves it from the environment:
 * AWS_ENDPOINT_URL_APPRUNNER, then AWS_ENDPOINT_URL (unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS),
 * else the regional endpoint.
 */
export function appRunnerEndpoint(region: string, env: NodeJS.ProcessEnv = process.env): string {
  const configured =
    env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'] === 'true'
      ? undefined
      : env['AWS_ENDPOINT_URL_APPRUNNER'] || env['AWS_ENDPOINT_URL'];
  return configured || `https://apprunner.${region}.amazonaws.com`;
}

/**
 * The proxy the environment names for `endpoint`, or undefined: no proxy variable for its
 * scheme, or no_proxy (or a loopback host) exempts it. A variable that names no usable proxy
 * is an error rather than a silent direct connection.
 */
export function resolveProxy(endpoint: URL): ResolvedProxy | undefined {
  const variable = proxyVariable(endpoint);
  if (!variable || checkBypass(endpoint)) return undefined;

  let named: URL | undefined;
  try {
    named = getProxyUrl(endpoint);
  } catch {
    named = undefined;
  }
  if (!named || !['http:', 'https:'].includes(named.protocol) || !named.hostname) {
    // The value may hold a password: describe it, never quote it.
    throw new Error(
      `${variable} is set but names no proxy this action can use: write it as http://host:port, or ` +
        'http://user:password@host:port with special characters percent-encoded (http:// and https:// proxies only).',
    );
  }
  const proxy = `${named.protocol}//${hostPort(named)}`;
  const target = hostPort(endpoint);
  // getProxyUrl's URL decodes user and password; its href keeps them as written.
  const { username, password } = named;
  const withCredentials = username !== '' || password !== '';
  // A user without a password is a token: then the user is the secret, decoded and as written.
  const secret = password ? 'password' : 'username';
  const authorization = withCredentials
    ? `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
    : undefined;
  return {
    route: { proxy, variable, target, withCredentials },
    url: new URL(proxy),
    authorization,
    secrets: withCredentials ? unique([named[secret], new URL(named.href)[secret], authorization ?? '']) : [],
  };
}

/**
 * The agents that carry App Runner calls through the proxy the environment names, or
 * undefined when none applies. Masks the proxy's credentials before anything can print them.
 */
export async function proxyRoutingFor(
  region: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProxyRouting | undefined> {
  const endpoint = appRunnerEndpoint(region, env);
  let endpointUrl: URL;
  try {
    endpointUrl = new URL(endpoint);
  } catch {
    return undefined; // Not a URL: the SDK reports it on the first call, as without a proxy.
  }
  const resolved = resolveProxy(endpointUrl);
  if (!resolved) {
    const variable = proxyVariable(endpointUrl);
    if (variable) {
      log.debug(
        `App Runner calls to ${endpointUrl.host} go direct: no_proxy or a loopback host exempts them from ${variable}.`,
      );
    }
    return undefined;
  }
  const { route, url, authorization, secrets } = resolved;
  for (const secret of secrets) core.setSecret(secret);
  noteProxyInUse(route, secrets);
  log.info(`App Runner calls to ${route.target} go through the proxy ${route.proxy} (from ${route.variable}).`);

  const { proxyAgent } = await import('./proxy-agents.js');
  const agent = proxyAgent(endpointUrl, { url, authorization, route });
  return endpointUrl.protocol === 'https:' ? { endpoint, httpsAgent: agent } : { endpoint, httpAgent: agent };
}

/** The variable the toolkit reads for the endpoint's scheme: the first of the two that is set. */
function proxyVariable(endpoint: URL): string | undefined {
  const names = endpoint.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  return names.find((name) => process.env[name]);
}

/** `host:port`, the port spelt out even when it is the scheme's default. */
function hostPort(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.filter((value) => value !== ''))];
}
