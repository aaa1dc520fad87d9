import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as a fake provider received it. */
export interface RecordedRequest {
  /** Route name it matched, e.g. `token`. */
  route: string;
  /** HTTP method. */
  method: string;
  /** Path without query. */
  path: string;
  /** Query parameters (repeated names become arrays). */
  query: Record<string, string | string[]>;
  /** Request headers, lower-cased names. */
  headers: IncomingHttpHeaders;
  /** Raw body. */
  rawBody: string;
  /** Body parsed by its content type (JSON or form), else undefined. */
  body: Record<string, unknown> | undefined;
}

/** What a route handler answers. */
export interface FakeResponse {
  /** @default 200 */
  status?: number;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as-is (with `contentType`). */
  body?: unknown;
  /** @default 'application/json;charset=UTF-8' for objects, 'text/html' for strings */
  contentType?: string;
}

/** Faults every fake can be told to produce, for the next N calls of a route. */
export type FakeFault =
  | 'hang'
  | 'html-200'
  | 'html-502'
  | 'truncated-json'
  | 'no-access-token'
  | 'status-503'
  | 'status-429'
  | 'connection-reset';

/** A route: a name, a method and path, and its handler. */
export interface FakeRoute {
  /** Name used for counting calls and injecting faults. */
  name: string;
  /** HTTP method. */
  method: 'GET' | 'POST';
  /** Exact path. */
  path: string;
  /** The handler. */
  handle: (req: RecordedRequest) => FakeResponse | Promise<FakeResponse>;
}

/**
 * A real HTTP server on loopback (port 0 by default) that provider fakes build on: it records
 * every request, counts calls per route, adds latency and injects faults. Never a mocked fetch.
 */
export abstract class FakeServer {
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[] = [];
  /** Delay added before every answer, in ms. */
  latencyMs = 0;
  private server?: Server;
  private baseUrl?: string;
  private readonly faults = new Map<string, FakeFault[]>();
  private readonly hanging = new Set<ServerResponse>();

  /** The routes this fake serves. */
  protected abstract routes(): FakeRoute[];

  /** Base URL, e.g. `http://127.0.0.1:40123`; throws before {@link start}. */
  get url(): string {
    if (!this.baseUrl) throw new Error(`${this.constructor.name} is not started`);
    return this.baseUrl;
  }

  /** Starts listening; resolves with the base URL. */
  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    const routes = this.routes();
    this.server = createServer((req, res) => void this.dispatch(routes, req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    this.baseUrl = `http://${host}:${addr.port}`;
    return this.baseUrl;
  }

  /** Stops listening and ends hanging requests. */
  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** How many requests reached a route. */
  count(route: string): number {
    return this.requests.filter((r) => r.route === route).length;
  }

  /** The requests that reached a route. */
  requestsTo(route: string): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  /** Makes the next `times` calls of `route` fail with `fault`. */
  injectFault(route: string, fault: FakeFault, times = 1): void {
    const list = this.faults.get(route) ?? [];
    for (let i = 0; i < times; i++) list.push(fault);
    this.faults.set(route, list);
  }

  /**
   * Does what a browser and a person clicking Approve (or Deny) do: opens the authorize URL (a
   * provider that refuses the request with a redirect, e.g. `error=invalid_request`, sends the
   * browser back at once: that URL is returned; any other refusal throws), then submits the
   * consent page with the authorize URL's parameters (query, and the fragment's query for
   * single-page login apps; repeated parameters stay repeated) to the fake's `/consent` route,
   * and returns the URL the browser is redirected to.
   */
  async consent(authorizeUrl: string, decision: 'approve' | 'deny' = 'approve'): Promise<string> {
    const url = new URL(authorizeUrl);
    const page = await fetch(`${url.origin}${url.pathname}${url.search}`, { redirect: 'manual' });
    const back = page.headers.get('location');
    if ([301, 302, 303, 307].includes(page.status) && back) return back;
    if (page.status !== 200) {
      throw new Error(`authorize answered ${page.status}: ${await page.text()}`);
    }
    await page.arrayBuffer();
    const params = new URLSearchParams(url.search);
    const hashQuery = url.hash.indexOf('?');
    if (hashQuery !== -1) {
      for (const [k, v] of new URLSearchParams(url.hash.slice(hashQuery + 1))) params.append(k, v);
    }
    params.set('decision', decision);
    const res = await fetch(`${this.url}/consent?${params}`, { redirect: 'manual' });
    const location = res.headers.get('location');
    if (res.status !== 302 || !location) {
      throw new Error(`consent answered ${res.status}: ${await res.text()}`);
    }
    return location;
  }

  /** Forgets recorded requests and pending faults. */
  reset(): void {
    this.requests.length = 0;
    this.faults.clear();
  }

  private async dispatch(
    routes: FakeRoute[],
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://fake');
      const rawBody = await readBody(req);
      const route = routes.find((r) => r.method === req.method && r.path === url.pathname);
      const recorded: RecordedRequest = {
        route: route?.name ?? 'unknown',
        method: req.method ?? 'GET',
        path: url.pathname,
        query: queryObject(url.searchParams),
        headers: req.headers,
        rawBody,
        body: parseBody(req.headers['content-type'], rawBody),
      };
      this.requests.push(recorded);
      if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
      if (!route) return send(res, { status: 404, body: { error: 'not_found' } });
      const fault = this.faults.get(route.name)?.shift();
      if (fault) return this.fault(res, fault);
      send(res, await route.handle(recorded));
    } catch (err) {
      send(res, { status: 500, body: { error: 'server_error', error_description: String(err) } });
    }
  }

  private fault(res: ServerResponse, fault: FakeFault): void {
    switch (fault) {
      case 'hang':
        this.hanging.add(res);
        return;
      case 'connection-reset':
        return void res.socket?.destroy();
      case 'html-200':
        return send(res, { status: 200, body: '<html><body>Maintenance</body></html>' });
      case 'html-502':
        return send(res, { status: 502, body: '<html><body>502 Bad Gateway</body></html>' });
      case 'truncated-json':
        return send(res, {
          status: 200,
          body: '{"access_token":"abc',
          contentType: 'application/json',
        });
      case 'no-access-token':
        return send(res, { status: 200, body: { token_type: 'Bearer', expires_in: 3600 } });
      case 'status-503':
        return send(res, { status: 503, body: '<html>Service Unavailable</html>' });
      case 'status-429':
        return send(res, { status: 429, body: { error: 'rate_limited' } });
    }
  }
}

function send(res: ServerResponse, r: FakeResponse): void {
  const isString = typeof r.body === 'string';
  const payload =
    r.body === undefined ? '' : isString ? (r.body as string) : JSON.stringify(r.body);
  const type =
    r.contentType ?? (isString ? 'text/html; charset=utf-8' : 'application/json;charset=UTF-8');
  res.writeHead(r.status ?? 200, { ...(payload ? { 'content-type': type } : {}), ...r.headers });
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}

function parseBody(
  contentType: string | undefined,
  raw: string,
): Record<string, unknown> | undefined {
  if (!raw) return undefined;
  try {
    if (contentType?.includes('application/json'))
      return JSON.parse(raw) as Record<string, unknown>;
    if (contentType?.includes('application/x-www-form-urlencoded')) {
      return Object.fromEntries(new URLSearchParams(raw));
    }
  } catch {
    return undefined;
  }
  return undefined;
}
