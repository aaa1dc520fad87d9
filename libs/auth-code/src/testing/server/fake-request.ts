import type { RecordedRequest } from './fake-server';

/** A request's parameters as single values, with the names that came more than once. */
export interface FakeParams {
  /** Each parameter's value; a repeated parameter holds its first value. */
  values: Record<string, string>;
  /** Names that appeared more than once (RFC 6749 3.1 and 3.2: parameters must not repeat). */
  repeated: string[];
}

/** Collects URL-encoded parameters, noting the repeated names. */
export function paramsOf(search: URLSearchParams): FakeParams {
  const values: Record<string, string> = {};
  const repeated = new Set<string>();
  for (const [name, value] of search) {
    if (Object.hasOwn(values, name)) repeated.add(name);
    else values[name] = value;
  }
  return { values, repeated: [...repeated] };
}

/** The query parameters of a recorded request. */
export function queryParams(req: RecordedRequest): FakeParams {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(req.query)) {
    for (const v of Array.isArray(value) ? value : [value]) search.append(name, v);
  }
  return paramsOf(search);
}

/** The media type of the request body, lower-cased and without parameters; '' when none. */
export function mediaType(req: RecordedRequest): string {
  const type = String(req.headers['content-type'] ?? '');
  return type.split(';')[0].trim().toLowerCase();
}

/** The form parameters, or undefined when the body is not `application/x-www-form-urlencoded`. */
export function formParams(req: RecordedRequest): FakeParams | undefined {
  if (mediaType(req) !== 'application/x-www-form-urlencoded') return undefined;
  return paramsOf(new URLSearchParams(req.rawBody));
}

/** The JSON object body, or undefined when the body is not `application/json` or not an object. */
export function jsonObject(req: RecordedRequest): Record<string, unknown> | undefined {
  if (mediaType(req) !== 'application/json') return undefined;
  try {
    const value: unknown = JSON.parse(req.rawBody);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** What the `Authorization` header says about a bearer token (RFC 6750 2.1). */
export type FakeBearer =
  /** No `Authorization` header, or one of another scheme. */
  | { kind: 'none' }
  /** `Bearer` with a missing or malformed token. */
  | { kind: 'malformed' }
  /** A well-formed bearer token. */
  | { kind: 'token'; token: string };

// RFC 6750 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Reads a bearer token from the `Authorization` header. */
export function bearerOf(req: RecordedRequest): FakeBearer {
  const header = String(req.headers.authorization ?? '');
  const space = header.indexOf(' ');
  const scheme = (space === -1 ? header : header.slice(0, space)).toLowerCase();
  if (scheme !== 'bearer') return { kind: 'none' };
  const token = space === -1 ? '' : header.slice(space + 1).trim();
  return B64TOKEN.test(token) ? { kind: 'token', token } : { kind: 'malformed' };
}

/** What the `Authorization` header says about HTTP Basic client credentials (RFC 6749 2.3.1). */
export type FakeBasic =
  /** No `Authorization` header, or one of another scheme. */
  | { kind: 'none' }
  /** `Basic` with a payload that is not `id:secret`. */
  | { kind: 'malformed' }
  /** Decoded credentials (each form-urlencoded before base64, as RFC 6749 2.3.1 says). */
  | { kind: 'basic'; id: string; secret: string };

/** Reads HTTP Basic client credentials. */
export function basicOf(req: RecordedRequest): FakeBasic {
  const header = String(req.headers.authorization ?? '');
  if (!/^basic /i.test(header.slice(0, 6))) return { kind: 'none' };
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const id = colon === -1 ? undefined : formDecode(decoded.slice(0, colon));
  const secret = colon === -1 ? undefined : formDecode(decoded.slice(colon + 1));
  return id && secret !== undefined ? { kind: 'basic', id, secret } : { kind: 'malformed' };
}

function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The `/consent` route's query: the authorize parameters the consent page carried, and the decision. */
export function consentParams(req: RecordedRequest): {
  params: FakeParams;
  decision: 'approve' | 'deny';
} {
  const params = queryParams(req);
  const decision = params.values.decision === 'approve' ? 'approve' : 'deny';
  delete params.values.decision;
  params.repeated = params.repeated.filter((name) => name !== 'decision');
  return { params, decision };
}
