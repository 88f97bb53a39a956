import { cmd } from "../../core/command-ref.ts";
import { BatonError } from "../../core/errors.ts";
import { assertTopicId, isPlanningSessionId, isTopicId } from "../../core/ids.ts";
import { type PlanningSession, resumePlanningSession } from "../../core/planning-session.ts";
import { recordEvent } from "../../store/events.ts";
import {
  listPlanningSnapshotIds,
  readActivePlanningSession,
  readPlanningSnapshot,
  writeActivePlanningSession,
} from "../../store/repo.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { type AppContext, isoNow } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { archiveActive, assertPlanningSnapshotWritable } from "./planning-session.ts";

export interface ResumeResult {
  session: PlanningSession;
  archived: string | null;
  already_active: boolean;
}

/**
 * `baton seed --resume <seed-id|session-id>`: reactivates that same session id (for a seed id,
 * its latest archived session), archiving whichever session was active before.
 */
export const resumePlanningSessionById = defineOperation({
  name: "seed --resume",
  summary: "make a planning session active again",
  examples: ["baton seed --resume seed-oauth-login"],
  access: "write",
  input: {
    target: {
      type: "string",
      min: 1,
      required: true,
      description: "reactivate an archived session (a seed id: its latest)",
      apiDescription: "seed id or session id, e.g. seed-oauth-login",
      cli: { flag: "resume", value: "<seed-id|session-id>" },
    },
  },
  cli: { path: ["seed"], mode: "resume", tag: { action: "resume" } },
  tool: {
    name: "session_resume",
    description: "Make a planning session active again, by seed id or session id.",
  },
  run(env, input): Promise<ResumeResult> {
    const ctx = env.context();
    return withWorkspaceLock(ctx.ws, () => {
      const { ws } = ctx;
      const now = isoNow(ctx);
      const sessionId = resolveResumeTarget(ctx, input.target);
      const active = readActivePlanningSession(ws);
      if (active?.session_id === sessionId) {
        ctx.notice(
          `Active planning session: ${sessionId} (root: ${active.root_seed}) — already active`,
        );
        return { session: active, archived: null, already_active: true };
      }
      const snapshot = readPlanningSnapshot(ws, sessionId);
      if (!snapshot) {
        throw new BatonError(
          "SESSION_NOT_FOUND",
          `no session ${sessionId}`,
          `list sessions with: ${cmd("seed --sessions")}`,
        );
      }
      const resumed = resumePlanningSession(snapshot, now);
      if (active) assertPlanningSnapshotWritable(ctx, active.session_id);
      const archived = active ? archiveActive(ctx, active, now) : null;
      writeActivePlanningSession(ws, resumed);
      recordEvent(ws, "session.resumed", now, { session: sessionId });
      ctx.notice(
        `Active planning session: ${sessionId} (root: ${resumed.root_seed}) — resumed${archived ? `, archived ${archived}` : ""}`,
      );
      return { session: resumed, archived, already_active: false };
    });
  },
});

function resolveResumeTarget(ctx: AppContext, target: string): string {
  if (isPlanningSessionId(target)) return target;
  if (isTopicId(target)) {
    assertTopicId(target, "seed");
    const candidates = listPlanningSnapshotIds(ctx.ws, target)
      .map((id) => readPlanningSnapshot(ctx.ws, id))
      .filter((s): s is PlanningSession => s !== null && s.state === "archived");
    const latest = candidates.at(-1);
    if (!latest) {
      throw new BatonError(
        "SESSION_NOT_FOUND",
        `seed ${target} has no archived session to resume`,
        `list its sessions with: ${cmd("seed --sessions", { seed_id: target })}`,
      );
    }
    return latest.session_id;
  }
  throw new BatonError(
    "INVALID_ID",
    `${JSON.stringify(target.slice(0, 80))} is neither a seed id nor a session id`,
    `pass seed-<slug> or seed-<slug>@YYYY-MM-DDTHH-MM-SSZ (see: ${cmd("seed --sessions")})`,
  );
}
