// Everything that needs the AWS SDK, behind one dynamic import in main.ts: the SDK
// loads only after the inputs are valid, and a bad input fails fast without it.
export { createAppRunnerClient } from './aws-client.js';
export { ensureConnection, waitForAvailable } from './connection.js';
export { proxyRoutingFor } from './proxy.js';
