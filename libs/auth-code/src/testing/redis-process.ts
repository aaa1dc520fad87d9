import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port';

/**
 * A throwaway `redis-server` child process on its own port, for tests that stop and restart Redis
 * (outages) without touching the shared instance. No persistence: a restart starts empty.
 */
export class RedisProcess {
  private child?: ChildProcess;

  private constructor(readonly port: number) {}

  /** Starts a server on a free port. */
  static async start(): Promise<RedisProcess> {
    const proc = new RedisProcess(await freePort());
    await proc.restart();
    return proc;
  }

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** (Re)starts the server on the same port; resolves once it accepts connections. */
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
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
}
