import type { ProviderApiDescription } from '../../api/provider-api.description';
import type { ProviderSource } from '../../core/provider-registry';
import type { HttpClientOptions } from '../../engine/http-client';

/** What every provider's environment shares: the app's address and its upstream limits. */
export interface EnvironmentContext {
  /** The app's public base URL (`AUTH_BASE_URL`), without a trailing slash. */
  baseUrl: string;
  /** The provider's default redirect URI: `${baseUrl}/auth/<id>/callback`. */
  redirectUri: string;
  /** Timeout and response size of the calls a provider makes itself (discovery, JWKS). */
  http: HttpClientOptions;
}

/** One documented environment variable: a row of the README's configuration table. */
export interface VariableDoc {
  /** The default, as the README shows it (`\`intl\``, `by region`); none means "—". */
  default?: string;
  /** What it means, in one line of Markdown. */
  meaning: string;
}

/** The variables of one provider, as data: how they are validated, when they enable it. */
export interface ProviderEnvironment<E extends object> {
  /** A class whose properties are the variables, decorated with class-validator (and -transformer). */
  schema: new () => E;
  /** Any of these set enables the provider. */
  enabledBy: ReadonlyArray<keyof E & string>;
  /** Required once the provider is enabled. */
  requires: ReadonlyArray<keyof E & string>;
  /**
   * Rules beyond each variable's own, one sentence per problem (naming the variable). Runs on
   * every environment: a rule that only matters once the provider is enabled checks that itself.
   */
  check?: (env: E) => string[];
  /** Every variable of {@link schema}, documented, in the order the README lists them. */
  docs: Readonly<Record<keyof E & string, VariableDoc>>;
}

/**
 * A fake of the provider with demo credentials, for demo mode and `nestjs-auth-code/testing`.
 * Loaded lazily so that production code never loads a fake.
 */
export interface ProviderFake {
  /** A fake that accepts `redirectUri`, not started yet. */
  create(redirectUri: string): {
    /** Its URL, once started. */
    readonly url: string;
    /** Starts it on 127.0.0.1; resolves with its URL. */
    start(): Promise<string>;
    /** Stops it. */
    stop(): Promise<void>;
    /** The variables that point `AuthCodeModule.forRoot()` at it (once started). */
    environment(): Record<string, string>;
  };
}

/**
 * Everything the library knows about one provider, in one place: its environment variables (and
 * how they become a provider), its API calls, its Passport strategy and its fake. The list of
 * descriptors (`PROVIDER_DESCRIPTORS`) is what env validation, `forRoot()`, the default API
 * descriptions, the strategies, demo mode, the testing entry and the README's tables loop over.
 */
// `any` by default: a list holds descriptors of different schemas, each checked where it is declared.
export interface ProviderDescriptor<E extends object = any> {
  /** Provider id (routes `/auth/<id>/…`, stores). */
  id: string;
  /** Name shown to people. */
  displayName: string;
  /** Its environment variables. */
  environment: ProviderEnvironment<E>;
  /** Builds the provider from its validated variables. */
  fromEnvironment(env: E, context: EnvironmentContext): ProviderSource;
  /** Its API calls for `ProviderApiClient`, when the library describes any. */
  apis?: ProviderApiDescription;
  /**
   * Loads its named Passport strategy class (`PassportStrategy(…, id)`); without one the library
   * creates a generic one for the id. Lazy, so that the descriptor itself needs no Nest import.
   */
  strategy?: () => Promise<abstract new (...args: never[]) => unknown>;
  /** Loads its fake (demo mode, tests); never called by production code paths. */
  fake?: () => Promise<ProviderFake>;
}

/** Declares a descriptor with its variables' type checked against its schema. */
export function defineProvider<E extends object>(d: ProviderDescriptor<E>): ProviderDescriptor<E> {
  return d;
}
