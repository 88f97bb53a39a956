import { cmd } from "../../core/command-ref.ts";
import { BatonError, isBatonError } from "../../core/errors.ts";
import { assertTopicId } from "../../core/ids.ts";
import { ensureLineInSection } from "../../core/markdown.ts";
import { assertSpecName, newSpecStatus, type Stage } from "../../core/spec/status.ts";
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
} from "../../core/spec/templates.ts";
import { openCatalog } from "../../store/catalog-file.ts";
import { recordEvent } from "../../store/events.ts";
import { exists, writeJson } from "../../store/files.ts";
import {
  readText,
  requireTopic,
  topicDir,
  topicDocPath,
  topicFile,
  writeText,
} from "../../store/repo.ts";
import {
  readSpecStatus,
  type SpecFileKind,
  specDir,
  specFile,
  specStatusPath,
  writeSpecFile,
  writeSpecStatus,
} from "../../store/specs.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { linkFrom, type Workspace } from "../../store/workspace.ts";
import { type AppContext, isoNow } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { planTasks } from "../planning/backlog-tasks.ts";
import { activateIfNone } from "./folder.ts";

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

export const newOperation = defineOperation({
  name: "spec new",
  summary: "write a spec's requirements.md, design.md and tasks.md templates (stage draft)",
  description:
    "Creates {planning.dir}/<name>/ with requirements.md (user stories, numbered requirements, EARS acceptance criteria), design.md, tasks.md (checkbox tasks citing criteria with _Requirements: 1.1_), spec-metadata.json and status.yaml (stage draft). Bracketed upper-case words such as [TRIGGER] are placeholders: spec lint warns about each one left. With --from-plan the plan's checkbox tasks become tasks.md and the plan's sources.md lists the spec under ## Specs. The new spec becomes the active one when none is. An existing spec or document is never overwritten.",
  examples: [
    "baton spec new user-auth",
    "baton spec new user-auth --from-plan plan-oauth-login",
    'baton spec new user-auth --title "User sign-in" --json',
  ],
  access: "write",
  input: {
    name: {
      type: "string",
      min: 1,
      required: true,
      description: "the spec's folder name, e.g. user-auth",
      cli: { positional: true },
    },
    from_plan: {
      type: "string",
      min: 1,
      description: "carry a plan topic's tasks into tasks.md and link the plan",
      cli: { value: "<plan-id>" },
    },
    title: {
      type: "string",
      description: "the documents' title (default: from the name)",
      cli: { value: "<text>" },
    },
  },
  tool: { description: "Create a spec's documents, optionally from a plan." },
  run: (env, input) =>
    createSpec(env.context(), {
      name: input.name,
      title: input.title,
      fromPlan: input.from_plan,
    }),
});

/**
 * `baton spec new <name> [--from-plan <plan-id>]`: requirements.md, design.md, tasks.md and
 * spec-metadata.json in `{planning.dir}/<name>/`, with status.yaml (stage draft) pointing at that
 * folder. From a plan, its tasks are carried into tasks.md and the plan's sources.md lists the
 * spec under `## Specs`. An existing spec, or any of its documents, is never overwritten.
 */
function createSpec(ctx: AppContext, input: NewSpecInput): Promise<NewSpecResult> {
  const name = assertSpecName(input.name);
  const title = input.title?.trim() || titleFromName(name);
  if (/[\r\n]/.test(title)) {
    throw new BatonError(
      "INVALID_INPUT",
      "--title must be one line",
      cmd("spec new", { name: "<name>", title: "User sign-in" }),
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
      plan = { id: planId, link: linkFrom(ws, folder, planDoc), path: ws.rel(planDoc) };
      tasks = planTasks(ws, planId).map((t) => ({ title: t.title, done: t.done }));
      const file = topicFile(ws, planId, "sources.md");
      const before = readText(ws, file) ?? `# Sources: ${planId}\n\n`;
      const link = linkFrom(ws, topicDir(ws, planId), specFile(ws, name, "requirements"));
      const line = `- spec: [${name}](${link}) (${ws.rel(folder)})`;
      sources = { file, text: ensureLineInSection(before, PLAN_SPECS_SECTION, line) };
    }

    const template: TemplateInput = { name, title, plan, tasks };
    const docs: [SpecFileKind, string][] = [
      ["requirements", renderRequirements(template)],
      ["design", renderDesign(template)],
      ["tasks", renderTasks(template)],
    ];
    const written: string[] = [];
    for (const [which, text] of docs) written.push(ws.rel(writeSpecFile(ws, name, which, text)));
    const metadataFile = specFile(ws, name, "metadata");
    writeJson(ws, metadataFile, specMetadata(template, now));
    written.push(ws.rel(metadataFile));
    // status.yaml last: until it exists the folder is not a spec, and a re-run refuses the
    // half-made documents instead of overwriting them.
    const status = newSpecStatus(name, ws.rel(folder), "draft", now);
    writeSpecStatus(ws, status);
    written.push(ws.rel(specStatusPath(ws, name)));
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
  const hint = `edit the documents in ${ws.rel(folder)}, or pick another name (${cmd("spec list")} shows the specs)`;
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
  for (const which of ["requirements", "design", "tasks", "metadata"] as const) {
    const file = specFile(ws, name, which);
    if (exists(ws, file)) {
      throw new BatonError(
        "STATE_CONFLICT",
        `${ws.rel(file)} already exists`,
        `Baton does not overwrite spec documents; register the folder with ${cmd("spec setup", { spec: ws.rel(folder) })}, or pick another name`,
      );
    }
  }
}
