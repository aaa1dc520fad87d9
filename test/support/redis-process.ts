import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from 'nestjs-auth-code/testing';

/** Options of {@link RedisProcess.start}. */
export interface RedisProcessOptions {
  /**
   * Keep the data across {@link RedisProcess.stop} and {@link RedisProcess.restart}: the server
   * works in its own temporary directory with an append-only file synced on every write, so even
   * a SIGKILL loses nothing it acknowledged. Without it a restart starts empty.
   * @default false
   */
  persistent?: boolean;
  /**
   * Run as a cluster node (`--cluster-enabled yes`) with its own `nodes.conf` in a temporary
   * directory (kept across restarts, so a restarted node rejoins with its slots) and its cluster
   * bus on a second free port. Joining nodes into a cluster is {@link RedisCluster}'s job.
   * @default false
   */
  cluster?: boolean;
  /** `cluster-node-timeout` of a cluster node, in ms. @default 5000 */
  clusterNodeTimeoutMs?: number;
}

/**
 * A throwaway `redis-server` child process on its own port, for tests that stop and restart Redis
 * (outages) without touching the shared instance.
 */
export class RedisProcess {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly args: string[],
    /** The server's working directory when persistent or a cluster node; none otherwise. */
    private readonly dir?: string,
  ) {}

  /** Starts a server on a free port; resolves once it accepts connections. */
  static async start(options: RedisProcessOptions = {}): Promise<RedisProcess> {
    const needsDir = options.persistent || options.cluster;
    const dir = needsDir ? mkdtempSync(join(tmpdir(), 'redis-process-')) : undefined;
    const port = await freePort();
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', ''];
    if (dir) args.push('--dir', dir);
    if (options.persistent) args.push('--appendonly', 'yes', '--appendfsync', 'always');
    else args.push('--appendonly', 'no');
    if (options.cluster) {
      const timeout = String(options.clusterNodeTimeoutMs ?? 5000);
      args.push('--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf');
      args.push('--cluster-port', String(await freePort()), '--cluster-node-timeout', timeout);
    }
    const proc = new RedisProcess(port, args, dir);
    await proc.restart();
    return proc;
  }

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The server's process id while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** (Re)starts the server on the same port; resolves once it accepts connections. */
  async restart(): Promise<void> {
    if (this.child) return;
    const child = spawn('redis-server', this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
      child.once('error', reject);
    });
  }

  /** Stops the server (SIGKILL: an abrupt outage); resolves once the process has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** Stops the server for good and deletes its directory (if it has one). */
  async dispose(): Promise<void> {
    await this.stop();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** What {@link whenReady} needs of a Redis client (an ioredis `Redis` or `Cluster` has it). */
export interface ReadyEmitter {
  /** `'ready'` once connected. */
  readonly status: string;
  /** Subscribes to the next `'ready'` event. */
  once(event: 'ready', listener: () => void): unknown;
}

/**
 * Resolves once `client` is connected (again), at once if it already is. Failed reconnect attempts
 * on the way do not reject, unlike `events.once(client, 'ready')`, which fails on their `'error'`.
 */
export function whenReady(client: ReadyEmitter): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => client.once('ready', () => resolve()));
}
