/**
 * Requirement ids and the requirements ↔ tasks matrix.
 *
 * Ids come from the same reading of the document as the EARS linter (`spec-statements.ts`), so
 * `spec lint` and `spec trace` never disagree about what `1.3` is:
 * - Kiro `requirements.md`: `### Requirement N` (optionally `: Title`) with numbered acceptance
 *   criteria `N.1`, `N.2`…; a task may cite a criterion (`1.2`) or a whole requirement (`1`),
 *   which covers every criterion under it.
 * - Spec Kit `spec.md`: `**FR-001**: …` functional requirements (and `NFR-…`).
 * OpenSpec requirements are named, not numbered, and tasks never cite them, so they are left out.
 */
import type { FileFinding, Finding } from "./finding.ts";
import { extractStatements } from "./spec-statements.ts";
import type { TaskNode } from "./tasks-md.ts";
import { FenceTracker, headingLevel, splitLines } from "./text.ts";

export interface Criterion {
  id: string;
  line: number;
  text: string;
}

export interface Requirement {
  /** `1`, `2A`, `FR-001`. */
  id: string;
  title: string;
  line: number;
  /** The `**User Story:**` (or `**Objective:**`) sentence, when there is one. */
  story: string | null;
  criteria: Criterion[];
}

export interface ParsedRequirements {
  requirements: Requirement[];
  findings: Finding[];
}

const REQUIREMENT_HEADING =
  /^Requirement\s+([\p{L}\p{N}]+(?:[.-][\p{L}\p{N}]+)*)(?:\s*[:：.]\s*(.*)|\s+(.*))?$/iu;
const STORY = /^\s*(?:[-*+]\s+)?\*\*(?:User Story|Objective)\s*[:：]?\*\*\s*[:：]?\s*(.+)$/i;

export function parseRequirements(text: string): ParsedRequirements {
  const requirements: Requirement[] = [];
  const findings: Finding[] = [];
  /** Open Kiro requirement and the heading level that started it. */
  let open: { requirement: Requirement; level: number } | null = null;
  const fences = new FenceTracker();
  splitLines(text).forEach((raw, index) => {
    if (fences.step(raw)) return;
    const level = headingLevel(raw);
    if (level > 0) {
      const heading = raw
        .trim()
        .replace(/^#+\s*/, "")
        .replace(/\s#+\s*$/, "");
      const match = REQUIREMENT_HEADING.exec(heading);
      if (match) {
        const requirement: Requirement = {
          id: match[1] as string,
          title: (match[2] ?? match[3] ?? "").trim(),
          line: index + 1,
          story: null,
          criteria: [],
        };
        requirements.push(requirement);
        open = { requirement, level };
      } else if (open && level <= open.level) {
        open = null;
      }
      return;
    }
    const story = STORY.exec(raw);
    const current = open as { requirement: Requirement } | null;
    if (story && current && current.requirement.story === null) {
      current.requirement.story = (story[1] as string).trim();
    }
  });

  const { statements } = extractStatements(text);
  const kiro = requirements.slice();
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
        message: `requirement ${requirement.id} is also numbered so on line ${first}`,
        hint: "renumber the requirements so every one has its own id",
      });
    } else {
      seen.set(key, requirement.line);
    }
    const isKiro = !/^N?FR-/i.test(requirement.id);
    if (isKiro && requirement.criteria.length === 0) {
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
  line: number;
  text: string;
  covered_by: string[];
}

export interface TraceTask {
  id: string;
  title: string;
  line: number;
  optional: boolean;
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

/**
 * Builds the matrix. A task citing a criterion covers it; citing a requirement id covers every
 * criterion of that requirement. Unknown references are errors (the link is broken); uncovered
 * criteria and tasks that cite nothing are warnings (the plan may still be in progress).
 */
export function traceRequirements(
  parsed: ParsedRequirements,
  tasks: readonly TaskNode[],
  files: { requirements: string; tasks: string },
): TraceReport {
  const rows: TraceRow[] = [];
  const rowsByRequirement = new Map<string, TraceRow[]>();
  const rowById = new Map<string, TraceRow>();
  for (const requirement of parsed.requirements) {
    const own: TraceRow[] =
      requirement.criteria.length > 0
        ? requirement.criteria.map((c) => ({
            id: c.id,
            requirement: requirement.id,
            line: c.line,
            text: c.text,
            covered_by: [],
          }))
        : [
            {
              id: requirement.id,
              requirement: requirement.id,
              line: requirement.line,
              text: requirement.title,
              covered_by: [],
            },
          ];
    for (const row of own) {
      if (rowById.has(normalise(row.id))) continue;
      rows.push(row);
      rowById.set(normalise(row.id), row);
    }
    const key = normalise(requirement.id);
    if (!rowsByRequirement.has(key)) rowsByRequirement.set(key, own);
  }

  const traceTasks: TraceTask[] = [];
  const unknownRefs: TraceReport["unknown_references"] = [];
  const unreadableRefs: TraceReport["unreadable_references"] = [];
  const uncited: string[] = [];
  const findings: FileFinding[] = [];
  const cover = (row: TraceRow, task: string) => {
    if (!row.covered_by.includes(task)) row.covered_by.push(task);
  };
  const visit = (nodes: readonly TaskNode[], parentCites: boolean) => {
    for (const node of nodes) {
      const unknown: string[] = [];
      for (const ref of node.requirements) {
        const key = normalise(ref);
        const whole = rowsByRequirement.get(key);
        const row = rowById.get(key);
        if (row) cover(row, node.id);
        else if (whole) for (const r of whole) cover(r, node.id);
        else if (!ID_SHAPE.test(ref)) {
          unknown.push(ref);
          unreadableRefs.push({ task: node.id, ref, line: node.line });
          findings.push({
            file: files.tasks,
            line: node.line,
            severity: "warning",
            code: "TRACE_REF_NOT_ID",
            message: `task ${node.id} cites "${ref}", which is not a requirement id and cannot be checked`,
            hint: "cite requirement or criterion ids such as 1 or 1.2",
          });
        } else {
          unknown.push(ref);
          unknownRefs.push({ task: node.id, ref, line: node.line });
          findings.push({
            file: files.tasks,
            line: node.line,
            severity: "error",
            code: "TRACE_UNKNOWN_REQUIREMENT",
            message: `task ${node.id} cites requirement ${ref}, which ${files.requirements} does not define`,
            hint: `fix the reference, or add ${ref} to ${files.requirements}`,
          });
        }
      }
      const cites = node.requirements.length > 0;
      if (node.children.length === 0 && !cites && !parentCites) {
        uncited.push(node.id);
        findings.push({
          file: files.tasks,
          line: node.line,
          severity: "warning",
          code: "TRACE_TASK_UNCITED",
          message: `task ${node.id} cites no requirement`,
          hint: "add a line under it: _Requirements: 1.1, 1.2_",
        });
      }
      traceTasks.push({
        id: node.id,
        title: node.title,
        line: node.line,
        optional: node.optional,
        requirements: node.requirements,
        unknown,
      });
      visit(node.children, parentCites || cites);
    }
  };
  visit(tasks, false);

  const uncovered = rows.filter((row) => row.covered_by.length === 0);
  for (const row of uncovered) {
    findings.push({
      file: files.requirements,
      line: row.line,
      severity: "warning",
      code: "TRACE_UNCOVERED",
      message: `${row.id === row.requirement ? "requirement" : "criterion"} ${row.id} is not covered by any task`,
      hint: `cite it from a task in ${files.tasks}: _Requirements: ${row.id}_`,
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
