import { AuthCodeStrategy } from '../../nest/strategies/auth-code.strategy';

/**
 * Passport strategy for XT.COM. passport-oauth2 alone cannot talk to it (a GET token call with the
 * credentials in the query and an `rc` envelope); its token call goes through the engine and the
 * `xt` definition.
 */
export class XtStrategy extends AuthCodeStrategy('xt') {}
