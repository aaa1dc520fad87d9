import { AuthCodeError } from '../errors/auth-code.errors';
import { Messages } from '../errors/error-messages';
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
    if (this.sources.has(source.id)) throw new Error(`Provider "${source.id}" is configured twice`);
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
    if (!source) {
      throw new AuthCodeError({
        code: 'provider_disabled',
        provider: id,
        message: Messages.providerDisabled(id),
      });
    }
    return 'resolve' in source ? source.resolve() : source;
  }
}
