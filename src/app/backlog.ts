import { BatonError } from "../core/errors.ts";
import { isTicketId, newTicketId, slugify } from "../core/ids.ts";
import { checklistItems } from "../core/markdown.ts";
import { topologicalOrder } from "../core/plan/graph.ts";
import { SCHEMA_VERSION } from "../core/schema.ts";
import { completeSession, type PlanningSession } from "../core/session.ts";
import { newTicket, type Ticket, type TicketStatus, ticketStatusOfTask } from "../core/ticket.ts";
import { openCatalog } from "../store/catalog-file.ts";
import { recordEvent } from "../store/events.ts";
import { exists, readJsonOrNull, writeJson } from "../store/files.ts";
import { countPlanTasks } from "../store/plan-task-count.ts";
import { readPlanTasks } from "../store/plan-tasks.ts";
import {
  clearActiveSession,
  readActiveSession,
  readText,
  readTicket,
  requireTopic,
  ticketExists,
  topicDocPath,
  topicFile,
  writeSnapshot,
  writeText,
  writeTicket,
} from "../store/repo.ts";
import { withWorkspaceLock } from "../store/transaction.ts";
import type { Workspace } from "../store/workspace.ts";
import { type AppContext, isoNow } from "./context.ts";
import { assertPlanId } from "./plan/id.ts";
import { assertSnapshotWritable } from "./sessions.ts";

/** A unit of work the backlog turns into one ticket. `key` is stable across re-runs. */
export interface PlanTask {
  key: string;
  title: string;
  done: boolean;
  /** The status its ticket starts with. */
  status: TicketStatus;
  description: string;
}

/** `topics/<plan>/backlog.json`: which ticket each plan task became; backlog.md is its view. */
interface BacklogMap {
  schema_version: number;
  plan: string;
  tickets: { task: string; ticket: string }[];
}

export interface BacklogResult {
  plan: string;
  backlog_md: string;
  tickets: { id: string; title: string; status: string; created: boolean }[];
  created: number;
  /** The session this backlog completed, if it completed one. */
  completed_session: string | null;
}

/**
 * The tasks of a plan: its task JSONs (`.task/<id>.json`, keyed by task id, in working order)
 * when `baton plan tasks` wrote them, else its `- [ ]` / `- [x]` checklist items, each keyed by
 * its slug.
 */
export function planTasks(ws: Workspace, planId: string): PlanTask[] {
  const records = readPlanTasks(ws, planId);
  if (records && records.length > 0) {
    return topologicalOrder(records).map((t) => ({
      key: t.id,
      title: t.title,
      done: t.status === "done",
      status: ticketStatusOfTask(t.status),
      description: t.description,
    }));
  }
  const doc = readText(ws, topicDocPath(ws, planId)) ?? "";
  const seen = new Map<string, number>();
  return checklistItems(doc).map((item) => {
    const base = slugify(item.text) || "task";
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return {
      key: n === 1 ? base : `${base}-${n}`,
      title: item.text,
      done: item.done,
      status: item.done ? "done" : "todo",
      description: "",
    };
  });
}

/**
 * How many tasks `planTasks` would return, without reading the task files: their count comes
 * from a cache keyed by the `.task/` folder, so status lines cost the same for any plan size.
 */
export function planTaskCount(ws: Workspace, planId: string): number {
  const files = countPlanTasks(ws, planId);
  if (files !== null && files > 0) return files;
  return checklistItems(readText(ws, topicDocPath(ws, planId)) ?? "").length;
}

/**
 * `baton backlog [<plan-id>]`: one ticket per plan task, `backlog.md` listing them, and, when the
 * plan is the active session's, the session completed and the active pointer removed. Re-running
 * reuses the tickets already made, so nothing is duplicated.
 */
