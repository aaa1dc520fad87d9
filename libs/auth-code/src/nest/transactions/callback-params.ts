import { StateError } from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';

/** The callback's query, read strictly. */
export interface CallbackParams {
  /** The transaction's state. */
  state: string;
  /** The authorization code (absent when the provider sent an error). */
  code?: string;
  /** The provider's `error`, e.g. `access_denied`. */
  error?: string;
  /** The provider's `error_description`. */
  errorDescription?: string;
  /** RFC 9207 issuer identifier. */
  iss?: string;
}

const MAX_CODE = 2048;
const MAX_STATE = 512;
// RFC 6749 Appendix A: code and state are VSCHAR (%x20-7E).
const VSCHAR = /^[\x20-\x7e]+$/;

/** Whether a request is the callback leg (the provider sent back a code or an error). */
export function isCallbackRequest(query: Record<string, unknown> | undefined): boolean {
  return !!query && ('code' in query || 'error' in query || 'state' in query);
}

/**
 * Reads the callback parameters; anything missing, repeated, oversized or outside VSCHAR is
 * refused with a clear 400 before any store or token-endpoint call (SECURITY.md row 18).
 */
export function readCallbackParams(query: Record<string, unknown>): CallbackParams {
  const state = single(query, 'state', MAX_STATE, true)!;
  const error = single(query, 'error', 256, false);
  const code = error ? undefined : single(query, 'code', MAX_CODE, true);
  const desc = query.error_description;
  return {
    state,
    code,
    error,
    errorDescription:
      typeof desc === 'string' ? desc.slice(0, 300).replace(/[^\x20-\x7e]/g, '?') : undefined,
    iss: single(query, 'iss', 2048, false),
  };
}

function single(
  query: Record<string, unknown>,
  name: string,
  max: number,
  required: boolean,
): string | undefined {
  const value = query[name];
  const fail = (why: string) =>
    new StateError({
      code: name === 'state' ? 'invalid_state' : 'invalid_callback',
      operation: 'callback',
      message:
        name === 'state' && value === undefined
          ? Messages.stateMissing()
          : Messages.callbackParam(name, why),
    });
  if (value === undefined) {
    if (required) throw fail('is missing');
    return undefined;
  }
  if (typeof value !== 'string') throw fail('must appear exactly once');
  if (value.length === 0) throw fail('is empty');
  if (value.length > max) throw fail(`is longer than ${max} characters`);
  if (!VSCHAR.test(value)) throw fail('contains characters outside printable ASCII');
  return value;
}
