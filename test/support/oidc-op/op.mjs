// A real OpenID Provider (panva/oidc-provider v9) for tests and for running the sample app
// against: `node test/support/oidc-op/op.mjs`. Login and consent complete by themselves.
//
// Environment (all optional):
//   OIDC_OP_PORT           port on 127.0.0.1                       default 0 (a free port)
//   OIDC_OP_REDIRECT_URIS  comma-separated redirect URIs accepted   default see DEFAULT_REDIRECT_URIS
//   OIDC_OP_ACCOUNT        the sub every login yields               default 'op-user-1'
//   OIDC_OP_ACCESS_TOKEN_TTL  access token lifetime in seconds      default 3600
//   OIDC_OP_REFRESH_TOKENS  `always` (every client allowed the grant) or `offline_access`
//                          (oidc-provider's own rule: only for a consented offline_access
//                          scope, which it drops without prompt=consent)  default always
//   OIDC_OP_REVOCATION     `any` or `confidential-only` (public clients are refused with
//                          unauthorized_client)                    default any
//   OIDC_OP_ID_TOKEN_ALG   RS256, PS256, ES256 or EdDSA: what id_tokens are signed with
//                                                                  default RS256
//   OIDC_OP_PAR            `required`: authorization requests must be pushed (RFC 9126)
//                                                                  default pushing is optional
//   OIDC_OP_DPOP_NONCE     `required`: DPoP proofs must carry a server nonce (RFC 9449 8, 9)
//                                                                  default no nonce
//   OIDC_OP_POST_LOGOUT_REDIRECT_URIS  comma-separated post_logout_redirect_uris of both clients
//                                                                  default none
//   OIDC_OP_BACKCHANNEL_LOGOUT_URI  enables back-channel logout; both clients' logout URI, with
//                          `sid` in id_tokens and logout tokens     default off
// Argument: `--redirect-uri <uri>` (repeatable) adds redirect URIs.
//
// Every interaction answer carries `x-op-prompt: login|consent`, so a driver can tell a login the
// OP asked for from a silent one.
//
// When ready it prints one JSON line on stdout:
//   {"ready":true,"issuer":"http://127.0.0.1:PORT","clients":{...},"account":"op-user-1"}
// It stops on SIGTERM / SIGINT.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Provider, { errors } from 'oidc-provider';

const DEFAULT_REDIRECT_URIS = [
  'http://127.0.0.1:3000/auth/oidc/callback',
  'http://localhost:3000/auth/oidc/callback',
  'http://127.0.0.1:9/callback',
];
const CLIENTS = {
  confidential: {
    clientId: 'op-confidential',
    clientSecret: 'op-confidential-secret',
    authMethod: 'client_secret_basic',
  },
  public: { clientId: 'op-public', authMethod: 'none' },
};

const args = process.argv.slice(2);
const extraRedirects = args.flatMap((a, i) =>
  a === '--redirect-uri' && args[i + 1] ? [args[i + 1]] : [],
);
const redirectUris = [
  ...(process.env.OIDC_OP_REDIRECT_URIS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean) ?? DEFAULT_REDIRECT_URIS),
  ...extraRedirects,
];
const accountId = process.env.OIDC_OP_ACCOUNT || 'op-user-1';
const accessTokenTtl = Number(process.env.OIDC_OP_ACCESS_TOKEN_TTL || 3600);

const refreshTokens = process.env.OIDC_OP_REFRESH_TOKENS || 'always';
const revocation = process.env.OIDC_OP_REVOCATION || 'any';
const idTokenAlg = process.env.OIDC_OP_ID_TOKEN_ALG || 'RS256';
const parRequired = process.env.OIDC_OP_PAR === 'required';
const dpopNonce = process.env.OIDC_OP_DPOP_NONCE === 'required';
const postLogoutRedirectUris = (process.env.OIDC_OP_POST_LOGOUT_REDIRECT_URIS ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const backchannelLogoutUri = process.env.OIDC_OP_BACKCHANNEL_LOGOUT_URI || undefined;

/** A private signing JWK for `alg`. */
function signingKeyFor(alg) {
  const { privateKey } =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : alg === 'EdDSA'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    ...privateKey.export({ format: 'jwk' }),
    kid: randomBytes(8).toString('hex'),
    use: 'sig',
    alg,
  };
}
if (!['RS256', 'PS256', 'ES256', 'EdDSA'].includes(idTokenAlg)) {
  throw new Error(`OIDC_OP_ID_TOKEN_ALG ${idTokenAlg} is not one of RS256, PS256, ES256, EdDSA`);
}
// RS256 is always published (oidc-provider's defaults need it); another alg gets its own key.
const signingKeys = [signingKeyFor('RS256')];
if (idTokenAlg !== 'RS256') signingKeys.push(signingKeyFor(idTokenAlg));

