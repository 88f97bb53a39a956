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

interface GetPromptResult {
  description: string;
  messages: { role: "user"; content: { type: "text"; text: string } }[];
}

/**
 * The agent slash commands as MCP prompts, their one argument in place of `$ARGUMENTS`. A
 * misnamed argument is refused rather than dropped (it would silently become an empty request).
 * Refusals are JSON-RPC errors whose `data` is Baton's `{code, message, hint}`, as for resources.
 */
export function promptHandlers(
  agentsDir: string | undefined,
): Record<string, (params: Record<string, unknown>) => unknown> {
  const prompts = readPrompts(agentsDir);
  const byName = new Map(prompts.map((p) => [p.name, p]));
  return {
    "prompts/list": () => ({
      prompts: prompts.map((prompt) => ({
        name: prompt.name,
        description: prompt.description,
        arguments: [
          {
            name: promptArgument(prompt.name),
            description: prompt.argumentHint || "what to work on",
            required: false,
          },
        ],
      })),
    }),
    "prompts/get": (params) => {
      const asked = typeof params.name === "string" ? params.name : "";
      const prompt = byName.get(asked);
      if (!prompt) {
        throw new RpcError(
          new BatonError(
            "USAGE",
            `unknown prompt ${JSON.stringify(asked.slice(0, 80))}`,
            `list them with prompts/list: ${prompts.map((p) => p.name).join(", ")}`,
          ),
        );
      }
      const name = promptArgument(prompt.name);
      const raw = params.arguments;
      const args =
        raw && typeof raw === "object" && !Array.isArray(raw)
          ? (raw as Record<string, unknown>)
          : {};
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
      const value = args[name];
      return render(prompt, typeof value === "string" ? value : "");
    },
  };
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
