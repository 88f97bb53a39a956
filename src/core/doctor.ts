/**
 * `baton doctor`'s findings and the checks that need no disk: what a merge, an editor or a crash
 * can leave across files (an entry naming a topic that is not there, a spike its session does not
 * list, two tickets for one plan task). The app reads every state file through the readers the
 * commands use and hands what it read here as plain data ({@link WorkspaceFacts}), so these
 * checks are pure and testable without a workspace.
 */
import type { TopicEntry } from "./catalog.ts";
import { cmd, prose } from "./command-ref.ts";
import { type BatonError, type ErrorCode, isBatonError } from "./errors.ts";
import {
  isPlanningSessionId,
  isTicketId,
  isTopicId,
  seedOfPlanningSession,
  TOPIC_TYPES,
  topicTypeOf,
} from "./ids.ts";
import type { PlanningSession } from "./planning-session.ts";
import { SCHEMA_VERSION } from "./schema.ts";

export type DoctorSeverity = "error" | "warning";

/**
 * The codes of doctor's own findings. A file a reader refuses is reported with the reader's code
 * instead (`CORRUPT_FILE`, `SCHEMA_TOO_NEW`, `UNSAFE_PATH`…), exactly as the command would.
 */
export const DOCTOR_CODES = [
  "CONFLICT_MARKERS",
  "INTERRUPTED_WRITE",
  "LOG_TORN_LINE",
  "LOG_REPEATED_LINE",
  "EVENT_ID_REUSED",
  "CATALOG_DUPLICATE_ID",
  "TOPIC_FOLDER_MISSING",
  "TOPIC_DOC_MISSING",
  "TOPIC_UNCATALOGUED",
  "ID_MALFORMED",
  "ID_MISMATCH",
  "LINK_DANGLING",
  "SESSION_MISSING",
  "SESSION_TOPIC_UNLISTED",
  "ACTIVE_SESSION_STATE",
  "ACTIVE_SESSION_CLOSED",
  "TICKET_MISSING",
  "TICKET_UNMAPPED",
  "TICKET_DUPLICATE_TASK",
  "SPEC_FOLDER_NESTED",
  "SPEC_NAME_MISMATCH",
  "SPEC_DOCS_MISSING",
  "ACTIVE_SPEC_MISSING",
  "GITATTRIBUTES_MISSING",
  "MERGE_DRIVER_MISSING",
] as const;

export type DoctorCode = (typeof DOCTOR_CODES)[number];

/** One thing doctor found, about one file (repository-relative) and, when known, one line. */
export interface DoctorFinding {
  /** Stable: a reader's error code (`CORRUPT_FILE`) or one of doctor's own (`LINK_DANGLING`). */
  code: string;
  severity: DoctorSeverity;
  file: string;
  line?: number;
  message: string;
  hint: string;
  /** Whether `baton doctor --fix` repairs it. */
  fixable: boolean;
}

/** What `--fix` did about one finding. */
export interface DoctorFix {
  code: string;
  file: string;
  did: string;
}

/**
 * A repair `--fix` may make, as data: only what is safe (nothing a person wrote is lost, no
 * record is dropped that is not held twice), each undone with the transaction that makes it.
 */
export type RepairPlan =
  /** An interrupted command's change undone or finished (taking the lock does it). */
  | { kind: "interrupted" }
  /** A log's torn last line cut and its lines held twice, byte for byte, kept once. */
  | { kind: "clean-log"; file: string }
  /** index.json's entries listed twice folded into one each (see mergeTopicSnapshots). */
  | { kind: "fold-index" }
  /** Topic folders the catalog does not list added back to it. */
  | { kind: "adopt-topics" }
  /** A session no file holds, its snapshot rebuilt (archived) from the catalog's topics. */
  | { kind: "rebuild-session"; session: string }
  /** A spike the session's file lost in a merge listed again. */
  | { kind: "add-spike"; file: string; session: string; spike: string }
  /** Lines Baton wrote in a sources.md whose targets are gone everywhere. */
  | { kind: "drop-source-line"; file: string; line: number; text: string }
  /** The per-machine active spec pointer naming no spec, cleared. */
  | { kind: "clear-active-spec" };

/** A finding and, when it is fixable, the repair that fixes it. */
export type PlannedFinding = DoctorFinding & { repair?: RepairPlan };