export function createBacklog(ctx: AppContext, planArg?: string): Promise<BacklogResult> {
  return withWorkspaceLock(ctx.ws, () => {
    const { ws } = ctx;
    const now = isoNow(ctx);
    const active = readActiveSession(ws);
    const planId = resolvePlan(ws, planArg, active);
    const plan = requireTopic(openCatalog(ws), planId, "plan");
    const tasks = planTasks(ws, planId);
    if (tasks.length === 0) {
      throw new BatonError(
        "NO_TASKS",
        `plan ${planId} has no tasks`,
        `add "- [ ] <task>" lines to ${ws.rel(topicDocPath(ws, planId))}, then run baton backlog ${planId}`,
      );
    }
    const sessionOwnsPlan = active !== null && active.plan === planId;
    const sessionId = sessionOwnsPlan ? active.session_id : (plan.session_id ?? null);
    const mapFile = topicFile(ws, planId, "backlog.json");
    const map = readBacklogMap(ws, mapFile, planId);
    const byTask = new Map(map.tickets.map((t) => [t.task, t.ticket]));
    // Every read that can refuse (a corrupt or newer ticket, the snapshot completion replaces)
    // happens before the first write, so a refused backlog changes nothing.
    const known = new Map<string, Ticket | null>();
    for (const task of tasks) {
      const knownId = byTask.get(task.key);
      known.set(task.key, knownId ? readTicket(ws, knownId) : null);
    }
    if (sessionOwnsPlan) assertSnapshotWritable(ctx, active.session_id);
    // Ids for the tasks without a ticket are recorded in backlog.json before any ticket is
    // written: a crash in between leaves ids that the next run fills in under the same names,
    // instead of tickets nothing points at and a second set of them. A recorded id whose file
    // is gone is reused the same way.
    const missing = tasks.filter((task) => !known.get(task.key));
    const reserved = new Set(byTask.values());
    for (const task of missing) {
      if (byTask.has(task.key)) continue;
      const id = freshTicketId(ws, reserved);
      reserved.add(id);
      byTask.set(task.key, id);
    }
    const nextMap: BacklogMap = {
      schema_version: SCHEMA_VERSION,
      plan: planId,
      tickets: [...byTask].map(([task, ticket]) => ({ task, ticket })),
    };
    const mapChanged = nextMap.tickets.length !== map.tickets.length;
    if (mapChanged || !exists(ws, mapFile)) writeJson(ws, mapFile, nextMap);
    const results: BacklogResult["tickets"] = [];
    const tickets: Ticket[] = [];
    for (const [index, task] of tasks.entries()) {
      const existing = known.get(task.key) ?? null;
      if (existing) {
        tickets.push(existing);
        results.push({
          id: existing.id,
          title: existing.title,
          status: existing.status,
          created: false,
        });
        continue;
      }
      const ticket = newTicket({
        id: byTask.get(task.key) as string,
        title: task.title,
        status: task.status,
        plan: planId,
        task: task.key,
        position: index + 1,
        session_id: sessionId,
        now,
        body: `# ${task.title}\n\nFrom plan [${planId}](${planLinkFromTickets(ws, planId)}).\n`,
      });
      writeTicket(ws, ticket);
      recordEvent(ws, "ticket.created", now, { ticket: ticket.id, plan: planId, task: task.key });
      tickets.push(ticket);
      results.push({ id: ticket.id, title: ticket.title, status: ticket.status, created: true });
    }
    const created = results.filter((r) => r.created).length;
    const backlogFile = topicFile(ws, planId, "backlog.md");
    writeBacklogView(ws, planId, tickets);
    const backlogMd = ws.rel(backlogFile);
    let completed: string | null = null;
    if (sessionOwnsPlan) {
      const done = completeSession(
        active,
        { topic: planId, backlog_md: backlogMd, tickets: tickets.map((t) => t.id) },
        now,
      );
      writeSnapshot(ws, done);
      clearActiveSession(ws);
      recordEvent(ws, "session.completed", now, {
        session: done.session_id,
        plan: planId,
        tickets: done.backlog?.tickets.length ?? 0,
      });
      ctx.notice(
        `Planning session ${done.session_id} completed with ${tickets.length} tickets; no session is active now`,
      );
      completed = done.session_id;
    }
    return {
      plan: planId,
      backlog_md: backlogMd,
      tickets: results,
      created,
      completed_session: completed,
    };
  });
}

