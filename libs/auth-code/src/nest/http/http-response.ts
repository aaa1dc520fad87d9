/**
 * The library's seam to the HTTP platform: the few response operations it needs, on Express (or any
 * Node `ServerResponse`) and on Fastify replies alike. Only Node's own response API is used on the
 * Express side (no `res.cookie`, `res.json`, `res.redirect`), only Fastify's documented reply API on
 * the other (so Fastify's hooks and serialisation still run), so a route works unchanged on both.
 */

/** A Node `ServerResponse`, which an Express response is. */
export interface NodeResponseLike {
  /** Whether the headers were already written. */
  headersSent: boolean;
  /** Status to write. */
  statusCode: number;
  /** Reads an outgoing header. */
  getHeader(name: string): unknown;
  /** Sets an outgoing header. */
  setHeader(name: string, value: string | string[]): unknown;
  /** Writes the body and ends the response. */
  end(body?: string): unknown;
}

/** A Fastify reply (`FastifyReply`): what of it this seam uses. */
export interface FastifyReplyLike {
  /** The Node response underneath. */
  raw: { headersSent: boolean };
  /** Whether the reply was sent. */
  sent: boolean;
  /** Sets the status. */
  code(statusCode: number): unknown;
  /** Sets a header; for `set-cookie` Fastify appends instead of replacing. */
  header(name: string, value: string): unknown;
  /** Sends the body. */
  send(body?: string): unknown;
}

/** A response on either platform. */
export type HttpResponseLike = NodeResponseLike | FastifyReplyLike;

/** What writing a cookie needs of a response (a Node response's header methods, or a reply). */
export type CookieWritable = Pick<NodeResponseLike, 'getHeader' | 'setHeader'> | FastifyReplyLike;

/** Whether `res` is a Fastify reply rather than a Node/Express response. */
export function isFastifyReply(res: unknown): res is FastifyReplyLike {
  const r = res as Partial<FastifyReplyLike> | undefined;
  return (
    !!r && typeof r.code === 'function' && typeof r.send === 'function' && typeof r.raw === 'object'
  );
}

/** Sets a response header, replacing an earlier value of it. */
export function setHeader(res: HttpResponseLike, name: string, value: string): void {
  if (isFastifyReply(res)) res.header(name, value);
  else res.setHeader(name, value);
}

/** Appends a `Set-Cookie` header without dropping the ones already set. */
export function appendSetCookie(res: CookieWritable, cookie: string): void {
  if (isFastifyReply(res)) {
    res.header('set-cookie', cookie);
    return;
  }
  const prev = res.getHeader('set-cookie');
  const list = Array.isArray(prev) ? (prev as string[]) : prev ? [String(prev)] : [];
  res.setHeader('set-cookie', [...list, cookie]);
}

/** Whether the response has already been (or is being) sent. */
export function isSent(res: HttpResponseLike): boolean {
  return isFastifyReply(res) ? res.sent || res.raw.headersSent : res.headersSent;
}

/** Ends the response with `status`, an optional body and its content type. */
export function send(res: HttpResponseLike, status: number, body?: string, type?: string): void {
  if (type) setHeader(res, 'content-type', type);
  if (isFastifyReply(res)) {
    res.code(status);
    res.send(body);
    return;
  }
  res.statusCode = status;
  res.end(body);
}

/** Answers with JSON. */
export function sendJson(res: HttpResponseLike, status: number, body: unknown): void {
  send(res, status, JSON.stringify(body), 'application/json; charset=utf-8');
}

/** Answers with an HTML page. */
export function sendHtml(res: HttpResponseLike, status: number, html: string): void {
  send(res, status, html, 'text/html; charset=utf-8');
}

/** Redirects (`Location`, empty body). */
export function redirect(res: HttpResponseLike, status: number, url: string): void {
  setHeader(res, 'location', url);
  send(res, status);
}
