import { cmd } from "../../core/command-ref.ts";
import { BatonError } from "../../core/errors.ts";
import { summarizeEvent } from "../../core/event-summary.ts";
import {
  type JournalFacts,
  type JournalState,
  newJournalState,
  oneLine,
} from "../../core/journal.ts";
import {
  type BriefSection,
  estimateTokens,
  type PackedBrief,
  packBrief,
} from "../../core/resume.ts";
import { type BatonEvent, readEvents } from "../../store/events.ts";
import { journalFileName, readJournalState } from "../../store/journal.ts";
import type { Workspace } from "../../store/workspace.ts";
import { type AppContext, isoNow } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { journalFacts } from "../read/facts.ts";
import { specsUnderWay } from "../read/spec.ts";
import { type SpecWorkFacts, workFacts } from "../read/work.ts";

export const DEFAULT_BUDGET = 1500;
export const BRIEF_BUDGET = 400;
export const MIN_BUDGET = 50;
/**
 * The JSON document's keys and state take about 150 tokens before any section is shown: a
 * smaller JSON budget gets that structure alone, which is the least an answer can be.
 */
export const MIN_JSON_BUDGET = 250;

export interface ResumeOptions {
  budget?: number | undefined;
  brief?: boolean | undefined;
  /** The result is printed as JSON: the budget covers the whole document. */
  json?: boolean | undefined;
}

/**
 * `baton resume`: reads only; safe to run at the start of every conversation. The budget covers
 * what is printed: the text, or with `--json` (and for every tool) the whole JSON document.
 */
export const resume = defineOperation({
  name: "resume",
  summary: "what a fresh agent session needs to continue, within a token budget",
  description:
    "Run at the start of every conversation. Most important first: where things stand, next steps, decisions, open tickets, notes, last changes; cut to the budget with pointers to the rest.",
  examples: ["baton resume", "baton resume --brief", "baton resume --budget 800 --json"],
  access: "read",
  input: {
    brief: {
      type: "boolean",
      description: "only the essentials (budget 400 unless given)",
      apiDescription: "only the essentials",
    },
    budget: {
      type: "int",
      min: MIN_BUDGET,
      example: DEFAULT_BUDGET,
      description: `approximate token budget (default ${DEFAULT_BUDGET}, at least ${MIN_BUDGET}); with --json it covers the whole JSON document, and one too small for the state alone gets the state alone`,
      apiDescription: `token budget for the whole JSON answer (default ${DEFAULT_BUDGET}); the state alone if it is too small`,
      cli: { value: "<tokens>" },
    },
  },
  tool: {
    description:
      "Everything a fresh agent session needs to continue the work, packed within a token budget.",
  },
  run: (env, input): ResumeBrief =>
    resumeBrief(env.context(), {
      budget: input.budget,
      brief: input.brief === true,
      json: env.output === "json",
    }),
});

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
  /** Present when specs are being worked on: their sessions under way and first ready tasks. */
  work?: SpecWorkFacts[];
}

export interface ResumeBrief extends PackedBrief {
  workspace: string;
  journal: string;
  state: ResumeState;
}

const TITLES = {
  standing: "Where things stand",
  work: "Work sessions",
  next: "Next steps",
  decisions: "Recent decisions",
  tickets: "Open tickets",
  notes: "Notes",
  changes: "Last changes",
} as const;

/** How far back in the event log `resume` looks for decisions an archived journal took along. */
const DECISION_EVENTS = 400;
const CHANGE_EVENTS = 12;

/**
 * Everything a fresh agent session needs to continue, most important first, within a token
 * budget. With `json`, the budget holds for the JSON document as printed, not only for its text.
 */
export function resumeBrief(ctx: AppContext, options: ResumeOptions = {}): ResumeBrief {
  const budget = options.budget ?? (options.brief ? BRIEF_BUDGET : DEFAULT_BUDGET);
  const compose = briefComposer(ctx, options.brief === true);
  if (!options.json) return compose(budget);
  // The structured part and the JSON syntax cost tokens too: find the largest text budget whose
  // whole document fits (state lists shrink with the text, as they hold only what it shows).
  // When not even the structure alone fits, that structure is the answer, marked truncated,
  // and its `tokens` say what it costs.
  let result = compose(budget);
  if (jsonTokens(result) > budget) {
    let low = 0;
    let high = budget - 1;
    result = compose(0);
    while (low <= high) {
      const mid = Math.floor((low + high) / 2);
      const candidate = compose(mid);
      if (jsonTokens({ ...candidate, budget }) <= budget) {
        result = candidate;
        low = mid + 1;
      } else high = mid - 1;
    }
    result = { ...result, truncated: true };
  }
  const fitted = { ...result, budget };
  return { ...fitted, tokens: jsonTokens(fitted) };
}

function jsonTokens(value: unknown): number {
  return estimateTokens(`${JSON.stringify(value, null, 2)}\n`);
}

