/**
 * A set of commands and how argv's leading words find one. The whole CLI is one table
 * (src/cli/registry.ts); a bundle serving one first word (`baton seed …`, see scripts/build.ts)
 * holds the table of that word's commands only, so it loads and derives nothing else.
 */
import type { CommandSpec } from "./spec.ts";

/** Alternative first words: `baton planning …` is `baton spec …` with the same flags. */
export const ALIASES: Readonly<Record<string, string>> = { planning: "spec" };

/** The first words in the order `baton --help` lists their commands. */
export const WORD_ORDER = [
  "init",
  "status",
  "doctor",
  "seed",
  "spike",
  "plan",
  "backlog",
  "topic",
  "ticket",
  "journal",
  "resume",
  "spec",
  "work",
  "import",
  "mcp",
  "serve",
  "merge-driver",
] as const;

export interface CommandTable {
  /** Every command, in the order `baton --help` lists them. */
  readonly commands: readonly CommandSpec[];
  /** The command named by the leading words of argv, and how many words it used. */
  find(input: readonly string[]): { command: CommandSpec; used: number } | null;
  /** Nouns that only group subcommands (`baton ticket list`), aliases included. */
  groupNames(): string[];
}

/** The canonical first word for a possibly aliased one. */
export function canonicalWord(word: string): string {
  return ALIASES[word] ?? word;
}

/**
 * The table of `given` commands in help order: by first word, and within a word as given, except
 * that `plan "<title>"` (the planning noun's) comes before the `plan <verb>` commands. `words`
 * limits it to those first words.
 */
export function commandTable(
  given: readonly CommandSpec[],
  words: ReadonlySet<string> = new Set(WORD_ORDER),
): CommandTable {
  const unordered = given.filter(
    (c) => !(WORD_ORDER as readonly string[]).includes(c.path[0] as string),
  );
  if (unordered.length > 0)
    throw new Error(`no place in help for ${unordered.map((c) => c.path.join(" ")).join(", ")}`);
  const ofWord = (word: string) => given.filter((c) => c.path[0] === word);
  const commands: CommandSpec[] = [];
  for (const word of WORD_ORDER) {
    if (!words.has(word)) continue;
    if (word === "plan") {
      commands.push(...ofWord(word).filter((c) => c.path.length === 1));
      commands.push(...ofWord(word).filter((c) => c.path.length > 1));
    } else commands.push(...ofWord(word));
  }
  return {
    commands,
    find(input) {
      const first = input[0];
      const words =
        first !== undefined && ALIASES[first]
          ? [ALIASES[first] as string, ...input.slice(1)]
          : input;
      let best: { command: CommandSpec; used: number } | null = null;
      for (const command of commands) {
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
    },
    groupNames() {
      const groups = new Set(
        commands.filter((c) => c.path.length > 1).map((c) => c.path[0] as string),
      );
      for (const [alias, target] of Object.entries(ALIASES))
        if (groups.has(target)) groups.add(alias);
      return [...groups];
    },
  };
}
