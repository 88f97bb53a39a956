import { backlogCommand, planCommand, seedCommand, spikeCommand } from "./commands/planning.ts";
import {
  ticketListCommand,
  ticketSetStatusCommand,
  ticketShowCommand,
  topicListCommand,
  topicShowCommand,
} from "./commands/records.ts";
import { initCommand, statusCommand } from "./commands/workspace.ts";
import type { CommandSpec } from "./spec.ts";

/** Every command, in the order `baton --help` lists them. */
export const COMMANDS: CommandSpec[] = [
  initCommand,
  statusCommand,
  seedCommand,
  spikeCommand,
  planCommand,
  backlogCommand,
  topicListCommand,
  topicShowCommand,
  ticketListCommand,
  ticketShowCommand,
  ticketSetStatusCommand,
];

/** Nouns that only group subcommands (`baton ticket list`). */
export function groupNames(): string[] {
  return [...new Set(COMMANDS.filter((c) => c.path.length > 1).map((c) => c.path[0] as string))];
}

/** The command named by the leading words of argv, and how many words it used. */
export function findCommand(words: string[]): { command: CommandSpec; used: number } | null {
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
