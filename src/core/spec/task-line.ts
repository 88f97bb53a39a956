/**
 * One checkbox line of a task file, read on its own: indent, state, optional marker, id, title.
 * Tree building lives in `tasks-md.ts`; keeping the line grammar here makes each syntax the
 * corpus uses (Kiro, Spec Kit, OpenSpec, Claude-Code-Workflow, Backlog.md) testable in isolation.
 */
import type { TaskStatus } from "../task.ts";
import { requirementListOf } from "./requirement-refs.ts";
import { indentWidth } from "./text.ts";
import { INLINE_REFERENCE } from "./vocabulary.ts";

/** The statuses a checkbox can say; a spec task is never marked blocked or cancelled. */
export type CheckboxStatus = Extract<TaskStatus, "todo" | "in_progress" | "done">;

export interface TaskLine {
  indent: number;
  status: CheckboxStatus;
  optional: boolean;
  /** The id written in the line, or null when the item has none. */
  id: string | null;
  title: string;
  /** Requirement list written at the end of the title (`… _Requirements: 1.1_`), if any. */
  inlineRefs: string | null;
  /** Spec Kit's user-story labels in the title (`T012 [P] [US1] …` → `US1`), in order. */
  stories: string[];
}

export type LineParse =
  | { kind: "task"; task: TaskLine }
  /** A checkbox with a state character no tool we know writes (`[/]`, `[?]`): reported, skipped. */
  | { kind: "unknown-status"; mark: string; indent: number }
  | null;

const STATUS: Record<string, CheckboxStatus> = {
  " ": "todo",
  x: "done",
  X: "done",
  // Kiro writes `[-]` for a task an agent is working on; `[~]` is the other common spelling.
  "-": "in_progress",
  "~": "in_progress",
};

/** A list item (`-`, `*`, `+` or `1.`) whose content starts with a one-character checkbox. */
const CHECKBOX = /^(\s*)(?:[-*+]|\d{1,9}[.)])\s+\[(.)\](\*?)(?=\s|$)\s*(.*)$/;

/** Id grammars, tried in order; each captures the id, an optional `*` and the rest. */
const ID_PATTERNS: readonly RegExp[] = [
  // Claude-Code-Workflow and others: `**IMPL-001**: Title`, `**1.2** Title`.
  /^\*\*((?:[A-Za-z][A-Za-z0-9]*-)?\d+[A-Za-z]?(?:\.\d+[A-Za-z]?)*|T\d{3,}[a-z]?)\.?[:：]?\*\*(\*?)\s*[:：.]?\s*(.*)$/,
  // Dotted numbering: `1.1 Title`, `46.2.2.1 Title`, `2A.1 Title`, `2.1* Title`, `1.1. Title`.
  /^(\d+[A-Z]?(?:\.\d+[A-Z]?)+)\.?(\*?)(?=[\s:)]|$)[:)]?\s*(.*)$/,
  // A single number needs its terminator (`1. Title`), else "- [ ] 3 retries" would get id 3.
  /^(\d+[A-Z]?)[.):](\*?)(?=\s|$)\s*(.*)$/,
  // Spec Kit: `T001 Title`, `T019a [P] Title`.
  /^(T\d{3,}[a-z]?)(\*?)(?=[\s:.]|$)[:.]?\s*(.*)$/,
  // Backlog.md acceptance criteria: `#1 Title`.
  /^(#\d+)()(?=\s|$)\s*(.*)$/,
  // A plain prefixed id needs a colon (`TASK-12: Title`), so titles like "GPT-4 support" stay titles.
  /^([A-Z][A-Z0-9]*-\d+(?:\.\d+)*[a-z]?)(\*?)\s*[:：]\s*(.*)$/,
];

/** Spec Kit's traceability label: `[US1]`, `[US12]`. */
const STORY_LABEL = /\[(US\d+)\]/gi;

export function parseTaskLine(line: string): LineParse {
  const match = CHECKBOX.exec(line);
  if (!match) return null;
  const mark = match[2] as string;
  const status = STATUS[mark];
  const indent = indentWidth(match[1] as string);
  if (!status) {
    // `- [P] = parallel` (a Spec Kit legend) is text, not a checkbox: only symbols are reported.
    return /[\p{L}\p{N}]/u.test(mark) ? null : { kind: "unknown-status", mark, indent };
  }
  let optional = match[3] === "*";
  let id: string | null = null;
  let rest = (match[4] as string).trim();
  for (const pattern of ID_PATTERNS) {
    const idMatch = pattern.exec(rest);
    if (!idMatch) continue;
    id = idMatch[1] as string;
    optional ||= idMatch[2] === "*";
    rest = (idMatch[3] as string).trim();
    break;
  }
  let inlineRefs: string | null = null;
  const refs = INLINE_REFERENCE.exec(rest);
  if (refs) {
    inlineRefs = requirementListOf(refs[1] as string);
    rest = rest.slice(0, refs.index).trim();
  }
  const stories = [
    ...new Set([...rest.matchAll(STORY_LABEL)].map((m) => (m[1] as string).toUpperCase())),
  ];
  return {
    kind: "task",
    task: { indent, status, optional, id, title: rest, inlineRefs, stories },
  };
}

/**
 * `text` with the checkbox of line `line` (1-based) set to `mark` (`x` done, ` ` todo, `-` in
 * progress), every other byte as it was: the line endings, the indentation, the rest of the
 * line, every other line. Null when that line is no checkbox.
 */
export function setCheckbox(text: string, line: number, mark: "x" | " " | "-"): string | null {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf("\n", start);
    if (next === -1) return null;
    start = next + 1;
  }
  const stop = text.indexOf("\n", start);
  const row = text.slice(start, stop === -1 ? text.length : stop);
  const match = CHECKBOX.exec(row.replace(/\r$/, ""));
  if (!match) return null;
  // The mark sits right after the first `[` following the list marker.
  const at = start + row.indexOf("[", (match[1] as string).length) + 1;
  return `${text.slice(0, at)}${mark}${text.slice(at + 1)}`;
}
