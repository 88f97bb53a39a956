/**
 * Requirement ids and the requirements ↔ tasks matrix.
 *
 * Ids come from the same reading of the document as the EARS linter (`spec-statements.ts`), so
 * `spec lint` and `spec trace` never disagree about what `1.3` is:
 * - Kiro `requirements.md`: `### Requirement N` (optionally `: Title`, in any language
 *   `vocabulary.ts` knows) with numbered acceptance criteria `N.1`, `N.2`…; a task may cite a
 *   criterion (`1.2`) or a whole requirement (`1`), which covers every criterion under it.
 * - Spec Kit `spec.md`: `**FR-001**: …` functional requirements (and `NFR-…`), and each
 *   `### User Story N` with its acceptance scenarios `USN.1`, `USN.2`…; a task labelled `[US2]`
 *   covers the story's scenarios.
 * - OpenSpec `spec.md` (one per capability): `### Requirement: Name`, cited by its name.
 */
import type { FileFinding, Finding } from "./finding.ts";
import { type Dialect, extractStatements } from "./spec-statements.ts";
import type { TaskNode } from "./tasks-md.ts";
import { FenceTracker, headingLevel, splitLines } from "./text.ts";
import { requirementHeading, storyOf } from "./vocabulary.ts";

export interface Criterion {
  id: string;
  line: number;
  text: string;
}

export interface Requirement {
  /** `1`, `2A`, `FR-001`, `US2`, or an OpenSpec requirement's name. */
  id: string;
  title: string;
  line: number;
  /** The document it was read from, as given to `parseRequirements` ("" when none was). */
  file: string;
  dialect: Dialect;
  /** The `**User Story:**` (or `**Objective:**`) sentence, when there is one. */
  story: string | null;
  criteria: Criterion[];
}

export interface ParsedRequirements {
  requirements: Requirement[];
  findings: Finding[];
}

/** Spec Kit's story heading: `### User Story 2 - Title (Priority: P1)`. */
const SPECKIT_STORY = /^User Story\s+(\d+)\b\s*(?:[-—–:：]\s*)?(.*)$/i;

