import { COUNTDOWN_JS } from './home.format';

/**
 * The home page's one inline script (allowed by its hash in the page's CSP): shows the provider
 * API call's JSON in place; runs the Connected-accounts countdowns (every second); turns the
 * panel's forms into fetches of the JSON routes with the same-origin cookie — Refresh now updates
 * the row, Disconnect removes it and offers Connect instead. Without it every button still works
 * (links and form posts). Text is only ever set with `textContent`, never parsed as HTML.
 */
export const HOME_SCRIPT = `
(() => {
  const countdown = ${COUNTDOWN_JS};
  const tick = () => {
    for (const t of document.querySelectorAll('time[data-countdown]')) {
      t.textContent = countdown(Date.parse(t.dateTime) - Date.now());
    }
  };
  tick();
  setInterval(tick, 1000);

  document.addEventListener('click', async (event) => {
    const link = event.target.closest('a[data-api]');
    if (!link) return;
    event.preventDefault();
    const out = document.getElementById('api-result-' + link.dataset.api);
    out.textContent = 'Calling...';
    try {
      const res = await fetch(link.href, { headers: { accept: 'application/json' } });
      out.textContent = 'HTTP ' + res.status + '\\n' + JSON.stringify(await res.json(), null, 2);
    } catch (err) {
      out.textContent = String(err);
    }
  });

  const say = (text) => {
    document.getElementById('connections-message').textContent = text;
  };
  const connectLink = (provider, name) => {
    const a = document.createElement('a');
    a.className = 'button secondary';
    a.dataset.testid = 'connect-' + provider;
    a.href = '/auth/' + encodeURIComponent(provider) + '/login?returnTo=%2F';
    a.textContent = 'Connect ' + name;
    return a;
  };
  const setTime = (row, testid, ms, text) => {
    const t = row.querySelector('[data-testid="' + testid + '"]');
    if (!t || typeof ms !== 'number') return;
    const iso = new Date(ms).toISOString();
    if (t.tagName === 'TIME') t.dateTime = iso;
    t.textContent = text(iso);
  };

  document.addEventListener('submit', async (event) => {
    const form = event.target.closest('form[data-api]');
    if (!form) return;
    event.preventDefault();
    const row = form.closest('tr');
    const { provider, name } = row.dataset;
    const button = form.querySelector('button');
    button.disabled = true;
    say((form.dataset.method === 'DELETE' ? 'Disconnecting ' : 'Refreshing ') + name + '...');
    try {
      const res = await fetch(form.dataset.api, {
        method: form.dataset.method,
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
      if (!res.ok) {
        const body = await res.json().catch(() => ({}));
        say(name + ': HTTP ' + res.status + ' ' + (body.error || '') + ' ' + (body.message || ''));
        return;
      }
      if (form.dataset.method === 'DELETE') {
        const monitor = document.querySelector('tr[data-monitor-of="' + provider + '"]');
        if (monitor) monitor.remove();
        const token = document.querySelector('tr[data-testid="token-' + provider + '"]');
        if (token) {
          if (token.nextElementSibling) token.nextElementSibling.remove();
          token.remove();
        }
        row.remove();
        document.getElementById('connect-buttons').append(connectLink(provider, name));
        say(name + ' disconnected');
        return;
      }
      const c = await res.json();
      setTime(row, 'connection-expiry-' + provider, c.expiresAt, () => '');
      setTime(row, 'connection-last-refresh-' + provider, c.lastRefreshAt, (iso) => iso.slice(11, 19) + ' UTC');
      tick();
      say(name + ' refreshed');
    } catch (err) {
      say(name + ': ' + String(err));
    } finally {
      button.disabled = false;
    }
  });
})();
`;
