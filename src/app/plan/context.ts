import type { ContextPackage } from "../../core/plan/context-package.ts";
import type { ConflictDetection } from "../../core/plan/context-risk.ts";
import { writeJson } from "../../store/files.ts";
import { contextPath, readContextPackage } from "../../store/plan-files.ts";
import type { Workspace } from "../../store/workspace.ts";
import type { AppContext } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { requirePlan } from "../planning/topics.ts";
import { buildContextPackage, renderContextNotes } from "./context-package.ts";
import { PLAN_ID } from "./id.ts";
import { notesPath } from "./notes.ts";
import { runPhase } from "./phase.ts";

export interface PlanContextResult {
  plan: string;
  /** True when an existing package was reused (no --refresh). */
  reused: boolean;
  context_package: string;
  planning_notes: string;
  risk_level: ConflictDetection["risk_level"];
  risk_factors: string[];
  assets: number;
  files_listed: number;
  files_read: number;
  duration_ms: number;
  files_per_second: number;
}

/**
 * `baton plan context <plan-id> [--refresh]`: phase 2. Scans the repository, ranks files by the
 * plan's keywords, reads manifests, imports and the session's spikes, weighs the conflict risk,
 * and writes context-package.json and the notes' Context Findings section.
 */
export async function planContext(
  ctx: AppContext,
  input: { plan: string; refresh?: boolean },
): Promise<PlanContextResult> {
  const { ws } = ctx;
  const plan = requirePlan(ws, input.plan);
  return runPhase<PlanContextResult>(ctx, plan.id, "context", () => {
    const existing = input.refresh ? null : readContextPackage(ws, plan.id);
    if (existing) return { state: "completed", result: contextResult(ws, existing, null) };
    const t0 = performance.now();
    const pkg = buildContextPackage(ctx, plan);
    const duration = performance.now() - t0;
    writeJson(ws, contextPath(ws, plan.id), pkg as unknown as { schema_version: number });
    return {
      state: "completed",
      steps: { scan: "completed", rank: "completed", risk: "completed" },
      notes: { context: renderContextNotes(pkg) },
      result: contextResult(ws, pkg, duration),
    };
  });
}

/** What phase 2 reports: a package just built (with its scan time) or reused (`duration` null). */
function contextResult(
  ws: Workspace,
  pkg: ContextPackage,
  duration: number | null,
): PlanContextResult {
  const plan = pkg.metadata.plan;
  const listed = pkg.metadata.scan.files_listed;
  return {
    plan,
    reused: duration === null,
    context_package: ws.rel(contextPath(ws, plan)),
    planning_notes: ws.rel(notesPath(ws, plan)),
    risk_level: pkg.conflict_detection.risk_level,
    risk_factors: pkg.conflict_detection.risk_factors,
    assets: Object.values(pkg.assets).reduce((n, a) => n + a.length, 0),
    files_listed: listed,
    files_read: pkg.metadata.scan.files_read,
    duration_ms: duration === null ? 0 : Math.round(duration),
    files_per_second:
      duration === null ? 0 : duration > 0 ? Math.round((listed / duration) * 1000) : listed,
  };
}

export const planContextOp = defineOperation({
  name: "plan context",
  summary: "phase 2: scan the repository for the plan; write context-package.json",
  description:
    "A deterministic scan of the repository (git ls-files, so .gitignore is respected; a plain walk outside git skipping node_modules, dist and dot-folders; files over 256 KB and binaries are listed but not read): the tech stack and external dependencies from manifests (package.json, Cargo.toml, go.mod, pyproject.toml, requirements.txt, pom.xml, Gemfile…), files ranked by relevance to the keywords of the plan's title and plan.md, tests, documentation and configuration, TS/JS imports, and the active session's spikes summarised. The conflict risk (none|low|medium|high) weighs other open plans' task files and specs' tasks.md naming the same files, uncommitted changes in them, and public API or data model files (index, exports, api, schema, model, migration). Written to the plan topic's context-package.json ({schema_version, metadata, project_context, assets, dependencies, conflict_detection, prioritized_context}) and the Context Findings (Phase 2) section of planning-notes.md. An existing package is reused unless --refresh. Needs phase 1 (structure) completed; marks phase 2 completed, or records the failure.",
  examples: [
    "baton plan context plan-oauth-rollout",
    "baton plan context plan-oauth-rollout --refresh --json",
  ],
  access: "write",
  input: {
    plan_id: PLAN_ID,
    refresh: { type: "boolean", description: "rescan even when a context package exists" },
  },
  tool: {
    description:
      "Phase 2: scan the repository for the plan (tech stack, relevance-ranked files, tests, docs, dependencies, spikes, conflict risk); writes context-package.json. An existing package is reused unless refresh.",
  },
  run(env, input): Promise<PlanContextResult> {
    return planContext(env.context(), { plan: input.plan_id, refresh: input.refresh === true });
  },
});
