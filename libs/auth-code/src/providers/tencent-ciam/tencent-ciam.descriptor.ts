import { Messages } from '../../errors/error-messages';
import { defineProvider } from '../descriptor/provider-descriptor';
import { TENCENT_CIAM_API } from './tencent-ciam.api';
import { TencentCiamEnvironment } from './tencent-ciam.environment';
import { TENCENT_CIAM_ID, tencentCiam } from './tencent-ciam.provider';

/** Tencent Cloud CIAM: environment, API calls, strategy and fake. */
export const TENCENT_CIAM = defineProvider<TencentCiamEnvironment>({
  id: TENCENT_CIAM_ID,
  displayName: 'Tencent Cloud CIAM',
  environment: {
    schema: TencentCiamEnvironment,
    enabledBy: ['TENCENT_CIAM_CLIENT_ID'],
    requires: ['TENCENT_CIAM_ISSUER'],
    check: (env) =>
      env.TENCENT_CIAM_CLIENT_ID && !env.TENCENT_CIAM_PKCE && !env.TENCENT_CIAM_CLIENT_SECRET
        ? [
            Messages.envRequiredUnless(
              'TENCENT_CIAM_CLIENT_SECRET',
              'TENCENT_CIAM_PKCE=true',
              TENCENT_CIAM_ID,
            ),
          ]
        : [],
    docs: {
      TENCENT_CIAM_CLIENT_ID: { meaning: 'enables Tencent Cloud CIAM' },
      TENCENT_CIAM_ISSUER: {
        meaning: 'the tenant portal, `https://{tenant}.portal.tencentciam.com`',
      },
      TENCENT_CIAM_CLIENT_SECRET: { meaning: 'required unless `TENCENT_CIAM_PKCE=true`' },
      TENCENT_CIAM_AUTH_METHOD: {
        default: '`client_secret_post`',
        meaning: 'or `client_secret_basic`',
      },
      TENCENT_CIAM_PKCE: { default: '`false`', meaning: 'public client: no secret, PKCE S256' },
      TENCENT_CIAM_REDIRECT_URI: {
        default: 'base URL + `/auth/tencent-ciam/callback`',
        meaning: '',
      },
    },
  },
  fromEnvironment: (env, { redirectUri, http }) =>
    tencentCiam({
      issuer: env.TENCENT_CIAM_ISSUER!,
      clientId: env.TENCENT_CIAM_CLIENT_ID!,
      clientSecret: env.TENCENT_CIAM_CLIENT_SECRET,
      authMethod: env.TENCENT_CIAM_AUTH_METHOD,
      pkce: env.TENCENT_CIAM_PKCE,
      redirectUri: env.TENCENT_CIAM_REDIRECT_URI ?? redirectUri,
      http,
    }),
  apis: TENCENT_CIAM_API,
  strategy: async () => (await import('./tencent-ciam.strategy')).TencentCiamStrategy,
  fake: async () => {
    const { FakeTencentCiam } = await import('./tencent-ciam.fake');
    return {
      create: (redirectUri) =>
        new FakeTencentCiam({
          clientId: 'demo-tencent-client',
          clientSecret: 'demo-tencent-secret',
          redirectUris: [redirectUri],
        }),
    };
  },
});
