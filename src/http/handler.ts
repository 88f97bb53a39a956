/**
 * The server's answers, apart from the socket they travel on: a request (method, target,
 * headers, body) in, a response out. The node:http server (server.ts) feeds it; tests call
 * {@link Handler.request} with a fetch `Request`, as Hono's `app.request()` does, so every
 * route and every refusal can be checked in process.
 */
import { commandLine } from "../app/command-line.ts";
import type { AppContext } from "../app/context.ts";
import { openApp } from "../app/open.ts";
import type { OpEnv } from "../app/operation.ts";
import { OPERATIONS } from "../app/operations.ts";
import { pageLists } from "../app/paging.ts";
import { renderRefsDeep } from "../core/command-ref.ts";
import { BatonError } from "../core/errors.ts";
import { checkInput } from "../core/fields.ts";
import { type Failure, failureOf, type RefusalCode, refusal } from "./errors.ts";
import { indexPage, lockedPage } from "./page.ts";
import {
  API_PREFIX,
  deriveRoutes,
  LIVE_PATH,
  listedRoute,
  queryInput,
  type Route,
} from "./routes.ts";
import {
  carriesToken,
  checkSender,
  type Headers,
  SECURITY_HEADERS,
  TOKEN_HEADER,
  tokenCookie,
  writeCarriesToken,
} from "./security.ts";

/** The largest body a write takes: a plan's task list of 10,000 tasks fits. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface HttpRequest {
  method: string;
  /** The request target as sent: path and query. */
  target: string;
  /** Header names in lower case. */
  headers: Headers;
  body: Uint8Array | null;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface HandlerOptions {
  /** The workspace's root: every request opens it afresh, so it sees what others wrote. */
  root: string;
  token: string;
  port: number;
  version: string;
  notice(message: string): void;
  /** The dashboard's files by name (`app.js`), served at `/assets/<name>`; none: no dashboard. */
  assets?: Readonly<Record<string, Asset>>;
}

export interface Asset {
  type: string;
  body: string;
}

export interface Handler {
  routes: readonly Route[];
  respond(request: HttpRequest): Promise<HttpResponse>;
  /** A refusal for a WebSocket upgrade of /api/v1/live, or null to accept it. */
  admitLive(request: HttpRequest): HttpResponse | null;
  /** In-process requests: a path (`/api/v1/status`) or a `Request`, answered as over the wire. */
  request(input: string | Request, init?: RequestInit): Promise<Response>;
}

