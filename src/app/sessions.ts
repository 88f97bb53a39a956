import { upsertTopic } from "../core/catalog.ts";
import { BatonError } from "../core/errors.ts";
import { assertTopicId, isSessionId, isTopicId, newSessionId, topicIdFor } from "../core/ids.ts";
import {
  archiveSession,
  newSession,
  type PlanningSession,
  resumeSession,
} from "../core/session.ts";
import { openCatalog } from "../store/catalog-file.ts";
import { recordEvent } from "../store/events.ts";
import {
  listSnapshotIds,
  readActiveSession,
  readSnapshot,
  snapshotExists,
  writeActiveSession,
  writeSnapshot,
} from "../store/repo.ts";
import { withWorkspaceLock } from "../store/transaction.ts";
import { type AppContext, isoNow } from "./context.ts";
import { ensureTopic } from "./topics.ts";

export interface SeedResult {
  topic: { id: string; created: boolean; path: string };
  session: PlanningSession | null;
  /** The session this command archived to make room, if any. */
  archived: string | null;
  /** True when the seed's session was already the active one. */
  already_active: boolean;
}

export interface SeedInput {
  title: string;
  body?: string | undefined;
  noSession?: boolean;
}

/** `baton seed "<title>"`: the seed topic and, unless `noSession`, a new active session. */
export function createSeed(ctx: AppContext, input: SeedInput): Promise<SeedResult> {
  return withWorkspaceLock(ctx.ws, () => {
    const { ws } = ctx;
    // One clock reading, so the session id's stamp and its `created` name the same second.
    const started = ctx.now();
    const now = started.toISOString();
    const catalog = openCatalog(ws);
    // Everything that can refuse (a corrupt or newer session file or snapshot) is read before
    // the topic is created, so a refused seed leaves no half-made topic behind.
    const active = input.noSession ? null : readActiveSession(ws);
    if (active && active.root_seed !== topicIdFor("seed", input.title)) {
      assertSnapshotWritable(ctx, active.session_id);
    }
    const topic = ensureTopic(ws, catalog, "seed", input, now, undefined, ctx.notice);
    if (input.noSession) {
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
    const sessionId = newSessionId(
      topic.id,
      started,
      (id) => id === active?.session_id || snapshotExists(ws, id),
    );
    const session = newSession(sessionId, topic.id, now);
    writeActiveSession(ws, session);
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
}

/**
 * Reads the snapshot an archive or completion is about to replace: a corrupt one or one from a
 * newer Baton is reported (CORRUPT_FILE / SCHEMA_TOO_NEW) rather than silently overwritten.
 * Callers run it before their first write so a refusal changes nothing.
 */
export function assertSnapshotWritable(ctx: AppContext, sessionId: string): void {
  readSnapshot(ctx.ws, sessionId);
}

function archiveActive(ctx: AppContext, active: PlanningSession, now: string): string {
  writeSnapshot(ctx.ws, archiveSession(active, now));
  recordEvent(ctx.ws, "session.archived", now, { session: active.session_id });
  return active.session_id;
}

export function activeSession(ctx: AppContext): PlanningSession | null {
  return readActiveSession(ctx.ws);
}

export interface SessionSummary {
  session_id: string;
  state: string;
  root_seed: string;
  spikes: number;
  plan: string | null;
  tickets: number;
  created: string;
  updated: string;
  completed_at: string | null;
}

export function summarizeSession(session: PlanningSession): SessionSummary {
  return {
    session_id: session.session_id,
    state: session.state,
    root_seed: session.root_seed,
    spikes: session.spikes.length,
    plan: session.plan,
    tickets: session.backlog?.tickets.length ?? 0,
    created: session.created,
    updated: session.updated,
    completed_at: session.completed_at,
  };
}

/**
 * `baton seed --sessions [seed-id]`: archived and completed snapshots, oldest first. A resumed
 * session keeps its archived snapshot on disk (snapshots only grow) but is active, so it is
 * left out here; `baton seed --active` shows it.
 */
export function listSessions(ctx: AppContext, seedId?: string): SessionSummary[] {
  if (seedId !== undefined) assertTopicId(seedId, "seed");
  const activeId = readActiveSession(ctx.ws)?.session_id;
  return listSnapshotIds(ctx.ws, seedId).flatMap((id) => {
    if (id === activeId) return [];
    const snapshot = readSnapshot(ctx.ws, id);
    return snapshot ? [summarizeSession(snapshot)] : [];
  });
}

export interface ResumeResult {
  session: PlanningSession;
  archived: string | null;
  already_active: boolean;
}

/**
 * `baton seed --resume <seed-id|session-id>`: reactivates that same session id (for a seed id,
 * its latest archived session), archiving whichever session was active before.
 */
export function resumeSessionById(ctx: AppContext, target: string): Promise<ResumeResult> {
  return withWorkspaceLock(ctx.ws, () => {
    const { ws } = ctx;
    const now = isoNow(ctx);
    const sessionId = resolveResumeTarget(ctx, target);
    const active = readActiveSession(ws);
    if (active?.session_id === sessionId) {
      ctx.notice(
        `Active planning session: ${sessionId} (root: ${active.root_seed}) — already active`,
      );
      return { session: active, archived: null, already_active: true };
    }
    const snapshot = readSnapshot(ws, sessionId);
    if (!snapshot) {
      throw new BatonError(
        "SESSION_NOT_FOUND",
        `no session ${sessionId}`,
        "list sessions with: baton seed --sessions",
      );
    }
    const resumed = resumeSession(snapshot, now);
    if (active) assertSnapshotWritable(ctx, active.session_id);
    const archived = active ? archiveActive(ctx, active, now) : null;
    writeActiveSession(ws, resumed);
    recordEvent(ws, "session.resumed", now, { session: sessionId });
    ctx.notice(
      `Active planning session: ${sessionId} (root: ${resumed.root_seed}) — resumed${archived ? `, archived ${archived}` : ""}`,
    );
    return { session: resumed, archived, already_active: false };
  });
}

function resolveResumeTarget(ctx: AppContext, target: string): string {
  if (isSessionId(target)) return target;
  if (isTopicId(target)) {
    assertTopicId(target, "seed");
    const candidates = listSnapshotIds(ctx.ws, target)
      .map((id) => readSnapshot(ctx.ws, id))
      .filter((s): s is PlanningSession => s !== null && s.state === "archived");
    const latest = candidates.at(-1);
    if (!latest) {
      throw new BatonError(
        "SESSION_NOT_FOUND",
        `seed ${target} has no archived session to resume`,
        `list its sessions with: baton seed --sessions ${target}`,
      );
    }
    return latest.session_id;
  }
  throw new BatonError(
    "INVALID_ID",
    `${JSON.stringify(target.slice(0, 80))} is neither a seed id nor a session id`,
    "pass seed-<slug> or seed-<slug>@YYYY-MM-DDTHH-MM-SSZ (see: baton seed --sessions)",
  );
}
