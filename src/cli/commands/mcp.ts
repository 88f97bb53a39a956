import { DEFAULT_TOOLSETS, parseToolsets, TOOLSETS } from "../../app/toolsets.ts";
import { distFile } from "../dist.ts";
import { defineCommand } from "../spec.ts";

declare const BATON_VERSION: string | undefined;

/** What dist/baton-mcp.js (src/mcp/main.ts) exports; declared here so cli never imports mcp. */
interface McpModule {
  runMcpServer(options: {
    cwd: string;
    version: string;
    notice(message: string): void;
    tools?: string | undefined;
  }): Promise<void>;
}

/**
 * The MCP server is a separate bundle, loaded only by this command so every other command starts
 * without paying for it. From a checkout (no bundle) the source is imported.
 */
async function loadMcp(): Promise<McpModule> {
  if (typeof BATON_VERSION === "string") {
    return require(distFile("baton-mcp.js")) as McpModule;
  }
  const source = new URL("../../mcp/main.ts", import.meta.url).href;
  return (await import(source)) as McpModule;
}

export const mcpCommand = defineCommand({
  path: ["mcp"],
  summary: "MCP server on stdio: Baton's use cases as tools, resources and prompts for agents",
  description:
    "Speaks the Model Context Protocol on stdin/stdout until the client disconnects. stdout carries only MCP messages; notices go to stderr. Register it with an agent as the command `baton mcp` (add -C <dir> to serve another repository).",
  options: [
    {
      name: "tools",
      type: "string",
      value: "<sets>",
      description: `the toolsets to offer, comma-separated: ${Object.keys(TOOLSETS).join(", ")}, or all (default: ${DEFAULT_TOOLSETS.join(",")})`,
    },
  ],
  examples: [
    "baton mcp",
    "baton mcp --tools all",
    "baton -C ../other-repo mcp --tools journal,specs",
  ],
  noOutput: true,
  run: async (inv) => {
    const tools = inv.options.tools as string | undefined;
    // A wrong name is refused before the server loads, as a usage error on the command line.
    if (tools !== undefined) parseToolsets(tools);
    const mcp = await loadMcp();
    await mcp.runMcpServer({
      cwd: inv.flags.cwd,
      version: typeof BATON_VERSION === "string" ? BATON_VERSION : "0.0.0-dev",
      notice: inv.notice,
      tools,
    });
    return null;
  },
  render: () => "",
});
