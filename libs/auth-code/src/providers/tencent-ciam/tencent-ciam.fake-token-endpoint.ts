import { formParams } from '../../testing/server/fake-request';
import type { FakeResponse, RecordedRequest } from '../../testing/server/fake-server';
import type { FakeTencentCiamGrants } from './tencent-ciam.fake-grants';

/** The registered application and the grant state the token and revoke endpoints answer from. */
export interface FakeTencentCiamApp {
  /** The application's client_id. */
  readonly clientId: string;
  /** The application's client_secret. */
  readonly clientSecret: string;
  /** Whether PKCE requests without a secret are accepted. */
  readonly publicClients: boolean;
  /** Codes, grants and tokens. */
  readonly grants: FakeTencentCiamGrants;
}

const INVALID_CLIENT: FakeResponse = { status: 401, body: { error: 'invalid_client' } };
const INVALID_GRANT: FakeResponse = { status: 400, body: { error: 'invalid_grant' } };
const INVALID_REQUEST: FakeResponse = { status: 400, body: { error: 'invalid_request' } };
/** Copied from the seed document, field for field. */
const UNSUPPORTED_GRANT: FakeResponse = {
  status: 400,
  body: {
    error: 'unsupported_grant_type',
    error_description: 'OAuth 2.0 Parameter: grant_type',
    error_uri: 'https://datatracker.ietf.org/doc/html/rfc6749#section-5.2',
  },
};

/**
 * `POST /oauth2/token`. A request with a secret (form or Basic) is a confidential client and gets
 * RFC errors; a request without one is PKCE public client mode, with Tencent's own errors.
 */
export async function answerToken(
  app: FakeTencentCiamApp,
  req: RecordedRequest,
): Promise<FakeResponse> {
  const form = formOf(req);
  if (!form) return INVALID_REQUEST;
  const client = clientAuth(req, form);
  if (client === 'conflict') return INVALID_REQUEST;
  if (client.secret === undefined) return publicToken(app, form, client.id);
  if (client.id !== app.clientId || client.secret !== app.clientSecret) return INVALID_CLIENT;
  switch (form.grant_type) {
    case 'authorization_code':
      return exchange(app, form, client.id, false);
    case 'refresh_token':
      return (await app.grants.refresh(form.refresh_token, client.id)) ?? INVALID_GRANT;
    case 'client_credentials':
      return app.grants.clientCredentials(client.id);
    default:
      return UNSUPPORTED_GRANT;
  }
}

/** PKCE public client mode: a bad code or verifier is 401 invalid_client, a bad grant a bare 401. */
async function publicToken(
  app: FakeTencentCiamApp,
  form: Record<string, string>,
  clientId?: string,
): Promise<FakeResponse> {
  if (!clientId) return INVALID_REQUEST;
  if (!app.publicClients || clientId !== app.clientId) return INVALID_CLIENT;
  if (form.grant_type === 'refresh_token') {
    return (await app.grants.refresh(form.refresh_token, clientId)) ?? INVALID_GRANT;
  }
  if (form.grant_type !== 'authorization_code') return { status: 401 };
  return exchange(app, form, clientId, true);
}

async function exchange(
  app: FakeTencentCiamApp,
  form: Record<string, string>,
  clientId: string,
  isPublic: boolean,
): Promise<FakeResponse> {
  const outcome = app.grants.redeemCode(form, clientId, isPublic);
  if (outcome === 'wrong_client') return INVALID_CLIENT;
  if (outcome === 'invalid') return isPublic ? INVALID_CLIENT : INVALID_GRANT;
  return app.grants.issueTokens(outcome.grantId, outcome.nonce);
}

/**
 * `POST /oauth2/revoke`, form `client_id, client_secret, token` → 200 with an empty body, also for
 * unknown tokens (RFC 7009 2.2).
 */
export function answerRevoke(app: FakeTencentCiamApp, req: RecordedRequest): FakeResponse {
  const form = formOf(req);
  if (!form) return INVALID_REQUEST;
  const client = clientAuth(req, form);
  if (client === 'conflict') return INVALID_REQUEST;
  const authenticated =
    client.secret === undefined ? app.publicClients : client.secret === app.clientSecret;
  if (client.id !== app.clientId || !authenticated) return INVALID_CLIENT;
  if (!form.token) return INVALID_REQUEST;
  app.grants.revoke(form.token, client.id);
  return { status: 200 };
}

/**
 * The form body of a request, or undefined when it is not form-encoded or repeats a parameter
 * (RFC 6749 3.2): both are answered 400 invalid_request.
 */
export function formOf(req: RecordedRequest): Record<string, string> | undefined {
  const form = formParams(req);
  return form && form.repeated.length === 0 ? form.values : undefined;
}

/** Client credentials from Basic auth or the form; a secret in both is refused (RFC 6749 2.3). */
function clientAuth(
  req: RecordedRequest,
  form: Record<string, string>,
): { id?: string; secret?: string } | 'conflict' {
  const header = String(req.headers.authorization ?? '');
  if (!/^Basic /i.test(header)) return { id: form.client_id, secret: form.client_secret };
  if (form.client_secret !== undefined) return 'conflict';
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return { id: undefined, secret: '' };
  const id = formDecode(decoded.slice(0, colon));
  if (form.client_id !== undefined && form.client_id !== id) return 'conflict';
  return { id, secret: formDecode(decoded.slice(colon + 1)) ?? '' };
}

function formDecode(v: string): string | undefined {
  try {
    return decodeURIComponent(v.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
