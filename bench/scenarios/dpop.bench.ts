import { cpuUsage } from 'node:process';
import { createDpopKey, dpopProof, type DpopAlgorithm, type DpopKey } from 'nestjs-auth-code';
import { machineLine } from '../report';
import type { BenchScenario } from '../scenario';

const OPS = 2000;
const ROUNDS = 5;
const ALGS: DpopAlgorithm[] = ['ES256', 'EdDSA'];

type Work = 'key pair' | 'proof, key in use' | 'proof, key read from the store';

/** CPU µs of this process per operation, over `ops` sequential operations. */
async function cpuPerOp(ops: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const before = cpuUsage();
  for (let i = 0; i < ops; i++) await op(i);
  const used = cpuUsage(before);
  return (used.user + used.system) / ops;
}

/**
 * What DPoP costs the app per call, in process: a grant's key pair (made once per login), a proof
 * with a key already imported in this process (every later token or API call of the grant), and
 * a proof with a key this process has not seen yet (the first call after a restart or on another
 * instance: the stored JWK is imported first).
 */
export const dpop: BenchScenario = {
  name: 'dpop',
  description: 'CPU µs per DPoP key pair and per proof (ES256, EdDSA), in process',
  async run() {
    const figures = new Map<string, number[]>();
    const add = (key: string, v: number) => figures.set(key, [...(figures.get(key) ?? []), v]);
    const input = { method: 'POST', url: 'https://as.example/token', accessToken: 'a'.repeat(800) };
    for (let round = 0; round < ROUNDS; round++) {
      for (const alg of ALGS) {
        add(`${alg}|key pair`, await cpuPerOp(OPS / 4, () => createDpopKey(alg)));
        const inUse = await createDpopKey(alg);
        await dpopProof(inUse, input);
        add(`${alg}|proof, key in use`, await cpuPerOp(OPS, () => dpopProof(inUse, input)));
        const fresh: DpopKey[] = await Promise.all(
          Array.from({ length: OPS / 4 }, () => createDpopKey(alg)),
        );
        // a copy, as a store read makes one: the same key, never imported in this process yet
        const stored = fresh.map((k) => JSON.parse(JSON.stringify(k)) as DpopKey);
        add(
          `${alg}|proof, key read from the store`,
          await cpuPerOp(stored.length, (i) => dpopProof(stored[i], input)),
        );
      }
    }
    const works: Work[] = ['key pair', 'proof, key in use', 'proof, key read from the store'];
    const rows = ALGS.map(
      (alg) =>
        `| ${alg} | ${works.map((w) => fmt(median(figures.get(`${alg}|${w}`)!))).join(' | ')} |`,
    );
    return [
      '## DPoP',
      '',
      machineLine(),
      '',
      `Method: CPU (user + system) of this process per operation, ${ROUNDS} interleaved rounds,`,
      `median; ${OPS} proofs or ${OPS / 4} key pairs per figure. A proof signs \`jti\`, \`htm\`,`,
      '`htu`, `iat` and `ath` (SHA-256 of an 800-character access token). "Key in use": the grant\'s',
      'key is already imported in this process (every call after the first). "Read from the',
      'store": a copy of a stored key this process has not imported yet (the first call after a',
      'restart, or on another instance), so the JWK import is included.',
      '',
      '| algorithm | key pair µs (once per login) | proof µs, key in use | proof µs, key read from the store |',
      '|---|---|---|---|',
      ...rows,
    ].join('\n');
  },
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function fmt(us: number): string {
  return us >= 100 ? String(Math.round(us)) : us.toFixed(1);
}
