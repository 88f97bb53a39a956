import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { CallToolRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { AppContext } from "../app/context.ts";
import { openApp } from "../app/open.ts";
import { BatonError } from "../core/errors.ts";
import { fitJson } from "./cap.ts";
import { errorResult } from "./errors.ts";
import { registerPrompts } from "./prompts.ts";
import { registerResources } from "./resources.ts";
import { TOOLS, type ToolDef } from "./tools.ts";

export interface ServerOptions {
  cwd: string;
  version: string;
  /** Notices (journal archived, auto-links): never stdout, which carries only MCP messages. */
  notice(message: string): void;
  /** Folder holding commands/*.md, offered as prompts; absent or missing: no prompts. */
  agentsDir?: string | undefined;
  /** Told of every tool call under way, so the server can finish them before it exits. */
  track?: (call: Promise<unknown>) => void;
}

/** What a cut result says when its tool has no better way to get the rest. */
const GENERIC_MORE = "ask for one record (topic_show, ticket_show) or a smaller page (limit)";

export function createServer(options: ServerOptions): McpServer {
  const server = new McpServer(
    { name: "baton", version: options.version },
    {
      instructions:
        "Baton keeps planning state (sessions, topics, specs, tickets, the journal) as files in this repository. Start with the resume or status tool; change state only through these tools or the baton CLI.",
    },
  );
  // A fresh context per request: every call sees what the CLI (or another agent) wrote since.
  const open = (name: string): AppContext =>
    openApp({
      cwd: options.cwd,
      notice: options.notice,
      command: `baton mcp ${name}`,
      source: `baton mcp ${name}`,
    });

  for (const tool of TOOLS) registerTool(server, tool, options, open);
  routeToolCalls(server, options, open);
  registerResources(server, open);
  registerPrompts(server, options.agentsDir);
  return server;
}

/** Runs one tool: arguments checked against its schema, failures as the CLI's coded errors. */
async function invoke(
  tool: ToolDef,
  args: unknown,
  options: ServerOptions,
  open: (name: string) => AppContext,
): Promise<CallToolResult> {
  try {
    const parsed = tool.check
      ? { success: true as const, data: tool.check(asRecord(args)), error: null }
      : z.strictObject(tool.input).safeParse(args ?? {});
    if (!parsed.success) {
      const problems = parsed.error.issues
        .map((i) => `${i.path.join(".") || "arguments"}: ${i.message}`)
        .join("; ");
      throw new BatonError(
        "INVALID_INPUT",
        `invalid arguments for ${tool.name}: ${problems}`,
        `see the inputSchema of ${tool.name} in tools/list (same arguments as baton ${tool.cli})`,
      );
    }
    const ctx = open(tool.name);
    const result = await tool.run({ ctx, cwd: options.cwd, notice: options.notice }, parsed.data);
    const offset = (parsed.data as { offset?: number }).offset ?? 0;
    const text = fitJson(result, {
      hint: tool.more ?? GENERIC_MORE,
      paged: tool.pages ? { fields: tool.pages, offset } : undefined,
    });
    return { content: [{ type: "text", text }] };
  } catch (error) {
    if (process.env.BATON_DEBUG && error instanceof Error) options.notice(`${error.stack}`);
    return errorResult(error);
  }
}

function registerTool(
  server: McpServer,
  tool: ToolDef,
  options: ServerOptions,
  open: (name: string) => AppContext,
): void {
  server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      inputSchema: tool.input,
      annotations: { readOnlyHint: tool.readOnly, openWorldHint: false },
    },
    (args: unknown) => invoke(tool, args, options, open),
  );
}

/**
 * tools/call is answered here rather than by the SDK's handler, which would reject bad arguments
 * with its own text: an agent gets {code: INVALID_INPUT, message, hint} like every other failure.
 */
function routeToolCalls(
  server: McpServer,
  options: ServerOptions,
  open: (name: string) => AppContext,
): void {
  const byName = new Map(TOOLS.map((t) => [t.name, t]));
  server.server.setRequestHandler(CallToolRequestSchema, (request) => {
    const tool = byName.get(request.params.name);
    if (!tool) {
      return errorResult(
        new BatonError(
          "USAGE",
          `unknown tool ${JSON.stringify(request.params.name)}`,
          "list the tools with tools/list",
        ),
      );
    }
    const call = invoke(tool, request.params.arguments, options, open);
    options.track?.(call);
    return call;
  });
}

function asRecord(args: unknown): Record<string, unknown> {
  if (args === undefined || args === null) return {};
  if (typeof args !== "object" || Array.isArray(args)) {
    throw new BatonError("INVALID_INPUT", "the arguments must be an object", "pass {name: value}");
  }
  return args as Record<string, unknown>;
}
