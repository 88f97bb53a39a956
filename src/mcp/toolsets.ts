import { DEFAULT_TOOLSETS } from "../app/toolsets.ts";
import type { ToolDef } from "./tools.ts";

/** The tools of the toolsets named (default: the compact everyday set). */
export function selectTools(
  tools: readonly ToolDef[],
  toolsets: readonly string[] | undefined,
): ToolDef[] {
  const wanted = new Set(toolsets ?? DEFAULT_TOOLSETS);
  return tools.filter((t) => wanted.has(t.toolset));
}
