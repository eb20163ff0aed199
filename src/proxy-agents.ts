// The agents that carry App Runner calls through a proxy, reporting the proxy's own failures (a chunk loaded only then).

import type { Agent, ClientRequest } from 'node:http';

import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';

import { ProxyError } from './errors.js';
import type { ProxyRoute } from './model.js';

// `url` has no credentials (the agents print it in debug logs): they travel in a header.
export function proxyAgent(endpoint: URL, proxy: { url: URL; authorization?: string; route: ProxyRoute }): Agent {
  const { url, authorization, route } = proxy;
  const options = {
    keepAlive: true,
    maxSockets: 50,
    headers: authorization ? { 'Proxy-Authorization': authorization } : {},
  };
  const secure = endpoint.protocol === 'https:';
  const agent = secure ? new HttpsProxyAgent(url, options) : new HttpProxyAgent(url, options);
  // Else agent-base guesses from the call stack, and a kept-alive tunnel is pooled under another name, never reused.
  agent.isSecureEndpoint = () => secure;
  type Connect = (req: ClientRequest, opts: Parameters<typeof agent.connect>[1]) => Promise<unknown>;
  const connect = agent.connect.bind(agent) as Connect;
  (agent as { connect: Connect }).connect = async (req, opts) => {
    let status: number | undefined;
    req.once('proxyConnect', (response: { statusCode?: number }) => (status = response.statusCode));
    const socket = await connect(req, opts).catch((error: unknown) => {
      const code = (error as { code?: unknown } | undefined)?.code;
      throw new ProxyError(route, undefined, typeof code === 'string' ? code : undefined);
    });
    // On a refusal the library returns a socket replaying the proxy's page, which the SDK would take for App Runner's.
    if (status !== undefined && status !== 200) {
      (socket as { destroy(): void }).destroy();
      throw new ProxyError(route, status, undefined);
    }
    return socket;
  };
  return agent;
}
