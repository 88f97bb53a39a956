/**
 * Three-way merges of the files where a line union is not enough, for `baton merge-driver`
 * (git's merge driver `baton`, registered by `init`): the catalog by topic id, planning sessions
 * field by field, the journal's entries as sets, a backlog map by task. Each is pure: the three
 * versions' text in, the merged text or the reason it cannot be merged out. A file that does not
 * parse, or comes from a newer Baton, is not merged: git then reports a conflict and keeps the
 * branch's own version, so no file Baton reads ever holds conflict markers.
 */
import { mergeTopicSnapshots, renderCatalog, type TopicEntry } from "./catalog.ts";
import { cmd } from "./command-ref.ts";
import { BatonError, isBatonError } from "./errors.ts";
import { type JournalEntry, type NextStep, parseJournalState } from "./journal.ts";
import { type PlanningSession, parsePlanningSession } from "./planning-session.ts";
import { checkSchemaVersion, SCHEMA_VERSION } from "./schema.ts";

/**
 * How git runs the driver (`merge.baton.driver` in `.git/config`): git's ancestor, ours (where
 * the merge is written) and theirs, then the path. `npx --no` runs the Baton installed in the
 * project or globally, as the agents' MCP entries do; when there is none the driver does not
 * start and git reports a conflict for the file, never writing one half merged.
 */
export const MERGE_DRIVER_COMMAND = "npx --no baton merge-driver %O %A %B %P";
export const MERGE_DRIVER_NAME = "Baton's own files, merged by record (baton merge-driver)";

/** What kind of file a merge is about, from its path in the repository and, failing that, its text. */
export type MergeKind = "catalog" | "session" | "journal" | "backlog" | "planning-journal";

export type MergeOutcome =
  | { ok: true; text: string; notes: string[] }
  | { ok: false; reason: string };

const GENERATED = /<!-- baton:begin ([a-z0-9-]+) -->\n[\s\S]*?<!-- baton:end \1 -->/g;

export function mergeKindOf(path: string | null, texts: readonly string[]): MergeKind | null {
  const name = path?.split("/").at(-1) ?? "";
  if (name === "index.json") return "catalog";
  if (name === ".active-planning.json" || /\/sessions\/[^/]+\.json$/.test(path ?? "")) {
    return "session";
  }
  if (name === "journal.json") return "journal";
  if (name === "backlog.json") return "backlog";
  for (const text of texts) {
    if (/<!-- baton:begin [a-z0-9-]+ -->/.test(text)) return "planning-journal";
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      continue;
    }
    if (data === null || typeof data !== "object") continue;
    const d = data as Record<string, unknown>;
    if (d.topics && typeof d.topics === "object") return "catalog";
    if (typeof d.session_id === "string") return "session";
    if (typeof d.started === "string" && Array.isArray(d.notes)) return "journal";
    if (typeof d.plan === "string" && Array.isArray(d.tickets)) return "backlog";
  }
  return null;
}

/** The JSON of one version: an object of this Baton's schema, or the reason it is not. */
function parse(text: string, which: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw refusal(`${which} is not valid JSON`);
  }
  try {
    return checkSchemaVersion(data, which);
  } catch (error) {
    if (isBatonError(error)) throw refusal(error.message);
    throw error;
  }
}

class Refusal extends Error {}

function refusal(reason: string): Refusal {
  return new Refusal(reason);
}

/** Runs a merge, a refusal becoming the outcome that makes git report a conflict. */
function attempt(run: () => { text: string; notes?: string[] }): MergeOutcome {
  try {
    const { text, notes } = run();
    return { ok: true, text, notes: notes ?? [] };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.message };
    if (isBatonError(error)) return { ok: false, reason: error.message };
    throw error;
  }
}

