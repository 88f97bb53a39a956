/**
 * One declaration per verb. An operation names itself, says whether it reads or writes, declares
 * its input fields (src/core/fields.ts) and runs. The CLI derives its command, flags, parsing and
 * help from it (src/cli/derive.ts), the MCP server its tool, schema, checks and paging
 * (src/mcp/derive.ts), and the HTTP API its route; no face keeps a list of its own to be held in
 * step. What differs between faces is declared here too, as data: a CLI path shared by several
 * operations (`seed --sessions`), a tool's paged lists, a field one face does not take.
 */
import type { ErrorCode } from "../core/errors.ts";
import type { Fields, InputOf } from "../core/fields.ts";
import type { AppContext } from "./context.ts";

/** What an operation runs with, whichever face called it. */
export interface OpEnv {
  /** The folder the request is about (the CLI's working folder or `-C`, the server's root). */
  cwd: string;
  /** The workspace, opened on first use: `init` and a lint of a path need none. */
  context(): AppContext;
  notice(message: string): void;
  now(): Date;
  /**
   * An agent over a tool protocol: a path it names must lie inside the workspace. A person on
   * the command line may name any file.
   */
  confined: boolean;
  /**
   * How the face prints the result: `json` (the CLI's `--json`, every tool) or `text`. A result
   * that fits itself to a size (resume's token budget) measures the form it is printed in.
   */
  output: "json" | "text";
}

export interface CliSurface {
  /** The command's words; default: the operation's name split on spaces. */
  path?: readonly string[];
  /**
   * Several operations on one path (`seed`, `seed --sessions`, `seed --resume <id>`): this one
   * runs when the named flag is given. The flag is the field of that name, or a boolean.
   */
  mode?: string;
  /**
   * More paths for the same operation, each fixing some fields (`journal note` → kind note), with
   * its own summary and examples when the path means something narrower than the operation.
   */
  variants?: readonly CliVariant[];
  /**
   * Fields the CLI's `--json` answer starts with, saying which of the operations sharing a path
   * ran (`seed --sessions` answers `{action: "sessions", …}`); a script reading one command's
   * output can tell them apart. Tools, one per operation, need no such field.
   */
  tag?: Readonly<Record<string, unknown>>;
  /**
   * A result that is printed yet means failure (`spec lint` findings): the code it fails with,
   * whose class the face maps (the CLI's exit code); null when it is a success.
   */
  failure?: (result: never) => ErrorCode | null;
}

export interface CliVariant {
  path: readonly string[];
  fixed: Readonly<Record<string, unknown>>;
  summary?: string;
  examples?: readonly string[];
}

export interface ToolSurface {
  /** The tool's name; default: the CLI words joined by `_` (`ticket set-status` → `ticket_set_status`). */
  name?: string;
  /** What an agent reads in tools/list; default: the summary. */
  description?: string;
  /**
   * Result lists that grow with the work: the tool takes `limit`/`offset` and pages each of them
   * alike, saying in `page.total` how many rows each has (the CLI prints them whole). An
   * operation that pages at its source (`ticket list`) declares `limit`/`offset` fields instead,
   * and names its list in `cut` only.
   */
  pageLists?: readonly string[];
  /** Lists the size cap may cut, with `next_offset` to go on; default: `pageLists`. */
  cut?: readonly string[];
  /** How to get what the size cap cut, when paging is not the way. */
  more?: string;
  /** The toolset it belongs to (`baton mcp --tools`); default: its noun's. */
  toolset?: string;
}

export interface Operation<S extends Fields = Fields, R = unknown> {
  /** The verb as people type it: `ticket set-status`. Unique. */
  name: string;
  summary: string;
  description?: string;
  /** CLI examples for `--help`. */
  examples: readonly string[];
  access: "read" | "write";
  input: S;
  /** false: no CLI command (a tool only). */
  cli?: CliSurface | false;
  /** false: not offered as a tool, with the reason in `withoutTool`. */
  tool?: ToolSurface | false;
  /** Why an operation is not a tool (it creates the workspace the server runs in…). */
  withoutTool?: string;
  run(env: OpEnv, input: InputOf<S>): R | Promise<R>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds operations of every shape.
export type AnyOperation = Operation<Fields, any>;

/** Declares an operation; the identity function, there for the types. */
export function defineOperation<const S extends Fields, R>(op: Operation<S, R>): Operation<S, R> {
  return op;
}

/**
 * The CLI words of an operation's main path: its `path`; with variants, the one spelled like
 * the operation's name (`journal show` of `journal`, `journal show`), else the first
 * (`journal note` of `journal add`); else the name's words.
 */
export function cliPath(op: Pick<AnyOperation, "name" | "cli">): readonly string[] {
  const named = op.name.split(" ");
  if (op.cli === false) return named;
  if (op.cli?.path) return op.cli.path;
  const variants = op.cli?.variants ?? [];
  const same = variants.find((v) => v.path.join(" ") === op.name);
  return same?.path ?? variants[0]?.path ?? named;
}

/** The tool name of an operation, or null when it is not a tool. */
export function toolName(op: AnyOperation): string | null {
  if (op.tool === false) return null;
  return op.tool?.name ?? cliPath(op).join("_").replaceAll("-", "_");
}

/** A noun's operations, each tool of them in the noun's toolset unless it names its own. */
export function inToolset(toolset: string, ops: readonly AnyOperation[]): readonly AnyOperation[] {
  return ops.map((op) =>
    op.tool === false ? op : { ...op, tool: { ...op.tool, toolset: op.tool?.toolset ?? toolset } },
  );
}
