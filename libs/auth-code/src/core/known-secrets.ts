import { REDACTED } from './token-runs';

/**
 * The secret values of the request at hand — the client secret, the code, the PKCE verifier, the
 * refresh or access token that was sent — removed by value from any text that may be shown or
 * logged, whatever their length or shape (issue 9, hole 7: a provider echoing a short client secret
 * such as `demo-xt-secret` slipped past the token-run scrubber). Each value is also removed in the
 * spellings an echo may use: JSON-escaped, percent-encoded and form-encoded.
 */
export class KnownSecrets {
  private readonly forms: string[];

  constructor(values: Iterable<string | undefined>) {
    const forms = new Set<string>();
    for (const value of values) {
      if (!value) continue;
      forms.add(value);
      forms.add(JSON.stringify(value).slice(1, -1));
      forms.add(encodeURIComponent(value));
      forms.add(encodeURIComponent(value).replace(/%20/g, '+'));
    }
    // Longest first, so a value that contains another is removed whole.
    this.forms = [...forms].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
  }

  /** No known secret. */
  static readonly none = new KnownSecrets([]);

  /** Whether any value is known. */
  get isEmpty(): boolean {
    return this.forms.length === 0;
  }

  /** `text` with every known value replaced by `[redacted]` (plain substring search: linear). */
  redact(text: string): string {
    let out = text;
    for (const form of this.forms) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
    return out;
  }

  /** {@link redact} for an optional text. */
  redactOptional(text: string | undefined): string | undefined {
    return text === undefined ? undefined : this.redact(text);
  }

  /** Whether `text` contains a known value (in any of its spellings). */
  occursIn(text: string): boolean {
    return this.forms.some((form) => text.includes(form));
  }
}
