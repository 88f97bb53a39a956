import path from "node:path";
import { BatonError, isBatonError } from "../core/errors.ts";
import { assertTopicId } from "../core/ids.ts";
import { ensureLineInSection } from "../core/markdown.ts";
import { type EarsPattern, earsStats, lintEars } from "../core/spec/ears.ts";
import type { FileFinding } from "../core/spec/finding.ts";
import {
  parseRequirements,
  type TraceReport,
  traceRequirements,
} from "../core/spec/requirements.ts";
import { assertSpecName, newSpecStatus, type Stage } from "../core/spec/status.ts";
import { parseTasksMarkdown, type TaskProgress, taskProgress } from "../core/spec/tasks-md.ts";
import {
  findPlaceholders,
  PLAN_SPECS_SECTION,
  type PlanTaskSeed,
  renderDesign,
  renderRequirements,
  renderTasks,
  SPEC_FILES,
  type SpecPlanLink,
  specMetadata,
  type TemplateInput,
  titleFromName,
} from "../core/spec/templates.ts";
import { openCatalog } from "../store/catalog-file.ts";
import { recordEvent } from "../store/events.ts";
import {
  exists,
  type FileReader,
  pathWithin,
  userReader,
  workspaceReader,
  writeJson,
} from "../store/files.ts";
import { readText, requireTopic, topicDocPath, topicFile, writeText } from "../store/repo.ts";
import { readSpecStatus, specDir, writeSpecStatus } from "../store/specs.ts";
import { withWorkspaceLock } from "../store/transaction.ts";
import { openWorkspace, type Workspace } from "../store/workspace.ts";
import { planTasks } from "./backlog.ts";
import { type AppContext, isoNow } from "./context.ts";
import { checkSpec, saveReopen } from "./spec-gate.ts";

// ---- spec new ----

export interface NewSpecInput {
  name: string;
  title?: string | undefined;
  fromPlan?: string | undefined;
}

export interface NewSpecResult {
  spec: string;
  title: string;
  /** The planning folder holding the documents and status.yaml. */
  folder: string;
  stage: Stage;
  files: string[];
  plan: { id: string; tasks: number; sources_md: string } | null;
  next: string[];
}

/**
 * `baton spec new <name> [--from-plan <plan-id>]`: requirements.md, design.md, tasks.md and
 * spec-metadata.json in `{planning.dir}/<name>/`, with status.yaml (stage draft) pointing at that
 * folder. From a plan, its tasks are carried into tasks.md and the plan's sources.md lists the
 * spec under `## Specs`. An existing spec, or any of its documents, is never overwritten.
 */
export function createSpec(ctx: AppContext, input: NewSpecInput): Promise<NewSpecResult> {
  const name = assertSpecName(input.name);
  const title = input.title?.trim() || titleFromName(name);
  if (/[\r\n]/.test(title)) {
    throw new BatonError(
      "INVALID_INPUT",
      "--title must be one line",
      'baton spec new <name> --title "User sign-in"',
    );
  }
  const planId = input.fromPlan === undefined ? null : assertTopicId(input.fromPlan, "plan");
  return withWorkspaceLock(ctx.ws, () => {
    const { ws } = ctx;
    const now = isoNow(ctx);
    const folder = specDir(ws, name);
    assertNewSpec(ws, name, folder);

    let plan: SpecPlanLink | null = null;
    let tasks: PlanTaskSeed[] | null = null;
    let sources: { file: string; text: string } | null = null;
    if (planId !== null) {
      requireTopic(openCatalog(ws), planId, "plan");
      const planDoc = topicDocPath(ws, planId);
      plan = { id: planId, link: linkFrom(folder, planDoc), path: ws.rel(planDoc) };
      tasks = planTasks(ws, planId).map((t) => ({ title: t.title, done: t.done }));
      const file = topicFile(ws, planId, "sources.md");
      const before = readText(ws, file) ?? `# Sources: ${planId}\n\n`;
      const line = `- spec: [${name}](${linkFrom(path.dirname(file), path.join(folder, SPEC_FILES.requirements))}) (${ws.rel(folder)})`;
      sources = { file, text: ensureLineInSection(before, PLAN_SPECS_SECTION, line) };
    }

    const template: TemplateInput = { name, title, plan, tasks };
    const docs: [string, string][] = [
      [SPEC_FILES.requirements, renderRequirements(template)],
      [SPEC_FILES.design, renderDesign(template)],
      [SPEC_FILES.tasks, renderTasks(template)],
    ];
    const written: string[] = [];
    for (const [file, text] of docs) {
      writeText(ws, path.join(folder, file), text);
      written.push(ws.rel(path.join(folder, file)));
    }
    const metadataFile = path.join(folder, SPEC_FILES.metadata);
    writeJson(ws, metadataFile, specMetadata(template, now));
    written.push(ws.rel(metadataFile));
    // status.yaml last: until it exists the folder is not a spec, and a re-run refuses the
    // half-made documents instead of overwriting them.
    const status = newSpecStatus(name, ws.rel(folder), "draft", now);
    writeSpecStatus(ws, status);
    written.push(ws.rel(path.join(folder, "status.yaml")));
    if (sources && readText(ws, sources.file) !== sources.text)
      writeText(ws, sources.file, sources.text);
    recordEvent(ws, "spec.created", now, { spec: name, folder: ws.rel(folder), plan: planId });
    return {
      spec: name,
      title,
      folder: ws.rel(folder),
      stage: status.stage,
      files: written,
      plan:
        planId !== null && sources
          ? { id: planId, tasks: tasks?.length ?? 0, sources_md: ws.rel(sources.file) }
          : null,
      next: [
        `fill in ${ws.rel(folder)}/${SPEC_FILES.requirements}, ${SPEC_FILES.design} and ${SPEC_FILES.tasks}`,
        `baton spec lint ${name}`,
        `baton spec trace ${name}`,
        `baton spec submit ${name}`,
      ],
    };
  });
}

