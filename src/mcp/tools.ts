import { z } from "zod";
import type { AppContext } from "../app/context.ts";
import { OPERATIONS } from "../app/operations.ts";
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
import { deriveTools } from "./derive.ts";
import { id, page, paged, pageLists } from "./inputs.ts";
import { specStatusPage } from "./views.ts";

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
];