/** Each line of a JSON Lines log, read or refused, and its torn last line if it has one. */
export interface LogScan<T> {
  lines: { line: number; text: string; record: T | null; error: BatonError | null }[];
  /** A last line without its newline that does not parse: what a writer killed mid-append leaves. */
  torn: { line: number; text: string } | null;
}

/**
 * Runs `parse` (a reader's own line parser: null for a blank line, a BatonError for a bad one)
 * over every line of a log's text, collecting every refusal instead of stopping at the first.
 */
export function scanLog<T>(text: string, parse: (line: string, n: number) => T | null): LogScan<T> {
  const parts = text.split("\n");
  const last = parts.pop() as string;
  const lines: LogScan<T>["lines"] = [];
  const one = (line: string, n: number) => {
    try {
      const record = parse(line, n);
      if (record !== null) lines.push({ line: n, text: line, record, error: null });
    } catch (error) {
      if (!isBatonError(error)) throw error;
      lines.push({ line: n, text: line, record: null, error });
    }
  };
  for (let i = 0; i < parts.length; i++) one(parts[i] as string, i + 1);
  if (last === "") return { lines, torn: null };
  // A whole last line that only lacks its newline is a record like any other.
  try {
    const record = parse(last, parts.length + 1);
    if (record !== null) lines.push({ line: parts.length + 1, text: last, record, error: null });
    return { lines, torn: null };
  } catch (error) {
    if (!isBatonError(error)) throw error;
    return { lines, torn: { line: parts.length + 1, text: last } };
  }
}

/**
 * The lines of a scan that repeat an earlier line byte for byte and are the same record by
 * `key` (an event's id; null: a line with no key is never a repeat): what a union merge of two
 * branches that both carry the line leaves. Dropping them loses nothing.
 */
export function repeatedLines<T>(scan: LogScan<T>, key: (record: T) => string | null): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  for (const l of scan.lines) {
    if (l.record === null || key(l.record) === null) continue;
    if (seen.has(l.text)) out.push(l.line);
    else seen.add(l.text);
  }
  return out;
}

export function finding(
  code: DoctorCode | ErrorCode,
  severity: DoctorSeverity,
  file: string,
  message: string,
  hint: string,
  options: { line?: number | undefined; repair?: RepairPlan | undefined } = {},
): PlannedFinding {
  const out: PlannedFinding = { code, severity, file, message, hint, fixable: false };
  if (options.line !== undefined) out.line = options.line;
  if (options.repair) {
    out.fixable = true;
    out.repair = options.repair;
  }
  return out;
}

/**
 * A reader's refusal as a finding: the same code, message and hint the command that reads the
 * file would answer with, about the file its details name. So doctor and the commands never
 * disagree about a file.
 */
export function findingOf(error: BatonError, file: string): PlannedFinding {
  const path = typeof error.details?.path === "string" ? error.details.path : file;
  const line = typeof error.details?.line === "number" ? error.details.line : undefined;
  return finding(error.code, "error", path, error.message, error.hint, { line });
}

/** The 1-based lines of `text` that are git conflict markers (`<<<<<<< `, `=======`, `>>>>>>> `). */
export function conflictMarkerLines(text: string): number[] {
  const out: number[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, "");
    if (/^(<{7}|>{7}|\|{7})(\s|$)/.test(line) || /^={7}$/.test(line)) out.push(i + 1);
  }
  return out;
}

/** The finding for a Baton file holding conflict markers (a merge that stopped half-way). */
export function conflictMarkersFinding(file: string, lines: number[]): PlannedFinding {
  const shown = lines.slice(0, 5).join(", ") + (lines.length > 5 ? ", …" : "");
  return finding(
    "CONFLICT_MARKERS",
    "error",
    file,
    `${file} holds git conflict markers (${lines.length === 1 ? "line" : "lines"} ${shown})`,
    "finish the merge in this file by hand (where the lines are records, keep both sides' lines), then run the command again",
    { line: lines[0] },
  );
}

// ---- sources.md ----

/** A line Baton wrote into a topic's sources.md, and what it links to. */
export interface SourceLink {
  /** 1-based. */
  line: number;
  text: string;
  /** `## Session Links` lines name topics; `## Specs` lines name spec folders. */
  kind: "topic" | "spec";
  /** The topic id, or the spec's folder (workspace-relative). */
  target: string;
  /** The line is exactly what Baton writes, in the section Baton owns: safe to remove. */
  generated: boolean;
}

