/**
 * The CLI of one first word (`baton seed …`): the bundle scripts/build.ts makes per word calls
 * this with that word's operations and renderers, so a command loads, compiles and derives only
 * what its word needs. Argv it cannot place goes to the whole CLI (dist/baton-cli.js), so help,
 * typos and unknown subcommands answer exactly as there.
 */
import type { CommandShape } from "../app/command-line.ts";
import type { AnyOperation } from "../app/operation.ts";
import { deriveCommands, type Render } from "./derive.ts";
import { distFile } from "./dist.ts";
import { createRun, type Run } from "./runner.ts";
import type { CommandSpec } from "./spec.ts";
import { commandTable } from "./table.ts";

export function wordRun(
  word: string,
  operations: readonly AnyOperation[],
  renderers: Readonly<Record<string, Render>>,
  /** Adds the word's commands the CLI defines itself (src/cli/commands/own.ts). */
  own: (derived: CommandSpec[]) => CommandSpec[],
  /**
   * Every operation's spelling as JSON (the build writes it), parsed only when a hint or notice
   * names a command: a hint may name any command, not only this word's.
   */
  shapes: string,
): Run {
  const table = commandTable(own(deriveCommands(operations, renderers)), new Set([word]));
  let parsed: readonly CommandShape[] | undefined;
  return createRun(table, {
    operations: () => {
      parsed ??= JSON.parse(shapes) as CommandShape[];
      return parsed;
    },
    otherwise: (argv, io) => {
      const whole = require(distFile("baton-cli.js")) as { run: Run };
      return whole.run(argv, io);
    },
  });
}
