import { Worker } from 'node:worker_threads';

/** One timed request. */
export interface Sample {
  /** Time to the full answer, in ms. */
  ms: number;
  /** HTTP status. */
  status: number;
}

// Plain JavaScript so the worker needs no TypeScript loader; it keeps its own keep-alive pool.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
async function one(url, headers) {
  const started = performance.now();
  const res = await fetch(url, { headers, redirect: 'manual' });
  await res.arrayBuffer();
  return { ms: performance.now() - started, status: res.status };
}
parentPort.on('message', async ({ id, urls, headers, count }) => {
  const samples = await Promise.all(
    Array.from({ length: count }, (_, i) => one(urls[i % urls.length], headers)),
  );
  parentPort.postMessage({ id, samples });
});
`;

/**
 * Fires bursts of concurrent GETs from a worker thread, so that the client's own work does not
 * queue on the event loop of the servers being measured.
 */
export class LoadGenerator {
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true });
  private next = 0;

  /** `count` GETs at once, round-robin over `urls`, with the same `headers`. */
  burst(urls: string[], headers: Record<string, string>, count: number): Promise<Sample[]> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const onMessage = (msg: { id: number; samples: Sample[] }) => {
        if (msg.id !== id) return;
        this.worker.off('message', onMessage);
        this.worker.off('error', reject);
        resolve(msg.samples);
      };
      this.worker.on('message', onMessage);
      this.worker.once('error', reject);
      this.worker.postMessage({ id, urls, headers, count });
    });
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