export function createHandler(options: HandlerOptions): Handler {
  const routes = deriveRoutes(OPERATIONS);
  const byPath = new Map(routes.map((r) => [r.path, r]));
  const { port, token } = options;

  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
    status,
    headers: {
      ...SECURITY_HEADERS,
      "content-type": "application/json; charset=utf-8",
      ...headers,
    },
    // The commands hints and notices name, written as command lines: a page shows them to a person.
    body: JSON.stringify(renderRefsDeep(body, (ref) => commandLine(ref, OPERATIONS))),
  });
  const failed = (f: Failure) => json(f.status, f.body, f.headers);
  const refuse = (code: RefusalCode, message: string, hint: string, headers = {}) => {
    const f = refusal(code, message, hint);
    return json(f.status, f.body, headers);
  };
  const html = (status: number, body: string, headers: Record<string, string> = {}) => ({
    status,
    headers: { ...SECURITY_HEADERS, "content-type": "text/html; charset=utf-8", ...headers },
    body,
  });

  /** Host, Origin and the token: what every API request and every upgrade needs. */
  const admitApi = (request: HttpRequest): HttpResponse | null => {
    const turned = checkSender(request.headers, port);
    if (turned) return refuse("FORBIDDEN", turned.message, turned.hint);
    if (!carriesToken(request.headers, port, token)) {
      return refuse(
        "UNAUTHORIZED",
        "the API needs the server's token",
        "open the URL baton serve printed (it sets a cookie), or send Authorization: Bearer <token>",
      );
    }
    return null;
  };

  const page = (request: HttpRequest, url: URL): HttpResponse => {
    const given = url.searchParams.get("token");
    const dashboard = indexPage(token, options.version, options.assets !== undefined);
    if (given !== null) {
      if (!carriesToken({ authorization: `Bearer ${given}` }, port, token))
        return html(401, lockedPage());
      // The token becomes a cookie; the page takes it out of the address bar. Not a redirect: a
      // page opened from another site would not send a SameSite=Strict cookie on its way back.
      return html(200, dashboard, { "set-cookie": tokenCookie(port, token) });
    }
    if (!carriesToken(request.headers, port, token)) return html(401, lockedPage());
    return html(200, dashboard);
  };

  // The dashboard's code holds no data: served to the server's own pages without the token.
  const asset = (url: URL): HttpResponse | null => {
    const name = url.pathname.slice("/assets/".length);
    const found = Object.hasOwn(options.assets ?? {}, name) ? options.assets?.[name] : undefined;
    if (!found) return null;
    return {
      status: 200,
      headers: { ...SECURITY_HEADERS, "content-type": found.type, "cache-control": "no-cache" },
      body: found.body,
    };
  };

  const run = async (route: Route, raw: Record<string, unknown>) => {
    const input = checkInput(route.fields, raw, "api", {
      where: `invalid input for ${route.path}`,
      hint: `GET ${API_PREFIX} lists the inputs of ${route.path} (the same as ${route.command})`,
    });
    const own: Record<string, unknown> = {};
    for (const key of Object.keys(route.op.input)) if (key in input) own[key] = input[key];
    let ctx: AppContext | null = null;
    const env: OpEnv = {
      cwd: options.root,
      context: () => {
        ctx ??= openApp({
          cwd: options.root,
          notice: options.notice,
          command: `baton serve ${route.tool}`,
          source: `baton serve ${route.tool}`,
        });
        return ctx;
      },
      notice: options.notice,
      now: () => new Date(),
      // A page, like an agent, names paths inside the workspace only.
      confined: true,
      output: "json",
    };
    const result = await route.op.run(env, own as never);
    return route.pages.length > 0
      ? pageLists(result as object, route.pages as never, input)
      : result;
  };

  const api = async (request: HttpRequest, url: URL): Promise<HttpResponse> => {
    const refused = admitApi(request);
    if (refused) return refused;
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (path === API_PREFIX) {
      if (request.method !== "GET")
        return refuse("METHOD_NOT_ALLOWED", `${API_PREFIX} is read with GET`, "use GET", {
          allow: "GET",
        });
      return json(200, {
        version: options.version,
        live: LIVE_PATH,
        routes: routes.map(listedRoute),
      });
    }
    if (path === LIVE_PATH)
      return refuse(
        "UPGRADE_REQUIRED",
        `${LIVE_PATH} is a WebSocket`,
        "open it with new WebSocket(...)",
        { upgrade: "websocket" },
      );
    const route = byPath.get(path);
    if (!route)
      return refuse(
        "ROUTE_NOT_FOUND",
        `no route ${path}`,
        `GET ${API_PREFIX} lists the routes (one per operation, e.g. ${API_PREFIX}/ticket/list)`,
      );
    if (request.method !== route.method) {
      return refuse(
        "METHOD_NOT_ALLOWED",
        `${route.path} is ${route.method === "GET" ? "read with GET" : "a write: POST"}`,
        `use ${route.method}`,
        { allow: route.method },
      );
    }
    if (route.method === "POST" && !writeCarriesToken(request.headers, token)) {
      return refuse(
        "FORBIDDEN",
        `a write needs the token in the ${TOKEN_HEADER} header`,
        `send ${TOKEN_HEADER}: <token> with every POST`,
      );
    }
    try {
      const raw =
        route.method === "GET" ? queryInput(route.fields, url.searchParams) : body(request, url);
      return json(200, await run(route, raw));
    } catch (error) {
      if (process.env.BATON_DEBUG && error instanceof Error) options.notice(`${error.stack}`);
      return failed(failureOf(error));
    }
  };

  const respond = async (request: HttpRequest): Promise<HttpResponse> => {
    // Only a path is a target here: `GET http://elsewhere/` names another server.
    if (!request.target.startsWith("/"))
      return refuse("FORBIDDEN", "the request target must be a path", "send GET /api/v1");
    const url = new URL(request.target, `http://127.0.0.1:${port}`);
    const navigation =
      request.method === "GET" &&
      url.pathname === "/" &&
      request.headers["sec-fetch-mode"] === "navigate";
    const turned = checkSender(request.headers, port, navigation);
    if (turned) return refuse("FORBIDDEN", turned.message, turned.hint);
    if (url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`))
      return api(request, url);
    if (url.pathname === "/" && request.method === "GET") return page(request, url);
    if (url.pathname.startsWith("/assets/") && request.method === "GET") {
      const found = asset(url);
      if (found) return found;
    }
    return refuse("ROUTE_NOT_FOUND", `nothing at ${url.pathname}`, "open / or GET /api/v1");
  };

  const admitLive = (request: HttpRequest): HttpResponse | null => {
    if (!request.target.startsWith("/"))
      return refuse("FORBIDDEN", "the request target must be a path", "open /api/v1/live");
    const refused = admitApi(request);
    if (refused) return refused;
    const url = new URL(request.target, `http://127.0.0.1:${port}`);
    if (url.pathname !== LIVE_PATH || request.method !== "GET")
      return refuse("ROUTE_NOT_FOUND", `no WebSocket at ${url.pathname}`, `open ${LIVE_PATH}`);
    return null;
  };

  const request = async (input: string | Request, init?: RequestInit): Promise<Response> => {
    const req =
      typeof input === "string"
        ? new Request(new URL(input, `http://127.0.0.1:${port}`), init)
        : input;
    const url = new URL(req.url);
    const headers: Record<string, string> = {};
    req.headers.forEach((value, key) => {
      headers[key] = value;
    });
    headers.host ??= url.host;
    const bytes = req.body ? new Uint8Array(await req.arrayBuffer()) : null;
    const res = await respond({
      method: req.method,
      target: `${url.pathname}${url.search}`,
      headers,
      body: bytes,
    });
    return new Response(res.body === "" ? null : res.body, {
      status: res.status,
      headers: res.headers,
    });
  };

  return { routes, respond, admitLive, request };
}

/** A write's inputs: a JSON object in the body (none: no inputs), and nothing in the query. */
function body(request: HttpRequest, url: URL): Record<string, unknown> {
  if (url.search !== "")
    throw new BatonError(
      "USAGE",
      "a write takes its inputs in the JSON body, not the query",
      'send {"name": value, …} as the body',
    );
  const bytes = request.body;
  if (bytes === null || bytes.length === 0) return {};
  const type = request.headers["content-type"] ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type))
    throw new BatonError(
      "INVALID_INPUT",
      `the body must be JSON (got ${JSON.stringify(type || "no content type")})`,
      "send Content-Type: application/json",
    );
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new BatonError(
      "INVALID_INPUT",
      `the body is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
      'send a JSON object: {"name": value, …}',
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new BatonError(
      "INVALID_INPUT",
      "the body must be a JSON object",
      'send {"name": value, …}',
    );
  return value as Record<string, unknown>;
}
