/**
 * A command reference (src/core/command-ref.ts) as the command line a person types, spelled from
 * the operation's declaration: its words, mode flag, positionals and flags. The CLI renders every
 * reference with it; the MCP server too, for an operation that has no tool (`baton init`).
 */
import { type CommandRef, isProse, type RefValue } from "../core/command-ref.ts";
import { type Field, flagName, isPositional } from "../core/fields.ts";
import { type AnyOperation, cliPath } from "./operation.ts";

/**
 * What spelling a command line needs of an operation: its name, CLI surface and fields, as data.
 * The operations themselves qualify; a one-word CLI bundle carries these for every operation
 * (written by the build) so it can name any command without loading the others.
 */
export type CommandShape = Pick<AnyOperation, "name" | "cli" | "input">;

export function operationNamed<S extends CommandShape>(
  verb: string,
  ops: readonly S[],
): S | undefined {
  return ops.find((op) => op.name === verb);
}

/** `baton seed --sessions seed-x` for `cmd("seed --sessions", { seed_id: "seed-x" })`. */
export function commandLine(ref: CommandRef, ops: readonly CommandShape[]): string {
  const op = operationNamed(ref.verb, ops);
  if (!op || op.cli === false) {
    const flags = Object.entries(ref.args).flatMap(([key, v]) =>
      flagWords(key.replaceAll("_", "-"), v),
    );
    return ["baton", ref.verb, ...flags].join(" ");
  }
  const args: Record<string, RefValue> = { ...ref.args };
  const variant = variantFor(op, args);
  for (const key of Object.keys(variant?.fixed ?? {})) delete args[key];
  const words = ["baton", ...(variant?.path ?? cliPath(op))];
  const fields = Object.entries(op.input).filter(
    ([key, f]) => f.cli !== false && !(variant && key in variant.fixed),
  );
  const mode = op.cli?.mode;
  if (mode) {
    const modeField = fields.find(([key, f]) => !isPositional(f) && flagName(key, f) === mode);
    if (modeField) {
      const [key, field] = modeField;
      words.push(`--${mode}`, shownValue(args[key] ?? flagPlaceholder(key, field)));
      delete args[key];
    } else {
      words.push(`--${mode}`);
    }
  }
  for (const [key, field] of fields) {
    if (!isPositional(field)) continue;
    const value = args[key];
    delete args[key];
    if (value !== undefined) words.push(shownValue(value));
    else if (field.required) words.push(positionalPlaceholder(key, field));
  }
  for (const [key, value] of Object.entries(args)) {
    const field = op.input[key];
    if (!field || field.cli === false) continue;
    words.push(...flagWords(flagOf(key, field), value));
  }
  for (const [key, field] of fields) {
    if (!field.required || isPositional(field) || key in ref.args || flagOf(key, field) === mode)
      continue;
    words.push(`--${flagOf(key, field)}`, flagPlaceholder(key, field));
  }
  return words.join(" ");
}

/**
 * The path of an operation with variants that a reference means: one whose fixed fields it gives
 * (`journal next` for kind next), else one it does not contradict; the main path first.
 */
function variantFor(op: CommandShape, args: Readonly<Record<string, RefValue>>) {
  const variants = op.cli === false ? [] : (op.cli?.variants ?? []);
  const main = cliPath(op).join(" ");
  const ordered = [...variants].sort(
    (a, b) => Number(b.path.join(" ") === main) - Number(a.path.join(" ") === main),
  );
  const fixed = (v: (typeof variants)[number], loose: boolean) =>
    Object.entries(v.fixed).every(([k, x]) => args[k] === x || (loose && args[k] === undefined));
  return ordered.find((v) => fixed(v, false)) ?? ordered.find((v) => fixed(v, true));
}

/** The flag a field is given by: its own, or its file flag when that is the only way. */
function flagOf(key: string, field: Field): string {
  const cli = field.cli === false ? undefined : field.cli;
  return cli?.file?.only ? cli.file.flag : flagName(key, field);
}

function flagWords(flag: string, value: RefValue): string[] {
  if (value === false) return [];
  if (value === true) return [`--${flag}`];
  return [`--${flag}`, shownValue(value)];
}

function positionalPlaceholder(key: string, field: Field): string {
  const value = field.cli === false ? undefined : field.cli?.value;
  return value ?? `<${key.replaceAll("_", "-")}>`;
}

function flagPlaceholder(key: string, field: Field): string {
  const cli = field.cli === false ? undefined : field.cli;
  if (cli?.file?.only) return cli.file.value ?? "<file>";
  return cli?.value ?? `<${key.replaceAll("_", "-")}>`;
}

/** A value as a shell word: a plain word or placeholder as it is, anything else quoted. */
function shownValue(value: RefValue): string {
  if (isProse(value)) return `"${value.prose}"`;
  const text = String(value);
  return /^[\w@./:=,+%-]+$/.test(text) || /^<[^<>\s]+>$/.test(text) ? text : JSON.stringify(text);
}
