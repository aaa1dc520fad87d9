import { createHash } from 'node:crypto';
import { countdown } from './home.format';
import { HOME_CSP, renderHomePage } from './home.page';
import type { HomeView } from './home.view';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

const view = (over: Partial<HomeView> = {}): HomeView => ({
  demo: false,
  baseUrl: 'http://localhost:3000',
  providers: [
    { id: 'isolarcloud', displayName: 'iSolarCloud' },
    { id: 'tencent-ciam', displayName: 'Tencent Cloud CIAM' },
    { id: 'xt', displayName: 'XT.COM' },
  ],
  user: { provider: 'xt', id: 'u' },
  grants: [],
  plantMonitorSeconds: 60,
  connections: [
    {
      provider: 'xt',
      providerName: 'XT.COM',
      userId: '"><img src=x onerror=alert(1)>',
      displayName: '<script>alert(2)</script>',
      scope: 'user',
      status: 'connected',
      expiresAt: NOW + 4 * 60_000 + 3_000,
      refreshExpiresAt: NOW + 86_400_000,
      lastRefreshAt: NOW - 60_000,
    },
    {
      provider: 'isolarcloud',
      providerName: 'iSolarCloud',
      userId: '408056',
      scope: 'user',
      status: 'connected',
      expiresAt: NOW + 3_600_000,
      monitor: { fetchedAt: NOW - 1000, plantCount: 2, plants: ['Roof <West>', 'Barn'] },
    },
  ],
  ...over,
});

describe('the Connected-accounts panel', () => {
  const html = renderHomePage(view(), NOW);

  it('shows who, status, the access-token countdown, last refresh and refresh-token expiry, escaped', () => {
    expect(html).toContain(
      'data-testid="connection-xt" data-provider="xt" data-name="XT.COM" data-status="connected"',
    );
    expect(html).toContain('&#60;script&#62;alert(2)&#60;/script&#62;');
    expect(html).toContain('#&#34;&#62;&#60;img src=x onerror=alert(1)&#62;');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain(
      `data-testid="connection-expiry-xt" data-countdown datetime="${new Date(NOW + 243_000).toISOString()}">in 4 min 03 s</time>`,
    );
    expect(html).toContain(
      'data-testid="connection-last-refresh-xt" datetime="2026-01-01T11:59:00.000Z">11:59:00 UTC</time>',
    );
    expect(html).toContain(
      'data-testid="connection-refresh-expiry-xt" datetime="2026-01-02T12:00:00.000Z"',
    );
    expect(html).toContain(
      '<span data-testid="connection-last-refresh-isolarcloud">never since the login</span>',
    );
  });

  it('offers Refresh now and Disconnect as forms that work without JavaScript', () => {
    expect(html).toContain(
      '<form class="inline" method="post" action="/connections/xt/refresh" data-api="/api/connections/xt/refresh" data-method="POST" data-testid="refresh-form-xt">',
    );
    expect(html).toContain(
      '<form class="inline" method="post" action="/connections/xt/disconnect" data-api="/api/connections/xt" data-method="DELETE" data-testid="disconnect-form-xt">',
    );
  });

  it('offers Connect for a provider without a connection, and Reconnect for one that needs a login', () => {
    expect(html).toContain(
      'data-testid="connect-tencent-ciam" href="/auth/tencent-ciam/login?returnTo=%2F">Connect Tencent Cloud CIAM</a>',
    );
    expect(html).not.toContain('data-testid="connect-xt"');
    const lost = renderHomePage(
      view({
        connections: [
          {
            provider: 'xt',
            providerName: 'XT.COM',
            userId: 'u',
            scope: 'user',
            status: 'login_required',
          },
        ],
      }),
      NOW,
    );
    expect(lost).toContain('data-status="login_required"');
    expect(lost).toContain(
      'data-testid="connect-xt" href="/auth/xt/login?returnTo=%2F">Reconnect XT.COM</a>',
    );
    expect(lost).not.toContain('refresh-form-xt');
  });

  it("shows the plant monitor's last result under the iSolarCloud connection (names escaped)", () => {
    expect(html).toContain(
      'Plant monitor: 2 plants (Roof &#60;West&#62;, Barn), fetched <time data-testid="plant-monitor-time" datetime="2026-01-01T11:59:59.000Z">11:59:59 UTC</time>',
    );
    const waiting = renderHomePage(
      view({ connections: [{ ...view().connections![1], monitor: undefined }] }),
      NOW,
    );
    expect(waiting).toContain('Plant monitor: waiting for its first round');
    const off = renderHomePage(view({ plantMonitorSeconds: undefined }), NOW);
    expect(off).not.toContain('plant-monitor');
  });

  it('is not on the page of an anonymous visitor', () => {
    expect(renderHomePage(view({ user: undefined, connections: undefined }), NOW)).not.toContain(
      'id="connections"',
    );
  });
});

describe('the countdown text', () => {
  it.each([
    [0, 'expired'],
    [-5, 'expired'],
    [NaN, 'expired'],
    [9_400, 'in 09 s'],
    [243_000, 'in 4 min 03 s'],
    [3_725_000, 'in 1 h 02 min 05 s'],
  ])('%p ms → %p', (ms, text) => expect(countdown(ms)).toBe(text));
});

describe("the home page's Content-Security-Policy", () => {
  // plain names: the hostile ones above are text (escaped), which the attribute checks would match
  const plain = view().connections!.map((c) => ({ ...c, userId: 'u1', displayName: 'Ada' }));
  const html = renderHomePage(view({ connections: plain }), NOW);
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

  it('allows exactly the inline script and style the page carries, by hash, and nothing else', () => {
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
    expect(scripts).toHaveLength(1);
    expect(styles).toHaveLength(1);
    expect(HOME_CSP).toBe(
      `default-src 'none'; script-src ${hash(scripts[0])}; style-src ${hash(styles[0])}; connect-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'`,
    );
    // nothing a strict CSP would block: no inline handler, no style attribute, no other script
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html.match(/<script/g)).toHaveLength(1);
  });
});
