import {
  AuthCodeEngine,
  isolarcloud,
  KeyRing,
  ProviderRegistry,
  type TokenLock,
  TokenService,
  type TokenStore,
} from 'nestjs-auth-code';
import type { FakeIsolarcloud } from 'nestjs-auth-code/testing';

/**
 * Connects `count` distinct iSolarCloud users as user-scoped grants in `store`, each through a
 * real consent and code exchange at the fake (so the fake will accept their refresh tokens),
 * `lanes` at a time. The grants are what three app processes later keep up.
 */
export async function seedConnections(
  fake: FakeIsolarcloud,
  redirectUri: string,
  store: TokenStore,
  lock: TokenLock,
  count: number,
  lanes = 16,
): Promise<void> {
  const def = isolarcloud({
    appKey: fake.appKey,
    secretKey: fake.secretKey,
    applicationId: fake.applicationId,
    redirectUri,
    gatewayUrl: fake.url,
    loginUrl: fake.url,
  });
  const engine = new AuthCodeEngine({ timeoutMs: 10_000 });
  const registry = new ProviderRegistry([def]);
  const tokens = new TokenService({
    store,
    lock,
    engine,
    registry,
    options: { grantScope: 'user' },
  });
  let next = 0;
  // the fake issues codes for its current userId: consents run one after another
  let consents = Promise.resolve('');
  const consent = (userId: number, url: string) =>
    (consents = consents.then(() => {
      fake.userId = userId;
      return fake.consent(url);
    }));
  const one = async (userId: number) => {
    const url = engine.authorizeUrl(def, { state: `seed-${userId}` });
    const code = new URL(await consent(userId, url)).searchParams.get('code')!;
    const { tokenSet } = await engine.exchangeCode(def, { code });
    await tokens.saveLogin(undefined, {
      provider: def.id,
      profile: { provider: def.id, id: String(userId) },
      tokenSet,
    });
  };
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < count) await one(100_000 + next++);
    }),
  );
}

/** The key ring both the seeding and the app processes use. */
export function benchKeys(): { env: string; ring: KeyRing } {
  const env = Buffer.alloc(32, 11).toString('base64');
  return { env, ring: KeyRing.fromEnvironment(env, 'production', () => undefined) };
}
