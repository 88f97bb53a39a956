import type { CommandSpec } from "../spec.ts";

/** `baton spec new|lint|trace` and the approval gate: `submit|approve|reject|request-changes|start|complete`. */
export const specDocCommands: CommandSpec[] = [];
