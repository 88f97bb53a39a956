/**
 * The three formats whose files are already spec folders: Kiro (`.kiro/specs/<name>/`), Spec Kit
 * (`specs/NNN-<name>/`) and OpenSpec (`openspec/changes/<id>/`, archived changes under
 * `changes/archive/`, and the capabilities of `openspec/specs/<name>/`). Each folder is set up in
 * place as a Baton spec, named after the folder: its documents stay where they are and Baton
 * reads them there (tasks.md included), so nothing is copied and nothing can drift.
 */
import { type DocNames, missingDocuments } from "../spec/documents.ts";
import type { SpecLayout } from "../spec/folders.ts";
import type { Stage } from "../spec/status.ts";
import { parseSpecTaskList, taskProgress } from "../spec/tasks-md.ts";
import { baseName, dirName, type ImportedSpec, type ImportPlan, type SourceTree } from "./model.ts";

/** A spec folder of a layout, from the path of a file in it; null when the file is not in one. */
type FolderOf = (
  path: string,
) => { folder: string; kind: "change" | "archived" | "capability" | "spec" } | null;

const KIRO = /^(.*(?:^|\/)\.kiro\/specs\/[^/]+)\/[^/]+\.md$/;
const SPECKIT = /^(.*(?:^|\/)specs\/\d{3,}-[^/]+)\/[^/]+\.md$/;
const OPENSPEC_CHANGE =
  /^(.*(?:^|\/)openspec\/changes\/(archive\/)?(?!archive\/)[^/]+)\/(?:[^/]+\.md|specs\/[^/]+\/spec\.md)$/;
const OPENSPEC_SPEC = /^(.*(?:^|\/)openspec\/specs\/[^/]+)\/spec\.md$/;

const FOLDERS: Record<"kiro" | "speckit" | "openspec", FolderOf> = {
  kiro: (p) => {
    const m = KIRO.exec(p);
    return m ? { folder: m[1] as string, kind: "spec" } : null;
  },
  speckit: (p) => {
    const m = SPECKIT.exec(p);
    return m ? { folder: m[1] as string, kind: "spec" } : null;
  },
  openspec: (p) => {
    const change = OPENSPEC_CHANGE.exec(p);
    if (change) return { folder: change[1] as string, kind: change[2] ? "archived" : "change" };
    const spec = OPENSPEC_SPEC.exec(p);
    return spec ? { folder: spec[1] as string, kind: "capability" } : null;
  },
};

/** The documents that make a folder named on the command line a spec folder of the layout. */
const OWN_DOCS: Record<"kiro" | "speckit" | "openspec", readonly string[]> = {
  kiro: ["requirements.md", "design.md", "tasks.md"],
  speckit: ["spec.md", "plan.md", "tasks.md"],
  openspec: ["proposal.md", "tasks.md", "design.md", "spec.md"],
};

/** The files a spec reader reads: the Markdown of spec folders (tasks.md for its tasks). */
export function wantsSpecFile(path: string): boolean {
  return baseName(path) === "tasks.md";
}

/** Markdown files a spec folder may hold, for a folder that is named directly. */
function isMarkdown(path: string): boolean {
  return path.endsWith(".md");
}

export function readSpecFolders(
  format: "kiro" | "speckit" | "openspec",
  tree: SourceTree,
): ImportPlan {
  const plan: ImportPlan = { format, specs: [], plans: [], unmapped: [], skipped: [] };
  const folderOf = FOLDERS[format];
  const folders = new Map<string, "change" | "archived" | "capability" | "spec">();
  for (const path of tree.paths) {
    const found = folderOf(path);
    if (found) {
      folders.set(found.folder, found.kind);
      continue;
    }
    // A spec folder named directly (a copy outside the usual place) counts by what it holds.
    if (dirName(path) === tree.root && OWN_DOCS[format].includes(baseName(path))) {
      folders.set(
        tree.root,
        format === "openspec" && baseName(path) === "spec.md" ? "capability" : "spec",
      );
    }
  }
  for (const [folder, kind] of [...folders].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    plan.specs.push(specOf(format, tree, folder, kind));
  }
  return plan;
}

function specOf(
  format: "kiro" | "speckit" | "openspec",
  tree: SourceTree,
  folder: string,
  kind: "change" | "archived" | "capability" | "spec",
): ImportedSpec {
  const inside = tree.paths
    .filter((p) => p.startsWith(`${folder}/`))
    .map((p) => p.slice(folder.length + 1));
  const files = inside.filter((p) => !p.includes("/") && isMarkdown(p));
  const capabilities = [
    ...new Set(
      inside
        .map((p) => /^specs\/([^/]+)\/spec\.md$/.exec(p)?.[1])
        .filter((c): c is string => c !== undefined),
    ),
  ];
  // A capability of openspec/specs is one spec.md describing what is built: nothing else is due.
  const missing =
    kind === "capability"
      ? []
      : missingDocuments(documentsOf(format, files, capabilities)).map((m) => m.message);
  const tasksFile = tree.files.find((f) => f.path === `${folder}/tasks.md`);
  const tasks = tasksFile ? taskProgress(parseSpecTaskList(tasksFile.text).tasks) : null;
  const stage: Stage = kind === "archived" || kind === "capability" ? "done" : "draft";
  const stageReason =
    kind === "archived"
      ? "an archived OpenSpec change: applied"
      : kind === "capability"
        ? "a capability of openspec/specs: the behaviour as built"
        : null;
  const layout: SpecLayout =
    format === "kiro"
      ? "kiro"
      : format === "speckit"
        ? "speckit"
        : kind === "capability"
          ? "folder"
          : "openspec";
  return {
    path: folder,
    name: baseName(folder),
    layout,
    stage,
    stage_reason: stageReason,
    tasks,
    missing,
  };
}

/**
 * The folder's documents in its format's own names: a Kiro folder lacking requirements.md is
 * told so, whatever else it holds (Baton's lint picks the layout from the contents instead).
 */
function documentsOf(
  format: "kiro" | "speckit" | "openspec",
  files: readonly string[],
  capabilities: readonly string[],
): DocNames {
  const has = (name: string) => (files.includes(name) ? name : null);
  const tasks = has("tasks.md");
  if (format === "kiro") {
    const requirements = has("requirements.md");
    return {
      layout: "kiro",
      requirements: requirements ? [requirements] : [],
      design: has("design.md"),
      tasks,
      proposal: null,
    };
  }
  if (format === "speckit") {
    const spec = has("spec.md");
    return {
      layout: "speckit",
      requirements: spec ? [spec] : [],
      design: has("plan.md"),
      tasks,
      proposal: null,
    };
  }
  return {
    layout: "openspec",
    requirements: [...capabilities].sort().map((c) => `specs/${c}/spec.md`),
    design: has("design.md"),
    tasks,
    proposal: has("proposal.md"),
  };
}
