import type { ActivateResult } from "../../app/specs/activate.ts";
import type { DeactivateResult } from "../../app/specs/deactivate.ts";
import type { GateResult } from "../../app/specs/gate.ts";
import type { LintResult } from "../../app/specs/lint.ts";
import type { SpecListResult } from "../../app/specs/list.ts";
import type { MigrateResult } from "../../app/specs/migrate.ts";
import type { NewSpecResult } from "../../app/specs/new.ts";
import type { SetupResult } from "../../app/specs/setup.ts";
import type { NoSpecStatus, SpecStatusReport, TaskTreeNode } from "../../app/specs/status.ts";
import type { TraceResult } from "../../app/specs/trace.ts";
import type { UpdateBranchResult } from "../../app/specs/update-branch.ts";
import type { FileFinding } from "../../core/spec/finding.ts";
import { formatProgress } from "../../core/spec/tasks-md.ts";
import type { Render } from "../derive.ts";
import { table } from "../style.ts";

function renderSetup(r: SetupResult): string {
  return r.changed
    ? [
        `Set up spec ${r.name} (${r.stage}) from ${r.spec} [${r.layout}]`,
        ...(r.written_name
          ? [`  name:   ${r.name} (written ${JSON.stringify(r.written_name)})`]
          : []),
        `  status: ${r.status_file}`,
        r.activated
          ? `Active spec: ${r.name} (none was active)`
          : `Next: baton spec activate ${r.name}`,
      ].join("\n")
    : `Spec ${r.name} is already set up from ${r.spec} (${r.status_file}); nothing changed.`;
}

/** `spec activate`, and `spec switch` once a spec is picked. */
export function renderActivate(r: ActivateResult): string {
  return r.changed
    ? `Active spec: ${r.name}${r.previous ? ` (was ${r.previous})` : ""}`
    : `Spec ${r.name} is already active; nothing changed.`;
}

function renderDeactivate(r: DeactivateResult): string {
  return r.changed ? `No active spec (was ${r.previous}).` : "No spec was active; nothing changed.";
}

function renderUpdateBranch(r: UpdateBranchResult): string {
  return r.changed
    ? `Spec ${r.name}: branch hint ${r.previous ?? "none"} -> ${r.last_known_branch ?? "none"}`
    : `Spec ${r.name}: branch hint is already ${r.last_known_branch ?? "none"}; nothing changed.`;
}

function renderMigrate(r: MigrateResult): string {
  if (r.moves.length === 0)
    return "Nothing to migrate: every planning folder is named after its spec.";
  const lines = [r.dry_run ? "Would migrate (dry run, nothing changed):" : "Migrated:"];
  for (const m of r.moves) {
    const upgraded = m.legacy ? " (status.yaml upgraded from the branch-folder layout)" : "";
    lines.push(
      m.from === m.to
        ? m.written_name === null
          ? `  ${m.to}${upgraded}`
          : `  ${m.to} (name ${JSON.stringify(m.written_name)} -> ${m.name})${upgraded}`
        : `  ${m.from} -> ${m.to}${upgraded}`,
    );
    if (m.dropped_fields.length > 0)
      lines.push(
        `    fields with no place in today's status.yaml: ${m.dropped_fields.join(", ")}; the old text is kept in ${m.kept_original}`,
      );
    if (m.spec_path) lines.push(`    spec: ${m.spec_path.from} -> ${m.spec_path.to}`);
  }
  if (r.active) lines.push(`  active spec: ${r.active.from} -> ${r.active.to}`);
  return lines.join("\n");
}

function renderList(r: SpecListResult): string {
  const lines: string[] = [];
  if (r.specs.length === 0) {
    lines.push("No specs. Set one up: baton spec setup --spec <file-or-folder>");
  } else {
    lines.push(
      table([
        ["", "NAME", "STAGE", "BRANCH", "SPEC"],
        ...r.specs.map((s) => [
          s.active ? "*" : " ",
          s.name,
          s.stage,
          s.last_known_branch ?? "-",
          s.spec,
        ]),
      ]),
    );
  }
  for (const p of r.problems) lines.push(`! ${p.folder}: ${p.message} (hint: ${p.hint})`);
  return lines.join("\n");
}

