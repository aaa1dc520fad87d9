import type { AuthCodeErrorBody } from './auth-code-exception.filter';

/** The button of an error page. */
export interface ErrorPageAction {
  /** Same-origin path. */
  href: string;
  /** Button text. */
  label: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A small, readable HTML error page (ids `error-title`, `error-message`, `error-action`); every value is escaped. */
export function renderErrorPage(err: AuthCodeErrorBody, action?: ErrorPageAction): string {
  const detail = err.providerCode
    ? `<p class="detail">Provider code: <code>${escape(err.providerCode)}</code></p>`
    : '';
  const button = action
    ? `<a class="button" id="error-action" href="${escape(action.href)}">${escape(action.label)}</a>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign-in problem</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2933}
h1{font-size:1.4rem}.box{border:1px solid #f5c2c7;background:#fdf2f3;border-radius:.5rem;padding:1rem 1.25rem}
.detail{color:#52606d;font-size:.9rem}.button{display:inline-block;margin-right:1rem;padding:.5rem 1rem;
border-radius:.375rem;background:#2563eb;color:#fff;text-decoration:none}</style></head>
<body><h1 id="error-title">Sign-in problem (${err.statusCode})</h1>
<div class="box"><p id="error-message">${escape(err.message)}</p>${detail}</div>
<p>${button}<a href="/">Home</a></p></body></html>`;
}
