import fs from "node:fs";
import path from "node:path";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

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

/** The agent slash commands as MCP prompts, taking the user's text as `arguments`. */
export function registerPrompts(server: McpServer, agentsDir: string | undefined): void {
  for (const prompt of readPrompts(agentsDir)) {
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
}