/** The base version, or null: git hands an empty file when the two sides share no ancestor. */
function baseOf<T>(text: string, read: (text: string) => T): T | null {
  if (text.trim() === "") return null;
  try {
    return read(text);
  } catch {
    // An unreadable ancestor is no ancestor: both sides are taken as added.
    return null;
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * One value merged three ways: a side that kept the base's value takes the other's; two
 * changes alike are one; two changes unlike go to `both`.
 */
function pick<T>(base: T | undefined, ours: T, theirs: T, both: () => T): T {
  if (same(ours, theirs)) return ours;
  if (base !== undefined && same(base, ours)) return theirs;
  if (base !== undefined && same(base, theirs)) return ours;
  return both();
}

// ---- index.json ----

function catalogTopics(text: string, which: string): Record<string, TopicEntry> {
  const record = parse(text, which);
  const topics = record.topics ?? {};
  if (topics === null || typeof topics !== "object" || Array.isArray(topics)) {
    throw refusal(`${which}: topics is not an object keyed by topic id`);
  }
  for (const [id, entry] of Object.entries(topics as Record<string, unknown>)) {
    if (entry === null || typeof entry !== "object" || (entry as TopicEntry).id !== id) {
      throw refusal(`${which}: the entry for ${id} is malformed`);
    }
  }
  return topics as Record<string, TopicEntry>;
}

/**
 * index.json by topic id: a topic one side added is kept; one both changed is merged by the
 * catalog's rule (the newer `updated` wins each field, relations unite); one a side removed
 * while the other kept it as it was is removed, one the other changed is kept. Written in the
 * canonical form, one topic per line sorted by id.
 */
export function mergeCatalog(base: string, ours: string, theirs: string): MergeOutcome {
  return attempt(() => {
    const o = catalogTopics(ours, "ours");
    const t = catalogTopics(theirs, "theirs");
    const b = baseOf(base, (text) => catalogTopics(text, "base")) ?? {};
    const out = new Map<string, string>();
    for (const id of new Set([...Object.keys(o), ...Object.keys(t)])) {
      const mine = o[id];
      const other = t[id];
      const was = b[id];
      let entry: TopicEntry | undefined;
      if (mine && other) entry = pick(was, mine, other, () => mergeTopicSnapshots(mine, other));
      else if (mine) entry = was && same(was, mine) ? undefined : mine;
      else if (other) entry = was && same(was, other) ? undefined : other;
      if (entry) out.set(id, JSON.stringify(entry));
    }
    return { text: renderCatalog(SCHEMA_VERSION, out) };
  });
}

// ---- planning sessions ----

function session(text: string, which: string): PlanningSession {
  return parsePlanningSession(parse(text, which), which);
}

function sessionText(s: PlanningSession): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}

/**
 * A planning session (the active one, or a snapshot) field by field. Spikes are a set: both
 * sides' are kept, in the order they were attached. The plan and the backlog take the side that
 * changed them, and the newer session's when both did; a completed session stays completed. When
 * the two sides hold different sessions (only the active pointer can), the side that moved the
 * pointer wins, and when both did, the newer session: the other one is no longer active, and
 * `baton doctor --fix` rebuilds its snapshot from the catalog.
 */
export function mergeSession(base: string, ours: string, theirs: string): MergeOutcome {
  return attempt(() => {
    const o = session(ours, "ours");
    const t = session(theirs, "theirs");
    const b = baseOf(base, (text) => session(text, "base"));
    if (o.session_id !== t.session_id) {
      // The side that moved the pointer away from the base's session wins; when both moved it,
      // the newer session.
      const movedOurs = b === null || b.session_id !== o.session_id;
      const movedTheirs = b === null || b.session_id !== t.session_id;
      const [kept, other] =
        movedOurs && !movedTheirs
          ? [o, t]
          : movedTheirs && !movedOurs
            ? [t, o]
            : t.updated > o.updated
              ? [t, o]
              : [o, t];
      const notes: string[] = [];
      if (b !== null && other.session_id === b.session_id && !same(other, b)) {
        notes.push(
          `${other.session_id} changed on one branch while the other moved on from it: ${cmd("doctor --fix")} lists again in its snapshot the spikes it gained`,
        );
      } else if (b === null || other.session_id !== b.session_id) {
        notes.push(
          `both branches started a planning session: ${kept.session_id} stays active, ${other.session_id} does not (${cmd("doctor --fix")} rebuilds its snapshot from the catalog)`,
        );
      }
      return { text: sessionText(kept), notes };
    }
    const was = b?.session_id === o.session_id ? b : null;
    const newer = t.updated > o.updated ? t : o;
    const spikes = [...o.spikes, ...t.spikes.filter((id) => !o.spikes.includes(id))];
    const completed = [o, t].find((s) => s.state === "completed");
    const merged: PlanningSession = {
      schema_version: SCHEMA_VERSION,
      session_id: o.session_id,
      state: completed ? "completed" : pick(was?.state, o.state, t.state, () => newer.state),
      root_seed: o.root_seed,
      spikes,
      plan: pick(was?.plan, o.plan, t.plan, () => newer.plan),
      backlog: completed?.backlog ?? pick(was?.backlog, o.backlog, t.backlog, () => newer.backlog),
      created: o.created < t.created ? o.created : t.created,
      updated: o.updated > t.updated ? o.updated : t.updated,
      completed_at: completed?.completed_at ?? null,
    };
    return { text: sessionText(merged) };
  });
}

// ---- journal.json ----

const entryKey = (e: { at: string; text: string }) => `${e.at}\u0000${e.text}`;

/**
 * Entries as a set three ways: kept when both sides have them or one side added them; gone when
 * a side dropped one the base had (the journal was archived and began afresh there). In time
 * order.
 */
function mergeEntries<T extends { at: string; text: string }>(
  base: readonly T[] | null,
  ours: readonly T[],
  theirs: readonly T[],
  both: (mine: T, other: T) => T = (mine) => mine,
): T[] {
  const b = new Set((base ?? []).map(entryKey));
  const t = new Map(theirs.map((e) => [entryKey(e), e]));
  const o = new Map(ours.map((e) => [entryKey(e), e]));
  const out: T[] = [];
  for (const [key, e] of o) {
    const other = t.get(key);
    if (other) out.push(both(e, other));
    else if (!b.has(key)) out.push(e);
  }
  for (const [key, e] of t) if (!o.has(key) && !b.has(key)) out.push(e);
  return out.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
}

/**
 * journal.json: notes, decisions and next steps as sets (a step done on either side is done, at
 * the earlier time); `started` and `session` take the side that changed them, the later journal
 * when both did (both archived theirs).
 */
export function mergeJournal(base: string, ours: string, theirs: string): MergeOutcome {
  return attempt(() => {
    const read = (text: string, which: string) => parseJournalState(parse(text, which), which);
    const o = read(ours, "ours");
    const t = read(theirs, "theirs");
    const b = baseOf(base, (text) => read(text, "base"));
    const later = t.started > o.started ? t : o;
    const done = (mine: NextStep, other: NextStep): NextStep => {
      const at = [mine.done_at, other.done_at].filter((d): d is string => d !== null).sort()[0];
      return { ...mine, done_at: at ?? null };
    };
    const merged = {
      schema_version: SCHEMA_VERSION,
      started: pick(b?.started, o.started, t.started, () => later.started),
      session: pick(b?.session, o.session, t.session, () => later.session),
      notes: mergeEntries<JournalEntry>(b?.notes ?? null, o.notes, t.notes),
      decisions: mergeEntries<JournalEntry>(b?.decisions ?? null, o.decisions, t.decisions),
      next: mergeEntries<NextStep>(b?.next ?? null, o.next, t.next, done),
    };
    return { text: `${JSON.stringify(merged, null, 2)}\n` };
  });
}

// ---- backlog.json ----

interface BacklogMap {
  schema_version: number;
  plan: string;
  tickets: { task: string; ticket: string }[];
}

function backlog(text: string, which: string): BacklogMap {
  const record = parse(text, which);
  const tickets = record.tickets;
  if (
    typeof record.plan !== "string" ||
    !Array.isArray(tickets) ||
    tickets.some((t) => typeof t?.task !== "string" || typeof t?.ticket !== "string")
  ) {
    throw refusal(`${which} is not a backlog map ({plan, tickets: [{task, ticket}]})`);
  }
  return record as unknown as BacklogMap;
}

/**
 * A plan's backlog.json by task: every task either side made a ticket for keeps it. When both
 * made one for the same task, ours is kept here and the other ticket stays a file of its own,
 * which `baton doctor` reports (TICKET_DUPLICATE_TASK) so one can be closed.
 */
export function mergeBacklog(_base: string, ours: string, theirs: string): MergeOutcome {
  return attempt(() => {
    const o = backlog(ours, "ours");
    const t = backlog(theirs, "theirs");
    if (o.plan !== t.plan) throw refusal(`ours is the backlog of ${o.plan}, theirs of ${t.plan}`);
    const tasks = new Set(o.tickets.map((m) => m.task));
    const notes = t.tickets
      .filter(
        (m) =>
          tasks.has(m.task) && !o.tickets.some((n) => n.task === m.task && n.ticket === m.ticket),
      )
      .map(
        (m) =>
          `both branches made a ticket for task ${m.task} of ${o.plan}: ${m.ticket} is not mapped (${cmd("doctor")} lists it)`,
      );
    const merged: BacklogMap = {
      schema_version: SCHEMA_VERSION,
      plan: o.plan,
      tickets: [...o.tickets, ...t.tickets.filter((m) => !tasks.has(m.task))],
    };
    return { text: `${JSON.stringify(merged, null, 2)}\n`, notes };
  });
}

// ---- PLANNING.md ----

/**
 * PLANNING.md with every generated section's body set aside, so the text people wrote around
 * them can be merged as text: the sections are views, rewritten by the next command.
 */
export function maskGenerated(text: string): { masked: string; sections: Map<string, string> } {
  const sections = new Map<string, string>();
  const masked = text.replace(GENERATED, (whole, name: string) => {
    sections.set(name, whole);
    return `<!-- baton:begin ${name} -->\n<!-- baton:end ${name} -->`;
  });
  return { masked, sections };
}

/** A text merged from its masked form, each section put back from ours, else from theirs. */
export function unmaskGenerated(
  merged: string,
  ours: Map<string, string>,
  theirs: Map<string, string>,
): string {
  return merged.replace(
    GENERATED,
    (whole, name: string) => ours.get(name) ?? theirs.get(name) ?? whole,
  );
}

/** Why a merge was refused, as an error the CLI turns into a non-zero exit. */
export function mergeRefused(path: string, reason: string): BatonError {
  return new BatonError(
    "MERGE_CONFLICT",
    `baton merge-driver could not merge ${path}: ${reason}`,
    `git keeps your version and reports a conflict: resolve ${path} by hand (keep both branches' records), then run ${cmd("doctor")}`,
    { path },
  );
}