function assertNewSpec(ws: Workspace, name: string, folder: string): void {
  const hint = `edit the documents in ${ws.rel(folder)}, or pick another name (baton spec list shows the specs)`;
  let status: unknown = null;
  try {
    status = readSpecStatus(ws, name);
  } catch (error) {
    // A status.yaml that cannot be read still means the spec exists; one behind a link that
    // leads outside is refused as such.
    if (!isBatonError(error) || error.code === "UNSAFE_PATH") throw error;
    status = true;
  }
  if (status !== null) {
    throw new BatonError("STATE_CONFLICT", `spec ${name} already exists`, hint);
  }
  for (const file of [
    SPEC_FILES.requirements,
    SPEC_FILES.design,
    SPEC_FILES.tasks,
    SPEC_FILES.metadata,
  ]) {
    if (exists(ws, path.join(folder, file))) {
      throw new BatonError(
        "STATE_CONFLICT",
        `${ws.rel(path.join(folder, file))} already exists`,
        `Baton does not overwrite spec documents; register the folder with baton spec setup --spec ${ws.rel(folder)}, or pick another name`,
      );
    }
  }
}

/** A Markdown link target from a folder to a file, with forward slashes. */
function linkFrom(fromDir: string, toFile: string): string {
  return path.relative(fromDir, toFile).split(path.sep).join("/");
}

// ---- locating the documents ----

export interface SpecDocs {
  /** The spec's name when the target was a spec, else null (a path). */
  spec: string | null;
  stage: Stage | null;
  /** The documents' folder (or the one file), as shown. */
  path: string;
  requirements: DocFile | null;
  design: DocFile | null;
  tasks: DocFile | null;
  /** The target was one file rather than a folder of documents. */
  single: boolean;
  /** The approved spec went back to review during this command. */
  reopened: boolean;
}

interface DocFile {
  abs: string;
  shown: string;
  /** Where the text is read from: inside the workspace (guarded), or a path the user named. */
  reader: FileReader;
}

const REQUIREMENT_NAMES = [SPEC_FILES.requirements, "spec.md"];
const DESIGN_NAMES = [SPEC_FILES.design, "plan.md"];

/** Picks the documents in a folder (Kiro names first, then Spec Kit's), or classifies one file. */
function locateDocs(
  target: string,
  show: (abs: string) => string,
  reader: FileReader,
): Omit<SpecDocs, "spec" | "stage" | "reopened"> {
  const kind = reader.kind(target);
  if (kind === null) {
    throw new BatonError(
      "FILE_NOT_FOUND",
      `${show(target)} does not exist`,
      "pass a spec name (baton spec list) or a folder holding requirements.md and tasks.md",
    );
  }
  const file = (abs: string): DocFile => ({ abs, shown: show(abs), reader });
  if (kind === "file") {
    const base = path.basename(target).toLowerCase();
    const kind = /task|todo/.test(base)
      ? "tasks"
      : /design|plan/.test(base)
        ? "design"
        : "requirements";
    return {
      path: show(target),
      single: true,
      requirements: kind === "requirements" ? file(target) : null,
      design: kind === "design" ? file(target) : null,
      tasks: kind === "tasks" ? file(target) : null,
    };
  }
  const first = (names: readonly string[]) => {
    const found = names.map((n) => path.join(target, n)).find((p) => reader.kind(p) === "file");
    return found ? file(found) : null;
  };
  return {
    path: show(target),
    single: false,
    requirements: first(REQUIREMENT_NAMES),
    design: first(DESIGN_NAMES),
    tasks: first([SPEC_FILES.tasks]),
  };
}

