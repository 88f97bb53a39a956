/**
 * The page the URL opens. No inline script or style (the Content-Security-Policy allows none);
 * the token is in a meta element, readable by the server's own pages only, for the header
 * every write needs.
 */
import { escapeHtml } from "./html.ts";

export function indexPage(token: string, version: string, dashboard: boolean): string {
  if (dashboard)
    return [
      "<!doctype html>",
      '<html lang="en">',
      "<head>",
      '<meta charset="utf-8">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<meta name="baton-token" content="${escapeHtml(token)}">`,
      "<title>Baton</title>",
      '<link rel="icon" href="data:,">',
      '<link rel="stylesheet" href="/assets/app.css">',
      '<script type="module" src="/assets/app.js"></script>',
      "</head>",
      "<body>",
      '<div id="app"></div>',
      "<noscript>The dashboard needs JavaScript; the JSON API is at /api/v1.</noscript>",
      "</body>",
      "</html>",
      "",
    ].join("\n");
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="baton-token" content="${escapeHtml(token)}">`,
    "<title>Baton</title>",
    "</head>",
    "<body>",
    "<h1>Baton</h1>",
    `<p>Baton ${escapeHtml(version)} is serving this workspace (the dashboard was not built: npm run build). The JSON API is at <a href="/api/v1">/api/v1</a>, live updates at <code>/api/v1/live</code> (a WebSocket).</p>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** What a page request without the token gets. */
export function lockedPage(): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    '<head><meta charset="utf-8"><title>Baton</title></head>',
    "<body>",
    "<h1>Baton</h1>",
    "<p>This page needs the token of the server. Open the whole URL the serve command printed; it ends in <code>?token=…</code>.</p>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
