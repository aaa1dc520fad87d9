import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '@app/auth-code/testing';

/**
 * A private `redis-server` child for outage tests (never the shared one on 6379). Unlike the
 * library's `RedisProcess`, it works in its own temporary directory, so an explicit
 * {@link snapshot} survives a kill: after {@link restart} the sessions are back, and a test can
 * show the same session working again once Redis returns.
 */
export class RedisChild {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  /** Starts a server on a free port in a fresh temporary directory. */
  static async start(): Promise<RedisChild> {
    const child = new RedisChild(await freePort(), mkdtempSync(join(tmpdir(), 'tokens-redis-')));
    await child.restart();
    return child;
  }

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Writes the data set to disk now (`SAVE`); a restart loads it. */
  async snapshot(): Promise<void> {
    const client = new Redis(this.url);
    try {
      await client.save();
    } finally {
      client.disconnect();
    }
  }

  /** Kills the server (SIGKILL: an abrupt outage); resolves once it has exited. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** Starts the server again on the same port; resolves once it accepts connections. */
  async restart(): Promise<void> {
    if (this.child) return;
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ];
    const child = spawn('redis-server', [...args, '--dir', this.dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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

  /** Kills the server and deletes its directory. */
  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
