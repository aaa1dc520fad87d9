import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProviderDefinition } from '../core/provider-definition';
import { ProviderRejectedError, UnexpectedResponseError } from '../errors/auth-code.errors';
import { AuthCodeEngine } from './auth-code.engine';

/** A pushed authorization request endpoint on loopback whose answer each test sets. */
describe('pushed authorization requests (RFC 9126)', () => {
  let server: Server;
  let url = '';
  let answer: { status: number; body: unknown } = { status: 201, body: {} };
  const seen: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
  const engine = new AuthCodeEngine();

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  beforeEach(() => (seen.length = 0));

  const def = (clientAuth: 'client_secret_basic' | 'client_secret_post'): ProviderDefinition => ({
    id: 'acme',
    displayName: 'Acme',
    client: { clientId: 'rp', clientSecret: 'rp-secret' },
    redirectUri: 'https://app.example/cb',
    authorize: {
      url: 'https://as.example/authorize',
      scope: ['openid', 'email'],
      extraParams: { prompt: 'login' },
      pushed: { url: `${url}/par` },
    },
    token: { exchange: { url: `${url}/token`, clientAuth } },
    profile: () => ({ id: 'x' }),
  });
  const req = { state: 'st-1', nonce: 'no-1', codeChallenge: 'ch-1' };

  it('pushes every parameter, state included, with Basic client authentication; the browser gets client_id and request_uri only', async () => {
    answer = {
      status: 201,
      body: { request_uri: 'urn:ietf:params:oauth:request_uri:abc', expires_in: 60 },
    };
    const to = new URL(await engine.authorizeRedirect(def('client_secret_basic'), req));
    expect(`${to.origin}${to.pathname}`).toBe('https://as.example/authorize');
    expect(Object.fromEntries(to.searchParams)).toEqual({
      client_id: 'rp',
      request_uri: 'urn:ietf:params:oauth:request_uri:abc',
    });
    expect(seen).toHaveLength(1);
    expect(seen[0].headers.authorization).toBe(
      `Basic ${Buffer.from('rp:rp-secret').toString('base64')}`,
    );
    expect(Object.fromEntries(new URLSearchParams(seen[0].body))).toEqual({
      response_type: 'code',
      client_id: 'rp',
      redirect_uri: 'https://app.example/cb',
      scope: 'openid email',
      code_challenge: 'ch-1',
      code_challenge_method: 'S256',
      nonce: 'no-1',
      prompt: 'login',
      state: 'st-1',
    });
  });

  it('sends the secret in the form for client_secret_post', async () => {
    answer = { status: 201, body: { request_uri: 'urn:x' } };
    await engine.authorizeRedirect(def('client_secret_post'), req);
    expect(new URLSearchParams(seen[0].body).get('client_secret')).toBe('rp-secret');
    expect(seen[0].headers.authorization).toBeUndefined();
  });

  it("turns a refusal into the provider's typed error, without the client secret it echoed", async () => {
    answer = {
      status: 400,
      body: { error: 'invalid_request', error_description: 'bad client rp-secret' },
    };
    const err = await engine
      .authorizeRedirect(def('client_secret_basic'), req)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderRejectedError);
    expect(err).toMatchObject({
      code: 'invalid_request',
      operation: 'authorize',
      upstreamStatus: 400,
    });
    expect(JSON.stringify({ ...(err as object), message: (err as Error).message })).not.toContain(
      'rp-secret',
    );
  });

  it.each([
    ['no request_uri', {}],
    ['a request_uri that is not text', { request_uri: 7 }],
    ['an overlong request_uri', { request_uri: `urn:${'x'.repeat(3000)}` }],
  ])('answers 502 invalid_response for %s', async (_name, body) => {
    answer = { status: 201, body };
    const err = await engine
      .authorizeRedirect(def('client_secret_basic'), req)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err).toMatchObject({ code: 'invalid_response', status: 502, operation: 'authorize' });
  });

  it('builds the plain authorize URL when the definition does not push', async () => {
    const { pushed: _p, ...authorize } = def('client_secret_basic').authorize;
    const to = new URL(
      await engine.authorizeRedirect({ ...def('client_secret_basic'), authorize }, req),
    );
    expect(to.searchParams.get('state')).toBe('st-1');
    expect(seen).toHaveLength(0);
  });
});
