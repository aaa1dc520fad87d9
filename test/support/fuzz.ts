import type { Parameters } from 'fast-check';

/** The seed every property of the suite runs with unless `FUZZ_SEED` says otherwise. */
export const DEFAULT_FUZZ_SEED = 20260909;

/**
 * fast-check parameters for a property of the suite: a fixed seed and a bounded number of runs, so
 * `npm test` is reproducible and fast. On a failure fast-check prints the seed and the path of the
 * smallest counterexample; rerun exactly that case with
 * `FUZZ_SEED=<seed> FUZZ_PATH=<path> npx jest <spec>`, or explore further with `FUZZ_RUNS=10000`.
 */
export function fuzzRuns<T>(numRuns: number): Parameters<T> {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : DEFAULT_FUZZ_SEED;
  const runs = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : numRuns;
  return {
    seed,
    numRuns: runs,
    path: process.env.FUZZ_PATH,
    endOnFailure: true,
  };
}
