import { AuthCodeStrategy } from '../../nest/strategies/auth-code.strategy';

/**
 * Passport strategy for iSolarCloud. passport-oauth2 alone cannot talk to it (JSON token call with
 * the secret in `x-access-key`, `result_code` envelope); its token call goes through the engine and
 * the `isolarcloud` definition.
 */
export class IsolarcloudStrategy extends AuthCodeStrategy('isolarcloud') {}
