/**
 * The normalized user, the same for every provider. It never carries a token.
 */
export interface Profile {
  /** Id of the provider definition this profile came from, e.g. `isolarcloud`. */
  provider: string;
  /** The user's stable id at the provider (iSolarCloud `auth_user`, OIDC `sub`, XT `user_id`). */
  id: string;
  /** A human readable name, when the provider gives one. */
  displayName?: string;
  /** E-mail address, when the provider gives one. */
  email?: string;
  /** Provider specific extras (for iSolarCloud: `plantIds`, the authorized plant ids). */
  extras?: Record<string, unknown>;
}
