import { type AnyOperation, inToolset } from "../operation.ts";
import { activateOperation } from "./activate.ts";
import { approveOperation } from "./approve.ts";
import { completeOperation } from "./complete.ts";
import { deactivateOperation } from "./deactivate.ts";
import { lintOperation } from "./lint.ts";
import { listOperation } from "./list.ts";
import { migrateOperation } from "./migrate.ts";
import { newOperation } from "./new.ts";
import { rejectOperation } from "./reject.ts";
import { requestChangesOperation } from "./request-changes.ts";
import { setupOperation } from "./setup.ts";
import { startOperation } from "./start.ts";
import { statusOperation } from "./status.ts";
import { submitOperation } from "./submit.ts";
import { traceOperation } from "./trace.ts";
import { updateBranchOperation } from "./update-branch.ts";

/** The `baton spec …` verbs (also `baton planning …`), in `baton --help` order. */
export const SPEC_OPERATIONS: readonly AnyOperation[] = inToolset("specs", [
  setupOperation,
  activateOperation,
  deactivateOperation,
  statusOperation,
  listOperation,
  updateBranchOperation,
  migrateOperation,
  newOperation,
  lintOperation,
  traceOperation,
  submitOperation,
  approveOperation,
  rejectOperation,
  requestChangesOperation,
  startOperation,
  completeOperation,
]);
