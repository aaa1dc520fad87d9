import { Inject, Injectable, Logger } from '@nestjs/common';
import { LogoutTokenError } from '../../errors/auth-code.errors';
import { BackchannelLogoutService } from '../../tokens/backchannel-logout.service';
import type { HttpRequestLike } from '../http/http-request';
import { send, sendJson, setHeader, type HttpResponseLike } from '../http/http-response';

const logger = new Logger('AuthCode');

/**
 * The route `POST /auth/:provider/backchannel-logout` (OpenID Connect Back-Channel Logout 1.0),
 * for the app to wire like the login routes: reads the form's `logout_token`, ends the sessions it
 * names on every instance sharing the store, and answers as the specification says — `200` on
 * success, `400 {"error":"invalid_request"}` for a missing, invalid or replayed token, always with
 * `Cache-Control: no-store`. A store outage is the usual 503 (the provider retries).
 */
@Injectable()
export class BackchannelLogoutHandler {
  constructor(
    @Inject(BackchannelLogoutService) private readonly service: BackchannelLogoutService,
  ) {}

  /** Handles one request; the provider id comes from the `:provider` route parameter. */
  async handle(req: HttpRequestLike, res: HttpResponseLike): Promise<void> {
    setHeader(res, 'cache-control', 'no-store');
    const provider = typeof req.params?.provider === 'string' ? req.params.provider : '';
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      const { ended } = await this.service.logout(provider, body.logout_token);
      logger.log(`Back-channel logout from ${provider}: ${ended} session(s) ended`);
    } catch (err) {
      if (!(err instanceof LogoutTokenError)) throw err;
      logger.warn(`Refused a back-channel logout: ${err.message}`);
      sendJson(res, 400, { error: 'invalid_request', error_description: err.message });
      return;
    }
    send(res, 200);
  }
}
