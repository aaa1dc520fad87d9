import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_PROVIDER_APIS } from '../../providers/provider-list';
import { callProviderApi } from '../../api/provider-api.caller';
import {
  genericApiDescription,
  PROFILE_CALL,
  type ProviderApiDescription,
} from '../../api/provider-api.description';
import type { ProviderDefinition } from '../../core/provider-definition';
import type { TokenSet } from '../../core/token-set';
import { ProviderRegistry } from '../../core/provider-registry';
import { AuthCodeEngine } from '../../engine/auth-code.engine';
import type { SessionRecord } from '../../stores/token-store.interface';
import { TokenService } from '../../tokens/token.service';
import { AUTH_CODE_RESOLVED_OPTIONS } from '../options/auth-code.constants';
import type { ResolvedAuthCodeOptions } from '../options/auth-code.options';

/**
 * Calls provider APIs with a session's access token and turns the answers into typed errors:
 * 401 / token-dead codes → `token_dead` (what `TokenRefreshInterceptor` refreshes and retries
 * on), 429 / rate-limit codes → `rate_limited`, garbage → `invalid_response`/`server_error`,
 * timeouts → `timeout`. How each provider is called and read is data
 * ({@link ProviderApiDescription}: the seed providers' plus the module's `apis` option; any
 * other provider with a userinfo endpoint gets it as `profile`).
 *
 * A DPoP-bound token (RFC 9449) is presented with a proof signed by the grant's key, with the
 * resource server's nonce. It never hands out the token, and cuts it out of any answer that
 * echoes it. `callForUser` does the same for a user's connection, without a request.
 */
@Injectable()
export class ProviderApiClient {
  private readonly apis: Map<string, ProviderApiDescription>;

  constructor(
    @Inject(TokenService)
    private readonly tokens: Pick<TokenService, 'getValidToken' | 'forUser'>,
    @Inject(ProviderRegistry) private readonly registry: Pick<ProviderRegistry, 'get'>,
    @Inject(AuthCodeEngine) private readonly engine: Pick<AuthCodeEngine, 'http'>,
    @Inject(AUTH_CODE_RESOLVED_OPTIONS) options: Pick<ResolvedAuthCodeOptions, 'apis'>,
  ) {
    this.apis = new Map(
      [...DEFAULT_PROVIDER_APIS, ...(options.apis ?? [])].map((d) => [d.provider, d]),
    );
  }

  /**
   * Makes `call` (default `profile`) of `provider`'s API for a session, with its access token
   * (refreshed first when due). Returns the payload (inside the envelope, e.g. iSolarCloud's
   * `result_data`). Throws `login_required` without a grant.
   * @param session the session record when the caller has already read it for this request
   *   (`@CurrentSession()`): only the grant is read, not the session again. Ignored when its id
   *   is not `sessionId`. @default read from the store
   */
  async call<T = unknown>(
    sessionId: string,
    provider: string,
    call = PROFILE_CALL,
    session?: SessionRecord,
  ): Promise<T> {
    const def = await this.registry.get(provider);
    const { tokenSet } = await this.tokens.getValidToken(sessionId, provider, session);
    return this.send<T>(def, call, tokenSet);
  }

  /**
   * Makes `call` of `provider`'s API for a user's connection (a user-scoped grant), without a
   * request: a cron job, a queue worker. The token is refreshed first when due, once across
   * instances; throws `login_required` when the user has no live connection to `provider`.
   */
  async callForUser<T = unknown>(
    userKey: string,
    provider: string,
    call = PROFILE_CALL,
  ): Promise<T> {
    const def = await this.registry.get(provider);
    const user = this.tokens.forUser(userKey);
    const { tokenSet } = await user.getValidToken(provider);
    try {
      return await this.send<T>(def, call, tokenSet);
    } catch (err) {
      // what TokenRefreshInterceptor does for a request: refresh once (single-flight), try again
      if ((err as { code?: string }).code !== 'token_dead') throw err;
      return this.send<T>(def, call, (await user.refresh(provider, { force: true })).tokenSet);
    }
  }

  /** One call with a grant's tokens (its access token, and its DPoP key when bound). */
  private send<T>(def: ProviderDefinition, call: string, tokenSet: TokenSet): Promise<T> {
    return callProviderApi<T>(
      this.engine.http,
      def,
      this.describe(def),
      call,
      tokenSet.accessToken,
      tokenSet,
    );
  }

  /** Makes `call` of `provider`'s API with an access token you hold. */
  async callWithToken<T = unknown>(
    provider: string,
    accessToken: string,
    call = PROFILE_CALL,
  ): Promise<T> {
    const def = await this.registry.get(provider);
    return callProviderApi<T>(this.engine.http, def, this.describe(def), call, accessToken);
  }

  /** The API description in effect for a provider. */
  describe(def: ProviderDefinition): ProviderApiDescription | undefined {
    return this.apis.get(def.id) ?? genericApiDescription(def);
  }
}
