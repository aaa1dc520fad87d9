import { ISOLARCLOUD_API } from '../providers/isolarcloud/isolarcloud.api';
import { TENCENT_CIAM_API } from '../providers/tencent-ciam/tencent-ciam.api';
import { XT_API } from '../providers/xt/xt.api';
import type { ProviderApiDescription } from './provider-api.description';

/** The seed providers' API descriptions; the module's `apis` option adds or replaces them by id. */
export const DEFAULT_PROVIDER_APIS: readonly ProviderApiDescription[] = Object.freeze([
  ISOLARCLOUD_API,
  TENCENT_CIAM_API,
  XT_API,
]);
