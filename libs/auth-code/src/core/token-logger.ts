/**
 * Where the token layer reports what an operator should know (an undecryptable record, a store
 * outage, a failed best-effort revoke). Lines never contain a token, code, key or session id.
 */
export interface TokenLogger {
  /** Something went wrong but was handled. */
  warn(message: string): void;
  /** Diagnostic detail. */
  debug?(message: string): void;
}

/** The default logger: warnings on the console, no debug output. */
export const consoleTokenLogger: TokenLogger = {
  warn: (message) => console.warn(`[auth-code] ${message}`),
};
