import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The built sample app, as `npm start` runs it. */
export const SAMPLE_MAIN = join(__dirname, '../../dist/apps/sample/apps/sample/src/main.js');

/** What a sample process printed, and how it ended (or that it was still running). */
export interface SampleRun {
  /** stdout and stderr, interleaved. */
  output: string;
  /** Exit code, or `null` when it was still running after it printed `until` (then killed). */
  exitCode: number | null;
}

/**
 * Runs the built sample with exactly `env` (plus PATH), until it exits or prints `until`, then
 * stops it. Fails with what to do when the sample has not been built (`npm test` builds it first).
 */
export function runSample(env: Record<string, string>, until = /Open http/): Promise<SampleRun> {
  if (!existsSync(SAMPLE_MAIN))
    throw new Error(`${SAMPLE_MAIN} is missing: run \`npm run build\` (npm test does it first)`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SAMPLE_MAIN], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let done = false;
    const timer = setTimeout(() => finish(null, 'no answer in 20 s'), 20_000);
    const finish = (exitCode: number | null, error?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGTERM');
      if (error) reject(new Error(`${error}; output so far:\n${output}`));
      else resolve({ output, exitCode });
    };
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8'); // NO_COLOR=1: Nest writes no colour codes
      if (until.test(output) && child.exitCode === null) finish(null);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (err) => finish(null, err.message));
    child.on('exit', (code) => finish(code));
  });
}
