/**
 * The sample's home page (`GET /`): plain server-rendered HTML, a little CSS, one small inline
 * script (the API call shows its JSON in place; without JS the link opens the JSON; the
 * Connected-accounts countdowns and buttons), under a strict CSP ({@link HOME_CSP}: the style and
 * the script are allowed by their hashes, nothing else runs or loads).
 *
 * Stable hooks for browser tests (ids are unique; `<p>` = provider id):
 * - `#demo-banner` / `[data-testid=demo-banner]`: only in demo mode (fake providers)
 * - `#origin-warning`: only when the page was opened at another address than the base URL; the
 *   login buttons then start at the base URL
 * - `#login-buttons`: `a[data-testid=login-<p>]` → `/auth/<p>/login[?returnTo=...]`, one per enabled
 *   provider; in demo mode each carries `.tag[data-testid=demo-tag]`
 * - `#anonymous`: only when logged out
 * - `#profile`: only when logged in; `[data-testid=profile-name]`, `profile-id`, `profile-provider`,
 *   `profile-email` (when known)
 * - `#connections`: only when logged in, the Connected-accounts panel (hooks in `connections.panel.ts`)
 * - `#plants`: authorized plants (iSolarCloud): `li[data-testid=plant-<plant id>]` holding
 *   `.plant-name`; `[data-testid=plants-error]` when the names could not be read
 * - `#tokens`: `tr[data-testid=token-<p>]` per grant with `time[data-testid=token-expiry-<p>]`
 *   (`datetime` = ISO 8601 expiry), `a[data-testid=call-api-<p>]` → `GET /api/<p>/profile` and
 *   `pre[data-testid=api-result-<p>]` (`#api-result-<p>`) where the answer appears
 * - `#logout-form` (`POST /auth/logout`) with `button#logout` / `[data-testid=logout]`
 */
import { createHash } from 'node:crypto';
import { connectionsPanel } from './connections.panel';
import { esc, isoTime } from './home.format';
import { HOME_SCRIPT } from './home.script';
import { HOME_STYLES } from './home.styles';
import type { GrantView, HomeView, PlantView } from './home.view';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * The home page's Content-Security-Policy: nothing loads or runs but the page's own style and
 * script (by hash) and fetches to this origin; no framing, no `<base>`. (No `form-action`: the
 * logout form's answer may redirect to the provider's logout page, `AUTH_PROVIDER_LOGOUT`.)
 */
