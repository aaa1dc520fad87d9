import { PassportStrategy } from '@nestjs/passport';
import type { TokenResponse } from '../../core/token-set';
import type { AuthCodeLogin } from '../../tokens/token.types';
import { EngineOAuth2Strategy, type AuthCodeStrategyDeps } from './engine-oauth2.strategy';

/** A Nest Passport strategy class for one provider id. */
export type AuthCodeStrategyClass = new (deps: AuthCodeStrategyDeps) => EngineOAuth2Strategy;

const classes = new Map<string, AuthCodeStrategyClass>();

/**
 * Returns the Passport strategy class for a provider id (`@nestjs/passport` mixin over
 * {@link EngineOAuth2Strategy}, registered under the provider id). Seed providers subclass it in
 * their own folder; any other provider (OIDC, OAuth2) gets one on demand.
 */
export function AuthCodeStrategy(providerId: string): AuthCodeStrategyClass {
  const known = classes.get(providerId);
  if (known) return known;
  class ProviderStrategy extends PassportStrategy(EngineOAuth2Strategy, providerId, true) {
    constructor(deps: AuthCodeStrategyDeps) {
      super(deps);
    }

    /**
     * passport-oauth2's verify callback (five parameters, so that it is handed the token answer):
     * the login, validated, with the tokens kept for the token service.
     */
    validate(
      req: unknown,
      _accessToken: string,
      _refreshToken: string,
      response: TokenResponse,
      _profile: undefined,
    ): Promise<AuthCodeLogin> {
      return this.completeLogin(req, response);
    }
  }
  Object.defineProperty(ProviderStrategy, 'name', { value: `${pascal(providerId)}Strategy` });
  classes.set(providerId, ProviderStrategy);
  return ProviderStrategy;
}

function pascal(id: string): string {
  return id.replace(/(^|[-_])(\w)/g, (_m, _s, c: string) => c.toUpperCase());
}
