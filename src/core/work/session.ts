/**
 * A work session: one agent (or person) implementing tasks of an approved spec. Its record is
 * `{planning.dir}/{spec}/work/{ws-id}.json`; its state moves by the table below, and a refused
 * move names the moves its state allows. Liveness (working, idle, waiting, stale, gone) is
 * derived from the record at read time (liveness.ts), never stored as truth.
 */
import { cmd } from "../command-ref.ts";
import { BatonError } from "../errors.ts";
import { isWorkSessionId, isWorkTaskId } from "../ids.ts";
import { checkSchemaVersion, SCHEMA_VERSION } from "../schema.ts";
import { assertSpecName } from "../spec/status.ts";

/**
 * active: at work; blocked: held up by another session or task; waiting: on a human; then one of
 * the three ends, after which nothing more happens to the session.
 */
export const WORK_STATES = ["active", "blocked", "waiting", "done", "failed", "cancelled"] as const;
export type WorkState = (typeof WORK_STATES)[number];

export const END_STATES = ["done", "failed", "cancelled"] as const;
export type EndState = (typeof END_STATES)[number];

export type WorkAction = "block" | "unblock" | "wait" | "end";

const OPEN: readonly WorkState[] = ["active", "blocked", "waiting"];

/** The state machine: which states each action leaves from, and where it goes. */
const TRANSITIONS: Record<WorkAction, { from: readonly WorkState[]; to: WorkState | null }> = {
  block: { from: ["active", "waiting"], to: "blocked" },
  unblock: { from: ["blocked", "waiting"], to: "active" },
  wait: { from: ["active", "blocked"], to: "waiting" },
  // The end state is the one asked for (done, failed or cancelled).
  end: { from: OPEN, to: null },
};

export function isEnded(state: WorkState): boolean {
  return (END_STATES as readonly string[]).includes(state);
}

/** A task a session claimed, and what became of its claim. */
export interface SessionTask {
  id: string;
  /** The fencing token the session got with its claim. */
  token: number;
  /** held: its claim; released: given back; done: finished; lost: taken over after the lease ran out. */
  state: "held" | "released" | "done" | "lost";
  /** When the claim was taken. */
  claimed: string;
  /** When it stopped being held (released, done, lost), or null. */
  until: string | null;
  /** How far along the session says it is with the task (`work progress --task`), 0..100. */
  percent?: number;
  note?: string;
}

/** What a session said of itself (`work progress` without `--task`). */
export interface SessionReport {
  percent: number;
  note: string | null;
  at: string;
}

export interface AgentMapping {
  /** What kind of agent works in the session (`claude-code`, `codex`, `human`…). */
  kind: string | null;
  /** The agent instance, one per spec (the source design's editor instance). */
  instance: string | null;
  /** The thread of that instance this session is, one per session. */
  thread: string | null;
  /** Where to open it (a URL or a path). */
  link: string | null;
}

/** A message in a session's inbox (the same message is a `work.message` event in the timeline). */
export interface InboxMessage {
  /** The event's id. */
  id: string;
  at: string;
  /** The session that sent it, or null for a person or an agent outside a session. */
  from: string | null;
  /** `session`: sent to this session; `spec`: to every session of the spec. */
  to: "session" | "spec";
  text: string;
}

/** The inbox keeps the latest messages; the timeline keeps them all. */
export const INBOX_KEPT = 100;

export interface WorkSession {
  schema_version: number;
  id: string;
  spec: string;
  name: string | null;
  description: string | null;
  /** The session that spawned this one, or null. */
  parent: string | null;
  agent: AgentMapping;
  /** The agent's local process, when one was given: a dead one makes the session gone. */
  process: { pid: number; host: string } | null;
  state: WorkState;
  /** Why the session is blocked or waiting. */
  reason: string | null;
  /** What a blocked session waits for: another session or a task of the spec. */
  blocked_on: { session: string } | { task: string } | null;
  /** How the session ended (`work end --summary`). */
  summary: string | null;
  inbox: InboxMessage[];
  /** Its own report of how far along it is, or null. */
  progress: SessionReport | null;
  /** The spec was started without approval for it (`work start --force`, recorded). */
  forced: boolean;
  tasks: SessionTask[];
  created: string;
  updated: string;
  /** The last command of the session (heartbeats included): its leases run from here. */
  seen: string;
  ended: string | null;
}

