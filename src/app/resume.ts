import { BatonError } from "../core/errors.ts";
import { type JournalFacts, oneLine } from "../core/journal.ts";
import { type BriefSection, type PackedBrief, packBrief } from "../core/resume.ts";
import { readEvents } from "../store/events.ts";
import { readJournalState } from "../store/journal.ts";
import { type AppContext, isoNow } from "./context.ts";
import { gatherFacts, summarizeEvent } from "./journal.ts";

export const DEFAULT_BUDGET = 1500;
const BRIEF_BUDGET = 400;
const MIN_BUDGET = 50;

export interface ResumeOptions {
  budget?: number | undefined;
  brief?: boolean | undefined;
}

/**
 * The ids an agent acts on, as data rather than prose. Lists hold what the packed sections
 * show, so the structured part never reveals more than the budget let through.
 */
export interface ResumeState {
  session: {
    session_id: string;
    root_seed: string;
    spikes: string[];
    plan: string | null;
    plan_tasks: number | null;
  } | null;
  spec: JournalFacts["spec"];
  current_task: JournalFacts["current_task"];
  /** Unfinished journal next steps, numbered as `baton journal done <n>` takes them. */
  next_steps: { n: number; text: string }[];
  open_tickets: JournalFacts["open_tickets"];
  open_ticket_count: number;
}

export interface ResumeBrief extends PackedBrief {
  workspace: string;
  journal: string;
  state: ResumeState;
}

const TITLES = {
  standing: "Where things stand",
  next: "Next steps",
  decisions: "Recent decisions",
  tickets: "Open tickets",
  notes: "Notes",
  changes: "Last changes",
} as const;

/**
 * `baton resume`: everything a fresh agent session needs to continue, most important first,
 * within a token budget. Reads only; safe to run at the start of every conversation.
 */
export function resumeBrief(ctx: AppContext, options: ResumeOptions = {}): ResumeBrief {
  const budget = options.budget ?? (options.brief ? BRIEF_BUDGET : DEFAULT_BUDGET);
  if (!Number.isInteger(budget) || budget < MIN_BUDGET) {
    throw new BatonError(
      "INVALID_INPUT",
      `budget ${budget} is too small`,
      `use --budget ${MIN_BUDGET} or more (tokens)`,
    );
  }
  const { ws } = ctx;
  const facts = gatherFacts(ws, 12);
  const journal = readJournalState(ws, isoNow(ctx));
  const s = facts.session;
  const standing: string[] = [];
  if (s) {
    standing.push(`- Planning session ${s.session_id} is active, rooted at ${s.root_seed}.`);
    standing.push(`- Spikes: ${s.spikes.length > 0 ? s.spikes.join(", ") : "none yet"}.`);
    standing.push(
      `- Plan: ${s.plan ? `${s.plan}${facts.plan_tasks !== null ? ` with ${facts.plan_tasks} tasks` : ""}` : "none yet"}.`,
    );
  } else {
    standing.push("- No planning session is active.");
  }
  standing.push(
    facts.spec
      ? `- Active spec ${facts.spec.name} is ${facts.spec.stage}${facts.spec.last_known_branch ? ` (branch hint ${facts.spec.last_known_branch})` : ""}.`
      : "- No spec is active.",
  );
  if (facts.current_task)
    standing.push(`- Current task: ${facts.current_task.id} ${facts.current_task.title}.`);
  standing.push(`- Open tickets: ${facts.open_ticket_count}.`);

  const pending = journal.next
    .map((step, i) => ({ n: i + 1, text: oneLine(step.text), done: step.done_at !== null }))
    .filter((step) => !step.done)
    .map(({ n, text }) => ({ n, text }));
  const sections: BriefSection[] = [
    { title: TITLES.standing, lines: standing, more: "baton status" },
    {
      title: TITLES.next,
      lines: [
        ...pending.map((step) => `- [ ] ${step.n}. ${step.text}`),
        ...facts.suggestions.map((text) => `- ${text}`),
      ],
      more: "baton journal show",
    },
    {
      title: TITLES.decisions,
      lines: [...journal.decisions]
        .reverse()
        .map((d) => `- ${d.at.slice(0, 16)} ${oneLine(d.text)}`),
      more: "baton journal show",
    },
    {
      title: TITLES.tickets,
      lines: facts.open_tickets.map((t) => `- ${t.id} [${t.status}] ${oneLine(t.title)}`),
      more: "baton ticket list",
    },
    {
      title: TITLES.notes,
      lines: [...journal.notes].reverse().map((n) => `- ${n.at.slice(0, 16)} ${oneLine(n.text)}`),
      more: "baton journal show",
    },
  ];
  if (!options.brief) {
    sections.push({
      title: TITLES.changes,
      lines: readEvents(ws, 12)
        .reverse()
        .map((e) => `- ${e.at.slice(0, 19)} ${clip(summarizeEvent(e), 120)}`),
      more: ".baton/events.jsonl",
    });
  }
  const packed = packBrief(sections, budget);
  const shown = (title: string): number => {
    const section = packed.sections.find((p) => p.title === title);
    return section ? section.lines.length - (section.omitted > 0 ? 1 : 0) : 0;
  };
  const state: ResumeState = {
    session: s
      ? {
          session_id: s.session_id,
          root_seed: s.root_seed,
          spikes: s.spikes,
          plan: s.plan,
          plan_tasks: facts.plan_tasks,
        }
      : null,
    spec: facts.spec,
    current_task: facts.current_task,
    next_steps: pending.slice(0, shown(TITLES.next)),
    open_tickets: facts.open_tickets.slice(0, shown(TITLES.tickets)),
    open_ticket_count: facts.open_ticket_count,
  };
  return { workspace: ws.root, journal: ws.rel(ws.paths.journal), ...packed, state };
}

function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ");
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
