import { defineProvider } from '../descriptor/provider-descriptor';
import { XT_API } from './xt.api';
import { XtEnvironment } from './xt.environment';
import { XT_ID, xt } from './xt.provider';

/** XT.COM: environment, API calls, strategy and fake. */
export const XT = defineProvider<XtEnvironment>({
  id: XT_ID,
  displayName: 'XT.COM',
  environment: {
    schema: XtEnvironment,
    enabledBy: ['XT_CLIENT_ID'],
    requires: ['XT_CLIENT_SECRET', 'XT_AUTHORIZE_URL'],
    docs: {
      XT_CLIENT_ID: { meaning: 'enables XT.COM' },
      XT_CLIENT_SECRET: { meaning: "travels in the token URL's query string (XT's design)" },
      XT_AUTHORIZE_URL: {
        meaning: 'XT.COM does not publish it: take it from your onboarding documents',
      },
      XT_API_URL: {
        default: '`https://sapi.xt.com`',
        meaning: 'host of `/public/uaa/oauth2/token`',
      },
      XT_USERINFO_URL: { meaning: 'optional userinfo endpoint' },
      XT_REDIRECT_URI: { default: 'base URL + `/auth/xt/callback`', meaning: '' },
    },
  },
  fromEnvironment: (env, { redirectUri }) =>
    xt({
      clientId: env.XT_CLIENT_ID!,
      clientSecret: env.XT_CLIENT_SECRET!,
      authorizeUrl: env.XT_AUTHORIZE_URL!,
      apiUrl: env.XT_API_URL,
      userinfoUrl: env.XT_USERINFO_URL,
      redirectUri: env.XT_REDIRECT_URI ?? redirectUri,
    }),
  apis: XT_API,
  strategy: async () => (await import('./xt.strategy')).XtStrategy,
  fake: async () => {
    const { FakeXt } = await import('./xt.fake');
    return {
      create: (redirectUri) =>
        new FakeXt({ clientId: 'DEMO0XT0CLIENT', clientSecret: 'demo-xt-secret', redirectUri }),
    };
  },
});
