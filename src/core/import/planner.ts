/**
 * The import planner: the import plan read from another tool's files, compared with what the
 * workspace already holds from earlier imports (found by the source each item records), as
 * create, update and skip. Pure: the app reads the workspace, calls this, and writes what it
 * says in one transaction (or, for `--dry-run`, only shows it). As in Changesets, planning is
 * apart from reading and writing.
 *
 * Idempotency: an item whose source is unchanged since it was imported (same digest) is
 * skipped, so importing again creates nothing and leaves Baton's own later edits (a status set
 * with `ticket set-status`) alone; an item whose source changed is updated from it.
 */
import { BatonError } from "../errors.ts";
import { dependencyCycles, structuralFindings, topologicalOrder } from "../plan/graph.ts";
import {
  isTaskId,
  MAX_PLAN_TASKS,
  MAX_TASK_DEPENDENCIES,
  MAX_TASK_FILE_ENTRIES,
  type PlanTaskRecord,
} from "../plan/tasks.ts";
import { SCHEMA_VERSION } from "../schema.ts";
import { digestOf, type ItemSource, sameSource, sourceRef } from "../source.ts";
import { specNameFrom } from "../spec/folders.ts";
import { newSpecStatus, type SpecStatus } from "../spec/status.ts";
import type { TaskStatus } from "../task.ts";
import type { Ticket } from "../ticket.ts";
import type { ImportedPlan, ImportedSpec, ImportedTask, ImportFormat, Unmapped } from "./model.ts";

export type ImportAction = "create" | "update" | "skip";

// ---- specs ----

export interface SpecAction {
  action: ImportAction;
  /** The Baton spec's name. */
  name: string;
  imported: ImportedSpec;
  source: ItemSource;
  /** The status.yaml to write (create, update); the existing one for skip. */
  status: SpecStatus;
  /** The folder's own name when it was taken by another spec and a suffix was added. */
  renamed_from: string | null;
}

export interface ExistingSpecs {
  statuses: readonly SpecStatus[];
  /** Names of the folders in the planning folder (a spec's name must be free there). */
  taken: ReadonlySet<string>;
}

/** `a/b/`, `./a/b` and `a//b` are one path. */
function normalPath(p: string): string {
  return p
    .replaceAll("\\", "/")
    .replace(/\/{2,}/g, "/")
    .replace(/^(\.\/)+/, "")
    .replace(/\/+$/, "");
}

export function planSpecs(
  format: ImportFormat,
  imported: readonly ImportedSpec[],
  existing: ExistingSpecs,
  now: string,
): SpecAction[] {
  const taken = new Set(existing.taken);
  for (const s of existing.statuses) taken.add(s.name);
  return imported.map((spec) => {
    const source: ItemSource = { format, path: spec.path, id: spec.name };
    const found = existing.statuses.find((s) => normalPath(s.spec) === normalPath(spec.path));
    if (found) {
      const same = sameSource(found.source, source);
      return {
        action: same ? "skip" : "update",
        name: found.name,
        imported: spec,
        source,
        status: same ? found : { ...found, source, updated: now },
        renamed_from: null,
      };
    }
    const base = specNameFrom(spec.name, spec.path).name;
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.add(name);
    return {
      action: "create",
      name,
      imported: spec,
      source,
      status: { ...newSpecStatus(name, spec.path, spec.stage, now), source },
      renamed_from: name === base ? null : base,
    };
  });
}

// ---- plans ----

/** What the workspace holds of one imported task list (or, for a new one, the id it will get). */
export interface ExistingPlan {
  id: string;
  exists: boolean;
  tasks: readonly PlanTaskRecord[];
  /** The ticket recorded for each task (backlog.json), by task id; its file may be gone. */
  ticketIds: ReadonlyMap<string, string>;
  /** The ticket files that exist, by task id. */
  tickets: ReadonlyMap<string, Ticket>;
}

export interface TaskChange {
  action: ImportAction;
  /** The Baton task id. */
  task: string;
  /** The source reference. */
  source: string;
  /** The fields an update changes. */
  fields?: string[];
}

export interface TicketChange {
  action: ImportAction;
  task: string;
  /** The ticket's id when it exists or is recorded; null when one is to be made. */
  ticket: string | null;
  title: string;
  status: TaskStatus;
  /** Its task's place in the plan's working order, for a ticket that is made. */
  position: number;
  source: ItemSource;
}

