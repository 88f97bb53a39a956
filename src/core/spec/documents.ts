/**
 * Which files of a spec folder are its documents. The three layouts name them differently:
 *
 *   kiro      requirements.md, design.md, tasks.md                (.kiro/specs/<name>/)
 *   speckit   spec.md, plan.md, tasks.md                          (specs/NNN-<name>/)
 *   openspec  proposal.md, design.md (optional), tasks.md and one
 *             specs/<capability>/spec.md per capability changed   (openspec/changes/<id>/)
 *
 * The layout is read from what the folder holds, not from its path, so a copy of a spec folder
 * anywhere lints the same; missing documents are named in the layout's own words (a Spec Kit
 * folder lacks plan.md, never design.md).
 */
import { cmd } from "../command-ref.ts";

export type DocLayout = "kiro" | "speckit" | "openspec";

/** What a folder holds, as far as choosing documents needs. */
export interface FolderListing {
  /** File names directly in the folder. */
  files: readonly string[];
  /** Names of the folders under `specs/` that hold a `spec.md` (OpenSpec capabilities). */
  capabilities: readonly string[];
}

/** The chosen documents, as paths relative to the folder with forward slashes. */
export interface DocNames {
  layout: DocLayout;
  /** One for Kiro and Spec Kit; one per capability (sorted) for OpenSpec. */
  requirements: string[];
  design: string | null;
  tasks: string | null;
  /** OpenSpec's proposal.md; null elsewhere. */
  proposal: string | null;
}

const NAMES = {
  kiro: { requirements: "requirements.md", design: "design.md" },
  speckit: { requirements: "spec.md", design: "plan.md" },
  openspec: { requirements: "specs/<capability>/spec.md", design: "design.md" },
} as const;

export function pickDocuments(listing: FolderListing): DocNames {
  const has = (name: string) => listing.files.includes(name);
  const tasks = has("tasks.md") ? "tasks.md" : null;
  if (has("requirements.md")) {
    return {
      layout: "kiro",
      requirements: ["requirements.md"],
      design: has("design.md") ? "design.md" : null,
      tasks,
      proposal: null,
    };
  }
  if (has("spec.md") || (has("plan.md") && !has("design.md"))) {
    return {
      layout: "speckit",
      requirements: has("spec.md") ? ["spec.md"] : [],
      design: has("plan.md") ? "plan.md" : null,
      tasks,
      proposal: null,
    };
  }
  if (listing.capabilities.length > 0 || has("proposal.md")) {
    return {
      layout: "openspec",
      requirements: [...listing.capabilities].sort().map((c) => `specs/${c}/spec.md`),
      design: has("design.md") ? "design.md" : null,
      tasks,
      proposal: has("proposal.md") ? "proposal.md" : null,
    };
  }
  return {
    layout: "kiro",
    requirements: [],
    design: has("design.md") ? "design.md" : null,
    tasks,
    proposal: null,
  };
}

/** The name the layout gives a kind of document, for messages. */
export function documentName(layout: DocLayout, kind: "requirements" | "design"): string {
  return NAMES[layout][kind];
}

export interface MissingDoc {
  /** The expected file, relative to the folder. */
  file: string;
  severity: "error" | "warning";
  message: string;
  hint: string;
}

/** What the layout expects and the folder lacks: no requirements is an error, the rest warnings. */
export function missingDocuments(docs: DocNames): MissingDoc[] {
  const missing: MissingDoc[] = [];
  if (docs.requirements.length === 0) {
    missing.push(
      docs.layout === "openspec"
        ? {
            file: "specs",
            severity: "error",
            message: "no specs/<capability>/spec.md, so there are no requirements to check",
            hint: "write the change's requirements as specs/<capability>/spec.md with ## ADDED Requirements, ### Requirement: <name> and #### Scenario: lines",
          }
        : {
            file: NAMES[docs.layout].requirements,
            severity: "error",
            message: `${NAMES[docs.layout].requirements} is missing, so there are no requirements to check`,
            hint:
              docs.layout === "speckit"
                ? "write it (user stories with acceptance scenarios, **FR-001**: requirements); Spec Kit's /specify makes it"
                : `write it (numbered requirements with EARS acceptance criteria); ${cmd("spec new")} makes a template`,
          },
    );
  }
  if (docs.layout === "openspec" && docs.proposal === null) {
    missing.push({
      file: "proposal.md",
      severity: "warning",
      message: "proposal.md is missing",
      hint: "say why the change is made and what changes (## Why, ## What Changes)",
    });
  }
  // OpenSpec writes design.md only when a change needs one.
  if (docs.design === null && docs.layout !== "openspec") {
    missing.push({
      file: NAMES[docs.layout].design,
      severity: "warning",
      message: `${NAMES[docs.layout].design} is missing`,
      hint: "describe the approach before the tasks: architecture, interfaces, data, errors, tests",
    });
  }
  if (docs.tasks === null) {
    missing.push({
      file: "tasks.md",
      severity: "warning",
      message: "tasks.md is missing",
      hint:
        docs.layout === "speckit"
          ? "list the work as - [ ] T001 [US1] <task> lines"
          : "list the work as checkbox tasks citing requirements: - [ ] 1. <task> / _Requirements: 1.1_",
    });
  }
  return missing;
}
