import { connect, createServer, type Server, type Socket } from 'node:net';

/** What a {@link TcpProxy} does with connections. */
export type ProxyMode = 'forward' | 'blackhole';

/**
 * A TCP proxy on a free loopback port in front of a real server, for outages a test cannot cause
 * on a shared server: {@link down} refuses connections (the server is gone), {@link blackhole}
 * accepts them and never answers (a hung server, a dropped network), {@link forward} is normal.
 * Switching mode cuts every open connection.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private mode: ProxyMode = 'forward';

  private constructor(
    private readonly targetPort: number,
    /** The port the proxy listens on (kept across {@link down} / {@link forward}). */
    public port = 0,
  ) {}

  /** Starts forwarding from a free port to `127.0.0.1:targetPort`. */
  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort);
    await proxy.listen();
    return proxy;
  }

  /** Connections currently open through the proxy (both sides counted once). */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** Refuses new connections (ECONNREFUSED) and cuts the open ones. */
  async down(): Promise<void> {
    this.cutAll();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /** Accepts connections and never answers; cuts the open ones. */
  async blackhole(): Promise<void> {
    this.mode = 'blackhole';
    this.cutAll();
    if (!this.server) await this.listen();
  }

  /** Forwards again (listening again on the same port if it was down). */
  async forward(): Promise<void> {
    this.mode = 'forward';
    this.cutAll();
    if (!this.server) await this.listen();
  }

  /** Stops for good. */
  async stop(): Promise<void> {
    await this.down();
  }

  private listen(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  private accept(client: Socket): void {
    this.track(client);
    if (this.mode === 'blackhole') return;
    const upstream = connect(this.targetPort, '127.0.0.1');
    this.track(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close);
    upstream.on('close', close);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  private cutAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}
