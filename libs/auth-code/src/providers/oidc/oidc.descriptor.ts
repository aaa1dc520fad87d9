import { parseAuthorizeParams } from '../../engine/authorize-params';
import { defineProvider } from '../descriptor/provider-descriptor';
import { idTokenAlgorithmsProblem, splitList } from './id-token-algorithms';
import { OidcEnvironment } from './oidc.environment';
import { oidc } from './oidc.provider';

/** The generic OpenID Connect provider of the environment (id `oidc`). */
export const OIDC = defineProvider<OidcEnvironment>({
  id: 'oidc',
  displayName: 'OpenID Connect',
  environment: {
    schema: OidcEnvironment,
    enabledBy: ['OIDC_ISSUER', 'OIDC_CLIENT_ID'],
    requires: ['OIDC_ISSUER', 'OIDC_CLIENT_ID'],
    check: (env) => {
      const problems: string[] = [];
      if (env.OIDC_AUTHORIZE_PARAMS !== undefined) {
        const read = parseAuthorizeParams(env.OIDC_AUTHORIZE_PARAMS);
        if ('problem' in read) problems.push(`OIDC_AUTHORIZE_PARAMS: ${read.problem}`);
      }
      if (env.OIDC_ID_TOKEN_ALGS !== undefined) {
        const problem = idTokenAlgorithmsProblem(splitList(env.OIDC_ID_TOKEN_ALGS));
        if (problem) problems.push(`OIDC_ID_TOKEN_ALGS: ${problem}`);
      }
      return problems;
    },
    docs: {
      OIDC_ISSUER: {
        meaning: 'with `OIDC_CLIENT_ID`, enables a generic OpenID Connect provider (id `oidc`)',
      },
      OIDC_CLIENT_ID: { meaning: 'the client id registered at the OpenID Provider' },
      OIDC_CLIENT_SECRET: {
        meaning: 'confidential client (`client_secret_basic`); unset = public client with PKCE',
      },
      OIDC_SCOPE: { default: '`openid profile email`', meaning: 'space or comma separated' },
      OIDC_REDIRECT_URI: { default: 'base URL + `/auth/oidc/callback`', meaning: '' },
      OIDC_AUTHORIZE_PARAMS: {
        meaning:
          'extra authorize parameters as a query string, e.g. `audience=https%3A%2F%2Fapi.example&acr_values=mfa`; a `prompt` here replaces the automatic `prompt=consent` of `offline_access`. Parameters the library sets (`state`, `nonce`, `code_challenge`, `code_challenge_method`, `redirect_uri`, `client_id`, `response_type`, `scope`, `response_mode`) stop start-up with a message',
      },
      OIDC_ID_TOKEN_ALGS: {
        default: '`RS256`',
        meaning:
          'accepted id_token algorithms, comma separated: `RS256`…`RS512`, `PS256`…`PS512`, `ES256`…`ES512`, `EdDSA`; `none` and `HS*` stop start-up (forgeable)',
      },
      OIDC_PAR: {
        default: '`auto`',
        meaning:
          'pushed authorization requests (RFC 9126): `auto` pushes when discovery says `require_pushed_authorization_requests`, `on` whenever it lists a `pushed_authorization_request_endpoint`, `off` never',
      },
      OIDC_DPOP: {
        default: '`false`',
        meaning:
          '`true`: DPoP-bound tokens (RFC 9449), proofs on token, refresh, userinfo and API calls with a key pair per grant, kept encrypted with its tokens',
      },
      OIDC_DPOP_ALG: {
        default: '`ES256`',
        meaning:
          "the DPoP proofs' algorithm: `ES256`, `ES384`, `ES512`, `PS256`, `RS256` or `EdDSA`",
      },
    },
  },
  fromEnvironment: (env, { redirectUri, http }) => {
    const params = env.OIDC_AUTHORIZE_PARAMS && parseAuthorizeParams(env.OIDC_AUTHORIZE_PARAMS);
    return oidc({
      issuer: env.OIDC_ISSUER!,
      clientId: env.OIDC_CLIENT_ID!,
      clientSecret: env.OIDC_CLIENT_SECRET,
      scope: env.OIDC_SCOPE ? splitList(env.OIDC_SCOPE) : undefined,
      authorizeParams: params && 'params' in params ? params.params : undefined,
      algorithms: env.OIDC_ID_TOKEN_ALGS ? splitList(env.OIDC_ID_TOKEN_ALGS) : undefined,
      par:
        env.OIDC_PAR === undefined
          ? undefined
          : env.OIDC_PAR === 'auto'
            ? 'auto'
            : env.OIDC_PAR === 'on',
      dpop: env.OIDC_DPOP ? { alg: env.OIDC_DPOP_ALG } : undefined,
      redirectUri: env.OIDC_REDIRECT_URI ?? redirectUri,
      http,
    });
  },
});
