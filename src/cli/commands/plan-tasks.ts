import {
  type NextResult,
  type PlanTasksResult,
  planNext,
  type VerifyResult,
  verifyPlan,
  writePlanTaskSet,
} from "../../app/plan-tasks.ts";
import { EXIT } from "../../core/errors.ts";
import { type CommandSpec, defineCommand } from "../spec.ts";
import { onlyPlanId, PLAN_ID, readInputText } from "./inputs.ts";

const TITLE_NOTE =
  'A plan titled exactly "tasks", "verify" or "next" is created with: baton plan -- "tasks".';

export const planTasksCommand = defineCommand<PlanTasksResult>({
  path: ["plan", "tasks"],
  summary: "phase 4: write a plan's task JSONs, IMPL_PLAN.md and TODO_LIST.md",
  description: `Reads a JSON array of tasks ({id, title, description, depends_on, files, acceptance, requirements, status}; Claude-Code-Workflow's convergence.criteria is accepted for acceptance) or a Markdown checklist ("- [ ] IMPL-1: Title" with indented "- depends: IMPL-2", "- files: a.ts, b.ts", "- acceptance: ..." lines) from --from (- for stdin). Task ids are IMPL-<n> or a letter followed by up to 40 letters, digits, _ or -. Malformed tasks, duplicate ids, dangling dependencies and cycles refuse the whole list with PLAN_INVALID (exit 5) and change nothing. Otherwise the plan's .task/ folder is replaced by one <id>.json per task (schema_version, status pending|in_progress|done) and IMPL_PLAN.md and TODO_LIST.md are regenerated. The JSON files are the truth: without --from, the views are regenerated from them after a hand edit. ${TITLE_NOTE}`,
  positionals: [PLAN_ID],
  options: [
    {
      name: "from",
      type: "string",
      value: "<file>",
      description: "the task list: JSON array or Markdown checklist (- for stdin)",
    },
  ],
  examples: [
    "baton plan tasks plan-oauth-rollout --from tasks.json",
    "baton plan tasks plan-oauth-rollout --from - < tasks.md",
    "baton plan tasks plan-oauth-rollout",
  ],
  run: (inv) => {
    const plan = onlyPlanId(inv, "baton plan tasks <plan-id> [--from <file>]");
    const from = inv.options.from;
    const text =
      typeof from === "string" ? readInputText(inv.flags.cwd, from, "--from") : undefined;
    return writePlanTaskSet(inv.context(), { plan, text });
  },
  render: (r) =>
    [
      `${r.action === "imported" ? "Wrote" : "Regenerated views for"} ${r.tasks.length} tasks of ${r.plan} (${r.task_dir}, ${r.impl_plan}, ${r.todo_list})`,
      ...r.tasks.map(
        (t) =>
          `  ${t.id.padEnd(10)} ${t.status.padEnd(11)} ${t.title}${t.depends_on.length ? `  (after ${t.depends_on.join(", ")})` : ""}`,
      ),
    ].join("\n"),
});

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
    "Tasks not done whose dependencies are all done, ordered topologically (dependencies first), ties by id (IMPL-2 before IMPL-10). Reads the task JSONs; changes nothing. A cycle or dangling dependency is refused with PLAN_INVALID.",
  positionals: [PLAN_ID],
  examples: ["baton plan next plan-oauth-rollout", "baton plan next plan-oauth-rollout --json"],
  run: (inv) => planNext(inv.context(), onlyPlanId(inv, "baton plan next <plan-id>")),
  render: (r) =>
    r.next.length === 0
      ? `No task of ${r.plan} is ready (${r.done}/${r.total} done).`
      : [
          `Ready in ${r.plan} (${r.done}/${r.total} done):`,
          ...r.next.map((t) => `  ${t.id.padEnd(10)} ${t.title}`),
        ].join("\n"),
});

export const planTaskCommands: CommandSpec[] = [
  planTasksCommand,
  planVerifyCommand,
  planNextCommand,
];
