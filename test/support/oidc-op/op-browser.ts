/**
 * One browser profile at the OP: it keeps the OP's cookies (so its session lives from one login
 * to the next, as a real browser's does), follows redirects, records which prompts the OP showed
 * (`x-op-prompt`, set by op.mjs on every interaction), and confirms the OP's logout page.
 */
export class OpBrowser {
  private readonly jar = new Map<string, string>();

  /**
   * Follows redirects from `url` until one leads under `until` (a URL prefix); returns that URL
   * and the prompts (`login`, `consent`) the OP showed on the way. An OP session that is still
   * alive shows none.
   */
  async follow(url: string, until: string): Promise<{ url: URL; prompts: string[] }> {
    const prompts: string[] = [];
    let next = url;
    for (let hop = 0; hop < 20; hop++) {
      if (next.startsWith(until)) return { url: new URL(next), prompts };
      const res = await this.request(next);
      const prompt = res.headers.get('x-op-prompt');
      if (prompt) prompts.push(prompt);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status > 399 || !location) {
        throw new Error(
          `stopped at ${new URL(next).pathname}: HTTP ${res.status} ${await res.text()}`,
        );
      }
      next = new URL(location, next).toString();
    }
    throw new Error(`did not reach ${until} within 20 redirects`);
  }

  /**
   * Opens the OP's logout page (`end_session_endpoint` with its parameters), answers its question
   * "sign out of the OP too?" with yes, and follows the redirects until one leads under `until`.
   */
  async logout(endSessionUrl: string, until: string): Promise<URL> {
    const page = await this.request(endSessionUrl);
    const html = await page.text();
    if (page.status !== 200) throw new Error(`logout page: HTTP ${page.status} ${html}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`the logout page has no form: ${html.slice(0, 500)}`);
    const fields = new URLSearchParams();
    for (const [, name, value] of html.matchAll(
      /<input type="hidden" name="([^"]+)" value="([^"]*)"/g,
    )) {
      fields.set(name, value);
    }
    fields.set('logout', 'yes');
    const confirmed = await this.request(new URL(action, endSessionUrl).toString(), {
      method: 'POST',
      body: fields.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const location = confirmed.headers.get('location');
    if (!location)
      throw new Error(`logout confirm: HTTP ${confirmed.status} ${await confirmed.text()}`);
    return (await this.follow(new URL(location, action).toString(), until)).url;
  }

  private async request(
    url: string,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      body: init.body,
      redirect: 'manual',
      headers: { ...init.headers, cookie: this.cookieHeader() },
    });
    this.store(res.headers.getSetCookie());
    return res;
  }

  private cookieHeader(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** A minimal jar: names are unique across the OP's paths, and expired cookies are dropped. */
  private store(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const expired = attributes.some(
        (a) =>
          /^max-age=(0|-)/i.test(a) ||
          (/^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()),
      );
      if (expired || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }
}
