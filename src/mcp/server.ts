/**
 * The MCP server: JSON-RPC over a transport, answering the handful of methods MCP servers serve
 * (initialize, ping, tools, resources, prompts). Written here rather than taken from the SDK's
 * server, whose schema library and router were most of `baton mcp`'s start-up and whose
 * handlers answer bad arguments and unknown resources with their own words; every refusal here
 * carries Baton's `{code, message, hint}`. The SDK's own client drives it in the tests.
 */
import type { AppContext } from "../app/context.ts";
import { openApp } from "../app/open.ts";
import { asBatonError, BatonError } from "../core/errors.ts";
import { fitJson } from "./cap.ts";
import { errorData, errorResult, RpcError, rpcCodeOf, type ToolResult } from "./errors.ts";
import {
  ErrorCode,
  isNotification,
  isRequest,
  type JsonRpcMessage,
  type JsonRpcRequest,
  type JsonRpcResponse,
} from "./jsonrpc.ts";
import { promptHandlers } from "./prompts.ts";
import { resourceHandlers } from "./resources.ts";
import { TOOLS, type ToolDef } from "./tools.ts";
import { selectTools } from "./toolsets.ts";
import type { Transport } from "./transport.ts";
import { inToolWords, toolWords } from "./words.ts";

export interface ServerOptions {
  cwd: string;
  version: string;
  /** Notices (journal archived, auto-links): never stdout, which carries only MCP messages. */
  notice(message: string): void;
  /** Folder holding commands/*.md, offered as prompts; absent or missing: no prompts. */
  agentsDir?: string | undefined;
  /** Told of every tool call under way, so the server can finish them before it exits. */
  track?: (call: Promise<unknown>) => void;
  /** The toolsets to offer (`baton mcp --tools`); default: the compact set. */
  toolsets?: readonly string[] | undefined;
}

/** Protocol revisions this server speaks, newest first. */
export const PROTOCOL_VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

const INSTRUCTIONS =
  "Baton keeps planning state (sessions, topics, specs, tickets, the journal) as files in this repository. Start with the resume or status tool; change state only through these tools or the baton CLI.";

/** What a cut result says when its tool has no better way to get the rest. */
const GENERIC_MORE = "ask for one record (topic_show, ticket_show) or a smaller page (limit)";

type Handler = (params: Record<string, unknown>) => unknown;

export interface McpServer {
  connect(transport: Transport): Promise<void>;
  close(): Promise<void>;
  /** Answers one message; a notification gets none (exposed for in-process tests). */
  handle(message: JsonRpcMessage): Promise<JsonRpcResponse | null>;
}

export function createServer(given: ServerOptions): McpServer {
  // Notices name commands as tool calls too, whoever reads the log.
  const options = { ...given, notice: (message: string) => given.notice(toolWords(message)) };
  // A fresh context per request: every call sees what the CLI (or another agent) wrote since.
  const open = (name: string): AppContext =>
    openApp({
      cwd: options.cwd,
      notice: options.notice,
      command: `baton mcp ${name}`,
      source: `baton mcp ${name}`,
    });
  const tools = selectTools(TOOLS, options.toolsets);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const listed = tools.map(listedTool);
  const handlers: Record<string, Handler> = {
    initialize: (params) => {
      const asked = typeof params.protocolVersion === "string" ? params.protocolVersion : "";
      return {
        protocolVersion: PROTOCOL_VERSIONS.includes(asked) ? asked : PROTOCOL_VERSIONS[0],
        capabilities: { tools: { listChanged: false }, resources: {}, prompts: {} },
        serverInfo: { name: "baton", version: options.version },
        instructions: INSTRUCTIONS,
      };
    },
    ping: () => ({}),
    "tools/list": () => ({ tools: listed }),
    "tools/call": (params) => {
      const name = typeof params.name === "string" ? params.name : "";
      const tool = byName.get(name);
      if (!tool) {
        return errorResult(
          new BatonError(
            "USAGE",
            `unknown tool ${JSON.stringify(name.slice(0, 80))}`,
            "list the tools with tools/list",
          ),
        );
      }
      const call = invoke(tool, params.arguments, options, open);
      options.track?.(call);
      return call;
    },
    ...resourceHandlers(open),
    ...promptHandlers(options.agentsDir),
  };

  let transport: Transport | null = null;
  const handle = async (message: JsonRpcMessage): Promise<JsonRpcResponse | null> => {
    if (isNotification(message)) return null;
    if (!isRequest(message)) return null; // A response to nothing we asked: ignored.
    return answer(message, handlers[message.method]);
  };
  return {
    handle,
    async connect(t) {
      transport = t;
      t.onmessage = (message) => {
        void handle(message).then((response) => {
          if (response) t.send(response).catch(() => {});
        });
      };
      await t.start();
    },
    async close() {
      await transport?.close();
    },
  };
}

async function answer(request: JsonRpcRequest, handler: Handler | undefined) {
  const reply = (body: Partial<JsonRpcResponse>): JsonRpcResponse => ({
    jsonrpc: "2.0",
    id: request.id,
    ...body,
  });
  if (!handler) {
    return reply({
      error: { code: ErrorCode.MethodNotFound, message: `method not found: ${request.method}` },
    });
  }
  try {
    return reply({ result: await handler(request.params ?? {}) });
  } catch (error) {
    if (error instanceof RpcError) {
      return reply({ error: { code: error.code, message: error.message, data: error.data } });
    }
    const baton = asBatonError(error);
    return reply({
      error: { code: rpcCodeOf(baton), message: baton.message, data: errorData(baton) },
    });
  }
}

/** Runs one tool: arguments checked by its fields, failures as the CLI's coded errors. */
async function invoke(
  tool: ToolDef,
  args: unknown,
  options: ServerOptions,
  open: (name: string) => AppContext,
): Promise<ToolResult> {
  try {
    const checked = tool.check(asRecord(args));
    const ctx = open(tool.name);
    const result = await tool.run({ ctx, cwd: options.cwd, notice: options.notice }, checked);
    const offset = (checked as { offset?: number }).offset ?? 0;
    const text = fitJson(inToolWords(result), {
      hint: tool.more ?? GENERIC_MORE,
      paged: tool.pages ? { fields: tool.pages, offset } : undefined,
    });
    return { content: [{ type: "text", text }] };
  } catch (error) {
    if (process.env.BATON_DEBUG && error instanceof Error) options.notice(`${error.stack}`);
    return errorResult(error);
  }
}

function asRecord(args: unknown): Record<string, unknown> {
  if (args === undefined || args === null) return {};
  if (typeof args !== "object" || Array.isArray(args)) {
    throw new BatonError("INVALID_INPUT", "the arguments must be an object", "pass {name: value}");
  }
  return args as Record<string, unknown>;
}

/**
 * A tool as tools/list shows it. Every byte here is paid in each agent's context, so it says what
 * the name and schema do not: no title (the name says what the CLI's would), only the hint that
 * differs from the protocol's defaults, and no `additionalProperties` (a call with an unknown
 * argument is refused by name all the same).
 */
function listedTool(tool: ToolDef) {
  const { additionalProperties: _, ...inputSchema } = tool.input;
  return {
    name: tool.name,
    description: tool.description,
    inputSchema,
    ...(tool.readOnly ? { annotations: { readOnlyHint: true } } : {}),
  };
}
