import { z } from "zod";
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
import { createSpec, type DocsTarget, lintSpec, traceSpec } from "../app/spec-docs.ts";
import {
  activateSpec,
  deactivateSpec,
  listSpecs,
  migrateSpecs,
  setupSpec,
  specStatus,
  updateBranch,
} from "../app/spec-folders.ts";
import { applyGate, GATE_VERBS } from "../app/spec-gate.ts";
import { workspaceStatus } from "../app/status.ts";
import { TASK_STATUSES } from "../core/plan/tasks.ts";
import { jsonBytes, MAX_RESULT_BYTES } from "./cap.ts";
import { deriveTools } from "./derive.ts";
import { body, id, page, paged, pageLists } from "./inputs.ts";
import {
  JOURNAL_LISTS,
  journalAdded,
  journalPage,
  journalTicked,
  specStatusPage,
} from "./views.ts";

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

const gateTools: ToolDef[] = GATE_VERBS.map((verb) => ({
  name: `spec_${verb.replace("-", "_")}`,
  cli: `spec ${verb}`,
  title: `baton spec ${verb}`,
  description: `The approval gate: ${verb} a spec (same rules as baton spec ${verb}).`,
  input: {
    name: id("spec name", "oauth-login"),
    by: z.string().optional().describe("who acts (default: git user)"),
    comment: z.string().optional().describe("a comment recorded with the action"),
    ...(verb === "start"
      ? { force: z.boolean().optional().describe("start without approval (recorded)") }
      : verb === "submit"
        ? { force: z.boolean().optional().describe("submit despite lint errors (recorded)") }
        : verb === "complete"
          ? {
              force: z
                .boolean()
                .optional()
                .describe("complete with required tasks open (recorded)"),
            }
          : verb === "approve"
            ? {
                self: z
                  .boolean()
                  .optional()
                  .describe("approve a spec you submitted yourself (recorded)"),
              }
            : {}),
  },
  readOnly: false,
  run: ({ ctx }, a) => applyGate(ctx, verb, a),
}));

/** The lists of a trace result, paged alike. */
const TRACE_LISTS = [
  "rows",
  "tasks",
  "findings",
  "unknown_references",
  "unreadable_references",
  "uncovered",
  "uncited_tasks",
] as const;

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

/** A spec named or pathed by an agent: read only inside the workspace. */
function docsTarget(env: ToolEnv, target: string): DocsTarget {
  return {
    cwd: env.cwd,
    target,
    notice: env.notice,
    now: () => env.ctx.now(),
    within: env.ctx.ws.root,
  };
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
    name: "spec_list",
    cli: "spec list",
    title: "baton spec list",
    description: "Every spec with its stage, branch hint and the active marker (paged).",
    input: { ...page },
    readOnly: true,
    pages: ["specs"],
    run: async ({ ctx }, a) => {
      const list = await listSpecs(ctx);
      const { rows, ...rest } = paged(list.specs, a);
      return { active: list.active, ...rest, specs: rows, problems: list.problems };
    },
  },
  {
    name: "spec_status",
    cli: "spec status",
    title: "baton spec status",
    description:
      "A spec's stage, progress and git facts (default: the active spec), with its tasks one row each (id, title, status, parent) in document order, paged.",
    input: { spec: id("spec name", "oauth-login").optional(), ...page },
    readOnly: true,
    pages: ["tasks"],
    run: async ({ ctx }, a) => specStatusPage(await specStatus(ctx, a.spec), a),
  },
  {
    name: "spec_activate",
    cli: "spec activate",
    title: "baton spec activate",
    description: "Make a spec the active one.",
    input: { name: id("spec name", "oauth-login") },
    readOnly: false,
    run: ({ ctx }, a) => activateSpec(ctx, a.name),
  },
  {
    name: "spec_deactivate",
    cli: "spec deactivate",
    title: "baton spec deactivate",
    description: "Clear the active spec.",
    input: {},
    readOnly: false,
    run: ({ ctx }) => deactivateSpec(ctx),
  },
  {
    name: "spec_new",
    cli: "spec new",
    title: "baton spec new",
    description: "Create a spec's documents, optionally from a plan.",
    input: {
      name: id("spec name", "oauth-login"),
      title: z.string().optional().describe("the spec's title"),
      from_plan: id("plan id", "plan-oauth-rollout").optional(),
    },
    readOnly: false,
    run: ({ ctx }, a) => createSpec(ctx, { name: a.name, title: a.title, fromPlan: a.from_plan }),
  },
  {
    name: "spec_lint",
    cli: "spec lint",
    title: "baton spec lint",
    description:
      "Check a spec's acceptance criteria (EARS) and task list; returns the counts and the findings, paged.",
    input: { name: id("spec name or path", "oauth-login"), ...page },
    readOnly: true,
    pages: ["findings"],
    run: async ({ ctx, cwd, notice }, a) =>
      pageLists(await lintSpec(docsTarget({ ctx, cwd, notice }, a.name)), ["findings"], a),
  },
  {
    name: "spec_trace",
    cli: "spec trace",
    title: "baton spec trace",
    description:
      "Requirements to tasks traceability of a spec: the counts, then its lists (rows, tasks, findings, references, uncovered, uncited) paged alike.",
    input: { name: id("spec name or path", "oauth-login"), ...page },
    readOnly: true,
    pages: TRACE_LISTS,
    run: async ({ ctx, cwd, notice }, a) =>
      pageLists(await traceSpec(docsTarget({ ctx, cwd, notice }, a.name)), TRACE_LISTS, a),
  },
  ...gateTools,
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
    name: "spec_setup",
    cli: "spec setup",
    title: "baton spec setup",
    description:
      "Create a spec's planning folder and status.yaml from a spec file with a frontmatter name, a Kiro .kiro/specs/<name>/ folder or a Spec Kit specs/NNN-<name>/ folder.",
    input: {
      spec: z
        .string()
        .min(1)
        .describe("path of the spec file or folder, relative to the workspace"),
    },
    readOnly: false,
    run: ({ ctx, cwd }, a) => setupSpec(ctx, cwd, a.spec),
  },
  {
    name: "spec_update_branch",
    cli: "spec update-branch",
    title: "baton spec update-branch",
    description:
      'Record the branch a spec is worked on, after deciding from spec_status\'s git facts (a hint; "null" clears it). Baton never switches or creates branches.',
    input: {
      spec: z.string().optional().describe("spec name (default: the active spec)"),
      branch: z.string().min(1).describe('branch name, or "null" to clear the hint'),
    },
    readOnly: false,
    run: ({ ctx }, a) => updateBranch(ctx, a.spec, a.branch),
  },
  {
    name: "spec_migrate",
    cli: "spec migrate",
    title: "baton spec migrate",
    description:
      "Rename planning folders named after branches to their spec's name; refuses collisions.",
    input: { dry_run: z.boolean().optional().describe("list what would change, change nothing") },
    readOnly: false,
    run: ({ ctx }, a) => migrateSpecs(ctx, a.dry_run === true),
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
