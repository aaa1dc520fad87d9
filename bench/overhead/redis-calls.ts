import { Redis } from 'ioredis';

/**
 * How many times Redis has run each of `commands` since it started (`INFO commandstats`). Other
 * clients of the same Redis count too, so a difference over a run is an upper bound of ours and a
 * check that our reads really happened (it can never be below them).
 */
export async function redisCommandCalls(
  url: string,
  commands: string[],
): Promise<Record<string, number>> {
  const redis = new Redis(url, { lazyConnect: true });
  try {
    await redis.connect();
    const info = await redis.info('commandstats');
    return Object.fromEntries(
      commands.map((c) => [
        c,
        Number(new RegExp(`cmdstat_${c}:calls=(\\d+)`).exec(info)?.[1] ?? 0),
      ]),
    );
  } finally {
    redis.disconnect();
  }
}
