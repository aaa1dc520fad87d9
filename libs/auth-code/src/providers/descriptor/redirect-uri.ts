/** The default redirect URI of a provider: `${AUTH_BASE_URL}/auth/<provider>/callback`. */
export function defaultRedirectUri(baseUrl: string, provider: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/auth/${provider}/callback`;
}

/** The public base URL: AUTH_BASE_URL, else http://localhost:$PORT. */
export function baseUrlOf(env: { AUTH_BASE_URL?: string; PORT?: number | string }): string {
  return (env.AUTH_BASE_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, '');
}
