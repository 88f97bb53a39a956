import { type CommandSpec, GLOBAL_OPTIONS, type OptionSpec } from "./spec.ts";
import { canonicalWord } from "./table.ts";

function optionLine(o: OptionSpec): string {
  const flag = o.name.length === 1 ? `-${o.name}` : `--${o.name}`;
  const short = o.short ? `-${o.short}, ` : "";
  return `${`${short}${flag}${o.value ? ` ${o.value}` : ""}`.padEnd(34)} ${o.description}`;
}

export function usageOf(c: CommandSpec): string {
  const args = (c.positionals ?? []).map((p) => (p.required ? `<${p.name}>` : `[<${p.name}>]`));
  return ["baton", ...c.path, ...args, (c.options ?? []).length > 0 ? "[options]" : ""]
    .filter(Boolean)
    .join(" ");
}

export function commandHelp(c: CommandSpec): string {
  const lines = [`${usageOf(c)}`, "", c.summary];
  if (c.description) lines.push("", c.description);
  if (c.positionals?.length) {
    lines.push("", "Arguments:");
    for (const p of c.positionals)
      lines.push(
        `  ${`<${p.name}>`.padEnd(34)} ${p.description}${p.required ? "" : " (optional)"}`,
      );
  }
  if (c.options?.length) {
    lines.push("", "Options:");
    for (const o of c.options) lines.push(`  ${optionLine(o)}`);
  }
  lines.push("", "Global options:");
  for (const o of GLOBAL_OPTIONS) lines.push(`  ${optionLine(o)}`);
  lines.push("", "Examples:");
  for (const e of c.examples) lines.push(`  ${e}`);
  return lines.join("\n");
}

export function groupHelp(commands: readonly CommandSpec[], word: string): string {
  const group = canonicalWord(word);
  const members = commands.filter((c) => c.path[0] === group && c.path.length > 1);
  return [
    `baton ${group} <command>`,
    ...(group !== word
      ? ["", `baton ${word} is another name for baton ${group}: the same commands and flags.`]
      : []),
    "",
    "Commands:",
    ...members.map((c) => `  ${c.path.join(" ").padEnd(24)} ${c.summary}`),
    "",
    "Examples:",
    ...members.flatMap((c) => c.examples.slice(0, 1).map((e) => `  ${e}`)),
    "",
    `Run baton ${group} <command> --help for details.`,
  ].join("\n");
}

export function mainHelp(commands: readonly CommandSpec[], version: string): string {
  return [
    `baton ${version} — planning memory and coordination for AI coding agents`,
    "",
    "Usage: baton [-C <dir>] [--json] [--quiet] <command> [args]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.path.join(" ").padEnd(24)} ${c.summary}`),
    "",
    "Global options:",
    ...GLOBAL_OPTIONS.map((o) => `  ${optionLine(o)}`),
    "",
    "Lifecycle: seed -> spike(s) -> plan -> backlog. Start with:",
    "  baton init",
    '  baton seed "OAuth login"',
    "",
    "Exit codes: 0 ok, 1 internal, 2 usage, 3 not found, 4 state conflict, 5 bad data, 6 busy, 7 i/o.",
    "Run baton <command> --help for a command's options and examples.",
  ].join("\n");
}
