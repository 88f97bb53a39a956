import { z } from "zod";
import { createPlan, createSpike } from "../app/attach.ts";
import { createBacklog } from "../app/backlog.ts";
import type { AppContext } from "../app/context.ts";
import {
  addJournalEntry,
  archiveJournalNow,
  JOURNAL_KINDS,
  markNextStepDone,
  showJournal,
} from "../app/journal.ts";
import { OPERATIONS } from "../app/operations.ts";
import { planConflicts } from "../app/plan-conflicts.ts";
import { planContext } from "../app/plan-context.ts";
import { runPlanWorkflow } from "../app/plan-run.ts";
import { planStatus } from "../app/plan-status.ts";
import { setPlanTaskStatus, showPlanTask } from "../app/plan-task-status.ts";
import { planNext, verifyPlan, writePlanTaskSet } from "../app/plan-tasks.ts";
import {
  DEFAULT_BUDGET,
  MIN_BUDGET,
  MIN_JSON_BUDGET,
  type ResumeBrief,
  resumeBrief,
} from "../app/resume.ts";
import {
  activeSession,
  createSeed,
  listSessions,
  resumeSessionById,
  summarizeSession,
} from "../app/sessions.ts";
import { workspaceStatus } from "../app/status.ts";
import { listTopics, showTopic } from "../app/topic-queries.ts";
import { TOPIC_TYPES } from "../core/ids.ts";
import { TASK_STATUSES } from "../core/plan/tasks.ts";
import { jsonBytes, MAX_RESULT_BYTES } from "./cap.ts";
import { deriveTools } from "./derive.ts";
import { body, DEFAULT_LIMIT, firstRows, id, page, paged, pageLists } from "./inputs.ts";
import { JOURNAL_LISTS, journalAdded, journalPage, journalTicked } from "./views.ts";

/** What a tool's handler receives besides its arguments. */
export interface ToolEnv {
  ctx: AppContext;
  cwd: string;
  notice(message: string): void;
}

export interface ToolDef {
  name: string;
  /** The CLI command it mirrors (`ticket set-status`); its inputs are that command's arguments. */
  cli: string;
  title: string;
  description: string;
  input: Record<string, z.ZodType>;
  /** Reads only: MCP clients may call it without asking the user. */
  readOnly: boolean;
  /** Result lists that `offset` pages (dotted paths), so a cut there says where to go on. */
  pages?: readonly string[];
  /** How to get what the size cap cut from a result, when paging is not the way. */
  more?: string;
  /** Checks the arguments (a derived tool: the operation's own field checks); default: `input`. */
  check?: (args: Record<string, unknown>) => Record<string, unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: arguments are validated by `input` first.
  run(env: ToolEnv, args: any): unknown;
}

/**
 * resume packs its brief to a token budget, but tokens are not bytes (a Japanese note costs
 * three bytes a character): a brief over the size cap is packed again to a smaller budget, so
 * it is cut where resume cuts, with its own "… N more" pointers, rather than mid-list.
 */
function resumeWithinCap(
  ctx: AppContext,
  options: { budget?: number; brief?: boolean },
): ResumeBrief & { requested_budget?: number } {
  let brief = resumeBrief(ctx, { ...options, json: true });
  const requested = brief.budget;
  for (let i = 0; i < 4; i++) {
    const bytes = jsonBytes(brief);
    if (bytes <= MAX_RESULT_BYTES) break;
    // At the smallest budget the size cap cuts whatever is still over.
    const budget = Math.max(
      MIN_JSON_BUDGET,
      Math.floor((brief.budget * MAX_RESULT_BYTES * 0.9) / bytes),
    );
    if (budget >= brief.budget) break;
    brief = resumeBrief(ctx, { ...options, budget, json: true });
  }
  return brief.budget === requested ? brief : { ...brief, requested_budget: requested };
}

