/** The home page's CSS: system fonts, one column, no build step. */
export const HOME_STYLES = `
*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2933;background:#f5f7fa}
main{max-width:44rem;margin:0 auto;padding:2rem 1rem}h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:0 0 .75rem}
.lead{color:#52606d;margin:0 0 1.5rem}.card{background:#fff;border:1px solid #e4e7eb;border-radius:.5rem;padding:1rem 1.25rem;margin:0 0 1rem}
.demo{background:#fff8e1;border:1px solid #f0c36d;border-radius:.5rem;padding:.75rem 1rem;margin:0 0 1rem}
.buttons{display:flex;flex-wrap:wrap;gap:.5rem}.button{display:inline-block;padding:.5rem 1rem;border-radius:.375rem;border:0;
background:#2563eb;color:#fff;text-decoration:none;font:inherit;cursor:pointer}.button.secondary{background:#e4e7eb;color:#1f2933}
.button.danger{background:#b91c1c}.tag{font-size:.75rem;background:#f0c36d;color:#1f2933;border-radius:.25rem;padding:0 .3rem;margin-left:.35rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}dt{color:#52606d}dd{margin:0}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:.4rem .25rem;border-bottom:1px solid #e4e7eb;vertical-align:top}
time{white-space:nowrap}ul{margin:0;padding-left:1.2rem}.muted{color:#7b8794}.error{color:#b91c1c}
pre{background:#1f2933;color:#e4e7eb;border-radius:.375rem;padding:.75rem;overflow:auto;font-size:.8rem;margin:.5rem 0 0}pre:empty{display:none}
.api-row td{padding-top:0}.api-row:has(pre:empty) td{padding:0}tr:has(+ .api-row)>td{border-bottom:0}
tbody td:first-child,td .button{white-space:nowrap}
form.inline{margin:0 0 .25rem}form.inline .button{width:100%}.ok{color:#15803d}.tag{white-space:nowrap;display:inline-block}#connections tbody td:first-child{white-space:normal}button:disabled{opacity:.6;cursor:wait}
#connect-buttons:not(:empty){margin-top:.75rem}#connections-message:empty{display:none}.monitor-row td{padding-top:0}
.monitor-row p{margin:0;font-size:.9rem}tr:has(+ .monitor-row)>td{border-bottom:0}
`;
