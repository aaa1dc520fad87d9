import type { Connection } from './connections.types';
import { connectionsId } from './grant-owner';
import type { ValidToken } from './token.types';

/** What {@link UserTokens} asks of the token service, by the id of the user's connections record. */
export interface UserTokensBackend {
  refresh(owner: string, provider: string, opts: { force?: boolean }): Promise<ValidToken>;
  connections(owner: string): Promise<Connection[]>;
  disconnect(owner: string, provider: string): Promise<void>;
}

/**
 * One user's connected accounts, for code that runs without a request (`TokenService.forUser`):
 * the same single-flight refresh, rotation and `login_required` semantics as a request has.
 */
export class UserTokens {
  private readonly owner: string;

  constructor(
    /** The user's key (`resolveUserKey`). */
    readonly userKey: string,
    private readonly backend: UserTokensBackend,
  ) {
    this.owner = connectionsId(userKey);
  }

  /**
   * An access token for `provider` valid for at least the skew window, refreshed first when due.
   * Throws `LoginRequiredError` when the user has no live connection to it.
   */
  getValidToken(provider: string): Promise<ValidToken> {
    return this.backend.refresh(this.owner, provider, { force: false });
  }

  /** Refreshes when due, or always with `force` (an API answered 401). */
  refresh(provider: string, opts: { force?: boolean } = {}): Promise<ValidToken> {
    return this.backend.refresh(this.owner, provider, opts);
  }

  /** The user's connections, with the ones that need a new login. */
  connections(): Promise<Connection[]> {
    return this.backend.connections(this.owner);
  }

  /** Revokes the connection at the provider (best effort) and deletes it. */
  disconnect(provider: string): Promise<void> {
    return this.backend.disconnect(this.owner, provider);
  }
}
