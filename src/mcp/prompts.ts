import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { loadCommandPrompts } from "../app/agent-sources.ts";
import type { PromptSource } from "../core/agent-targets.ts";

/** The command prompts of the agents/ folder, or none when it is missing or unreadable. */
function readPrompts(agentsDir: string | undefined): PromptSource[] {
  if (!agentsDir) return [];
  try {
    return loadCommandPrompts(agentsDir);
  } catch {
    return [];
  }
}

/** The agent slash commands as MCP prompts, taking the user's text as `arguments`. */
export function registerPrompts(server: McpServer, agentsDir: string | undefined): void {
  for (const prompt of readPrompts(agentsDir)) {
    server.registerPrompt(
      prompt.name,
      {
        description: prompt.description,
        argsSchema: {
          arguments: z
            .string()
            .optional()
            .describe(prompt.argumentHint || "what to work on"),
        },
      },
      (args) => ({
        description: prompt.description,
        messages: [
          {
            role: "user",
            content: {
              type: "text",
              text: prompt.body.trimStart().replaceAll("$ARGUMENTS", args.arguments ?? ""),
            },
          },
        ],
      }),
    );
  }
}
