/**
 * The CLI's commands, derived from the operation declarations: words, positionals, flags and
 * help come from each operation's fields; the text a command prints comes from the renderer the
 * CLI keeps for it (src/cli/render/). Operations that share a path (`seed`, `seed --sessions`,
 * `seed --resume <id>`) become one command that runs the one whose mode flag was given.
 */
import { type AnyOperation, cliPath, type OpEnv } from "../app/operation.ts";
import { BatonError } from "../core/errors.ts";
import {
  checkInput,
  excluded,
  type Field,
  flagName,
  isGiven,
  isPositional,
} from "../core/fields.ts";
import { readInputText } from "./commands/inputs.ts";
import { EXIT, exitCodeFor } from "./exit.ts";
import type { CommandSpec, Invocation, OptionSpec, PositionalSpec } from "./spec.ts";

/** How the CLI prints an operation's result as text (`--json` prints the result itself). */
export type Render = (result: never, input: Record<string, unknown>) => string;

interface Route {
  op: AnyOperation;
  path: readonly string[];
  fixed: Readonly<Record<string, unknown>>;
  summary: string;
  examples: readonly string[];
}

/** Every path each operation answers on, in declaration order. */
function routes(ops: readonly AnyOperation[]): Route[] {
  const out: Route[] = [];
  for (const op of ops) {
    if (op.cli === false) continue;
    const variants = op.cli?.variants;
    if (variants)
      for (const v of variants)
        out.push({
          op,
          path: v.path,
          fixed: v.fixed,
          summary: v.summary ?? op.summary,
          examples: v.examples ?? op.examples,
        });
    else out.push({ op, path: cliPath(op), fixed: {}, summary: op.summary, examples: op.examples });
  }
  return out;
}

/** The commands for `ops`, one per path, in order of first appearance. */
export function deriveCommands(
  ops: readonly AnyOperation[],
  renderers: Readonly<Record<string, Render>>,
): CommandSpec[] {
  const byPath = new Map<string, Route[]>();
  for (const route of routes(ops)) {
    const key = route.path.join(" ");
    byPath.set(key, [...(byPath.get(key) ?? []), route]);
  }
  return [...byPath.values()].map((group) => commandFor(group, renderers));
}

function commandFor(group: Route[], renderers: Readonly<Record<string, Render>>): CommandSpec {
  const main = group.find((r) => !modeOf(r.op)) ?? (group[0] as Route);
  const path = main.path;
  const usage = `run baton ${path.join(" ")} --help`;
  const positionals: PositionalSpec[] = [];
  const options: OptionSpec[] = [];
  const seen = new Set<string>();
  for (const route of [main, ...group.filter((r) => r !== main)]) {
    for (const [key, field] of Object.entries(route.op.input)) {
      if (field.cli === false || key in route.fixed) continue;
      if (isPositional(field)) {
        if (route !== main || seen.has(`<${key}>`)) continue;
        seen.add(`<${key}>`);
        positionals.push({
          name: positionalName(key, field),
          // `seed [<title>]`: a word the other operations on the path do without is optional.
          required: group.every((r) => r.op.input[key]?.required === true),
          description: field.description,
        });
        continue;
      }
      for (const option of optionsOf(key, field)) {
        if (seen.has(option.name)) continue;
        seen.add(option.name);
        options.push(option);
      }
    }
    const mode = modeOf(route.op);
    if (mode && !seen.has(mode)) {
      seen.add(mode);
      options.push({ name: mode, type: "boolean", description: route.op.summary });
    }
  }
  const render = (op: AnyOperation): Render => {
    const r = renderers[op.name];
    if (!r) throw new Error(`no CLI renderer for ${op.name}`);
    return r;
  };
  let chosen: Route = main;
  let input: Record<string, unknown> = {};
  return {
    path: [...path],
    summary: main.summary,
    ...(main.op.description ? { description: main.op.description } : {}),
    ...(positionals.length > 0 ? { positionals } : {}),
    ...(options.length > 0 ? { options } : {}),
    examples: group.flatMap((r) => r.examples).filter((e, i, all) => all.indexOf(e) === i),
    run: async (inv: Invocation) => {
      chosen = pickRoute(group, main, inv);
      input = inputFrom(chosen, inv, usage);
      const result = await chosen.op.run(envOf(inv), input as never);
      const tag = chosen.op.cli !== false ? chosen.op.cli?.tag : undefined;
      return tag ? { ...tag, ...result } : result;
    },
    render: ((result: never) => render(chosen.op)(result, input)) as never,
    ...(group.some((r) => r.op.cli !== false && r.op.cli?.failure)
      ? {
          exitCode: ((result: never) => {
            const failure = chosen.op.cli !== false ? chosen.op.cli?.failure : undefined;
            const code = failure ? failure(result) : null;
            return code === null ? EXIT.ok : exitCodeFor(code);
          }) as never,
        }
      : {}),
  };
}

