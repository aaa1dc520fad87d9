import type { ProviderDefinition } from 'nestjs-auth-code';
import type { FakeServer } from 'nestjs-auth-code/testing';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app';

/** What {@link useSeedApp} needs of a fixture: a running fake and the definition pointing at it. */
export interface SeedFixture {
  /** The running fake; stopped after the `describe`. */
  fake: FakeServer;
  /** The one provider of the app. */
  definition: ProviderDefinition;
}

/** Options of {@link useSeedApp}: the app's options besides its one provider. */
export type SeedAppOptions = Omit<TestAppOptions, 'providers'>;

/** The fixture and app of the enclosing `describe`; read them in hooks and tests only. */
export interface SeedApp<F extends SeedFixture> {
  /** The fixture `makeFixture` made. */
  readonly fx: F;
  /** The sample app with the fixture's definition as its only provider. */
  readonly app: TestApp;
}

/**
 * The usual e2e set-up, for the enclosing `describe`: `beforeAll` makes the fixture and starts the
 * sample app with its definition (plus `options`), `afterAll` closes the app and stops the fake,
 * and `beforeEach` resets the fake, so each test starts with no recorded requests, injected faults
 * or forced answers (XT's fake also forgets the grants it issued: log in within the test).
 */
export function useSeedApp<M extends () => Promise<SeedFixture>>(
  makeFixture: M,
  options: SeedAppOptions = {},
): SeedApp<Awaited<ReturnType<M>>> {
  // M, not `() => Promise<F>`: `describe.each(SEED_FIXTURES)` passes a union of makers
  type F = Awaited<ReturnType<M>>;
  let fx: F | undefined;
  let app: TestApp | undefined;

  beforeAll(async () => {
    fx = (await makeFixture()) as F;
    app = await startTestApp({ ...options, providers: [fx.definition] });
  });
  afterAll(async () => {
    await app?.close();
    await fx?.fake.stop();
  });
  beforeEach(() => ready(fx, 'fixture').fake.reset());

  return {
    get fx() {
      return ready(fx, 'fixture');
    },
    get app() {
      return ready(app, 'app');
    },
  };
}

function ready<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new Error(`useSeedApp: no ${what} (read outside a test, or beforeAll failed)`);
  return value;
}
