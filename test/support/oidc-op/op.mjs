// A real OpenID Provider (panva/oidc-provider v9) for tests and for running the sample app
// against: `node test/support/oidc-op/op.mjs`. Login and consent complete by themselves.
//
// Environment (all optional):
//   OIDC_OP_PORT           port on 127.0.0.1                       default 0 (a free port)
//   OIDC_OP_REDIRECT_URIS  comma-separated redirect URIs accepted   default see DEFAULT_REDIRECT_URIS
//   OIDC_OP_ACCOUNT        the sub every login yields               default 'op-user-1'
//   OIDC_OP_ACCESS_TOKEN_TTL  access token lifetime in seconds      default 3600
// Argument: `--redirect-uri <uri>` (repeatable) adds redirect URIs.
//
// When ready it prints one JSON line on stdout:
//   {"ready":true,"issuer":"http://127.0.0.1:PORT","clients":{...},"account":"op-user-1"}
// It stops on SIGTERM / SIGINT.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

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

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = {
  ...privateKey.export({ format: 'jwk' }),
  kid: randomBytes(8).toString('hex'),
  use: 'sig',
  alg: 'RS256',
};

let handler = (_req, res) => res.writeHead(503).end();
const server = createServer((req, res) => handler(req, res));
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(Number(process.env.OIDC_OP_PORT || 0), '127.0.0.1', resolve);
});
const issuer = `http://127.0.0.1:${server.address().port}`;

const grantTypes = ['authorization_code', 'refresh_token'];
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: CLIENTS.confidential.clientId,
      client_secret: CLIENTS.confidential.clientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: redirectUris,
      grant_types: grantTypes,
      response_types: ['code'],
    },
    {
      client_id: CLIENTS.public.clientId,
      token_endpoint_auth_method: 'none',
      redirect_uris: redirectUris,
      grant_types: grantTypes,
      response_types: ['code'],
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    email: ['email', 'email_verified'],
  },
  features: {
    devInteractions: { enabled: false },
    revocation: { enabled: true },
    userinfo: { enabled: true },
  },
  pkce: { required: () => true },
  // Refresh tokens for every client allowed the grant, offline_access or not.
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
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