const TOPIC_LINE =
  /^- (root seed|spike|plan): \[([a-z0-9-]+)\]\(\.\.\/([a-z0-9-]+)\/(seed|spike|plan)\.md\)(?: \(session [^)]+\))?\s*$/;
const SPEC_LINE = /^- spec: \[([^\]]+)\]\([^)]*\) \(([^)]+)\)\s*$/;

/** The links Baton writes in a sources.md: under `## Session Links` and `## Specs`. */
export function sourceLinks(text: string): SourceLink[] {
  const out: SourceLink[] = [];
  let section: string | null = null;
  let inFence = false;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    if (/^#{1,2}\s/.test(line)) {
      section = /^##\s+(.*?)\s*$/.exec(line)?.[1] ?? null;
      continue;
    }
    if (section === "Session Links") {
      const m = TOPIC_LINE.exec(line);
      if (!m || m[2] !== m[3]) continue;
      const id = m[2] as string;
      const kind = m[1] === "root seed" ? "seed" : (m[1] as string);
      const generated = isTopicId(id) && topicTypeOf(id) === m[4] && m[4] === kind;
      out.push({ line: i + 1, text: line, kind: "topic", target: id, generated });
    } else if (section === "Specs") {
      const m = SPEC_LINE.exec(line);
      if (m)
        out.push({
          line: i + 1,
          text: line,
          kind: "spec",
          target: m[2] as string,
          generated: true,
        });
    }
  }
  return out;
}

/** `text` without the lines numbered in `drop` (1-based), every other byte kept. */
export function withoutLines(text: string, drop: ReadonlySet<number>): string {
  return text
    .split("\n")
    .filter((_, i) => !drop.has(i + 1))
    .join("\n");
}

// ---- the checks across files ----

/** What doctor read of the workspace, for the checks across files. Paths are repository-relative. */
export interface WorkspaceFacts {
  /** The catalog as every command reads it (index.json with its log), or null when unreadable. */
  catalog: { file: string; topics: Record<string, TopicEntry> } | null;
  /** The topic folders: their names and whether each holds its main document. */
  topicFolders: { name: string; file: string; hasDoc: boolean }[];
  /** The active planning session, or null (none, or unreadable: `activeRead` says which). */
  active: { file: string; session: PlanningSession } | null;
  /** False when the active pointer exists but could not be read (already reported). */
  activeRead: boolean;
  /** Every readable snapshot, by the session id in its file name. */
  snapshots: { id: string; file: string; session: PlanningSession }[];
  /** Snapshot files that could not be read (already reported): their sessions exist. */
  unreadableSnapshots: string[];
  /** Each topic's sources.md links. */
  sources: { topic: string; file: string; links: SourceLink[] }[];
  /** Every readable ticket. */
  tickets: {
    id: string;
    file: string;
    plan: string | null;
    task: string | null;
    session_id: string | null;
  }[];
  /** Ticket files that could not be read (already reported), by the id in their name. */
  unreadableTickets: string[];
  /** Each plan's backlog.json, read: which ticket each task became. */
  backlogs: { plan: string; file: string; tickets: { task: string; ticket: string }[] }[];
  /** The task ids of each plan that has a task set (`.task/*.json`). */
  planTasks: { plan: string; ids: string[] }[];
  /** Folders holding a status.yaml (workspace-relative). */
  specFolders: string[];
  /** The active spec (per machine): its name and the planning folder that name means. */
  activeSpec: { file: string; name: string; folder: string } | null;
  /**
   * The checks that could not read all they list (`topics`, `sessions`, `tickets`, `specs`: a
   * folder refused): what they would have read is not known to be missing.
   */
  incomplete: string[];
}

/** Facts before anything is read: the checks fill them in, the link checks read them. */
export function noFacts(): WorkspaceFacts {
  return {
    catalog: null,
    topicFolders: [],
    active: null,
    activeRead: true,
    snapshots: [],
    unreadableSnapshots: [],
    sources: [],
    tickets: [],
    unreadableTickets: [],
    backlogs: [],
    planTasks: [],
    specFolders: [],
    activeSpec: null,
    incomplete: [],
  };
}

