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
  noOutcome: (provider: string, op: AuthOperation, status: number) =>
    `${provider} answered the ${op} request with HTTP ${status} and neither a success nor an error code`,
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
  apiTokenDead: (provider: string) => `${provider} no longer accepts the access token`,
  apiRetryFailed: (provider: string) =>
    `${provider} refused the access token again after a refresh; log in with ${provider} again`,
  apiNotDescribed: (provider: string, call: string) =>
    `${provider} has no API call "${call}" described (give it in the module's \`apis\` option)`,
  noRouteProvider: () =>
    "The route names no provider: add @ProviderApi('<provider>') or a :provider route parameter",
  providerDisabled: (provider: string) => `The provider "${provider}" is not enabled`,
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
    `${provider} discovery names the issuer ${advertised}, not the configured ${configured}; the issuer setting must match it exactly`,
  discoveryIncomplete: (provider: string, field: string) =>
    `${provider} discovery document has no usable "${field}"`,
  jwksUnreadable: (provider: string, status: number) =>
    `${provider} answered the JWKS request with HTTP ${status} and no readable key set`,
  idTokenMissing: (provider: string) => `${provider} answered the login without an id_token`,
  idTokenInvalid: (provider: string, reason: string) =>
    `${provider} sent an id_token that failed validation: ${reason}`,
  idTokenReason: {
    malformed: () => 'it is not a compact signed JWT',
    algNone: () => 'it is unsigned (alg "none")',
    algNotAllowed: (alg: string, allowed: readonly string[]) =>
      `its algorithm ${JSON.stringify(alg)} is not one of the allowed ${allowed.join(', ')}`,
    noKey: (kid: string | undefined) =>
      kid === undefined
        ? 'it has no "kid" and the JWKS has no usable key'
        : `no key of the JWKS has its "kid" ${JSON.stringify(kid)}, even after fetching the JWKS again`,
    ambiguousKey: (kid: string | undefined, count: number) =>
      kid === undefined
        ? `it has no "kid" and the JWKS has ${count} usable keys, so its signing key is ambiguous`
        : `${count} keys of the JWKS share its "kid" ${JSON.stringify(kid)}, so its signing key is ambiguous`,
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
