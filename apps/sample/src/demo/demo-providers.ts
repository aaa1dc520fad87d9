import { Logger } from '@nestjs/common';
import {
  baseUrlOf,
  checkAuthCodeEnvironment,
  defaultRedirectUri,
  PROVIDER_GROUPS,
} from 'nestjs-auth-code';
import {
  FakeIsolarcloud,
  FakeTencentCiam,
  FakeXt,
  type FakeServer,
} from 'nestjs-auth-code/testing';

/** Variables that enable a real provider; any of them set turns demo mode off. */
const CREDENTIAL_VARIABLES = PROVIDER_GROUPS.flatMap((g) => g.enabledBy);

/** Why demo mode refuses to start under NODE_ENV=production. */
export const DEMO_IN_PRODUCTION =
  'NODE_ENV=production and no provider credentials are set: demo mode (the bundled fake providers) ' +
  'does not start in production. Set the credentials of at least one provider (see the README), ' +
  'or AUTH_DEMO=on to run the fakes anyway, or AUTH_DEMO=off.';

/** The running demo fakes. */
export interface DemoProviders {
  /** The fake servers, to stop at shutdown. */
  fakes: FakeServer[];
}

/**
 * Demo mode: with `AUTH_DEMO=auto` (the default) and no provider credentials configured, starts the
 * library's fake iSolarCloud, Tencent Cloud CIAM and XT.COM on loopback and points the environment at
 * them, so a newcomer can log in at once. Returns undefined when demo mode is off.
 *
 * Never by accident in production: with `NODE_ENV=production` and no credentials, `auto` refuses
 * to start (a deployment that lost its credentials must not quietly log people in to fakes);
 * `AUTH_DEMO=on` runs the fakes there anyway.
 */
export async function startDemoProviders(
  env: NodeJS.ProcessEnv = process.env,
): Promise<DemoProviders | undefined> {
  const mode = env.AUTH_DEMO || 'auto';
  if (mode === 'off') return undefined;
  if (CREDENTIAL_VARIABLES.some((v) => env[v])) return undefined;
  if (mode === 'auto' && env.NODE_ENV === 'production') {
    // One round: the library's own problems with this environment are listed beside this one.
    const problems = [DEMO_IN_PRODUCTION, ...checkAuthCodeEnvironment(env).problems];
    throw new Error(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  const base = baseUrlOf(env);

  const isolarcloud = new FakeIsolarcloud({
    appKey: 'DEMO0APPKEY0ISOLARCLOUD',
    secretKey: 'demo-isolarcloud-secret',
    applicationId: '1001',
    redirectUri: defaultRedirectUri(base, 'isolarcloud'),
  });
  const tencent = new FakeTencentCiam({
    clientId: 'demo-tencent-client',
    clientSecret: 'demo-tencent-secret',
    redirectUris: [defaultRedirectUri(base, 'tencent-ciam')],
  });
  const xt = new FakeXt({
    clientId: 'DEMO0XT0CLIENT',
    clientSecret: 'demo-xt-secret',
    redirectUri: defaultRedirectUri(base, 'xt'),
  });
  const [iUrl, tUrl, xUrl] = await Promise.all([isolarcloud.start(), tencent.start(), xt.start()]);
  Object.assign(env, isolarcloud.environment(), tencent.environment(), xt.environment());
  new Logger('Demo').warn(
    `Demo mode: no provider credentials configured, so the bundled fake providers run on loopback ` +
      `(iSolarCloud ${iUrl}, Tencent Cloud CIAM ${tUrl}, XT.COM ${xUrl}). Set real credentials or AUTH_DEMO=off to leave it.`,
  );
  return { fakes: [isolarcloud, tencent, xt] };
}
