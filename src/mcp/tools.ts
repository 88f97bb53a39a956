import type { AppContext } from "../app/context.ts";
import { OPERATIONS } from "../app/operations.ts";
import type { JsonSchema } from "../core/fields.ts";
import { deriveTools } from "./derive.ts";

/** What a tool's handler receives besides its arguments. */
export interface ToolEnv {
  ctx: AppContext;
  cwd: string;
  notice(message: string): void;
}

export interface ToolDef {
  name: string;
  /** The CLI command it mirrors (`ticket set-status`); its inputs are that command's arguments. */
  cli: string;
  title: string;
  description: string;
  /** The JSON Schema of its arguments, as tools/list advertises it. */
  input: JsonSchema;
  /** The toolset it belongs to (`baton mcp --tools`). */
  toolset: string;
  /** Reads only: MCP clients may call it without asking the user. */
  readOnly: boolean;
  /** Result lists that `offset` pages (dotted paths), so a cut there says where to go on. */
  pages?: readonly string[];
  /** How to get what the size cap cut from a result, when paging is not the way. */
  more?: string;
  /** Checks the arguments: the operation's own field checks. */
  check: (args: Record<string, unknown>) => Record<string, unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: arguments are checked by `check` first.
  run(env: ToolEnv, args: any): unknown;
}

/**
 * Every MCP tool, derived from the operation declarations (src/app/operations.ts): names follow
 * the CLI's words (`baton ticket set-status` is `ticket_set_status`), and errors carry the CLI's
 * codes. Nothing is listed here by hand.
 */
export const TOOLS: ToolDef[] = deriveTools(OPERATIONS);
