// The agents that carry App Runner calls through a proxy: a CONNECT tunnel for https://
// endpoints (https-proxy-agent) and absolute-form requests for http:// ones (http-proxy-agent).
// A chunk of its own, loaded only when a proxy applies. A failure of the proxy itself becomes
// a ProxyError, reported as the proxy's and, when it is a refusal, not retried.

import type { Agent } from 'node:http';

import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';

import { ProxyError } from './errors.js';
import type { ProxyRoute } from './model.js';

export interface ProxyAgentOptions {
  /** The proxy, without credentials. */
  readonly url: URL;
  /** The Proxy-Authorization header's value, when the proxy wants credentials. */
  readonly authorization: string | undefined;
  readonly route: ProxyRoute;
}

// As the SDK's own agents: one connection (one tunnel) serves a run's calls one after another.
const POOL = { keepAlive: true, maxSockets: 50 };

export function proxyAgent(endpoint: URL, { url, authorization, route }: ProxyAgentOptions): Agent {
  // Credentials travel in a header, not in the agent's URL: the agents print their URL in debug logs.
  const options = { ...POOL, headers: authorization ? { 'Proxy-Authorization': authorization } : {} };
  return endpoint.protocol === 'https:' ? new TunnelAgent(url, options, route) : new ForwardAgent(url, options, route);
}

type TunnelConnect = HttpsProxyAgent<string>['connect'];
type ForwardConnect = HttpProxyAgent<string>['connect'];
type AgentOptions = ConstructorParameters<typeof HttpsProxyAgent<string>>[1];

class TunnelAgent extends HttpsProxyAgent<string> {
  constructor(
    url: URL,
    options: AgentOptions,
    private readonly route: ProxyRoute,
  ) {
    super(url, options);
  }

  // agent-base otherwise guesses from the call stack, which differs when a socket is freed:
  // the kept-alive tunnel was pooled under another name and every call opened a new one.
  override isSecureEndpoint(): boolean {
    return true;
  }

  override async connect(...[req, opts]: Parameters<TunnelConnect>): ReturnType<TunnelConnect> {
    let status: number | undefined;
    req.once('proxyConnect', (answer: { statusCode?: number }) => (status = answer.statusCode));
    const socket = await super.connect(req, opts).catch((error: unknown) => {
      throw unreachable(this.route, error);
    });
    // On a refusal the library hands back a socket that replays the proxy's answer to the
    // request, so the SDK would parse the proxy's page as App Runner's. Say what it is instead.
    if (status !== undefined && status !== 200) {
      socket.destroy();
      throw new ProxyError(this.route, status, undefined);
    }
    return socket;
  }
}

class ForwardAgent extends HttpProxyAgent<string> {
  constructor(
    url: URL,
    options: AgentOptions,
    private readonly route: ProxyRoute,
  ) {
    super(url, options);
  }

  override isSecureEndpoint(): boolean {
    return false;
  }

  override async connect(...[req, opts]: Parameters<ForwardConnect>): ReturnType<ForwardConnect> {
    return super.connect(req, opts).catch((error: unknown) => {
      throw unreachable(this.route, error);
    });
  }
}

function unreachable(route: ProxyRoute, error: unknown): ProxyError {
  const code = (error as { code?: unknown } | undefined)?.code;
  return new ProxyError(route, undefined, typeof code === 'string' ? code : undefined);
}
