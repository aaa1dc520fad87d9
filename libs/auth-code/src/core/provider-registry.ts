import { AuthCodeError, ConfigurationError } from '../errors/auth-code.errors';
import { Messages, QUOTED } from '../errors/error-messages';
import { clip } from '../errors/bounded-text';
import type { ProviderDefinition } from './provider-definition';

/**
 * A provider whose definition is only known at run time (OIDC discovery). `resolve()` is called on
 * every use and is expected to cache; when it fails, the provider answers 503 and recovers by itself.
 */
export interface LazyProvider {
  /** Stable id. */
  id: string;
  /** Name shown to people. */
  displayName: string;
  /** Resolves the definition (cached by the implementation). */
  resolve(): Promise<ProviderDefinition>;
}

/** A configured provider: a definition, or a lazily resolved one. */
export type ProviderSource = ProviderDefinition | LazyProvider;

/** The enabled providers, by id. A provider that is not here is disabled (routes answer 404). */
export class ProviderRegistry {
  private readonly sources = new Map<string, ProviderSource>();

  constructor(sources: Iterable<ProviderSource> = []) {
    for (const s of sources) this.add(s);
  }

  /** Adds a provider; ids must be unique. */
  add(source: ProviderSource): void {
    if (this.sources.has(source.id)) {
      throw new ConfigurationError({
        code: 'invalid_config',
        provider: source.id,
        operation: 'config',
        message: Messages.providerConfiguredTwice(source.id),
      });
    }
    this.sources.set(source.id, source);
  }

  /** Ids of the enabled providers, in configuration order. */
  ids(): string[] {
    return [...this.sources.keys()];
  }

  /** Whether a provider is enabled. */
  has(id: string): boolean {
    return this.sources.has(id);
  }

  /** The display name of an enabled provider. */
  displayName(id: string): string {
    return this.sources.get(id)?.displayName ?? id;
  }

  /** The definition of an enabled provider; throws `provider_disabled` for any other id. */
  async get(id: string): Promise<ProviderDefinition> {
    const source = this.sources.get(id);
    if (!source) throw providerDisabledError(id);
    return 'resolve' in source ? source.resolve() : source;
  }
}

/**
 * The error for a provider id that is not enabled (404 at the edge). The id comes from the route,
 * so the error quotes at most its first 64 characters.
 */
export function providerDisabledError(id: string): AuthCodeError {
  return new AuthCodeError({
    code: 'provider_disabled',
    provider: clip(id, QUOTED.id),
    message: Messages.providerDisabled(id),
  });
}

/**
 * `id` when it names an enabled provider. Throws `provider_disabled` (404) for any other id, and
 * `invalid_config` when a route names no provider at all (a wiring mistake of the app).
 */
export function requireEnabledProvider(
  registry: Pick<ProviderRegistry, 'has'>,
  id: string | undefined,
): string {
  if (!id) throw new AuthCodeError({ code: 'invalid_config', message: Messages.noRouteProvider() });
  if (!registry.has(id)) throw providerDisabledError(id);
  return id;
}