/** Reads the state once; the returned function packs it into any budget. */
function briefComposer(ctx: AppContext, brief: boolean): (budget: number) => ResumeBrief {
  const { ws } = ctx;
  const facts = journalFacts(ws, CHANGE_EVENTS);
  const { journal, warning } = journalOrWarning(ws, isoNow(ctx));
  const events = readEvents(ws, DECISION_EVENTS);
  const s = facts.session;
  const standing: string[] = [];
  if (warning) standing.push(warning);
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
      ? `- Active spec ${facts.spec.name} is ${facts.spec.stage}${facts.spec.changed_since_approval ? ": its documents changed after approval, so it needs approving again before implementation" : ""}${facts.spec.last_known_branch ? ` (branch hint ${facts.spec.last_known_branch})` : ""}.`
      : inactiveSpecsLine(specsUnderWay(ws)),
  );
  if (facts.current_task)
    standing.push(`- Current task: ${facts.current_task.id} ${facts.current_task.title}.`);
  standing.push(`- Open tickets: ${facts.open_ticket_count}.`);

  const pending = journal.next
    .map((step, i) => ({ n: i + 1, text: oneLine(step.text), done: step.done_at !== null }))
    .filter((step) => !step.done)
    .map(({ n, text }) => ({ n, text }));
  const work = workFacts(ws, ctx.now());
  const sections: BriefSection[] = [
    { title: TITLES.standing, lines: standing, more: "baton status" },
    { title: TITLES.work, lines: workLines(work), more: "baton work list" },
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
      lines: recentDecisions(journal.decisions, events).map(
        (d) => `- ${d.at.slice(0, 16)} ${oneLine(d.text)}`,
      ),
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
  if (!brief) {
    sections.push({
      title: TITLES.changes,
      lines: events
        .slice(-CHANGE_EVENTS)
        .reverse()
        .map((e) => `- ${e.at.slice(0, 19)} ${clip(summarizeEvent(e), 120)}`),
      more: ".baton/events.jsonl",
    });
  }
  return (budget) => {
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
      ...(shown(TITLES.work) > 0 ? { work: shownWork(work, shown(TITLES.work)) } : {}),
    };
    return { workspace: ws.root, journal: journalFileName(ws), ...packed, state };
  };
}

/** The work facts the first `lines` lines of the work section show (see workLines). */
function shownWork(work: readonly SpecWorkFacts[], lines: number): SpecWorkFacts[] {
  const out: SpecWorkFacts[] = [];
  let left = lines;
  for (const w of work) {
    if (left <= 0) break;
    left -= 1;
    const sessions = w.sessions.slice(0, Math.max(0, left));
    left -= sessions.length;
    out.push({ ...w, sessions });
  }
  return out;
}

/** Per spec being worked on: its sessions under way (what each holds) and the ready tasks. */
function workLines(work: readonly SpecWorkFacts[]): string[] {
  const lines: string[] = [];
  for (const w of work) {
    const ready =
      w.ready_count === 0
        ? "no task ready"
        : `ready: ${w.ready.map((t) => t.id).join(", ")}${w.ready_count > w.ready.length ? ` and ${w.ready_count - w.ready.length} more` : ""} (baton work claim ${w.spec} --session <ws>)`;
    lines.push(
      `- Spec ${w.spec} (${w.stage}): ${w.live} live session${w.live === 1 ? "" : "s"}; ${ready}.`,
    );
    for (const s of w.sessions) {
      lines.push(
        `  - ${s.id}${s.name ? ` "${oneLine(s.name)}"` : ""} [${s.liveness}] ${s.percent}%${s.claims.length > 0 ? `, holds ${s.claims.join(", ")}` : ""}`,
      );
    }
  }
  return lines;
}

/**
 * The journal's decisions, newest first, then the decisions the event log still holds from
 * journals archived since (a completed session takes its journal along, but its decisions still
 * bind the work on its tickets).
 */
function recentDecisions(
  kept: readonly { at: string; text: string }[],
  events: readonly BatonEvent[],
): { at: string; text: string }[] {
  const seen = new Set(kept.map((d) => `${d.at}\0${d.text}`));
  const earlier = events
    .filter((e) => e.type === "journal.decision" && typeof e.text === "string")
    .map((e) => ({ at: e.at, text: e.text as string }))
    .filter((d) => !seen.has(`${d.at}\0${d.text}`));
  return [...earlier, ...kept].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/** A journal.json that cannot be read must not stop the recovery tool: resume says so instead. */
function journalOrWarning(
  ws: Workspace,
  now: string,
): { journal: JournalState; warning: string | null } {
  try {
    return { journal: readJournalState(ws, now), warning: null };
  } catch (error) {
    if (!(error instanceof BatonError)) throw error;
    return {
      journal: newJournalState(now),
      warning: `- Warning: ${error.message}; its notes, decisions and next steps are not shown (${error.hint}).`,
    };
  }
}

function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ");
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * Without an active spec (the pointer is per machine, so a fresh clone has none), the specs still
 * under way, so an agent on a new machine finds the one it was working on.
 */
function inactiveSpecsLine(underWay: readonly { name: string; stage: string }[]): string {
  if (underWay.length === 0) return "- No spec is active.";
  const shown = underWay
    .slice(0, 5)
    .map((s) => `${s.name} (${s.stage})`)
    .join(", ");
  const more = underWay.length > 5 ? ` and ${underWay.length - 5} more` : "";
  return `- No spec is active on this machine; specs under way: ${shown}${more} (${cmd("spec activate", { name: "<name>" })}).`;
}
