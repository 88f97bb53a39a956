import { BatonError } from "../core/errors.ts";
import { type BriefSection, type PackedBrief, packBrief } from "../core/resume.ts";
import { readEvents } from "../store/events.ts";
import { readJournalState } from "../store/journal.ts";
import { type AppContext, isoNow } from "./context.ts";
import { gatherFacts } from "./journal.ts";

export const DEFAULT_BUDGET = 1500;
const BRIEF_BUDGET = 400;

export interface ResumeOptions {
  budget?: number | undefined;
  brief?: boolean | undefined;
}

export interface ResumeBrief extends PackedBrief {
  workspace: string;
  journal: string;
}

/**
 * `baton resume`: everything a fresh agent session needs to continue, most important first,
 * within a token budget. Reads only; safe to run at the start of every conversation.
 */
export function resumeBrief(ctx: AppContext, options: ResumeOptions = {}): ResumeBrief {
  const budget = options.budget ?? (options.brief ? BRIEF_BUDGET : DEFAULT_BUDGET);
  if (!Number.isInteger(budget) || budget < 50) {
    throw new BatonError(
      "INVALID_INPUT",
      `budget ${budget} is too small`,
      "use --budget 50 or more (tokens)",
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
    .map((step, i) => ({ step, n: i + 1 }))
    .filter(({ step }) => !step.done_at)
    .map(({ step, n }) => `- [ ] ${n}. ${step.text}`);
  const next = [...pending, ...facts.suggestions.map((text) => `- ${text}`)];
  const sections: BriefSection[] = [
    { title: "Where things stand", lines: standing, more: "baton status" },
    { title: "Next steps", lines: next, more: "baton journal show" },
    {
      title: "Recent decisions",
      lines: [...journal.decisions].reverse().map((d) => `- ${d.at.slice(0, 16)} ${d.text}`),
      more: "baton journal show",
    },
    {
      title: "Open tickets",
      lines: facts.open_tickets.map((t) => `- ${t.id} [${t.status}] ${t.title}`),
      more: "baton ticket list --status todo",
    },
    {
      title: "Notes",
      lines: [...journal.notes].reverse().map((n) => `- ${n.at.slice(0, 16)} ${n.text}`),
      more: "baton journal show",
    },
  ];
  if (!options.brief) {
    sections.push({
      title: "Last changes",
      lines: readEvents(ws, 12)
        .reverse()
        .map((e) => `- ${e.at.slice(0, 19)} ${e.type}`),
      more: ".baton/events.jsonl",
    });
  }
  return { workspace: ws.root, journal: ws.rel(ws.paths.journal), ...packBrief(sections, budget) };
}
