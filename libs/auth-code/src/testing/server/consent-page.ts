/** Options of {@link renderConsentPage}. */
export interface ConsentPageOptions {
  /** Provider name shown in the title. */
  provider: string;
  /**
   * The parameters to carry to `/consent`. `'from-location'` makes the page read them in the
   * browser from `location.search` and the query inside `location.hash`, like a single-page app.
   */
  params: Record<string, string> | 'from-location';
  /**
   * With `'from-location'`: the single-page app route (`location.hash` before its `?`) the consent
   * lives on; on any other route the page shows "page not found" and no form. @default any route
   */
  fragmentRoute?: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The consent page every fake provider serves at its authorize URL: a form with Approve and Deny
 * that submits to the fake's `/consent` route, which redirects back to the app.
 */
export function renderConsentPage(opts: ConsentPageOptions): string {
  const hidden =
    opts.params === 'from-location'
      ? ''
      : Object.entries(opts.params)
          .map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`)
          .join('');
  const route = JSON.stringify(opts.fragmentRoute ?? null).replace(/</g, '\\u003c');
  const script =
    opts.params === 'from-location'
      ? `<script>
  const form = document.getElementById('consent');
  const route = ${route};
  const hashRoute = location.hash.slice(1).split('?')[0];
  if (route !== null && hashRoute !== route) document.body.innerHTML = '<h1>Page not found</h1>';
  const params = new URLSearchParams(location.search);
  const q = location.hash.indexOf('?');
  if (q !== -1) new URLSearchParams(location.hash.slice(q + 1)).forEach((v, k) => params.append(k, v));
  params.forEach((v, k) => { const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; form.appendChild(i); });
</script>`
      : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(opts.provider)} — authorize</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}
button{font-size:1rem;padding:.5rem 1.25rem;margin-right:.5rem;cursor:pointer}</style></head>
<body><h1>${escape(opts.provider)}</h1><p>An application asks to access your account.</p>
<form id="consent" method="get" action="/consent">${hidden}
<button type="submit" name="decision" value="approve" id="approve">Approve</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button>
</form>${script}</body></html>`;
}
