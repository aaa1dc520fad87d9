import { isolarcloud, tencentCiam, xt, type ProviderDefinition } from 'nestjs-auth-code';
import {
  FakeIsolarcloud,
  FakeTencentCiam,
  FakeXt,
  type FakeServer,
} from 'nestjs-auth-code/testing';
import { withAnswerLog, type WithAnswerLog } from './answer-log';
import { TEST_BASE_URL } from './test-app';

/** A provider whose fake keeps its answers. */
export interface LoggedProvider {
  /** Provider id (the Tencent PKCE variant is `tencent-pkce`). */
  id: string;
  /** The running fake, with every answer it sent. */
  fake: FakeServer & WithAnswerLog;
  /** The definition pointing at the fake. */
  definition: ProviderDefinition;
  /** Route name of the fake's refresh call. */
  refreshRoute: string;
}

const LoggedIsolarcloud = withAnswerLog(FakeIsolarcloud);
const LoggedTencent = withAnswerLog(FakeTencentCiam);
const LoggedXt = withAnswerLog(FakeXt);
const redirect = (id: string) => `${TEST_BASE_URL}/auth/${id}/callback`;

/**
 * iSolarCloud, Tencent Cloud CIAM (confidential, and a PKCE public client under the id
 * `tencent-pkce` against a fake that requires PKCE) and XT.COM, each against a fake that logs its
 * answers. Access tokens live 30 s, inside the default 60 s refresh skew: every token request
 * refreshes, and refresh tokens rotate where the fake can.
 */
export async function startLoggedProviders(): Promise<LoggedProvider[]> {
  const iso = new LoggedIsolarcloud({
    redirectUri: redirect('isolarcloud'),
    tokenLifetimeSeconds: 30,
  });
  const tencent = new LoggedTencent({
    redirectUris: [redirect('tencent-ciam')],
    accessTokenTtlSeconds: 30,
    rotateRefreshTokens: true,
  });
  const pkce = new LoggedTencent({
    redirectUris: [redirect('tencent-pkce')],
    requirePkce: true,
    accessTokenTtlSeconds: 30,
  });
  const xtFake = new LoggedXt({ tokenLifetimeSeconds: 30, rotateRefreshTokens: true });
  const [isoUrl, tUrl, pUrl] = await Promise.all([
    iso.start(),
    tencent.start(),
    pkce.start(),
    xtFake.start(),
  ]);
  const pkceDefinition = tencentCiam({
    issuer: pUrl,
    clientId: pkce.clientId,
    redirectUri: redirect('tencent-pkce'),
    pkce: true,
  });
  return [
    {
      id: 'isolarcloud',
      fake: iso,
      refreshRoute: 'refresh',
      definition: isolarcloud({
        appKey: iso.appKey,
        secretKey: iso.secretKey,
        applicationId: iso.applicationId,
        redirectUri: redirect('isolarcloud'),
        gatewayUrl: isoUrl,
        loginUrl: isoUrl,
      }),
    },
    {
      id: 'tencent-ciam',
      fake: tencent,
      refreshRoute: 'token',
      definition: tencentCiam({
        issuer: tUrl,
        clientId: tencent.clientId,
        clientSecret: tencent.clientSecret,
        redirectUri: redirect('tencent-ciam'),
      }),
    },
    {
      id: 'tencent-pkce',
      fake: pkce,
      refreshRoute: 'token',
      definition: { ...pkceDefinition, id: 'tencent-pkce' },
    },
    {
      id: 'xt',
      fake: xtFake,
      refreshRoute: 'token',
      definition: xt(xtFake.providerOptions(redirect('xt'))),
    },
  ];
}

/** The client secrets of the providers' fakes. */
export function clientSecretsOf(providers: LoggedProvider[]): string[] {
  return providers.flatMap((p) => {
    const f = p.fake as unknown as Partial<{ secretKey: string; clientSecret: string }>;
    return [f.secretKey, f.clientSecret].filter((s): s is string => !!s);
  });
}
