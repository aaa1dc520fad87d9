import { randomUUID } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { KeyRing, RedisTokenLock, RedisTokenStore } from 'nestjs-auth-code';
import { RedisCluster } from '../../support/redis-cluster';
import {
  keptLines,
  sha,
  type RecordRef,
  type StoreHarness,
  type StoreInstance,
} from './store-harness';

/** The shared Redis every developer runs; the harness only touches keys under its own prefix. */
const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * The Redis store on one server (the shared one, under a prefix of its own) or on a real 3-master
 * Redis Cluster started for the run. Raw reads go to every master, bypassing the store.
 */
export class RedisHarness implements StoreHarness {
  readonly shared = true;
  readonly sealsSessions = true;
  readonly log = keptLines();
  /** Key prefix of this run. */
  readonly prefix = `auth-code-contract:${randomUUID().slice(0, 8)}:`;
  private readonly opened: Array<{ close(): Promise<void> }> = [];
  private cluster?: RedisCluster;
  private raw?: Redis | Cluster;
  private url = SHARED_REDIS_URL;
  /** How long the cluster took to start, ms (reported by the suite). */
  startupMs = 0;

  constructor(readonly name: 'Redis' | 'Redis Cluster') {}

  async start(): Promise<void> {
    const started = Date.now();
    if (this.name === 'Redis Cluster') {
      this.cluster = await RedisCluster.start();
      this.url = this.cluster.url;
      const raw = new Cluster(this.cluster.nodes.map((n) => ({ host: '127.0.0.1', port: n.port })));
      this.raw = raw;
      await new Promise((resolve) => raw.once('ready', resolve));
    } else {
      this.raw = new Redis(this.url);
    }
    this.startupMs = Date.now() - started;
  }

  open(cipher: KeyRing): StoreInstance {
    const store = new RedisTokenStore({
      redis: this.url,
      cipher,
      keyPrefix: this.prefix,
      logger: this.log,
    });
    const lock = new RedisTokenLock({
      redis: this.url,
      keyPrefix: `${this.prefix}lock:`,
      logger: this.log,
    });
    this.opened.push(store, lock);
    return { store, lock };
  }

  /** The plain servers to scan: the one Redis, or every master of the cluster. */
  private servers(): Redis[] {
    return this.raw instanceof Cluster ? this.raw.nodes('master') : [this.raw as Redis];
  }

  async dump(): Promise<string> {
    const parts: string[] = [];
    for (const server of this.servers()) {
      let cursor = '0';
      do {
        const [next, keys] = await server.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
        cursor = next;
        for (const key of keys) parts.push(key, ...(await valuesOf(server, key)));
      } while (cursor !== '0');
    }
    return parts.join('\n');
  }

  async readSealed(ref: RecordRef): Promise<string | undefined> {
    const key = this.keyOf(ref);
    const value = ref.kind === 'grant' ? await this.raw!.hget(key, 'd') : await this.raw!.get(key);
    return value ?? undefined;
  }

  async writeSealed(ref: RecordRef, sealed: string): Promise<void> {
    const key = this.keyOf(ref);
    if (ref.kind === 'grant') {
      // also writes the version field when the grant did not exist (a record copied to it)
      const version = (await this.raw!.hget(key, 'v')) ?? '1';
      await this.raw!.hset(key, 'v', version, 'd', sealed);
    } else {
      await this.raw!.set(key, sealed, 'KEEPTTL');
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.opened.splice(0).map((part) => part.close()));
    if (this.raw instanceof Redis) {
      const keys = await this.raw.keys(`${this.prefix}*`);
      if (keys.length) await this.raw.del(...keys);
    }
    this.raw?.disconnect();
    await this.cluster?.stop();
  }

  private keyOf(ref: RecordRef): string {
    const d = sha(ref.sessionId);
    return ref.kind === 'session'
      ? `${this.prefix}session:{${d}}`
      : `${this.prefix}grant:{${d}}:${ref.provider}`;
  }
}

async function valuesOf(server: Redis, key: string): Promise<string[]> {
  switch (await server.type(key)) {
    case 'string':
      return [(await server.get(key)) ?? ''];
    case 'hash':
      return Object.entries(await server.hgetall(key)).flat();
    case 'set':
      return server.smembers(key);
    case 'zset':
      return server.zrange(key, 0, -1, 'WITHSCORES');
    default:
      return [];
  }
}
