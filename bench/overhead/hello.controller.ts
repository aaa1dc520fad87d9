import {
  type CallHandler,
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { Observable } from 'rxjs';
import { ProviderApi } from 'nestjs-auth-code';

/** Provider id of the benchmark's session grant (an OAuth2 definition that is never called). */
export const BENCH_PROVIDER = 'bench';

/** The measured route, `GET /hello`: the same handler in every variant. */
export const HELLO_PATH = '/hello';

/**
 * The one measured route. `@ProviderApi` is inert metadata for every variant but the one with
 * `TokenRefreshInterceptor`, which needs to know the route's provider.
 */
@Controller()
@ProviderApi(BENCH_PROVIDER)
export class HelloController {
  /** A small constant JSON answer, so the figures are the framework's and the guard's. */
  @Get('hello')
  hello(): { hello: string } {
    return { hello: 'world' };
  }
}

/** A guard that does nothing: what Nest's guard machinery costs on its own. */
@Injectable()
export class AllowAllGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

/** An interceptor that does nothing: what Nest's interceptor machinery (RxJS) costs on its own. */
@Injectable()
export class NoopInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle();
  }
}
