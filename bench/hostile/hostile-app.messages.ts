/* Messages between the hostile-input bench and its app process (no side effects: the parent imports this). */

/** What the app process tells its parent once it listens. */
export interface HostileAppReady {
  type: 'ready';
  url: string;
}

/** The app process's CPU time so far, µs, and its resident memory (answer to a `cpu` message). */
export interface HostileAppCpu {
  type: 'cpu';
  micros: number;
  rss: number;
}

/** The public base URL the app claims; the bench rebases redirects onto the real one. */
export const BENCH_BASE_URL = 'http://localhost:3000';