function modeOf(op: AnyOperation): string | undefined {
  return op.cli === false ? undefined : op.cli?.mode;
}

function envOf(inv: Invocation): OpEnv {
  return {
    cwd: inv.flags.cwd,
    context: () => inv.context(),
    notice: inv.notice,
    now: () => new Date(),
    confined: false,
    output: inv.flags.json ? "json" : "text",
  };
}

/** The operation a `seed --sessions` style invocation means; several modes at once are refused. */
function pickRoute(group: Route[], main: Route, inv: Invocation): Route {
  const given = group.filter((r) => {
    const mode = modeOf(r.op);
    return mode !== undefined && inv.options[mode] !== undefined && inv.options[mode] !== false;
  });
  if (given.length > 1) {
    const flags = given.map((r) => `--${modeOf(r.op)}`);
    throw new BatonError("USAGE", `${flags.join(" and ")} cannot be combined`, "use one at a time");
  }
  return given[0] ?? main;
}

function optionsOf(key: string, field: Field): OptionSpec[] {
  const cli = field.cli === false ? undefined : field.cli;
  const name = flagName(key, field);
  const out: OptionSpec[] = [];
  if (!cli?.file?.only) {
    const base = {
      name,
      description: field.description,
      ...(cli?.short ? { short: cli.short } : {}),
    };
    if (field.type === "boolean") out.push({ ...base, type: "boolean" });
    else
      out.push({
        ...base,
        type: "string",
        value: cli?.value ?? placeholder(key, field),
        ...(field.type === "strings" ? { multiple: true } : {}),
      });
  }
  if (cli?.file) {
    out.push({
      name: cli.file.flag,
      type: "string",
      value: cli.file.value ?? "<file>",
      description: cli.file.description,
    });
  }
  if (cli?.all) out.push({ name: cli.all.flag, type: "boolean", description: cli.all.description });
  return out;
}

/** A positional as usage lines name it: its placeholder (`<name|path>`), else the field's name. */
function positionalName(key: string, field: Field): string {
  const value = field.cli === false ? undefined : field.cli?.value;
  return value ? value.replace(/^<(.*)>$/, "$1") : key.replaceAll("_", "-");
}

function placeholder(key: string, field: Field): string {
  if (field.type === "int") return "<n>";
  if (field.type === "enum") return `<${field.values.join("|")}>`;
  return `<${key.replaceAll("_", "-")}>`;
}