type Ticketed = WorkspaceFacts["tickets"][number];

/** The findings across files, over what was read. */
export function linkFindings(facts: WorkspaceFacts): PlannedFinding[] {
  return [
    ...catalogFindings(facts),
    ...sessionFindings(facts),
    ...sourceFindings(facts),
    ...ticketFindings(facts),
    ...activeSpecFindings(facts),
  ];
}

/** Whether a topic is there: listed by the catalog or present as a folder. */
function topicKnown(facts: WorkspaceFacts): (id: string) => boolean {
  const folders = new Set(facts.topicFolders.map((f) => f.name));
  const all = facts.incomplete.includes("topics");
  return (id) => all || facts.catalog?.topics[id] !== undefined || folders.has(id);
}

/** Every session Baton can read, by id: the snapshots, and the active one over its snapshot. */
function sessionsOf(facts: WorkspaceFacts): Map<string, PlanningSession> {
  const sessions = new Map<string, PlanningSession>();
  for (const s of facts.snapshots) sessions.set(s.id, s.session);
  if (facts.active) sessions.set(facts.active.session.session_id, facts.active.session);
  return sessions;
}

/** Whether a session is there; any session counts as there when one file could not be read. */
function sessionKnown(facts: WorkspaceFacts): (id: string) => boolean {
  const sessions = sessionsOf(facts);
  const all = !facts.activeRead || facts.incomplete.includes("sessions");
  return (id) => all || sessions.has(id) || facts.unreadableSnapshots.includes(id);
}

/**
 * A planning session rebuilt from what the catalog says of it: its root seed (named by its id),
 * the spikes and the latest plan whose entries name it, archived. Null when its seed is not in
 * the catalog. For a session a merge left with no file (two branches each started one).
 */
