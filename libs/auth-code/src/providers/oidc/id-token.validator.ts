import {
  compactVerify,
  decodeProtectedHeader,
  type JWK,
  type ProtectedHeaderParameters,
} from 'jose';
import { parseObject } from '../../core/json';
import type { ProviderDefinition, TokenValidationContext } from '../../core/provider-definition';
import type { TokenResponse } from '../../core/token-set';
import type { HttpClient } from '../../engine/http-client';
import { ConfigurationError, IdTokenError } from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';
import { checkIdTokenClaims } from './id-token.claims';
import { JwksCache } from './jwks.cache';
import { selectSigningKey } from './signing-key.select';

const R = Messages.idTokenReason;

/** Options of {@link IdTokenValidator} and {@link withIdTokenValidation}. */
export interface IdTokenValidationOptions {
  /** The provider's `jwks_uri`. */
  jwksUri: string;
  /** The exact issuer identifier (`iss`). */
  issuer: string;
  /** Our client id (`aud`, `azp`). */
  clientId: string;
  /**
   * Accepted JWS algorithms; asymmetric only (`RS*`, `PS*`, `ES*`, `EdDSA`). `none` and `HS*` are
   * always refused.
   * @default ['RS256']
   */
  algorithms?: string[];
  /** Allowed clock difference for `exp`, `iat` (in the future) and `nbf`, in seconds. @default 30 */
  clockToleranceSeconds?: number;
  /** The client the JWKS is fetched through (timeout). */
  http: HttpClient;
  /** How long the JWKS is cached, in ms. @default 600000 (10 min) */
  jwksTtlMs?: number;
  /** Whether a code exchange must return an id_token (OpenID Connect Core 3.1.3.3). @default true */
  requireIdToken?: boolean;
  /**
   * Whether a code exchange must be validated against the nonce of the authorize request (refused
   * when the caller passes none). {@link withIdTokenValidation} sets it from `def.nonce`.
   * @default false
   */
  requireNonce?: boolean;
}

/**
 * Validates id_tokens as OpenID Connect Core 3.1.3.7 says: asymmetric signature by a key of the
 * provider's JWKS (an unknown `kid` fetches the JWKS once more), then `iss`, `sub`, `aud`, `azp`,
 * `exp`, `iat`, `nbf`, `nonce`, and on refresh continuity with the login's id_token (12.2).
 */
export class IdTokenValidator {
  /** The provider's signing keys. */
  readonly jwks: JwksCache;
  private readonly algorithms: string[];

  constructor(
    private readonly providerId: string,
    private readonly options: IdTokenValidationOptions,
  ) {
    this.algorithms = allowedAlgorithms(providerId, options.algorithms);
    this.jwks = new JwksCache({
      providerId,
      uri: options.jwksUri,
      http: options.http,
      ttlMs: options.jwksTtlMs,
    });
  }

  /**
   * The definition hook: validates the id_token of a token response. A refresh may come without
   * an id_token; the login's claims then stay in force and are returned.
   */
  async validateResult(
    result: TokenResponse,
    ctx: TokenValidationContext,
  ): Promise<Record<string, unknown> | undefined> {
    const idToken = result.tokenSet.idToken;
    if (idToken) return this.validate(idToken, ctx);
    if (ctx.operation === 'refresh') return ctx.previousClaims;
    if (this.options.requireIdToken === false) return undefined;
    throw this.fail(Messages.idTokenMissing(this.providerId), ctx.operation);
  }

