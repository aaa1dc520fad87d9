import { ProviderRegistry } from '../../core/provider-registry';
import { AuthCodeEngine } from '../../engine/auth-code.engine';
import { FakeServer, type FakeRoute } from '../../testing/server/fake-server';
import { acme, loggedIn } from '../../../../../test/support/known-session.kit';
import { ProviderApiClient } from './provider-api.client';

/** acme's userinfo endpoint: answers any bearer token with the user. */
class AcmeApi extends FakeServer {
  protected routes(): FakeRoute[] {
    return [{ name: 'me', method: 'GET', path: '/me', handle: () => ({ body: { sub: 'u1' } }) }];
  }
}

describe('ProviderApiClient store reads', () => {
  const fake = new AcmeApi();

  beforeAll(() => fake.start());
  afterAll(() => fake.stop());

  async function setUp() {
    const { store, service, session } = await loggedIn();
    const registry = new ProviderRegistry([{ ...acme, userinfo: { url: `${fake.url}/me` } }]);
    const client = new ProviderApiClient(
      service,
      registry,
      new AuthCodeEngine({ timeoutMs: 1000 }),
      {
        apis: [],
      },
    );
    return { store, session, client };
  }

  it('reads only the grant when the caller passes the session it already read', async () => {
    const { store, session, client } = await setUp();
    await expect(client.call(session.id, 'acme', 'profile', session)).resolves.toEqual({
      sub: 'u1',
    });
    expect(store.reads).toEqual(['grant acme']);
    expect(fake.requestsTo('me')[0].headers.authorization).toBe('Bearer at-1');
  });

  it('reads the session too when the caller passes none', async () => {
    const { store, session, client } = await setUp();
    await expect(client.call(session.id, 'acme', 'profile')).resolves.toEqual({ sub: 'u1' });
    expect(store.reads).toEqual(['session', 'grant acme']);
  });
});
