/**
 * Reads a Markdown task list (Kiro `tasks.md`, Spec Kit `tasks.md`, OpenSpec `tasks.md`,
 * Claude-Code-Workflow `TODO_LIST.md`, Backlog.md acceptance criteria) into a task tree.
 *
 * Hierarchy comes from two sources because real files use both: indentation (`  - [ ] 2.1`
 * under `- [ ] 2.`) and numbering with every item flush left (`- [ ] 1.` then `- [ ] 1.1`).
 * A numbering parent is used when it is at the same or a shallower indent and does not contradict
 * the indentation (it is the indentation parent or lies inside it); otherwise indentation wins.
 *
 * Everything that is not a checkbox is context: indented lines under an item are its details
 * (they may follow a blank line and still belong to it) and `_Requirements: …_` among them fill
 * `requirements`, as Spec Kit's story labels (`[US1]`) in a title do; FR-nnn ids named anywhere in
 * the item's text fill `mentions`. A heading starts a new section: no parent, indentation or numbering, crosses it.
 */
import type { Finding } from "./finding.ts";
import { mentionedIds, parseRequirementRefs, requirementListOf } from "./requirement-refs.ts";
import { type CheckboxStatus, parseTaskLine, type TaskLine } from "./task-line.ts";
import { FenceTracker, headingLevel, indentWidth, isBlank, splitLines } from "./text.ts";

export { formatProgress, type TaskProgress, taskProgress } from "./task-progress.ts";

export interface TaskNode {
  /** The id written in the file (`1.1`, `T019a`, `IMPL-001`, `2A.1`), else `L<line>`. */
  id: string;
  title: string;
  status: CheckboxStatus;
  /** Marked optional with `*` (Kiro: `- [ ]* 2.1 Title` or `- [ ] 2.1* Title`). Not inherited. */
  optional: boolean;
  /** Requirement ids this task cites (reference lines, story labels), ranges expanded, in order. */
  requirements: string[];
  /** FR-nnn ids its title or detail lines name in passing (`… per FR-003`), in order. */
  mentions: string[];
  line: number;
  children: TaskNode[];
  /**
   * Tasks this one waits for, from a detail line `_Depends: 1.2, 1.3_`; present only when the
   * task has one (work sessions' ready queue reads it).
   */
  depends?: string[];
  /** The files it changes, from `_Files: src/a.ts, src/b.ts_`; present only when given. */
  files?: string[];
}

export interface ParsedSpecTasks {
  tasks: TaskNode[];
  findings: Finding[];
}

interface Open {
  node: TaskNode;
  indent: number;
}