export interface PlanAction {
  action: ImportAction;
  id: string;
  title: string;
  body: string;
  source: ItemSource;
  /** The whole task set after the import: imported tasks and any the plan held besides. */
  tasks: PlanTaskRecord[];
  changes: TaskChange[];
  tickets: TicketChange[];
}

const IMPORTED_FIELDS = [
  "title",
  "description",
  "status",
  "depends_on",
  "files",
  "acceptance",
  "requirements",
] as const;

export function planImportedPlan(
  format: ImportFormat,
  imported: ImportedPlan,
  existing: ExistingPlan,
  unmapped: Unmapped[],
): PlanAction {
  const ref = (t: ImportedTask) => sourceRef({ format, path: t.path, id: t.id });
  const planSource: ItemSource = { format, path: imported.path, id: imported.id };
  if (imported.tasks.length > MAX_PLAN_TASKS) {
    throw tooMany(imported, imported.tasks.length);
  }
  // Earlier imports of this list, by the source id each task recorded.
  const bySource = new Map<string, PlanTaskRecord>();
  for (const t of existing.tasks) {
    if (t.source && t.source.format === format) bySource.set(t.source.id, t);
  }
  const taken = new Set(existing.tasks.map((t) => t.id.toLowerCase()));
  const keyOf = new Map<string, string>();
  const lowerKeyOf = new Map<string, string>();
  imported.tasks.forEach((task, i) => {
    const before = bySource.get(task.id);
    let key = before?.id;
    if (key === undefined) {
      const base = isTaskId(task.key) ? task.key : `T${i + 1}`;
      key = base;
      for (let n = 2; taken.has(key.toLowerCase()) || !isTaskId(key); n++) {
        key = `${base.slice(0, 36)}-${n}`;
        if (!isTaskId(key)) key = `T${i + 1}-${n}`;
      }
      taken.add(key.toLowerCase());
    }
    keyOf.set(task.id, key);
    lowerKeyOf.set(task.id.toLowerCase(), key);
  });
  const resolve = (id: string) => keyOf.get(id) ?? lowerKeyOf.get(id.toLowerCase());
  const records = new Map<string, PlanTaskRecord>();
  const order: string[] = [];
  for (const task of imported.tasks) {
    const key = keyOf.get(task.id) as string;
    const deps: string[] = [];
    for (const dep of task.depends_on) {
      const target = resolve(dep);
      if (target === undefined) {
        unmapped.push({
          item: ref(task),
          field: "dependencies",
          value: `${dep}: no such task in the import`,
        });
      } else if (target === key) {
        unmapped.push({ item: ref(task), field: "dependencies", value: `${dep}: the task itself` });
      } else if (!deps.includes(target)) deps.push(target);
    }
    records.set(key, {
      schema_version: SCHEMA_VERSION,
      id: key,
      title: task.title,
      description: task.description,
      status: task.status,
      depends_on: deps,
      files: [...new Set(task.files)],
      acceptance: task.acceptance,
      requirements: task.requirements,
    });
    order.push(key);
  }
  // A subtask's parent waits for it, unless the subtask already waits for its parent.
  for (const task of imported.tasks) {
    if (task.parent === null) continue;
    const parent = resolve(task.parent);
    const key = keyOf.get(task.id) as string;
    if (parent === undefined) {
      unmapped.push({
        item: ref(task),
        field: "parent",
        value: `${task.parent}: no such task in the import`,
      });
      continue;
    }
    const parentRecord = records.get(parent) as PlanTaskRecord;
    const child = records.get(key) as PlanTaskRecord;
    if (
      parent !== key &&
      !child.depends_on.includes(parent) &&
      !parentRecord.depends_on.includes(key)
    )
      parentRecord.depends_on.push(key);
  }
  for (const task of imported.tasks) {
    const record = records.get(keyOf.get(task.id) as string) as PlanTaskRecord;
    for (const [field, max] of [
      ["depends_on", MAX_TASK_DEPENDENCIES],
      ["files", MAX_TASK_FILE_ENTRIES],
    ] as const) {
      if (record[field].length > max) {
        unmapped.push({
          item: ref(task),
          field,
          value: `${record[field].length - max} of ${record[field].length} left out: a task holds at most ${max}`,
        });
        record[field] = record[field].slice(0, max);
      }
    }
  }
  const kept = existing.tasks.filter((t) => !records.has(t.id));
  if (kept.length + records.size > MAX_PLAN_TASKS)
    throw tooMany(imported, kept.length + records.size);
  breakCycles([...kept, ...records.values()], records, (key, dep) => {
    const task = imported.tasks.find((t) => keyOf.get(t.id) === key) as ImportedTask;
    unmapped.push({
      item: ref(task),
      field: "dependencies",
      value: `${dep}: would close a dependency cycle`,
    });
  });
  const changes: TaskChange[] = [];
  const final = new Map<string, PlanTaskRecord>(kept.map((t) => [t.id, t]));
  for (const task of imported.tasks) {
    const key = keyOf.get(task.id) as string;
    const fresh = records.get(key) as PlanTaskRecord;
    const digest = digestOf([task.path, ...IMPORTED_FIELDS.map((f) => fresh[f])]);
    const source: ItemSource = { format, path: task.path, id: task.id, digest };
    const before = bySource.get(task.id);
    if (before && before.source?.digest === digest && before.source.path === task.path) {
      final.set(key, before);
      changes.push({ action: "skip", task: key, source: ref(task) });
      continue;
    }
    final.set(key, { ...fresh, source });
    if (before) {
      const fields: string[] = IMPORTED_FIELDS.filter(
        (f) => JSON.stringify(before[f]) !== JSON.stringify(fresh[f]),
      );
      if (before.source?.path !== task.path) fields.push("source");
      changes.push({ action: "update", task: key, source: ref(task), fields });
    } else changes.push({ action: "create", task: key, source: ref(task) });
  }
  const tasks = [...final.values()];
  const findings = structuralFindings(tasks);
  if (findings.length > 0) {
    throw new BatonError(
      "PLAN_INVALID",
      `the tasks of ${imported.path} cannot form a plan with ${existing.id}'s: ${findings[0]?.message}`,
      "fix the dependency in the source or in the plan's task JSON, then import again",
    );
  }
  const position = new Map(topologicalOrder(tasks).map((t, i) => [t.id, i + 1]));
  const changed = new Map(changes.map((c) => [c.task, c.action]));
  const tickets: TicketChange[] = [];
  for (const task of imported.tasks) {
    const key = keyOf.get(task.id) as string;
    const record = final.get(key) as PlanTaskRecord;
    const ticket = existing.tickets.get(key);
    const base = {
      task: key,
      title: record.title,
      status: record.status,
      position: position.get(key) ?? 1,
      source: { format, path: task.path, id: task.id },
    };
    if (!ticket) {
      tickets.push({ ...base, action: "create", ticket: existing.ticketIds.get(key) ?? null });
      continue;
    }
    const moved = changed.get(key) !== "skip";
    const differs =
      ticket.title !== record.title ||
      ticket.status !== record.status ||
      !sameSource(ticket.source, base.source);
    tickets.push({ ...base, action: moved && differs ? "update" : "skip", ticket: ticket.id });
  }
  const any = [...changes, ...tickets].some((c) => c.action !== "skip");
  return {
    action: existing.exists ? (any ? "update" : "skip") : "create",
    id: existing.id,
    title: imported.title,
    body: imported.body,
    source: planSource,
    tasks,
    changes,
    tickets,
  };
}

