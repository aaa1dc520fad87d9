import { request as httpRequest, Agent } from 'node:http';

/** An answer read by {@link getFrom}. */
export interface AddressedResponse {
  /** HTTP status. */
  status: number;
  /** Body text. */
  body: string;
  /** `set-cookie` lines. */
  setCookies: string[];
  /** The `Retry-After` header, when there is one. */
  retryAfter?: string;
}

/**
 * Clients at different addresses without a proxy: on Linux every 127.x.y.z is loopback, so a
 * connection from `localAddress` 127.0.0.7 reaches the app as a client at 127.0.0.7.
 */
export class LoopbackClient {
  private readonly agent: Agent;

  /** @param address the local address to connect from, e.g. `127.0.0.7` */
  constructor(readonly address: string) {
    this.agent = new Agent({ keepAlive: true, localAddress: address });
  }

  /** One GET from this client's address; never follows redirects. */
  get(url: string, headers: Record<string, string> = {}): Promise<AddressedResponse> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, { method: 'GET', agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            setCookies: res.headers['set-cookie'] ?? [],
            retryAfter: res.headers['retry-after'],
          }),
        );
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }
}
