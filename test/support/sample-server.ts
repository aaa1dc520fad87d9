import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SAMPLE_MAIN } from '../newcomer/sample-process';

/** A built sample app running as its own process, as `npm start` runs it. */
export interface SampleServer {
  /** Everything it printed so far (stdout and stderr, interleaved). */
  output(): string;
  /**
   * Sends SIGTERM and resolves once it exited, with how: `SIGTERM` when Nest's shutdown hooks ran
   * and re-raised the signal (a graceful stop), `SIGKILL` when it did not stop within 10 s, else
   * `exit <code>`.
   */
  stop(): Promise<string>;
}

/**
 * Starts the built sample with exactly `env` (plus PATH) and resolves once it printed its
 * `Open http…` line; rejects with its output when it ends first or prints nothing in 30 s.
 */
export async function startSampleServer(env: Record<string, string>): Promise<SampleServer> {
  if (!existsSync(SAMPLE_MAIN))
    throw new Error(`${SAMPLE_MAIN} is missing: run \`npm run build\` (npm test does it first)`);
  const child = spawn(process.execPath, [SAMPLE_MAIN], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? `exit ${code}`)),
  );
  await new Promise<void>((resolve, reject) => {
    let started = false;
    const timer = setTimeout(() => fail('no "Open http" line in 30 s'), 30_000);
    const fail = (why: string) => {
      if (started) return;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`the sample did not start (${why}); output:\n${output}`));
    };
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (!started && /Open http/.test(output)) {
        started = true;
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    void exited.then((how) => fail(`it ended: ${how}`));
  });
  return {
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
