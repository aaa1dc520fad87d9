import { userinfoCall, type ProviderApiDescription } from '../../api/provider-api.description';
import { TENCENT_CIAM_ID } from './tencent-ciam.provider';

/**
 * Tencent Cloud CIAM's API as data: `profile` is `GET {issuer}/userinfo` with `Authorization:
 * Bearer`. A dead token answers 401 with `WWW-Authenticate: Bearer error="invalid_token"`; a
 * deleted user 404 `{"error":"user_not_found"}` (both standard, so no special reading).
 */
export const TENCENT_CIAM_API: ProviderApiDescription = {
  provider: TENCENT_CIAM_ID,
  calls: { profile: userinfoCall() },
};
