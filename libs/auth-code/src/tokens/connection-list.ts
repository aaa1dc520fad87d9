import type { SessionRecord, StoredGrant, TokenStore } from '../stores/token-store.interface';
import type { Connection } from './connections.types';
import { connectionsId, grantOwner } from './grant-owner';

/**
 * The accounts a session (or a user's connections record) holds, read from the store: every
 * provider of `record`, the user's connections made elsewhere (`book`), and the connections whose
 * refresh token died (`login_required`). Providers are listed once, in that order.
 */
export async function describeConnections(
  store: Pick<TokenStore, 'getGrant'>,
  record: SessionRecord,
  book: SessionRecord | undefined,
): Promise<Connection[]> {
  const sources = new Map<string, string>();
  for (const provider of record.providers) sources.set(provider, grantOwner(record, provider));
  for (const provider of book?.providers ?? []) {
    if (!sources.has(provider)) sources.set(provider, book!.id);
  }
  const live = await Promise.all(
    [...sources].map(async ([provider, owner]) => {
      const grant = await store.getGrant(owner, provider);
      return grant ? describe(provider, grant, owner, record) : undefined;
    }),
  );
  const list = live.filter((c): c is Connection => c !== undefined);
  for (const [provider, lost] of Object.entries(book?.lost ?? {})) {
    if (list.some((c) => c.provider === provider)) continue;
    list.push({
      provider,
      userId: lost.userId,
      displayName: lost.displayName,
      scope: 'user',
      status: 'login_required',
    });
  }
  return list;
}

function describe(
  provider: string,
  grant: StoredGrant,
  owner: string,
  record: SessionRecord,
): Connection {
  const userOwned =
    record.kind === 'connections' ||
    (record.userKey !== undefined && owner === connectionsId(record.userKey));
  return {
    provider,
    userId: grant.profile.id,
    displayName: grant.profile.displayName,
    scope: userOwned ? 'user' : 'session',
    status: 'connected',
    expiresAt: grant.tokenSet.expiresAt,
    refreshExpiresAt: grant.tokenSet.refreshExpiresAt,
    lastRefreshAt: grant.refreshedAt,
  };
}