export interface NewSessionInput {
  id: string;
  spec: string;
  name?: string | null | undefined;
  description?: string | null | undefined;
  parent?: string | null | undefined;
  agent?: Partial<AgentMapping> | undefined;
  process?: { pid: number; host: string } | null | undefined;
  forced?: boolean | undefined;
  now: string;
}

export function newWorkSession(input: NewSessionInput): WorkSession {
  return {
    schema_version: SCHEMA_VERSION,
    id: input.id,
    spec: input.spec,
    name: input.name ?? null,
    description: input.description ?? null,
    parent: input.parent ?? null,
    agent: {
      kind: input.agent?.kind ?? null,
      instance: input.agent?.instance ?? null,
      thread: input.agent?.thread ?? null,
      link: input.agent?.link ?? null,
    },
    process: input.process ?? null,
    state: "active",
    reason: null,
    blocked_on: null,
    summary: null,
    inbox: [],
    progress: null,
    forced: input.forced === true,
    tasks: [],
    created: input.now,
    updated: input.now,
    seen: input.now,
    ended: null,
  };
}

/** The tasks whose claims the session holds (as far as its record knows). */
export function heldTasks(session: WorkSession): SessionTask[] {
  return session.tasks.filter((t) => t.state === "held");
}

/** The command a person types for an action on a session. */
function commandFor(action: WorkAction, id: string): string {
  switch (action) {
    case "block":
      return cmd("work block", { session: id, on: "<ws|task>", reason: "<text>" });
    case "unblock":
      return cmd("work unblock", { session: id });
    case "wait":
      return cmd("work wait", { session: id, reason: "<text>" });
    case "end":
      return cmd("work end", { session: id, state: "<done|failed|cancelled>", summary: "<text>" });
  }
}

/** The actions a state allows. */
export function allowedWorkActions(state: WorkState): WorkAction[] {
  return (Object.keys(TRANSITIONS) as WorkAction[]).filter((a) =>
    TRANSITIONS[a].from.includes(state),
  );
}

/** The refusal for `what` (an action or a command) on a session in a state that does not allow it. */
export function stateRefusal(session: WorkSession, what: string, needs: readonly WorkState[]) {
  const allowed = allowedWorkActions(session.state);
  return new BatonError(
    "STATE_CONFLICT",
    `work session ${session.id} is ${session.state}; ${what} needs ${needs.join(", ").replace(/, ([^,]*)$/, " or $1")}`,
    allowed.length > 0
      ? `from ${session.state} you can run: ${allowed.map((a) => commandFor(a, session.id)).join("; ")}`
      : `${session.state} is final; start another session: ${cmd("work start", { spec: session.spec })}`,
  );
}

/** Refuses a command that needs a session still under way (not ended). */
export function assertOpen(session: WorkSession, what: string): void {
  if (isEnded(session.state)) throw stateRefusal(session, what, OPEN);
}

/**
 * The session after `action`, or a STATE_CONFLICT naming the moves its state allows. `end` takes
 * the end state asked for.
 */
export function workTransition(
  session: WorkSession,
  action: WorkAction,
  at: string,
  options: {
    to?: EndState;
    reason?: string | null;
    on?: WorkSession["blocked_on"];
    summary?: string | null;
  } = {},
): WorkSession {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(session.state)) throw stateRefusal(session, action, rule.from);
  const to = rule.to ?? options.to;
  if (to === undefined || to === null) {
    throw new BatonError("INTERNAL", `${action} needs an end state`, "report this bug");
  }
  return {
    ...session,
    state: to,
    reason: options.reason ?? null,
    blocked_on: to === "blocked" ? (options.on ?? null) : null,
    summary: isEnded(to) ? (options.summary ?? null) : session.summary,
    updated: at,
    seen: at,
    ended: isEnded(to) ? at : session.ended,
  };
}

function isPercent(value: unknown): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 100;
}

