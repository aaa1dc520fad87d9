import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TransportError } from '../errors/auth-code.errors';
import { HttpClient } from './http-client';

/**
 * The configured timeout is the one that fires: against a server that never answers, a 200 ms
 * client gives up with a message naming 200 ms, well before a generous bound derived from it
 * (7.5 × the timeout: slow CI cannot reach it, a timeout multiplied by 10 always does).
 */
describe('HttpClient timeout', () => {
  let server: Server;
  let url: string;
  const hanging = new Set<ServerResponse>();

  beforeAll(async () => {
    server = createServer((_req, res) => void hanging.add(res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  });
  afterAll(async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it.each([200, 350])(
    'gives up on a hanging server after the configured %i ms, not later',
    async (timeoutMs) => {
      const client = new HttpClient({ timeoutMs });
      const started = performance.now();
      const error = await client
        .send({ url, method: 'POST', headers: {}, body: 'x=1' }, 'slow', 'exchange')
        .catch((e: unknown) => e);
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ code: 'timeout', provider: 'slow', operation: 'exchange' });
      expect((error as Error).message).toBe(
        `slow did not answer the exchange request within ${timeoutMs} ms`,
      );
      // timers may fire a hair early; never much earlier than configured
      expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 20);
      expect(elapsed).toBeLessThan(timeoutMs * 7.5);
    },
  );

  it('reports the configured timeout', () => {
    expect(new HttpClient({ timeoutMs: 1234 }).timeoutMs).toBe(1234);
    expect(new HttpClient().timeoutMs).toBe(5000);
  });
});
