import { atRestContract, rotationContract } from './contract/at-rest.contract';
import { contractContext } from './contract/contract-context';
import { lockContract } from './contract/lock.contract';
import { recordsContract } from './contract/records.contract';
import { sessionIndexContract } from './contract/session-index.contract';
import { upkeepContract } from './contract/upkeep.contract';
import { MemoryHarness } from './harness/memory-harness';
import { PostgresHarness } from './harness/postgres-harness';
import { RedisHarness } from './harness/redis-harness';
import type { StoreHarness } from './harness/store-harness';

/**
 * The TokenStore / TokenLock contract, the same tests for every store: real Redis (the shared
 * server, under a prefix of its own), a real 3-master Redis Cluster started for the run, and a
 * PostgreSQL database created for the run. Raw reads bypass the store to see what is stored.
 */
const STORES: Array<[string, () => StoreHarness]> = [
  ['memory', () => new MemoryHarness()],
  ['Redis', () => new RedisHarness('Redis')],
  ['Redis Cluster', () => new RedisHarness('Redis Cluster')],
  ['PostgreSQL', () => new PostgresHarness()],
];

describe.each(STORES)('TokenStore contract: %s', (_name, make) => {
  const harness = make();
  const ctx = contractContext(harness);
  recordsContract(ctx);
  atRestContract(ctx);
  lockContract(ctx);
  sessionIndexContract(ctx);
  upkeepContract(ctx);
  // instances with different key rings on the same data: only where instances share data
  if (harness.shared) rotationContract(ctx);
});
