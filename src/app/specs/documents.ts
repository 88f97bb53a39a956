/**
 * A spec's documents and their lint: which files a folder's layout names (Kiro, Spec Kit,
 * OpenSpec), and every check `spec lint` makes over them. Shared by `spec lint`, `spec trace` and
 * the approval gate (./gate.ts), which refuses to submit a spec with lint errors.
 */

import { cmd } from "../../core/command-ref.ts";
import { BatonError } from "../../core/errors.ts";
import {
  type DocLayout,
  type DocNames,
  missingDocuments,
  pickDocuments,
} from "../../core/spec/documents.ts";
import { type EarsPattern, earsStats, lintEars } from "../../core/spec/ears.ts";
import type { FileFinding } from "../../core/spec/finding.ts";
import {
  mergeRequirements,
  type ParsedRequirements,
  parseRequirements,
  traceRequirements,
} from "../../core/spec/requirements.ts";
import type { Stage } from "../../core/spec/status.ts";
import { parseSpecTaskList, type TaskProgress, taskProgress } from "../../core/spec/tasks-md.ts";
import { findPlaceholders } from "../../core/spec/templates.ts";
import type { FileReader } from "../../store/files.ts";
import { specPlace } from "../../store/spec-folders.ts";

export interface SpecDocs {
  /** The spec's name when the target was a spec, else null (a path). */
  spec: string | null;
  stage: Stage | null;
  /** The documents' folder (or the one file), as shown. */
  path: string;
  /** How the folder names its documents; null for one file. */
  layout: DocLayout | null;
  /** The requirements documents: one, or one per capability (OpenSpec). */
  requirements: DocFile[];
  design: DocFile | null;
  tasks: DocFile | null;
  /** OpenSpec's proposal.md. */
  proposal: DocFile | null;
  /** The target was one file rather than a folder of documents. */
  single: boolean;
  /** The approved spec went back to review during this command. */
  reopened: boolean;
}

export interface DocFile {
  abs: string;
  shown: string;
  /** Where the text is read from: inside the workspace (guarded), or a path the user named. */
  reader: FileReader;
}

export type Located = Omit<SpecDocs, "spec" | "stage" | "reopened">;

/** Picks the documents of a folder by its layout (`core/spec/documents.ts`), or classifies one file. */
export function locateDocs(
  target: string,
  show: (abs: string) => string,
  reader: FileReader,
): Located {
  const place = specPlace(reader, target);
  if (place === null) {
    throw new BatonError(
      "FILE_NOT_FOUND",
      `${show(target)} does not exist`,
      `pass a spec name (${cmd("spec list")}) or a folder holding requirements.md and tasks.md`,
    );
  }
  const file = (abs: string): DocFile => ({ abs, shown: show(abs), reader });
  if (place.kind === "file") {
    const base = place.name.toLowerCase();
    const role = /task|todo/.test(base)
      ? "tasks"
      : /design|plan/.test(base)
        ? "design"
        : /proposal/.test(base)
          ? "proposal"
          : "requirements";
    return {
      path: show(target),
      layout: null,
      single: true,
      requirements: role === "requirements" ? [file(target)] : [],
      design: role === "design" ? file(target) : null,
      tasks: role === "tasks" ? file(target) : null,
      proposal: role === "proposal" ? file(target) : null,
    };
  }
  const names = pickDocuments(place.listing);
  const at = (rel: string | null) => (rel === null ? null : file(place.file(rel)));
  return {
    path: show(target),
    layout: names.layout,
    single: false,
    requirements: names.requirements.map((rel) => file(place.file(rel))),
    design: at(names.design),
    tasks: at(names.tasks),
    proposal: at(names.proposal),
  };
}

/** The failure a lint or trace with errors carries in its result. */
export interface LintError {
  code: "LINT_FAILED";
  message: string;
  hint: string;
}

export interface LintResult {
  spec: string | null;
  stage: Stage | null;
  path: string;
  /** How the folder names its documents (kiro, speckit, openspec); null for one file. */
  layout: DocLayout | null;
  files: LintFiles;
  ok: boolean;
  errors: number;
  warnings: number;
  findings: FileFinding[];
  ears: { criteria: number; patterns: Record<EarsPattern, number> };
  tasks: TaskProgress | null;
  reopened: boolean;
  /** Present only when there are errors: the same shape every failing command prints. */
  error?: LintError;
}

export interface LintFiles {
  /** The requirements document (OpenSpec: the first capability's spec.md), or null. */
  requirements: string | null;
  /** Every requirements document read: one, or one per OpenSpec capability. */
  requirement_docs: string[];
  design: string | null;
  tasks: string | null;
  proposal: string | null;
}

function filesOf(docs: SpecDocs): LintFiles {
  return {
    requirements: docs.requirements[0]?.shown ?? null,
    requirement_docs: docs.requirements.map((d) => d.shown),
    design: docs.design?.shown ?? null,
    tasks: docs.tasks?.shown ?? null,
    proposal: docs.proposal?.shown ?? null,
  };
}

