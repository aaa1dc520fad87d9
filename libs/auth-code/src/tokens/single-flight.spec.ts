import { SingleFlight } from './single-flight';

describe('SingleFlight', () => {
  it('runs one call per key for concurrent callers and shares its result', async () => {
    const flight = new SingleFlight<number>();
    let calls = 0;
    let release!: (v: number) => void;
    const fn = () => {
      calls++;
      return new Promise<number>((r) => (release = r));
    };
    const all = Promise.all([flight.run('a', fn), flight.run('a', fn), flight.run('a', fn)]);
    await Promise.resolve();
    release(7);
    expect(await all).toEqual([7, 7, 7]);
    expect(calls).toBe(1);
  });

  it('keeps keys apart', async () => {
    const flight = new SingleFlight<string>();
    const results = await Promise.all([
      flight.run('a', async () => 'A'),
      flight.run('b', async () => 'B'),
    ]);
    expect(results).toEqual(['A', 'B']);
  });

  it('shares a failure and forgets the key afterwards, so the next call runs again', async () => {
    const flight = new SingleFlight<number>();
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error('boom');
    };
    const outcomes = await Promise.allSettled([flight.run('a', failing), flight.run('a', failing)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    expect(flight.size).toBe(0);
    expect(await flight.run('a', async () => 1)).toBe(1);
  });

  it('tells the running call how many callers joined it, counting only its own key', async () => {
    const flight = new SingleFlight<number>();
    let release!: (v: number) => void;
    let joined: (() => number) | undefined;
    const first = flight.run('a', (j) => {
      joined = j;
      return new Promise<number>((r) => (release = r));
    });
    const others = [flight.run('a', async () => 0), flight.run('a', async () => 0)];
    const apart = flight.run('b', async (j) => j());
    await Promise.resolve();
    expect(joined?.()).toBe(2);
    release(5);
    expect(await Promise.all([first, ...others])).toEqual([5, 5, 5]);
    expect(await apart).toBe(0);
  });
});
