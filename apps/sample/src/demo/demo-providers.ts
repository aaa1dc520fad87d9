import { Logger } from '@nestjs/common';
import { baseUrlOf, defaultRedirectUri, PROVIDER_GROUPS } from 'nestjs-auth-code';
import {
  FakeIsolarcloud,
  FakeTencentCiam,
  FakeXt,
  type FakeServer,
} from 'nestjs-auth-code/testing';

/** Variables that enable a real provider; any of them set turns demo mode off. */
const CREDENTIAL_VARIABLES = PROVIDER_GROUPS.flatMap((g) => g.enabledBy);

/** The running demo fakes. */
export interface DemoProviders {
  /** The fake servers, to stop at shutdown. */
  fakes: FakeServer[];
}

/**
 * Demo mode: with `AUTH_DEMO=auto` (the default) and no provider credentials configured, starts the
 * library's fake iSolarCloud, Tencent Cloud CIAM and XT.COM on loopback and points the environment at
 * them, so a newcomer can log in at once. Returns undefined when demo mode is off.
 */
export async function startDemoProviders(
  env: NodeJS.ProcessEnv = process.env,
): Promise<DemoProviders | undefined> {
  if ((env.AUTH_DEMO ?? 'auto') === 'off') return undefined;
  if (CREDENTIAL_VARIABLES.some((v) => env[v])) return undefined;
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
  const xtOptions = xt.providerOptions(defaultRedirectUri(base, 'xt'));

  Object.assign(env, {
    ISOLARCLOUD_APP_KEY: isolarcloud.appKey,
    ISOLARCLOUD_SECRET_KEY: isolarcloud.secretKey,
    ISOLARCLOUD_APPLICATION_ID: isolarcloud.applicationId,
    ISOLARCLOUD_GATEWAY_URL: iUrl,
    ISOLARCLOUD_LOGIN_URL: iUrl,
    TENCENT_CIAM_ISSUER: tUrl,
    TENCENT_CIAM_CLIENT_ID: tencent.clientId,
    TENCENT_CIAM_CLIENT_SECRET: tencent.clientSecret,
    XT_CLIENT_ID: xt.clientId,
    XT_CLIENT_SECRET: xt.clientSecret,
    XT_API_URL: xUrl,
    XT_AUTHORIZE_URL: xtOptions.authorizeUrl,
    XT_USERINFO_URL: xtOptions.userinfoUrl,
  });
  new Logger('Demo').warn(
    `Demo mode: no provider credentials configured, so the bundled fake providers run on loopback ` +
      `(iSolarCloud ${iUrl}, Tencent Cloud CIAM ${tUrl}, XT.COM ${xUrl}). Set real credentials or AUTH_DEMO=off to leave it.`,
  );
  return { fakes: [isolarcloud, tencent, xt] };
}
