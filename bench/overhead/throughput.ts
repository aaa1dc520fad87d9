import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import type { CpuMessage, ReadyMessage } from './variant-server';
import { HELLO_PATH } from './hello.controller';
import { REDIS_URL, type Variant } from './variants';

/** How a throughput comparison runs. */
export interface ThroughputPlan {
  /** Concurrent keep-alive connections of autocannon. @default 50 */
  connections: number;
  /** Unrecorded run per variant before the first round, seconds. */
  warmupSeconds: number;
  /** Recorded runs per variant. */
  rounds: number;
  /** Length of one recorded run, seconds. */
  seconds: number;
}

/** What one autocannon run measured. */
export interface RunFigures {
  /** Answers per second. */
  rps: number;
  /** The server process's CPU time (user + system) per answer, µs. */
  cpuMicros: number;
  /** Answers in the run. */
  answers: number;
}

/** The recorded runs of one variant. */
export interface VariantThroughput {
  variant: Variant;
  /** Requests per second of each run. */
  runs: number[];
  /** Server CPU µs per request of each run. */
  cpu: number[];
  /** Answers of all recorded runs together. */
  answers: number;
}

/** A variant's server process. */
interface Server {
  variant: Variant;
  child: ChildProcess;
  url: string;
  headers: Record<string, string>;
}

const SERVER_ENTRY = join(__dirname, 'variant-server.ts');

/**
 * Forks one server process. `BENCH_CPU_PROF=<dir>` makes it write a V8 CPU profile there when it
 * exits (for looking at the hot path; figures taken while profiling are not comparable).
 */
function startServer(variant: Variant, redisKeyPrefix: string): Promise<Server> {
  const profile = process.env.BENCH_CPU_PROF;
  const child = fork(SERVER_ENTRY, [variant.name, redisKeyPrefix], {
    execArgv: [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []),
    ],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${variant.name} exited (${code}): ${stderr}`)));
    child.once('message', (msg: ReadyMessage | { type: 'error'; message: string }) => {
      if (msg.type === 'ready') resolve({ variant, child, url: msg.url, headers: msg.headers });
      else reject(new Error(`${variant.name} failed to start: ${msg.message}`));
    });
  });
}

function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve();
    server.child.removeAllListeners('exit');
    server.child.once('exit', () => resolve());
    server.child.send('stop');
  });
}

/** The route answers 200 with the session and `statusWithoutSession` without: the guard is live. */
async function check(server: Server): Promise<void> {
  const url = server.url + HELLO_PATH;
  const withSession = await fetch(url, { headers: server.headers });
  const without = await fetch(url, { headers: { accept: 'application/json' } });
  await Promise.all([withSession.arrayBuffer(), without.arrayBuffer()]);
  if (withSession.status !== 200 || without.status !== server.variant.statusWithoutSession) {
    throw new Error(
      `${server.variant.name}: ${withSession.status} with the session, ${without.status} without ` +
        `(expected 200 and ${server.variant.statusWithoutSession})`,
    );
  }
}

function cpuMicros(server: Server): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (msg: CpuMessage) => {
      if (msg.type !== 'cpu') return;
      server.child.off('message', onMessage);
      resolve(msg.micros);
    };
    server.child.on('message', onMessage);
    server.child.send('cpu');
  });
}

/** One autocannon run; throws when any answer was not 2xx (a rejected request is cheaper). */
async function run(server: Server, connections: number, seconds: number): Promise<RunFigures> {
  const cpuBefore = await cpuMicros(server);
  const result = await autocannon({
    url: server.url + HELLO_PATH,
    headers: server.headers,
    connections,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `${server.variant.name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  const cpu = (await cpuMicros(server)) - cpuBefore;
  const answers = result.requests.total;
  return { rps: answers / result.duration, cpuMicros: cpu / answers, answers };
}

/**
 * Measures each variant's requests per second and the server's CPU time per request: one server
 * process per variant (the load comes from this process), a warm-up each, then `rounds` rounds
 * that run every variant once, in an order rotated by one per round, so slow spells of a shared
 * machine spread over all of them.
 */
export async function measureThroughput(
  variants: Variant[],
  plan: ThroughputPlan,
): Promise<VariantThroughput[]> {
  const redisKeyPrefix = `bench:overhead:${randomUUID().slice(0, 8)}:`;
  const servers: Server[] = [];
  try {
    for (const variant of variants) {
      const server = await startServer(variant, redisKeyPrefix);
      servers.push(server);
      await check(server);
      console.log(`  ${variant.name} listening at ${server.url}`);
    }
    for (const server of servers) await run(server, plan.connections, plan.warmupSeconds);
    const results = servers.map((s): VariantThroughput => ({
      variant: s.variant,
      runs: [],
      cpu: [],
      answers: 0,
    }));
    for (let round = 0; round < plan.rounds; round++) {
      for (let i = 0; i < servers.length; i++) {
        const at = (i + round) % servers.length;
        const figures = await run(servers[at], plan.connections, plan.seconds);
        results[at].runs.push(figures.rps);
        results[at].cpu.push(figures.cpuMicros);
        results[at].answers += figures.answers;
        console.log(
          `  round ${round + 1}: ${servers[at].variant.name} ${figures.rps.toFixed(0)} req/s, ` +
            `${figures.cpuMicros.toFixed(0)} µs CPU/request`,
        );
      }
    }
    return results;
  } finally {
    await Promise.all(servers.map(stopServer));
    const redis = new Redis(REDIS_URL, { lazyConnect: true });
    try {
      await redis.connect();
      const keys = await redis.keys(`${redisKeyPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  }
}
