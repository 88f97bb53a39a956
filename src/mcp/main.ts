import { agentsSourceDir } from "../app/agent-sources.ts";
import { parseToolsets } from "../app/toolsets.ts";
import { createServer } from "./server.ts";
import { LineTransport } from "./transport.ts";

export interface McpMainOptions {
  cwd: string;
  version: string;
  notice(message: string): void;
  /** `--tools`: the toolsets to offer, comma-separated, or `all`; default the compact set. */
  tools?: string | undefined;
}

/** The agents/ folder that ships with Baton, or none (then no prompts are offered). */
function findAgentsDir(): string | undefined {
  try {
    return agentsSourceDir();
  } catch {
    return undefined;
  }
}

/**
 * `baton mcp`: serves until the client closes stdin. The entry point of dist/baton-mcp.js, which
 * the CLI loads only for this command.
 */
export async function runMcpServer(options: McpMainOptions): Promise<void> {
  // A client may send its last request and close stdin at once: that call still gets its answer.
  const inflight = new Set<Promise<unknown>>();
  const track = (call: Promise<unknown>) => {
    inflight.add(call);
    call.finally(() => inflight.delete(call)).catch(() => {});
  };
  const toolsets = options.tools === undefined ? undefined : parseToolsets(options.tools);
  const server = createServer({ ...options, toolsets, agentsDir: findAgentsDir(), track });
  const transport = new LineTransport({
    input: process.stdin,
    output: process.stdout,
    notice: options.notice,
  });
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once("end", () => resolve());
  });
  await server.connect(transport);
  await closed;
  while (inflight.size > 0) await Promise.allSettled([...inflight]);
  // The answers are written before the transport closes.
  await new Promise((resolve) => setImmediate(resolve));
  await server.close();
}
