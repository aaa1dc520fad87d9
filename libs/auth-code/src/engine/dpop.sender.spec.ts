import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify } from 'jose';
import type { DpopKey } from '../core/dpop-key';
import { createDpopKey } from './dpop-key';
import { dpopProof } from './dpop-proof';
import { sendWithAccessToken, sendWithDpop } from './dpop.sender';
import { HttpClient } from './http-client';

/** What the server saw of one request. */
interface Seen {
  method: string;
  url: string;
  authorization?: string;
  dpop?: string;
}

/**
 * A DPoP-checking server on loopback: it wants a proof with its current nonce, refusing a missing
 * or stale one as RFC 9449 says — the token endpoint (`/token`) with 400 `use_dpop_nonce`, a
 * resource (`/resource`) with 401 and a `DPoP` challenge — and hands out the nonce in `DPoP-Nonce`.
 */
class NonceServer {
  readonly seen: Seen[] = [];
  nonce = 'n-1';
  /** Every answer names a new nonce, so no proof ever carries the current one. */
  rotate = false;
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.answer(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server!.close(() => r()));
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const dpop = req.headers.dpop as string | undefined;
    if (this.rotate) this.nonce = `r-${this.seen.length}`;
    this.seen.push({
      method: req.method!,
      url: req.url!,
      authorization: req.headers.authorization,
      dpop,
    });
    const payload = dpop ? JSON.parse(Buffer.from(dpop.split('.')[1], 'base64url').toString()) : {};
    const headers = { 'dpop-nonce': this.nonce, 'content-type': 'application/json' };
    if (payload.nonce === this.nonce) return void res.writeHead(200, headers).end('{"ok":true}');
    if (req.url?.startsWith('/token')) {
      return void res.writeHead(400, headers).end('{"error":"use_dpop_nonce"}');
    }
    res
      .writeHead(401, {
        ...headers,
        'www-authenticate': 'DPoP error="use_dpop_nonce", algs="ES256"',
      })
      .end();
  }
}

describe('DPoP proofs and nonces (RFC 9449)', () => {
  const server = new NonceServer();
  let key: DpopKey;
  beforeAll(async () => {
    await server.start();
    key = await createDpopKey();
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.seen.length = 0;
    server.rotate = false;
  });

  it('signs a proof with the public key in its header and htm, htu (no query), iat, jti, nonce, ath', async () => {
    const proof = await dpopProof(key, {
      method: 'post',
      url: 'https://as.example/token?x=1#f',
      nonce: 'abc',
      accessToken: 'at-1',
    });
    const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'dpop+jwt' });
    expect(protectedHeader.jwk).not.toHaveProperty('d');
    expect(await calculateJwkThumbprint(protectedHeader.jwk!)).toBe(
      await calculateJwkThumbprint(key.publicJwk),
    );
    expect(payload).toEqual({
      htm: 'POST',
      htu: 'https://as.example/token',
      nonce: 'abc',
      ath: createHash('sha256').update('at-1').digest('base64url'),
      iat: expect.any(Number),
      jti: expect.stringMatching(/^[\w-]{22}$/),
    });
    const again = await dpopProof(key, { method: 'POST', url: 'https://as.example/token' });
    expect(JSON.parse(Buffer.from(again.split('.')[1], 'base64url').toString()).jti).not.toBe(
      payload.jti,
    );
  });

  it.each(['ES256', 'ES384', 'PS256', 'EdDSA'] as const)(
    'makes %s keys whose proofs verify',
    async (alg) => {
      const own = await createDpopKey(alg);
      const proof = await dpopProof(own, { method: 'GET', url: 'https://rs.example/' });
      await expect(jwtVerify(proof, EmbeddedJWK)).resolves.toMatchObject({
        protectedHeader: { alg },
      });
    },
  );

  it('sends a token request once more with the nonce a use_dpop_nonce refusal gave, then uses that nonce at once', async () => {
    const http = new HttpClient();
    const req = { url: `${server.url}/token`, method: 'POST' as const, headers: {}, body: 'a=1' };
    const first = await sendWithDpop(http, req, key, { provider: 'p', operation: 'exchange' });
    expect(first.status).toBe(200);
    expect(server.seen).toHaveLength(2);
    const nonces = server.seen.map(
      (s) => JSON.parse(Buffer.from(s.dpop!.split('.')[1], 'base64url').toString()).nonce,
    );
    expect(nonces).toEqual([undefined, 'n-1']);
    // the next call carries the nonce it learnt: one round trip
    await sendWithDpop(http, req, key, { provider: 'p', operation: 'refresh' });
    expect(server.seen).toHaveLength(3);
  });

  it('follows a new nonce at once, and sends once more only: a refused retry is the answer', async () => {
    const http = new HttpClient();
    const req = { url: `${server.url}/token`, method: 'POST' as const, headers: {}, body: '' };
    await sendWithDpop(http, req, key, { provider: 'p', operation: 'exchange' });
    server.seen.length = 0;
    server.nonce = 'n-2'; // the server moved on: one refusal, one retry with the new nonce
    expect(
      (await sendWithDpop(http, req, key, { provider: 'p', operation: 'refresh' })).status,
    ).toBe(200);
    expect(server.seen).toHaveLength(2);
    server.seen.length = 0;
    server.rotate = true;
    const res = await sendWithDpop(http, req, key, { provider: 'p', operation: 'refresh' });
    expect(res.status).toBe(400);
    expect(server.seen).toHaveLength(2);
  });

  it('presents a DPoP-bound token as "DPoP" with ath, retrying once on a resource server\'s nonce challenge', async () => {
    const http = new HttpClient();
    server.nonce = 'rs-1';
    const res = await sendWithAccessToken(
      http,
      { url: `${server.url}/resource`, method: 'GET', headers: { authorization: 'Bearer at-9' } },
      { accessToken: 'at-9', tokenType: 'DPoP', dpopKey: key },
      { provider: 'p', operation: 'api' },
    );
    expect(res.status).toBe(200);
    expect(server.seen.map((s) => s.authorization)).toEqual(['DPoP at-9', 'DPoP at-9']);
    const last = JSON.parse(
      Buffer.from(server.seen[1].dpop!.split('.')[1], 'base64url').toString(),
    );
    expect(last).toMatchObject({
      htm: 'GET',
      htu: `${server.url}/resource`,
      nonce: 'rs-1',
      ath: createHash('sha256').update('at-9').digest('base64url'),
    });
  });

  it('sends a Bearer token as it is, without a proof, even with a key (the server did not bind it)', async () => {
    const res = await sendWithAccessToken(
      new HttpClient(),
      { url: `${server.url}/resource`, method: 'GET', headers: { authorization: 'Bearer at-b' } },
      { accessToken: 'at-b', tokenType: 'Bearer', dpopKey: key },
      { provider: 'p', operation: 'api' },
    );
    expect(res.status).toBe(401);
    expect(server.seen).toEqual([
      expect.objectContaining({ authorization: 'Bearer at-b', dpop: undefined }),
    ]);
  });
});
