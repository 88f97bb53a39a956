import type { AnyOperation } from "../operation.ts";
import { initOperation } from "./init.ts";
import { workspaceStatus } from "./status.ts";

export const WORKSPACE_OPERATIONS: readonly AnyOperation[] = [initOperation, workspaceStatus];
