import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from 'nestjs-auth-code/testing';
import { SAMPLE_MAIN } from '../newcomer/sample-process';

export { freePort };

/** `getconf CLK_TCK` on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * One built sample app (`dist/…/main.js`, as `npm start` runs it) in its own process, with its
 * own port and the environment it is given: a real app instance beside others on one store.
 */
export class SampleProcess {
  private child?: ChildProcess;
  /** stdout and stderr so far. */
  output = '';

  constructor(
    /** The port it listens on. */
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  /** `http://127.0.0.1:<port>`: where requests to this instance go. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts it and waits until it listens (it prints `Open …`). */
  async start(): Promise<void> {
    const child = spawn(process.execPath, [SAMPLE_MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        NO_COLOR: '1',
        HOST: '127.0.0.1',
        PORT: String(this.port),
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const started = this.output.length;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail('no "Open" line in 30 s'), 30_000);
      const fail = (why: string) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`sample on ${this.port}: ${why}\n${this.output.slice(started)}`));
      };
      const collect = (chunk: Buffer) => {
        this.output += chunk.toString('utf8');
        if (/Open http/.test(this.output.slice(started))) {
          clearTimeout(timer);
          child.off('exit', onExit);
          resolve();
        }
      };
      const onExit = (code: number | null) => fail(`exited ${code}`);
      child.stdout!.on('data', collect);
      child.stderr!.on('data', collect);
      child.once('exit', onExit);
    });
  }

  /** CPU time (user + system) the process has used so far, in µs (Linux `/proc`). */
  cpuMicros(): number {
    const pid = this.child?.pid;
    if (pid === undefined) return 0;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name (which may hold spaces): utime and stime are the 12th and 13th
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1e6) / CLOCK_TICKS_PER_SECOND;
  }

  /** Stops it gracefully (SIGTERM: shutdown hooks run, upkeep stops, connections close). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  /** Stops and starts it again on the same port with the same environment (same keys). */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}

/** Starts `count` sample processes with one environment (one store, one set of keys). */
export async function startSampleProcesses(
  count: number,
  env: (port: number, index: number) => Record<string, string>,
): Promise<SampleProcess[]> {
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const apps = ports.map((port, i) => new SampleProcess(port, env(port, i)));
  try {
    await Promise.all(apps.map((a) => a.start()));
  } catch (err) {
    await Promise.all(apps.map((a) => a.stop()));
    throw err;
  }
  return apps;
}