export const HOME_CSP = [
  "default-src 'none'",
  `script-src ${sha256(HOME_SCRIPT)}`,
  `style-src ${sha256(HOME_STYLES)}`,
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Renders the home page; every value is escaped. */
export function renderHomePage(view: HomeView, now = Date.now()): string {
  const body = view.user
    ? `${profileSection(view)}${connectionsPanel(view, now)}${view.grants.map(plantsBlock).join('')}${tokensSection(view.grants, now)}`
    : anonymousSection();
  const logout = view.user ? LOGOUT_FORM : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>nestjs-auth-code sample</title>
<meta name="viewport" content="width=device-width, initial-scale=1">${view.replaced ? '<meta http-equiv="refresh" content="1">' : ''}<style>${HOME_STYLES}</style></head>
<body><main>
<h1>nestjs-auth-code sample</h1>
<p class="lead">OAuth 2.0 authorization-code login with iSolarCloud, Tencent Cloud CIAM and XT.COM.</p>
${view.demo ? demoBanner() : ''}${view.openedAt ? originWarning(view.openedAt, view.baseUrl) : ''}${body}${loginSection(view)}${logout}
</main><script>${HOME_SCRIPT}</script></body></html>`;
}

function demoBanner(): string {
  return `<p class="demo" id="demo-banner" data-testid="demo-banner"><strong>Demo mode</strong>: no provider credentials are configured, so the bundled fake providers run on this machine. Log in with any of them.</p>\n`;
}

function originWarning(openedAt: string, baseUrl: string): string {
  return `<p class="demo" id="origin-warning" data-testid="origin-warning"><strong>Wrong address</strong>: you opened this app at ${esc(openedAt)}, but it is configured for <a href="${esc(baseUrl)}/">${esc(baseUrl)}</a> (AUTH_BASE_URL). Sign-in cookies only work there, so the buttons below start the login at ${esc(baseUrl)}; open that address to stay signed in.</p>\n`;
}

function anonymousSection(): string {
  return `<section class="card" id="anonymous"><h2>You are not logged in</h2><p class="muted">Choose a provider below.</p></section>\n`;
}

function loginSection(view: HomeView): string {
  const query = view.returnTo ? `?returnTo=${encodeURIComponent(view.returnTo)}` : '';
  const tag = view.demo ? '<span class="tag" data-testid="demo-tag">demo</span>' : '';
  const buttons = view.providers
    .map(
      (p) =>
        `<a class="button" data-testid="login-${esc(p.id)}" href="${view.openedAt ? esc(view.baseUrl) : ''}/auth/${encodeURIComponent(p.id)}/login${esc(query)}">Log in with ${esc(p.displayName)}${tag}</a>`,
    )
    .join('\n');
  const title = view.user ? 'Connect another provider' : 'Log in';
  const none = view.providers.length === 0 ? '<p class="muted">No provider is enabled.</p>' : '';
  return `<section class="card"><h2>${title}</h2>${none}<div class="buttons" id="login-buttons">\n${buttons}\n</div></section>\n`;
}

function profileSection(view: HomeView): string {
  const u = view.user!;
  const email = u.email
    ? `<dt>E-mail</dt><dd data-testid="profile-email">${esc(u.email)}</dd>`
    : '';
  return `<section class="card" id="profile"><h2>Your profile</h2><dl>
<dt>Name</dt><dd data-testid="profile-name">${esc(u.displayName ?? u.id)}</dd>
<dt>Id</dt><dd data-testid="profile-id">${esc(u.id)}</dd>
<dt>Logged in with</dt><dd data-testid="profile-provider">${esc(u.provider)}</dd>${email}
</dl></section>\n`;
}

const LOGOUT_FORM = `<form class="card" id="logout-form" method="post" action="/auth/logout">
<button class="button danger" id="logout" data-testid="logout" type="submit">Log out</button></form>\n`;

function plantsBlock(g: GrantView): string {
  if (!g.plants) return '';
  const items = g.plants.map(
    (p: PlantView) =>
      `<li data-testid="plant-${esc(p.id)}"><span class="plant-name">${p.name ? esc(p.name) : '<span class="muted">(name unavailable)</span>'}</span> <span class="muted">#${esc(p.id)}</span></li>`,
  );
  const error = g.plantsError
    ? `<p class="error" data-testid="plants-error">${esc(g.plantsError)}</p>`
    : '';
  const list = items.length
    ? `<ul>${items.join('')}</ul>`
    : '<p class="muted">No plant is authorized.</p>';
  return `<section class="card" id="plants"><h2>Authorized plants (${esc(g.displayName)})</h2>${list}${error}</section>\n`;
}

function tokensSection(grants: GrantView[], now: number): string {
  const rows = grants.map((g) => {
    const p = esc(g.provider);
    const iso = isoTime(g.expiresAt);
    const when = iso
      ? `<time data-testid="token-expiry-${p}" datetime="${iso}">${iso}</time> <span class="muted">(${relative(g.expiresAt - now)})</span>`
      : '<span class="muted">unknown</span>';
    const href = `/api/${encodeURIComponent(g.provider)}/profile`;
    return `<tr data-testid="token-${p}"><td>${esc(g.displayName)}</td><td>${when}</td>
<td><a class="button secondary" data-testid="call-api-${p}" data-api="${p}" href="${href}">Call the provider API</a></td></tr>
<tr class="api-row"><td colspan="3"><pre id="api-result-${p}" data-testid="api-result-${p}"></pre></td></tr>`;
  });
  return `<section class="card" id="tokens"><h2>Provider tokens</h2><table><thead><tr><th>Provider</th><th>Access token expires</th><th></th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></section>\n`;
}

function relative(ms: number): string {
  if (ms <= 0) return 'expired; refreshed on the next API call';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `in ${hours} h ${minutes % 60} min` : `in ${Math.floor(hours / 24)} days`;
}
