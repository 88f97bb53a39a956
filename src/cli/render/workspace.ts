import type { InitResult } from "../../app/workspace/init.ts";
import type { StatusReport } from "../../app/workspace/status.ts";
import type { Render } from "../derive.ts";

function renderInit(r: InitResult): string {
  if (r.dry_run) {
    const lines = [
      `Dry run: baton init would ${r.created ? "create" : "update"} the workspace in ${r.root}`,
      ...r.files.map((f) => `  ${f.action.padEnd(9)} ${f.path}`),
      ...(r.merge_driver ? [`  ${r.merge_driver.padEnd(9)} .git/config (merge driver)`] : []),
      ...r.notes.map((n) => `note: ${n}`),
      ...r.warnings.map((w) => `warning: ${w}`),
      "Nothing was written.",
    ];
    return lines.join("\n");
  }
  return [
    r.created
      ? `Initialised Baton workspace in ${r.root}`
      : `Baton workspace already initialised in ${r.root}`,
    `  knowledge: ${r.config.workflow.knowledgeDir}`,
    `  tickets:   ${r.config.tickets.dir} (prefix ${r.config.tickets.prefix})`,
    ...(r.agents.length > 0 ? [`  agents:    ${r.agents.join(", ")}`] : []),
    ...(r.written.length > 0 ? [`  wrote:     ${r.written.join(", ")}`] : []),
    ...(r.removed.length > 0 ? [`  removed:   ${r.removed.join(", ")} (obsolete)`] : []),
    ...(r.merge_driver === "create" || r.merge_driver === "update"
      ? ["  git:       Baton's merge driver registered in .git/config"]
      : []),
    ...r.notes.map((n) => `note: ${n}`),
    ...r.warnings.map((w) => `warning: ${w}`),
    r.created ? 'Next: baton seed "<your idea>"' : "",
  ]
    .filter(Boolean)
    .join("\n");
}

function renderStatus(r: StatusReport): string {
  const lines = [`Workspace: ${r.workspace}`];
  const s = r.session;
  if (!s) {
    lines.push("Planning session: none active");
  } else {
    lines.push(`Planning session: ${s.session_id} (${s.state})`);
    lines.push(`  root seed: ${s.root_seed}`);
    lines.push(`  spikes:    ${s.spikes.length > 0 ? s.spikes.join(", ") : "none"}`);
    lines.push(
      `  plan:      ${s.plan ?? "none"}${r.plan_tasks !== null ? ` (${r.plan_tasks} tasks)` : ""}`,
    );
  }
  lines.push(
    `Spec: ${r.spec ? `${r.spec.name} (${r.spec.stage}${r.spec.changed_since_approval ? ", changed since approval: approve again" : ""}${r.spec.last_known_branch ? `, branch ${r.spec.last_known_branch}` : ""})` : "none active"}`,
  );
  for (const w of r.work) {
    lines.push(
      `Work on ${w.spec} (${w.stage}): ${w.live} live session${w.live === 1 ? "" : "s"}${w.ended > 0 ? `, ${w.ended} ended` : ""}; ${w.ready_count} task${w.ready_count === 1 ? "" : "s"} ready${w.ready.length > 0 ? `: ${w.ready.map((t) => t.id).join(", ")}${w.ready_count > w.ready.length ? ", …" : ""}` : ""}`,
    );
    for (const s of w.sessions.slice(0, 5)) {
      lines.push(
        `  ${s.id}${s.name ? ` "${s.name}"` : ""} [${s.liveness}] ${s.percent}%${s.claims.length > 0 ? `, holds ${s.claims.join(", ")}` : ""}`,
      );
    }
    if (w.sessions.length > 5)
      lines.push(`  … ${w.sessions.length - 5} more (baton work list ${w.spec})`);
  }
  lines.push("Next steps:");
  for (const step of r.next_steps) lines.push(`  - ${step}`);
  return lines.join("\n");
}

export const workspaceRenderers: Readonly<Record<string, Render>> = {
  init: renderInit as Render,
  status: renderStatus as Render,
};
