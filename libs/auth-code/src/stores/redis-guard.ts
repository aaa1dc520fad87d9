import { ServiceUnavailableError } from '../errors/auth-code.errors';
import { Messages } from '../errors/error-messages';
import { describeRedisError, type RedisClient } from './redis-connection';

/**
 * Runs store commands so that every Redis failure surfaces as one typed error. Before the client's
 * first `ready` it waits for the connection (up to `startupWaitMs`); after that it never waits:
 * an unreachable Redis fails the call at once and the client reconnects in the background.
 */
export class RedisGuard {
  private firstReady?: Promise<void>;

  constructor(
    private readonly client: RedisClient,
    private readonly startupWaitMs: number,
  ) {}

  /** Runs `fn`; any error becomes {@link ServiceUnavailableError} `store_unavailable` (503). */
  async run<T>(fn: (client: RedisClient) => Promise<T>): Promise<T> {
    try {
      await this.startup();
      return await fn(this.client);
    } catch (err) {
      if (err instanceof ServiceUnavailableError) throw err;
      const what = this.client.isCluster ? 'Redis Cluster' : 'Redis';
      throw unavailable(`${what}: ${describeRedisError(err)}`, err);
    }
  }

  private startup(): Promise<void> {
    if (this.client.status === 'ready') {
      this.firstReady ??= Promise.resolve();
      return Promise.resolve();
    }
    this.firstReady ??= waitForReady(this.client, this.startupWaitMs);
    return this.firstReady;
  }
}

function waitForReady(client: RedisClient, ms: number): Promise<void> {
  if (client.status === 'wait') client.connect().catch(() => undefined);
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    // Resolve either way: a command sent while not ready then fails at once with a clear reason.
    const timer = setTimeout(done, ms).unref();
    client.once('ready', done);
  });
}

function unavailable(reason: string, cause: unknown): ServiceUnavailableError {
  return new ServiceUnavailableError({
    code: 'store_unavailable',
    operation: 'store',
    message: Messages.storeUnavailable(reason),
    cause,
  });
}
