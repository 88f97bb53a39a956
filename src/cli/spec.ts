import type { AppContext } from "../app/context.ts";

export interface OptionSpec {
  name: string;
  short?: string;
  type: "string" | "boolean";
  /** Placeholder shown in help for a string option, e.g. `<file>`. */
  value?: string;
  /** A string option that may be given more than once; its value is then a list. */
  multiple?: boolean;
  description: string;
}

export interface PositionalSpec {
  name: string;
  required: boolean;
  description: string;
}

export interface GlobalFlags {
  cwd: string;
  json: boolean;
  quiet: boolean;
}

export interface Invocation {
  flags: GlobalFlags;
  options: Record<string, string | string[] | boolean | undefined>;
  positionals: string[];
  /** Opens the workspace lazily: `init` runs without one. */
  context(): AppContext;
  notice(message: string): void;
  /** Writes to stdout at once, for a command that goes on running (`baton serve` says where). */
  print?(text: string): void;
}

/** One verb of the CLI: its words, its flags, and how to run and print it. */
export interface CommandSpec {
  path: string[];
  summary: string;
  description?: string;
  positionals?: PositionalSpec[];
  options?: OptionSpec[];
  examples: string[];
  run(inv: Invocation): Promise<unknown> | unknown;
  /** Human-readable output; `--json` prints the run result instead. */
  render(result: never): string;
  /**
   * Exit code for a result that was printed but is a failure (`spec lint` finding errors prints
   * its findings and exits non-zero). Absent: 0.
   */
  exitCode?(result: never): number;
  /** The command speaks its own protocol on stdout (`baton mcp`): nothing is printed after it. */
  noOutput?: boolean;
}

export function defineCommand<R>(
  spec: Omit<CommandSpec, "run" | "render"> & {
    run(inv: Invocation): Promise<R> | R;
    render(result: R): string;
    exitCode?(result: R): number;
  },
): CommandSpec {
  return spec as unknown as CommandSpec;
}

export const GLOBAL_OPTIONS: OptionSpec[] = [
  { name: "C", type: "string", value: "<dir>", description: "run as if started in <dir>" },
  {
    name: "json",
    type: "boolean",
    description: "print one JSON document on stdout (also for errors)",
  },
  { name: "quiet", short: "q", type: "boolean", description: "no notices on stderr" },
  { name: "help", short: "h", type: "boolean", description: "show help" },
  { name: "version", short: "V", type: "boolean", description: "print the version" },
];
