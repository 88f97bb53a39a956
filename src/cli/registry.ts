import { OPERATIONS } from "../app/operations.ts";
import { mcpCommand } from "./commands/mcp.ts";
import { withSpecSwitch } from "./commands/spec-switch.ts";
import { deriveCommands } from "./derive.ts";
import { RENDERERS } from "./render/index.ts";
import type { CommandSpec } from "./spec.ts";

const DERIVED = deriveCommands(OPERATIONS, RENDERERS);

/** The derived commands whose words start with `word`. */
function derived(word: string): CommandSpec[] {
  return DERIVED.filter((c) => c.path[0] === word);
}

/** Every command, in the order `baton --help` lists them. */
export const COMMANDS: CommandSpec[] = [
  ...derived("init"),
  ...derived("status"),
  ...derived("seed"),
  ...derived("spike"),
  // `plan "<title>"` (the planning noun's), then the `plan <verb>` commands.
  ...derived("plan").filter((c) => c.path.length === 1),
  ...derived("plan").filter((c) => c.path.length > 1),
  ...derived("backlog"),
  ...derived("topic"),
  ...derived("ticket"),
  ...derived("journal"),
  ...derived("resume"),
  ...withSpecSwitch(derived("spec")),
  mcpCommand,
];

/** Alternative first words: `baton planning …` is `baton spec …` with the same flags. */
export const ALIASES: Record<string, string> = { planning: "spec" };

/** Nouns that only group subcommands (`baton ticket list`). */
export function groupNames(): string[] {
  const groups = new Set(COMMANDS.filter((c) => c.path.length > 1).map((c) => c.path[0] as string));
  for (const [alias, target] of Object.entries(ALIASES)) if (groups.has(target)) groups.add(alias);
  return [...groups];
}

/** The canonical first word for a possibly aliased one. */
export function canonicalWord(word: string): string {
  return ALIASES[word] ?? word;
}

/** The command named by the leading words of argv, and how many words it used. */
export function findCommand(input: string[]): { command: CommandSpec; used: number } | null {
  const first = input[0];
  const words =
    first !== undefined && ALIASES[first] ? [ALIASES[first] as string, ...input.slice(1)] : input;
  let best: { command: CommandSpec; used: number } | null = null;
  for (const command of COMMANDS) {
    const n = command.path.length;
    if (
      n <= words.length &&
      command.path.every((w, i) => words[i] === w) &&
      (!best || n > best.used)
    ) {
      best = { command, used: n };
    }
  }
  return best;
}
