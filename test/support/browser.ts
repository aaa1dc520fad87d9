/**
 * A tiny cookie-keeping HTTP client that behaves like one browser profile: it stores cookies per
 * name (honouring Max-Age=0 deletions), sends them back, and never follows redirects by itself.
 */
export class Browser {
  /** Cookie name → value. */
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  /** GET (path or absolute URL) with the jar's cookies. */
  get(pathOrUrl: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request('GET', pathOrUrl, headers);
  }

  /** POST with the jar's cookies. */
  post(pathOrUrl: string, headers: Record<string, string> = {}, body?: string): Promise<Response> {
    return this.request('POST', pathOrUrl, headers, body);
  }

  /** One request; stores the answer's cookies. */
  async request(
    method: string,
    pathOrUrl: string,
    headers: Record<string, string> = {},
    body?: string,
  ): Promise<Response> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.baseUrl}${pathOrUrl}`;
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...headers },
      body,
    });
    for (const line of res.headers.getSetCookie()) this.store(line);
    return res;
  }

  /** A copy of this browser (same cookies), e.g. a second tab shares cookies: use the same Browser. */
  clone(): Browser {
    const b = new Browser(this.baseUrl);
    for (const [k, v] of this.cookies) b.cookies.set(k, v);
    return b;
  }

  private store(line: string): void {
    const [pair, ...attrs] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const maxAge = attrs.map((a) => a.trim().toLowerCase()).find((a) => a.startsWith('max-age='));
    if (value === '' || maxAge === 'max-age=0') this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

/** Rebases a URL the app redirected to (built from AUTH_BASE_URL) onto the test server. */
export function onServer(url: string, serverUrl: string): string {
  const u = new URL(url);
  return `${serverUrl}${u.pathname}${u.search}`;
}