/** A spec name is a bare word; anything with a slash, a dot-name or `.md` is a path. */
function looksLikePath(target: string): boolean {
  return /[\\/]/.test(target) || target === "." || target === ".." || /\.md$/i.test(target);
}

/**
 * Runs `work` on a spec's documents. A spec name is read under the workspace lock, where an
 * approved spec whose documents changed is sent back to review (saved, with a notice); a path
 * (or a name that is no spec but an existing folder) is read as it is, without a workspace.
 */
async function withDocs<T>(input: DocsTarget, work: (docs: SpecDocs) => T): Promise<T> {
  const { cwd, target, notice } = input;
  const now = input.now ?? (() => new Date());
  const fromCwd = path.resolve(cwd, target);
  const asPath = () => {
    if (input.within !== undefined && pathWithin(input.within, fromCwd) === null) {
      throw new BatonError(
        "INVALID_INPUT",
        `${target} is outside the workspace`,
        "name a spec (baton spec list) or a documents folder inside the repository",
      );
    }
    return work({
      spec: null,
      stage: null,
      reopened: false,
      ...locateDocs(
        fromCwd,
        (abs) => path.relative(cwd, abs).split(path.sep).join("/") || ".",
        userReader,
      ),
    });
  };
  if (looksLikePath(target)) return asPath();
  assertSpecName(target);
  let ws: Workspace;
  try {
    ws = openWorkspace(cwd);
  } catch (error) {
    if (!isBatonError(error) || error.code !== "NO_WORKSPACE") throw error;
    if (userReader.kind(fromCwd) !== null) return asPath();
    throw new BatonError(
      "NO_WORKSPACE",
      `${error.message}, and there is no folder or file ${target} here`,
      `run it in a Baton workspace, or pass the documents' path (e.g. ./${target})`,
    );
  }
  if (
    !exists(ws, path.join(specDir(ws, target), "status.yaml")) &&
    userReader.kind(fromCwd) !== null
  ) {
    return asPath();
  }
  const ctx: AppContext = { ws, notice, now };
  return withWorkspaceLock(ws, () => {
    const checked = checkSpec(ctx, target);
    const docs = path.resolve(ws.root, checked.status.spec);
    if (input.within !== undefined && pathWithin(input.within, docs) === null) {
      throw new BatonError(
        "INVALID_INPUT",
        `spec ${target} points at ${checked.status.spec}, outside the workspace`,
        `fix the spec path in ${ws.rel(path.join(specDir(ws, target), "status.yaml"))}`,
      );
    }
    const located = locateDocs(docs, (abs) => ws.rel(abs), workspaceReader(ws));
    const result = work({
      spec: checked.status.name,
      stage: checked.status.stage,
      reopened: checked.reopened,
      ...located,
    });
    // Saved only once the command has succeeded: a refused command changes nothing, and the
    // next one finds the same change again.
    saveReopen(ctx, checked);
    return result;
  });
}

// ---- spec lint ----

export interface LintError {
  code: "LINT_FAILED";
  message: string;
  hint: string;
}

export interface LintResult {
  spec: string | null;
  stage: Stage | null;
  path: string;
  files: { requirements: string | null; design: string | null; tasks: string | null };
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

export interface DocsTarget {
  cwd: string;
  target: string;
  notice: (message: string) => void;
  now?: () => Date;
  /**
   * Only documents inside this folder may be read (the MCP server passes the workspace root: an
   * agent's tool call must not read files elsewhere on the machine). The CLI reads any path its
   * user names, as a linter does.
   */
  within?: string;
}

/**
 * `baton spec lint <name|path>`: every acceptance criterion against EARS, the task list's
 * findings, template placeholders left, and missing documents. Errors make the result a failure
 * (`ok: false`, `error.code` LINT_FAILED); warnings do not.
 */
export function lintSpec(input: DocsTarget): Promise<LintResult> {
  return withDocs(input, (docs) => {
    const findings: FileFinding[] = [];
    let criteria: ReturnType<typeof lintEars>["criteria"] = [];
    let progress: TaskProgress | null = null;
    if (docs.requirements) {
      const text = readDoc(docs.requirements);
      const report = lintEars(text, docs.requirements.shown);
      criteria = report.criteria;
      findings.push(...report.findings);
      for (const f of parseRequirements(text).findings)
        findings.push({ file: docs.requirements.shown, ...f });
      findings.push(...findPlaceholders(text, docs.requirements.shown));
    }
    if (docs.tasks) {
      const text = readDoc(docs.tasks);
      const parsed = parseTasksMarkdown(text);
      progress = taskProgress(parsed.tasks);
      for (const f of parsed.findings) findings.push({ file: docs.tasks.shown, ...f });
      if (parsed.tasks.length === 0) {
        findings.push({
          file: docs.tasks.shown,
          line: 1,
          severity: "warning",
          code: "TASK_NONE",
          message: "no checkbox tasks were found",
          hint: "list the work as - [ ] 1. <task>, each with _Requirements: 1.1_ under it",
        });
      }
      findings.push(...findPlaceholders(text, docs.tasks.shown));
    }
    if (docs.design) findings.push(...findPlaceholders(readDoc(docs.design), docs.design.shown));
    findings.push(...missingDocFindings(docs));
    sortFindings(findings);
    const errors = findings.filter((f) => f.severity === "error").length;
    const result: LintResult = {
      spec: docs.spec,
      stage: docs.stage,
      path: docs.path,
      files: {
        requirements: docs.requirements?.shown ?? null,
        design: docs.design?.shown ?? null,
        tasks: docs.tasks?.shown ?? null,
      },
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
        hint: `fix the findings marked error (each names its file, line and a hint), then run baton spec lint ${docs.spec ?? docs.path} again`,
      };
    }
    return result;
  });
}

