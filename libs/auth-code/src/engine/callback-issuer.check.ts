import type { ProviderDefinition } from '../core/provider-definition';
import { StateError } from '../errors/auth-code.errors';
import { Messages } from '../errors/error-messages';

/**
 * RFC 9207 mix-up defence at the callback: when the provider announces that it sends `iss`
 * (`requireCallbackIss`), the callback must carry it; whenever an `iss` is present it must equal
 * the definition's issuer. Throws a {@link StateError} `invalid_callback` (400) otherwise.
 */
export function checkCallbackIssuer(def: ProviderDefinition, iss: string | undefined): void {
  const expected = def.issuer;
  const missing = iss === undefined && def.requireCallbackIss === true;
  const wrong = iss !== undefined && expected !== undefined && iss !== expected;
  // A required iss with no configured issuer cannot be checked: treat it as a mismatch, fail closed.
  const unverifiable = def.requireCallbackIss === true && expected === undefined;
  if (missing || wrong || unverifiable) {
    throw new StateError({
      code: 'invalid_callback',
      provider: def.id,
      operation: 'callback',
      message: Messages.issuerMismatch(def.displayName),
    });
  }
}