function resolvePlan(
  ws: Workspace,
  planArg: string | undefined,
  active: PlanningSession | null,
): string {
  if (planArg !== undefined) return assertPlanId(ws, planArg);
  if (!active) {
    throw new BatonError(
      "NO_ACTIVE_SESSION",
      "no planning session is active, so there is no default plan",
      "name the plan: baton backlog <plan-id> (see: baton topic list --type plan)",
    );
  }
  if (!active.plan) {
    throw new BatonError(
      "STATE_CONFLICT",
      `session ${active.session_id} has no plan yet`,
      'create one first: baton plan "<title>"',
    );
  }
  return active.plan;
}

/**
 * The ticket ids recorded in a plan's backlog.json, or null when it has none yet. A corrupt or
 * newer file is reported (CORRUPT_FILE / SCHEMA_TOO_NEW), never read as empty.
 */
export function backlogTicketIds(ws: Workspace, planId: string): string[] | null {
  const file = topicFile(ws, planId, "backlog.json");
  if (!exists(ws, file)) return null;
  return readBacklogMap(ws, file, planId).tickets.map((t) => t.ticket);
}

/** The ticket a plan task became, or null when `baton backlog` has not made one. */
export function backlogTicketFor(ws: Workspace, planId: string, taskKey: string): string | null {
  const file = topicFile(ws, planId, "backlog.json");
  if (!exists(ws, file)) return null;
  const wanted = taskKey.toLowerCase();
  const entry = readBacklogMap(ws, file, planId).tickets.find(
    (t) => t.task.toLowerCase() === wanted,
  );
  return entry?.ticket ?? null;
}

function readBacklogMap(ws: Workspace, file: string, planId: string): BacklogMap {
  const data = readJsonOrNull(ws, file, ws.rel(file));
  if (!data) return { schema_version: SCHEMA_VERSION, plan: planId, tickets: [] };
  const tickets = data.tickets;
  if (
    !Array.isArray(tickets) ||
    tickets.some((t) => typeof t?.task !== "string" || typeof t?.ticket !== "string")
  ) {
    throw new BatonError(
      "CORRUPT_FILE",
      `${ws.rel(file)}: tickets must list {task, ticket}`,
      "restore it from git",
    );
  }
  const bad = tickets.find((t) => !isTicketId(t.ticket));
  if (bad) {
    throw new BatonError(
      "CORRUPT_FILE",
      `${ws.rel(file)}: ${JSON.stringify(bad.ticket)} is not a ticket id`,
      "restore it from git; Baton left it untouched",
    );
  }
  return { schema_version: SCHEMA_VERSION, plan: planId, tickets };
}

function freshTicketId(ws: Workspace, reserved: Set<string>): string {
  for (;;) {
    const id = newTicketId(ws.config.tickets.prefix, (n) =>
      crypto.getRandomValues(new Uint8Array(n)),
    );
    if (!reserved.has(id) && !ticketExists(ws, id)) return id;
  }
}

function planLinkFromTickets(ws: Workspace, planId: string): string {
  const from = ws.paths.tickets;
  const to = topicDocPath(ws, planId);
  return relativeLink(from, to);
}

function relativeLink(fromDir: string, toFile: string): string {
  const a = fromDir.split(/[\\/]/);
  const b = toFile.split(/[\\/]/);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/");
}

/** Regenerates `backlog.md` from the tickets; statuses come from the ticket files. */
export function writeBacklogView(ws: Workspace, planId: string, tickets: Ticket[]): void {
  const file = topicFile(ws, planId, "backlog.md");
  const ticketDir = ws.paths.tickets;
  const lines = [
    `# Backlog: ${planId}`,
    "",
    `Generated by \`baton backlog\` from [${planId}](plan.md); one ticket per task. Ticket files are the truth.`,
    "",
    ...tickets.map((t) => {
      const box = t.status === "done" ? "x" : t.status === "in_progress" ? "~" : " ";
      const link = relativeLink(topicFile(ws, planId, ""), `${ticketDir}/${t.id}.md`);
      return `- [${box}] [${t.id}](${link}) ${t.title} (${t.status})`;
    }),
    "",
  ];
  const text = lines.join("\n");
  if (readText(ws, file) !== text) writeText(ws, file, text);
}
