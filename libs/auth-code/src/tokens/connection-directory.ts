import { createHash } from 'node:crypto';
import type { TokenLogger } from '../core/token-logger';
import type { SessionRecord, StoredGrant, TokenStore } from '../stores/token-store.interface';
import { connectionsId } from './grant-owner';

/** Shards of one provider's directory; a user's key lives in one, chosen by its digest. */
const SHARDS = 32;
/** Most user keys one shard holds: about 160,000 users per provider in all. */
const MAX_USERS_PER_SHARD = 5000;
/** Compare-and-set attempts of one change before it is given up (and logged). */
const MAX_ATTEMPTS = 12;
/** Start of every shard's owner id: never a session id (43 base64url chars) nor `user:…`. */
const DIRECTORY_PREFIX = 'connections-directory:';

/** A user {@link ConnectionDirectory.connectedUsers} found, with the state of the connection. */
export interface ConnectedUser {
  /** The user's key (`resolveUserKey`), as `TokenService.forUser()` and `callForUser()` take it. */
  userKey: string;
  /** `connected`, or `login_required` when its refresh token died and the user must log in again. */
  status: 'connected' | 'login_required';
}

/** Options of a {@link ConnectionDirectory}. */
export interface ConnectionDirectoryOptions {
  /** How long a shard is kept after its last write, ms (the connections' TTL). */
  ttlMs: number;
  /** Warnings (a full shard, a change given up). */
  logger: TokenLogger;
  /** Clock, epoch ms. */
  now: () => number;
}

/** What the directory asks of the store: grants (compare-and-set) and the connections records. */
export type DirectoryStore = Pick<TokenStore, 'getGrant' | 'compareAndSetGrant' | 'getSession'>;

/**
 * Which users hold a connection (a user-scoped grant) to each provider, so that background work
 * (`TokenService.connectedUsers`) can find them with no request and after a restart.
 *
 * Kept in the token store itself, through the calls every store has: each provider's user keys
 * are spread over {@link SHARDS} grant-shaped records under the owner ids
 * `connections-directory:<n>` (no token in them; encrypted at rest and written by
 * compare-and-set, like every grant), so that any store, custom ones included, holds it with no
 * new method, and instances sharing the store share it. A key is added when the user connects
 * and forgotten at disconnect; a key whose connections record has expired is forgotten the next
 * time the directory is read. For more users than a shard holds, list your own users and use
 * `TokenService.forUser()`.
 */
export class ConnectionDirectory {
  constructor(
    private readonly store: DirectoryStore,
    private readonly o: ConnectionDirectoryOptions,
  ) {}

  /** Records that `userKey` holds a connection to `provider` (also keeps its shard alive). */
  async add(provider: string, userKey: string): Promise<void> {
    await this.change(provider, userKey, (users, stale) => {
      if (users.includes(userKey)) return stale ? users : undefined;
      if (users.length >= MAX_USERS_PER_SHARD) {
        this.o.logger.warn(
          `The ${provider} connections directory is full (${MAX_USERS_PER_SHARD} users in a shard); TokenService.connectedUsers will not list every user`,
        );
        return undefined;
      }
      return [...users, userKey];
    });
  }

  /**
   * Forgets `userKey` for `provider` — unless its connections record lists the provider again
   * once the key is gone (a login that reconnected meanwhile), which puts it back.
   */
  async forget(provider: string, userKey: string): Promise<void> {
    await this.change(provider, userKey, (users) =>
      users.includes(userKey) ? users.filter((u) => u !== userKey) : undefined,
    );
    if (stateOf(await this.store.getSession(connectionsId(userKey)), provider)) {
      await this.add(provider, userKey);
    }
  }

  /**
   * The users whose connections record lists `provider` (live or `login_required`), each once,
   * shard by shard; keys whose record is gone are forgotten on the way. One store read per shard
   * and per user.
   */
  async *connectedUsers(provider: string): AsyncGenerator<ConnectedUser> {
    for (let shard = 0; shard < SHARDS; shard++) {
      const users = usersOf(await this.store.getGrant(shardId(shard), provider));
      for (const userKey of users) {
        const status = stateOf(await this.store.getSession(connectionsId(userKey)), provider);
        if (status) yield { userKey, status };
        else await this.forget(provider, userKey);
      }
    }
  }

  /**
   * Changes the shard of `userKey` by compare-and-set, retried on a concurrent writer.
   * `next(users, stale)` returns the new list, or undefined for no write; `stale`: the shard has
   * not been written for a quarter of its TTL (rewrite it to keep it).
   */
  private async change(
    provider: string,
    userKey: string,
    next: (users: string[], stale: boolean) => string[] | undefined,
  ): Promise<void> {
    const owner = shardId(shardOf(userKey));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const grant = await this.store.getGrant(owner, provider);
      const stale = grant !== undefined && this.o.now() - grant.updatedAt > this.o.ttlMs / 4;
      const users = next(usersOf(grant), stale);
      if (users === undefined) return;
      const written = await this.store.compareAndSetGrant(
        owner,
        provider,
        shardRecord(provider, users),
        grant?.version ?? 0,
        this.o.ttlMs,
      );
      if (written) return;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
    }
    this.o.logger.warn(
      `The ${provider} connections directory changed concurrently ${MAX_ATTEMPTS} times; a user may be missing from TokenService.connectedUsers until their next login`,
    );
  }
}

/** The owner id of shard `n`. */
function shardId(n: number): string {
  return `${DIRECTORY_PREFIX}${n}`;
}

/** The shard of a user key: the first bytes of its SHA-256. */
function shardOf(userKey: string): number {
  return createHash('sha256').update(userKey).digest().readUInt32BE(0) % SHARDS;
}

/** A shard as a grant-shaped record: its user keys in `claims`, no token. */
function shardRecord(
  provider: string,
  users: string[],
): Omit<StoredGrant, 'version' | 'updatedAt'> {
  return {
    tokenSet: { accessToken: '', tokenType: 'none', expiresAt: 0 },
    profile: { provider, id: 'connections-directory' },
    claims: { users },
  };
}

/** The user keys of a shard record (anything malformed reads as none). */
function usersOf(grant: StoredGrant | undefined): string[] {
  const users = grant?.claims?.users;
  return Array.isArray(users) ? users.filter((u): u is string => typeof u === 'string') : [];
}

/** How a connections record holds `provider`: connected, lost (`login_required`), or not at all. */
function stateOf(
  record: SessionRecord | undefined,
  provider: string,
): ConnectedUser['status'] | undefined {
  if (record?.kind !== 'connections') return undefined;
  if (record.providers.includes(provider)) return 'connected';
  return record.lost?.[provider] ? 'login_required' : undefined;
}
