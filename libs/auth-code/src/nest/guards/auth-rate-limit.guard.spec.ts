import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { AuthRateLimitGuard } from './auth-rate-limit.guard';

class Exposed extends AuthRateLimitGuard {
  key(ctx: ExecutionContext, tracker: string): string {
    return this.generateKey(ctx, tracker, 'default');
  }
  get limits() {
    return this.options;
  }
}

const route = (handler: () => void, cls: object) =>
  ({ getHandler: () => handler, getClass: () => cls }) as unknown as ExecutionContext;

describe('AuthRateLimitGuard', () => {
  const storage = new ThrottlerStorageService();
  afterAll(() => storage.onApplicationShutdown());
  const guard = new Exposed({ rateLimit: 7 }, storage, new Reflector());

  it('allows rateLimit requests per minute', () => {
    expect(guard.limits).toEqual({ throttlers: [{ name: 'default', ttl: 60_000, limit: 7 }] });
  });

  it('gives a client one budget across every route it guards, and each client its own', () => {
    class Auth {
      login(): void {}
      logout(): void {}
    }
    const login = guard.key(route(Auth.prototype.login, Auth), '10.0.0.1');
    expect(guard.key(route(Auth.prototype.logout, Auth), '10.0.0.1')).toBe(login);
    expect(guard.key(route(Auth.prototype.login, Auth), '10.0.0.2')).not.toBe(login);
  });
});