/**
 * Drops, from the imported records only, one dependency of each cycle (the one closing it),
 * until none is left: the source allowed what a plan cannot order.
 */
function breakCycles(
  all: PlanTaskRecord[],
  imported: Map<string, PlanTaskRecord>,
  dropped: (task: string, dep: string) => void,
): void {
  for (;;) {
    const cycles = dependencyCycles(all);
    if (cycles.length === 0) return;
    let broke = false;
    for (const cycle of cycles) {
      // cycle[i] depends on cycle[i + 1]; the last pair closes it.
      for (let i = cycle.length - 2; i >= 0; i--) {
        const from = imported.get(cycle[i] as string);
        const dep = cycle[i + 1] as string;
        if (from?.depends_on.includes(dep)) {
          from.depends_on = from.depends_on.filter((d) => d !== dep);
          dropped(from.id, dep);
          broke = true;
          break;
        }
      }
    }
    if (!broke) return; // a cycle among tasks the import does not write: the check after says so
  }
}

function tooMany(imported: ImportedPlan, count: number): BatonError {
  return new BatonError(
    "PLAN_INVALID",
    `${imported.path} (${imported.id}) holds ${count.toLocaleString("en")} tasks, more than the ${MAX_PLAN_TASKS.toLocaleString("en")} a plan may have`,
    "split the list in the source tool (Taskmaster: a tag per part), then import again; nothing was imported",
  );
}
