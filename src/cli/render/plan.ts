import type { PlanConflictsResult } from "../../app/plan/conflicts.ts";
import type { PlanContextResult } from "../../app/plan/context.ts";
import type { NextResult } from "../../app/plan/next.ts";
import type { PlanRunResult } from "../../app/plan/run.ts";
import type { PlanStatusResult } from "../../app/plan/status.ts";
import type { PlanTaskResult } from "../../app/plan/task.ts";
import type { PlanTasksResult } from "../../app/plan/tasks.ts";
import type { VerifyResult } from "../../app/plan/verify.ts";
import type { PlanNextStep } from "../../core/plan/next-steps.ts";
import type { PhaseRecord } from "../../core/plan/phases.ts";
import type { Render } from "../derive.ts";
import { table } from "../style.ts";

/** The steps offered after phase 4, one line each. */
function renderNextSteps(steps: readonly PlanNextStep[]): string[] {
  return [
    "Next steps:",
    ...steps.map((s) => `  ${s.step.padEnd(8)} ${s.command}  — ${s.description}`),
  ];
}

function stepsOf(record: PhaseRecord): string {
  const steps = Object.entries(record.steps).map(([name, state]) => `${name}:${state}`);
  return steps.length === 0 ? "-" : steps.join(" ");
}

function phaseTable(phases: PlanStatusResult["phases"]): string {
  return table([
    ["PHASE", "STATE", "STEPS", "ERROR"],
    ...phases.map((p) => [
      p.phase,
      p.state,
      stepsOf(p),
      p.error ? `${p.error.code}: ${p.error.message}` : "-",
    ]),
  ]);
}

export function renderPlanTasks(r: PlanTasksResult): string {
  return [
    `${r.action === "imported" ? "Wrote" : "Regenerated views for"} ${r.tasks.length} tasks of ${r.plan} (${r.task_dir}, ${r.impl_plan}, ${r.todo_list})`,
    ...r.tasks.map(
      (t) =>
        `  ${t.id.padEnd(10)} ${t.status.padEnd(11)} ${t.title}${t.depends_on.length ? `  (after ${t.depends_on.join(", ")})` : ""}`,
    ),
    ...renderNextSteps(r.next_steps),
  ].join("\n");
}

export function renderPlanTask(r: PlanTaskResult): string {
  const t = r.task;
  const head = r.changed ? `${t.ref}: ${r.previous} -> ${t.status}` : `${t.ref}  ${t.status}`;
  const lines = [head, `title:        ${t.title}`];
  if (t.description) lines.push(`description:  ${t.description}`);
  lines.push(
    `depends on:   ${t.depends_on.join(", ") || "none"}`,
    `files:        ${t.files.join(", ") || "none"}`,
    `requirements: ${t.requirements.join(", ") || "none"}`,
    "acceptance:",
    ...(t.acceptance.length ? t.acceptance.map((a) => `  - ${a}`) : ["  - (none)"]),
  );
  if (r.ticket) {
    lines.push(
      r.ticket.changed
        ? `ticket:       ${r.ticket.id}: ${r.ticket.previous} -> ${r.ticket.status}`
        : `ticket:       ${r.ticket.id} (${r.ticket.status})`,
    );
  } else lines.push("ticket:       none yet (baton backlog makes one per task)");
  return lines.join("\n");
}

export function renderPlanVerify(r: VerifyResult): string {
  return [
    `${r.ok ? "OK" : "FAILED"}: ${r.plan}: ${r.tasks} tasks, ${r.errors} errors, ${r.warnings} warnings (${r.verification_json})`,
    ...r.findings.map(
      (f) => `${f.task ?? r.plan}: ${f.severity} ${f.code}: ${f.message}\n    hint: ${f.hint}`,
    ),
  ].join("\n");
}

export function renderPlanNext(r: NextResult): string {
  return [
    r.next.length === 0
      ? `No task of ${r.plan} is ready (${r.done}/${r.total} done).`
      : `Ready in ${r.plan} (${r.done}/${r.total} done):`,
    ...r.next.map((t) => `  ${t.id.padEnd(10)} ${t.title}`),
    ...(r.held.length > 0 ? ["Held back by a sequence_after decision:"] : []),
    ...r.held.map(
      (h) =>
        `  ${h.id.padEnd(10)} ${h.title}  (after ${h.after}, ${h.conflict}: ${h.files.join(", ")})`,
    ),
  ].join("\n");
}

export function renderPlanStatus(r: PlanStatusResult): string {
  return [
    `${r.plan}: ${r.current ? `at phase ${r.current}` : "every phase done"} (${r.workflow})`,
    phaseTable(r.phases),
  ].join("\n");
}

export function renderPlanRun(r: PlanRunResult): string {
  return [
    r.stopped_at ? `${r.plan}: stopped at phase ${r.stopped_at}` : `${r.plan}: every phase done`,
    phaseTable(r.phases),
    ...(r.need ? [`Needed: ${r.need}`] : []),
    ...(r.next_steps.length > 0
      ? renderNextSteps(r.next_steps)
      : r.next_command
        ? [`Next: ${r.next_command}`]
        : []),
  ].join("\n");
}

export function renderPlanContext(r: PlanContextResult): string {
  return [
    `${r.reused ? "Reused" : "Wrote"} ${r.context_package} for ${r.plan}: ${r.assets} assets${r.reused ? "" : `, ${r.files_listed} files listed, ${r.files_read} read in ${r.duration_ms} ms`}`,
    `Conflict risk: ${r.risk_level}`,
    ...r.risk_factors.map((f) => `  - ${f}`),
    `Notes: ${r.planning_notes}`,
    ...(r.risk_level === "medium" || r.risk_level === "high"
      ? [`Next: baton plan conflicts ${r.plan}`]
      : [`Next: baton plan conflicts ${r.plan} (it will be skipped)`]),
  ].join("\n");
}

export function renderPlanConflicts(r: PlanConflictsResult): string {
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
}

export const planRenderers: Readonly<Record<string, Render>> = {
  "plan tasks": renderPlanTasks as Render,
  "plan task": renderPlanTask as Render,
  "plan verify": renderPlanVerify as Render,
  "plan next": renderPlanNext as Render,
  "plan status": renderPlanStatus as Render,
  "plan run": renderPlanRun as Render,
  "plan context": renderPlanContext as Render,
  "plan conflicts": renderPlanConflicts as Render,
};
