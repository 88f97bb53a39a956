import { type PlanConflictsResult, planConflicts } from "../../app/plan-conflicts.ts";
import { type PlanContextResult, planContext } from "../../app/plan-context.ts";
import { BatonError } from "../../core/errors.ts";
import { type CommandSpec, defineCommand } from "../spec.ts";
import { onlyPlanId, PLAN_ID, readInputText } from "./inputs.ts";

function readResolutions(cwd: string, from: string): unknown {
  const text = readInputText(cwd, from, "--resolutions");
  try {
    return JSON.parse(text);
  } catch {
    throw new BatonError(
      "INVALID_INPUT",
      `${from === "-" ? "stdin" : from} is not valid JSON`,
      'give a JSON array: [{"id": "CONF-1", "strategy": "sequence_after", "note": "..."}]',
    );
  }
}

export const planContextCommand = defineCommand<PlanContextResult>({
  path: ["plan", "context"],
  summary: "phase 2: scan the repository for the plan; write context-package.json",
  description:
    "A deterministic scan of the repository (git ls-files, so .gitignore is respected; a plain walk outside git skipping node_modules, dist and dot-folders; files over 256 KB and binaries are listed but not read): the tech stack and external dependencies from manifests (package.json, Cargo.toml, go.mod, pyproject.toml, requirements.txt, pom.xml, Gemfile…), files ranked by relevance to the keywords of the plan's title and plan.md, tests, documentation and configuration, TS/JS imports, and the active session's spikes summarised. The conflict risk (none|low|medium|high) weighs other open plans' task files and specs' tasks.md naming the same files, uncommitted changes in them, and public API or data model files (index, exports, api, schema, model, migration). Written to the plan topic's context-package.json ({schema_version, metadata, project_context, assets, dependencies, conflict_detection, prioritized_context}) and the Context Findings (Phase 2) section of planning-notes.md. An existing package is reused unless --refresh. Needs phase 1 (structure) completed; marks phase 2 completed, or records the failure.",
  positionals: [PLAN_ID],
  options: [
    { name: "refresh", type: "boolean", description: "rescan even when a context package exists" },
  ],
  examples: [
    "baton plan context plan-oauth-rollout",
    "baton plan context plan-oauth-rollout --refresh --json",
  ],
  run: (inv) =>
    planContext(inv.context(), {
      plan: onlyPlanId(inv, "baton plan context <plan-id> [--refresh]"),
      refresh: inv.options.refresh === true,
    }),
  render: (r) =>
    [
      `${r.reused ? "Reused" : "Wrote"} ${r.context_package} for ${r.plan}: ${r.assets} assets${r.reused ? "" : `, ${r.files_listed} files listed, ${r.files_read} read in ${r.duration_ms} ms`}`,
      `Conflict risk: ${r.risk_level}`,
      ...r.risk_factors.map((f) => `  - ${f}`),
      `Notes: ${r.planning_notes}`,
      ...(r.risk_level === "medium" || r.risk_level === "high"
        ? [`Next: baton plan conflicts ${r.plan}`]
        : [`Next: baton plan conflicts ${r.plan} (it will be skipped)`]),
    ].join("\n"),
});

export const planConflictsCommand = defineCommand<PlanConflictsResult>({
  path: ["plan", "conflicts"],
  summary: "phase 3: list the plan's conflicts; record the agent's resolutions",
  description:
    'Runs only when the context package\'s risk is medium or high; otherwise the phase is marked skipped. Lists each conflict {id, brief, severity, category, affected_files, strategies, recommended} derived from context-package.json (categories: concurrent_plan, spec_overlap, uncommitted_changes, public_api). With --resolutions (a JSON array [{"id": "CONF-1", "strategy": "sequence_after", "note": "..."}], - for stdin) or --recommended (--yes), every conflict must be decided with one of its strategies: unknown ids or strategies, duplicates and undecided conflicts refuse the whole input with INVALID_INPUT and change nothing. The decisions go to conflict-resolution.json and the Conflict Decisions (Phase 3) section of planning-notes.md, and the phase is completed. Needs phase 2 completed.',
  positionals: [PLAN_ID],
  options: [
    {
      name: "resolutions",
      type: "string",
      value: "<file>",
      description: "the decisions: JSON [{id, strategy, note?}] (- for stdin)",
    },
    {
      name: "recommended",
      type: "boolean",
      description: "take every conflict's recommended strategy",
    },
    { name: "yes", short: "y", type: "boolean", description: "same as --recommended" },
  ],
  examples: [
    "baton plan conflicts plan-oauth-rollout",
    "baton plan conflicts plan-oauth-rollout --resolutions decisions.json",
    "baton plan conflicts plan-oauth-rollout --recommended",
  ],
  run: (inv) => {
    const plan = onlyPlanId(
      inv,
      "baton plan conflicts <plan-id> [--resolutions <file> | --recommended]",
    );
    const from = inv.options.resolutions;
    const recommended = inv.options.recommended === true || inv.options.yes === true;
    // With --recommended too, the file is not read: planConflicts refuses the pair first.
    const given = typeof from === "string";
    return planConflicts(inv.context(), {
      plan,
      resolutions: given ? (recommended ? null : readResolutions(inv.flags.cwd, from)) : undefined,
      recommended,
    });
  },
  render: (r) => {
    if (r.action === "skipped") {
      return `Skipped phase 3 of ${r.plan}: conflict risk is ${r.risk_level} (below medium).`;
    }
    const chosen = new Map(r.resolutions.map((x) => [x.id, x]));
    const lines = [
      r.action === "resolved"
        ? `Recorded ${r.resolutions.length} decisions for ${r.plan} (${r.conflict_resolution})`
        : `${r.conflicts.length} conflicts in ${r.plan} (risk ${r.risk_level}):`,
    ];
    for (const c of r.conflicts) {
      const d = chosen.get(c.id);
      lines.push(
        `  ${c.id.padEnd(7)} ${c.severity.padEnd(6)} ${c.category}: ${c.brief}`,
        `          files: ${c.affected_files.join(", ")}`,
        d
          ? `          decided: ${d.strategy}${d.note ? ` (${d.note})` : ""}`
          : `          strategies: ${c.strategies.join(", ")} (recommended: ${c.recommended})`,
      );
    }
    if (r.action === "listed") {
      lines.push(
        `Decide with: baton plan conflicts ${r.plan} --resolutions <file> (or --recommended)`,
      );
    }
    return lines.join("\n");
  },
});

export const planContextCommands: CommandSpec[] = [planContextCommand, planConflictsCommand];
