import { type AnyOperation, inToolset } from "../operation.ts";
import { initOperation } from "./init.ts";
import { workspaceStatus } from "./status.ts";

export const WORKSPACE_OPERATIONS: readonly AnyOperation[] = inToolset("journal", [
  initOperation,
  workspaceStatus,
]);
