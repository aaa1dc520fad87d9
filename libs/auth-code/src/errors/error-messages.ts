import { clip } from './bounded-text';
import type { AuthOperation } from './operation';

/**
 * How much of a value that a browser or an upstream controls a message quotes: enough to
 * recognise it, never enough to make the message (or the scrubbing and logging after it) costly.
 */
export const QUOTED = { id: 64, reason: 600, header: 128, value: 256 } as const;

/** Every message this library writes into an error, in one place. */
export const Messages = {
  rejected: (provider: string, op: AuthOperation, reason: string) =>
    `${provider} refused the ${op} request: ${clip(reason, QUOTED.reason)}`,
  timeout: (provider: string, op: AuthOperation, ms: number) =>
    `${provider} did not answer the ${op} request within ${ms} ms`,
  network: (provider: string, op: AuthOperation, reason: string) =>
    `${provider} could not be reached for the ${op} request (${clip(reason, QUOTED.value)})`,
  upstreamStatus: (provider: string, op: AuthOperation, status: number) =>
    `${provider} failed the ${op} request with HTTP ${status}`,
  notJson: (provider: string, op: AuthOperation, status: number, contentType: string) =>
    `${provider} answered the ${op} request with HTTP ${status} and a body that is not JSON (${clip(contentType, QUOTED.header) || 'no content type'})`,
  responseTooLarge: (provider: string, op: AuthOperation, max: number) =>
    `${provider} answered the ${op} request with a body larger than ${max} bytes; it was not read further`,
  tokenFieldTooLong: (provider: string, op: AuthOperation, field: string, max: number) =>
    `${provider} answered the ${op} request with a token field "${field}" longer than ${max} characters`,
  noAccessToken: (provider: string, op: AuthOperation) =>
    `${provider} answered the ${op} request without an access token`,
  noOutcome: (provider: string, op: AuthOperation, status: number) =>
    `${provider} answered the ${op} request with HTTP ${status} and neither a success nor an error code`,
  parNoRequestUri: (provider: string) =>
    `${provider} answered the pushed authorization request without a usable "request_uri"`,
  noProfileId: (provider: string) => `${provider} did not identify the user`,
  stateMissing: () => 'The login callback has no state parameter; start the login again',
  stateUnknown: () =>
    'The login attempt is unknown, expired or already used; start the login again',
  stateOtherBrowser: (baseUrl: string) =>
    `The login attempt was started in another browser, at another address than ${baseUrl}, or this browser has started several newer ones since; open ${baseUrl} and start the login again there`,
  stateWrongProvider: (expected: string, got: string) =>
    `The login attempt was started for ${expected}, but the callback arrived for ${got}; start the login again`,
  callbackParam: (name: string, why: string) => `The callback parameter "${name}" ${why}`,
  providerDenied: (provider: string, error: string, description?: string) =>
    `${provider} did not grant access (${clip(error, QUOTED.value)}${description ? `: ${clip(description, QUOTED.reason)}` : ''})`,
  loginAttemptsPerClient: (limit: number, minutes: number) =>
    `Too many unfinished logins (${limit}) have been started from your network; finish one, or start again in at most ${minutes} minutes when they have expired`,
  loginAttemptsTotal: (minutes: number) =>
    `Too many logins are in progress on this server right now; try again in a few minutes (at most ${minutes})`,
  logoutCrossSite: () => 'Logout was requested by another site; use the logout button of this app',
  loginRequired: (provider: string) => `Log in with ${provider} again`,
  noSession: () => 'You are not logged in',
  rateLimited: (seconds: number) =>
    `Too many sign-in requests from this address; try again in ${seconds} s`,
  apiTokenDead: (provider: string) => `${provider} no longer accepts the access token`,
  apiRetryFailed: (provider: string) =>
    `${provider} refused the access token again after a refresh; log in with ${provider} again`,
  apiNotDescribed: (provider: string, call: string) =>
    `${provider} has no API call "${call}" described (give it in the module's \`apis\` option)`,
  noRouteProvider: () =>
    "The route names no provider: add @ProviderApi('<provider>') or a :provider route parameter",
  providerDisabled: (provider: string) =>
    `The provider "${clip(provider, QUOTED.id)}" is not enabled`,
  issuerMismatch: (provider: string) =>
    `The login callback's issuer does not match ${provider}; start the login again`,
  storeUnavailable: (reason: string) => `The session store is unavailable (${reason})`,
  redisClusterUrlInvalid: (why: string) =>
    `AUTH_STORE is not a usable Redis Cluster URL: ${why} (expected redis-cluster://host:port,host:port,…)`,
  storeKeyPrefixBraces: () =>
    'storeKeyPrefix must not contain "{" or "}" with Redis Cluster: the session digest is the hash tag that keeps a session\'s keys in one slot',
  postgresIdentifierInvalid: (option: string, value: string, max: number) =>
    `${option} ${JSON.stringify(value.slice(0, 64))} is not a usable PostgreSQL name (lowercase letters, digits and _, starting with a letter or _, at most ${max} characters)`,
  postgresSchemaMissing: (schema: string, prefix: string) =>
    `PostgreSQL: the store's tables (${schema}.${prefix}sessions, …) do not exist; apply its migration (AUTH_STORE_MIGRATE=auto, or migratePostgresTokenStore())`,
  postgresSchemaTooNew: (found: number, known: number) =>
    `PostgreSQL: the store's schema is at version ${found}, newer than the ${known} this version of nestjs-auth-code knows; upgrade the library`,
  invalidConfig: (provider: string, why: string) => `${provider} is misconfigured: ${why}`,
  authorizeParamReserved: (name: string) =>
    `the authorize parameter "${name.slice(0, 40)}" is set by the library and cannot be configured${name.toLowerCase() === 'scope' ? ' (use the scope option)' : ''}`,
  authorizeParamName: (max: number) =>
    `an authorize parameter name must have 1 to ${max} characters`,
  authorizeParamValue: (name: string, max: number) =>
    `the authorize parameter "${name.slice(0, 40)}" needs a text value of at most ${max} characters`,
  authorizeParamsTooLong: (max: number) =>
    `the authorize parameters must be at most ${max} characters`,
  authorizeParamPair: (pair: string) =>
    `"${pair}" is not a name=value pair (write them as a query string: prompt=consent&audience=...)`,
  authorizeParamRepeated: (name: string) => `the authorize parameter "${name}" is given twice`,
  idTokenAlgsEmpty: () => 'list at least one algorithm, e.g. RS256',
  idTokenAlgsInsecure: (algs: readonly string[]) =>
    `${algs.map((a) => a.slice(0, 20)).join(', ')} refused: an id_token must carry an asymmetric signature (RS256, PS256, ES256, EdDSA...), since an unsigned or shared-secret one can be forged`,
  idTokenAlgsUnknown: (algs: readonly string[], known: readonly string[]) =>
    `${algs.map((a) => JSON.stringify(a.slice(0, 20))).join(', ')} is not one of ${known.join(', ')}`,
  noRefreshEndpoint: (provider: string) => `${provider} has no refresh endpoint configured`,
  userinfoSubMismatch: (provider: string) =>
    `${provider} userinfo "sub" does not match the id_token "sub"`,
  optionalDependencyMissing: (pkg: string, feature: string) =>
    `${feature} needs the package "${pkg}", which is not installed: run \`npm install ${pkg}\``,
  providerConfiguredTwice: (provider: string) => `Provider "${provider}" is configured twice`,
  envInvalid: (problems: readonly string[]) =>
    `Invalid configuration:\n  - ${problems.join('\n  - ')}`,
  envRequiredWith: (variable: string, enabledBy: readonly string[], provider: string) =>
    `${variable} is required when ${enabledBy.join('/')} is set (${provider})`,
  envRequiredUnless: (variable: string, condition: string, provider: string) =>
    `${variable} is required unless ${condition} (${provider})`,
  envProviderLogoutUnknown: (ids: readonly string[], enabled: readonly string[]) =>
    `AUTH_PROVIDER_LOGOUT names ${ids.map((id) => JSON.stringify(id.slice(0, 64))).join(', ')}, not an enabled provider (write on, off, or some of: ${enabled.join(', ') || 'none enabled'})`,
  envRequiredInProduction: (variable: string) => `${variable} is required when NODE_ENV=production`,
  sessionSecretEphemeral: (variable: string) =>
    `${variable} is not set: using a random secret; sessions end when the process restarts`,
  refreshBusy: (provider: string, ms: number) =>
    `Another request was still refreshing the ${provider} tokens after ${ms} ms; try again`,
  encryptionKeysMissing: (variable: string) =>
    `${variable} is not set: refusing to start in production without a token encryption key (32 random bytes, e.g. \`openssl rand -base64 32\`)`,
  encryptionKeyMalformed: (variable: string, position: number, why: string) =>
    `${variable} entry ${position} is not a usable key: ${why} (expected 32 random bytes as base64, base64url or hex, comma-separated)`,
  encryptionKeyEphemeral: (variable: string) =>
    `${variable} is not set: using a random key for this process only; sessions will not survive a restart or be shared between instances`,
  discoveryUnavailable: (provider: string, url: string, reason: string) =>
    `${provider} is unavailable: its OpenID discovery document ${url} could not be read (${reason}); it is fetched again on the next request`,
  discoveryIssuerMismatch: (provider: string, configured: string, advertised: string) =>
    `${provider} discovery names the issuer ${clip(advertised, QUOTED.value)}, not the configured ${configured}; the issuer setting must match it exactly`,
  discoveryLacks: (provider: string, field: string, feature: string) =>
    `${provider} is configured for ${feature}, but its discovery document has no ${field}`,
  discoveryIncomplete: (provider: string, field: string) =>
    `${provider} discovery document has no usable "${field}"`,
  jwksUnreadable: (provider: string, status: number) =>
    `${provider} answered the JWKS request with HTTP ${status} and no readable key set`,
  refreshUnverifiable: (provider: string, reason: string) =>
    `${provider} answered the refresh, but its answer could not be validated (${reason}); the refresh token is spent`,
  idTokenMissing: (provider: string) => `${provider} answered the login without an id_token`,
  idTokenInvalid: (provider: string, reason: string) =>
    `${provider} sent an id_token that failed validation: ${reason}`,
  logoutTokenInvalid: (provider: string, reason: string) =>
    `${provider} sent a logout token that failed validation: ${reason}`,
  logoutTokenMissing: () => 'The request carries no logout_token (one form field, at most 16 KB)',
  logoutTokenReplayed: () => 'its "jti" was seen before (a replayed logout token)',
  logoutUnsupported: (provider: string) => `${provider} does not send back-channel logout tokens`,
  logoutStoreUnsupported: () =>
    'the token store cannot index sessions (indexSession, deleteIndexedSessions, claimOnce): back-channel logout needs them',
  logoutReturnState: () =>
    "The return from the provider's logout page does not belong to a logout of this browser; you are logged out here",
  logoutTokenReason: {
    typ: (typ: string) => `its "typ" ${JSON.stringify(clip(typ, QUOTED.id))} is not logout+jwt`,
    issuer: (expected: string) => `its "iss" is not ${expected}`,
    audience: (clientId: string) => `its "aud" does not contain the client id ${clientId}`,
    iatMissing: () => 'it has no "iat"',
    iatFuture: (seconds: number) => `its "iat" lies ${seconds} s in the future`,
    tooOld: (maxAge: number) => `its "iat" is more than ${maxAge} s old`,
    expired: () => 'it has expired',
    jtiMissing: () => 'it has no usable "jti"',
    events: () =>
      'its "events" claim has no http://schemas.openid.net/event/backchannel-logout member',
    subOrSid: () => 'it names neither a "sub" nor a "sid" (text of at most 256 characters)',
    nonce: () => 'it carries a "nonce" (a logout token never does)',
    tooLong: () => 'it is longer than 16 KB',
  },
  idTokenReason: {
    malformed: () => 'it is not a compact signed JWT',
    algNone: () => 'it is unsigned (alg "none")',
    algNotAllowed: (alg: string, allowed: readonly string[]) =>
      `its algorithm ${JSON.stringify(clip(alg, QUOTED.id))} is not one of the allowed ${allowed.join(', ')}`,
    noKey: (kid: string | undefined) =>
      kid === undefined
        ? 'it has no "kid" and the JWKS has no usable key'
        : `no key of the JWKS has its "kid" ${JSON.stringify(clip(kid, QUOTED.id))}, even after fetching the JWKS again`,
    ambiguousKey: (kid: string | undefined, count: number) =>
      kid === undefined
        ? `it has no "kid" and the JWKS has ${count} usable keys, so its signing key is ambiguous`
        : `${count} keys of the JWKS share its "kid" ${JSON.stringify(clip(kid, QUOTED.id))}, so its signing key is ambiguous`,
    signature: () => "its signature does not verify with the provider's key",
    notJson: () => 'its payload is not a JSON object',
    issuer: (expected: string) => `its "iss" is not ${expected}`,
    subMissing: () => 'it has no "sub"',
    audience: (clientId: string) => `its "aud" does not contain the client id ${clientId}`,
    azp: (clientId: string) => `its "azp" is not the client id ${clientId}`,
    expMissing: () => 'it has no "exp"',
    expired: () => 'it has expired',
    iatMissing: () => 'it has no "iat"',
    iatFuture: (seconds: number) => `its "iat" lies ${seconds} s in the future`,
    notYetValid: () => 'its "nbf" lies in the future',
    nonce: () => 'its "nonce" is not the one sent in the login request',
    nonceNotSent: () => 'the login request sent no nonce to compare its "nonce" with',
    continuity: (claim: string) =>
      `its "${claim}" differs from the id_token of the login (OpenID Connect Core 12.2)`,
  },
} as const;
