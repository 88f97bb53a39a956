import { addRelation, upsertTopic } from "../core/catalog.ts";
import { replaceSection } from "../core/markdown.ts";
import { attachPlan, attachSpike, type PlanningSession } from "../core/session.ts";
import { recordEvent } from "../store/events.ts";
import {
  readActiveSession,
  readCatalog,
  readText,
  topicDocPath,
  writeActiveSession,
  writeCatalog,
  writeText,
} from "../store/repo.ts";
import { withWorkspaceLock } from "../store/transaction.ts";
import { type AppContext, isoNow } from "./context.ts";
import { addSourceLink, ensureTopic, type TopicInput, topicLink } from "./topics.ts";

export interface AttachResult {
  topic: { id: string; created: boolean; path: string };
  /** The active session after attaching, or null when none was active. */
  session: PlanningSession | null;
  /** True when this run linked something new (false on an idempotent re-run). */
  linked: boolean;
}

/** `baton spike "<title>"`: research topic, attached once to the active session if there is one. */
export function createSpike(ctx: AppContext, input: TopicInput): Promise<AttachResult> {
  return withWorkspaceLock(ctx.ws, () => {
    const { ws } = ctx;
    const now = isoNow(ctx);
    const catalog = readCatalog(ws);
    const before = JSON.stringify(catalog.topics);
    const topic = ensureTopic(ws, catalog, "spike", input, now);
    const active = readActiveSession(ws);
    let session: PlanningSession | null = null;
    let linked = false;
    if (active) {
      session = attachSpike(active, topic.id, now);
      const seed = active.root_seed;
      linked = session !== active;
      if (linked) writeActiveSession(ws, session);
      upsertTopic(
        catalog,
        {
          ...catalogBase(catalog, topic.id),
          root_seed: seed,
          session_id: active.session_id,
          relates: [seed],
        },
        now,
      );
      addRelation(catalog, seed, topic.id, now);
      const a = addSourceLink(
        ws,
        seed,
        `- spike: ${topicLink(topic.id, "spike")} (session ${active.session_id})`,
      );
      const b = addSourceLink(
        ws,
        topic.id,
        `- root seed: ${topicLink(seed, "seed")} (session ${active.session_id})`,
      );
      linked = linked || a || b;
      if (linked)
        recordEvent(ws, "session.spike_attached", now, {
          session: active.session_id,
          spike: topic.id,
        });
      ctx.notice(
        `Active planning session: ${active.session_id} (root: ${seed}) — ${linked ? "auto-linked" : "already linked"} spike ${topic.id}`,
      );
    }
    if (JSON.stringify(catalog.topics) !== before) writeCatalog(ws, catalog);
    return { topic, session, linked };
  });
}

/**
 * `baton plan "<title>"`: the plan topic; with an active session it becomes the session's one
 * current plan, its `## Inputs / Related Topics` names the root seed and every spike, and the
 * seed and plan link each other in sources.md.
 */
export function createPlan(ctx: AppContext, input: TopicInput): Promise<AttachResult> {
  return withWorkspaceLock(ctx.ws, () => {
    const { ws } = ctx;
    const now = isoNow(ctx);
    const catalog = readCatalog(ws);
    const before = JSON.stringify(catalog.topics);
    const topic = ensureTopic(ws, catalog, "plan", input, now);
    const active = readActiveSession(ws);
    let session: PlanningSession | null = null;
    let linked = false;
    if (active) {
      session = attachPlan(active, topic.id, now);
      const seed = active.root_seed;
      linked = session !== active;
      if (linked) writeActiveSession(ws, session);
      const relates = [seed, ...session.spikes];
      upsertTopic(
        catalog,
        {
          ...catalogBase(catalog, topic.id),
          root_seed: seed,
          session_id: active.session_id,
          relates,
        },
        now,
      );
      addRelation(catalog, seed, topic.id, now);
      linked = writeInputsSection(ctx, topic.id, session) || linked;
      const a = addSourceLink(
        ws,
        seed,
        `- plan: ${topicLink(topic.id, "plan")} (session ${active.session_id})`,
      );
      const b = addSourceLink(
        ws,
        topic.id,
        `- root seed: ${topicLink(seed, "seed")} (session ${active.session_id})`,
      );
      linked = linked || a || b;
      if (linked)
        recordEvent(ws, "session.plan_attached", now, {
          session: active.session_id,
          plan: topic.id,
        });
      ctx.notice(
        `Active planning session: ${active.session_id} (root: ${seed}) — ${linked ? "auto-linked" : "already linked"} plan ${topic.id}`,
      );
    }
    if (JSON.stringify(catalog.topics) !== before) writeCatalog(ws, catalog);
    return { topic, session, linked };
  });
}

function writeInputsSection(ctx: AppContext, planId: string, session: PlanningSession): boolean {
  const file = topicDocPath(ctx.ws, planId);
  const before = readText(file) ?? "";
  const lines = [`- Root seed: ${topicLink(session.root_seed, "seed")}`];
  for (const spike of session.spikes) lines.push(`- Spike: ${topicLink(spike, "spike")}`);
  lines.push(`- Planning session: ${session.session_id}`);
  const after = replaceSection(before, "Inputs / Related Topics", lines.join("\n"));
  if (after === before) return false;
  writeText(file, after);
  return true;
}

function catalogBase(catalog: ReturnType<typeof readCatalog>, id: string) {
  const entry = catalog.topics[id];
  if (!entry) throw new Error(`topic ${id} missing from the catalog after creation`);
  return { id: entry.id, type: entry.type, title: entry.title, path: entry.path };
}
