import { defaultRedirectUri } from '../providers/descriptor/redirect-uri';
import { PROVIDER_DESCRIPTORS } from '../providers/provider-list';
import type { FakeServer } from './server/fake-server';

/** Running fakes of the library's providers, and the environment that points an app at them. */
export interface RunningProviderFakes {
  /** Provider id → its running fake, in configuration order (cast to its class, e.g. `FakeXt`). */
  fakes: Map<string, FakeServer>;
  /** The variables that make `AuthCodeModule.forRoot()` use every one of them. */
  environment: Record<string, string>;
  /** Stops them all. */
  stop(): Promise<void>;
}

/**
 * Starts, on loopback, the fake of every provider of the library that has one (or of `ids`), with
 * demo credentials and `${baseUrl}/auth/<id>/callback` registered as its redirect URI. What demo
 * mode runs; handy for an app's own e2e tests.
 */
export async function startProviderFakes(
  baseUrl: string,
  ids?: readonly string[],
): Promise<RunningProviderFakes> {
  const chosen = PROVIDER_DESCRIPTORS.filter((d) => d.fake && (!ids || ids.includes(d.id)));
  const unknown = (ids ?? []).filter((id) => !chosen.some((d) => d.id === id));
  if (unknown.length > 0) throw new Error(`No fake for provider(s) ${unknown.join(', ')}`);
  const created = await Promise.all(
    chosen.map(async (d) => ({
      id: d.id,
      fake: (await d.fake!()).create(defaultRedirectUri(baseUrl, d.id)),
    })),
  );
  await Promise.all(created.map(({ fake }) => fake.start()));
  // Every descriptor's fake is a FakeServer; the descriptor only names what demo mode needs.
  const fakes = new Map(created.map(({ id, fake }) => [id, fake as unknown as FakeServer]));
  const environment = Object.assign({}, ...created.map(({ fake }) => fake.environment()));
  return {
    fakes,
    environment,
    stop: async () => {
      await Promise.all(created.map(({ fake }) => fake.stop()));
    },
  };
}
