// Starts a test server on 127.0.0.1 (never another address) and closes it for good,
// hanging connections included.
import type { AddressInfo, Server, Socket } from 'node:net';

export interface LoopbackServer {
  readonly port: number;
  /** http://127.0.0.1:PORT, for an HTTP server. */
  readonly url: string;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

export async function listenOnLoopback(server: Server): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
