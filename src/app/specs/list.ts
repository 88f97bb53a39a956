import { cmd } from "../../core/command-ref.ts";
import { BatonError } from "../../core/errors.ts";
import {
  findStatusFolders,
  planningPath,
  readActiveRaw,
  readStatusForMigration,
} from "../../store/spec-folders.ts";
import { activeSpecMarker } from "../../store/specs.ts";
import type { Workspace } from "../../store/workspace.ts";
import type { AppContext } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { applyApprovalRule } from "./approval.ts";
import { activeOrNull, loadSpec, type SpecSummary, summary } from "./folder.ts";

export interface ListProblem {
  folder: string;
  code: string;
  message: string;
  hint: string;
}

export interface SpecListResult {
  active: string | null;
  specs: SpecSummary[];
  /** Planning folders that could not be listed as specs, and a stale `.active`. */
  problems: ListProblem[];
}

export const listOperation = defineOperation({
  name: "spec list",
  summary: "every spec: name, stage, branch hint, spec path; * marks the active one",
  examples: ["baton spec list", "baton spec list --json"],
  access: "read",
  input: {},
  tool: {
    description: "Every spec with its stage, branch hint and the active marker (paged).",
    // Paged as rows beside `active` and `problems` by the tool's view (src/mcp/views/specs.ts).
    cut: ["specs"],
  },
  run: (env) => listSpecs(env.context()),
});

/** `baton spec list`: every spec with its stage, branch hint and the active marker. */
export async function listSpecs(ctx: AppContext): Promise<SpecListResult> {
  const { ws } = ctx;
  const problems: ListProblem[] = [];
  const rawActive = readActiveRaw(ws);
  const active = activeOrNull(ws);
  const specs: SpecSummary[] = [];
  for (const folder of findStatusFolders(ws)) {
    const shown = ws.rel(planningPath(ws, folder));
    try {
      const status = loadSpec(ws, folder);
      const { status: fresh } = await applyApprovalRule(ctx, status);
      specs.push(summary(ws, fresh, active));
    } catch (error) {
      if (!(error instanceof BatonError)) throw error;
      problems.push({ folder: shown, ...misplaced(ws, folder, error) });
    }
  }
  if (rawActive !== null && !specs.some((s) => s.name === rawActive)) {
    problems.push({
      folder: ws.rel(activeSpecMarker(ws)),
      code: "SPEC_NOT_FOUND",
      message: `the active spec ${JSON.stringify(rawActive)} is not a spec here`,
      hint: `activate another (${cmd("spec activate", { name: "<name>" })}) or clear it: ${cmd("spec deactivate")}`,
    });
  }
  return { active, specs, problems };
}

/** A folder that is not a listable spec: named after a branch, or holding a bad status.yaml. */
function misplaced(ws: Workspace, folder: string, error: BatonError): Omit<ListProblem, "folder"> {
  try {
    const { record, legacy } = readStatusForMigration(ws, folder);
    if (legacy) {
      return {
        code: "STATE_CONFLICT",
        message: `folder ${folder} holds a status.yaml of the old branch-folder layout (spec ${JSON.stringify(record.name)}, no schema_version)`,
        hint: `upgrade it with: ${cmd("spec migrate")} (${cmd("spec migrate", { dry_run: true })} shows what it would do)`,
      };
    }
    const name = record.name;
    if (typeof name === "string" && name !== folder) {
      return {
        code: "STATE_CONFLICT",
        message: `folder ${folder} holds the spec ${JSON.stringify(name)}; planning folders are named after their spec`,
        hint: `run ${cmd("spec migrate")} (${cmd("spec migrate", { dry_run: true })} shows what it would do)`,
      };
    }
  } catch {
    // fall through to the original error
  }
  return { code: error.code, message: error.message, hint: error.hint };
}
