/**
 * The commands the CLI defines itself, beside those derived from operations: `spec switch` (a
 * prompt on a terminal) and `mcp` (a protocol on stdio). Each is in its own module so a one-word
 * bundle (src/cli/word.ts) loads only its word's.
 */
import type { CommandSpec } from "../spec.ts";
import { mcpCommand } from "./mcp.ts";
import { withSpecSwitch } from "./spec-switch.ts";

export function ownCommands(derived: readonly CommandSpec[]): CommandSpec[] {
  return [...withSpecSwitch(derived), mcpCommand];
}
