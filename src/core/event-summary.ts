/**
 * Events of the log as a person reads them: what changed, in words, and the command that
 * changed it. The journal's "Recent changes" and `resume`'s "Last changes" show these lines,
 * so the budget goes to what happened, not to envelope fields, argument dumps or hashes.
 */
import { readTaskStatus } from "./task.ts";

/** One line of `.baton/events.jsonl` as read: its envelope and whatever it carries. */
export interface LoggedEvent {
  at: string;
  type: string;
  /** The command that made the change (`baton spike`, `baton mcp plan_tasks`), when recorded. */
  command?: unknown;
  [key: string]: unknown;
}

type Describe = (e: Record<string, unknown>) => string;

const text = (value: unknown): string =>
  typeof value === "string" ? clip(value, 80) : typeof value === "number" ? String(value) : "?";

/** A session id names its seed and its start; the seed is what a reader recognises. */
const sessionOf = (value: unknown): string => {
  const id = typeof value === "string" ? value : "";
  const at = id.indexOf("@");
  return at > 0 ? `the session of ${id.slice(0, at)}` : `session ${text(value)}`;
};

const count = (n: unknown, one: string, many = `${one}s`): string =>
  typeof n === "number" ? `${n} ${n === 1 ? one : many}` : `some ${many}`;

const moved = (from: unknown, to: unknown): string => `${text(from)} -> ${text(to)}`;

/** A task status as the one set names it: events an older Baton recorded say `pending`. */
const status = (value: unknown): unknown =>
  typeof value === "string" ? (readTaskStatus(value) ?? value) : value;

const gate =
  (verb: string): Describe =>
  (e) =>
    `${verb} spec ${text(e.spec)}: ${moved(e.from, e.to)}${typeof e.by === "string" ? `, by ${clip(e.by, 40)}` : ""}${overrideOf(e.override)}`;

/** A gate rule set aside (`--force`, `--self`), as the event records it. */
const overrideOf = (value: unknown): string => {
  const detail = (value as { detail?: unknown } | null)?.detail;
  return typeof detail === "string" ? `, despite ${clip(detail, 60)}` : "";
};

