import path from "node:path";
import { BatonError, isBatonError } from "../core/errors.ts";
import { assertTopicId } from "../core/ids.ts";
import { ensureLineInSection } from "../core/markdown.ts";
import { type DocLayout, documentName } from "../core/spec/documents.ts";
import {
  mergeRequirements,
  parseRequirements,
  type TraceReport,
  traceRequirements,
} from "../core/spec/requirements.ts";
import { assertSpecName, newSpecStatus, type Stage } from "../core/spec/status.ts";
import { parseTasksMarkdown } from "../core/spec/tasks-md.ts";
import {
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
import { exists, pathWithin, userReader, workspaceReader, writeJson } from "../store/files.ts";
import { readText, requireTopic, topicDocPath, topicFile, writeText } from "../store/repo.ts";
import { readSpecStatus, specDir, writeSpecStatus } from "../store/specs.ts";
import { withWorkspaceLock } from "../store/transaction.ts";
import { openWorkspace, type Workspace } from "../store/workspace.ts";
import { planTasks } from "./backlog.ts";
import { type AppContext, isoNow } from "./context.ts";
import { activateIfNone } from "./spec-folders.ts";
import { checkSpec, saveReopen } from "./spec-gate.ts";
import {
  type LintError,
  type LintResult,
  lintDocs,
  locateDocs,
  readDoc,
  requirementsName,
  type SpecDocs,
} from "./spec-lint.ts";

export type { LintResult, SpecDocs } from "./spec-lint.ts";

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
  /** True when it became the active spec because none was. */
  activated: boolean;
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
    const activated = activateIfNone(ws, name, now);
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
      activated,
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
 * `baton spec lint <name|path>`: every acceptance criterion against EARS (in every requirements
 * document: OpenSpec has one per capability), the task list's findings and its references to
 * requirements (the same unknown references `spec trace` reports), template placeholders left,
 * and missing documents. Errors make the result a failure (`ok: false`, `error.code`
 * LINT_FAILED); warnings do not.
 */
export function lintSpec(input: DocsTarget): Promise<LintResult> {
  return withDocs(input, lintDocs);
}

/** The lint of documents already located: `spec lint`, and `spec submit`'s gate. */
// ---- spec trace ----

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
        `trace needs the requirements and tasks.md in ${docs.path}; baton spec new makes templates`,
      );
    }
    const requirements = mergeRequirements(
      docs.requirements.map((doc) => parseRequirements(readDoc(doc), doc.shown)),
    );
    const tasks = parseTasksMarkdown(readDoc(docs.tasks)).tasks;
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
        hint: `fix the _Requirements:_ lines named in the findings, then run baton spec trace ${name} again`,
      };
    }
    return result;
  });
}
