import fs from "node:fs";
import path from "node:path";
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { CallToolRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { AppContext } from "../app/context.ts";
import { showJournal } from "../app/journal.ts";
import { openApp } from "../app/open.ts";
import { activeSession } from "../app/sessions.ts";
import { listSpecs, specStatus } from "../app/spec-folders.ts";
import { BatonError } from "../core/errors.ts";
import { TOOLS, type ToolDef } from "./tools.ts";

/** No response may flood an agent's context: larger results are cut with a note how to page. */
export const MAX_RESULT_BYTES = 20_000;

export interface ServerOptions {
  cwd: string;
  version: string;
  /** Notices (journal archived, auto-links): never stdout, which carries only MCP messages. */
  notice(message: string): void;
  /** Folder holding commands/*.md, offered as prompts; absent or missing: no prompts. */
  agentsDir?: string | undefined;
}

/** The error every tool and resource reports: the same codes, messages and hints as the CLI. */
export function toBatonError(error: unknown): BatonError {
  if (error instanceof BatonError) return error;
  return new BatonError(
    "INTERNAL",
    error instanceof Error ? error.message : String(error),
    "this is a bug in Baton; run with BATON_DEBUG=1 for the stack",
  );
}

/** JSON text of a result, or a preview with a note when it is over the size cap. */
export function capped(value: unknown, max = MAX_RESULT_BYTES): string {
  const text = JSON.stringify(value ?? null);
  const bytes = Buffer.byteLength(text);
  if (bytes <= max) return text;
  const note =
    "result cut at the size cap: page lists with limit/offset, or ask for one record (topic_show, ticket_show)";
  let preview = text.slice(0, max - 600);
  while (Buffer.byteLength(preview) > max - 600) preview = preview.slice(0, -256);
  return JSON.stringify({ truncated: true, bytes, max_bytes: max, note, preview });
}

function errorResult(error: unknown): CallToolResult {
  const { code, message, hint } = toBatonError(error).toJSON();
  return {
    isError: true,
    content: [{ type: "text", text: JSON.stringify({ code, message, hint }) }],
  };
}

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
    openApp({ cwd: options.cwd, notice: options.notice, command: `baton mcp ${name}` });

  for (const tool of TOOLS) registerTool(server, tool, options, open);
  routeToolCalls(server, options, open);

  server.registerResource(
    "journal",
    "baton://journal",
    {
      title: "PLANNING.md",
      description: "The working journal: active work, notes, decisions, next steps",
      mimeType: "text/markdown",
    },
    (uri) => {
      // The file as written, or (before the first change) what it would say.
      const text = showJournal(open("resource journal")).text;
      return { contents: [{ uri: uri.href, mimeType: "text/markdown", text: cap(text) }] };
    },
  );
  server.registerResource(
    "active-session",
    "baton://session/active",
    {
      title: "Active planning session",
      description: "The active planning session as JSON (null when none)",
      mimeType: "application/json",
    },
    (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: "application/json",
          text: capped(activeSession(open("resource session"))),
        },
      ],
    }),
  );
  server.registerResource(
    "specs",
    "baton://specs",
    {
      title: "Specs",
      description: "Every spec with its stage and the active marker",
      mimeType: "application/json",
    },
    async (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: "application/json",
          text: capped(await listSpecs(open("resource specs"))),
        },
      ],
    }),
  );
  server.registerResource(
    "spec",
    new ResourceTemplate("baton://specs/{name}", {
      list: async () => {
        const list = await listSpecs(open("resource specs"));
        return {
          resources: list.specs.map((s) => ({
            uri: `baton://specs/${encodeURIComponent(s.name)}`,
            name: s.name,
            mimeType: "application/json",
          })),
        };
      },
    }),
    { title: "Spec status", description: "One spec's stage, approvals and git facts" },
    async (uri, vars) => {
      const name = decodeURIComponent(String(vars.name));
      return {
        contents: [
          {
            uri: uri.href,
            mimeType: "application/json",
            text: capped(await specStatus(open("resource spec"), name)),
          },
        ],
      };
    },
  );

  for (const prompt of readPrompts(options.agentsDir)) {
    server.registerPrompt(
      prompt.name,
      {
        description: prompt.description,
        argsSchema: { arguments: z.string().optional().describe(prompt.hint) },
      },
      (args) => ({
        description: prompt.description,
        messages: [
          {
            role: "user",
            content: {
              type: "text",
              text: prompt.body.replaceAll("$ARGUMENTS", args.arguments ?? ""),
            },
          },
        ],
      }),
    );
  }
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
    const parsed = z.strictObject(tool.input).safeParse(args ?? {});
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
    return { content: [{ type: "text", text: capped(result) }] };
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
    return invoke(tool, request.params.arguments, options, open);
  });
}

function cap(text: string): string {
  if (Buffer.byteLength(text) <= MAX_RESULT_BYTES) return text;
  return `${text.slice(0, MAX_RESULT_BYTES - 200)}\n\n[cut at ${MAX_RESULT_BYTES} bytes: use the journal_show tool, or read the file]\n`;
}

interface PromptFile {
  name: string;
  description: string;
  hint: string;
  body: string;
}

/** agents/commands/<name>.md: front matter (description, argument-hint) and the prompt text. */
export function readPrompts(agentsDir: string | undefined): PromptFile[] {
  if (!agentsDir) return [];
  const dir = path.join(agentsDir, "commands");
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith(".md"));
  } catch {
    return [];
  }
  return files.sort().map((file) => {
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    const match = /^---\n([\s\S]*?)\n---\n?/.exec(text);
    const head = match?.[1] ?? "";
    const field = (key: string) =>
      new RegExp(`^${key}:\\s*(.*)$`, "m")
        .exec(head)?.[1]
        ?.trim()
        .replace(/^"(.*)"$/, "$1") ?? "";
    return {
      name: file.replace(/\.md$/, ""),
      description: field("description"),
      hint: field("argument-hint") || "what to work on",
      body: match ? text.slice(match[0].length).trimStart() : text,
    };
  });
}