/** Validates a parsed work session file. */
export function parseWorkSession(data: unknown, file: string): WorkSession {
  const record = checkSchemaVersion(data, file);
  const bad = (field: string): never => {
    throw new BatonError(
      "CORRUPT_FILE",
      `${file}: field ${field} is missing or malformed`,
      "fix the field or restore the file from git",
    );
  };
  const str = (key: string): string =>
    typeof record[key] === "string" ? (record[key] as string) : bad(key);
  const opt = (value: unknown, key: string): string | null =>
    value === null || value === undefined ? null : typeof value === "string" ? value : bad(key);
  const id = str("id");
  if (!isWorkSessionId(id)) bad("id");
  const spec = str("spec");
  try {
    assertSpecName(spec);
  } catch {
    bad("spec");
  }
  const parent = opt(record.parent, "parent");
  if (parent !== null && !isWorkSessionId(parent)) bad("parent");
  const state = str("state") as WorkState;
  if (!WORK_STATES.includes(state)) bad("state");
  const agent = (record.agent ?? {}) as Record<string, unknown>;
  if (typeof agent !== "object" || Array.isArray(agent)) bad("agent");
  const proc = record.process;
  let process: WorkSession["process"] = null;
  if (proc !== null && proc !== undefined) {
    const p = proc as Record<string, unknown>;
    if (typeof p.pid !== "number" || !Number.isSafeInteger(p.pid) || typeof p.host !== "string")
      bad("process");
    process = { pid: p.pid as number, host: p.host as string };
  }
  const tasks = record.tasks ?? [];
  if (!Array.isArray(tasks)) bad("tasks");
  const parsedTasks = (tasks as unknown[]).map((t): SessionTask => {
    const task = t as Record<string, unknown>;
    if (
      typeof task?.id !== "string" ||
      !isWorkTaskId(task.id) ||
      typeof task.token !== "number" ||
      !["held", "released", "done", "lost"].includes(task.state as string) ||
      typeof task.claimed !== "string"
    )
      bad("tasks");
    const percent = task.percent;
    if (percent !== undefined && !isPercent(percent)) bad("tasks");
    if (task.note !== undefined && typeof task.note !== "string") bad("tasks");
    return {
      id: task.id as string,
      token: task.token as number,
      state: task.state as SessionTask["state"],
      claimed: task.claimed as string,
      until: opt(task.until, "tasks"),
      ...(percent !== undefined ? { percent: percent as number } : {}),
      ...(typeof task.note === "string" ? { note: task.note } : {}),
    };
  });
  const on = record.blocked_on as Record<string, unknown> | null | undefined;
  let blockedOn: WorkSession["blocked_on"] = null;
  if (on !== null && on !== undefined) {
    if (typeof on.session === "string" && isWorkSessionId(on.session))
      blockedOn = { session: on.session };
    else if (typeof on.task === "string" && isWorkTaskId(on.task)) blockedOn = { task: on.task };
    else bad("blocked_on");
  }
  const inbox = record.inbox ?? [];
  if (!Array.isArray(inbox)) bad("inbox");
  const messages = (inbox as unknown[]).map((m): InboxMessage => {
    const msg = m as Record<string, unknown>;
    if (
      typeof msg?.id !== "string" ||
      typeof msg.at !== "string" ||
      typeof msg.text !== "string" ||
      (msg.to !== "session" && msg.to !== "spec") ||
      (msg.from !== null && (typeof msg.from !== "string" || !isWorkSessionId(msg.from)))
    )
      bad("inbox");
    return {
      id: msg.id as string,
      at: msg.at as string,
      from: msg.from as string | null,
      to: msg.to as InboxMessage["to"],
      text: msg.text as string,
    };
  });
  const report = record.progress as Record<string, unknown> | null | undefined;
  let progress: SessionReport | null = null;
  if (report !== null && report !== undefined) {
    if (!isPercent(report.percent) || typeof report.at !== "string") bad("progress");
    progress = {
      percent: report.percent as number,
      note: opt(report.note, "progress"),
      at: report.at as string,
    };
  }
  return {
    schema_version: record.schema_version as number,
    id,
    spec,
    name: opt(record.name, "name"),
    description: opt(record.description, "description"),
    parent,
    agent: {
      kind: opt(agent.kind, "agent.kind"),
      instance: opt(agent.instance, "agent.instance"),
      thread: opt(agent.thread, "agent.thread"),
      link: opt(agent.link, "agent.link"),
    },
    process,
    state,
    reason: opt(record.reason, "reason"),
    blocked_on: blockedOn,
    summary: opt(record.summary, "summary"),
    inbox: messages,
    progress,
    forced: record.forced === true,
    tasks: parsedTasks,
    created: str("created"),
    updated: str("updated"),
    seen: str("seen"),
    ended: opt(record.ended, "ended"),
  };
}
