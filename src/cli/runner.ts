import { parseArgs } from "node:util";
import { type CommandShape, commandLine as refLine } from "../app/command-line.ts";
import { openApp } from "../app/open.ts";
import { REF_OPEN, renderRefs } from "../core/command-ref.ts";
import { asBatonError, BatonError } from "../core/errors.ts";
import { escapeControls } from "../core/text.ts";
import { EXIT, exitCodeOf } from "./exit.ts";
import { commandHelp, groupHelp, mainHelp } from "./help.ts";
import { type CommandSpec, GLOBAL_OPTIONS, type GlobalFlags, type Invocation } from "./spec.ts";
import { colorEnabled, paint, RED, YELLOW } from "./style.ts";
import type { CommandTable } from "./table.ts";
import { writeAll } from "./write.ts";

declare const BATON_VERSION: string | undefined;
export const VERSION = typeof BATON_VERSION === "string" ? BATON_VERSION : "0.0.0-dev";

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

const defaultIo: Io = {
  stdout: (text) => writeAll(1, text),
  stderr: (text) => writeAll(2, text),
  cwd: process.cwd(),
};

type ParseOptions = Record<
  string,
  { type: "string" | "boolean"; short?: string; multiple?: boolean }
>;

function toParseOptions(
  specs: { name: string; type: "string" | "boolean"; short?: string; multiple?: boolean }[],
): ParseOptions {
  const out: ParseOptions = {};
  for (const o of specs) {
    out[o.name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
    if (o.multiple) (out[o.name] as { multiple?: boolean }).multiple = true;
  }
  return out;
}

/** Global flags before the command words: `baton -C dir --json seed ...`. */
function splitLeadingGlobals(argv: string[]): { globals: string[]; rest: string[] } {
  const globals: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i] as string;
    if (arg === "-C") {
      const dir = argv[i + 1];
      // `baton -C --json status` forgot the folder; taking "--json" as one would mislead.
      if (dir === undefined || dir.startsWith("-"))
        throw new BatonError("USAGE", "-C needs a folder", "baton -C <dir> <command>");
      globals.push(arg, dir);
      i += 2;
    } else if (
      /^(-C.+|--C=.*)$/.test(arg) ||
      ["--json", "--quiet", "-q", "--help", "-h", "--version", "-V"].includes(arg)
    ) {
      globals.push(arg);
      i += 1;
    } else {
      break;
    }
  }
  return { globals, rest: argv.slice(i) };
}

/** How the CLI writes out the commands named in text (src/core/command-ref.ts). */
interface Words {
  /** Text with the commands it names as command lines. */
  text(text: string): string;
  /**
   * A value as one JSON document, the commands named in its strings as command lines (written
   * inside the strings, so a quote in a command line is escaped like any other).
   */
  json(value: unknown, indent?: number): string;
}

function wordsOf(operations: () => readonly CommandShape[]): Words {
  const text = (t: string) => renderRefs(t, (ref) => refLine(ref, operations()));
  return {
    text,
    json(value, indent) {
      const out: string | undefined = JSON.stringify(value, null, indent);
      if (out === undefined || !out.includes(REF_OPEN)) return out as string;
      return JSON.stringify(value, (_key, v) => (typeof v === "string" ? text(v) : v), indent);
    },
  };
}

type Output = Io & { words: Words; labelled(label: string, colour: number, text: string): void };

/**
 * The one way out of the CLI: everything printed passes through `escapeControls`, so no text quoted
 * from a file, a title or an error message can drive the terminal; Baton's colour is added after.
 * The commands that hints and notices name are written out here, in the CLI's words (JSON
 * documents have theirs written by `words.json`, inside their strings).
 */
function outputOf(io: Io, words: Words): Output {
  let color: boolean | undefined;
  const shown = (text: string) => escapeControls(words.text(text));
  return {
    cwd: io.cwd,
    words,
    stdout: (text) => io.stdout(shown(text)),
    stderr: (text) => io.stderr(shown(text)),
    labelled: (label, colour, text) => {
      color ??= colorEnabled(2);
      io.stderr(`${paint(color, colour, label)} ${shown(text)}\n`);
    },
  };
}

/** How a CLI answers argv: `baton`'s own `run` serves every command; a one-word bundle its word's. */
export type Run = (argv: string[], io?: Io) => Promise<number>;

export interface RunOptions {
  /** Every operation's spelling, for the commands hints and notices name; asked on first use. */
  operations(): readonly CommandShape[];
  /**
   * Where argv that names no command of the table goes (a one-word bundle hands it to the whole
   * CLI, which says what is wrong exactly as always).
   */
  otherwise?: Run;
}