  /** Validates one id_token; returns its claims or throws an {@link IdTokenError}. */
  async validate(idToken: string, ctx: TokenValidationContext): Promise<Record<string, unknown>> {
    const header = this.header(idToken, ctx);
    const key = await this.key(header, ctx);
    let payload: Uint8Array;
    try {
      ({ payload } = await compactVerify(idToken, key, { algorithms: [header.alg] }));
    } catch (err) {
      throw this.fail(Messages.idTokenInvalid(this.providerId, R.signature()), ctx.operation, err);
    }
    const claims = parseObject(new TextDecoder().decode(payload));
    if (!claims) throw this.reject(R.notJson(), ctx);
    const reason = checkIdTokenClaims(
      claims,
      {
        issuer: this.options.issuer,
        clientId: this.options.clientId,
        clockToleranceSeconds: this.options.clockToleranceSeconds ?? 30,
        requireNonce: this.options.requireNonce ?? false,
      },
      ctx,
    );
    if (reason) throw this.reject(reason, ctx);
    return claims;
  }

  private header(idToken: string, ctx: TokenValidationContext): { alg: string; kid?: string } {
    let header: ProtectedHeaderParameters;
    try {
      if (idToken.split('.').length !== 3) throw new Error('not a compact JWS');
      header = decodeProtectedHeader(idToken);
    } catch (err) {
      throw this.fail(Messages.idTokenInvalid(this.providerId, R.malformed()), ctx.operation, err);
    }
    const alg = typeof header.alg === 'string' ? header.alg : '';
    if (alg.toLowerCase() === 'none') throw this.reject(R.algNone(), ctx);
    if (!this.algorithms.includes(alg))
      throw this.reject(R.algNotAllowed(alg, this.algorithms), ctx);
    return { alg, kid: typeof header.kid === 'string' ? header.kid.slice(0, 100) : undefined };
  }

  private async key(
    header: { alg: string; kid?: string },
    ctx: TokenValidationContext,
  ): Promise<JWK> {
    let found = selectSigningKey(await this.jwks.get(), header);
    // The provider may have rotated its signing key since the JWKS was cached: fetch it once more.
    if (found.kind === 'none') found = selectSigningKey(await this.jwks.refresh(), header);
    if (found.kind === 'found') return found.key;
    if (found.kind === 'ambiguous') throw this.reject(R.ambiguousKey(header.kid, found.count), ctx);
    throw this.reject(R.noKey(header.kid), ctx);
  }

  private reject(reason: string, ctx: TokenValidationContext): IdTokenError {
    return this.fail(Messages.idTokenInvalid(this.providerId, reason), ctx.operation);
  }

  private fail(
    message: string,
    operation: TokenValidationContext['operation'],
    cause?: unknown,
  ): IdTokenError {
    return new IdTokenError({
      code: 'invalid_id_token',
      provider: this.providerId,
      operation,
      message,
      cause,
    });
  }
}

/**
 * The allowed id_token algorithms, checked: asymmetric only, since a shared-secret (`HS*`) or
 * unsigned (`none`) id_token could be forged by anyone who knows the client secret or nothing at all.
 * @throws ConfigurationError `invalid_config` for an empty list or a symmetric algorithm.
 */
export function allowedAlgorithms(providerId: string, algorithms: string[] = ['RS256']): string[] {
  const refused = algorithms.filter((a) => !/^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/.test(a));
  if (refused.length === 0 && algorithms.length > 0) return algorithms;
  throw new ConfigurationError({
    code: 'invalid_config',
    provider: providerId,
    operation: 'config',
    message: Messages.invalidConfig(
      providerId,
      `id_token algorithms must be asymmetric (RS256, PS256, ES256...), not ${refused.join(', ') || 'an empty list'}`,
    ),
  });
}

/**
 * Returns the definition with id_token validation as its `validateTokenResult` hook (and `issuer`
 * set when it had none), so the engine validates every exchange and refresh before returning.
 */
export function withIdTokenValidation(
  def: ProviderDefinition,
  opts: IdTokenValidationOptions,
): ProviderDefinition {
  const validator = new IdTokenValidator(def.id, { requireNonce: def.nonce === true, ...opts });
  return {
    ...def,
    issuer: def.issuer ?? opts.issuer,
    validateTokenResult: (result, ctx) => validator.validateResult(result, ctx),
  };
}
