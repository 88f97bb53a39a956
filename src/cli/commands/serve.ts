import { BatonError, ERROR_CODES, type ErrorCode } from "../../core/errors.ts";
import { distFile } from "../dist.ts";
import { defineCommand } from "../spec.ts";
import { writeAll } from "../write.ts";

declare const BATON_VERSION: string | undefined;

/** What dist/baton-serve.js (src/http/main.ts) exports; declared here so cli never imports http. */
interface ServeModule {
  runServe(options: {
    cwd: string;
    port: number;
    open: boolean;
    json: boolean;
    version: string;
    print(text: string): void;
    notice(message: string): void;
  }): Promise<void>;
}

/**
 * The server is a separate bundle, loaded only by this command so every other command starts
 * without paying for it. From a checkout (no bundle) the source is imported.
 */
async function loadServe(): Promise<ServeModule> {
  if (typeof BATON_VERSION === "string") {
    return require(distFile("baton-serve.js")) as ServeModule;
  }
  const source = new URL("../../http/main.ts", import.meta.url).href;
  return (await import(source)) as ServeModule;
}

/**
 * An error of the server's bundle is a BatonError of its own copy of the class: the same code,
 * message and hint as one of this bundle, so the CLI reports it with its exit code.
 */
function asOurs(error: unknown): unknown {
  if (error instanceof BatonError || !(error instanceof Error) || error.name !== "BatonError")
    return error;
  const { code, hint } = error as Error & { code?: unknown; hint?: unknown };
  if (!ERROR_CODES.includes(code as ErrorCode) || typeof hint !== "string") return error;
  return new BatonError(code as ErrorCode, error.message, hint);
}

function portOf(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 0 && port <= 65535))
    throw new BatonError(
      "USAGE",
      `--port must be a port number from 0 to 65535, got ${JSON.stringify(value)}`,
      "e.g. baton serve --port 7420 (0 or none: a free port)",
    );
  return port;
}

export const serveCommand = defineCommand({
  path: ["serve"],
  summary: "HTTP API and live updates on 127.0.0.1, for the dashboard and scripts",
  description:
    "Serves the workspace on 127.0.0.1 until interrupted (Ctrl-C or SIGTERM), then closes every connection. Prints one line: the URL with this launch's token (with --json one JSON document {url, port, token}). Opening the URL sets the token as a cookie; scripts send Authorization: Bearer <token>, and every write (POST) also the header X-Baton-Token: <token>. GET /api/v1 lists the routes: one per operation, GET for reads (inputs in the query), POST for writes (a JSON body), e.g. GET /api/v1/ticket/list?status=todo or POST /api/v1/ticket/set-status. /api/v1/live is a WebSocket pushing new events and the state files that changed.",
  options: [
    {
      name: "port",
      type: "string",
      value: "<n>",
      description: "the port to listen on (default: a free one)",
    },
    {
      name: "open",
      type: "boolean",
      description: "open the URL in a browser (xdg-open, open or start, when there is one)",
    },
  ],
  examples: ["baton serve", "baton serve --port 7420 --open", "baton serve --json"],
  noOutput: true,
  run: async (inv) => {
    const port = portOf(inv.options.port as string | undefined);
    // No workspace, no server: refused before the server loads, like any command's.
    const root = inv.context().ws.root;
    const serve = await loadServe();
    try {
      await serve.runServe({
        cwd: root,
        port,
        open: inv.options.open === true,
        json: inv.flags.json,
        version: typeof BATON_VERSION === "string" ? BATON_VERSION : "0.0.0-dev",
        print: inv.print ?? ((text) => writeAll(1, text)),
        notice: inv.notice,
      });
    } catch (error) {
      throw asOurs(error);
    }
    return null;
  },
  render: () => "",
});
