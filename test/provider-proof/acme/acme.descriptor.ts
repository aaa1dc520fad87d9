import { defineProvider } from '../descriptor/provider-descriptor';
import { AcmeEnvironment } from './acme.environment';
import { acme } from './acme.provider';

/** Acme Grid: environment and fake. */
export const ACME = defineProvider<AcmeEnvironment>({
  id: 'acme',
  displayName: 'Acme Grid',
  environment: {
    schema: AcmeEnvironment,
    enabledBy: ['ACME_CLIENT_ID'],
    requires: ['ACME_CLIENT_SECRET', 'ACME_URL'],
    docs: {
      ACME_CLIENT_ID: { meaning: 'enables Acme Grid' },
      ACME_CLIENT_SECRET: { meaning: 'sent in the JSON token call' },
      ACME_URL: { meaning: "Acme Grid's base URL" },
    },
  },
  fromEnvironment: (env, { redirectUri }) =>
    acme({
      clientId: env.ACME_CLIENT_ID!,
      clientSecret: env.ACME_CLIENT_SECRET!,
      url: env.ACME_URL!,
      redirectUri,
    }),
  fake: async () => {
    const { FakeAcme } = await import('./acme.fake');
    return { create: (redirectUri) => new FakeAcme(redirectUri) };
  },
});
