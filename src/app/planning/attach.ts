import { addRelation, upsertTopic } from "../../core/catalog.ts";
import { cmd, prose } from "../../core/command-ref.ts";
import type { TopicType } from "../../core/ids.ts";
import { replaceSection } from "../../core/markdown.ts";
import type { PlanningSession } from "../../core/planning-session.ts";
import { type CatalogHandle, openCatalog } from "../../store/catalog-file.ts";
import { recordEvent } from "../../store/events.ts";
import {
  readActivePlanningSession,
  readText,
  requireTopic,
  topicDocPath,
  writeActivePlanningSession,
  writeText,
} from "../../store/repo.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { type AppContext, isoNow } from "../context.ts";
import {
  addSourceLink,
  type EnsuredTopic,
  ensureTopic,
  type TopicInput,
  topicLink,
} from "./topics.ts";

export interface AttachResult {
  topic: { id: string; created: boolean; path: string };
  /** The active session after attaching, or null when none was active. */
  session: PlanningSession | null;
  /** True when this run linked something new (false on an idempotent re-run). */
  linked: boolean;
}

/** What a spike or plan made with no session active is told: linked to nothing, and how to fix it. */
const NO_SESSION = (type: string, id: string) =>
  `No planning session is active, so ${type} ${id} is linked to none: start one with ${cmd("seed", { title: prose("title") })}, or resume one with ${cmd("seed --resume", { target: "<seed-id>" })} (see ${cmd("seed --sessions")})`;

/**
 * Creates the topic (once) and, with an active session, attaches it, links it with the root
 * seed in both sources.md files and in the catalog, and keeps the session plan's
 * `## Inputs / Related Topics` naming the seed and every spike. Without a session it links
 * nothing and says so in one notice. Every step is idempotent.
 */
export function attachTopic(
  ctx: AppContext,
  type: Extract<TopicType, "spike" | "plan">,
  input: TopicInput,
  attach: (s: PlanningSession, id: string, now: string) => PlanningSession,
  afterCreate?: (topic: EnsuredTopic, now: string) => void,
): Promise<AttachResult> {
  return withWorkspaceLock(ctx.ws, () => {
    const { ws } = ctx;
    const now = isoNow(ctx);
    const catalog = openCatalog(ws);
    // Read before the topic is created: a corrupt or newer session file refuses the command
    // without leaving a half-made topic behind.
    const active = readActivePlanningSession(ws);
    // The new topic's own link to its root seed goes into its first sources.md.
    const rootLink = active
      ? `- root seed: ${topicLink(active.root_seed, "seed")} (session ${active.session_id})`
      : null;
    const topic = ensureTopic(
      ws,
      catalog,
      type,
      input,
      now,
      () => (rootLink ? [rootLink] : []),
      ctx.notice,
    );
    afterCreate?.(topic, now);
    if (!active) {
      catalog.save();
      ctx.notice(NO_SESSION(type, topic.id));
      return { topic, session: null, linked: false };
    }
    const session = attach(active, topic.id, now);
    const seed = session.root_seed;
    let linked = session !== active;
    if (linked) writeActivePlanningSession(ws, session);
    const entry = requireTopic(catalog, topic.id);
    const relates = type === "plan" ? [seed, ...session.spikes] : [seed];
    upsertTopic(
      catalog,
      {
        id: entry.id,
        type,
        title: entry.title,
        path: entry.path,
        root_seed: seed,
        session_id: session.session_id,
        relates,
      },
      now,
    );
    addRelation(catalog, seed, topic.id, now);
    if (session.plan)
      linked = writeInputsSection(ctx, catalog, session.plan, session, now) || linked;
    const session_note = `(session ${session.session_id})`;
    linked =
      addSourceLink(ws, seed, `- ${type}: ${topicLink(topic.id, type)} ${session_note}`) || linked;
    linked = addSourceLink(ws, topic.id, rootLink as string) || linked;
    catalog.save();
    if (linked)
      recordEvent(ws, `session.${type}_attached`, now, {
        session: session.session_id,
        [type]: topic.id,
      });
    ctx.notice(
      `Active planning session: ${session.session_id} (root: ${seed}) — ${linked ? "auto-linked" : "already linked"} ${type} ${topic.id}`,
    );
    return { topic, session, linked };
  });
}

/** Rewrites the plan's inputs section from the session; true when the text changed. */
function writeInputsSection(
  ctx: AppContext,
  catalog: CatalogHandle,
  planId: string,
  session: PlanningSession,
  now: string,
): boolean {
  const file = topicDocPath(ctx.ws, planId);
  const before = readText(ctx.ws, file);
  if (before === null) return false;
  const lines = [`- Root seed: ${topicLink(session.root_seed, "seed")}`];
  for (const spike of session.spikes) {
    lines.push(`- Spike: ${topicLink(spike, "spike")}`);
    addRelation(catalog, planId, spike, now);
  }
  lines.push(`- Planning session: ${session.session_id}`);
  const after = replaceSection(before, "Inputs / Related Topics", lines.join("\n"));
  if (after === before) return false;
  writeText(ctx.ws, file, after);
  return true;
}
