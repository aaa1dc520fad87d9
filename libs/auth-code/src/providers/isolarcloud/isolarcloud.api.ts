import type {
  ApiCallSpec,
  ApiResponseSpec,
  ProviderApiDescription,
} from '../../api/provider-api.description';
import type { ProviderDefinition } from '../../core/provider-definition';
import { ISOLARCLOUD_ID, ISOLARCLOUD_PATHS, ISOLARCLOUD_SUCCESS } from './isolarcloud.constants';
import { isolarcloudPlantListRequest, type IsolarcloudOptions } from './isolarcloud.provider';

/** One plant of the plant list (`result_data.pageList[]`), the fields the docs show. */
export interface IsolarcloudPlant {
  /** Plant id (a number here, a string in `auth_ps_list`). */
  ps_id: number;
  /** Plant name. */
  ps_name: string;
  /** Location text. */
  ps_location?: string;
  /** 1 = online. */
  online_status?: number;
}

/** The plant list payload (`result_data`). */
export interface IsolarcloudPlantList {
  /** Plants the user authorized, in total. */
  rowCount: number;
  /** This page of plants. */
  pageList: IsolarcloudPlant[];
}

// deviates from RFC 6750: errors come as HTTP 200 with a result_code envelope; the definition's
// codeMap turns E00003/E900/E912/E914/E919 into token_dead and E998/E999 into rate_limited
const ENVELOPE: ApiResponseSpec = {
  success: ISOLARCLOUD_SUCCESS,
  data: 'result_data',
};

const PLANT_LIST: ApiCallSpec = {
  request: (def, token) => isolarcloudPlantListRequest(isolarcloudApiOptions(def), token),
  response: ENVELOPE,
};

/** The gateway call options of a configured iSolarCloud definition (its client and gateway). */
export function isolarcloudApiOptions(def: ProviderDefinition): IsolarcloudOptions {
  const tokenUrl = def.token.exchange.url;
  const gatewayUrl = tokenUrl.endsWith(ISOLARCLOUD_PATHS.token)
    ? tokenUrl.slice(0, -ISOLARCLOUD_PATHS.token.length)
    : new URL(tokenUrl).origin;
  return {
    appKey: def.client.clientId,
    secretKey: def.client.clientSecret ?? '',
    applicationId: '',
    redirectUri: def.redirectUri,
    gatewayUrl,
  };
}

/**
 * iSolarCloud's API as data: `plants` (and `profile`, since iSolarCloud has no userinfo) is the
 * plant list, `POST {gateway}/openapi/platform/queryPowerStationList` with `Authorization: Bearer`,
 * `x-access-key` and a JSON body `{ appkey, page, size }` ({@link isolarcloudPlantListRequest}).
 */
export const ISOLARCLOUD_API: ProviderApiDescription = {
  provider: ISOLARCLOUD_ID,
  calls: { plants: PLANT_LIST, profile: PLANT_LIST },
};
