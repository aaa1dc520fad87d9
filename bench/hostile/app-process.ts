import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { HostileAppCpu, HostileAppReady } from './hostile-app.messages';

const ENTRY = join('bench', 'hostile', 'hostile-app.server.ts');

/**
 * One sample-app process of the bench, forked from the checkout at `root` (this one, or an older
 * one for the "before" column) with that checkout's own sources and tsconfig paths.
 */
export class AppProcess {
  private child?: ChildProcess;
  url = '';

  constructor(
    /** Checkout the app's code is taken from. */
    readonly root: string,
    private readonly upstream: string,
  ) {}

  /** Forks the app and waits until it listens. */
  async start(): Promise<void> {
    const child = fork(join(this.root, ENTRY), [this.upstream], {
      cwd: this.root,
      execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
      env: { ...process.env, TS_NODE_PROJECT: join(this.root, 'tsconfig.json') },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    this.url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) =>
        reject(new Error(`app (${this.root}) exited ${code}: ${stderr}`)),
      );
      child.once('message', (m: HostileAppReady | { type: 'error'; message: string }) =>
        m.type === 'ready' ? resolve(m.url) : reject(new Error(m.message)),
      );
    });
    child.removeAllListeners('exit');
  }

  /** The process's CPU time so far (µs) and resident memory (bytes). */
  cpu(): Promise<{ micros: number; rss: number }> {
    const child = this.child!;
    return new Promise((resolve) => {
      const on = (m: HostileAppCpu) => {
        if (m.type !== 'cpu') return;
        child.off('message', on);
        resolve({ micros: m.micros, rss: m.rss });
      };
      child.on('message', on);
      child.send('cpu');
    });
  }

  /** Kills the process at once (a request that exceeded the cap may still be burning CPU). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((r) => {
      child.once('exit', () => r());
      child.kill('SIGKILL');
    });
  }

  /** Kills and starts it again. */
  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }
}
