import {
  createSpec,
  type LintResult,
  lintSpec,
  type NewSpecResult,
  type TraceResult,
  traceSpec,
} from "../../app/spec-docs.ts";
import { applyGate, type GateResult, type GateVerb } from "../../app/spec-gate.ts";
import { BatonError, EXIT } from "../../core/errors.ts";
import type { FileFinding } from "../../core/spec/finding.ts";
import { type CommandSpec, defineCommand, type Invocation, type OptionSpec } from "../spec.ts";
import { table } from "../style.ts";

/** The one positional every spec command takes, checked here because parseArgs allows any count. */
function onlyPositional(inv: Invocation, usage: string, what = "spec name"): string {
  const [first, ...rest] = inv.positionals;
  if (first === undefined || first.trim() === "") {
    throw new BatonError("USAGE", `a ${what} is required`, usage);
  }
  if (rest.length > 0) {
    throw new BatonError(
      "USAGE",
      `expected one ${what}, got ${inv.positionals.length} words`,
      usage,
    );
  }
  return first;
}

function stringOption(inv: Invocation, name: string): string | undefined {
  const value = inv.options[name];
  return typeof value === "string" ? value : undefined;
}

function renderFindings(findings: readonly FileFinding[]): string[] {
  return findings.map(
    (f) => `${f.file}:${f.line}: ${f.severity} ${f.code}: ${f.message}\n    hint: ${f.hint}`,
  );
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

// ---- spec new ----

export const specNewCommand = defineCommand<NewSpecResult>({
  path: ["spec", "new"],
  summary: "write a spec's requirements.md, design.md and tasks.md templates (stage draft)",
  description:
    "Creates {planning.dir}/<name>/ with requirements.md (user stories, numbered requirements, EARS acceptance criteria), design.md, tasks.md (checkbox tasks citing criteria with _Requirements: 1.1_), spec-metadata.json and status.yaml (stage draft). Bracketed upper-case words such as [TRIGGER] are placeholders: spec lint warns about each one left. With --from-plan the plan's checkbox tasks become tasks.md and the plan's sources.md lists the spec under ## Specs. The new spec becomes the active one when none is. An existing spec or document is never overwritten.",
  positionals: [
    { name: "name", required: true, description: "the spec's folder name, e.g. user-auth" },
  ],
  options: [
    {
      name: "from-plan",
      type: "string",
      value: "<plan-id>",
      description: "carry a plan topic's tasks into tasks.md and link the plan",
    },
    {
      name: "title",
      type: "string",
      value: "<text>",
      description: "the documents' title (default: from the name)",
    },
  ],
  examples: [
    "baton spec new user-auth",
    "baton spec new user-auth --from-plan plan-oauth-login",
    'baton spec new user-auth --title "User sign-in" --json',
  ],
  run: (inv) =>
    createSpec(inv.context(), {
      name: onlyPositional(inv, "baton spec new <name> [--from-plan <plan-id>]"),
      title: stringOption(inv, "title"),
      fromPlan: stringOption(inv, "from-plan"),
    }),
  render: (r) =>
    [
      `Created spec ${r.spec} (${r.stage}) in ${r.folder}`,
      ...r.files.map((f) => `  ${f}`),
      ...(r.plan
        ? [
            `From plan ${r.plan.id}: ${count(r.plan.tasks, "task")} carried; linked in ${r.plan.sources_md}`,
          ]
        : []),
      ...(r.activated ? [`Active spec: ${r.spec} (none was active)`] : []),
      "Next:",
      ...r.next.map((n) => `  ${n}`),
    ].join("\n"),
});

// ---- spec lint ----

const TARGET = {
  name: "name|path",
  required: true,
  description: "a spec name (its planning folder) or a folder / file holding the documents",
};

export const specLintCommand = defineCommand<LintResult>({
  path: ["spec", "lint"],
  summary: "check acceptance criteria against EARS and the task list; exit 5 on errors",
  description:
    'Reads the documents in the folder\'s own layout: Kiro (requirements.md, design.md, tasks.md; headings in other languages too, e.g. ### 需求 1 / #### 验收标准), Spec Kit (spec.md, plan.md, tasks.md) or an OpenSpec change (proposal.md, optional design.md, tasks.md and every specs/<capability>/spec.md). Checks every acceptance criterion against the EARS patterns (a requirements document with no criteria at all is an error), reads tasks.md for malformed tasks and for requirement references (a reference to a requirement the spec does not define is an error, as in baton spec trace), and reports template placeholders left and missing documents. Each finding has file, line, severity, code, message and hint. Exit 0 when there are no errors (warnings allowed); exit 5 with error code LINT_FAILED when there are. With --json the output is always one document: {spec, stage, path, layout, files: {requirements, requirement_docs, design, tasks, proposal}, ok, errors, warnings, findings: [{file, line, severity, code, message, hint}], ears: {criteria, patterns}, tasks, reopened}, plus "error": {code: "LINT_FAILED", message, hint} when ok is false. Coverage (which task covers which criterion) is checked by baton spec trace.',
  positionals: [TARGET],
  examples: [
    "baton spec lint user-auth",
    "baton spec lint user-auth --json",
    "baton spec lint .kiro/specs/user-auth",
    "baton spec lint docs/requirements.md",
    "baton spec lint openspec/changes/add-2fa --json",
  ],
  run: (inv) =>
    lintSpec({
      cwd: inv.flags.cwd,
      target: onlyPositional(inv, "baton spec lint <name|path>", "spec name or path"),
      notice: inv.notice,
    }),
  render: (r) => {
    const lines = renderFindings(r.findings);
    const summary = `${r.spec ? `spec ${r.spec}` : r.path}: ${count(r.errors, "error")}, ${count(r.warnings, "warning")}; ${r.ears.criteria} acceptance ${r.ears.criteria === 1 ? "criterion" : "criteria"} checked${r.tasks ? `, ${count(r.tasks.total, "task")}` : ""}`;
    lines.push(r.ok ? `${summary} — ok` : `${summary} — LINT_FAILED`);
    return lines.join("\n");
  },
  exitCode: (r) => (r.ok ? EXIT.ok : EXIT.data),
});

// ---- spec trace ----

export const specTraceCommand = defineCommand<TraceResult>({
  path: ["spec", "trace"],
  summary: "requirements ↔ tasks matrix; flags unknown references and uncovered criteria",
  description:
    "Reads requirement ids from the requirements (Kiro: ### Requirement N with numbered criteria N.1, N.2…, in any language Baton knows; Spec Kit: **FR-001** and each ### User Story N with its acceptance scenarios USN.1…; OpenSpec: ### Requirement: Name in every capability's spec.md) and what each task of tasks.md cites: its _Requirements: …_ line (also _需求：…_, **Validates: Requirements …**), Spec Kit's [US1] label (covers the story's scenarios) and FR-nnn named in its text. A task citing a requirement id (2) covers all of its criteria; an OpenSpec requirement is cited by its name. Tasks citing ids that do not exist are errors (exit 5, LINT_FAILED); criteria no task covers, tasks citing nothing and citations that are not ids are warnings. With --json: {spec, stage, path, layout, files: {requirements, requirement_docs, tasks}, ok, errors, warnings, rows: [{id, requirement, file, line, text, covered_by}], tasks: [{id, title, line, optional, requirements, unknown}], unknown_references, unreadable_references, uncovered, uncited_tasks, findings, reopened}, plus \"error\" when ok is false.",
  positionals: [TARGET],
  examples: [
    "baton spec trace user-auth",
    "baton spec trace user-auth --json",
    "baton spec trace .kiro/specs/user-auth",
    "baton spec trace specs/001-user-auth",
  ],
  run: (inv) =>
    traceSpec({
      cwd: inv.flags.cwd,
      target: onlyPositional(inv, "baton spec trace <name|path>", "spec name or path"),
      notice: inv.notice,
    }),
  render: (r) => {
    const out: string[] = [];
    out.push(
      table([
        ["REQUIREMENT", "TASKS"],
        ...r.rows.map((row) => [row.id, row.covered_by.join(", ") || "-"]),
      ]),
    );
    if (r.unknown_references.length > 0) {
      out.push("", "Unknown requirements cited:");
      for (const u of r.unknown_references)
        out.push(`  task ${u.task} cites ${u.ref} (${r.files.tasks}:${u.line})`);
    }
    if (r.unreadable_references.length > 0) {
      out.push("", "Citations that are not requirement ids:");
      for (const u of r.unreadable_references)
        out.push(`  task ${u.task} cites "${u.ref}" (${r.files.tasks}:${u.line})`);
    }
    if (r.uncovered.length > 0) out.push("", `Not covered by any task: ${r.uncovered.join(", ")}`);
    if (r.uncited_tasks.length > 0)
      out.push("", `Tasks citing no requirement: ${r.uncited_tasks.join(", ")}`);
    const covered = r.rows.length - r.uncovered.length;
    out.push(
      "",
      `${r.spec ? `spec ${r.spec}` : r.path}: ${covered}/${r.rows.length} covered; ${count(r.errors, "error")}, ${count(r.warnings, "warning")}${r.ok ? "" : " — LINT_FAILED"}`,
    );
    return out.join("\n");
  },
  exitCode: (r) => (r.ok ? EXIT.ok : EXIT.data),
});

// ---- the approval gate ----

const WHO: OptionSpec[] = [
  {
    name: "by",
    type: "string",
    value: "<who>",
    description: "who takes the step (default: git config user.name, else the OS user)",
  },
  {
    name: "comment",
    type: "string",
    value: "<text>",
    description: "why, recorded in the approval history",
  },
];

const GATE_JSON =
  "With --json: {spec, action, from, to, stage, by, at, comment, content_hash, forced, override, reopened, history, next}; override is {kind, detail} when --force or --self set a rule aside, else null.";

function gateCommand(
  verb: GateVerb,
  summary: string,
  description: string,
  examples: string[],
  extra: OptionSpec[] = [],
): CommandSpec {
  return defineCommand<GateResult>({
    path: ["spec", verb],
    summary,
    description: `${description} Who, when, the comment and the documents' content hash are appended to status.yaml's history (it only grows) and to the event log. An approved spec whose documents changed since approval is back in in_review before the step is checked. A refused step changes nothing. ${GATE_JSON}`,
    positionals: [{ name: "name", required: true, description: "the spec" }],
    options: [...extra, ...WHO],
    examples,
    run: (inv) =>
      applyGate(inv.context(), verb, {
        name: onlyPositional(inv, `baton spec ${verb} <name>`),
        by: stringOption(inv, "by"),
        comment: stringOption(inv, "comment"),
        force: inv.options.force === true,
        self: inv.options.self === true,
      }),
    render: (r) =>
      [
        `Spec ${r.spec}: ${r.from} -> ${r.to} (${r.action} by ${r.by}${r.comment ? `: ${r.comment}` : ""})`,
        ...(r.override ? [`Recorded: ${r.action} despite ${r.override.detail}`] : []),
        r.next.length > 0 ? `Next: ${r.next.join(" | ")}` : `${r.stage} is final.`,
      ].join("\n"),
  });
}

export const specSubmitCommand = gateCommand(
  "submit",
  "send a spec for review (draft, changes_requested or rejected -> in_review); needs a clean lint",
  "Asks a person to review the documents. A spec with lint errors (what baton spec lint reports as error) is refused with LINT_FAILED (exit 5) unless --force is given; a forced submit records the override (kind lint_errors) in the history.",
  [
    "baton spec submit user-auth",
    'baton spec submit user-auth --comment "ready for review"',
    'baton spec submit user-auth --force --comment "lint errors are in the vendored part"',
  ],
  [
    {
      name: "force",
      type: "boolean",
      description: "submit despite lint errors; recorded in the history",
    },
  ],
);

export const specApproveCommand = gateCommand(
  "approve",
  "approve a spec in review (in_review -> approved); records the documents' hash",
  "The human gate: implementation may start once approved. The approver (--by, default: git config user.name) must not be the one who submitted the spec: approving one's own submission is refused (STATE_CONFLICT) unless --self is given, which is recorded (kind self_approval). Changing the documents afterwards sends the spec back to review.",
  [
    "baton spec approve user-auth --by ada",
    'baton spec approve user-auth --comment "LGTM" --json',
    'baton spec approve user-auth --self --comment "solo project"',
  ],
  [
    {
      name: "self",
      type: "boolean",
      description: "approve a spec you submitted yourself; recorded in the history",
    },
  ],
);

export const specRejectCommand = gateCommand(
  "reject",
  "turn a spec in review down (in_review -> rejected)",
  "The spec can be reworked and submitted again.",
  ['baton spec reject user-auth --comment "out of scope for this release"'],
);

export const specRequestChangesCommand = gateCommand(
  "request-changes",
  "send a spec in review back for changes (in_review -> changes_requested)",
  "Say what to change with --comment; submit again when done.",
  ['baton spec request-changes user-auth --comment "criterion 1.2 is not testable"'],
);

export const specStartCommand = gateCommand(
  "start",
  "begin implementing an approved spec (approved -> implementing); --force skips approval",
  "Refuses a spec that is not approved unless --force is given; a forced start (from draft, in_review, changes_requested or rejected) is recorded as force_start with who and why.",
  [
    "baton spec start user-auth",
    'baton spec start user-auth --force --comment "hotfix, reviewed afterwards"',
  ],
  [
    {
      name: "force",
      type: "boolean",
      description: "start without approval; recorded as force_start",
    },
  ],
);

export const specCompleteCommand = gateCommand(
  "complete",
  "mark a spec's implementation done (implementing -> done); needs its required tasks done",
  "Refused (STATE_CONFLICT) while tasks.md has required tasks (not marked optional with *) that are not done, naming them; --force completes anyway and records the override (kind open_tasks).",
  [
    "baton spec complete user-auth",
    'baton spec complete user-auth --comment "shipped in v1.4"',
    'baton spec complete user-auth --force --comment "3.2 moved to the next spec"',
  ],
  [
    {
      name: "force",
      type: "boolean",
      description: "complete with required tasks open; recorded in the history",
    },
  ],
);

/** `baton spec new|lint|trace` and the approval gate: `submit|approve|reject|request-changes|start|complete`. */
export const specDocCommands: CommandSpec[] = [
  specNewCommand,
  specLintCommand,
  specTraceCommand,
  specSubmitCommand,
  specApproveCommand,
  specRejectCommand,
  specRequestChangesCommand,
  specStartCommand,
  specCompleteCommand,
];
