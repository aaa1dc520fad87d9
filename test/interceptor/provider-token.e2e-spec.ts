import { Controller, Get, UseInterceptors } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  CurrentUser,
  ProviderApi,
  ProviderApiClient,
  ProviderToken,
  TokenRefreshInterceptor,
  type Profile,
} from 'nestjs-auth-code';
import { SampleAppModule } from '../../apps/sample/src/sample-app.module';
import { API_FIXTURES, type ApiFixture } from '../support/api-fixtures';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { listenOnLoopback, TEST_BASE_URL, type TestApp } from '../support/test-app';

/** Tokens the handler saw, run by run. */
const seen: string[] = [];

/** An app's own route the way the README shows it: named provider, injected token, interceptor. */
@Controller('plants')
class PlantsController {
  constructor(private readonly api: ProviderApiClient) {}

  @Get()
  @ProviderApi('isolarcloud')
  @UseInterceptors(TokenRefreshInterceptor)
  async list(@ProviderToken() token: string, @CurrentUser() user: Profile): Promise<unknown> {
    seen.push(token);
    return { user: user.id, plants: await this.api.callWithToken('isolarcloud', token, 'plants') };
  }
}

describe('@ProviderToken() with TokenRefreshInterceptor in an app of its own', () => {
  let fx: ApiFixture;
  let app: TestApp;

  beforeAll(async () => {
    fx = await API_FIXTURES[0][1]();
    const moduleRef = await Test.createTestingModule({
      imports: [
        SampleAppModule.register({
          baseUrl: TEST_BASE_URL,
          sessionSecret: 'test-session-secret-0123456789-abcdefghijkl',
          providers: [fx.definition],
        }),
      ],
      controllers: [PlantsController],
    }).compile();
    app = await listenOnLoopback(moduleRef.createNestApplication({ logger: false }));
  });
  afterAll(async () => {
    await app?.close();
    await fx?.fake.stop();
  });
  beforeEach(() => {
    seen.length = 0;
    fx.fake.reset();
  });

  it("injects the session's access token and the user", async () => {
    const browser = new Browser(app.url);
    await login(browser, 'isolarcloud', fx.fake);
    const res = await browser.get('/plants', { accept: 'application/json' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: '408056', plants: { rowCount: 9 } });
    expect(seen).toHaveLength(1);
    expect(fx.fake.requestsTo('plants')[0].headers.authorization).toBe(`Bearer ${seen[0]}`);
  });

  it('resolves the token again on the re-run, so the second run uses the refreshed token', async () => {
    const browser = new Browser(app.url);
    await login(browser, 'isolarcloud', fx.fake);
    // every token issued so far is dead at the API: only the refreshed one works
    fx.knobs.killIssuedTokens(fx.fake);
    const res = await browser.get('/plants', { accept: 'application/json' });
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(2);
    expect(seen[1]).not.toBe(seen[0]);
    expect(fx.fake.count('refresh')).toBe(1);
  });

  it('is protected by the global SessionGuard', async () => {
    const res = await new Browser(app.url).get('/plants', { accept: 'application/json' });
    expect(res.status).toBe(401);
    expect(seen).toEqual([]);
  });
});
