import { ConfigurationError } from '../errors/auth-code.errors';
import { Messages } from '../errors/error-messages';

/**
 * Loads an optional peer dependency at the moment a feature needs it, never at start-up: an app
 * that does not use the feature does not need the package installed. When it is missing, the
 * feature stops start-up with one {@link ConfigurationError} saying what to install.
 *
 * @param pkg the package name, e.g. `ioredis`
 * @param feature what needs it, in words a user recognises (`AUTH_STORE=redis://…`)
 * @param load loads the package; a parameter so each caller keeps a literal `require('…')` (bundlers
 *   and the TypeScript compiler see it) and so a test can load a package that does not exist
 */
export function loadOptional<T>(pkg: string, feature: string, load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (isMissing(err, pkg)) {
      throw new ConfigurationError({
        code: 'invalid_config',
        operation: 'config',
        message: Messages.optionalDependencyMissing(pkg, feature),
      });
    }
    throw err;
  }
}

/**
 * Loads an optional peer dependency that only adds something (telemetry): the package when it is
 * installed, `undefined` when it is not — a missing package is not an error here. Any other failure
 * (a broken install, one of the package's own dependencies missing) is thrown as it is.
 *
 * @param pkg the package name, e.g. `@opentelemetry/api`
 * @param load loads the package (a literal `require('…')` in the caller, as for {@link loadOptional})
 */
export function loadIfInstalled<T>(pkg: string, load: () => T): T | undefined {
  try {
    return load();
  } catch (err) {
    if (isMissing(err, pkg)) return undefined;
    throw err;
  }
}

/** Whether a package can be found from this library (the app's `node_modules`). */
export function isInstalled(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/** Whether `err` says that `pkg` itself (not one of its own dependencies) cannot be found. */
function isMissing(err: unknown, pkg: string): boolean {
  const e = err as { code?: string; message?: string };
  return (
    (e?.code === 'MODULE_NOT_FOUND' || e?.code === 'ERR_MODULE_NOT_FOUND') &&
    typeof e.message === 'string' &&
    (e.message.includes(`'${pkg}'`) || e.message.includes(`"${pkg}"`))
  );
}
