import { createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { renderConsentPage } from './consent-page';
import { FakeServer, type FakeResponse, type FakeRoute, type RecordedRequest } from './fake-server';

/** How {@link FakeOidc} signs its id_tokens; everything but `rs256` is an attack or a bug. */
export type FakeOidcSigning =
  /** RS256 with the current published key. */
  | 'rs256'
  /** Unsigned: `alg: none`, empty signature. */
  | 'none'
  /** HS256 with the current public key's PEM as the HMAC secret (key-confusion attack). */
  | 'hs256-public-key'
  /** RS256 with a key that is not in the JWKS, under the current key's `kid`. */
  | 'foreign-key';

/** Knobs that make {@link FakeOidc} misbehave; {@link FakeOidc.reset} clears them. */
export interface FakeOidcKnobs {
  /** Rewrites the id_token claims before signing. */
  claims?: (claims: Record<string, unknown>) => Record<string, unknown>;
  /** @default 'rs256' */
  signing?: FakeOidcSigning;
  /** Leave `kid` out of the id_token header. */
  omitKid?: boolean;
  /** Put this `kid` in the id_token header instead of the signing key's. */
  kid?: string;
  /** Answer refreshes without an id_token. */
  noIdTokenOnRefresh?: boolean;
  /** The `sub` userinfo answers with. @default the user's sub */
  userinfoSub?: string;
  /** The `issuer` discovery announces. @default the fake's URL */
  discoveryIssuer?: string;
  /** Rewrites the discovery document (drop capabilities, change endpoints). */
  discovery?: (doc: Record<string, unknown>) => Record<string, unknown>;
  /** Name of the JWKS key list (Tencent CIAM's docs say `Keys`). @default 'keys' */
  jwksKeyName?: 'keys' | 'Keys';
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A small OpenID Provider for negative tests (modelled on the OpenID Foundation's Basic RP test
 * plan): discovery, JWKS, authorize + consent, token (code and refresh), userinfo, revocation.
 * It signs deliberately bad id_tokens on demand through {@link FakeOidc.knobs}.
 */
export class FakeOidc extends FakeServer {
  /** Misbehaviour of the next answers. */
  knobs: FakeOidcKnobs = {};
  /** The user every consent logs in. */
  user = { sub: 'alice', name: 'Alice Example', email: 'alice@example.test' };
  /** Published keys; the last one signs. */
  readonly keys: SigningKey[] = [newKey()];
  private readonly foreign = newKey();
  private readonly codes = new Map<string, { nonce?: string; clientId: string }>();

  constructor(readonly clientId = 'rp-client') {
    super();
  }

  /** Publishes another key without signing with it (the JWKS then has several keys). */
  addKey(): void {
    this.keys.unshift(newKey());
  }

  /** Replaces the signing key with a new one (new `kid`); the old key leaves the JWKS. */
  rotateKey(): void {
    this.keys.splice(0, this.keys.length, newKey());
  }

  /** Signs an id_token for the user as the knobs say. */
  idToken(extra: Record<string, unknown> = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const base = {
      iss: this.url,
      sub: this.user.sub,
      aud: this.clientId,
      iat: now,
      exp: now + 600,
      ...extra,
    };
    const claims = this.knobs.claims ? this.knobs.claims(base) : base;
    const key = this.keys[this.keys.length - 1];
    const signing = this.knobs.signing ?? 'rs256';
    if (signing === 'none') return `${b64({ alg: 'none' })}.${b64(claims)}.`;
    const alg = signing === 'hs256-public-key' ? 'HS256' : 'RS256';
    const input = `${b64({ alg, typ: 'JWT', ...(this.knobs.omitKid ? {} : { kid: this.knobs.kid ?? key.kid }) })}.${b64(claims)}`;
    const signature =
      signing === 'hs256-public-key'
        ? createHmac('sha256', key.publicKey.export({ type: 'spki', format: 'pem' }))
            .update(input)
            .digest()
        : sign(
            'sha256',
            Buffer.from(input),
            signing === 'foreign-key' ? this.foreign.privateKey : key.privateKey,
          );
    return `${input}.${signature.toString('base64url')}`;
  }

  /** Forgets requests, faults and knobs; keys added with {@link FakeOidc.addKey} leave the JWKS. */
  override reset(): void {
    super.reset();
    this.knobs = {};
    this.keys.splice(0, this.keys.length - 1);
  }

  protected routes(): FakeRoute[] {
    return [
      {
        name: 'discovery',
        method: 'GET',
        path: '/.well-known/openid-configuration',
        handle: () => ({ body: this.discovery() }),
      },
      { name: 'jwks', method: 'GET', path: '/jwks', handle: () => ({ body: this.jwks() }) },
      { name: 'authorize', method: 'GET', path: '/authorize', handle: (r) => this.authorize(r) },
      { name: 'consent', method: 'GET', path: '/consent', handle: (r) => this.consentRoute(r) },
      { name: 'token', method: 'POST', path: '/token', handle: (r) => this.token(r) },
      {
        name: 'userinfo',
        method: 'GET',
        path: '/userinfo',
        handle: () => ({ body: { ...this.user, sub: this.knobs.userinfoSub ?? this.user.sub } }),
      },
      { name: 'revoke', method: 'POST', path: '/revoke', handle: () => ({ status: 200 }) },
    ];
  }

  private discovery(): Record<string, unknown> {
    const doc = {
      issuer: this.knobs.discoveryIssuer ?? this.url,
      authorization_endpoint: `${this.url}/authorize`,
      token_endpoint: `${this.url}/token`,
      userinfo_endpoint: `${this.url}/userinfo`,
      jwks_uri: `${this.url}/jwks`,
      revocation_endpoint: `${this.url}/revoke`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256'],
      authorization_response_iss_parameter_supported: true,
    };
    return this.knobs.discovery ? this.knobs.discovery(doc) : doc;
  }

  private jwks(): Record<string, unknown> {
    const keys = this.keys.map((k) => ({
      ...k.publicKey.export({ format: 'jwk' }),
      kid: k.kid,
      use: 'sig',
      alg: 'RS256',
    }));
    return { [this.knobs.jwksKeyName ?? 'keys']: keys };
  }

  private authorize(req: RecordedRequest): FakeResponse {
    const params = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, String(v)]));
    return { body: renderConsentPage({ provider: 'Fake OpenID Provider', params }) };
  }

  private consentRoute(req: RecordedRequest): FakeResponse {
    const q = (name: string) =>
      typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined;
    const target = new URL(q('redirect_uri') ?? '');
    if (q('decision') === 'approve') {
      const code = randomBytes(16).toString('base64url');
      this.codes.set(code, { nonce: q('nonce'), clientId: q('client_id') ?? '' });
      target.searchParams.set('code', code);
    } else {
      target.searchParams.set('error', 'access_denied');
    }
    target.searchParams.set('state', q('state') ?? '');
    target.searchParams.set('iss', this.url);
    return { status: 302, headers: { location: target.toString() } };
  }

  private token(req: RecordedRequest): FakeResponse {
    const body = (req.body ?? {}) as Record<string, string>;
    const tokens = {
      access_token: randomBytes(16).toString('base64url'),
      token_type: 'Bearer',
      expires_in: 300,
    };
    if (body.grant_type === 'refresh_token') {
      const idToken = this.knobs.noIdTokenOnRefresh ? {} : { id_token: this.idToken() };
      return {
        body: { ...tokens, refresh_token: randomBytes(16).toString('base64url'), ...idToken },
      };
    }
    const grant = this.codes.get(body.code);
    this.codes.delete(body.code);
    if (!grant) return { status: 400, body: { error: 'invalid_grant' } };
    const nonce = grant.nonce === undefined ? {} : { nonce: grant.nonce };
    return {
      body: {
        ...tokens,
        refresh_token: randomBytes(16).toString('base64url'),
        id_token: this.idToken(nonce),
      },
    };
  }
}

function newKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: randomBytes(8).toString('hex'), privateKey, publicKey };
}
