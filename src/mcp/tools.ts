import { z } from "zod";
import { createPlan, createSpike } from "../app/attach.ts";
import { createBacklog } from "../app/backlog.ts";
import type { AppContext } from "../app/context.ts";
import {
  addJournalEntry,
  archiveJournalNow,
  markNextStepDone,
  showJournal,
} from "../app/journal.ts";
import { planConflicts } from "../app/plan-conflicts.ts";
import { planContext } from "../app/plan-context.ts";
import { runPlanWorkflow } from "../app/plan-run.ts";
import { planStatus } from "../app/plan-status.ts";
import { planNext, verifyPlan, writePlanTaskSet } from "../app/plan-tasks.ts";
import { DEFAULT_BUDGET, resumeBrief } from "../app/resume.ts";
import {
  activeSession,
  createSeed,
  listSessions,
  resumeSessionById,
  summarizeSession,
} from "../app/sessions.ts";
import { createSpec, lintSpec, traceSpec } from "../app/spec-docs.ts";
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
import { listTickets, setTicketStatus, showTicket } from "../app/tickets.ts";
import { listTopics, showTopic } from "../app/topic-queries.ts";
import { TOPIC_TYPES } from "../core/ids.ts";
import { TICKET_STATUSES } from "../core/ticket.ts";

/** Lists are paged: an agent asks for more instead of receiving everything at once. */
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

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
  // biome-ignore lint/suspicious/noExplicitAny: arguments are validated by `input` first.
  run(env: ToolEnv, args: any): unknown;
}

const page = {
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .optional()
    .describe(`at most this many rows (default ${DEFAULT_LIMIT}, max ${MAX_LIMIT})`),
  offset: z.number().int().min(0).optional().describe("skip this many rows (default 0)"),
};

const id = (what: string, example: string) =>
  z.string().min(1).describe(`${what}, e.g. ${example}`);
const body = z.string().optional().describe("Markdown body of the document");

