import { cmd, prose } from "../../core/command-ref.ts";
import { BatonError } from "../../core/errors.ts";
import { newTicketId } from "../../core/ids.ts";
import { completePlanningSession, type PlanningSession } from "../../core/planning-session.ts";
import { SCHEMA_VERSION } from "../../core/schema.ts";
import { newTicket, type Ticket } from "../../core/ticket.ts";
import { openCatalog } from "../../store/catalog-file.ts";
import { recordEvent } from "../../store/events.ts";
import { exists, writeJson } from "../../store/files.ts";
import {
  clearActivePlanningSession,
  readActivePlanningSession,
  readTicket,
  requireTopic,
  ticketExists,
  topicDocPath,
  topicFile,
  writePlanningSnapshot,
  writeTicket,
} from "../../store/repo.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import type { Workspace } from "../../store/workspace.ts";
import { isoNow } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { assertPlanId } from "../plan/id.ts";
import {
  type BacklogMap,
  planLinkFromTickets,
  readBacklogMap,
  writeBacklogView,
} from "./backlog-files.ts";
import { planTasks } from "./backlog-tasks.ts";
import { assertPlanningSnapshotWritable } from "./planning-session.ts";

export interface BacklogResult {
  plan: string;
  backlog_md: string;
  tickets: { id: string; title: string; status: string; created: boolean }[];
  created: number;
  /** The session this backlog completed, if it completed one. */
  completed_session: string | null;
}

/**
 * `baton backlog [<plan-id>]`: one ticket per plan task, `backlog.md` listing them, and, when the
 * plan is the active session's, the session completed and the active pointer removed. Re-running
 * reuses the tickets already made, so nothing is duplicated.
 */
export const createBacklog = defineOperation({
  name: "backlog",
  summary: "turn a plan's tasks into tickets; completes the active session",
  description:
    "One ticket per task of the plan (default: the active session's plan), listed in the plan's backlog.md. When the plan is the active session's, the session is completed and no session is active afterwards. Running it again creates nothing twice.",
  examples: ["baton backlog", "baton backlog plan-oauth-rollout --json"],
  access: "write",
  input: {
    plan_id: {
      type: "string",
      min: 1,
      description: "the plan (default: the active session's)",
      apiDescription: "plan id, e.g. plan-oauth-rollout",
      cli: { positional: true },
    },
  },
  tool: {
    name: "backlog_create",
    description:
      "Tickets from a plan's tasks (default: the active session's plan); completes the session. Answers with the first `limit` tickets; ticket_list {plan} has them all.",
    more: "list the plan's tickets with ticket_list {plan, offset}",
  },
  run(env, input): Promise<BacklogResult> {
    const ctx = env.context();
    return withWorkspaceLock(ctx.ws, () => {
      const { ws } = ctx;
      const now = isoNow(ctx);
      const active = readActivePlanningSession(ws);
      const planId = resolvePlan(ws, input.plan_id, active);
      const plan = requireTopic(openCatalog(ws), planId, "plan");
      const tasks = planTasks(ws, planId);
      if (tasks.length === 0) {
        throw new BatonError(
          "NO_TASKS",
          `plan ${planId} has no tasks`,
          `add "- [ ] <task>" lines to ${ws.rel(topicDocPath(ws, planId))}, then run ${cmd("backlog", { plan_id: planId })}`,
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
      if (sessionOwnsPlan) assertPlanningSnapshotWritable(ctx, active.session_id);
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
        const done = completePlanningSession(
          active,
          { topic: planId, backlog_md: backlogMd, tickets: tickets.map((t) => t.id) },
          now,
        );
        writePlanningSnapshot(ws, done);
        clearActivePlanningSession(ws);
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
  },
});

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
      `name the plan: ${cmd("backlog", { plan_id: "<plan-id>" })} (see: ${cmd("topic list", { type: "plan" })})`,
    );
  }
  if (!active.plan) {
    throw new BatonError(
      "STATE_CONFLICT",
      `session ${active.session_id} has no plan yet`,
      `create one first: ${cmd("plan", { title: prose("title") })}`,
    );
  }
  return active.plan;
}

function freshTicketId(ws: Workspace, reserved: Set<string>): string {
  for (;;) {
    const id = newTicketId(ws.config.tickets.prefix, (n) =>
      crypto.getRandomValues(new Uint8Array(n)),
    );
    if (!reserved.has(id) && !ticketExists(ws, id)) return id;
  }
}
