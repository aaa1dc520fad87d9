/**
 * The home page's Connected-accounts panel (`#connections`), server-rendered; the page's script
 * runs the countdowns and turns the forms into API calls, and without JavaScript the forms post
 * to `/connections/:provider/{refresh,disconnect}` (303 back to `/`).
 *
 * Stable hooks for tests (`<p>` = provider id):
 * - `tr[data-testid=connection-<p>]` per connection (`data-status` = `connected` |
 *   `login_required`), holding `connection-who-<p>` (name and id at the provider),
 *   `connection-status-<p>`, `time[data-testid=connection-expiry-<p>][data-countdown]` (`datetime`
 *   = access-token expiry, text = the live countdown), `connection-last-refresh-<p>` and
 *   `connection-refresh-expiry-<p>` (when known)
 * - `form[data-testid=refresh-form-<p>]` / `button[data-testid=refresh-<p>]` (Refresh now),
 *   `form[data-testid=disconnect-form-<p>]` / `button[data-testid=disconnect-<p>]` (Disconnect),
 *   `a[data-testid=connect-<p>]` → `/auth/<p>/login?returnTo=%2F` (Connect: a provider without a
 *   connection, or one whose connection needs a new login), in `#connect-buttons` or in its row
 * - `[data-testid=plant-monitor]` (`#plant-monitor`): what the plant monitor last fetched for the
 *   user (iSolarCloud connection kept for the user)
 * - `#connections-message` (`role=status`): what the last button did
 */
import { clockTime, countdown, esc, isoTime } from './home.format';
import type { ConnectionView, HomeView } from './home.view';

/** The panel, for a logged-in view. */
export function connectionsPanel(view: HomeView, now: number): string {
  const rows = (view.connections ?? []).map((c) => connectionRow(c, view, now));
  const held = new Set((view.connections ?? []).map((c) => c.provider));
  const connect = view.providers
    .filter((p) => !held.has(p.id))
    .map((p) => connectLink(p.id, p.displayName))
    .join('\n');
  const table = rows.length
    ? `<table><thead><tr><th>Provider</th><th>Account</th><th>Tokens</th><th></th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`
    : '<p class="muted" id="no-connections">No account is connected.</p>';
  return `<section class="card" id="connections" data-testid="connections"><h2>Connected accounts</h2>
${table}
<div class="buttons" id="connect-buttons">${connect}</div>
<p class="muted" id="connections-message" data-testid="connections-message" role="status"></p></section>\n`;
}

function connectionRow(c: ConnectionView, view: HomeView, now: number): string {
  const p = esc(c.provider);
  const who = c.displayName
    ? `${esc(c.displayName)} <span class="muted">#${esc(c.userId)}</span>`
    : `#${esc(c.userId)}`;
  const kept =
    c.scope === 'user' ? ' <span class="tag" title="kept at logout">connected account</span>' : '';
  const live = c.status === 'connected';
  const status = live ? 'connected' : 'login required';
  const actions = live
    ? `${actionForm(c, 'refresh', 'Refresh now', 'secondary')}${actionForm(c, 'disconnect', 'Disconnect', 'danger')}`
    : connectLink(c.provider, c.providerName, 'Reconnect');
  const row = `<tr data-testid="connection-${p}" data-provider="${p}" data-name="${esc(c.providerName)}" data-status="${esc(c.status)}">
<td>${esc(c.providerName)}<br><span data-testid="connection-status-${p}" class="${live ? 'ok' : 'error'}">${status}</span>${kept}</td>
<td data-testid="connection-who-${p}">${who}</td>
<td>${live ? tokenTimes(c, now) : '<span class="muted">log in again to reconnect</span>'}</td>
<td class="actions">${actions}</td></tr>`;
  return row + monitorRow(c, view);
}

/** Access-token countdown, last refresh, refresh-token expiry. */
function tokenTimes(c: ConnectionView, now: number): string {
  const p = esc(c.provider);
  const expiry = isoTime(c.expiresAt);
  const access = expiry
    ? `access token expires <time data-testid="connection-expiry-${p}" data-countdown datetime="${expiry}">${countdown(c.expiresAt! - now)}</time>`
    : 'access token expiry <span class="muted">unknown</span>';
  const last = isoTime(c.lastRefreshAt);
  const refreshed = last
    ? `last refresh <time data-testid="connection-last-refresh-${p}" datetime="${last}">${clockTime(last)}</time>`
    : `last refresh <span data-testid="connection-last-refresh-${p}">never since the login</span>`;
  const dies = isoTime(c.refreshExpiresAt);
  const refreshToken = dies
    ? `<br><span class="muted">refresh token expires <time data-testid="connection-refresh-expiry-${p}" datetime="${dies}">${dies.slice(0, 10)} ${clockTime(dies)}</time></span>`
    : '';
  return `${access}<br><span class="muted">${refreshed}</span>${refreshToken}`;
}

function actionForm(
  c: ConnectionView,
  action: 'refresh' | 'disconnect',
  label: string,
  kind: string,
): string {
  const id = encodeURIComponent(c.provider);
  const api = action === 'refresh' ? `/api/connections/${id}/refresh` : `/api/connections/${id}`;
  const method = action === 'refresh' ? 'POST' : 'DELETE';
  const p = esc(c.provider);
  return `<form class="inline" method="post" action="/connections/${esc(id)}/${action}" data-api="${esc(api)}" data-method="${method}" data-testid="${action}-form-${p}"><button class="button ${kind}" data-testid="${action}-${p}" type="submit">${label}</button></form>`;
}

function connectLink(provider: string, name: string, verb = 'Connect'): string {
  const p = esc(provider);
  return `<a class="button secondary" data-testid="connect-${p}" href="/auth/${esc(encodeURIComponent(provider))}/login?returnTo=%2F">${verb} ${esc(name)}</a>`;
}

/** The plant monitor's last result, under a user-scoped iSolarCloud connection. */
function monitorRow(c: ConnectionView, view: HomeView): string {
  if (c.provider !== 'isolarcloud' || c.scope !== 'user' || view.plantMonitorSeconds === undefined)
    return '';
  const m = c.monitor;
  const fetched = isoTime(m?.fetchedAt);
  const failed = isoTime(m?.errorAt);
  const parts: string[] = [];
  if (fetched) {
    const n = m!.plantCount ?? 0;
    const names = m!.plants?.length ? ` (${m!.plants.map(esc).join(', ')})` : '';
    parts.push(
      `${esc(n)} plant${n === 1 ? '' : 's'}${names}, fetched <time data-testid="plant-monitor-time" datetime="${fetched}">${clockTime(fetched)}</time>`,
    );
  }
  if (m?.error && failed && (!fetched || m.errorAt! > m.fetchedAt!)) {
    parts.push(
      `<span class="error" data-testid="plant-monitor-error">last try failed (${esc(m.error)}) at ${clockTime(failed)}</span>`,
    );
  }
  if (!parts.length) parts.push(`waiting for its first round`);
  return `\n<tr class="monitor-row" data-monitor-of="${esc(c.provider)}"><td colspan="4"><p id="plant-monitor" data-testid="plant-monitor">Plant monitor: ${parts.join('; ')} <span class="muted">(reads the plant list every ${esc(view.plantMonitorSeconds)} s, browser open or not)</span></p></td></tr>`;
}
