import { renderHomePage } from './home.page';
import type { HomeView } from './home.view';

const view = (expiresAt: number): HomeView => ({
  demo: false,
  baseUrl: 'http://localhost:3000',
  providers: [{ id: 'p', displayName: 'P' }],
  user: { provider: 'p', id: 'u' },
  grants: [{ provider: 'p', displayName: 'P', expiresAt }],
});

describe('home page dates', () => {
  it.each([1e23, 8.64e15 + 1, Infinity, NaN, null as unknown as number, -1])(
    'renders a grant expiring at %p as unknown instead of throwing',
    (expiresAt) => {
      const html = renderHomePage(view(expiresAt));
      expect(html).toContain('<span class="muted">unknown</span>');
      expect(html).not.toContain('token-expiry-p');
    },
  );

  it('renders a real expiry as ISO 8601 with the time left', () => {
    const now = Date.UTC(2026, 0, 1);
    const html = renderHomePage(view(now + 90 * 60_000), now);
    expect(html).toContain('datetime="2026-01-01T01:30:00.000Z"');
    expect(html).toContain('in 1 h 30 min');
  });
});
