import {
  addJournalEntry,
  archiveJournalNow,
  type JournalKind,
  type JournalView,
  markNextStepDone,
  showJournal,
} from "../../app/journal.ts";
import { DEFAULT_BUDGET, MIN_BUDGET, resumeBrief } from "../../app/resume.ts";
import { BatonError } from "../../core/errors.ts";
import type { JournalState } from "../../core/journal.ts";
import { renderBrief } from "../../core/resume.ts";
import { type CommandSpec, defineCommand, type Invocation } from "../spec.ts";

function noArguments(inv: Invocation, usage: string): void {
  if (inv.positionals.length > 0) {
    throw new BatonError(
      "USAGE",
      `unexpected argument ${JSON.stringify(inv.positionals[0])}`,
      usage,
    );
  }
}

function showCommand(path: string[]): CommandSpec {
  return defineCommand<JournalView>({
    path,
    summary: "print PLANNING.md, the live journal",
    description:
      "PLANNING.md mirrors the active session, spec, tickets, decisions and next steps; every state-changing command rewrites its generated sections and keeps everything else.",
    examples: ["baton journal", "baton journal show --json"],
    run: (inv) => {
      noArguments(inv, `baton ${path.join(" ")}`);
      return showJournal(inv.context());
    },
    render: (r) => r.text.trimEnd(),
  });
}

function entryCommand(kind: JournalKind, summary: string, example: string): CommandSpec {
  return defineCommand<JournalState>({
    path: ["journal", kind],
    summary,
    positionals: [{ name: "text", required: true, description: "one line" }],
    examples: [example, `${example} --json`],
    run: (inv) => {
      const text = inv.positionals.join(" ").trim();
      if (text === "") throw new BatonError("USAGE", `journal ${kind} needs text`, example);
      return addJournalEntry(inv.context(), kind, text);
    },
    render: (state) => {
      if (kind === "next") return `Next step ${state.next.length} added to PLANNING.md`;
      if (kind === "decide") return `Decision ${state.decisions.length} recorded in PLANNING.md`;
      return `Note ${state.notes.length} added to PLANNING.md`;
    },
  });
}

export const journalCommands: CommandSpec[] = [
  showCommand(["journal"]),
  showCommand(["journal", "show"]),
  entryCommand(
    "note",
    "record a finding under Gathered State",
    'baton journal note "Tokens expire after 1 h"',
  ),
  entryCommand(
    "decide",
    "record a decision, timestamped",
    'baton journal decide "Use arctic for OAuth"',
  ),
  entryCommand(
    "next",
    "add a next step to the checklist",
    'baton journal next "Write the sign-in test"',
  ),
  defineCommand<JournalState>({
    path: ["journal", "done"],
    summary: "tick next step <n> (numbered as in PLANNING.md)",
    positionals: [{ name: "n", required: true, description: "the step's number" }],
    examples: ["baton journal done 2"],
    run: (inv) => {
      const [raw] = inv.positionals;
      const n = Number(raw);
      if (raw === undefined || inv.positionals.length > 1 || !/^-?\d+$/.test(raw)) {
        throw new BatonError(
          "USAGE",
          "journal done needs one step number",
          "baton journal done <n>",
        );
      }
      if (n < 1) {
        throw new BatonError(
          "INVALID_INPUT",
          `there is no next step ${n}`,
          "steps are numbered from 1, as in PLANNING.md",
        );
      }
      return markNextStepDone(inv.context(), n);
    },
    render: (state) =>
      `${state.next.filter((s) => s.done_at).length} of ${state.next.length} next steps done`,
  }),
  defineCommand<{ archived: string | null; file: string }>({
    path: ["journal", "archive"],
    summary: "archive PLANNING.md with a timestamp and start a fresh one",
    description:
      "Archives go to journal.archiveDir as PLANNING-YYYY-MM-DD-HHMMSS.md and are never changed. Baton also archives on its own when a session completes or another replaces it.",
    examples: ["baton journal archive", "baton journal archive --json"],
    run: (inv) => {
      noArguments(inv, "baton journal archive");
      return archiveJournalNow(inv.context());
    },
    render: (r) =>
      r.archived
        ? `Archived to ${r.archived}; ${r.file} starts afresh`
        : `Nothing to archive; ${r.file} starts afresh`,
  }),
];

export const resumeCommand = defineCommand({
  path: ["resume"],
  summary: "what a fresh agent session needs to continue, within a token budget",
  description:
    "Run at the start of every conversation. Most important first: where things stand, next steps, decisions, open tickets, notes, last changes; cut to the budget with pointers to the rest.",
  options: [
    {
      name: "brief",
      type: "boolean",
      description: "only the essentials (budget 400 unless given)",
    },
    {
      name: "budget",
      type: "string",
      value: "<tokens>",
      description: `approximate token budget (default ${DEFAULT_BUDGET}, at least ${MIN_BUDGET}); with --json it covers the whole JSON document, and one too small for the state alone gets the state alone`,
    },
  ],
  examples: ["baton resume", "baton resume --brief", "baton resume --budget 800 --json"],
  run: (inv) => {
    noArguments(inv, "baton resume [--brief] [--budget <tokens>]");
    const raw = inv.options.budget as string | undefined;
    const budget = raw === undefined ? undefined : /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (budget !== undefined && !Number.isSafeInteger(budget)) {
      throw new BatonError(
        "USAGE",
        `--budget must be a whole number of tokens, got ${JSON.stringify(raw)}`,
        "e.g. --budget 1500",
      );
    }
    return resumeBrief(inv.context(), {
      budget,
      brief: inv.options.brief === true,
      json: inv.flags.json,
    });
  },
  render: (r) => renderBrief(r),
});