export function lintDocs(docs: SpecDocs): LintResult {
  const findings: FileFinding[] = [];
  let criteria: ReturnType<typeof lintEars>["criteria"] = [];
  let progress: TaskProgress | null = null;
  const parts: ParsedRequirements[] = [];
  for (const doc of docs.requirements) {
    const text = readDoc(doc);
    const report = lintEars(text, doc.shown);
    criteria = criteria.concat(report.criteria);
    findings.push(...report.findings);
    const parsed = parseRequirements(text, doc.shown);
    parts.push(parsed);
    for (const f of parsed.findings) findings.push({ file: doc.shown, ...f });
    findings.push(...findPlaceholders(text, doc.shown));
  }
  if (docs.tasks) {
    const text = readDoc(docs.tasks);
    const parsed = parseSpecTaskList(text);
    progress = taskProgress(parsed.tasks);
    const tasksFile = docs.tasks.shown;
    // With requirements to check against, references are judged as trace judges them (a name
    // an OpenSpec requirement has is a citation, not prose), so lint and trace agree.
    const withRequirements = docs.requirements.length > 0;
    for (const f of parsed.findings) {
      if (withRequirements && f.code === "TASK_REQ_REF_NOT_ID") continue;
      findings.push({ file: tasksFile, ...f });
    }
    if (withRequirements) {
      const trace = traceRequirements(mergeRequirements(parts), parsed.tasks, {
        requirements: requirementsName(docs),
        tasks: tasksFile,
      });
      findings.push(
        ...trace.findings.filter(
          (f) => f.code === "TRACE_UNKNOWN_REQUIREMENT" || f.code === "TRACE_REF_NOT_ID",
        ),
      );
    }
    if (parsed.tasks.length === 0) {
      findings.push({
        file: tasksFile,
        line: 1,
        severity: "warning",
        code: "TASK_NONE",
        message: "no checkbox tasks were found",
        hint: "list the work as - [ ] 1. <task>, each with _Requirements: 1.1_ under it",
      });
    }
    findings.push(...findPlaceholders(text, tasksFile));
  }
  for (const doc of [docs.design, docs.proposal]) {
    if (doc) findings.push(...findPlaceholders(readDoc(doc), doc.shown));
  }
  findings.push(...missingDocFindings(docs));
  sortFindings(findings);
  const errors = findings.filter((f) => f.severity === "error").length;
  const result: LintResult = {
    spec: docs.spec,
    stage: docs.stage,
    path: docs.path,
    layout: docs.layout,
    files: filesOf(docs),
    ok: errors === 0,
    errors,
    warnings: findings.length - errors,
    findings,
    ears: { criteria: criteria.length, patterns: earsStats(criteria) },
    tasks: progress,
    reopened: docs.reopened,
  };
  if (errors > 0) {
    result.error = {
      code: "LINT_FAILED",
      message: `${docs.spec ? `spec ${docs.spec}` : docs.path} has ${errors} lint error${errors === 1 ? "" : "s"}`,
      hint: `fix the findings marked error (each names its file, line and a hint), then run ${cmd("spec lint", { name: docs.spec ?? docs.path })} again`,
    };
  }
  return result;
}

/** How messages name the requirements: the one document, or every capability's spec.md. */
export function requirementsName(docs: SpecDocs): string {
  const [first, second] = docs.requirements;
  if (first && !second) return first.shown;
  return `${docs.path}/specs/*/spec.md`;
}

/** A path (not a spec) needs at least one document; a spec reports what it lacks as findings. */
function missingDocFindings(docs: SpecDocs): FileFinding[] {
  if (
    docs.requirements.length === 0 &&
    !docs.tasks &&
    !docs.design &&
    !docs.proposal &&
    docs.spec === null
  ) {
    throw new BatonError(
      "FILE_NOT_FOUND",
      `${docs.path} holds no spec documents (requirements.md, spec.md, specs/<capability>/spec.md, design.md, plan.md, proposal.md or tasks.md)`,
      `pass a spec name (${cmd("spec list")}) or the folder holding its documents`,
    );
  }
  if (docs.single || docs.layout === null) return [];
  const names: DocNames = {
    layout: docs.layout,
    requirements: docs.requirements.map((d) => d.shown),
    design: docs.design?.shown ?? null,
    tasks: docs.tasks?.shown ?? null,
    proposal: docs.proposal?.shown ?? null,
  };
  return missingDocuments(names).map((m) => ({
    file: `${docs.path}/${m.file}`,
    line: 1,
    severity: m.severity,
    code: "SPEC_FILE_MISSING",
    message: m.message,
    hint: m.hint,
  }));
}

export function readDoc(doc: DocFile): string {
  const text = doc.reader.text(doc.abs);
  if (text === null) {
    throw new BatonError(
      "FILE_NOT_FOUND",
      `${doc.shown} disappeared while it was read`,
      "run the command again",
    );
  }
  return text;
}

function sortFindings(findings: FileFinding[]): void {
  findings.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}
