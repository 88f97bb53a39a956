import { cmd, prose } from "./command-ref.ts";
import { BatonError, corruptFile } from "./errors.ts";
import type { PlanningSession } from "./planning-session.ts";
import { SCHEMA_VERSION } from "./schema.ts";

export interface JournalEntry {
  at: string;
  text: string;
}

export interface NextStep {
  text: string;
  at: string;
  done_at: string | null;
}

/**
 * `.baton/journal.json`: what agents and people told the journal (notes, decisions, next steps)
 * plus when it started and the last command that changed state. PLANNING.md is rendered from it
 * and from Baton's state; this file is the truth, the Markdown is the view.
 */
export interface JournalState {
  schema_version: number;
  started: string;
  /** The planning session this journal describes (null: none was active). */
  session: string | null;
  notes: JournalEntry[];
  decisions: JournalEntry[];
  next: NextStep[];
}

/** Facts read from the rest of Baton's state at render time. */
export interface JournalFacts {
  session: PlanningSession | null;
  plan_tasks: number | null;
  spec: {
    name: string;
    stage: string;
    last_known_branch: string | null;
    /** Present when the spec was approved and its documents changed since. */
    changed_since_approval?: true;
  } | null;
  current_task: { id: string; title: string; status: string } | null;
  /** The active spec's work while it is implemented: tasks held by live leases, tasks ready. */
  work?: { spec: string; claimed: number; ready: number } | null;
  open_tickets: { id: string; title: string; status: string }[];
  open_ticket_count: number;
  recent_events: { at: string; summary: string }[];
  suggestions: string[];
  /** The command that made the change being mirrored, shown as the active command. */
  command?: string | null;
}

/**
 * The journal a new session starts with: unfinished next steps are still next steps, so they
 * carry over; notes and decisions stay with the archived PLANNING.md they belong to.
 */
export function carryOver(previous: JournalState, now: string): JournalState {
  return { ...newJournalState(now), next: previous.next.filter((step) => !step.done_at) };
}

/** Events after which the session a journal describes is over. */
const SESSION_ENDINGS = new Set(["session.completed", "session.archived"]);

/**
 * Whether the session the journal describes is over, so the journal is archived and begins
 * afresh: this change completed or replaced it, or another session (or none) is active while
 * the journal still names it, which is what a writer killed between the change and the journal
 * update leaves behind.
 */
export function planningSessionEnded(
  state: JournalState,
  activePlanningSession: string | null,
  eventTypes: string[],
): boolean {
  if (eventTypes.some((type) => SESSION_ENDINGS.has(type))) return true;
  return state.session !== null && state.session !== activePlanningSession;
}

/** Events after which PLANNING.md starts afresh: what came before is in the archived one. */
const JOURNAL_BOUNDARIES = new Set([...SESSION_ENDINGS, "journal.archived"]);

/** The events (oldest first) after the last one that archived the journal. */
export function sinceLastArchive<T extends { type: string }>(events: readonly T[]): T[] {
  for (let i = events.length - 1; i >= 0; i--) {
    if (JOURNAL_BOUNDARIES.has((events[i] as T).type)) return events.slice(i + 1);
  }
  return [...events];
}

export function newJournalState(now: string): JournalState {
  return {
    schema_version: SCHEMA_VERSION,
    started: now,
    session: null,
    notes: [],
    decisions: [],
    next: [],
  };
}

export function parseJournalState(data: Record<string, unknown>, file: string): JournalState {
  const list = (key: string): unknown[] => {
    const value = data[key] ?? [];
    if (!Array.isArray(value)) {
      throw corruptFile(file, `${key} must be a list`, "restore the file from git");
    }
    return value;
  };
  const entries = (key: string): JournalEntry[] =>
    list(key).map((e) => {
      const entry = e as Partial<JournalEntry>;
      if (typeof entry?.text !== "string" || typeof entry.at !== "string") {
        throw corruptFile(file, `an entry of ${key} is malformed`, "restore the file from git");
      }
      return { at: entry.at, text: entry.text };
    });
  const next = list("next").map((e) => {
    const step = e as Partial<NextStep>;
    if (typeof step?.text !== "string" || typeof step.at !== "string") {
      throw corruptFile(file, "a next step is malformed", "restore the file from git");
    }
    return {
      text: step.text,
      at: step.at,
      done_at: typeof step.done_at === "string" ? step.done_at : null,
    };
  });
  if (typeof data.started !== "string") {
    throw corruptFile(file, "started is missing", "restore the file from git");
  }
  return {
    schema_version: data.schema_version as number,
    started: data.started,
    session: typeof data.session === "string" ? data.session : null,
    notes: entries("notes"),
    decisions: entries("decisions"),
    next,
  };
}

/** Marks next step `n` (1-based, as shown in PLANNING.md) done. */
export function completeNextStep(state: JournalState, n: number, now: string): JournalState {
  const step = state.next[n - 1];
  if (!Number.isInteger(n) || !step) {
    throw new BatonError(
      "INVALID_INPUT",
      `there is no next step ${n}`,
      state.next.length > 0
        ? `pick 1 to ${state.next.length} (see: ${cmd("journal show")})`
        : `add one first: ${cmd("journal add", { kind: "next", text: prose("text") })}`,
    );
  }
  if (step.done_at) return state;
  const next = state.next.map((s, i) => (i === n - 1 ? { ...s, done_at: now } : s));
  return { ...state, next };
}

export const JOURNAL_SECTIONS = [
  "Session Context",
  "Active Artifacts",
  "Gathered State",
  "Decisions Made",
  "Next Steps",
] as const;

