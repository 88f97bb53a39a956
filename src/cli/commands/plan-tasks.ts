import {
  type PlanTaskResult,
  setPlanTaskStatus,
  showPlanTask,
} from "../../app/plan-task-status.ts";
import {
  type NextResult,
  type PlanTasksResult,
  planNext,
  type VerifyResult,
  verifyPlan,
  writePlanTaskSet,
} from "../../app/plan-tasks.ts";
import { BatonError, EXIT } from "../../core/errors.ts";
import type { PlanNextStep } from "../../core/plan/next-steps.ts";
import { TASK_STATUSES } from "../../core/plan/tasks.ts";
import { type CommandSpec, defineCommand } from "../spec.ts";
import { onlyPlanId, PLAN_ID, readInputText } from "./inputs.ts";

const TITLE_NOTE =
  'A plan titled exactly "tasks", "task", "verify" or "next" is created with: baton plan -- "tasks".';

export const planTasksCommand = defineCommand<PlanTasksResult>({
  path: ["plan", "tasks"],
  summary: "phase 4: write a plan's task JSONs, IMPL_PLAN.md and TODO_LIST.md",
  description: `Reads a JSON array of tasks ({id, title, description, depends_on, files, acceptance, requirements, status}; Claude-Code-Workflow's convergence.criteria is accepted for acceptance) or a Markdown checklist ("- [ ] IMPL-1: Title" with indented "- depends: IMPL-2", "- files: a.ts, b.ts", "- acceptance: ..." lines) from --from (- for stdin). Task ids are IMPL-<n> or a letter followed by up to 40 letters, digits, _ or -. Malformed tasks, duplicate ids, dangling dependencies and cycles refuse the whole list with PLAN_INVALID (exit 5) and change nothing. Phase 4 completes only after phases 2 (context) and 3 (conflicts) ran or were judged unnecessary: while either is pending the list is refused with STATE_CONFLICT, unless --skip-context, which marks them skipped with the reason in workflow.json and planning-notes.md. Otherwise the plan's .task/ folder is replaced by one <id>.json per task (schema_version, status pending|in_progress|blocked|done|cancelled; a checklist's [ ], [~], [!], [x], [-]) and IMPL_PLAN.md and TODO_LIST.md are regenerated. The JSON files are the truth: without --from, the views are regenerated from them after a hand edit. ${TITLE_NOTE}`,
  positionals: [PLAN_ID],
  options: [
    {
      name: "from",
      type: "string",
      value: "<file>",
      description: "the task list: JSON array or Markdown checklist (- for stdin)",
    },
    {
      name: "skip-context",
      type: "boolean",
      description: "complete phase 4 although phases 2 and 3 never ran (recorded as skipped)",
    },
  ],
  examples: [
    "baton plan tasks plan-oauth-rollout --from tasks.json",
    "baton plan tasks plan-oauth-rollout --from - < tasks.md",
    "baton plan tasks plan-oauth-rollout --from tasks.json --skip-context",
    "baton plan tasks plan-oauth-rollout",
  ],
  run: (inv) => {
    const plan = onlyPlanId(inv, "baton plan tasks <plan-id> [--from <file>]");
    const from = inv.options.from;
    const text =
      typeof from === "string" ? readInputText(inv.flags.cwd, from, "--from") : undefined;
    return writePlanTaskSet(inv.context(), {
      plan,
      text,
      skipContext: inv.options["skip-context"] === true,
    });
  },
  render: (r) =>
    [
      `${r.action === "imported" ? "Wrote" : "Regenerated views for"} ${r.tasks.length} tasks of ${r.plan} (${r.task_dir}, ${r.impl_plan}, ${r.todo_list})`,
      ...r.tasks.map(
        (t) =>
          `  ${t.id.padEnd(10)} ${t.status.padEnd(11)} ${t.title}${t.depends_on.length ? `  (after ${t.depends_on.join(", ")})` : ""}`,
      ),
      ...renderNextSteps(r.next_steps),
    ].join("\n"),
});

/** The steps offered after phase 4, one line each. */
export function renderNextSteps(steps: readonly PlanNextStep[]): string[] {
  return [
    "Next steps:",
    ...steps.map((s) => `  ${s.step.padEnd(8)} ${s.command}  — ${s.description}`),
  ];
}

export const planVerifyCommand = defineCommand<VerifyResult>({
  path: ["plan", "verify"],
  summary: "check a plan's tasks; write verification.json; exit 5 on errors",
  description:
    "Deterministic checks over the plan's .task/*.json: dependency cycles (TASK_CYCLE), dependencies on unknown tasks (TASK_DANGLING_DEPENDENCY), tasks without acceptance criteria (TASK_NO_ACCEPTANCE), two tasks with no dependency path between them listing the same file (TASK_PARALLEL_FILE_CONFLICT) — all errors — and oversized tasks: more than 10 files (TASK_TOO_MANY_FILES) or more than 8 acceptance criteria (TASK_TOO_MANY_CRITERIA), warnings. The report is written to the topic's verification.json and the views are regenerated. Exit 0 without errors, exit 5 (PLAN_INVALID) with. --json prints {plan, ok, errors, warnings, thresholds, findings: [{task, severity, code, message, hint}], verification_json, tasks}, plus error when ok is false.",
  positionals: [PLAN_ID],
  examples: ["baton plan verify plan-oauth-rollout", "baton plan verify plan-oauth-rollout --json"],
  run: (inv) => verifyPlan(inv.context(), onlyPlanId(inv, "baton plan verify <plan-id>")),
  render: (r) =>
    [
      `${r.ok ? "OK" : "FAILED"}: ${r.plan}: ${r.tasks} tasks, ${r.errors} errors, ${r.warnings} warnings (${r.verification_json})`,
      ...r.findings.map(
        (f) => `${f.task ?? r.plan}: ${f.severity} ${f.code}: ${f.message}\n    hint: ${f.hint}`,
      ),
    ].join("\n"),
  exitCode: (r) => (r.ok ? EXIT.ok : EXIT.data),
});