/** The operation's input from the words and flags typed, checked like every face's input. */
function inputFrom(route: Route, inv: Invocation, usage: string): Record<string, unknown> {
  const fields = route.op.input;
  const mode = modeOf(route.op);
  const where = `baton ${route.path.join(" ")}${mode ? ` --${mode}` : ""}`;
  const raw: Record<string, unknown> = {};
  const lifted = new Set<string>();
  const positional = Object.entries(fields).filter(
    ([key, f]) => isPositional(f) && !(key in route.fixed),
  );
  const last = positional.at(-1)?.[1];
  const rest = last !== undefined && last.cli !== false && last.cli?.rest === true;
  let words = inv.positionals;
  if (rest && words.length >= positional.length) {
    const joined = words
      .slice(positional.length - 1)
      .join(" ")
      .trim();
    words = [...words.slice(0, positional.length - 1), ...(joined === "" ? [] : [joined])];
  }
  if (words.length > positional.length) {
    throw new BatonError(
      "USAGE",
      positional.length === 0
        ? `${where} takes no arguments, got ${JSON.stringify(words[0])}`
        : `${where} takes ${positional.length} argument${positional.length === 1 ? "" : "s"}, got ${words.length}: ${words.map((w) => JSON.stringify(w)).join(" ")}`,
      positional.length === 1 && positional[0]?.[1].type === "string" && !mode
        ? `quote text that has spaces: baton ${route.path.join(" ")} "${words.join(" ")}"`
        : usage,
    );
  }
  positional.forEach(([key, field], i) => {
    const word = words[i];
    // A blank word (`""`) for a required text is as good as none: the same usage error.
    const blank = word !== undefined && field.type === "string" && word.trim() === "";
    if (word === undefined || (blank && field.required)) {
      if (field.required) {
        const missing = positional.slice(i).filter(([, f]) => f.required);
        throw new BatonError(
          "USAGE",
          `${where} needs ${missing.map(([k, f]) => `<${positionalName(k, f)}>`).join(" ")}`,
          `baton ${route.path.join(" ")} ${positional.map(([k, f]) => (f.required ? `<${positionalName(k, f)}>` : `[${positionalName(k, f)}]`)).join(" ")}`,
        );
      }
      return;
    }
    raw[key] = fromText(key, field, word, where);
  });
  // Refused before a file named by a flag is read: the command was wrong, whatever the file holds.
  const flagGiven = (key: string): string | null => {
    const field = fields[key] as Field;
    if (key in route.fixed) return isGiven(route.fixed[key]) ? key : null;
    if (field.cli === false) return null;
    if (isPositional(field)) return isGiven(raw[key]) ? `<${key.replaceAll("_", "-")}>` : null;
    const file = field.cli?.file?.flag;
    if (file !== undefined && isGiven(inv.options[file])) return `--${file}`;
    const name = flagName(key, field);
    return !field.cli?.file?.only && isGiven(inv.options[name]) ? `--${name}` : null;
  };
  const clash = excluded(fields, (key) => flagGiven(key) !== null);
  if (clash) {
    const [a, b] = clash.map(flagGiven);
    throw new BatonError("USAGE", `${a} and ${b} cannot be combined`, usage);
  }
  for (const [key, field] of Object.entries(fields)) {
    if (field.cli === false || isPositional(field) || key in route.fixed) continue;
    const cli = field.cli;
    const name = flagName(key, field);
    // A field given only by its file flag has no flag of its own, even when the names agree.
    const value = cli?.file?.only
      ? undefined
      : key === mode
        ? inv.options[mode]
        : inv.options[name];
    const file = cli?.file ? inv.options[cli.file.flag] : undefined;
    if (value !== undefined && file !== undefined) {
      throw new BatonError(
        "USAGE",
        `--${name} and --${cli?.file?.flag} cannot be used together`,
        "pass the text one way",
      );
    }
    if (file !== undefined && cli?.file) {
      const text = readInputText(inv.flags.cwd, file as string, `--${cli.file.flag}`);
      raw[key] = field.type === "json" ? parseJsonInput(text, file as string, cli.file.flag) : text;
      continue;
    }
    if (cli?.all && inv.options[cli.all.flag] === true) {
      if (value !== undefined)
        throw new BatonError(
          "USAGE",
          `--${name} and --${cli.all.flag} cannot be used together`,
          usage,
        );
      lifted.add(key);
      continue;
    }
    if (value === undefined || value === false) continue;
    raw[key] = field.type === "boolean" ? value : fromText(key, field, value, where, `--${name}`);
  }
  for (const [key, value] of Object.entries(route.fixed)) raw[key] = value;
  // A flag's value out of bounds is answered with the flag to type; a positional's, with usage.
  const fix = (key: string, bound: string) => {
    const field = fields[key];
    return field && field.cli !== false && !isPositional(field)
      ? `use --${flagName(key, field)} ${bound}`
      : null;
  };
  requireFlags(route, raw, positional);
  return checkInput(fields, raw, "cli", { where, hint: usage, fix }, lifted);
}

/**
 * A required field the CLI takes as a flag (`spec setup --spec <path>`) and that was not given is
 * a usage error naming the flag, like a missing positional: the command was typed incompletely.
 */
function requireFlags(
  route: Route,
  raw: Record<string, unknown>,
  positional: readonly [string, Field][],
): void {
  const required = Object.entries(route.op.input)
    .filter(
      ([key, f]) => f.required && f.cli !== false && !isPositional(f) && !(key in route.fixed),
    )
    .map(([key, field]) => {
      const cli = field.cli === false ? undefined : field.cli;
      return cli?.file?.only
        ? { key, flag: cli.file.flag, value: "<file>" }
        : { key, flag: flagName(key, field), value: cli?.value ?? placeholder(key, field) };
    });
  const missing = required.find((r) => raw[r.key] === undefined);
  if (!missing) return;
  const words = [
    ...positional.filter(([, f]) => f.required).map(([k, f]) => `<${positionalName(k, f)}>`),
    ...required.map((r) => `--${r.flag} ${r.value}`),
  ];
  throw new BatonError(
    "USAGE",
    `--${missing.flag} is required`,
    `baton ${route.path.join(" ")} ${words.join(" ")}`,
  );
}

/** A typed value from text typed on the command line. */
function fromText(
  key: string,
  field: Field,
  value: unknown,
  where: string,
  shown = `<${key.replaceAll("_", "-")}>`,
): unknown {
  if (field.type === "strings") return Array.isArray(value) ? value : [value];
  const text = String(value);
  if (field.type === "int") {
    if (!/^-?\d+$/.test(text)) {
      throw new BatonError(
        "USAGE",
        `${shown} must be a whole number, got ${JSON.stringify(text)}`,
        `e.g. ${shown.startsWith("--") ? `${shown} ${field.example ?? 20}` : (field.example ?? 1)} (${where})`,
      );
    }
    return Number(text);
  }
  return text;
}

function parseJsonInput(text: string, from: string, flag: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BatonError(
      "INVALID_INPUT",
      `${from === "-" ? "stdin" : from} is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
      `pass a JSON document to --${flag}`,
    );
  }
}
