import { resolve } from 'node:path';
import { AppProcess } from '../hostile/app-process';
import { hostileTable, key, type CellResult } from '../hostile/hostile-table';
import { HostileUpstream } from '../hostile/hostile-upstream';
import { hostileInputs } from '../hostile/input-classes';
import { CAP_MS, measureInput } from '../hostile/measure-input';
import { machineLine } from '../report';
import type { BenchScenario } from '../scenario';

const ROUNDS = 3;

/**
 * The cost of hostile input: app CPU µs per request for each input class a browser or an upstream
 * controls, at 1 KB, 16 KB and 1 MB. With `HOSTILE_INPUT_BEFORE=<checkout>` (an older checkout
 * with its node_modules) the same inputs also run against that code, interleaved round by round.
 */
export const hostileInput: BenchScenario = {
  name: 'hostile-input',
  description:
    'app CPU µs per hostile request (route id, callback params, cookie, upstream bodies, gzip bomb)',
  async run() {
    const upstream = new HostileUpstream();
    await upstream.start();
    const beforeRoot = process.env.HOSTILE_INPUT_BEFORE;
    const after = new AppProcess(resolve('.'), upstream.url);
    const before = beforeRoot ? new AppProcess(resolve(beforeRoot), upstream.url) : undefined;
    await after.start();
    await before?.start();
    const inputs = hostileInputs();
    const results = new Map<string, { before?: CellResult; after: CellResult }>();
    const merge = (
      cell: CellResult | undefined,
      got: Awaited<ReturnType<typeof measureInput>>,
    ): CellResult =>
      got === 'capped'
        ? { capped: true }
        : { shots: [...(cell && 'shots' in cell ? cell.shots : []), ...got] };
    try {
      for (let round = 0; round < ROUNDS; round++) {
        for (const input of inputs) {
          const entry = results.get(key(input)) ?? { after: { shots: [] } };
          const targets = [
            ['after', after] as const,
            ...(before ? [['before', before] as const] : []),
          ];
          if (round % 2 === 1) targets.reverse();
          for (const [side, app] of targets) {
            const cell = entry[side];
            if (cell && 'capped' in cell) continue; // a capped input is measured once
            entry[side] = merge(cell, await measureInput(app, input, upstream));
          }
          results.set(key(input), entry);
          console.log(`round ${round + 1}: ${key(input)} done`);
        }
      }
    } finally {
      await after.kill();
      await before?.kill();
      await upstream.stop();
    }
    return [
      '## Hostile input',
      '',
      machineLine(),
      '',
      'Each input is one request a hostile browser or a hostile upstream controls, sent to the sample',
      'app (a separate process, memory store, one plain OAuth 2.0 provider whose authorize and token',
      'endpoints are a hostile server on loopback in the bench process). "CPU µs/req" is the app',
      "process's user + system CPU time for the request (a snapshot over IPC just before and just",
      'after; the baseline row is that overhead plus an ordinary callback), median over every request',
      `of ${ROUNDS} interleaved rounds (each round runs each input for ~1 s, at most 30 requests, on`,
      'each side, alternating which side goes first); for upstream inputs the measured request is the',
      'callback (a login is started before it, unmeasured). "req/s" is one connection, sequential.',
      `A request that takes longer than ${CAP_MS / 1000} s is capped: the app is killed and restarted`,
      'and that input is not measured again. Requests past 16 KB of request line or headers are',
      'refused by Node\'s HTTP parser (431) before any of our code runs. "RSS growth" is the',
      "largest growth of the app process's resident memory during one request of the input.",
      '',
      hostileTable(inputs, results, !!before),
    ].join('\n');
  },
};