function paged<T>(rows: T[], args: { limit?: number; offset?: number }) {
  const offset = args.offset ?? 0;
  const limit = args.limit ?? DEFAULT_LIMIT;
  return { total: rows.length, offset, limit, rows: rows.slice(offset, offset + limit) };
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
      : {}),
  },
  readOnly: false,
  run: ({ ctx }, a) => applyGate(ctx, verb, a),
}));

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
      budget: z
        .number()
        .int()
        .min(100)
        .optional()
        .describe(`token budget (default ${DEFAULT_BUDGET})`),
      brief: z.boolean().optional().describe("only the essentials"),
    },
    readOnly: true,
    run: ({ ctx }, a) => resumeBrief(ctx, { budget: a.budget, brief: a.brief }),
  },
  {
    name: "session_list",
    cli: "seed",
    title: "baton seed --sessions",
    description:
      "The active planning session and the archived or completed ones (paged, oldest first); optionally only those rooted at one seed.",
    input: { seed_id: id("seed id", "seed-oauth-login").optional(), ...page },
    readOnly: true,
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
    input: { plan_id: id("plan id", "plan-oauth-rollout") },
    readOnly: false,
    run: ({ ctx }, a) => verifyPlan(ctx, a.plan_id),
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
    description: "The plan's tasks that can start now: not done, every dependency done.",
    input: { plan_id: id("plan id", "plan-oauth-rollout") },
    readOnly: true,
    run: ({ ctx }, a) => planNext(ctx, a.plan_id),
  },
  {
    name: "backlog_create",
    cli: "backlog",
    title: "baton backlog",
    description:
      "Tickets from the plan's tasks; completes and deactivates the session. Default: the active session's plan.",
    input: { plan_id: id("plan id", "plan-oauth-rollout").optional() },
    readOnly: false,
    run: ({ ctx }, a) => createBacklog(ctx, a.plan_id),
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
    run: ({ ctx }, a) => showTopic(ctx, a.topic_id),
  },
  {
    name: "ticket_list",
    cli: "ticket list",
    title: "baton ticket list",
    description: "Backlog tickets, oldest first (paged; summaries without bodies).",
    input: {
      status: z.enum(TICKET_STATUSES).optional().describe("only this status"),
      plan: id("plan id", "plan-oauth-rollout").optional().describe("only tickets of this plan"),
      ...page,
    },
    readOnly: true,
    run: ({ ctx }, a) =>
      listTickets(ctx, {
        status: a.status,
        plan: a.plan,
        limit: a.limit ?? DEFAULT_LIMIT,
        offset: a.offset,
      }),
  },
  {
    name: "ticket_show",
    cli: "ticket show",
    title: "baton ticket show",
    description: "One ticket with its text.",
    input: { ticket_id: id("ticket id", "BTN-k3x9q2ab") },
    readOnly: true,
    run: ({ ctx }, a) => showTicket(ctx, a.ticket_id),
  },
  {
    name: "ticket_set_status",
    cli: "ticket set-status",
    title: "baton ticket set-status",
    description: "Change a ticket's status.",
    input: { ticket_id: id("ticket id", "BTN-k3x9q2ab"), status: z.enum(TICKET_STATUSES) },
    readOnly: false,
    run: ({ ctx }, a) => setTicketStatus(ctx, a.ticket_id, a.status),
  },
  {
    name: "spec_list",
    cli: "spec list",
    title: "baton spec list",
    description: "Every spec with its stage, branch hint and the active marker (paged).",
    input: { ...page },
    readOnly: true,
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
    description: "A spec's stage, approvals and git facts (default: the active spec).",
    input: { spec: id("spec name", "oauth-login").optional() },
    readOnly: true,
    run: ({ ctx }, a) => specStatus(ctx, a.spec),
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
    description: "Check a spec's acceptance criteria (EARS) and task list; returns the findings.",
    input: { name: id("spec name or path", "oauth-login") },
    readOnly: true,
    run: ({ ctx, cwd, notice }, a) =>
      lintSpec({ cwd, target: a.name, notice, now: () => ctx.now() }),
  },
  {
    name: "spec_trace",
    cli: "spec trace",
    title: "baton spec trace",
    description: "Requirements to tasks traceability of a spec; returns the findings.",
    input: { name: id("spec name or path", "oauth-login") },
    readOnly: true,
    run: ({ ctx, cwd, notice }, a) =>
      traceSpec({ cwd, target: a.name, notice, now: () => ctx.now() }),
  },
  ...gateTools,
  {
    name: "journal_show",
    cli: "journal show",
    title: "baton journal show",
    description: "The working journal (PLANNING.md): notes, decisions and next steps.",
    input: {
      text: z.boolean().optional().describe("include the rendered PLANNING.md (default false)"),
    },
    readOnly: true,
    run: ({ ctx }, a) => {
      const view = showJournal(ctx);
      return a.text ? view : { file: view.file, state: view.state, archives: view.archives };
    },
  },
  {
    name: "journal_add",
    cli: "journal note",
    title: "baton journal note|decide|next",
    description: "Add a note, a decision or a next step to the journal.",
    input: {
      kind: z.enum(["note", "decide", "next"]),
      text: z.string().min(1).describe("one line"),
    },
    readOnly: false,
    run: ({ ctx }, a) => addJournalEntry(ctx, a.kind, a.text),
  },
  {
    name: "journal_done",
    cli: "journal done",
    title: "baton journal done",
    description: "Tick off next step number n (1-based, as journal_show lists them).",
    input: { n: z.number().int().min(1) },
    readOnly: false,
    run: ({ ctx }, a) => markNextStepDone(ctx, a.n),
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
    },
    readOnly: false,
    run: ({ ctx }, a) =>
      writePlanTaskSet(
        ctx,
        a.from === undefined ? { plan: a.plan_id } : { plan: a.plan_id, text: a.from },
      ),
  },
];
