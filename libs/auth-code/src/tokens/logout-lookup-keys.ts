import type { LogoutTokenClaims } from '../core/provider-logout';

/**
 * The lookup keys a session is indexed under for back-channel logout, and the ones a logout token
 * ends. A session is indexed under its user (`sub`) and its provider session (`sid`); one whose
 * id_token had no `sid` also under "`sub`, no `sid`". A token naming a `sid` ends that provider
 * session's sessions and the user's sessions without a `sid` (nothing tells which provider session
 * they belong to); a token naming only a `sub` ends every session of that user with that provider
 * (OpenID Connect Back-Channel Logout 1.0, 2.7).
 */
export const LogoutLookupKeys = {
  /** The keys a session of `provider` is indexed under, from the id_token claims of its login. */
  ofLogin(provider: string, claims: Record<string, unknown> | undefined): string[] {
    const sub = text(claims?.sub);
    const sid = text(claims?.sid);
    const keys: string[] = [];
    if (sub !== undefined) keys.push(key(provider, 'sub', sub));
    if (sid !== undefined) keys.push(key(provider, 'sid', sid));
    else if (sub !== undefined) keys.push(key(provider, 'sub-without-sid', sub));
    return keys;
  },

  /** The keys whose sessions a validated logout token of `provider` ends. */
  ofLogoutToken(provider: string, claims: Pick<LogoutTokenClaims, 'sub' | 'sid'>): string[] {
    if (claims.sid === undefined) return claims.sub ? [key(provider, 'sub', claims.sub)] : [];
    const keys = [key(provider, 'sid', claims.sid)];
    if (claims.sub !== undefined) keys.push(key(provider, 'sub-without-sid', claims.sub));
    return keys;
  },
} as const;

function key(provider: string, kind: string, value: string): string {
  return `${provider}\0${kind}\0${value}`;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' && v.length <= 256 ? v : undefined;
}
