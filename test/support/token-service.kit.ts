import { createCodeVerifier, randomToken, s256Challenge } from '../../libs/auth-code/src/core/pkce';
import type { ProviderDefinition } from '../../libs/auth-code/src/core/provider-definition';
import { ProviderRegistry } from '../../libs/auth-code/src/core/provider-registry';
import { AuthCodeEngine } from '../../libs/auth-code/src/engine/auth-code.engine';
import { fakeOAuth2Definition } from '../../libs/auth-code/src/testing/fake-oauth2.definition';
import { FakeOAuth2 } from '../../libs/auth-code/src/testing/fake-oauth2.fake';
import { MemoryTokenLock } from '../../libs/auth-code/src/stores/memory-token.lock';
import { MemoryTokenStore } from '../../libs/auth-code/src/stores/memory-token.store';
import type {
  SessionRecord,
  TokenLock,
  TokenStore,
} from '../../libs/auth-code/src/stores/token-store.interface';
import type { StoreNotifier } from '../../libs/auth-code/src/stores/store-notifier.interface';
import type { TokenLogger } from '../../libs/auth-code/src/core/token-logger';
import { TokenService, type TokenServiceDeps } from '../../libs/auth-code/src/tokens/token.service';
import type { TokenServiceOptions } from '../../libs/auth-code/src/tokens/token-service.options';
import type { AuthTelemetry } from '../../libs/auth-code/src/telemetry/telemetry';

/** Test set-up shared by the TokenService specs (not a spec itself). */
export interface ServiceKit {
  service: TokenService;
  store: TokenStore;
  engine: AuthCodeEngine;
  registry: ProviderRegistry;
  warnings: string[];
}

/** Builds a TokenService on real fakes; memory store and lock unless given. */
export function makeService(
  defs: ProviderDefinition[],
  opts: {
    store?: TokenStore;
    lock?: TokenLock;
    options?: TokenServiceOptions;
    timeoutMs?: number;
    /** Where the engine and the service report. @default the default telemetry */
    telemetry?: AuthTelemetry;
    /** Told when a grant turns out dead. */
    onLoginRequired?: TokenServiceDeps['onLoginRequired'];
    /** Wakes waiting callers. @default none (they poll) */
    notifier?: StoreNotifier;
  } = {},
): ServiceKit {
  const warnings: string[] = [];
  const logger: TokenLogger = { warn: (m) => warnings.push(m) };
  const store = opts.store ?? new MemoryTokenStore(undefined, { sweepIntervalMs: 0, logger });
  const lock = opts.lock ?? new MemoryTokenLock();
  const engine = new AuthCodeEngine({
    timeoutMs: opts.timeoutMs ?? 5000,
    telemetry: opts.telemetry,
  });
  const registry = new ProviderRegistry(defs);
  const options: TokenServiceOptions = {
    jitterSeconds: 0,
    retry: { baseDelayMs: 10 },
    ...opts.options,
  };
  const service = new TokenService({
    store,
    lock,
    engine,
    registry,
    logger,
    options,
    onLoginRequired: opts.onLoginRequired,
    notifier: opts.notifier,
  });
  return { service, store, engine, registry, warnings };
}

/** Starts a fake and builds its definition. */
export async function startFake(
  overrides: Partial<ProviderDefinition> = {},
  rotate = true,
): Promise<{ fake: FakeOAuth2; def: ProviderDefinition }> {
  const fake = new FakeOAuth2({ rotateRefreshTokens: rotate });
  await fake.start();
  return { fake, def: fakeOAuth2Definition(fake, overrides) };
}

/** A full login through the engine: authorize URL, consent, code exchange, profile, saveLogin. */
export async function login(
  kit: ServiceKit,
  fake: FakeOAuth2,
  def: ProviderDefinition,
  sessionId?: string,
): Promise<SessionRecord> {
  const verifier = createCodeVerifier();
  const url = kit.engine.authorizeUrl(def, {
    state: randomToken(),
    codeChallenge: s256Challenge(verifier),
  });
  const code = new URL(await fake.consent(url)).searchParams.get('code')!;
  const result = await kit.engine.exchangeCode(def, { code, codeVerifier: verifier });
  const profile = await kit.engine.profile(def, result);
  return kit.service.saveLogin(sessionId, {
    provider: def.id,
    profile,
    tokenSet: result.tokenSet,
    claims: result.claims,
  });
}

/** Makes the stored access token of a grant due (expired) without touching the refresh token. */
export async function expireGrant(
  store: TokenStore,
  sessionId: string,
  provider: string,
): Promise<void> {
  const grant = (await store.getGrant(sessionId, provider))!;
  const tokenSet = { ...grant.tokenSet, expiresAt: Date.now() - 1000 };
  const { profile, claims } = grant;
  await store.compareAndSetGrant(
    sessionId,
    provider,
    { tokenSet, profile, claims },
    grant.version,
    60_000,
  );
}