const slug = (title: string) => title.toLowerCase().replace(/[^a-z]+/g, "-");
const begin = (title: string) => `<!-- baton:begin ${slug(title)} -->`;
const end = (title: string) => `<!-- baton:end ${slug(title)} -->`;

const PREAMBLE = [
  "# PLANNING",
  "",
  "The live planning state of this repository, kept current by Baton on every change so that a",
  "fresh agent session can continue from here (run `baton resume`). Sections between `baton:begin`",
  "and `baton:end` markers are regenerated; anything written outside them is kept as it is.",
  "",
].join("\n");

/**
 * Rebuilds the generated sections of PLANNING.md. Each lives between its own markers; text
 * outside the markers is preserved byte for byte, and a section whose markers are missing is
 * appended at the end.
 */
export function renderJournal(
  existing: string | null,
  state: JournalState,
  facts: JournalFacts,
): string {
  let doc = existing ?? PREAMBLE;
  for (const title of JOURNAL_SECTIONS) {
    const body = sectionBody(title, state, facts).replaceAll("<!--", "&lt;!--");
    const block = `${begin(title)}\n## ${title}\n\n${body}\n${end(title)}`;
    // The begin marker nearest before the first end marker that follows one: a marker a
    // person deleted leaves its partner orphaned, and text after an orphan must not be taken
    // for part of the section.
    const first = doc.indexOf(begin(title));
    const stop = first === -1 ? -1 : doc.indexOf(end(title), first);
    const start = stop === -1 ? -1 : doc.lastIndexOf(begin(title), stop);
    if (start !== -1 && stop !== -1) {
      doc = doc.slice(0, start) + block + doc.slice(stop + end(title).length);
    } else {
      const base = doc.endsWith("\n") ? doc : `${doc}\n`;
      doc = `${base}\n${block}\n`;
    }
  }
  return doc;
}

function sectionBody(
  title: (typeof JOURNAL_SECTIONS)[number],
  state: JournalState,
  facts: JournalFacts,
): string {
  switch (title) {
    case "Session Context":
      return lines([
        `- Started: ${state.started} (this journal)${facts.session ? `; session ${facts.session.session_id} started ${facts.session.created}` : ""}`,
        `- Current task: ${facts.current_task ? `${facts.current_task.id} ${facts.current_task.title} (${facts.current_task.status})` : "none"}`,
        `- Active command: ${facts.command ? `\`${facts.command}\`` : "none"}`,
      ]);
    case "Active Artifacts": {
      const s = facts.session;
      const out = [`- Planning session: ${s ? `${s.session_id} (${s.state})` : "none active"}`];
      if (s) {
        out.push(`- Seed: ${s.root_seed}`);
        out.push(`- Spikes: ${s.spikes.length > 0 ? s.spikes.join(", ") : "none"}`);
        out.push(
          `- Plan: ${s.plan ?? "none"}${facts.plan_tasks !== null ? ` (${facts.plan_tasks} tasks)` : ""}`,
        );
      }
      out.push(
        `- Spec: ${facts.spec ? `${facts.spec.name} (${facts.spec.stage}${facts.spec.changed_since_approval ? ", changed since approval" : ""}${facts.spec.last_known_branch ? `, branch ${facts.spec.last_known_branch}` : ""})` : "none active"}`,
      );
      if (facts.work) {
        out.push(
          `- Work: ${facts.work.claimed} task${facts.work.claimed === 1 ? "" : "s"} claimed, ${facts.work.ready} ready (baton work list ${facts.work.spec}, baton work next ${facts.work.spec})`,
        );
      }
      out.push(
        `- Tickets: ${facts.open_ticket_count} open${facts.open_tickets.length > 0 ? `: ${facts.open_tickets.map((t) => t.id).join(", ")}` : ""}`,
      );
      return lines(out);
    }
    case "Gathered State": {
      const out = state.notes.map((n) => `- ${n.at} — ${n.text}`);
      if (facts.recent_events.length > 0) {
        if (out.length > 0) out.push("");
        out.push(
          "Recent changes:",
          ...facts.recent_events.map((e) => `- ${e.at.slice(0, 19)} ${e.summary}`),
        );
      }
      return out.length > 0
        ? lines(out)
        : '_Nothing gathered yet. Add findings with `baton journal note "<text>"`._';
    }
    case "Decisions Made":
      return state.decisions.length > 0
        ? lines(state.decisions.map((d) => `- ${d.at} — ${d.text}`))
        : '_No decisions recorded yet. Record one with `baton journal decide "<text>"`._';
    case "Next Steps": {
      const out = state.next.map(
        (step, i) => `- [${step.done_at ? "x" : " "}] ${i + 1}. ${step.text}`,
      );
      if (facts.suggestions.length > 0) {
        if (out.length > 0) out.push("");
        out.push("Suggested by Baton:", ...facts.suggestions.map((s) => `- ${s}`));
      }
      return out.length > 0
        ? lines(out)
        : '_No next steps yet. Add one with `baton journal next "<text>"`._';
    }
  }
}

/** One list item per line, whatever the text inside an item holds. */
function lines(items: string[]): string {
  return items.map((item) => item.replace(/\s*[\r\n]+\s*/g, " ")).join("\n");
}

/**
 * An entry as one line: a line break inside a note would end its list item, and the rest could
 * pass for text of the person's own.
 */
export function oneLine(text: string): string {
  return text.trim().replace(/\s*[\r\n]+\s*/g, " ");
}

/** `PLANNING-YYYY-MM-DD-HHMMSS.md`, with `-2`, `-3`… when that second already has an archive. */
export function archiveName(date: Date, n: number): string {
  const iso = date.toISOString();
  const stamp = `${iso.slice(0, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
  return `PLANNING-${stamp}${n > 1 ? `-${n}` : ""}.md`;
}
