import { createServer, type Server } from 'node:http';

/** One back-channel logout call the OP made, as the relay saw it. */
export interface RelayedLogout {
  /** The form body's `logout_token`. */
  logoutToken: string;
  /** What the app answered. */
  status: number;
}

/**
 * The OP's `backchannel_logout_uri` in tests: a loopback HTTP server that keeps every logout token
 * the OP posts and forwards the request, as it is, to the app instance it points at — so a test
 * can see the token the OP sent, and replay it.
 */
export class LogoutRelay {
  /** Every call so far, oldest first. */
  readonly calls: RelayedLogout[] = [];
  /** Where calls are forwarded: an app's `…/backchannel-logout` URL (set once the app listens). */
  target = '';

  private constructor(
    private readonly server: Server,
    /** The relay's URL. */
    readonly url: string,
  ) {}

  /** Starts the relay on a free port. */
  static async start(): Promise<LogoutRelay> {
    const holder: { relay?: LogoutRelay } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        void holder.relay!.forward(body, req.headers['content-type'] ?? '').then(
          (status) => res.writeHead(status).end(),
          (err: Error) => res.writeHead(502).end(err.message),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    holder.relay = new LogoutRelay(server, `http://127.0.0.1:${port}/backchannel-logout`);
    return holder.relay;
  }

  private async forward(body: string, contentType: string): Promise<number> {
    const res = await fetch(this.target, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    await res.arrayBuffer();
    const logoutToken = new URLSearchParams(body).get('logout_token') ?? '';
    this.calls.push({ logoutToken, status: res.status });
    return res.status;
  }

  /** Stops the relay. */
  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
