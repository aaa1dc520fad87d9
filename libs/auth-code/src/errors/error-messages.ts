import type { AuthOperation } from '../core/operation';

/** Every message this library writes into an error, in one place. */
export const Messages = {
  rejected: (provider: string, op: AuthOperation, reason: string) =>
    `${provider} refused the ${op} request: ${reason}`,
  timeout: (provider: string, op: AuthOperation, ms: number) =>
    `${provider} did not answer the ${op} request within ${ms} ms`,
  network: (provider: string, op: AuthOperation, reason: string) =>
    `${provider} could not be reached for the ${op} request (${reason})`,
  upstreamStatus: (provider: string, op: AuthOperation, status: number) =>
    `${provider} failed the ${op} request with HTTP ${status}`,
  notJson: (provider: string, op: AuthOperation, status: number, contentType: string) =>
    `${provider} answered the ${op} request with HTTP ${status} and a body that is not JSON (${contentType || 'no content type'})`,
  noAccessToken: (provider: string, op: AuthOperation) =>
    `${provider} answered the ${op} request without an access token`,
  noProfileId: (provider: string) => `${provider} did not identify the user`,
  stateMissing: () => 'The login callback has no state parameter; start the login again',
  stateUnknown: () =>
    'The login attempt is unknown, expired or already used; start the login again',
  stateOtherBrowser: () =>
    'The login attempt was started in another browser; start the login again here',
  stateWrongProvider: (expected: string, got: string) =>
    `The login attempt was started for ${expected}, but the callback arrived for ${got}; start the login again`,
  callbackParam: (name: string, why: string) => `The callback parameter "${name}" ${why}`,
  providerDenied: (provider: string, error: string, description?: string) =>
    `${provider} did not grant access (${error}${description ? `: ${description}` : ''})`,
  loginRequired: (provider: string) => `Log in with ${provider} again`,
  noSession: () => 'You are not logged in',
  providerDisabled: (provider: string) => `The provider "${provider}" is not enabled`,
  storeUnavailable: (reason: string) => `The session store is unavailable (${reason})`,
  invalidConfig: (provider: string, why: string) => `${provider} is misconfigured: ${why}`,
  encryptionKeysMissing: (variable: string) =>
    `${variable} is not set: refusing to start in production without a token encryption key (32 random bytes, e.g. \`openssl rand -base64 32\`)`,
  encryptionKeyMalformed: (variable: string, position: number, why: string) =>
    `${variable} entry ${position} is not a usable key: ${why} (expected 32 random bytes as base64, base64url or hex, comma-separated)`,
  encryptionKeyEphemeral: (variable: string) =>
    `${variable} is not set: using a random key for this process only; sessions will not survive a restart or be shared between instances`,
} as const;
