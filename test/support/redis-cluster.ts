import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { RedisProcess } from './redis-process';

const run = promisify(execFile);

/** Options of {@link RedisCluster.start}. */
export interface RedisClusterOptions {
  /** Number of masters (no replicas). @default 3 */
  masters?: number;
  /** Nodes keep their data across a restart (append-only file, fsync always). @default false */
  persistent?: boolean;
  /** `cluster-node-timeout`, ms: how long a node may be gone before the cluster fails it. @default 5000 */
  nodeTimeoutMs?: number;
}

/**
 * A real Redis Cluster of throwaway `redis-server` child processes on free loopback ports, each in
 * its own temporary directory, joined with `redis-cli --cluster create`. Nodes can be stopped
 * (SIGKILL, by PID) and restarted on the same port; a restarted node rejoins with its slots.
 */
export class RedisCluster {
  private constructor(readonly nodes: RedisProcess[]) {}

  /** Starts the nodes, creates the cluster and resolves once every node reports `cluster_state:ok`. */
  static async start(options: RedisClusterOptions = {}): Promise<RedisCluster> {
    const count = options.masters ?? 3;
    const nodes: RedisProcess[] = [];
    try {
      for (let i = 0; i < count; i++) {
        nodes.push(
          await RedisProcess.start({
            cluster: true,
            persistent: options.persistent,
            clusterNodeTimeoutMs: options.nodeTimeoutMs,
          }),
        );
      }
      const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
      await run('redis-cli', [
        '--cluster',
        'create',
        ...addresses,
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      const cluster = new RedisCluster(nodes);
      await cluster.whenHealthy();
      return cluster;
    } catch (err) {
      await Promise.all(nodes.map((n) => n.dispose()));
      throw err;
    }
  }

  /** `redis-cluster://127.0.0.1:P1,127.0.0.1:P2,…`, as `AUTH_STORE` takes it. */
  get url(): string {
    return `redis-cluster://${this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`;
  }

  /** Resolves once every running node says `cluster_state:ok` (polled, up to `timeoutMs`). */
  async whenHealthy(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(this.nodes.map((n) => this.info(n.port)));
      if (states.every((s) => s.includes('cluster_state:ok'))) return;
      if (Date.now() > deadline) throw new Error(`cluster not healthy: ${states.join(' | ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The index in {@link nodes} of the master serving `key`'s slot. */
  async nodeOf(key: string): Promise<number> {
    const client = new Redis(this.nodes[0].port, '127.0.0.1', { lazyConnect: true });
    try {
      await client.connect();
      const slot = (await client.cluster('KEYSLOT', key)) as number;
      const ranges = await client.cluster('SLOTS');
      const range = ranges.find(([from, to]) => slot >= from && slot <= to);
      const index = this.nodes.findIndex((n) => n.port === range?.[2]?.[1]);
      if (index === -1) throw new Error(`no node serves slot ${slot}`);
      return index;
    } finally {
      client.disconnect();
    }
  }

  /** One plain client per master (for reading raw keys); close them with `disconnect()`. */
  masters(): Redis[] {
    return this.nodes.map((n) => new Redis(n.port, '127.0.0.1'));
  }

  /** Stops every node (SIGKILL, by PID) and deletes their directories. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.dispose()));
  }

  private async info(port: number): Promise<string> {
    try {
      const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'info']);
      return stdout;
    } catch {
      return 'unreachable';
    }
  }
}
