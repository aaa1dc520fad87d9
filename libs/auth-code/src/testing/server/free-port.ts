import { createServer } from 'node:net';

/**
 * A loopback (127.0.0.1) port nothing listens on: the system hands out a free port, which is
 * closed again before it is returned. Another process could take it in between, so use it only
 * for a server started at once (a child process, or one that must not exist yet).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
