import type { TicketList } from "../../app/tickets/list.ts";
import type { SetStatusResult } from "../../app/tickets/set-status.ts";
import type { TicketView } from "../../app/tickets/show.ts";
import { formatTaskRef } from "../../core/task.ts";
import type { Render } from "../derive.ts";
import { table } from "../style.ts";

export function renderTicketList(r: TicketList): string {
  if (r.total === 0) return "No tickets.";
  const rows = table([
    ["ID", "STATUS", "PLAN", "TITLE"],
    ...r.tickets.map((t) => [t.id, t.status, t.plan ?? "-", t.title]),
  ]);
  const shown =
    r.tickets.length < r.total ? `\n(${r.tickets.length} of ${r.total}; use --offset/--limit)` : "";
  return rows + shown;
}

export function renderTicket(t: TicketView): string {
  const lines = [
    `${t.id}  ${t.status}`,
    `title:   ${t.title}`,
    `plan:    ${t.plan ?? "-"}`,
    ...(t.task_ref ? [`task:    ${t.task_ref}`] : []),
    `session: ${t.session_id ?? "-"}`,
    `updated: ${t.updated}`,
  ];
  const task = t.plan_task;
  if (task) {
    lines.push("", `Task ${task.id} (${task.status}): ${task.title}`);
    if (task.description) lines.push("", task.description);
    lines.push(
      "",
      `depends on:   ${task.depends_on.join(", ") || "none"}`,
      `files:        ${task.files.join(", ") || "none"}`,
      `requirements: ${task.requirements.join(", ") || "none"}`,
      "acceptance:",
      ...(task.acceptance.length ? task.acceptance.map((a) => `  - ${a}`) : ["  - (none)"]),
    );
  }
  lines.push("", t.body.trimEnd());
  return lines.join("\n");
}

export function renderTicketStatus(r: SetStatusResult): string {
  const head =
    r.previous !== r.ticket.status
      ? `${r.ticket.id}: ${r.previous} -> ${r.ticket.status}`
      : `${r.ticket.id} is already ${r.ticket.status}`;
  if (!r.task) return head;
  const ref = formatTaskRef({ source: "plan", owner: r.task.plan, task: r.task.id });
  return r.task.previous !== r.task.status
    ? `${head}\n${ref}: ${r.task.previous} -> ${r.task.status}`
    : `${head}\n${ref} is ${r.task.status}`;
}

export const ticketRenderers: Readonly<Record<string, Render>> = {
  "ticket list": renderTicketList as Render,
  "ticket show": renderTicket as Render,
  "ticket set-status": renderTicketStatus as Render,
};
