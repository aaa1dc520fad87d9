/** Attributes of a cookie we set. */
export interface CookieOptions {
  /** Max-Age in seconds; 0 deletes. */
  maxAge?: number;
  /** @default '/' */
  path?: string;
  /** @default true */
  httpOnly?: boolean;
  /** @default 'Lax' */
  sameSite?: 'Lax' | 'Strict' | 'None';
  /** Secure attribute; set when the app is served over https. */
  secure?: boolean;
}

/** Serializes one `Set-Cookie` value. Cookie values we write are base64url, never escaped. */
export function serializeCookie(name: string, value: string, opts: CookieOptions = {}): string {
  const parts = [`${name}=${value}`, `Path=${opts.path ?? '/'}`];
  if (opts.maxAge !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(opts.maxAge))}`);
  if (opts.maxAge === 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  if (opts.httpOnly ?? true) parts.push('HttpOnly');
  parts.push(`SameSite=${opts.sameSite ?? 'Lax'}`);
  if (opts.secure) parts.push('Secure');
  return parts.join('; ');
}

/**
 * Reads one cookie from a `Cookie` header without parsing the others (the hot path of every
 * authenticated request reads exactly one cookie).
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  let from = 0;
  while (from < header.length) {
    const at = header.indexOf(name, from);
    if (at === -1) return undefined;
    const before = at === 0 ? ' ' : header[at - 1];
    if ((before === ' ' || before === ';') && header[at + name.length] === '=') {
      const start = at + name.length + 1;
      const end = header.indexOf(';', start);
      return header.slice(start, end === -1 ? undefined : end).trim();
    }
    from = at + name.length;
  }
  return undefined;
}

/** Appends a `Set-Cookie` header (Express and Fastify): see the HTTP seam. */
export { appendSetCookie } from './http-response';