/** The CLI over `table`. */
export function createRun(table: CommandTable, options: RunOptions): Run {
  const words = wordsOf(options.operations);
  return (argv, raw = defaultIo) => runWith(table, options.otherwise, words, argv, raw);
}

async function runWith(
  table: CommandTable,
  otherwise: Run | undefined,
  words: Words,
  argv: string[],
  raw: Io,
): Promise<number> {
  const io = outputOf(raw, words);
  let json = argv.includes("--json");
  try {
    const { globals, rest } = splitLeadingGlobals(argv);
    const words: string[] = [];
    for (const arg of rest) {
      if (arg.startsWith("-")) break;
      words.push(arg);
    }
    const found = words[0] === "help" ? null : table.find(words);
    if (!found && otherwise) return otherwise(argv, raw);
    if (words[0] === "help") return printHelp(table, words.slice(1), io, json);
    const parsedGlobals = parseOrUsage("baton --help", () =>
      parseArgs({
        args: globals,
        options: toParseOptions(GLOBAL_OPTIONS),
        strict: true,
        allowPositionals: false,
      }),
    ).values;
    if (!found) {
      if (parsedGlobals.version) {
        io.stdout(json ? `${JSON.stringify({ version: VERSION })}\n` : `${VERSION}\n`);
        return EXIT.ok;
      }
      if (words.length === 0) {
        if (parsedGlobals.help || rest.length === 0) return printHelp(table, [], io, json);
        throw new BatonError("USAGE", `unknown option ${rest[0]}`, "run baton --help");
      }
      if (table.groupNames().includes(words[0] as string)) {
        if (rest.includes("--help") || rest.includes("-h") || parsedGlobals.help)
          return printHelp(table, [words[0] as string], io, json);
        throw new BatonError(
          "USAGE",
          `baton ${words[0]} needs a subcommand${words[1] ? `; ${JSON.stringify(words[1])} is not one` : ""}`,
          `run baton ${words[0]} --help`,
        );
      }
      throw new BatonError(
        "USAGE",
        `unknown command ${JSON.stringify(words[0])}`,
        suggest(table, words[0] as string),
      );
    }
    const { command, used } = found;
    const args = rest.slice(used);
    const parsed = parseCommandArgs(command, args);
    if (!command.positionals?.length && parsed.positionals.length > 0) {
      // `baton status extra` would otherwise run as if the stray word were not there.
      throw new BatonError(
        "USAGE",
        `baton ${command.path.join(" ")} takes no arguments, got ${JSON.stringify(parsed.positionals[0])}`,
        `run baton ${command.path.join(" ")} --help`,
      );
    }
    const values = { ...parsedGlobals, ...parsed.values } as Record<
      string,
      string | boolean | undefined
    >;
    json = values.json === true;
    if (values.help) return writeHelp(io, commandHelp(command), json);
    const flags: GlobalFlags = {
      cwd: typeof values.C === "string" ? resolveDir(io.cwd, values.C) : io.cwd,
      json,
      quiet: values.quiet === true,
    };
    const notice = (message: string) => {
      if (!flags.quiet) io.labelled("[baton]", YELLOW, message);
    };
    const inv: Invocation = {
      flags,
      options: values,
      positionals: parsed.positionals,
      context: () =>
        openApp({
          cwd: flags.cwd,
          notice,
          command: commandLine(command.path, args),
          source: ["baton", ...command.path].join(" "),
        }),
      notice,
      print: (text) => io.stdout(text),
    };
    const result = await command.run(inv);
    if (command.noOutput) return EXIT.ok;
    io.stdout(
      json
        ? `${io.words.json(result, 2)}\n`
        : `${(command.render as (r: unknown) => string)(result)}\n`,
    );
    return command.exitCode ? (command.exitCode as (r: unknown) => number)(result) : EXIT.ok;
  } catch (error) {
    return reportError(error, json, io);
  }
}

/**
 * Joins each string option with its value (`--body -x` becomes `--body=-x`) so text that starts
 * with a dash, such as a Markdown checklist, is taken as the value rather than refused.
 */
