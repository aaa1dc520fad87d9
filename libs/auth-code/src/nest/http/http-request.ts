/** What the library reads of a request, on Express and on Fastify alike. */
export interface HttpRequestLike {
  /** Request headers (lower-cased names). */
  headers: Record<string, string | string[] | undefined>;
  /** HTTP method. */
  method?: string;
  /** The URL as received (Fastify; Express rewrites it under a mount path). */
  url?: string;
  /** The URL as received, before any rewriting (Express; Fastify too). */
  originalUrl?: string;
  /** Parsed query string. */
  query?: unknown;
  /** Route parameters (`:provider`). */
  params?: Record<string, unknown>;
  /** The client's address, as the platform (and its trust-proxy setting) sees it. */
  ip?: string;
  /** The parsed body (both platforms parse JSON and form bodies). */
  body?: unknown;
}

/** The request's URL as the browser sent it: path and query. */
export function requestUrl(req: HttpRequestLike): string {
  return req.originalUrl ?? req.url ?? '/';
}

/** The request's path, without the query. */
export function requestPath(req: HttpRequestLike): string {
  const url = requestUrl(req);
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** Whether the client is a browser asking for a page: it accepts text/html, not JSON. */
export function acceptsHtml(req: Pick<HttpRequestLike, 'headers'>): boolean {
  const accept = String(req.headers.accept ?? '');
  return accept.includes('text/html') && !accept.includes('application/json');
}

/** The request's `Cookie` header, or undefined. */
export function cookieHeader(req: HttpRequestLike): string | undefined {
  const value = req.headers.cookie;
  return Array.isArray(value) ? value.join('; ') : value;
}
