import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from 'nestjs-auth-code/testing';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'apps', 'sample', 'src', 'main.ts');

/**
 * The sample app (`apps/sample/src/main.ts`, as `npm start` runs it, from the sources through
 * ts-node) in a child process of its own, configured only by environment variables, on a free
 * loopback port: one "pod" of a multi-instance deployment.
 */
export class SampleAppProcess {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    /** Where it listens, `http://127.0.0.1:<port>`. */
    readonly url: string,
  ) {}

  /** Starts the app with `env` (plus PATH, PORT and HOST) and resolves once it listens. */
  static async start(env: Record<string, string>): Promise<SampleAppProcess> {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', MAIN],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          NO_COLOR: '1',
          TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
          ...env,
          PORT: String(port),
          HOST: '127.0.0.1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const proc = new SampleAppProcess(child, `http://127.0.0.1:${port}`);
    await proc.listening();
    return proc;
  }

  /** Stops it with SIGTERM (the app's shutdown hooks close its store connections) and waits. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  private listening(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail('no "Open http" line in 60 s'), 60_000);
      const fail = (why: string) => {
        clearTimeout(timer);
        this.child.kill('SIGKILL');
        reject(new Error(`sample app: ${why}; output:\n${this.output}`));
      };
      // read both streams for the app's whole life (a full pipe would block it), keeping a tail
      const collect = (chunk: Buffer) => {
        this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
        if (/Open http/.test(this.output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      this.child.stdout!.on('data', collect);
      this.child.stderr!.on('data', collect);
      this.child.once('exit', (code) => fail(`exited with ${code}`));
    });
  }
}
