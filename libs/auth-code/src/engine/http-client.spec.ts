import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { TransportError, UnexpectedResponseError } from '../errors/auth-code.errors';
import { HttpClient } from './http-client';

/** A real loopback server whose one route answers with `handler`. */
async function serve(
  handler: (res: ServerResponse) => void,
): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => handler(res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

const get = (http: HttpClient, url: string) =>
  http.send({ url, method: 'GET', headers: {} }, 'p', 'exchange');

describe('HttpClient body limit', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

  async function at(handler: (res: ServerResponse) => void): Promise<string> {
    const { url, server } = await serve(handler);
    servers.push(server);
    return url;
  }

  it('reads a gzip body whose inflated size is within the limit', async () => {
    const body = gzipSync(JSON.stringify({ access_token: 'a'.repeat(1000) }));
    const url = await at((res) =>
      res
        .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
        .end(body),
    );
    const res = await new HttpClient({ maxResponseBytes: 2000 }).send(
      { url, method: 'GET', headers: {} },
      'p',
      'exchange',
    );
    expect(JSON.parse(res.text).access_token).toHaveLength(1000);
  });

  it('refuses a gzip body whose inflated size passes the limit, though its wire size does not', async () => {
    const body = gzipSync(Buffer.alloc(100_000, '0'));
    expect(body.length).toBeLessThan(2000);
    const url = await at((res) =>
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': body.length }).end(body),
    );
    const err = await get(new HttpClient({ maxResponseBytes: 2000 }), url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err).toMatchObject({ code: 'invalid_response', upstreamStatus: 200, provider: 'p' });
  });

  it('accepts a body of exactly the limit and refuses one byte more', async () => {
    const http = new HttpClient({ maxResponseBytes: 10 });
    expect((await get(http, await at((res) => res.end('0123456789')))).text).toBe('0123456789');
    await expect(get(http, await at((res) => res.end('0123456789x')))).rejects.toThrow(
      UnexpectedResponseError,
    );
  });

  it('still reports a timeout as a TransportError', async () => {
    const url = await at((res) => res.writeHead(200).write('{'));
    await expect(get(new HttpClient({ timeoutMs: 100 }), url)).rejects.toMatchObject({
      constructor: TransportError,
      code: 'timeout',
    });
  });

  it('keeps at most 1 KB of the content type and www-authenticate headers', async () => {
    const url = await at((res) =>
      res
        .writeHead(401, {
          'content-type': `text/${'x'.repeat(5000)}`,
          'www-authenticate': `Bearer ${'y'.repeat(5000)}`,
        })
        .end(),
    );
    const res = await get(new HttpClient(), url);
    expect(res.contentType).toHaveLength(1024);
    expect(res.wwwAuthenticate).toHaveLength(1024);
  });
});

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
