import { randomBytes } from 'node:crypto';
import { KeyRing } from 'nestjs-auth-code';
import type { StoreHarness, StoreInstance } from '../harness/store-harness';

/** What every contract test of one store kind works with. */
export interface ContractContext {
  /** The store kind. */
  h: StoreHarness;
  /** The key every instance encrypts with. */
  key: Buffer;
  /** One instance. */
  a: StoreInstance;
  /** Another instance on the same data (the same object for the memory store). */
  b: StoreInstance;
}

/** Opens two instances of `h` for the tests registered after it; a getter, set in `beforeAll`. */
export function contractContext(h: StoreHarness): () => ContractContext {
  let ctx: ContractContext | undefined;
  beforeAll(async () => {
    await h.start();
    const key = randomBytes(32);
    ctx = { h, key, a: h.open(new KeyRing([key])), b: h.open(new KeyRing([key])) };
  });
  afterAll(async () => {
    await h.stop();
  });
  beforeEach(() => {
    h.log.lines.length = 0;
  });
  return () => {
    if (!ctx) throw new Error('the store did not start');
    return ctx;
  };
}
