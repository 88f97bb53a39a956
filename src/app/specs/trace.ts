import { cmd } from "../../core/command-ref.ts";
import { BatonError } from "../../core/errors.ts";
import { type DocLayout, documentName } from "../../core/spec/documents.ts";
import {
  mergeRequirements,
  parseRequirements,
  type TraceReport,
  traceRequirements,
} from "../../core/spec/requirements.ts";
import type { Stage } from "../../core/spec/status.ts";
import { parseSpecTaskList } from "../../core/spec/tasks-md.ts";
import { SPEC_FILES } from "../../core/spec/templates.ts";
import { defineOperation } from "../operation.ts";
import { type DocsTarget, docsTarget, SPEC_TARGET, withDocs } from "./docs-target.ts";
import { type LintError, readDoc, requirementsName } from "./documents.ts";

export interface TraceResult extends TraceReport {
  spec: string | null;
  stage: Stage | null;
  path: string;
  layout: DocLayout | null;
  files: { requirements: string; requirement_docs: string[]; tasks: string };
  ok: boolean;
  errors: number;
  warnings: number;
  reopened: boolean;
  error?: LintError;
}

export const traceOperation = defineOperation({
  name: "spec trace",
  summary: "requirements ↔ tasks matrix; flags unknown references and uncovered criteria",
  description:
    "Reads requirement ids from the requirements (Kiro: ### Requirement N with numbered criteria N.1, N.2…, in any language Baton knows; Spec Kit: **FR-001** and each ### User Story N with its acceptance scenarios USN.1…; OpenSpec: ### Requirement: Name in every capability's spec.md) and what each task of tasks.md cites: its _Requirements: …_ line (also _需求：…_, **Validates: Requirements …**), Spec Kit's [US1] label (covers the story's scenarios) and FR-nnn named in its text. A task citing a requirement id (2) covers all of its criteria; an OpenSpec requirement is cited by its name. Tasks citing ids that do not exist are errors (exit 5, LINT_FAILED); criteria no task covers, tasks citing nothing and citations that are not ids are warnings. With --json: {spec, stage, path, layout, files: {requirements, requirement_docs, tasks}, ok, errors, warnings, rows: [{id, requirement, file, line, text, covered_by}], tasks: [{id, title, line, optional, requirements, unknown}], unknown_references, unreadable_references, uncovered, uncited_tasks, findings, reopened}, plus \"error\" when ok is false.",
  examples: [
    "baton spec trace user-auth",
    "baton spec trace user-auth --json",
    "baton spec trace .kiro/specs/user-auth",
    "baton spec trace specs/001-user-auth",
  ],
  access: "read",
  input: { name: SPEC_TARGET },
  cli: { failure: (r: TraceResult) => (r.ok ? null : "LINT_FAILED") },
  tool: {
    description: "Requirement-to-task traceability of a spec: counts, then its lists paged alike.",
    pageLists: [
      "rows",
      "tasks",
      "findings",
      "unknown_references",
      "unreadable_references",
      "uncovered",
      "uncited_tasks",
    ],
  },
  run: (env, input) => traceSpec(docsTarget(env, input.name)),
});

/**
 * `baton spec trace <name|path>`: which tasks cover which requirement, over every requirements
 * document of the spec. Tasks citing ids the requirements do not define are errors; criteria no
 * task covers and tasks that cite nothing are warnings.
 */
export function traceSpec(input: DocsTarget): Promise<TraceResult> {
  return withDocs(input, (docs) => {
    const name = docs.spec ?? docs.path;
    const [first] = docs.requirements;
    if (!first || !docs.tasks) {
      const missing = !first
        ? docs.layout === null
          ? "requirements.md (or spec.md)"
          : documentName(docs.layout, "requirements")
        : SPEC_FILES.tasks;
      throw new BatonError(
        "FILE_NOT_FOUND",
        `${name}: ${missing} is missing, so there is nothing to trace`,
        `trace needs the requirements and tasks.md in ${docs.path}; ${cmd("spec new")} makes templates`,
      );
    }
    const requirements = mergeRequirements(
      docs.requirements.map((doc) => parseRequirements(readDoc(doc), doc.shown)),
    );
    const tasks = parseSpecTaskList(readDoc(docs.tasks)).tasks;
    const report = traceRequirements(requirements, tasks, {
      requirements: requirementsName(docs),
      tasks: docs.tasks.shown,
    });
    const errors = report.findings.filter((f) => f.severity === "error").length;
    const result: TraceResult = {
      spec: docs.spec,
      stage: docs.stage,
      path: docs.path,
      layout: docs.layout,
      files: {
        requirements: first.shown,
        requirement_docs: docs.requirements.map((d) => d.shown),
        tasks: docs.tasks.shown,
      },
      ok: errors === 0,
      errors,
      warnings: report.findings.length - errors,
      reopened: docs.reopened,
      ...report,
    };
    if (errors > 0) {
      result.error = {
        code: "LINT_FAILED",
        message: `${name}: ${report.unknown_references.length} task reference${report.unknown_references.length === 1 ? "" : "s"} to undefined requirements`,
        hint: `fix the _Requirements:_ lines named in the findings, then run ${cmd("spec trace", { name })} again`,
      };
    }
    return result;
  });
}
