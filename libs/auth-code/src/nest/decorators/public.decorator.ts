import { SetMetadata } from '@nestjs/common';

/** Metadata key set by {@link Public}. */
export const IS_PUBLIC_KEY = 'AUTH_CODE:PUBLIC';

/**
 * Opens a route or a whole controller to requests without a session when `SessionGuard` is used
 * globally (`APP_GUARD`): the guard then neither reads the cookie nor the store.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
