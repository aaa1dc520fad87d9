import type { ProviderApiDescription } from '../api/provider-api.description';
import type { ProviderDescriptor } from './descriptor/provider-descriptor';
import { ISOLARCLOUD } from './isolarcloud/isolarcloud.descriptor';
import { OIDC } from './oidc/oidc.descriptor';
import { TENCENT_CIAM } from './tencent-ciam/tencent-ciam.descriptor';
import { XT } from './xt/xt.descriptor';

/**
 * Every provider the library knows, in configuration order. Environment validation, `forRoot()`,
 * the default API descriptions, the Passport strategies, demo mode, the testing entry and the
 * README's variable table are all derived from this list: adding a provider is its folder and one
 * entry here.
 */
export const PROVIDER_DESCRIPTORS: readonly ProviderDescriptor[] = Object.freeze<
  ProviderDescriptor[]
>([
  ISOLARCLOUD, // Sungrow iSolarCloud
  TENCENT_CIAM, // Tencent Cloud CIAM
  XT, // XT.COM
  OIDC, // any OpenID Provider from OIDC_* variables
]);

/** The API descriptions of the providers above; the module's `apis` option adds or replaces them. */
export const DEFAULT_PROVIDER_APIS: readonly ProviderApiDescription[] = Object.freeze(
  PROVIDER_DESCRIPTORS.flatMap((d) => (d.apis ? [d.apis] : [])),
);