export const planNextCommand = defineCommand<NextResult>({
  path: ["plan", "next"],
  summary: "the plan's tasks ready to start: dependencies done, in working order",
  description:
    "Tasks pending or in progress whose dependencies are all done, ordered topologically (dependencies first), ties by id (IMPL-2 before IMPL-10). A task listing a file of a phase 3 conflict decided sequence_after is held back (listed under held, with the plan it waits for) while that other plan still has open work on the file. Reads the task JSONs; changes nothing. A cycle or dangling dependency is refused with PLAN_INVALID. --json prints {plan, next, held, done, total}.",
  positionals: [PLAN_ID],
  examples: ["baton plan next plan-oauth-rollout", "baton plan next plan-oauth-rollout --json"],
  run: (inv) => planNext(inv.context(), onlyPlanId(inv, "baton plan next <plan-id>")),
  render: (r) =>
    [
      r.next.length === 0
        ? `No task of ${r.plan} is ready (${r.done}/${r.total} done).`
        : `Ready in ${r.plan} (${r.done}/${r.total} done):`,
      ...r.next.map((t) => `  ${t.id.padEnd(10)} ${t.title}`),
      ...(r.held.length > 0 ? ["Held back by a sequence_after decision:"] : []),
      ...r.held.map(
        (h) =>
          `  ${h.id.padEnd(10)} ${h.title}  (after ${h.after}, ${h.conflict}: ${h.files.join(", ")})`,
      ),
    ].join("\n"),
});

export const planTaskCommand = defineCommand<PlanTaskResult>({
  path: ["plan", "task"],
  summary: "one task of a plan; --status sets it and the ticket made from it",
  description: `Without --status, prints the task (status, dependencies, files, acceptance criteria, requirements, its reference plan:<plan-id>#<task-id>) and the ticket baton backlog made from it; changes nothing. With --status (${TASK_STATUSES.join(", ")}), writes the status to the task's JSON, regenerates IMPL_PLAN.md, TODO_LIST.md and planning-notes.md, and sets the ticket made from the task to the same status (pending is a ticket's todo) with backlog.md; baton ticket set-status does the same from the ticket's side, so plan next and ticket list always agree. Task ids are matched in any letter case. ${TITLE_NOTE}`,
  positionals: [PLAN_ID, { name: "task-id", required: true, description: "e.g. IMPL-1" }],
  options: [
    {
      name: "status",
      type: "string",
      value: "<status>",
      description: `set it: ${TASK_STATUSES.join(" | ")}`,
    },
  ],
  examples: [
    "baton plan task plan-oauth-rollout IMPL-1",
    "baton plan task plan-oauth-rollout IMPL-1 --status in_progress",
    "baton plan task plan-oauth-rollout IMPL-1 --status done --json",
  ],
  run: (inv) => {
    const usage = `baton plan task <plan-id> <task-id> [--status <${TASK_STATUSES.join("|")}>]`;
    const [plan, task, ...rest] = inv.positionals;
    if (plan === undefined || task === undefined || rest.length > 0) {
      throw new BatonError("USAGE", "expected a plan id and a task id", usage);
    }
    const status = inv.options.status;
    return typeof status === "string"
      ? setPlanTaskStatus(inv.context(), { plan, task, status })
      : showPlanTask(inv.context(), plan, task);
  },
  render: (r) => {
    const t = r.task;
    const head = r.changed ? `${t.ref}: ${r.previous} -> ${t.status}` : `${t.ref}  ${t.status}`;
    const lines = [head, `title:        ${t.title}`];
    if (t.description) lines.push(`description:  ${t.description}`);
    lines.push(
      `depends on:   ${t.depends_on.join(", ") || "none"}`,
      `files:        ${t.files.join(", ") || "none"}`,
      `requirements: ${t.requirements.join(", ") || "none"}`,
      "acceptance:",
      ...(t.acceptance.length ? t.acceptance.map((a) => `  - ${a}`) : ["  - (none)"]),
    );
    if (r.ticket) {
      lines.push(
        r.ticket.changed
          ? `ticket:       ${r.ticket.id}: ${r.ticket.previous} -> ${r.ticket.status}`
          : `ticket:       ${r.ticket.id} (${r.ticket.status})`,
      );
    } else lines.push("ticket:       none yet (baton backlog makes one per task)");
    return lines.join("\n");
  },
});

export const planTaskCommands: CommandSpec[] = [
  planTasksCommand,
  planTaskCommand,
  planVerifyCommand,
  planNextCommand,
];