export function rebuildSession(
  sessionId: string,
  topics: Readonly<Record<string, TopicEntry>>,
): PlanningSession | null {
  if (!isPlanningSessionId(sessionId)) return null;
  const seed = seedOfPlanningSession(sessionId);
  if (!topics[seed]) return null;
  const mine = Object.values(topics).filter((t) => t.session_id === sessionId);
  const byCreated = (a: TopicEntry, b: TopicEntry) => (a.created < b.created ? -1 : 1);
  const spikes = mine.filter((t) => t.type === "spike").sort(byCreated);
  const plans = mine
    .filter((t) => t.type === "plan")
    .sort((a, b) => (a.updated < b.updated ? -1 : 1));
  const stamp = /@(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z/.exec(sessionId);
  const created = stamp
    ? `${stamp[1]}T${stamp[2]}:${stamp[3]}:${stamp[4]}.000Z`
    : (topics[seed]?.created ?? "");
  const updated = mine.map((t) => t.updated).reduce((a, b) => (a > b ? a : b), created);
  return {
    schema_version: SCHEMA_VERSION,
    session_id: sessionId,
    state: "archived",
    root_seed: seed,
    spikes: spikes.map((t) => t.id),
    plan: plans.at(-1)?.id ?? null,
    backlog: null,
    created,
    updated,
    completed_at: null,
  };
}

function rebuildPlan(
  topics: Readonly<Record<string, TopicEntry>>,
  sessionId: string,
): RepairPlan | undefined {
  return rebuildSession(sessionId, topics)
    ? { kind: "rebuild-session", session: sessionId }
    : undefined;
}

function rebuildHint(topics: Readonly<Record<string, TopicEntry>>, sessionId: string): string {
  return rebuildSession(sessionId, topics)
    ? `restore its snapshot from git, or let ${cmd("doctor --fix")} rebuild it (archived) from the catalog: its seed, spikes and plan`
    : `restore the session's snapshot from git; the sessions there are listed by ${cmd("seed --sessions")}`;
}

function catalogFindings(facts: WorkspaceFacts): PlannedFinding[] {
  const out: PlannedFinding[] = [];
  for (const folder of facts.topicFolders) {
    if (isTopicId(folder.name)) continue;
    out.push(
      finding(
        "ID_MALFORMED",
        "warning",
        folder.file,
        `${folder.file} is not named like a topic ({type}-{slug}, type one of ${TOPIC_TYPES.join(", ")}), so Baton ignores it`,
        "rename it after its topic, or move it out of the topics folder",
      ),
    );
  }
  const catalog = facts.catalog;
  if (!catalog) return out;
  const foldersRead = !facts.incomplete.includes("topics");
  const known = topicKnown(facts);
  const hasSession = sessionKnown(facts);
  const folders = new Map(facts.topicFolders.map((f) => [f.name, f]));
  for (const [id, entry] of Object.entries(catalog.topics)) {
    const shape = entryFinding(catalog.file, id, entry);
    if (shape) {
      out.push(shape);
      continue;
    }
    const folder = folders.get(id);
    if (!folder && foldersRead) {
      out.push(
        finding(
          "TOPIC_FOLDER_MISSING",
          "error",
          catalog.file,
          `the catalog lists ${id}, but its folder is not there`,
          `restore the topic's folder from git (a merge or a move may have lost it), or take the entry for ${id} out of ${catalog.file} by hand`,
        ),
      );
    } else if (folder && !folder.hasDoc) {
      out.push(
        finding(
          "TOPIC_DOC_MISSING",
          "error",
          folder.file,
          `${folder.file} has no ${topicTypeOf(id)}.md`,
          "restore it from git (a merge or an editor removed it); the topic's other files are kept",
        ),
      );
    }
    for (const rel of entry.relates ?? []) {
      if (known(rel)) continue;
      out.push(
        finding(
          "LINK_DANGLING",
          "warning",
          catalog.file,
          `${id} relates to ${rel}, which is no topic`,
          `restore ${rel} from git, or take ${rel} out of the relates of ${id} in ${catalog.file}`,
        ),
      );
    }
    if (typeof entry.root_seed === "string" && !known(entry.root_seed)) {
      out.push(
        finding(
          "LINK_DANGLING",
          "warning",
          catalog.file,
          `${id} names the root seed ${entry.root_seed}, which is no topic`,
          `restore ${entry.root_seed} from git`,
        ),
      );
    }
    if (typeof entry.session_id === "string" && !hasSession(entry.session_id)) {
      out.push(
        finding(
          "SESSION_MISSING",
          "warning",
          catalog.file,
          `${id} belongs to the planning session ${entry.session_id}, which has no file (neither the active session nor a snapshot)`,
          rebuildHint(catalog.topics, entry.session_id),
          { repair: rebuildPlan(catalog.topics, entry.session_id) },
        ),
      );
    }
  }
  for (const folder of facts.topicFolders) {
    if (!isTopicId(folder.name) || catalog.topics[folder.name] || !folder.hasDoc) continue;
    out.push(
      finding(
        "TOPIC_UNCATALOGUED",
        "error",
        folder.file,
        `${folder.file} is a topic the catalog does not list, so ${cmd("topic list")} does not show it`,
        `${cmd("doctor --fix")} adds it back to the catalog (as the repair after a crash does)`,
        { repair: { kind: "adopt-topics" } },
      ),
    );
  }
  return out;
}

/** A catalog entry's own shape, beyond what every reader checks (an object whose id is its key). */
function entryFinding(file: string, id: string, entry: TopicEntry): PlannedFinding | null {
  const bad = (what: string) =>
    finding(
      "ID_MALFORMED",
      "error",
      file,
      `the catalog entry ${JSON.stringify(id)} ${what}`,
      `fix the entry by hand or restore ${file} from git`,
    );
  if (!isTopicId(id)) return bad("is not a topic id ({type}-{slug})");
  if (entry.type !== topicTypeOf(id)) {
    return bad(`has type ${JSON.stringify(entry.type)}, not ${topicTypeOf(id)}`);
  }
  for (const key of ["title", "path", "created", "updated"] as const) {
    if (typeof entry[key] !== "string") return bad(`has no ${key}`);
  }
  const relates = entry.relates as unknown;
  if (relates !== undefined && (!Array.isArray(relates) || relates.some((r) => !isTopicId(r)))) {
    return bad("has relates that are not topic ids");
  }
  return null;
}

function sessionFindings(facts: WorkspaceFacts): PlannedFinding[] {
  const out: PlannedFinding[] = [];
  const known = topicKnown(facts);
  const sessions = sessionsOf(facts);
  const files = [
    ...(facts.active ? [facts.active] : []),
    ...facts.snapshots.map((s) => ({ file: s.file, session: s.session })),
  ];
  if (facts.catalog) {
    for (const { file, session } of files) {
      const named = [
        session.root_seed,
        ...session.spikes,
        ...(session.plan ? [session.plan] : []),
        ...(session.backlog ? [session.backlog.topic] : []),
      ];
      for (const id of new Set(named)) {
        if (known(id)) continue;
        out.push(
          finding(
            "LINK_DANGLING",
            "warning",
            file,
            `session ${session.session_id} names ${id}, which is no topic`,
            `restore ${id} from git; the session's other links are kept`,
          ),
        );
      }
    }
    // A spike belongs to the last session that attached it, and that session lists it.
    for (const [id, entry] of Object.entries(facts.catalog.topics)) {
      if (entry.type !== "spike" || typeof entry.session_id !== "string") continue;
      const session = sessions.get(entry.session_id);
      if (!session || session.spikes.includes(id)) continue;
      const file =
        facts.active?.session.session_id === entry.session_id
          ? facts.active.file
          : (facts.snapshots.find((s) => s.id === entry.session_id)?.file as string);
      out.push(
        finding(
          "SESSION_TOPIC_UNLISTED",
          "warning",
          file,
          `${id} belongs to session ${entry.session_id} (${facts.catalog.file}), which does not list it among its spikes`,
          `a merge kept one branch's copy of the session; ${cmd("doctor --fix")} lists the spike again`,
          { repair: { kind: "add-spike", file, session: entry.session_id, spike: id } },
        ),
      );
    }
  }
  if (facts.active) {
    const { file, session } = facts.active;
    if (session.state !== "active") {
      out.push(
        finding(
          "ACTIVE_SESSION_STATE",
          "warning",
          file,
          `the active planning session ${session.session_id} says it is ${session.state}`,
          `resume it with ${cmd("seed --resume", { target: session.session_id })}, or start another with ${cmd("seed", { title: prose("title") })}`,
        ),
      );
    }
    const snapshot = facts.snapshots.find((s) => s.id === session.session_id);
    if (snapshot?.session.state === "completed") {
      out.push(
        finding(
          "ACTIVE_SESSION_CLOSED",
          "error",
          file,
          `the active planning session ${session.session_id} is completed in ${snapshot.file}`,
          `one branch completed the session while another went on with it: keep what ${file} adds in ${snapshot.file}, then remove ${file}`,
        ),
      );
    }
  }
  for (const s of facts.snapshots) {
    if (s.session.session_id === s.id) continue;
    out.push(
      finding(
        "ID_MISMATCH",
        "error",
        s.file,
        `${s.file} holds the session ${s.session.session_id}, not ${s.id}`,
        "rename the file after the session it holds, or restore it from git",
      ),
    );
  }
  return out;
}

function sourceFindings(facts: WorkspaceFacts): PlannedFinding[] {
  const out: PlannedFinding[] = [];
  const known = topicKnown(facts);
  const specs = new Set(facts.specFolders);
  const specsRead = !facts.incomplete.includes("specs");
  for (const { topic, file, links } of facts.sources) {
    for (const link of links) {
      const there =
        link.kind === "topic"
          ? known(link.target)
          : !specsRead || specs.has(link.target.replace(/\/+$/, ""));
      if (there) continue;
      out.push(
        finding(
          "LINK_DANGLING",
          "warning",
          file,
          `${topic}'s sources.md links ${link.kind === "topic" ? "the topic" : "the spec folder"} ${link.target}, which is not there`,
          link.generated
            ? `${cmd("doctor --fix")} removes the line (Baton wrote it; nothing else is lost)`
            : "restore the target from git, or edit the line by hand",
          {
            line: link.line,
            repair: link.generated
              ? { kind: "drop-source-line", file, line: link.line, text: link.text }
              : undefined,
          },
        ),
      );
    }
  }
  return out;
}

function ticketFindings(facts: WorkspaceFacts): PlannedFinding[] {
  const out: PlannedFinding[] = [];
  const known = topicKnown(facts);
  const hasSession = sessionKnown(facts);
  const ticketIds = new Set([...facts.tickets.map((t) => t.id), ...facts.unreadableTickets]);
  if (facts.incomplete.includes("tickets")) return out;
  for (const t of facts.tickets) {
    if (t.plan !== null && facts.catalog && !known(t.plan)) {
      out.push(
        finding(
          "LINK_DANGLING",
          "warning",
          t.file,
          `ticket ${t.id} comes from the plan ${t.plan}, which is no topic`,
          `restore ${t.plan} from git; the ticket itself is fine`,
        ),
      );
    }
    if (t.session_id !== null && isPlanningSessionId(t.session_id) && !hasSession(t.session_id)) {
      out.push(
        finding(
          "SESSION_MISSING",
          "warning",
          t.file,
          `ticket ${t.id} names the planning session ${t.session_id}, which has no file`,
          rebuildHint(facts.catalog?.topics ?? {}, t.session_id),
          { repair: rebuildPlan(facts.catalog?.topics ?? {}, t.session_id) },
        ),
      );
    }
  }
  const taskSets = new Map(
    facts.planTasks.map((p) => [p.plan, new Set(p.ids.map((id) => id.toLowerCase()))]),
  );
  for (const t of facts.tickets) {
    const ids = t.plan === null ? undefined : taskSets.get(t.plan);
    if (!ids || t.task === null || ids.has(t.task.toLowerCase())) continue;
    out.push(
      finding(
        "LINK_DANGLING",
        "warning",
        t.file,
        `ticket ${t.id} stands for the task ${t.task} of ${t.plan}, which has no such task`,
        `the plan's task set was replaced since; close the ticket with ${cmd("ticket set-status", { ticket_id: t.id, status: "cancelled" })} if its work is gone`,
      ),
    );
  }
  const backlogOf = new Map(facts.backlogs.map((b) => [b.plan, b]));
  for (const b of facts.backlogs) {
    for (const { task, ticket } of b.tickets) {
      if (!isTicketId(ticket) || ticketIds.has(ticket)) continue;
      out.push(
        finding(
          "TICKET_MISSING",
          "warning",
          b.file,
          `the task ${task} of ${b.plan} became ticket ${ticket}, whose file is not there`,
          `restore it from git, or make it again under the same id with ${cmd("backlog", { plan_id: b.plan })}`,
        ),
      );
    }
  }
  const byTask = new Map<string, Ticketed[]>();
  for (const t of facts.tickets) {
    if (t.plan === null || t.task === null) continue;
    const key = `${t.plan}\u0000${t.task.toLowerCase()}`;
    byTask.set(key, [...(byTask.get(key) ?? []), t]);
  }
  for (const group of byTask.values()) {
    const first = group[0] as Ticketed;
    const plan = first.plan as string;
    const task = first.task as string;
    const map = backlogOf.get(plan);
    if (!map) continue;
    const mapped = map.tickets.find((m) => m.task.toLowerCase() === task.toLowerCase());
    for (const t of group) {
      if (mapped?.ticket === t.id) continue;
      if (mapped !== undefined && ticketIds.has(mapped.ticket)) {
        out.push(
          finding(
            "TICKET_DUPLICATE_TASK",
            "warning",
            t.file,
            `tickets ${t.id} and ${mapped.ticket} both stand for the task ${task} of ${plan} (two branches each made its backlog)`,
            `keep one: close the other with ${cmd("ticket set-status", { ticket_id: t.id, status: "cancelled" })}`,
          ),
        );
      } else {
        out.push(
          finding(
            "TICKET_UNMAPPED",
            "warning",
            t.file,
            `ticket ${t.id} stands for the task ${task} of ${plan}, but ${map.file} does not map the task to it`,
            `add {"task": ${JSON.stringify(task)}, "ticket": ${JSON.stringify(t.id)}} to the tickets of ${map.file}, or restore it from git`,
          ),
        );
      }
    }
  }
  return out;
}

function activeSpecFindings(facts: WorkspaceFacts): PlannedFinding[] {
  const spec = facts.activeSpec;
  if (!spec || facts.incomplete.includes("specs") || facts.specFolders.includes(spec.folder)) {
    return [];
  }
  return [
    finding(
      "ACTIVE_SPEC_MISSING",
      "warning",
      spec.file,
      `the active spec ${spec.name} has no planning folder with a status.yaml`,
      `${cmd("doctor --fix")} clears the pointer (as ${cmd("spec deactivate")} does); activate another with ${cmd("spec activate", { name: "<name>" })}`,
      { repair: { kind: "clear-active-spec" } },
    ),
  ];
}
