import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip } from 'node:zlib';

/** What the token endpoint answers: a prepared body and its headers. */
export interface UpstreamAnswer {
  /** HTTP status. */
  status: number;
  /** Response headers. */
  headers: Record<string, string>;
  /** The body, prepared once per input (sent in 64 KB chunks, with backpressure). */
  body: Buffer;
}

/**
 * The bench's hostile provider, a real server on loopback in the bench process (so its work is not
 * counted in the app's CPU): `/authorize` approves at once, every other path answers
 * {@link HostileUpstream.answer}.
 */
export class HostileUpstream {
  /** The token endpoint's answer. */
  answer: UpstreamAnswer = json(200, { access_token: 'at' });
  private server?: Server;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.dispatch(req, res));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://upstream');
    if (url.pathname === '/authorize') {
      const back = new URL(url.searchParams.get('redirect_uri') ?? 'http://localhost/');
      back.searchParams.set('code', randomBytes(12).toString('base64url'));
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    const { status, headers, body } = this.answer;
    res.writeHead(status, headers);
    let at = 0;
    const pump = () => {
      while (at < body.length && !res.destroyed) {
        const chunk = body.subarray(at, at + 64 * 1024);
        at += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  }
}

/** A JSON answer. */
export function json(status: number, body: unknown): UpstreamAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(body)),
  };
}

/** A plain-text answer. */
export function text(status: number, body: string): UpstreamAnswer {
  return { status, headers: { 'content-type': 'text/plain' }, body: Buffer.from(body) };
}

/**
 * A gzip bomb of about `compressedBytes` on the wire: zeros, compressed ~1000:1, so 1 MB inflates
 * to about 1 GiB. Built by streaming zeros through gzip (never holding the inflated bytes).
 */
export async function gzipBomb(compressedBytes: number): Promise<UpstreamAnswer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  let size = 0;
  gzip.on('data', (c: Buffer) => {
    out.push(c);
    size += c.length;
  });
  const zeros = Buffer.alloc(1024 * 1024, '0');
  const done = new Promise<void>((r) => gzip.on('end', () => r()));
  // ~1030 inflated bytes per compressed byte at level 9
  let left = compressedBytes * 1030;
  while (left > 0) {
    const n = Math.min(zeros.length, left);
    left -= n;
    if (!gzip.write(n === zeros.length ? zeros : zeros.subarray(0, n))) {
      await new Promise((r) => gzip.once('drain', r));
    }
  }
  gzip.end();
  await done;
  return {
    status: 200,
    headers: {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'x-inflated-bytes': String(compressedBytes * 1030),
    },
    body: Buffer.concat(out, size),
  };
}