let handler = (_req, res) => res.writeHead(503).end();
const server = createServer((req, res) => handler(req, res));
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(Number(process.env.OIDC_OP_PORT || 0), '127.0.0.1', resolve);
});
const issuer = `http://127.0.0.1:${server.address().port}`;

const grantTypes = ['authorization_code', 'refresh_token'];
const idTokenSigning = { id_token_signed_response_alg: idTokenAlg };
const logout = {
  ...(postLogoutRedirectUris.length ? { post_logout_redirect_uris: postLogoutRedirectUris } : {}),
  ...(backchannelLogoutUri
    ? { backchannel_logout_uri: backchannelLogoutUri, backchannel_logout_session_required: true }
    : {}),
};
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: CLIENTS.confidential.clientId,
      client_secret: CLIENTS.confidential.clientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: redirectUris,
      grant_types: grantTypes,
      response_types: ['code'],
      ...idTokenSigning,
      ...logout,
    },
    {
      client_id: CLIENTS.public.clientId,
      token_endpoint_auth_method: 'none',
      redirect_uris: redirectUris,
      grant_types: grantTypes,
      response_types: ['code'],
      ...idTokenSigning,
      ...logout,
    },
  ],
  jwks: { keys: signingKeys },
  enabledJWA: { idTokenSigningAlgValues: ['RS256', 'PS256', 'ES256', 'EdDSA'] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    email: ['email', 'email_verified'],
  },
  features: {
    devInteractions: { enabled: false },
    revocation: {
      enabled: true,
      allowedPolicy: async (_ctx, client) => {
        if (revocation === 'confidential-only' && client.clientAuthMethod === 'none') {
          throw new errors.UnauthorizedClient('public clients may not revoke tokens here');
        }
        return true;
      },
    },
    userinfo: { enabled: true },
    pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: parRequired },
    dPoP: {
      enabled: true,
      ...(dpopNonce ? { nonceSecret: randomBytes(32), requireNonce: () => true } : {}),
    },
    backchannelLogout: { enabled: backchannelLogoutUri !== undefined },
  },
  // oidc-provider refuses outgoing calls to loopback addresses (SSRF protection); this OP's
  // back-channel logout calls go to the app under test on 127.0.0.1, so its fetch goes straight.
  fetch: (url, { dispatcher: _dispatcher, ...options }) => globalThis.fetch(url, options),
  pkce: { required: () => true },
  // `always`: refresh tokens for every client allowed the grant, offline_access or not;
  // `offline_access`: oidc-provider's default rule (OIDC Core 11).
  ...(refreshTokens === 'always'
    ? { issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token') }
    : {}),
  rotateRefreshToken: true,
  ttl: { AccessToken: accessTokenTtl },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(_ctx, sub) {
    return {
      accountId: sub,
      claims: async () => ({
        sub,
        name: 'OP Test User',
        preferred_username: 'op-user',
        email: `${sub}@op.example.test`,
        email_verified: true,
      }),
    };
  },
});

/** Finishes whatever the provider asks for: login as the fixed account, then consent to everything. */
async function autoInteraction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session, grantId } = details;
  res.setHeader('x-op-prompt', prompt.name);
  if (prompt.name === 'login') {
    return provider.interactionFinished(req, res, { login: { accountId } });
  }
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  const {
    missingOIDCScope = [],
    missingOIDCClaims = [],
    missingResourceScopes = {},
  } = prompt.details;
  if (missingOIDCScope.length) grant.addOIDCScope(missingOIDCScope.join(' '));
  if (missingOIDCClaims.length) grant.addOIDCClaims(missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missingResourceScopes)) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } });
}

const callback = provider.callback();
handler = (req, res) => {
  if (req.url?.startsWith('/interaction/')) {
    autoInteraction(req, res).catch((err) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err?.message ?? err));
    });
    return;
  }
  callback(req, res);
};

const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Started by a test runner with an IPC channel: leave with it, never outlive a killed runner.
process.on('disconnect', stop);
process.stdout.write(
  `${JSON.stringify({ ready: true, issuer, clients: CLIENTS, redirectUris, account: accountId })}\n`,
);
