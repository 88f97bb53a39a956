import { openInBrowser } from "./open.ts";
import { startServer } from "./server.ts";

export interface ServeMainOptions {
  cwd: string;
  /** 0: a free port. */
  port: number;
  open: boolean;
  json: boolean;
  version: string;
  /** Writes to stdout: the one line saying where the server is. */
  print(text: string): void;
  notice(message: string): void;
}

/**
 * `baton serve`: the HTTP API and the live feed on 127.0.0.1 until SIGINT or SIGTERM, then
 * every connection closed and the port freed. The entry point of dist/baton-serve.js, which the
 * CLI loads only for this command.
 */
export async function runServe(options: ServeMainOptions): Promise<void> {
  const served = await startServer({
    cwd: options.cwd,
    port: options.port,
    version: options.version,
    notice: options.notice,
  });
  // A second signal while closing (a terminal's Ctrl-C reaches a parent too, which may pass it
  // on) changes nothing: the close under way finishes.
  let stopped = () => {};
  const stop = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  const onSignal = () => stopped();
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  options.print(
    options.json
      ? `${JSON.stringify({ url: served.url, port: served.port, token: served.token })}\n`
      : `${served.url}\n`,
  );
  options.notice(`Serving ${served.root} until interrupted (Ctrl-C)`);
  if (options.open) openInBrowser(served.url, options.notice);
  await stop;
  await served.close();
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
}
