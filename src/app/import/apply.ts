/**
 * The writes of an import, as the planner decided them, inside the import's one transaction:
 * spec status files, plan topics (plan.md, import.json, workflow.json, the task JSONs and their
 * views, planning-notes.md) and tickets (backlog.json, the ticket files, backlog.md).
 */
import { upsertTopic } from "../../core/catalog.ts";
import { newTicketId } from "../../core/ids.ts";
import { FORMAT_NAMES, type ImportFormat, type Unmapped } from "../../core/import/model.ts";
import type { PlanAction, SpecAction } from "../../core/import/planner.ts";
import { finishPhase, startPhase } from "../../core/plan/phases.ts";
import { renderIntent, structureInput } from "../../core/plan/structure.ts";
import { SCHEMA_VERSION } from "../../core/schema.ts";
import { sourceRef } from "../../core/source.ts";
import { newTicket, type Ticket } from "../../core/ticket.ts";
import type { CatalogHandle } from "../../store/catalog-file.ts";
import { recordEvent } from "../../store/events.ts";
import { exists, writeJson } from "../../store/files.ts";
import { writePlanImport } from "../../store/plan-import.ts";
import { writePlanTasks } from "../../store/plan-tasks.ts";
import { readWorkflow, writeWorkflow } from "../../store/plan-workflow.ts";
import {
  listTicketIds,
  readTicket,
  topicDocPath,
  topicFile,
  writeText,
  writeTicket,
} from "../../store/repo.ts";
import { writeSpecStatus } from "../../store/specs.ts";
import type { Workspace } from "../../store/workspace.ts";
import type { AppContext } from "../context.ts";
import { derivedNotes } from "../plan/derived-notes.ts";
import { writeNotes } from "../plan/notes.ts";
import { writeViews } from "../plan/task-set.ts";
import {
  type BacklogMap,
  planLinkFromTickets,
  readBacklogMap,
  writeBacklogView,
} from "../planning/backlog-files.ts";

export function applySpec(ws: Workspace, spec: SpecAction, now: string): void {
  if (spec.action === "skip") return;
  writeSpecStatus(ws, spec.status);
  if (spec.action === "create") {
    recordEvent(ws, "spec.setup", now, {
      spec: spec.name,
      path: spec.imported.path,
      layout: spec.imported.layout,
      import: spec.source.format,
    });
  }
}

export function applyPlan(
  ctx: AppContext,
  catalog: CatalogHandle,
  format: ImportFormat,
  p: PlanAction,
  byItem: ReadonlyMap<string, Unmapped[]>,
  now: string,
): void {
  if (p.action === "skip") return;
  const { ws } = ctx;
  const name = FORMAT_NAMES[format];
  let workflow = readWorkflow(ws, p.id);
  const notes: Parameters<typeof writeNotes>[2] = {};
  if (p.action === "create") {
    const planUnmapped = byItem.get(sourceRef(p.source)) ?? [];
    const body = [p.body, ...(planUnmapped.length > 0 ? [unmappedText(planUnmapped)] : [])].join(
      "\n\n",
    );
    writeText(ws, topicDocPath(ws, p.id), `# ${p.title}\n\n${body.trim()}\n`);
    writeText(ws, topicFile(ws, p.id, "sources.md"), `# Sources: ${p.id}\n\n`);
    writePlanImport(ws, p.id, { schema_version: SCHEMA_VERSION, source: p.source, imported: now });
    upsertTopic(
      catalog,
      { id: p.id, type: "plan", title: p.title, path: ws.rel(topicDocPath(ws, p.id)) },
      now,
    );
    recordEvent(ws, "topic.created", now, { topic: p.id, topic_type: "plan", import: format });
    // The workflow's phases as an imported list leaves them: structured, tasks written, the
    // scan and conflict phases not run (they can be, on the plan's declared files).
    const structure = structureInput(p.title, p.body);
    const reason = `imported from ${name}; the context scan never ran`;
    workflow = finishPhase(startPhase(workflow, "structure", now), "structure", "completed", now, {
      goal: "completed",
      notes: "completed",
    });
    workflow = { ...workflow, intent: structure };
    workflow = finishPhase(workflow, "context", "skipped", now, {}, reason);
    workflow = finishPhase(workflow, "conflicts", "skipped", now, {}, reason);
    workflow = finishPhase(workflow, "tasks", "completed", now, { import: "completed" });
    writeWorkflow(ws, workflow);
    notes.intent = renderIntent(structure);
    notes.context = `- Skipped: ${reason}.`;
    notes.conflicts = `- Skipped: ${reason}.`;
  }
  const tasksChanged = p.changes.some((c) => c.action !== "skip");
  if (tasksChanged) {
    writePlanTasks(ws, p.id, p.tasks);
    writeViews(ws, p.id, p.tasks);
  }
  if (tasksChanged || p.action === "create") {
    writeNotes(
      ws,
      p.id,
      { ...notes, ...derivedNotes(ws, p.id, { workflow, tasks: p.tasks }) },
      p.title,
    );
    recordEvent(ws, "plan.tasks", now, { plan: p.id, tasks: p.tasks.length });
  }
  writeTickets(ctx, format, p, byItem, now);
}

