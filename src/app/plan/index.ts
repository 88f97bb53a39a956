import { type AnyOperation, inToolset } from "../operation.ts";
import { planConflictsOp } from "./conflicts.ts";
import { planContextOp } from "./context.ts";
import { planNextOp } from "./next.ts";
import { planRunOp } from "./run.ts";
import { planStatusOp } from "./status.ts";
import { planTaskOp } from "./task.ts";
import { planTasksOp } from "./tasks.ts";
import { planVerifyOp } from "./verify.ts";

/** The plan workflow's verbs (`baton plan <verb>`), in the order `baton --help` lists them. */
export const PLAN_OPERATIONS: readonly AnyOperation[] = inToolset("plan", [
  planTasksOp,
  planTaskOp,
  planVerifyOp,
  planNextOp,
  planStatusOp,
  planRunOp,
  planContextOp,
  planConflictsOp,
]);
