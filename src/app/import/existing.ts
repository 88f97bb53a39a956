import { slugify } from "../../core/ids.ts";
import type { ImportFormat } from "../../core/import/model.ts";
import type { ExistingPlan } from "../../core/import/planner.ts";
import { type ItemSource, sameSource } from "../../core/source.ts";
import type { SpecStatus } from "../../core/spec/status.ts";
import type { Ticket } from "../../core/ticket.ts";
import type { CatalogHandle } from "../../store/catalog-file.ts";
import { exists } from "../../store/files.ts";
import { readPlanImport } from "../../store/plan-import.ts";
import { readPlanTasks } from "../../store/plan-tasks.ts";
import { readTicket, topicDir, topicFile } from "../../store/repo.ts";
import { planningEntries } from "../../store/spec-folders.ts";
import { listSpecNames, readSpecStatus } from "../../store/specs.ts";
import type { Workspace } from "../../store/workspace.ts";
import { readBacklogMap } from "../planning/backlog-files.ts";

export function existingSpecs(ws: Workspace): { statuses: SpecStatus[]; taken: Set<string> } {
  const statuses: SpecStatus[] = [];
  for (const name of listSpecNames(ws)) {
    try {
      const status = readSpecStatus(ws, name);
      if (status) statuses.push(status);
    } catch {
      // A status.yaml that cannot be read claims no folder here; its name stays taken.
    }
  }
  return { statuses, taken: new Set(planningEntries(ws)) };
}

/**
 * The plan an earlier import of this list made (its import.json names the same source), else
 * the id a new one gets: `plan-<slug>`, then `-2`, `-3`… past ids that are taken.
 */
export function existingPlan(
  ws: Workspace,
  catalog: CatalogHandle,
  format: ImportFormat,
  imported: { path: string; id: string; title: string },
  assigned: ReadonlySet<string>,
): ExistingPlan {
  const source: ItemSource = { format, path: imported.path, id: imported.id };
  const slug = (slugify(imported.title) || format).slice(0, 50).replace(/-+$/, "");
  for (let n = 1; ; n++) {
    const id = n === 1 ? `plan-${slug}` : `plan-${slug}-${n}`;
    if (assigned.has(id)) continue;
    const taken = catalog.get(id) !== undefined || exists(ws, topicDir(ws, id));
    if (!taken) return { id, exists: false, tasks: [], ticketIds: new Map(), tickets: new Map() };
    const record = readPlanImport(ws, id);
    if (!record || !sameSource(record.source, source)) continue;
    const tasks = readPlanTasks(ws, id) ?? [];
    const map = readBacklogMap(ws, topicFile(ws, id, "backlog.json"), id);
    const ticketIds = new Map(map.tickets.map((t) => [t.task, t.ticket]));
    const tickets = new Map<string, Ticket>();
    for (const [task, ticketId] of ticketIds) {
      const ticket = readTicket(ws, ticketId);
      if (ticket) tickets.set(task, ticket);
    }
    return { id, exists: true, tasks, ticketIds, tickets };
  }
}
