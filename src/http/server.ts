/**
 * The node:http server around the handler: bound to 127.0.0.1, bodies read up to their limit,
 * WebSocket upgrades of /api/v1/live admitted by the same checks as every request, the
 * workspace's files watched for the live feed, and a close that ends every connection.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { Duplex } from "node:stream";
import { openContext } from "../app/context.ts";
import { BatonError } from "../core/errors.ts";
import { readPackageFile, webAssetsDir } from "../store/package-files.ts";
import { watchState } from "../store/watch.ts";
import { refusal } from "./errors.ts";
import {
  type Asset,
  createHandler,
  type Handler,
  type HttpRequest,
  type HttpResponse,
  MAX_BODY_BYTES,
} from "./handler.ts";
import { createLive, type Live } from "./live.ts";
import { SECURITY_HEADERS } from "./security.ts";
import { acceptKey, isClientKey } from "./websocket.ts";

/** The only address the server listens on. */
export const LOOPBACK = "127.0.0.1";

export interface ServerOptions {
  /** A folder inside the workspace to serve. */
  cwd: string;
  /** 0: a free port. */
  port: number;
  version: string;
  notice(message: string): void;
  /** The live feed's batching (ms); default 30. */
  debounceMs?: number;
}

export interface Served {
  url: string;
  port: number;
  token: string;
  root: string;
  handler: Handler;
  live: Live;
  /** Stops watching, says goodbye to every live client, ends every connection. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<Served> {
  const { ws } = openContext({ cwd: options.cwd });
  const token = randomBytes(24).toString("base64url");
  const live = createLive(options.version);
  const inflight = new Set<Promise<unknown>>();
  let handler: Handler | null = null;

  const server = http.createServer(
    { headersTimeout: 10_000, requestTimeout: 120_000, keepAliveTimeout: 5_000 },
    (req, res) => {
      const call = serve(req, res, () => handler);
      inflight.add(call);
      void call.finally(() => inflight.delete(call));
    },
  );
  server.on("upgrade", (req, socket, head) => {
    if (!handler) return socket.destroy();
    upgrade(handler, live, req, socket, head);
  });
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });

  const port = await listen(server, options.port);
  handler = createHandler({
    root: ws.root,
    token,
    port,
    version: options.version,
    notice: options.notice,
    ...dashboard(),
  });
  const watch = watchState(ws, {
    onChange: (change) => live.changed(change),
    notice: options.notice,
    debounceMs: options.debounceMs ?? 30,
  });

  let closing: Promise<void> | null = null;
  return {
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    port,
    token,
    root: ws.root,
    handler,
    live,
    close() {
      closing ??= (async () => {
        watch.close();
        live.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // A request under way (a write holding the lock) finishes and is answered first.
        await Promise.race([
          Promise.allSettled([...inflight]),
          new Promise((resolve) => setTimeout(resolve, 5_000).unref()),
        ]);
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}

/** The dashboard's built files, read once at the start; none when Baton was not built with it. */
function dashboard(): { assets?: Record<string, Asset> } {
  const dir = webAssetsDir();
  if (!dir) return {};
  return {
    assets: {
      "app.js": { type: "text/javascript; charset=utf-8", body: readPackageFile(dir, "app.js") },
      "app.css": { type: "text/css; charset=utf-8", body: readPackageFile(dir, "app.css") },
    },
  };
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      const taken = error.code === "EADDRINUSE";
      reject(
        new BatonError(
          "USAGE",
          taken
            ? `port ${port} is in use on ${LOOPBACK}`
            : `cannot listen on ${LOOPBACK}:${port} (${error.code ?? error.message})`,
          taken
            ? "pick another with --port <n>, or leave --port out for a free one"
            : "pick a port from 1024 up with --port <n>, or leave --port out for a free one",
        ),
      );
    };
    server.once("error", failed);
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => {
      server.off("error", failed);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

function headersOf(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

async function serve(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  handlerOf: () => Handler | null,
): Promise<void> {
  const handler = handlerOf();
  try {
    const body = await readBody(req);
    const answer: HttpResponse = handler
      ? body === "too large"
        ? tooLarge()
        : await handler.respond({
            method: req.method ?? "GET",
            target: req.url ?? "/",
            headers: headersOf(req),
            body,
          })
      : { status: 503, headers: {}, body: "" };
    if (body === "too large") answer.headers.connection = "close";
    res.writeHead(answer.status, {
      ...answer.headers,
      "content-length": Buffer.byteLength(answer.body),
    });
    res.end(answer.body);
  } catch {
    if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS);
    res.end();
  }
}

function tooLarge(): HttpResponse {
  const f = refusal(
    "PAYLOAD_TOO_LARGE",
    `the body is over ${MAX_BODY_BYTES / 1024 / 1024} MiB`,
    "send a smaller body",
  );
  return {
    status: f.status,
    headers: { ...SECURITY_HEADERS, "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify(f.body),
  };
}

/** The body's bytes (null when none was sent), or "too large" once it passes the limit. */
function readBody(req: http.IncomingMessage): Promise<Uint8Array | null | "too large"> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    return Promise.resolve("too large");
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () =>
      resolve(over ? "too large" : chunks.length === 0 ? null : Buffer.concat(chunks)),
    );
    req.on("error", reject);
  });
}

function upgrade(
  handler: Handler,
  live: Live,
  req: http.IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  socket.on("error", () => socket.destroy());
  const request: HttpRequest = {
    method: req.method ?? "GET",
    target: req.url ?? "/",
    headers: headersOf(req),
    body: null,
  };
  const refused = handler.admitLive(request);
  if (refused) return void socket.end(rawResponse(refused));
  const key = request.headers["sec-websocket-key"];
  if (
    request.headers.upgrade?.toLowerCase() !== "websocket" ||
    request.headers["sec-websocket-version"] !== "13" ||
    !isClientKey(key)
  ) {
    const f = refusal(
      "UPGRADE_REQUIRED",
      "not a WebSocket handshake this server speaks",
      "open it with new WebSocket(...) (version 13)",
    );
    return void socket.end(
      rawResponse({
        status: 400,
        headers: { "sec-websocket-version": "13", "content-type": "application/json" },
        body: JSON.stringify(f.body),
      }),
    );
  }
  socket.write(
    [
      "HTTP/1.1 101 Switching Protocols",
      "Upgrade: websocket",
      "Connection: Upgrade",
      `Sec-WebSocket-Accept: ${acceptKey(key)}`,
      "",
      "",
    ].join("\r\n"),
  );
  live.attach(socket, head);
}

function rawResponse(res: HttpResponse): string {
  const lines = [`HTTP/1.1 ${res.status} ${http.STATUS_CODES[res.status] ?? ""}`];
  for (const [key, value] of Object.entries(res.headers)) lines.push(`${key}: ${value}`);
  lines.push(`content-length: ${Buffer.byteLength(res.body)}`, "connection: close", "", res.body);
  return lines.join("\r\n");
}
