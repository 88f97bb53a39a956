/**
 * `baton work block|unblock|wait|end`: one move of a session's state table
 * (src/core/work/session.ts), recorded as a coordination event. A move the state does not allow
 * is refused naming the moves it allows, and changes nothing. Each is a command of the session,
 * so its leases are renewed.
 */
import { releaseClaim } from "../../core/work/claims.ts";
import {
  type EndState,
  type WorkAction,
  type WorkSession,
  type WorkState,
  workTransition,
} from "../../core/work/session.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { recordWorkEvent, writeClaim } from "../../store/work.ts";
import type { AppContext } from "../context.ts";
import {
  loadSession,
  loadSpecWork,
  renewHeld,
  type SessionView,
  type SpecWork,
  saveSession,
  sessionView,
} from "./common.ts";
import { syncSharedTask } from "./shared.ts";

export interface TransitionResult {
  session: SessionView;
  from: WorkState;
  to: WorkState;
  /** Tasks `end` gave back to the ready queue. */
  released: string[];
}

const EVENT: Record<WorkAction, string> = {
  block: "work.blocked",
  unblock: "work.unblocked",
  wait: "work.waiting",
  end: "work.ended",
};

export interface MoveInput {
  reason?: string | null;
  on?: WorkSession["blocked_on"];
  to?: EndState;
  summary?: string | null;
}

/** Moves session `id` by `action`; `check` refuses what the state table cannot know (`--on`). */
export function moveSession(
  ctx: AppContext,
  id: string,
  action: WorkAction,
  input: MoveInput,
  check: (work: SpecWork, session: WorkSession) => void = () => {},
): Promise<TransitionResult> {
  return withWorkspaceLock(ctx.ws, () => {
    const before = loadSession(ctx, id);
    const work = loadSpecWork(ctx, before.spec);
    const moved = workTransition(before, action, work.now, input);
    check(work, before);
    let session = renewHeld(work, moved);
    const released: string[] = [];
    if (action === "end") {
      // An ended session holds nothing: its claims go back to the ready queue.
      for (const t of session.tasks) {
        const claim = work.claims.get(t.id);
        if (t.state !== "held" || !claim) continue;
        const free = releaseClaim(claim, work.now);
        writeClaim(ctx.ws, free);
        work.claims.set(t.id, free);
        released.push(t.id);
        const task = work.byId.get(t.id);
        if (task) syncSharedTask(ctx, work.status, task, "todo", work.now);
      }
      session = {
        ...session,
        tasks: session.tasks.map((t) =>
          released.includes(t.id) && t.state === "held"
            ? { ...t, state: "released", until: work.now }
            : t,
        ),
      };
    }
    saveSession(work, session);
    recordWorkEvent(ctx.ws, work.status.name, EVENT[action], work.now, {
      session: session.id,
      from: before.state,
      to: session.state,
      ...(session.reason ? { reason: session.reason } : {}),
      ...(session.blocked_on ? { on: Object.values(session.blocked_on)[0] } : {}),
      ...(action === "end" && session.summary ? { summary: session.summary } : {}),
      ...(released.length > 0 ? { released } : {}),
    });
    return {
      session: sessionView(session, work.claims, work.byId, work.nowMs, work.ttlMs),
      from: before.state,
      to: session.state,
      released,
    };
  });
}
