/**
 * The commands the CLI defines itself, beside those derived from operations: `spec switch` (a
 * prompt on a terminal), `mcp` (a protocol on stdio) and `serve` (a server on a port). Each is in its own module so a one-word
 * bundle (src/cli/word.ts) loads only its word's.
 */
import type { CommandSpec } from "../spec.ts";
import { mcpCommand } from "./mcp.ts";
import { serveCommand } from "./serve.ts";
import { withSpecSwitch } from "./spec-switch.ts";

export function ownCommands(derived: readonly CommandSpec[]): CommandSpec[] {
  return [...withSpecSwitch(derived), mcpCommand, serveCommand];
}
