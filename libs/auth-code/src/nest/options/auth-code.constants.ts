/** Injection token of the module's resolved options. */
export const AUTH_CODE_RESOLVED_OPTIONS = 'AUTH_CODE:RESOLVED_OPTIONS';
/** Injection token of the module's own Passport instance (never the global one). */
export const AUTH_CODE_PASSPORT = 'AUTH_CODE:PASSPORT';
/** Injection token of the map provider id → strategy instance. */
export const AUTH_CODE_STRATEGIES = 'AUTH_CODE:STRATEGIES';
/** Injection token of the rate limiter's hit storage (`@nestjs/throttler` `ThrottlerStorage`). */
export const AUTH_CODE_THROTTLER_STORAGE = 'AUTH_CODE:THROTTLER_STORAGE';