export function parseRequirements(text: string, file = ""): ParsedRequirements {
  const requirements: Requirement[] = [];
  const findings: Finding[] = [];
  /** Open Kiro requirement and the heading level that started it. */
  let open: { requirement: Requirement; level: number } | null = null;
  const stories = new Map<string, Requirement>();
  const fences = new FenceTracker();
  splitLines(text).forEach((raw, index) => {
    if (fences.step(raw)) return;
    const level = headingLevel(raw);
    if (level > 0) {
      const heading = raw
        .trim()
        .replace(/^#+\s*/, "")
        .replace(/\s#+\s*$/, "");
      const match = requirementHeading(heading);
      const story = SPECKIT_STORY.exec(heading);
      if (match) {
        const requirement: Requirement = {
          id: match.id,
          title: match.title,
          line: index + 1,
          file,
          dialect: "kiro",
          story: null,
          criteria: [],
        };
        requirements.push(requirement);
        open = { requirement, level };
      } else if (story && !stories.has(story[1] as string)) {
        const requirement: Requirement = {
          id: `US${story[1]}`,
          title: (story[2] as string).trim(),
          line: index + 1,
          file,
          dialect: "speckit",
          story: null,
          criteria: [],
        };
        stories.set(story[1] as string, requirement);
        requirements.push(requirement);
        open = null;
      } else if (open && level <= open.level) {
        open = null;
      }
      return;
    }
    const story = storyOf(raw);
    const current = open as { requirement: Requirement } | null;
    if (story !== null && current && current.requirement.story === null) {
      current.requirement.story = story;
    }
  });

  const { statements } = extractStatements(text);
  const kiro = requirements.filter((r) => r.dialect === "kiro");
  for (const statement of statements) {
    if (statement.dialect === "kiro" && statement.kind === "criterion") {
      // The criterion belongs to the last requirement heading above it.
      const owner = [...kiro].reverse().find((r) => r.line < statement.line);
      if (owner && statement.id.startsWith(`${owner.id}.`)) {
        owner.criteria.push({ id: statement.id, line: statement.line, text: statement.text });
      }
    } else if (statement.dialect === "speckit" && statement.kind === "requirement") {
      requirements.push({
        id: statement.id,
        title: "",
        line: statement.line,
        file,
        dialect: "speckit",
        story: null,
        criteria: [{ id: statement.id, line: statement.line, text: statement.text }],
      });
    } else if (statement.dialect === "speckit" && statement.kind === "scenario") {
      const owner = stories.get(/^US(\d+)\.\d+$/.exec(statement.id)?.[1] ?? "");
      owner?.criteria.push({ id: statement.id, line: statement.line, text: statement.text });
    } else if (statement.dialect === "openspec" && statement.kind === "requirement") {
      requirements.push({
        id: statement.id,
        title: statement.id,
        line: statement.line,
        file,
        dialect: "openspec",
        story: null,
        criteria: [{ id: statement.id, line: statement.line, text: statement.text }],
      });
    }
  }
  requirements.sort((a, b) => a.line - b.line);

  const seen = new Map<string, number>();
  for (const requirement of requirements) {
    const key = normalise(requirement.id);
    const first = seen.get(key);
    if (first !== undefined) {
      findings.push({
        line: requirement.line,
        severity: "warning",
        code: "REQ_DUPLICATE_ID",
        message: `requirement ${requirement.id} is also ${requirement.dialect === "openspec" ? "named" : "numbered"} so on line ${first}`,
        hint:
          requirement.dialect === "openspec"
            ? "give every requirement of a capability its own name"
            : "renumber the requirements so every one has its own id",
      });
    } else {
      seen.set(key, requirement.line);
    }
    if (requirement.dialect === "kiro" && requirement.criteria.length === 0) {
      findings.push({
        line: requirement.line,
        severity: "warning",
        code: "REQ_NO_CRITERIA",
        message: `requirement ${requirement.id} has no numbered acceptance criteria`,
        hint: 'list them under "#### Acceptance Criteria" as 1. WHEN … THEN THE <system> SHALL …',
      });
    }
  }
  return { requirements, findings };
}

/** The requirements of several documents (OpenSpec: one per capability) as one set. */
export function mergeRequirements(parts: readonly ParsedRequirements[]): ParsedRequirements {
  return {
    requirements: parts.flatMap((p) => p.requirements),
    findings: parts.flatMap((p) => p.findings),
  };
}

/** Every id a task may cite: requirement ids and criterion ids, normalised. */
export function citableIds(parsed: ParsedRequirements): Set<string> {
  const ids = new Set<string>();
  for (const requirement of parsed.requirements) {
    ids.add(normalise(requirement.id));
    for (const criterion of requirement.criteria) ids.add(normalise(criterion.id));
  }
  return ids;
}

/** What a requirement id looks like (as `requirement-refs.ts` reads them). */
const ID_SHAPE = /^(?:[A-Za-z]+-?)?\d+[A-Za-z]?(?:\.\d+[A-Za-z]?)*$/;

/** Ids compare without case (`fr-001` is `FR-001`). */
function normalise(id: string): string {
  return id.toUpperCase();
}

/** One row of the matrix: a criterion (or a requirement without criteria) and who covers it. */
export interface TraceRow {
  id: string;
  requirement: string;
  /** The requirements document the row is in (OpenSpec: its capability's spec.md). */
  file: string;
  line: number;
  text: string;
  covered_by: string[];
}

export interface TraceTask {
  id: string;
  title: string;
  line: number;
  optional: boolean;
  /** What the task cites: its reference lines, story labels and the FR-nnn its text names. */
  requirements: string[];
  /** Cited ids that name no requirement or criterion, and citations that are not ids. */
  unknown: string[];
}

export interface TraceReport {
  rows: TraceRow[];
  tasks: TraceTask[];
  /** Cited ids that name no requirement or criterion (errors). */
  unknown_references: { task: string; ref: string; line: number }[];
  /** Citations that are prose, not ids (`all requirements`): they cannot be checked (warnings). */
  unreadable_references: { task: string; ref: string; line: number }[];
  /** Row ids no task covers. */
  uncovered: string[];
  /** Leaf tasks that cite nothing, and whose parents cite nothing either. */
  uncited_tasks: string[];
  findings: FileFinding[];
}

/** How a task of this kind of spec cites a requirement, for hints. */
function citeHint(parsed: ParsedRequirements, example: string | null): string {
  const dialects = new Set(parsed.requirements.map((r) => r.dialect));
  if (dialects.has("speckit")) {
    return `label the task with its user story ([US1]) or name the requirement it implements (${example ?? "FR-001"}) in its text`;
  }
  if (dialects.has("openspec")) {
    return `cite the requirement by name under the task: _Requirements: ${example ?? "<requirement name>"}_`;
  }
  return `add a line under it: _Requirements: ${example ?? "1.1, 1.2"}_`;
}

/** How to cover an uncovered row, in the citation syntax of its spec. */
function coverHint(parsed: ParsedRequirements, row: TraceRow, tasksFile: string): string {
  const requirement = parsed.requirements.find((r) => r.id === row.requirement);
  if (requirement?.dialect === "speckit") {
    return /^N?FR-/i.test(row.id)
      ? `name ${row.id} in the text of the task in ${tasksFile} that implements it`
      : `label the task in ${tasksFile} that covers it with its user story: [${row.requirement}]`;
  }
  return `cite it from a task in ${tasksFile}: _Requirements: ${row.id}_`;
}

/**
 * Builds the matrix. A task citing a criterion covers it; citing a requirement id (a Kiro
 * requirement, a Spec Kit story label) covers every criterion of that requirement. FR-nnn named
 * in a task's text count as citations too. Unknown references are errors (the link is broken);
 * uncovered criteria and tasks that cite nothing are warnings (the plan may still be in progress).
 * `files.requirements` names the requirements in messages; each row keeps its own file.
 */
export function traceRequirements(
  parsed: ParsedRequirements,
  tasks: readonly TaskNode[],
  files: { requirements: string; tasks: string },
): TraceReport {
  const rows: TraceRow[] = [];
  /** Every id a task may cite → the rows it covers (a name may stand in several capabilities). */
  const byCitation = new Map<string, TraceRow[]>();
  const cite = (key: string, own: readonly TraceRow[]) => {
    const list = byCitation.get(normalise(key)) ?? [];
    for (const row of own) if (!list.includes(row)) list.push(row);
    byCitation.set(normalise(key), list);
  };
  const seen = new Set<string>();
  for (const requirement of parsed.requirements) {
    const file = requirement.file || files.requirements;
    const own: TraceRow[] = (
      requirement.criteria.length > 0
        ? requirement.criteria.map((c) => ({ id: c.id, line: c.line, text: c.text }))
        : [{ id: requirement.id, line: requirement.line, text: requirement.title }]
    )
      .filter((row) => {
        // A duplicate id (reported by the parser) is one row: the first.
        const key = `${file}\0${normalise(row.id)}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .map((row) => ({
        id: row.id,
        requirement: requirement.id,
        file,
        line: row.line,
        text: row.text,
        covered_by: [] as string[],
      }));
    rows.push(...own);
    for (const row of own) cite(row.id, [row]);
    if (!byCitation.has(normalise(requirement.id)) || requirement.dialect !== "kiro") {
      cite(requirement.id, own);
    }
  }
  const definesFr = parsed.requirements.some((r) => /^N?FR-/i.test(r.id));

  const traceTasks: TraceTask[] = [];
  const unknownRefs: TraceReport["unknown_references"] = [];
  const unreadableRefs: TraceReport["unreadable_references"] = [];
  const uncited: string[] = [];
  const findings: FileFinding[] = [];
  const cover = (found: readonly TraceRow[], task: string) => {
    for (const row of found) if (!row.covered_by.includes(task)) row.covered_by.push(task);
  };
  const unknown = (node: TaskNode, ref: string, named: boolean) => {
    unknownRefs.push({ task: node.id, ref, line: node.line });
    findings.push({
      file: files.tasks,
      line: node.line,
      severity: "error",
      code: "TRACE_UNKNOWN_REQUIREMENT",
      message: `task ${node.id} ${named ? "names" : "cites"} requirement ${ref}, which ${files.requirements} does not define`,
      hint: `fix the reference, or add ${ref} to ${files.requirements}`,
    });
  };
  const visit = (nodes: readonly TaskNode[], parentCites: boolean) => {
    for (const node of nodes) {
      const unknownHere: string[] = [];
      const cited: string[] = [];
      for (const ref of node.requirements) {
        cited.push(ref);
        const found = byCitation.get(normalise(ref));
        if (found) cover(found, node.id);
        else if (!ID_SHAPE.test(ref)) {
          unknownHere.push(ref);
          unreadableRefs.push({ task: node.id, ref, line: node.line });
          findings.push({
            file: files.tasks,
            line: node.line,
            severity: "warning",
            code: "TRACE_REF_NOT_ID",
            message: `task ${node.id} cites "${ref}", which is not a requirement id and cannot be checked`,
            hint: citeHint(parsed, null),
          });
        } else {
          unknownHere.push(ref);
          unknown(node, ref, false);
        }
      }
      // Requirement ids named in the text: citations when the spec numbers its requirements so.
      for (const ref of node.mentions) {
        if (cited.some((c) => normalise(c) === normalise(ref))) continue;
        const found = byCitation.get(normalise(ref));
        if (found) {
          cover(found, node.id);
          cited.push(ref);
        } else if (definesFr) {
          cited.push(ref);
          unknownHere.push(ref);
          unknown(node, ref, true);
        }
      }
      const cites = cited.length > 0;
      if (node.children.length === 0 && !cites && !parentCites) {
        uncited.push(node.id);
        findings.push({
          file: files.tasks,
          line: node.line,
          severity: "warning",
          code: "TRACE_TASK_UNCITED",
          message: `task ${node.id} cites no requirement`,
          hint: citeHint(parsed, null),
        });
      }
      traceTasks.push({
        id: node.id,
        title: node.title,
        line: node.line,
        optional: node.optional,
        requirements: cited,
        unknown: unknownHere,
      });
      visit(node.children, parentCites || cites);
    }
  };
  visit(tasks, false);

  const uncovered = rows.filter((row) => row.covered_by.length === 0);
  for (const row of uncovered) {
    findings.push({
      file: row.file,
      line: row.line,
      severity: "warning",
      code: "TRACE_UNCOVERED",
      message: `${row.id === row.requirement ? "requirement" : row.id.startsWith("US") ? "acceptance scenario" : "criterion"} ${row.id} is not covered by any task`,
      hint: coverHint(parsed, row, files.tasks),
    });
  }
  findings.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  return {
    rows,
    tasks: traceTasks,
    unknown_references: unknownRefs,
    unreadable_references: unreadableRefs,
    uncovered: uncovered.map((row) => row.id),
    uncited_tasks: uncited,
    findings,
  };
}
