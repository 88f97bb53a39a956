/**
 * Who may talk to the server. It binds 127.0.0.1, but a browser will send any page's requests
 * there, so every request is checked:
 * - Host must name the loopback address with the server's port (`127.0.0.1:P`, `localhost:P`,
 *   `[::1]:P`): a page on another name that resolves here (DNS rebinding) is refused;
 * - Origin, when sent, must be the server's own, and a browser's `Sec-Fetch-Site` must say the
 *   request comes from the server's own pages (or from the address bar): another site, another
 *   port on this machine included, is refused, except for opening the page itself;
 * - the API needs the per-launch token: the HttpOnly SameSite=Strict cookie the page's first
 *   request set, or `Authorization: Bearer <token>`; a write also needs it in `X-Baton-Token`,
 *   which no cross-site form or link can send.
 * No CORS headers are ever sent, so no other origin can read an answer.
 */
import { timingSafeEqual } from "node:crypto";

/** The headers every answer carries: nothing framed, sniffed, referred or loaded from outside. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; "),
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "cache-control": "no-store",
};

/** The names a browser on this machine reaches the server by. */
const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

/** The request header that carries the token on a write. */
export const TOKEN_HEADER = "x-baton-token";

export type Headers = Readonly<Record<string, string | undefined>>;

/** Why a request is turned away before it is read, or null when it may go on. */
export type Turned = { status: 400 | 403; message: string; hint: string } | null;

/**
 * Host, Origin and Sec-Fetch-Site, for every request and every upgrade. A `navigation` (the page
 * opened from a link anywhere: a terminal, a chat) may come from another site; it only shows the
 * page, or asks for the token.
 */
export function checkSender(headers: Headers, port: number, navigation = false): Turned {
  const host = headers.host;
  if (host === undefined || !LOOPBACK_NAMES.some((name) => host === `${name}:${port}`)) {
    return {
      status: 403,
      message: `Host ${JSON.stringify(host ?? "")} is not this server`,
      hint: `open http://127.0.0.1:${port}/ as baton serve printed it`,
    };
  }
  const origin = headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    return {
      status: 403,
      message: `requests from ${JSON.stringify(origin)} are refused`,
      hint: "only the server's own pages may call it",
    };
  }
  const site = headers["sec-fetch-site"];
  if (!navigation && site !== undefined && site !== "same-origin" && site !== "none") {
    return {
      status: 403,
      message: `a ${site} request is refused`,
      hint: "only the server's own pages may call it",
    };
  }
  return null;
}

/** The cookie holding the token; named by port, as cookies are shared by every port of a host. */
export function cookieName(port: number): string {
  return `baton_token_${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Whether the request carries the token, by cookie or by `Authorization: Bearer`. */
export function carriesToken(headers: Headers, port: number, token: string): boolean {
  const auth = headers.authorization;
  if (auth?.startsWith("Bearer ") && same(auth.slice(7).trim(), token)) return true;
  const name = cookieName(port);
  for (const part of (headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name && same(part.slice(eq + 1).trim(), token))
      return true;
  }
  return false;
}

/** Whether a write names the token in its own header. */
export function writeCarriesToken(headers: Headers, token: string): boolean {
  const given = headers[TOKEN_HEADER];
  return given !== undefined && same(given.trim(), token);
}

/** Compares in constant time, so the answer's timing does not tell how much of a guess was right. */
export function same(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
