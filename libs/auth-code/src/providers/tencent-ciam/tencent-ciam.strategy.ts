import { AuthCodeStrategy } from '../../nest/strategies/auth-code.strategy';

/**
 * Passport strategy for Tencent Cloud CIAM (OIDC): token call, id_token validation and the
 * `/userinfo` profile go through the engine and the `tencent-ciam` definition.
 */
export class TencentCiamStrategy extends AuthCodeStrategy('tencent-ciam') {}
