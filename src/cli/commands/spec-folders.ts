import type { CommandSpec } from "../spec.ts";

/** `baton spec setup|activate|deactivate|status|list|update-branch|switch|migrate`. */
export const specFolderCommands: CommandSpec[] = [];
