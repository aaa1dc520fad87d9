import 'reflect-metadata';
import { VARIANTS } from './variants';

/** What a server process tells its parent once it listens and holds a logged-in session. */
export interface ReadyMessage {
  type: 'ready';
  url: string;
  headers: Record<string, string>;
}

/** The server's CPU time so far, µs (answer to a `cpu` message). */
export interface CpuMessage {
  type: 'cpu';
  micros: number;
}

/**
 * Child process entry (`fork`ed by `throughput.ts`): `variant-server.ts <variant> <redisKeyPrefix>`.
 * Boots one variant, reports `ready`, answers `cpu` with its CPU time (user + system), and closes
 * the app when the parent sends `stop`, so the load generator never shares this server's event loop.
 */
async function main(): Promise<void> {
  const [name, redisKeyPrefix] = process.argv.slice(2);
  const variant = VARIANTS[name];
  if (!variant) throw new Error(`unknown variant ${name}`);
  const running = await variant.start({ redisKeyPrefix });
  process.on('message', (msg) => {
    if (msg === 'cpu') {
      const { user, system } = process.cpuUsage();
      const answer: CpuMessage = { type: 'cpu', micros: user + system };
      process.send!(answer);
    }
    if (msg !== 'stop') return;
    running.app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  const ready: ReadyMessage = { type: 'ready', url: running.url, headers: running.headers };
  process.send!(ready);
}

main().catch((err: unknown) => {
  process.send?.({ type: 'error', message: String((err as Error)?.stack ?? err) });
  process.exit(1);
});
