import { defineProvider } from '../descriptor/provider-descriptor';
import { ISOLARCLOUD_API } from './isolarcloud.api';
import { ISOLARCLOUD_ID } from './isolarcloud.constants';
import { IsolarcloudEnvironment } from './isolarcloud.environment';
import { isolarcloud } from './isolarcloud.provider';

/** Sungrow iSolarCloud: environment, API calls, strategy and fake. */
export const ISOLARCLOUD = defineProvider<IsolarcloudEnvironment>({
  id: ISOLARCLOUD_ID,
  displayName: 'iSolarCloud',
  environment: {
    schema: IsolarcloudEnvironment,
    enabledBy: ['ISOLARCLOUD_APP_KEY'],
    requires: ['ISOLARCLOUD_SECRET_KEY', 'ISOLARCLOUD_APPLICATION_ID'],
    docs: {
      ISOLARCLOUD_APP_KEY: { meaning: 'enables iSolarCloud; sent as `appkey`' },
      ISOLARCLOUD_SECRET_KEY: { meaning: 'sent in the `x-access-key` header' },
      ISOLARCLOUD_APPLICATION_ID: {
        meaning: 'the numeric App ID of the developer portal (not the appkey)',
      },
      ISOLARCLOUD_REGION: {
        default: '`intl`',
        meaning: '`cn`, `intl`, `eu`, `au`, `in`: picks gateway, login host and cloudId',
      },
      ISOLARCLOUD_GATEWAY_URL: {
        default: 'by region',
        meaning: 'OpenAPI gateway (token, refresh, plant list)',
      },
      ISOLARCLOUD_LOGIN_URL: { default: 'by region', meaning: 'the login single-page app' },
      ISOLARCLOUD_CLOUD_ID: { default: 'by region', meaning: '`cloudId` in the login URL' },
      ISOLARCLOUD_REDIRECT_URI: {
        default: 'base URL + `/auth/isolarcloud/callback`',
        meaning: 'must match the registered one byte for byte',
      },
    },
  },
  fromEnvironment: (env, { redirectUri }) =>
    isolarcloud({
      appKey: env.ISOLARCLOUD_APP_KEY!,
      secretKey: env.ISOLARCLOUD_SECRET_KEY!,
      applicationId: env.ISOLARCLOUD_APPLICATION_ID!,
      region: env.ISOLARCLOUD_REGION,
      gatewayUrl: env.ISOLARCLOUD_GATEWAY_URL,
      loginUrl: env.ISOLARCLOUD_LOGIN_URL,
      cloudId: env.ISOLARCLOUD_CLOUD_ID,
      redirectUri: env.ISOLARCLOUD_REDIRECT_URI ?? redirectUri,
    }),
  apis: ISOLARCLOUD_API,
  strategy: async () => (await import('./isolarcloud.strategy')).IsolarcloudStrategy,
  fake: async () => {
    const { FakeIsolarcloud } = await import('./isolarcloud.fake');
    return {
      create: (redirectUri) =>
        new FakeIsolarcloud({
          appKey: 'DEMO0APPKEY0ISOLARCLOUD',
          secretKey: 'demo-isolarcloud-secret',
          applicationId: '1001',
          redirectUri,
        }),
    };
  },
});