/**
 * Every MCP tool: a use case of src/app with its arguments. Names follow the CLI's words
 * (`baton ticket set-status` is `ticket_set_status`), and errors carry the CLI's codes.
 */
export const TOOLS: ToolDef[] = [
  {
    name: "status",
    cli: "status",
    title: "baton status",
    description: "The active planning session, the active spec and stage, and next steps.",
    input: {},
    readOnly: true,
    run: ({ ctx }) => workspaceStatus(ctx),
  },
  {
    name: "resume",
    cli: "resume",
    title: "baton resume",
    description:
      "Everything a fresh agent session needs to continue the work, packed within a token budget.",
    input: {
      // The answer is JSON, so the budget covers the whole document, as with `resume --json`.
      budget: z
        .number()
        .int()
        .min(MIN_BUDGET)
        .optional()
        .describe(
          `token budget for the whole JSON answer (default ${DEFAULT_BUDGET}, at least ${MIN_BUDGET}, as for baton resume; one too small for the state alone gets the state alone)`,
        ),
      brief: z.boolean().optional().describe("only the essentials"),
    },
    readOnly: true,
    run: ({ ctx }, a) => resumeWithinCap(ctx, { budget: a.budget, brief: a.brief }),
  },
  {
    name: "session_list",
    cli: "seed",
    title: "baton seed --sessions",
    description:
      "The active planning session and the archived or completed ones (paged, oldest first); optionally only those rooted at one seed.",
    input: { seed_id: id("seed id", "seed-oauth-login").optional(), ...page },
    readOnly: true,
    pages: ["sessions"],
    run: ({ ctx }, a) => {
      const { rows, ...rest } = paged(listSessions(ctx, a.seed_id), a);
      const active = activeSession(ctx);
      return { active: active ? summarizeSession(active) : null, ...rest, sessions: rows };
    },
  },
  {
    name: "session_resume",
    cli: "seed",
    title: "baton seed --resume",
    description: "Make a planning session active again, by seed id or session id.",
    input: { target: id("seed id or session id", "seed-oauth-login") },
    readOnly: false,
    run: ({ ctx }, a) => resumeSessionById(ctx, a.target),
  },
  {
    name: "seed_create",
    cli: "seed",
    title: "baton seed",
    description: "Record an idea as a seed topic and start a planning session rooted at it.",
    input: {
      title: z.string().min(1).describe("the idea in a few words"),
      body,
      no_session: z.boolean().optional().describe("only the topic, no planning session"),
    },
    readOnly: false,
    run: ({ ctx }, a) =>
      createSeed(ctx, { title: a.title, body: a.body, noSession: a.no_session === true }),
  },
  {
    name: "spike_create",
    cli: "spike",
    title: "baton spike",
    description: "Record an investigation; linked to the active planning session if there is one.",
    input: { title: z.string().min(1).describe("what is investigated"), body },
    readOnly: false,
    run: ({ ctx }, a) => createSpike(ctx, { title: a.title, body: a.body }),
  },
  {
    name: "plan_create",
    cli: "plan",
    title: "baton plan",
    description: "Record a plan; linked to the active planning session if there is one.",
    input: { title: z.string().min(1).describe("what the plan delivers"), body },
    readOnly: false,
    run: ({ ctx }, a) => createPlan(ctx, { title: a.title, body: a.body }),
  },
  {
    name: "plan_verify",
    cli: "plan verify",
    title: "baton plan verify",
    description:
      "Check a plan's task graph (cycles, dangling dependencies, missing criteria, file clashes); writes verification.json and returns the findings.",
    input: { plan_id: id("plan id", "plan-oauth-rollout"), ...page },
    readOnly: false,
    pages: ["findings"],
    run: async ({ ctx }, a) => pageLists(await verifyPlan(ctx, a.plan_id), ["findings"], a),
  },
  {
    name: "plan_context",
    cli: "plan context",
    title: "baton plan context",
    description:
      "Phase 2: scan the repository for the plan (tech stack, relevance-ranked files, tests, docs, dependencies, spikes, conflict risk); writes context-package.json. An existing package is reused unless refresh.",
    input: {
      plan_id: id("plan id", "plan-oauth-rollout"),
      refresh: z.boolean().optional().describe("rescan even when a context package exists"),
    },
    readOnly: false,
    run: ({ ctx }, a) => planContext(ctx, { plan: a.plan_id, refresh: a.refresh === true }),
  },
  {
    name: "plan_conflicts",
    cli: "plan conflicts",
    title: "baton plan conflicts",
    description:
      "Phase 3: list the plan's conflicts (only at medium risk or higher, else skipped); with resolutions or recommended, record every decision in conflict-resolution.json.",
    input: {
      plan_id: id("plan id", "plan-oauth-rollout"),
      resolutions: z
        .array(
          z.object({
            id: z.string().describe("conflict id, e.g. CONF-1"),
            strategy: z.string().describe("one of the conflict's strategies"),
            note: z.string().optional(),
          }),
        )
        .optional()
        .describe("the decisions, one per conflict"),
      recommended: z.boolean().optional().describe("take every recommended strategy"),
      yes: z.boolean().optional().describe("same as recommended"),
    },
    readOnly: false,
    run: ({ ctx }, a) =>
      planConflicts(ctx, {
        plan: a.plan_id,
        resolutions: a.resolutions,
        recommended: a.recommended === true || a.yes === true,
      }),
  },
  {
    name: "plan_status",
    cli: "plan status",
    title: "baton plan status",
    description:
      "Where a plan's workflow stands: each phase (structure, context, conflicts, tasks) with its state, sub-steps and last error.",
    input: { plan_id: id("plan id", "plan-oauth-rollout") },
    readOnly: true,
    run: ({ ctx }, a) => planStatus(ctx, a.plan_id),
  },
  {
    name: "plan_run",
    cli: "plan run",
    title: "baton plan run",
    description:
      "Run the plan workflow's phases in order from a goal (and optional text); stops where the agent must supply something, naming what and the command that continues.",
    input: {
      goal: z.string().min(1).describe("what the plan delivers"),
      body,
      yes: z.boolean().optional().describe("take the recommended conflict resolutions"),
    },
    readOnly: false,
    run: ({ ctx }, a) => runPlanWorkflow(ctx, { goal: a.goal, body: a.body, yes: a.yes }),
  },
  {
    name: "plan_next",
    cli: "plan next",
    title: "baton plan next",
    description:
      "The plan's tasks that can start now: not done, every dependency done (paged; page.total.next says how many).",
    input: { plan_id: id("plan id", "plan-oauth-rollout"), ...page },
    readOnly: true,
    pages: ["next"],
    run: ({ ctx }, a) => pageLists(planNext(ctx, a.plan_id), ["next"], a),
  },
  {
    name: "plan_task",
    cli: "plan task",
    title: "baton plan task",
    description:
      "One task of a plan with the ticket made from it; with status, set the task's status and the ticket's to match (pending is a ticket's todo), so plan_next and ticket_list agree.",
    input: {
      plan_id: id("plan id", "plan-oauth-rollout"),
      task_id: id("task id", "IMPL-1"),
      status: z.enum(TASK_STATUSES).optional().describe("the new status; omit to only read"),
    },
    readOnly: false,
    run: ({ ctx }, a) =>
      a.status === undefined
        ? showPlanTask(ctx, a.plan_id, a.task_id)
        : setPlanTaskStatus(ctx, { plan: a.plan_id, task: a.task_id, status: a.status }),
  },
  {
    name: "backlog_create",
    cli: "backlog",
    title: "baton backlog",
    description:
      "Tickets from the plan's tasks; completes and deactivates the session. Default: the active session's plan. Answers with the first tickets (limit); ticket_list {plan} lists them all.",
    input: { plan_id: id("plan id", "plan-oauth-rollout").optional(), ...firstRows },
    readOnly: false,
    more: "list the plan's tickets with ticket_list {plan, offset}",
    run: async ({ ctx }, a) =>
      pageLists(await createBacklog(ctx, a.plan_id), ["tickets"], { limit: a.limit }),
  },
  {
    name: "topic_list",
    cli: "topic list",
    title: "baton topic list",
    description: "Seeds, spikes, plans and backlogs from the catalog (paged).",
    input: {
      type: z.enum(TOPIC_TYPES).optional().describe("only this type"),
      ...page,
    },
    readOnly: true,
    pages: ["topics"],
    run: ({ ctx }, a) =>
      listTopics(ctx, { type: a.type, limit: a.limit ?? DEFAULT_LIMIT, offset: a.offset }),
  },
  {
    name: "topic_show",
    cli: "topic show",
    title: "baton topic show",
    description: "One topic: its catalog entry, document and sources.",
    input: { topic_id: id("topic id", "seed-oauth-login") },
    readOnly: true,
    more: "read the topic's files (topic.path) for the whole text",
    run: ({ ctx }, a) => showTopic(ctx, a.topic_id),
  },
  ...deriveTools(OPERATIONS),
  {
    name: "journal_show",
    cli: "journal show",
    title: "baton journal show",
    description:
      "The working journal (PLANNING.md): notes, decisions, next steps (numbered for journal_done) and archives, oldest first, each list paged alike.",
    input: {
      text: z.boolean().optional().describe("include the rendered PLANNING.md (default false)"),
      ...page,
    },
    readOnly: true,
    pages: JOURNAL_LISTS,
    more: "the whole journal is the file named by `file`",
    run: ({ ctx }, a) => journalPage(showJournal(ctx), a),
  },
  {
    name: "journal_add",
    cli: "journal note",
    title: "baton journal note|decide|next",
    description: "Add a note, a decision or a next step to the journal.",
    input: {
      kind: z.enum(JOURNAL_KINDS),
      text: z.string().min(1).describe("one line"),
    },
    readOnly: false,
    run: async ({ ctx }, a) => journalAdded(a.kind, await addJournalEntry(ctx, a.kind, a.text)),
  },
  {
    name: "journal_done",
    cli: "journal done",
    title: "baton journal done",
    description: "Tick off next step number n (1-based, as journal_show lists them).",
    input: { n: z.number().int().min(1).describe("the step's number") },
    readOnly: false,
    run: async ({ ctx }, a) => journalTicked(a.n, await markNextStepDone(ctx, a.n)),
  },
  {
    name: "journal_archive",
    cli: "journal archive",
    title: "baton journal archive",
    description:
      "Archive PLANNING.md with a timestamp and start a fresh one (archives are never changed).",
    input: {},
    readOnly: false,
    run: ({ ctx }) => archiveJournalNow(ctx),
  },
  {
    name: "plan_tasks",
    cli: "plan tasks",
    title: "baton plan tasks",
    description:
      "Phase 4: replace the plan's tasks with the given list (a JSON array of {id, title, description, depends_on, files, acceptance} or a Markdown checklist), refused whole with findings on cycles, dangling dependencies or malformed tasks; without `from`, regenerate IMPL_PLAN.md and TODO_LIST.md from the task JSONs.",
    input: {
      plan_id: id("plan topic id", "plan-oauth-rollout"),
      from: z.string().optional().describe("the task list itself (JSON or Markdown), not a path"),
      skip_context: z
        .boolean()
        .optional()
        .describe("complete phase 4 although phases 2 and 3 never ran (recorded)"),
    },
    readOnly: false,
    more: "plan_next lists the tasks that can start; the task JSONs are in task_dir",
    run: ({ ctx }, a) =>
      writePlanTaskSet(
        ctx,
        a.from === undefined
          ? { plan: a.plan_id }
          : { plan: a.plan_id, text: a.from, skipContext: a.skip_context === true },
      ),
  },
];