/**
 * One ticket per imported task, as `baton backlog` makes them: ids recorded in backlog.json
 * before any ticket is written (a crash in between leaves names the next run fills in), the
 * plan's backlog.md regenerated from every ticket it lists.
 */
function writeTickets(
  ctx: AppContext,
  format: ImportFormat,
  p: PlanAction,
  byItem: ReadonlyMap<string, Unmapped[]>,
  now: string,
): void {
  const { ws } = ctx;
  if (p.tickets.every((t) => t.action === "skip")) return;
  const mapFile = topicFile(ws, p.id, "backlog.json");
  const map = readBacklogMap(ws, mapFile, p.id);
  const byTask = new Map(map.tickets.map((t) => [t.task, t.ticket]));
  // One listing of the tickets folder instead of a look per new ticket: thousands at a time.
  const reserved = new Set([...byTask.values(), ...listTicketIds(ws)]);
  for (const t of p.tickets) {
    if (t.action !== "create" || t.ticket !== null || byTask.has(t.task)) continue;
    let id: string;
    do {
      id = newTicketId(ws.config.tickets.prefix, (n) => crypto.getRandomValues(new Uint8Array(n)));
    } while (reserved.has(id));
    reserved.add(id);
    byTask.set(t.task, id);
  }
  if (byTask.size !== map.tickets.length || !exists(ws, mapFile)) {
    const next: BacklogMap = {
      schema_version: SCHEMA_VERSION,
      plan: p.id,
      tickets: [...byTask].map(([task, ticket]) => ({ task, ticket })),
    };
    writeJson(ws, mapFile, next);
  }
  const written = new Map<string, Ticket>();
  const link = planLinkFromTickets(ws, p.id);
  for (const t of p.tickets) {
    const id = t.ticket ?? (byTask.get(t.task) as string);
    if (t.action === "create") {
      const extra = byItem.get(sourceRef(t.source)) ?? [];
      const ticket = newTicket({
        id,
        title: t.title,
        status: t.status,
        plan: p.id,
        task: t.task,
        position: t.position,
        session_id: null,
        source: t.source,
        now,
        body: `${[
          `# ${t.title}`,
          `From plan [${p.id}](${link}), imported from ${FORMAT_NAMES[format]}: \`${t.source.path}\` (${t.source.id}).`,
          ...(extra.length > 0 ? [unmappedText(extra)] : []),
        ].join("\n\n")}\n`,
      });
      writeTicket(ws, ticket);
      written.set(id, ticket);
    } else if (t.action === "update") {
      const before = readTicket(ws, id);
      if (!before) continue;
      const after: Ticket = {
        ...before,
        title: t.title,
        status: t.status,
        source: t.source,
        updated: now,
      };
      writeTicket(ws, after);
      written.set(id, after);
    }
  }
  const tickets: Ticket[] = [];
  for (const ticketId of byTask.values()) {
    const ticket = written.get(ticketId) ?? readTicket(ws, ticketId);
    if (ticket) tickets.push(ticket);
  }
  writeBacklogView(ws, p.id, tickets);
}

/** The fields with no place in Baton, as a list kept in the item's own text. */
function unmappedText(list: readonly Unmapped[]): string {
  return [
    "Fields with no place in Baton, as the source wrote them:",
    "",
    ...list.map((u) => `- ${u.field}${u.value === undefined ? "" : `: ${u.value}`}`),
  ].join("\n");
}