function ab(x: { ahead: number; behind: number } | null, against: string): string {
  return x ? `${x.ahead} ahead, ${x.behind} behind ${against}` : `not comparable with ${against}`;
}

function renderStatus(r: SpecStatusReport | NoSpecStatus): string {
  if (r.spec === null) {
    return [
      "Active spec: none",
      r.specs.length > 0
        ? `  specs: ${r.specs.join(", ")} (activate one: baton spec activate <name>)`
        : "  no specs yet: baton spec new <name>, or baton spec setup --spec <file-or-folder>",
    ].join("\n");
  }
  const s = r.spec;
  const g = r.git;
  const p = r.progress;
  const lines = [
    `Spec ${s.name}${s.active ? " (active)" : r.selected === "only" ? " (the only spec; none is active)" : ""}: ${s.stage}${r.reopened ? " (reopened: documents changed after approval)" : ""}`,
    `  spec:     ${s.spec}`,
    `  folder:   ${s.folder}`,
    `  branch:   ${s.last_known_branch ?? "no hint yet"}`,
    r.tasks_file
      ? `  progress: ${formatProgress(p)} — ${r.tasks_file}`
      : "  progress: no tasks file",
  ];
  const next = firstOpen(r.tasks);
  if (next) lines.push(`  next:     ${next.id} ${next.title}`);
  const w = r.work;
  if (w) {
    const shown = w.sessions
      .slice(0, 5)
      .map((x) => `${x.id} ${x.percent}% [${x.liveness}]`)
      .join(", ");
    const more = w.sessions.length > 5 ? `, … (baton work tree ${s.name})` : "";
    lines.push(
      `  work:     ${w.live} live session${w.live === 1 ? "" : "s"}${w.ended > 0 ? `, ${w.ended} ended` : ""}${shown ? `: ${shown}${more}` : ""}`,
    );
  }
  if (g.unavailable) {
    lines.push(`Git: ${g.unavailable}`);
    return lines.join("\n");
  }
  const def = g.default_branch;
  const defName = def ? def.name : "the default branch";
  lines.push("Git:");
  lines.push(
    `  current:  ${g.detached ? `detached HEAD at ${g.head_commit?.slice(0, 12)}` : (g.current_branch ?? "-")}${g.has_commits ? "" : " (no commits yet)"}`,
  );
  lines.push(
    `  default:  ${def ? `${def.name} (${def.source === "origin/HEAD" ? "from origin/HEAD" : "guessed: first of main, master, trunk"}; compared with ${def.ref.replace(/^refs\/(heads|remotes)\//, "")})` : "unknown (no origin/HEAD, no main, master or trunk)"}`,
  );
  if (g.has_commits && def)
    lines.push(`            current is ${ab(g.current_vs_default, defName)}`);
  const h = g.hinted_branch;
  if (h) {
    const where = [
      h.exists_locally ? "exists locally" : "not local",
      h.on_remotes.length > 0 ? `on ${h.on_remotes.join(", ")}` : "on no remote",
    ];
    lines.push(`  hinted:   ${h.name}${h.is_current ? " (current)" : ""} — ${where.join(", ")}`);
    if (h.exists_locally || h.on_remotes.length > 0)
      lines.push(`            ${ab(h.vs_default, defName)}`);
    if (h.checked_out_elsewhere)
      lines.push(`            checked out in ${h.checked_out_elsewhere}`);
    if (h.other_specs.length > 0)
      lines.push(`            also the hint of: ${h.other_specs.join(", ")}`);
  }
  const u = g.uncommitted;
  if (u) {
    lines.push(
      u.total === 0
        ? "  changes:  none"
        : `  changes:  ${u.total} (${u.staged} staged, ${u.unstaged} unstaged, ${u.untracked} untracked${u.conflicted ? `, ${u.conflicted} conflicted` : ""})${u.baton_only ? " — only Baton's files" : ""}`,
    );
  }
  if (g.worktree) {
    lines.push(
      `  worktree: ${g.worktree.path}${g.worktree.linked ? " (linked)" : ""}${g.worktree.count > 1 ? `, ${g.worktree.count} worktrees` : ""}`,
    );
  }
  return lines.join("\n");
}

function firstOpen(nodes: readonly TaskTreeNode[]): TaskTreeNode | null {
  for (const node of nodes) {
    const below = firstOpen(node.children);
    if (below) return below;
    if (node.status !== "done" && !node.optional) return node;
  }
  return null;
}

function renderFindings(findings: readonly FileFinding[]): string[] {
  return findings.map(
    (f) => `${f.file}:${f.line}: ${f.severity} ${f.code}: ${f.message}\n    hint: ${f.hint}`,
  );
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function renderNew(r: NewSpecResult): string {
  return [
    `Created spec ${r.spec} (${r.stage}) in ${r.folder}`,
    ...r.files.map((f) => `  ${f}`),
    ...(r.plan
      ? [
          `From plan ${r.plan.id}: ${count(r.plan.tasks, "task")} carried; linked in ${r.plan.sources_md}`,
        ]
      : []),
    ...(r.activated ? [`Active spec: ${r.spec} (none was active)`] : []),
    "Next:",
    ...r.next.map((n) => `  ${n}`),
  ].join("\n");
}

function renderLint(r: LintResult): string {
  const lines = renderFindings(r.findings);
  const summary = `${r.spec ? `spec ${r.spec}` : r.path}: ${count(r.errors, "error")}, ${count(r.warnings, "warning")}; ${r.ears.criteria} acceptance ${r.ears.criteria === 1 ? "criterion" : "criteria"} checked${r.tasks ? `, ${count(r.tasks.total, "task")}` : ""}`;
  lines.push(r.ok ? `${summary} — ok` : `${summary} — LINT_FAILED`);
  return lines.join("\n");
}

function renderTrace(r: TraceResult): string {
  const out: string[] = [];
  out.push(
    table([
      ["REQUIREMENT", "TASKS"],
      ...r.rows.map((row) => [row.id, row.covered_by.join(", ") || "-"]),
    ]),
  );
  if (r.unknown_references.length > 0) {
    out.push("", "Unknown requirements cited:");
    for (const u of r.unknown_references)
      out.push(`  task ${u.task} cites ${u.ref} (${r.files.tasks}:${u.line})`);
  }
  if (r.unreadable_references.length > 0) {
    out.push("", "Citations that are not requirement ids:");
    for (const u of r.unreadable_references)
      out.push(`  task ${u.task} cites "${u.ref}" (${r.files.tasks}:${u.line})`);
  }
  if (r.uncovered.length > 0) out.push("", `Not covered by any task: ${r.uncovered.join(", ")}`);
  if (r.uncited_tasks.length > 0)
    out.push("", `Tasks citing no requirement: ${r.uncited_tasks.join(", ")}`);
  const covered = r.rows.length - r.uncovered.length;
  out.push(
    "",
    `${r.spec ? `spec ${r.spec}` : r.path}: ${covered}/${r.rows.length} covered; ${count(r.errors, "error")}, ${count(r.warnings, "warning")}${r.ok ? "" : " — LINT_FAILED"}`,
  );
  return out.join("\n");
}

function renderGate(r: GateResult): string {
  return [
    `Spec ${r.spec}: ${r.from} -> ${r.to} (${r.action} by ${r.by}${r.comment ? `: ${r.comment}` : ""})`,
    ...(r.override ? [`Recorded: ${r.action} despite ${r.override.detail}`] : []),
    r.next.length > 0 ? `Next: ${r.next.join(" | ")}` : `${r.stage} is final.`,
  ].join("\n");
}

export const specRenderers: Readonly<Record<string, Render>> = {
  "spec setup": renderSetup as Render,
  "spec activate": renderActivate as Render,
  "spec deactivate": renderDeactivate as Render,
  "spec status": renderStatus as Render,
  "spec list": renderList as Render,
  "spec update-branch": renderUpdateBranch as Render,
  "spec migrate": renderMigrate as Render,
  "spec new": renderNew as Render,
  "spec lint": renderLint as Render,
  "spec trace": renderTrace as Render,
  "spec submit": renderGate as Render,
  "spec approve": renderGate as Render,
  "spec reject": renderGate as Render,
  "spec request-changes": renderGate as Render,
  "spec start": renderGate as Render,
  "spec complete": renderGate as Render,
};