const DESCRIBE: Record<string, Describe> = {
  "workspace.initialized": (e) =>
    `initialized the workspace${typeof e.knowledge_dir === "string" ? ` (knowledge in ${e.knowledge_dir})` : ""}`,
  "topic.created": (e) => `created ${text(e.topic_type)} ${text(e.topic)}`,
  "topic.adopted": (e) =>
    typeof e.reason === "string" && !e.reason.includes("crash")
      ? `recovered topic ${text(e.topic)}, which the catalog did not list`
      : `recovered topic ${text(e.topic)}, left out of the catalog by a crash`,
  "doctor.fixed": (e) =>
    `doctor repaired ${Array.isArray(e.fixes) ? e.fixes.map(text).join(", ") : "what it found"}`,
  "session.started": (e) => `started ${sessionOf(e.session)}`,
  "session.archived": (e) => `archived ${sessionOf(e.session)}`,
  "session.resumed": (e) => `resumed ${sessionOf(e.session)}`,
  "session.spike_attached": (e) => `linked spike ${text(e.spike)} to ${sessionOf(e.session)}`,
  "session.plan_attached": (e) => `linked plan ${text(e.plan)} to ${sessionOf(e.session)}`,
  "session.completed": (e) =>
    `completed ${sessionOf(e.session)}: plan ${text(e.plan)} became ${count(e.tickets, "ticket")}`,
  "ticket.created": (e) =>
    `created ticket ${text(e.ticket)} for ${typeof e.task === "string" ? `task ${JSON.stringify(clip(e.task, 60))} of ` : ""}plan ${text(e.plan)}`,
  "ticket.status": (e) => `ticket ${text(e.ticket)}: ${moved(e.from, e.to)}`,
  "journal.note": (e) => `note: ${text(e.text)}`,
  "journal.decision": (e) => `decided: ${text(e.text)}`,
  "journal.next": (e) => `next step: ${text(e.text)}`,
  "journal.done": (e) => `done: next step ${text(e.step)} (${text(e.text)})`,
  "journal.archived": (e) =>
    typeof e.archive === "string"
      ? `archived the journal to ${e.archive}`
      : "started the journal afresh",
  "plan.phase_failed": (e) =>
    `plan ${text(e.plan)}: phase ${text(e.phase)} failed (${text(e.code)})`,
  "plan.tasks": (e) => `plan ${text(e.plan)}: wrote ${count(e.tasks, "task")}`,
  "plan.views": (e) => `plan ${text(e.plan)}: regenerated the views of ${count(e.tasks, "task")}`,
  "plan.verified": (e) =>
    `verified plan ${text(e.plan)}: ${count(e.errors, "error")}, ${count(e.warnings, "warning")}`,
  "spec.created": (e) =>
    `created spec ${text(e.spec)}${typeof e.plan === "string" ? ` from plan ${e.plan}` : ""}`,
  "spec.setup": (e) =>
    `set up spec ${text(e.spec)}${typeof e.path === "string" ? ` for ${clip(e.path, 60)}` : ""}`,
  "spec.activated": (e) => `activated spec ${text(e.spec)}`,
  "spec.deactivated": (e) =>
    typeof e.previous === "string" ? `deactivated spec ${e.previous}` : "deactivated the spec",
  "spec.branch_updated": (e) =>
    `spec ${text(e.spec)}: branch hint ${moved(e.from ?? "none", e.to ?? "none")}`,
  "spec.migrated": (e) =>
    `migrated ${count(Array.isArray(e.moves) ? e.moves.length : undefined, "spec folder")}`,
  "spec.reopened": (e) =>
    `spec ${text(e.spec)} went back to in_review: its documents changed after approval`,
  "spec.submitted": gate("submitted"),
  "spec.approved": gate("approved"),
  "spec.rejected": gate("rejected"),
  "spec.changes_requested": gate("requested changes to"),
  "spec.started": gate("started"),
  "spec.force_started": gate("force-started"),
  "spec.completed": gate("completed"),
  "plan.task_status": (e) =>
    `plan ${text(e.plan)}: task ${text(e.task)} ${moved(status(e.from), status(e.to))}`,
  "plan.phases_skipped": (e) =>
    `plan ${text(e.plan)}: skipped ${Array.isArray(e.phases) ? e.phases.map(text).join(" and ") : "phases"} (--skip-context)`,
  "import.completed": (e) =>
    `imported ${text(e.format)} from ${text(e.path)}: ${count(e.created, "item")} created, ${count(e.updated, "item")} updated`,
  "crash.undone": (e) => `undid ${count(e.steps, "change")} an interrupted command left half-made`,
  "crash.finished": (e) =>
    `finished ${count(e.steps, "change")} of an interrupted command that had committed`,
};

/** `plan.context`, `plan.conflicts`…: a phase of the plan workflow reached a state. */
const PLAN_PHASE = /^plan\.([a-z_]+)$/;

/** What the event changed, in words, without its time or command. */
export function describeEvent(event: LoggedEvent): string {
  const known = DESCRIBE[event.type];
  if (known) return known(event);
  const phase = PLAN_PHASE.exec(event.type);
  if (phase && typeof event.plan === "string" && typeof event.state === "string") {
    return `plan ${event.plan}: phase ${phase[1]} ${event.state}`;
  }
  return genericSummary(event);
}

/** The event as one line: what changed, then the command that changed it. */
export function summarizeEvent(event: LoggedEvent): string {
  const by = typeof event.command === "string" ? ` (${clip(event.command, 40)})` : "";
  return `${describeEvent(event)}${by}`;
}

const ENVELOPE = new Set(["schema_version", "id", "at", "type", "command"]);
/** A hex digest (a sha256 is 64 digits) or anything as long: shown by its first 8 digits. */
const DIGEST = /^(?:sha256:)?[0-9a-f]{16,}$/i;

/**
 * An event no table entry describes (one a newer Baton records, or a later feature's): its type
 * and its short values by name; lists by their length, objects not at all, digests shortened.
 */
function genericSummary(event: LoggedEvent): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(event)) {
    if (ENVELOPE.has(key) || value === null || value === undefined) continue;
    if (typeof value === "string") {
      parts.push(
        `${key} ${DIGEST.test(value) ? `${value.replace(/^sha256:/i, "").slice(0, 8)}…` : clip(value, 60)}`,
      );
    } else if (typeof value === "number" || typeof value === "boolean") {
      parts.push(`${key} ${value}`);
    } else if (Array.isArray(value)) {
      parts.push(`${key}: ${value.length}`);
    }
  }
  const what = event.type.replaceAll(/[._]/g, " ");
  return parts.length > 0 ? `${what}: ${parts.join(", ")}` : what;
}

function clip(value: string, max: number): string {
  const line = value.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