/** A path (not a spec) needs at least one document; a spec reports what it lacks as findings. */
function missingDocFindings(docs: SpecDocs): FileFinding[] {
  if (!docs.requirements && !docs.tasks && !docs.design && docs.spec === null) {
    throw new BatonError(
      "FILE_NOT_FOUND",
      `${docs.path} holds no requirements.md, spec.md, design.md or tasks.md`,
      "pass a spec name (baton spec list) or the folder holding its documents",
    );
  }
  if (docs.single) return [];
  const where = docs.path;
  const missing: {
    kind: "requirements" | "design" | "tasks";
    severity: "error" | "warning";
    message: string;
    hint: string;
  }[] = [
    {
      kind: "requirements",
      severity: "error",
      message: `${SPEC_FILES.requirements} is missing, so there are no requirements to check`,
      hint: "write it (numbered requirements with EARS acceptance criteria); baton spec new makes a template",
    },
    {
      kind: "design",
      severity: "warning",
      message: `${SPEC_FILES.design} is missing`,
      hint: "describe the approach before the tasks: architecture, interfaces, data, errors, tests",
    },
    {
      kind: "tasks",
      severity: "warning",
      message: `${SPEC_FILES.tasks} is missing`,
      hint: "list the work as checkbox tasks citing requirements: - [ ] 1. <task> / _Requirements: 1.1_",
    },
  ];
  const out: FileFinding[] = missing
    .filter((m) => !docs[m.kind])
    .map((m) => ({
      file: `${where}/${SPEC_FILES[m.kind]}`,
      line: 1,
      severity: m.severity,
      code: "SPEC_FILE_MISSING",
      message: m.message,
      hint: m.hint,
    }));
  return out;
}

function readDoc(doc: DocFile): string {
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

// ---- spec trace ----

export interface TraceResult extends TraceReport {
  spec: string | null;
  stage: Stage | null;
  path: string;
  files: { requirements: string; tasks: string };
  ok: boolean;
  errors: number;
  warnings: number;
  reopened: boolean;
  error?: LintError;
}

/**
 * `baton spec trace <name|path>`: which tasks cover which requirement. Tasks citing ids the
 * requirements do not define are errors; criteria no task covers and tasks that cite nothing
 * are warnings.
 */
export function traceSpec(input: DocsTarget): Promise<TraceResult> {
  return withDocs(input, (docs) => {
    const name = docs.spec ?? docs.path;
    if (!docs.requirements || !docs.tasks) {
      const missing = !docs.requirements ? "requirements.md (or spec.md)" : SPEC_FILES.tasks;
      throw new BatonError(
        "FILE_NOT_FOUND",
        `${name}: ${missing} is missing, so there is nothing to trace`,
        `trace needs both documents in ${docs.path}; baton spec new makes templates`,
      );
    }
    const requirements = parseRequirements(readDoc(docs.requirements));
    const tasks = parseTasksMarkdown(readDoc(docs.tasks)).tasks;
    const report = traceRequirements(requirements, tasks, {
      requirements: docs.requirements.shown,
      tasks: docs.tasks.shown,
    });
    const errors = report.findings.filter((f) => f.severity === "error").length;
    const result: TraceResult = {
      spec: docs.spec,
      stage: docs.stage,
      path: docs.path,
      files: { requirements: docs.requirements.shown, tasks: docs.tasks.shown },
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
        hint: `fix the _Requirements:_ lines named in the findings, then run baton spec trace ${name} again`,
      };
    }
    return result;
  });
}
