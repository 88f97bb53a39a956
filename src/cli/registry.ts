/** The whole CLI: every operation's command (src/app/operations.ts) in one table. */
import { OPERATIONS } from "../app/operations.ts";
import { ownCommands } from "./commands/own.ts";
import { deriveCommands } from "./derive.ts";
import { RENDERERS } from "./render/index.ts";
import type { CommandSpec } from "./spec.ts";
import { type CommandTable, commandTable } from "./table.ts";

export { ALIASES, canonicalWord } from "./table.ts";

export const TABLE: CommandTable = commandTable(ownCommands(deriveCommands(OPERATIONS, RENDERERS)));

/** Every command, in the order `baton --help` lists them. */
export const COMMANDS: readonly CommandSpec[] = TABLE.commands;

export function findCommand(
  input: readonly string[],
): { command: CommandSpec; used: number } | null {
  return TABLE.find(input);
}

export function groupNames(): string[] {
  return TABLE.groupNames();
}
