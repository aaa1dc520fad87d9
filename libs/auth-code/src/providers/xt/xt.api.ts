import { userinfoCall, type ProviderApiDescription } from '../../api/provider-api.description';
import { XT_ID, XT_SUCCESS } from './xt.provider';

/**
 * XT.COM's API as data: `profile` is the configured userinfo URL (`XT_USERINFO_URL`) with
 * `Authorization: Bearer`, answering in the `{ rc, mc, ma, result }` envelope.
 */
export const XT_API: ProviderApiDescription = {
  provider: XT_ID,
  calls: {
    // deviates from RFC 6750: errors can be HTTP 200 with rc != 0; mc TOKEN_INVALID → token_dead
    // through the definition's codeMap, other mc codes → provider_error (not the token calls'
    // invalid_grant default: an API refusal does not kill the grant)
    profile: userinfoCall({ success: XT_SUCCESS, data: 'result' }),
  },
};
