import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { GetPromptRequestSchema, type GetPromptResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { loadCommandPrompts } from "../app/agent-sources.ts";
import type { PromptSource } from "../core/agent-targets.ts";
import { BatonError } from "../core/errors.ts";
import { RpcError } from "./errors.ts";

/** The command prompts of the agents/ folder, or none when it is missing or unreadable. */
function readPrompts(agentsDir: string | undefined): PromptSource[] {
  if (!agentsDir) return [];
  try {
    return loadCommandPrompts(agentsDir);
  } catch {
    return [];
  }
}

/**
 * Each prompt's one argument, named after what the user gives (a client shows the name, and an
 * agent fills it by name); a prompt added later without an entry takes `text`.
 */
const ARGUMENT_NAMES: Record<string, string> = {
  seed: "idea",
  spike: "question",
  plan: "goal",
  "plan-workflow": "goal",
  backlog: "plan_id",
};

export function promptArgument(prompt: string): string {
  return ARGUMENT_NAMES[prompt] ?? "text";
}

/**
 * The agent slash commands as MCP prompts, their one argument in place of `$ARGUMENTS`.
 * prompts/get is answered here rather than by the SDK's handler, which drops arguments it does
 * not know: a misnamed argument would silently become an empty request. Refusals are JSON-RPC
 * errors whose `data` is Baton's `{code, message, hint}`, as for resources.
 */
export function registerPrompts(server: McpServer, agentsDir: string | undefined): void {
  const prompts = readPrompts(agentsDir);
  if (prompts.length === 0) return;
  for (const prompt of prompts) {
    const name = promptArgument(prompt.name);
    // Registered for prompts/list, which shows the argument with its hint.
    server.registerPrompt(
      prompt.name,
      {
        description: prompt.description,
        argsSchema: {
          [name]: z
            .string()
            .optional()
            .describe(prompt.argumentHint || "what to work on"),
        },
      },
      (args) => render(prompt, (args as Record<string, string | undefined>)[name] ?? ""),
    );
  }
  const byName = new Map(prompts.map((p) => [p.name, p]));
  server.server.setRequestHandler(GetPromptRequestSchema, (request) => {
    const prompt = byName.get(request.params.name);
    if (!prompt) {
      throw new RpcError(
        new BatonError(
          "USAGE",
          `unknown prompt ${JSON.stringify(request.params.name.slice(0, 80))}`,
          `list them with prompts/list: ${prompts.map((p) => p.name).join(", ")}`,
        ),
      );
    }
    const name = promptArgument(prompt.name);
    const args = request.params.arguments ?? {};
    const unknown = Object.keys(args).filter((key) => key !== name);
    if (unknown.length > 0) {
      throw new RpcError(
        new BatonError(
          "INVALID_INPUT",
          `prompt ${prompt.name} takes one argument, ${name}, not ${unknown.map((k) => JSON.stringify(k.slice(0, 40))).join(", ")}`,
          `pass {"${name}": "${prompt.argumentHint || "what to work on"}"}, or no argument`,
        ),
      );
    }
    return render(prompt, args[name] ?? "");
  });
}

function render(prompt: PromptSource, value: string): GetPromptResult {
  return {
    description: prompt.description,
    messages: [
      {
        role: "user",
        content: { type: "text", text: prompt.body.trimStart().replaceAll("$ARGUMENTS", value) },
      },
    ],
  };
}