function bindStringValues(args: string[], options: ParseOptions): string[] {
  const takesValue = new Set<string>();
  for (const [name, o] of Object.entries(options)) {
    if (o.type !== "string") continue;
    takesValue.add(name.length === 1 ? `-${name}` : `--${name}`);
    if (o.short) takesValue.add(`-${o.short}`);
  }
  // A following word that is itself one of the command's flags means the value was left out
  // (`--resume --json`): it is not bound, so parseArgs reports the missing value.
  const flags = new Set<string>();
  for (const [name, o] of Object.entries(options)) {
    flags.add(name.length === 1 ? `-${name}` : `--${name}`);
    if (o.short) flags.add(`-${o.short}`);
  }
  const isFlag = (word: string) => flags.has(word.split("=")[0] as string);
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") {
      out.push(...args.slice(i));
      break;
    }
    const value = args[i + 1];
    if (takesValue.has(arg) && value !== undefined && !isFlag(value)) {
      out.push(
        arg.startsWith("--") ? `${arg}=${value}` : arg,
        ...(arg.startsWith("--") ? [] : [value]),
      );
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function parseCommandArgs(command: CommandSpec, args: string[]) {
  const options = toParseOptions([...(command.options ?? []), ...GLOBAL_OPTIONS]);
  return parseOrUsage(`run baton ${command.path.join(" ")} --help`, () =>
    parseArgs({
      args: bindStringValues(args, options),
      options,
      strict: true,
      allowPositionals: true,
    }),
  );
}

/** parseArgs failures (unknown flag, missing value) are the caller's usage errors, exit 2. */
function parseOrUsage<T>(hint: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const raw = error instanceof Error ? error.message.split("\n")[0] : String(error);
    // Node's own wording adds advice about '--' that does not apply to Baton's commands.
    const unknown = /^Unknown option '([^']+)'/.exec(raw as string);
    const message = unknown ? `unknown option ${unknown[1]}` : raw;
    // parseArgs spells the one-letter global as a long option; show it as users type it.
    throw new BatonError(
      "USAGE",
      `${message}`.replace(/\.$/, "").replaceAll("'--C ", "'-C "),
      hint,
    );
  }
}

/** `baton spike "Token storage"`: the command as typed, for the journal's active command. */
function commandLine(path: string[], args: string[]): string {
  const quoted = args
    .filter((a) => a !== "--json" && a !== "--quiet" && a !== "-q")
    .map((a) =>
      /^[\w@./:=-]+$/.test(a) ? a : JSON.stringify(a.length > 60 ? `${a.slice(0, 57)}...` : a),
    );
  return ["baton", ...path, ...quoted].join(" ");
}

function resolveDir(cwd: string, dir: string): string {
  return dir.startsWith("/") ? dir : `${cwd.replace(/\/$/, "")}/${dir}`;
}

/** Help text on stdout; with --json it is wrapped so stdout still holds one JSON document. */
function writeHelp(io: Io, text: string, json: boolean): number {
  io.stdout(json ? `${JSON.stringify({ help: text })}\n` : `${text}\n`);
  return EXIT.ok;
}

function printHelp(table: CommandTable, words: string[], io: Io, json: boolean): number {
  if (words.length === 0) return writeHelp(io, mainHelp(table.commands, VERSION), json);
  const found = table.find(words);
  if (found && found.used === words.length) return writeHelp(io, commandHelp(found.command), json);
  if (words.length === 1 && table.groupNames().includes(words[0] as string)) {
    return writeHelp(io, groupHelp(table.commands, words[0] as string), json);
  }
  throw new BatonError(
    "USAGE",
    `no help for ${JSON.stringify(words.join(" "))}: unknown command`,
    "run baton --help",
  );
}

function suggest(table: CommandTable, word: string): string {
  const names = [...new Set(table.commands.map((c) => c.path[0] as string))];
  const close = names.find((n) => distance(n, word) <= 2);
  return close
    ? `did you mean baton ${close}? (run baton --help)`
    : "see the commands: baton --help";
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

function reportError(error: unknown, json: boolean, io: Output): number {
  const baton = asBatonError(error);
  if (process.env.BATON_DEBUG && error instanceof Error) io.stderr(`${error.stack}\n`);
  // One line per error: a message quoting file contents (a JSON parser's excerpt) may hold
  // newlines that would otherwise split it.
  const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, " ");
  const { code, message, hint, details } = baton.toJSON();
  const shown = {
    code,
    message: oneLine(io.words.text(message)),
    hint: oneLine(io.words.text(hint)),
    ...(details ? { details } : {}),
  };
  if (json) {
    io.stdout(`${io.words.json({ error: shown })}\n`);
  } else {
    io.labelled("error", RED, `${shown.code}: ${shown.message} (hint: ${shown.hint})`);
  }
  return exitCodeOf(baton);
}
