import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { oauth2, type OAuth2Options, type ProviderDefinition } from 'nestjs-auth-code';
import { Browser, onServer } from './browser';
import { TEST_BASE_URL } from './test-app';

/** One request the hostile provider's token endpoint received. */
export interface HostileRequest {
  /** HTTP method. */
  method: string;
  /** Path and query, as sent. */
  url: string;
  /** Raw body. */
  body: string;
  /** Request headers. */
  headers: IncomingMessage['headers'];
}

/** Writes one answer of the token endpoint; gets the request it answers. */
export type HostileAnswer = (res: ServerResponse, req: HostileRequest) => void;

/**
 * A real HTTP server on loopback that plays a provider gone bad: `/authorize` approves at once
 * (302 back to the `redirect_uri` with a fresh code and the state), and every other path is the
 * token endpoint, which answers whatever {@link HostileProvider.answer} writes — oversized,
 * compressed, endless, echoing. It counts the answers whose connection the client closed before
 * the answer was complete (a client that stops reading an oversized body).
 */
export class HostileProvider {
  /** What the token endpoint answers next (every call). */
  answer: HostileAnswer = answers.json(200, { access_token: 'at', token_type: 'Bearer' });
  /** Every token request, oldest first. */
  readonly requests: HostileRequest[] = [];
  /** Codes handed out by `/authorize`. */
  readonly codes: string[] = [];
  /** Answers whose connection closed before they were complete. */
  abortedAnswers = 0;
  private server?: Server;
  private base?: string;

  /** Base URL; throws before {@link start}. */
  get url(): string {
    if (!this.base) throw new Error('HostileProvider is not started');
    return this.base;
  }

  /** Starts on a free loopback port. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.base;
  }

  /** Stops and drops every open connection. */
  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** Forgets recorded requests and counters. */
  reset(): void {
    this.requests.length = 0;
    this.codes.length = 0;
    this.abortedAnswers = 0;
  }

  /** A plain OAuth 2.0 definition pointing at this server (client secret post, PKCE). */
  definition(overrides: Partial<OAuth2Options> = {}): ProviderDefinition {
    const id = overrides.id ?? 'hostile';
    return oauth2({
      id,
      clientId: 'hostile-client',
      clientSecret: 'hostile-client-secret',
      redirectUri: `${TEST_BASE_URL}/auth/${id}/callback`,
      authorizeUrl: `${this.url}/authorize`,
      tokenUrl: `${this.url}/token`,
      token: { clientAuth: 'client_secret_post' },
      profile: () => ({ id: 'hostile-user', displayName: 'Hostile User' }),
      ...overrides,
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://hostile');
    const body = await readBody(req);
    if (url.pathname === '/authorize') return this.authorize(url, res);
    const recorded = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      body,
      headers: req.headers,
    };
    this.requests.push(recorded);
    res.once('close', () => {
      if (!res.writableFinished) this.abortedAnswers++;
    });
    this.answer(res, recorded);
  }

  private authorize(url: URL, res: ServerResponse): void {
    const code = randomBytes(12).toString('base64url');
    this.codes.push(code);
    const back = new URL(url.searchParams.get('redirect_uri') ?? `${TEST_BASE_URL}/`);
    back.searchParams.set('code', code);
    back.searchParams.set('state', url.searchParams.get('state') ?? '');
    res.writeHead(302, { location: back.toString() }).end();
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Writes `total` bytes of `fill` in 64 KB chunks, respecting backpressure, until done or closed. */
function stream(res: Writable, total: number, fill: Buffer, onEnd?: () => void): void {
  let sent = 0;
  const pump = () => {
    while (sent < total && !res.destroyed) {
      const n = Math.min(fill.length, total - sent);
      sent += n;
      if (!res.write(n === fill.length ? fill : fill.subarray(0, n)))
        return void res.once('drain', pump);
    }
    if (!res.destroyed) (onEnd ?? (() => res.end()))();
  };
  pump();
}

const CHUNK = 64 * 1024;

/** Answers a hostile token endpoint can give. */
export const answers = {
  /** A JSON answer. */
  json:
    (status: number, body: unknown): HostileAnswer =>
    (res) =>
      void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
  /** A raw answer with any content type. */
  text:
    (status: number, body: string, contentType = 'text/plain'): HostileAnswer =>
    (res) =>
      void res.writeHead(status, { 'content-type': contentType }).end(body),
  /** `bytes` letters (no dot, no digit), streamed without a content-length. */
  letters:
    (bytes: number, status = 200): HostileAnswer =>
    (res) => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      stream(res, bytes, Buffer.alloc(CHUNK, 'a'));
    },
  /** A 200 JSON token answer whose access token is `bytes` letters long, streamed. */
  hugeToken:
    (bytes: number): HostileAnswer =>
    (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"token_type":"Bearer","access_token":"');
      stream(res, bytes, Buffer.alloc(CHUNK, 'a'), () => res.end('"}'));
    },
  /** A body that never ends (until the client goes away). */
  endless: (): HostileAnswer => (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"access_token":"');
    stream(res, Number.MAX_SAFE_INTEGER, Buffer.alloc(CHUNK, 'a'));
  },
  /**
   * A gzip bomb: `inflatedBytes` zeros, gzip-compressed on the fly (about 1000:1, so 1 GiB
   * travels as about 1 MB), sent with `content-encoding: gzip`.
   */
  gzipBomb:
    (inflatedBytes: number): HostileAnswer =>
    (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      const gzip = createGzip({ level: 9 });
      gzip.pipe(res);
      res.once('close', () => gzip.destroy());
      stream(gzip, inflatedBytes, Buffer.alloc(CHUNK, '0'), () => gzip.end());
    },
};

/**
 * One login at a hostile provider as a browser does it: `/auth/<id>/login` → the provider's
 * `/authorize` (which approves at once) → the app's callback. Returns the callback's answer.
 */
export async function hostileLogin(
  browser: Browser,
  id = 'hostile',
  headers: Record<string, string> = { accept: 'application/json' },
): Promise<Response> {
  const start = await browser.get(`/auth/${id}/login`);
  if (start.status !== 302)
    throw new Error(`login answered ${start.status}: ${await start.text()}`);
  const approved = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  const back = approved.headers.get('location');
  if (approved.status !== 302 || !back) throw new Error(`authorize answered ${approved.status}`);
  return browser.get(onServer(back, browser.baseUrl), headers);
}
