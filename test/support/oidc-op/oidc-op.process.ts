import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { OpBrowser } from './op-browser';

export { OpBrowser } from './op-browser';

/** What `op.mjs` prints when it is ready. */
export interface OidcOpInfo {
  /** The issuer, e.g. `http://127.0.0.1:40123`. */
  issuer: string;
  /** Registered clients. */
  clients: {
    confidential: { clientId: string; clientSecret: string; authMethod: 'client_secret_basic' };
    public: { clientId: string; authMethod: 'none' };
  };
  /** Redirect URIs both clients accept. */
  redirectUris: string[];
  /** The `sub` of the account every login yields. */
  account: string;
}

/** Options of {@link OidcOpProcess.start}. */
export interface OidcOpStartOptions {
  /** Port on 127.0.0.1. @default 0 (a free port) */
  port?: number;
  /** Redirect URIs to register. @default the script's defaults */
  redirectUris?: string[];
  /** Access token lifetime, in seconds. @default 3600 */
  accessTokenTtlSeconds?: number;
  /**
   * When refresh tokens are issued: `always`, or `offline_access` (oidc-provider's own rule: only
   * for a consented `offline_access` scope, which it drops from a request without
   * `prompt=consent`, OIDC Core 11). @default 'always'
   */
  refreshTokens?: 'always' | 'offline_access';
  /** `confidential-only` refuses revocation by public clients (`unauthorized_client`). @default 'any' */
  revocation?: 'any' | 'confidential-only';
  /** The id_token signing algorithm. @default 'RS256' */
  idTokenAlg?: 'RS256' | 'PS256' | 'ES256' | 'EdDSA';
  /** `required`: authorization requests must be pushed (RFC 9126). @default optional */
  par?: 'required';
  /** `required`: DPoP proofs must carry a server nonce. @default no nonce */
  dpopNonce?: 'required';
  /** post_logout_redirect_uris of both clients. @default none */
  postLogoutRedirectUris?: string[];
  /** Enables back-channel logout to this URI, `sid` included. @default off */
  backchannelLogoutUri?: string;
}

/** A real OpenID Provider (panva/oidc-provider) running in a child process, for tests. */
export class OidcOpProcess {
  private constructor(
    private readonly child: ChildProcess,
    /** What the OP announced. */
    readonly info: OidcOpInfo,
  ) {}

  /** Starts `op.mjs` and resolves once it prints its issuer. */
  static async start(options: OidcOpStartOptions = {}): Promise<OidcOpProcess> {
    const env: NodeJS.ProcessEnv = { ...process.env, OIDC_OP_PORT: String(options.port ?? 0) };
    if (options.redirectUris) env.OIDC_OP_REDIRECT_URIS = options.redirectUris.join(',');
    if (options.accessTokenTtlSeconds !== undefined) {
      env.OIDC_OP_ACCESS_TOKEN_TTL = String(options.accessTokenTtlSeconds);
    }
    if (options.refreshTokens) env.OIDC_OP_REFRESH_TOKENS = options.refreshTokens;
    if (options.revocation) env.OIDC_OP_REVOCATION = options.revocation;
    if (options.idTokenAlg) env.OIDC_OP_ID_TOKEN_ALG = options.idTokenAlg;
    if (options.par) env.OIDC_OP_PAR = options.par;
    if (options.dpopNonce) env.OIDC_OP_DPOP_NONCE = options.dpopNonce;
    if (options.postLogoutRedirectUris) {
      env.OIDC_OP_POST_LOGOUT_REDIRECT_URIS = options.postLogoutRedirectUris.join(',');
    }
    if (options.backchannelLogoutUri) {
      env.OIDC_OP_BACKCHANNEL_LOGOUT_URI = options.backchannelLogoutUri;
    }
    const child = spawn(process.execPath, [join(__dirname, 'op.mjs')], {
      env,
      // The IPC channel lets the OP exit by itself when this process dies.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const info = await new Promise<OidcOpInfo>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (line) => resolve(JSON.parse(line) as OidcOpInfo));
      child.once('exit', (code) => reject(new Error(`op.mjs exited with ${code}: ${stderr}`)));
      child.once('error', reject);
    });
    return new OidcOpProcess(child, info);
  }

  /** The issuer URL. */
  get issuer(): string {
    return this.info.issuer;
  }

  /** Stops the OP and waits for the process to exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/**
 * Drives a login like a browser: follows redirects from the authorize URL, keeping the OP's
 * cookies, through the OP's (automatic) login and consent, and returns the URL the OP finally
 * redirects to under `redirectUri` (the callback, with `code`, `state` and `iss`). A fresh browser
 * each time: use {@link OpBrowser} to keep the OP's session between logins.
 */
export async function driveLogin(authorizeUrl: string, redirectUri: string): Promise<URL> {
  return (await new OpBrowser().follow(authorizeUrl, redirectUri)).url;
}
