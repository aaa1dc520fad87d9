import {
  type CanActivate,
  Controller,
  type ExecutionContext,
  HttpCode,
  type INestApplication,
  Injectable,
  Module,
  Post,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportSerializer, PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import session from 'express-session';
import passport from 'passport';
import { HelloController } from './hello.controller';

/**
 * The common alternative to `SessionGuard`, as the NestJS docs build it ("Sessions" with
 * `@nestjs/passport`): `express-session` (default MemoryStore) + `passport.initialize()` +
 * `passport.session()` as middleware ({@link usePassportSessions}), a serializer that keeps
 * the user id in the session and looks the user up on every request, a global guard that checks
 * `req.isAuthenticated()` with a `@Public()` opt-out, and a login route whose guard calls
 * `logIn` (`POST /login`).
 */

/** The small user the session names. */
export interface BaselineUser {
  id: string;
  displayName: string;
  email: string;
}

/** The one user (the app's user table). */
export const BASELINE_USER: BaselineUser = {
  id: 'user-1',
  displayName: 'Bench User',
  email: 'bench@example.com',
};

const USERS = new Map([[BASELINE_USER.id, BASELINE_USER]]);
const IS_PUBLIC = 'baseline:isPublic';
const BaselinePublic = () => SetMetadata(IS_PUBLIC, true);

/** A passport strategy that accepts whoever calls it (stands in for a real credential check). */
class AcceptStrategy extends passport.Strategy {
  constructor(private readonly verify: (done: (err: unknown, user?: unknown) => void) => void) {
    super();
  }

  override authenticate(): void {
    this.verify((err, user) => (err ? this.error(err) : this.success(user as object)));
  }
}

@Injectable()
class BaselineLoginStrategy extends PassportStrategy(AcceptStrategy, 'baseline-login') {
  validate(): BaselineUser {
    return BASELINE_USER;
  }
}

@Injectable()
class BaselineSerializer extends PassportSerializer {
  serializeUser(user: BaselineUser, done: (err: unknown, id?: string) => void): void {
    done(null, user.id);
  }

  deserializeUser(id: string, done: (err: unknown, user?: BaselineUser | false) => void): void {
    done(null, USERS.get(id) ?? false);
  }
}

/** Authenticates with the strategy, then `logIn` writes the user into the session. */
@Injectable()
class BaselineLoginGuard extends AuthGuard('baseline-login') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const ok = (await super.canActivate(context)) as boolean;
    await super.logIn(context.switchToHttp().getRequest());
    return ok;
  }
}

/** The measured guard: `req.isAuthenticated()`, with a `@Public()` opt-out (read via Reflector). */
@Injectable()
class AuthenticatedGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    return isPublic === true || context.switchToHttp().getRequest<Request>().isAuthenticated();
  }
}

@Controller()
class BaselineLoginController {
  @Post('login')
  @HttpCode(204)
  @BaselinePublic()
  @UseGuards(BaselineLoginGuard)
  login(): void {}
}

/** The baseline app: the measured route behind express-session + passport. */
@Module({
  imports: [PassportModule.register({ session: true })],
  controllers: [HelloController, BaselineLoginController],
  providers: [
    BaselineLoginStrategy,
    BaselineSerializer,
    { provide: APP_GUARD, useClass: AuthenticatedGuard },
  ],
})
export class PassportBaselineModule {}

/** The baseline's middleware, in the docs' order: sessions, then passport on top of them. */
export function usePassportSessions(app: INestApplication): void {
  app.use(
    session({ secret: 'bench-session-secret-0123456789', resave: false, saveUninitialized: false }),
  );
  app.use(passport.initialize());
  app.use(passport.session());
}
