/**
 * The documents `baton spec new` writes: Kiro's layout (requirements.md with EARS acceptance
 * criteria, design.md, tasks.md citing criteria) plus spec-metadata.json.
 *
 * The templates are valid EARS as they stand, so `baton spec lint` finds no errors in a fresh
 * spec. What the agent must fill in is written as a bracketed upper-case placeholder (`[TRIGGER]`,
 * `[SUMMARY: …]`, the convention Spec Kit's templates use); the linter reports each line still
 * holding one as a `SPEC_PLACEHOLDER` warning, so "lint clean" means "nothing left to fill in".
 */
import { SCHEMA_VERSION } from "../schema.ts";
import type { FileFinding } from "./finding.ts";
import { FenceTracker, splitLines } from "./text.ts";

export const SPEC_FILES = {
  requirements: "requirements.md",
  design: "design.md",
  tasks: "tasks.md",
  metadata: "spec-metadata.json",
} as const;

/** The section of a plan's sources.md that lists the specs made from it. */
export const PLAN_SPECS_SECTION = "Specs";

export interface SpecPlanLink {
  id: string;
  /** Markdown link target from the spec folder to the plan document. */
  link: string;
  /** The plan document, relative to the workspace root. */
  path: string;
}

export interface PlanTaskSeed {
  title: string;
  done: boolean;
}

export interface TemplateInput {
  name: string;
  title: string;
  plan: SpecPlanLink | null;
  /** The plan's tasks, carried into tasks.md; null without a plan. */
  tasks: PlanTaskSeed[] | null;
}

/** `spec-metadata.json`: what the spec is and where it came from. Written once by `spec new`. */
export interface SpecMetadata {
  schema_version: number;
  name: string;
  title: string;
  format: "kiro";
  created: string;
  documents: { requirements: string; design: string; tasks: string };
  plan: { id: string; path: string; tasks: number } | null;
}

/** `user-auth` → `User auth`: a readable default title. */
export function titleFromName(name: string): string {
  const words = name.replace(/[-_.]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function renderRequirements(input: TemplateInput): string {
  const source = input.plan
    ? `Source plan: [${input.plan.id}](${input.plan.link}); its tasks are carried into tasks.md.\n\n`
    : "";
  return `# Requirements Document: ${input.title}

## Introduction

[SUMMARY: what this feature does, for whom, and why]

${source}<!--
Each acceptance criterion is one EARS sentence with exactly one SHALL:
  THE <system> SHALL <response>                       always
  WHEN <trigger> THEN THE <system> SHALL <response>   on an event
  IF <unwanted condition> THEN THE <system> SHALL <response>
  WHILE <state> THE <system> SHALL <response>
  WHERE <feature is included> THE <system> SHALL <response>
Criteria are numbered per requirement (1.1, 1.2, ...) and cited from tasks.md.
Replace every bracketed upper-case placeholder; baton spec lint lists the ones left.
-->

## Requirements

### Requirement 1: [NAME]

**User Story:** As a [ROLE], I want [CAPABILITY], so that [BENEFIT]

#### Acceptance Criteria

1. WHEN [TRIGGER] THEN THE [SYSTEM] SHALL [RESPONSE]
2. IF [UNWANTED CONDITION] THEN THE [SYSTEM] SHALL [RESPONSE]
3. WHILE [STATE] THE [SYSTEM] SHALL [RESPONSE]
`;
}

export function renderDesign(input: TemplateInput): string {
  return `# Design Document: ${input.title}

## Overview

[OVERVIEW: the approach in a few sentences, and what it leaves out]

## Architecture

[ARCHITECTURE: the components and how data flows between them]

## Components and Interfaces

[COMPONENTS: each module, its responsibility and its public interface]

## Data Models

[DATA MODELS: the types, files or tables this feature adds or changes]

## Error Handling

[ERROR HANDLING: what can fail and how each failure is reported]

## Testing Strategy

[TESTING: how each requirement is verified, and by which tests]
`;
}

export function renderTasks(input: TemplateInput): string {
  const guide = `<!--
One checkbox per task an agent can finish in one work session. Under each task, cite the
acceptance criteria it satisfies: _Requirements: 1.1, 1.2_ (baton spec trace checks them).
Mark progress in place: [ ] todo, [-] in progress, [x] done; a trailing * marks a task optional.
-->`;
  if (input.tasks === null) {
    return `# Implementation Plan: ${input.title}

${guide}

- [ ] 1. [TASK]
  - [DETAILS: the files to change and what to build]
  - _Requirements: 1.1, 1.2_

- [ ] 2. [TASK]
  - [DETAILS: the files to change and what to build]
  - _Requirements: 1.3_
`;
  }
  const plan = input.plan as SpecPlanLink;
  const lines = input.tasks.map(
    (task, i) => `- [${task.done ? "x" : " "}] ${i + 1}. ${task.title.trim()}`,
  );
  const body =
    lines.length > 0
      ? lines.join("\n")
      : "- [ ] 1. [TASK]\n  - [DETAILS: the files to change and what to build]\n  - _Requirements: 1.1_";
  return `# Implementation Plan: ${input.title}

Carried from plan [${plan.id}](${plan.link}). Cite the criteria each task satisfies.

${guide}

${body}
`;
}

export function specMetadata(input: TemplateInput, created: string): SpecMetadata {
  return {
    schema_version: SCHEMA_VERSION,
    name: input.name,
    title: input.title,
    format: "kiro",
    created,
    documents: {
      requirements: SPEC_FILES.requirements,
      design: SPEC_FILES.design,
      tasks: SPEC_FILES.tasks,
    },
    plan: input.plan
      ? { id: input.plan.id, path: input.plan.path, tasks: input.tasks?.length ?? 0 }
      : null,
  };
}

/**
 * `[ROLE]`, `[SUMMARY: …]`, Spec Kit's `[NEEDS CLARIFICATION: …]`: bracketed upper-case words,
 * not a link (`[API](…)`, `[API][1]`, `[API]:`), outside code spans, fences and HTML comments.
 */
const PLACEHOLDER = /\[([A-Z][A-Z _/-]*[A-Z])(?::[^\]\n]*)?\](?![([:])/g;

/** One warning per line still holding template placeholders. */
export function findPlaceholders(text: string, file: string): FileFinding[] {
  const findings: FileFinding[] = [];
  const fences = new FenceTracker();
  let inComment = false;
  splitLines(text).forEach((raw, index) => {
    if (fences.step(raw)) return;
    let line = raw;
    if (inComment) {
      const end = line.indexOf("-->");
      if (end === -1) return;
      line = line.slice(end + 3);
      inComment = false;
    }
    line = line.replace(/<!--.*?-->/g, "");
    const open = line.indexOf("<!--");
    if (open !== -1) {
      line = line.slice(0, open);
      inComment = true;
    }
    line = line.replace(/`[^`]*`/g, "");
    const names = [...new Set([...line.matchAll(PLACEHOLDER)].map((m) => `[${m[1]}]`))];
    if (names.length === 0) return;
    findings.push({
      file,
      line: index + 1,
      severity: "warning",
      code: "SPEC_PLACEHOLDER",
      message:
        names.length === 1
          ? `template placeholder ${names[0]} is not filled in`
          : `template placeholders ${names.join(", ")} are not filled in`,
      hint: "replace it with the real text (or delete the line)",
    });
  });
  return findings;
}