export function parseSpecTaskList(text: string): ParsedSpecTasks {
  const tasks: TaskNode[] = [];
  const findings: Finding[] = [];
  const parentOf = new Map<TaskNode, TaskNode | null>();
  const fences = new FenceTracker();
  /** Items whose indentation scope is still open, outermost first. */
  let stack: Open[] = [];
  /** Written ids seen in the current section, latest wins, for numbering parents. */
  let section = new Map<string, Open>();
  const seenIds = new Map<string, number>();

  splitLines(text).forEach((raw, index) => {
    const lineNo = index + 1;
    if (fences.step(raw)) return;
    if (isBlank(raw)) return;
    if (headingLevel(raw) > 0) {
      stack = [];
      section = new Map();
      // Backlog.md numbers each checklist (`## Acceptance Criteria`, `## Definition of Done`)
      // from #1 again, so `#n` ids are unique per section only.
      for (const id of [...seenIds.keys()]) if (id.startsWith("#")) seenIds.delete(id);
      return;
    }
    const parsed = parseTaskLine(raw);
    if (parsed?.kind === "unknown-status") {
      findings.push({
        line: lineNo,
        severity: "warning",
        code: "TASK_UNKNOWN_STATUS",
        message: `checkbox state "[${parsed.mark}]" is not one of [ ], [x], [-], [~]; the line is not counted as a task`,
        hint: "use [ ] for todo, [x] for done, [-] or [~] for in progress",
      });
      return;
    }
    if (!parsed) {
      attachDetail(raw, lineNo);
      return;
    }
    addTask(parsed.task, lineNo);
  });

  function addTask(line: TaskLine, lineNo: number): void {
    while (stack.length > 0 && (stack[stack.length - 1] as Open).indent >= line.indent) stack.pop();
    const indentParent = stack[stack.length - 1];
    const numberParent = line.id ? findNumberParent(line.id, line.indent) : undefined;
    let parent = indentParent;
    if (numberParent && (!indentParent || isWithin(numberParent.node, indentParent.node))) {
      parent = numberParent;
    }
    const node: TaskNode = {
      id: line.id ?? `L${lineNo}`,
      title: line.title,
      status: line.status,
      optional: line.optional,
      requirements: [...line.stories],
      mentions: [],
      line: lineNo,
      children: [],
    };
    (parent ? parent.node.children : tasks).push(node);
    parentOf.set(node, parent?.node ?? null);
    const open: Open = { node, indent: line.indent };
    stack.push(open);
    // Only written ids take part in numbering: a generated `L12` is nobody's parent.
    if (line.id) section.set(line.id, open);
    if (line.inlineRefs !== null) addRefs(node, line.inlineRefs, lineNo);
    addMentions(node, line.title);
    if (line.title === "") {
      findings.push({
        line: lineNo,
        severity: "warning",
        code: "TASK_EMPTY_TITLE",
        message: `task ${node.id} has no title`,
        hint: "write what the task does after the checkbox",
      });
    }
    if (line.id) {
      const first = seenIds.get(line.id);
      if (first === undefined) seenIds.set(line.id, lineNo);
      else {
        findings.push({
          line: lineNo,
          severity: "warning",
          code: "TASK_DUPLICATE_ID",
          message: `task id ${line.id} is also used on line ${first}`,
          hint: "give every task its own id so references and status updates are unambiguous",
        });
      }
    }
  }

  /** Nearest written ancestor by numbering (`1.2.3` → `1.2` → `1`) at the same or a lower indent. */
  function findNumberParent(id: string, indent: number): Open | undefined {
    const parts = id.split(".");
    for (let n = parts.length - 1; n >= 1; n--) {
      const candidate = section.get(parts.slice(0, n).join("."));
      if (candidate && candidate.indent <= indent) return candidate;
    }
    return undefined;
  }

  function isWithin(node: TaskNode, ancestor: TaskNode): boolean {
    for (let at: TaskNode | null | undefined = node; at; at = parentOf.get(at)) {
      if (at === ancestor) return true;
    }
    return false;
  }

  /** A non-task line: a detail of the deepest open item indented less than it, else it ends them. */
  function attachDetail(raw: string, lineNo: number): void {
    const indent = indentWidth(raw);
    while (stack.length > 0 && (stack[stack.length - 1] as Open).indent >= indent) stack.pop();
    const owner = stack[stack.length - 1];
    if (!owner) return;
    const list = requirementListOf(raw);
    if (list !== null) {
      addRefs(owner.node, list, lineNo);
      return;
    }
    const work = workListOf(raw);
    if (work === null) addMentions(owner.node, raw);
    else {
      const into = owner.node[work.key] ?? [];
      for (const item of work.items) if (!into.includes(item)) into.push(item);
      owner.node[work.key] = into;
    }
  }

  function addMentions(node: TaskNode, text: string): void {
    for (const id of mentionedIds(text)) if (!node.mentions.includes(id)) node.mentions.push(id);
  }

  function addRefs(node: TaskNode, list: string, lineNo: number): void {
    const { refs, problems } = parseRequirementRefs(list);
    for (const ref of refs) if (!node.requirements.includes(ref)) node.requirements.push(ref);
    for (const problem of problems)
      findings.push({ line: lineNo, severity: "warning", ...problem });
  }

  checkParents(tasks, findings);
  return { tasks, findings };
}

/** `_Depends: 1.2, 1.3_`, `- Depends on: 1.2`, `_Files: src/a.ts, \`src/b.ts\`_`. */
const WORK_LINE = /^(depends(?:\s+on)?|dependencies|files)\s*[:：]\s*(.*)$/i;

/** A detail line naming a task's dependencies or files, split into its items; else null. */
function workListOf(raw: string): { key: "depends" | "files"; items: string[] } | null {
  const bare = raw
    .trim()
    .replace(/^(?:[-*+]|\d+[.)])\s+/, "")
    .replace(/^[_*\s]+/, "")
    .replace(/[_*\s]+$/, "");
  const match = WORK_LINE.exec(bare);
  if (!match) return null;
  const key = (match[1] as string).toLowerCase().startsWith("files") ? "files" : "depends";
  const items = (match[2] as string)
    .split(/[,;，、；]|\s+and\s+/)
    .map((item) => {
      const bare = item.trim().replace(/^`|`$/g, "");
      // `Depends on: task 1.2.` names the task 1.2.
      return key === "files" ? bare : bare.replace(/^task\s+/i, "").replace(/\.$/, "");
    })
    .filter((item) => item !== "");
  return { key, items };
}

/** A parent marked done while required work under it is still open is almost always a slip. */
function checkParents(nodes: TaskNode[], findings: Finding[]): void {
  for (const node of nodes) {
    const pending = node.children.filter((c) => !c.optional && c.status !== "done");
    if (node.status === "done" && pending.length > 0) {
      findings.push({
        line: node.line,
        severity: "warning",
        code: "TASK_DONE_WITH_OPEN_CHILDREN",
        message: `task ${node.id} is done but ${pending.map((c) => c.id).join(", ")} under it ${pending.length === 1 ? "is" : "are"} not`,
        hint: "finish the sub-tasks, mark them optional with *, or reopen the parent",
      });
    }
    checkParents(node.children, findings);
  }
}
