import type { ProviderRegistry } from '../../core/provider-registry';
import { checkCallbackIssuer } from '../../engine/callback-issuer.check';
import { cookieHeader } from '../http/http-request';
import { readCallbackParams } from '../transactions/callback-params';
import type { LoginTransactionService } from '../transactions/login-transaction.service';
import { loginRequest, type StrategyRequest } from './strategy-request';

type Verified = (err: Error | null, ok?: string | boolean, info?: unknown) => void;

/**
 * passport-oauth2's state store, backed by the library's login transactions: `verify` consumes
 * the attempt named by `state` (single use, this browser's, this provider's; RFC 9207 `iss`) and
 * hands passport-oauth2 its PKCE verifier. The attempt is kept on the request for `validate`.
 * Attempts are begun by the strategy itself (its authorize URLs are the engine's), never here.
 */
export class TransactionStateStore {
  constructor(
    private readonly providerId: string,
    private readonly registry: ProviderRegistry,
    private readonly transactions: LoginTransactionService,
  ) {}

  /** Not used: the strategy begins attempts itself. */
  store(_req: unknown, _meta: unknown, callback: (err: Error) => void): void {
    callback(new Error('nestjs-auth-code begins login attempts in its strategy'));
  }

  /** Completes the attempt of the callback (arity 4: passport-oauth2 passes its meta). */
  verify(req: StrategyRequest, state: string, _meta: unknown, callback: Verified): void {
    this.complete(req, state).then(
      (verifier) => callback(null, verifier),
      (err: Error) => callback(err),
    );
  }

  private async complete(req: StrategyRequest, state: string): Promise<string | true> {
    const login = loginRequest(req);
    const { iss } = readCallbackParams(req.query ?? {});
    const http = { cookieHeader: cookieHeader(req), client: req.ip, res: login.response };
    login.transaction = await this.transactions.complete(http, this.providerId, state);
    checkCallbackIssuer(await this.registry.get(this.providerId), iss);
    return login.transaction.codeVerifier ?? true;
  }
}
