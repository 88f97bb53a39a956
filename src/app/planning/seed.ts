import { upsertTopic } from "../../core/catalog.ts";
import { newPlanningSessionId, topicIdFor } from "../../core/ids.ts";
import { newPlanningSession, type PlanningSession } from "../../core/planning-session.ts";
import { openCatalog } from "../../store/catalog-file.ts";
import { recordEvent } from "../../store/events.ts";
import {
  planningSnapshotExists,
  readActivePlanningSession,
  writeActivePlanningSession,
} from "../../store/repo.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { defineOperation } from "../operation.ts";
import { BODY } from "./fields.ts";
import { archiveActive, assertPlanningSnapshotWritable } from "./planning-session.ts";
import { ensureTopic } from "./topics.ts";

export interface SeedResult {
  topic: { id: string; created: boolean; path: string };
  session: PlanningSession | null;
  /** The session this command archived to make room, if any. */
  archived: string | null;
  /** True when the seed's session was already the active one. */
  already_active: boolean;
}

/** `baton seed "<title>"`: the seed topic and, unless `no_session`, a new active session. */
export const createSeed = defineOperation({
  name: "seed",
  summary: "capture an idea as a seed topic and start a planning session rooted at it",
  description:
    "Creates topics/seed-<slug>/ (seed.md, sources.md) and activates a new planning session. A session already active is archived first; with --no-session only the topic is made. --active, --sessions and --resume inspect and switch sessions instead.",
  examples: ['baton seed "OAuth login" --body "Users sign in with GitHub"'],
  access: "write",
  input: {
    title: {
      type: "string",
      min: 1,
      required: true,
      description: "the idea, in a few words",
      apiDescription: "the idea in a few words",
      cli: { positional: true },
    },
    body: BODY,
    no_session: {
      type: "boolean",
      description: "create the seed only; do not start or archive a session",
      apiDescription: "only the topic, no planning session",
    },
  },
  cli: { tag: { action: "create" } },
  tool: {
    name: "seed_create",
    description: "Record an idea as a seed topic and start a planning session rooted at it.",
  },
  run(env, input): Promise<SeedResult> {
    const ctx = env.context();
    const noSession = input.no_session === true;
    const topicInput = { title: input.title, body: input.body };
    return withWorkspaceLock(ctx.ws, () => {
      const { ws } = ctx;
      // One clock reading, so the session id's stamp and its `created` name the same second.
      const started = ctx.now();
      const now = started.toISOString();
      const catalog = openCatalog(ws);
      // Everything that can refuse (a corrupt or newer session file or snapshot) is read before
      // the topic is created, so a refused seed leaves no half-made topic behind.
      const active = noSession ? null : readActivePlanningSession(ws);
      if (active && active.root_seed !== topicIdFor("seed", input.title)) {
        assertPlanningSnapshotWritable(ctx, active.session_id);
      }
      const topic = ensureTopic(ws, catalog, "seed", topicInput, now, undefined, ctx.notice);
      if (noSession) {
        catalog.save();
        return { topic, session: null, archived: null, already_active: false };
      }
      if (active && active.root_seed === topic.id) {
        catalog.save();
        ctx.notice(
          `Active planning session: ${active.session_id} (root: ${topic.id}) — already active`,
        );
        return { topic, session: active, archived: null, already_active: true };
      }
      const archived = active ? archiveActive(ctx, active, now) : null;
      const sessionId = newPlanningSessionId(
        topic.id,
        started,
        (id) => id === active?.session_id || planningSnapshotExists(ws, id),
      );
      const session = newPlanningSession(sessionId, topic.id, now);
      writeActivePlanningSession(ws, session);
      upsertTopic(
        catalog,
        {
          id: topic.id,
          type: "seed",
          title: input.title.trim(),
          path: topic.path,
          root_seed: topic.id,
          session_id: sessionId,
        },
        now,
      );
      catalog.save();
      recordEvent(ws, "session.started", now, { session: sessionId, root_seed: topic.id });
      ctx.notice(
        `Active planning session: ${sessionId} (root: ${topic.id})${archived ? ` — archived ${archived}` : ""}`,
      );
      return { topic, session, archived, already_active: false };
    });
  },
});
