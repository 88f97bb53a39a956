import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  formatProgress,
  parseSpecTaskList,
  type TaskNode,
  taskProgress,
} from "../../../src/core/spec/tasks-md.ts";

/** `id` of every node, depth-first, with children in brackets: `1[1.1,1.2],2`. */
function shape(nodes: readonly TaskNode[]): string {
  return nodes
    .map((n) => (n.children.length > 0 ? `${n.id}[${shape(n.children)}]` : n.id))
    .join(",");
}

function only(text: string): TaskNode {
  const { tasks } = parseSpecTaskList(text);
  assert.equal(tasks.length, 1, `expected one task in ${JSON.stringify(text)}`);
  return tasks[0] as TaskNode;
}

function codes(text: string): string[] {
  return parseSpecTaskList(text).findings.map((f) => f.code);
}

describe("parseSpecTaskList: checkbox states", () => {
  test("[ ] is open, [x] and [X] are done, [-] and [~] are in progress", () => {
    const { tasks } = parseSpecTaskList("- [ ] a\n- [x] b\n- [X] c\n- [-] d\n- [~] e\n");
    assert.deepEqual(
      tasks.map((t) => [t.title, t.status]),
      [
        ["a", "todo"],
        ["b", "done"],
        ["c", "done"],
        ["d", "in_progress"],
        ["e", "in_progress"],
      ],
    );
  });

  test("*, + and ordered list markers carry checkboxes too", () => {
    const { tasks } = parseSpecTaskList("* [ ] star\n+ [x] plus\n1. [ ] ordered\n2) [x] paren\n");
    assert.deepEqual(
      tasks.map((t) => t.title),
      ["star", "plus", "ordered", "paren"],
    );
  });

  test("an unknown state symbol is reported and not counted", () => {
    const result = parseSpecTaskList("- [/] half done\n- [ ] real\n");
    assert.equal(result.tasks.length, 1);
    assert.deepEqual(
      result.findings.map((f) => [f.line, f.code, f.severity]),
      [[1, "TASK_UNKNOWN_STATUS", "warning"]],
    );
  });

  test("a legend like `- [P] = parallel` is text, not a task and not a finding", () => {
    const result = parseSpecTaskList("- [P] = parallel\n- **[P]**: can run in parallel\n");
    assert.deepEqual(result, { tasks: [], findings: [] });
  });

  test("checkbox-looking text that is not a list item is ignored", () => {
    assert.equal(
      parseSpecTaskList("- `- [ ]` = Pending task\n[x] no bullet\n-[ ] no space\n").tasks.length,
      0,
    );
  });

  test("checkboxes inside fenced code are examples, not tasks", () => {
    const text = "```md\n- [ ] 1. inside\n```\n~~~\n- [x] also inside\n~~~\n- [ ] 1. outside\n";
    assert.equal(shape(parseSpecTaskList(text).tasks), "1");
  });
});

describe("parseSpecTaskList: optional marker", () => {
  test("Kiro's star right after the checkbox", () => {
    const task = only("- [ ]* 2.1 Write property tests\n");
    assert.deepEqual([task.id, task.title, task.optional], ["2.1", "Write property tests", true]);
  });

  test("a star right after the id", () => {
    const task = only("- [ ] 2.1* Write property tests\n");
    assert.deepEqual([task.id, task.title, task.optional], ["2.1", "Write property tests", true]);
    assert.equal(only("- [x] 8.* Refactor\n").optional, true);
  });

  test("done optional tasks stay optional; bold text and plain items are not optional", () => {
    assert.deepEqual(
      [only("- [x]* 3.3 Unit tests\n").status, only("- [x]* 3.3 Unit tests\n").optional],
      ["done", true],
    );
    assert.equal(only("- [ ] **Bold** title\n").optional, false);
    assert.equal(only("- [ ] 2.1 Title with * star\n").optional, false);
  });
});

describe("parseSpecTaskList: ids", () => {
  test("numbering: 1. / 1.1 / 46.2.2.1 / 2A.1, the trailing dot is not part of the id", () => {
    assert.deepEqual(
      parseSpecTaskList("- [ ] 1. A\n- [ ] 1.1 B\n- [ ] 46.2.2.1 C\n- [ ] 2A.1 D\n- [ ] 1.2. E\n")
        .tasks.flatMap((t) => [t, ...t.children])
        .map((t) => [t.id, t.title]),
      [
        ["1", "A"],
        ["1.1", "B"],
        ["1.2", "E"],
        ["46.2.2.1", "C"],
        ["2A.1", "D"],
      ],
    );
  });

  test("Spec Kit T001 / T019a ids keep [P] [US1] markers in the title", () => {
    const { tasks } = parseSpecTaskList("- [ ] T001 Setup\n- [x] T019a [P] [US1] Add test\n");
    assert.deepEqual(
      tasks.map((t) => [t.id, t.title, t.status]),
      [
        ["T001", "Setup", "todo"],
        ["T019a", "[P] [US1] Add test", "done"],
      ],
    );
  });

  test("bold ids (Claude-Code-Workflow) and plain prefixed ids with a colon", () => {
    const task = only("- [x] **IMPL-001**: Shared Test Infrastructure (P0) -> [link](./x.json)\n");
    assert.deepEqual(
      [task.id, task.title],
      ["IMPL-001", "Shared Test Infrastructure (P0) -> [link](./x.json)"],
    );
    assert.equal(only("- [ ] **1.2** Bold number\n").id, "1.2");
    assert.equal(only("- [ ] TASK-12: Plain prefixed\n").id, "TASK-12");
    assert.equal(only("- [ ] #3 Backlog.md criterion\n").id, "#3");
  });

  test("titles that merely start with a number or an acronym keep it", () => {
    assert.deepEqual(
      [only("- [ ] 3 retries are enough\n").id, only("- [ ] 3 retries are enough\n").title],
      ["L1", "3 retries are enough"],
    );
    assert.equal(only("- [ ] GPT-4 support\n").title, "GPT-4 support");
    assert.equal(only("- [ ] JavaScript: handles imports\n").title, "JavaScript: handles imports");
  });

  test("an item without an id gets L<line>", () => {
    const { tasks } = parseSpecTaskList("# Tasks\n\n- [ ] first\n- [ ] second\n");
    assert.deepEqual(
      tasks.map((t) => [t.id, t.line]),
      [
        ["L3", 3],
        ["L4", 4],
      ],
    );
  });

  test("a duplicate id is a warning; Backlog.md's #n restart per section is not", () => {
    assert.deepEqual(codes("- [ ] 1.1 a\n- [ ] 1.1 b\n"), ["TASK_DUPLICATE_ID"]);
    assert.deepEqual(
      codes("## Acceptance Criteria\n- [ ] #1 a\n## Definition of Done\n- [ ] #1 b\n"),
      [],
    );
  });

  test("an empty title is reported", () => {
    assert.deepEqual(codes("- [ ] 1.1\n"), ["TASK_EMPTY_TITLE"]);
  });
});

describe("parseSpecTaskList: hierarchy", () => {
  test("numbering builds the tree when every item is flush left (Kiro, OpenSpec)", () => {
    const text = "- [ ] 1. A\n- [ ] 1.1 B\n- [ ] 1.2 C\n- [ ] 2. D\n- [ ] 2.1 E\n";
    assert.equal(shape(parseSpecTaskList(text).tasks), "1[1.1,1.2],2[2.1]");
  });

  test("deep numbering nests level by level, and a missing level links to the nearest ancestor", () => {
    const deep = "- [ ] 46. a\n- [ ] 46.2 b\n- [ ] 46.2.2 c\n- [ ] 46.2.2.1 d\n- [ ] 46.3 e\n";
    assert.equal(shape(parseSpecTaskList(deep).tasks), "46[46.2[46.2.2[46.2.2.1]],46.3]");
    assert.equal(shape(parseSpecTaskList("- [ ] 1. a\n- [ ] 1.1.1 b\n").tasks), "1[1.1.1]");
    assert.equal(shape(parseSpecTaskList("- [ ] 2A. a\n- [ ] 2A.1 b\n").tasks), "2A[2A.1]");
  });

  test("indentation builds the tree when items have no ids", () => {
    const text = "- [ ] a\n  - [ ] b\n    - [ ] c\n  - [x] d\n- [ ] e\n";
    const { tasks } = parseSpecTaskList(text);
    assert.equal(shape(tasks), "L1[L2[L3],L4],L5");
  });

  test("indentation with numbering (Kiro nested style) and tabs", () => {
    assert.equal(
      shape(parseSpecTaskList("- [x] 2. A\n  - [x] 2.1 B\n  - [x] 2.2 C\n").tasks),
      "2[2.1,2.2]",
    );
    assert.equal(shape(parseSpecTaskList("- [ ] 1. A\n\t- [ ] 1.1 B\n").tasks), "1[1.1]");
  });

  test("numbering deeper than indentation says nests inside the indented parent", () => {
    const text = "- [ ] 1. A\n  - [ ] 1.1 B\n  - [ ] 1.1.1 C\n";
    assert.equal(shape(parseSpecTaskList(text).tasks), "1[1.1[1.1.1]]");
  });

  test("indentation wins when numbering contradicts it", () => {
    const text = "- [ ] 1. A\n  - [ ] 1.1 B\n- [ ] 2. C\n  - [ ] 1.2 misnumbered\n";
    assert.equal(shape(parseSpecTaskList(text).tasks), "1[1.1],2[1.2]");
  });

  test("a heading starts a new section: no parent across it", () => {
    const text = "## 1. Implementation\n- [ ] 1.1 a\n- [ ] 1.2 b\n## 2. Verify\n- [ ] 2.1 c\n";
    assert.equal(shape(parseSpecTaskList(text).tasks), "1.1,1.2,2.1");
    assert.equal(shape(parseSpecTaskList("- [ ] a\n## H\n  - [ ] b\n").tasks), "L1,L3");
  });

  test("detail bullets are not tasks, and a blank line does not end an item", () => {
    const text = [
      "- [ ] 1. Parent",
      "  - detail one",
      "",
      "  - detail two",
      "  _Requirements: 1.1_",
      "",
      "- [ ] 1.1 Child",
      "",
      "  - child detail",
      "",
      "  - _Requirements: 2.1_",
    ].join("\n");
    const { tasks } = parseSpecTaskList(text);
    assert.equal(shape(tasks), "1[1.1]");
    assert.deepEqual(tasks[0]?.requirements, ["1.1"]);
    assert.deepEqual(tasks[0]?.children[0]?.requirements, ["2.1"]);
  });

  test("nested checkboxes under a detail-bearing item become its children", () => {
    const text = "- [ ] Tests: add tests for\n  - [ ] a\n  - [x] b\n- [ ] next\n";
    assert.equal(shape(parseSpecTaskList(text).tasks), "L1[L2,L3],L4");
  });

  test("a flush-left paragraph ends the item: later indented lines are not its details", () => {
    const text = "- [ ] 1. A\n\n**Checkpoint**: done\n  _Requirements: 9.9_\n";
    assert.deepEqual(only(text).requirements, []);
  });
});

describe("parseSpecTaskList: requirement references", () => {
  test("Kiro `_Requirements: 1.1, 2.3_` detail lines become a list", () => {
    const task = only("- [ ] 1. A\n  - do it\n  - _Requirements: 1.1, 2.3, 5.2_\n");
    assert.deepEqual(task.requirements, ["1.1", "2.3", "5.2"]);
  });

  test("ranges expand with a hyphen, an en dash or an em dash", () => {
    assert.deepEqual(only("- [ ] 1. A\n  - _Requirements: 1.1-1.4_\n").requirements, [
      "1.1",
      "1.2",
      "1.3",
      "1.4",
    ]);
    assert.deepEqual(only("- [ ] 1. A\n  - _Requirements: 1.1–1.3, 2.1_\n").requirements, [
      "1.1",
      "1.2",
      "1.3",
      "2.1",
    ]);
    assert.deepEqual(only("- [ ] 1. A\n  _Requirements: 3.8—3.9_\n").requirements, ["3.8", "3.9"]);
    assert.deepEqual(only("- [ ] 1. A\n  _Requirements: FR-001–FR-003_\n").requirements, [
      "FR-001",
      "FR-002",
      "FR-003",
    ]);
    assert.deepEqual(only("- [ ] 1. A\n  _Requirements: 2A.1-2A.2_\n").requirements, [
      "2A.1",
      "2A.2",
    ]);
  });

  test("a range whose ends do not share a prefix is kept as written and reported", () => {
    const result = parseSpecTaskList("- [ ] 1. A\n  _Requirements: 1.2-2.1_\n");
    assert.deepEqual(result.tasks[0]?.requirements, ["1.2", "2.1"]);
    assert.deepEqual(
      result.findings.map((f) => [f.line, f.code]),
      [[2, "TASK_REQ_RANGE_UNEXPANDED"]],
    );
  });

  test("Kiro property tasks cite requirements with **Validates: Requirements …**", () => {
    const task = only(
      "- [ ]* 2.7 Property test\n  - **Property 6: load**\n  - **Validates: Requirements 3.3, 3.5**\n",
    );
    assert.deepEqual(task.requirements, ["3.3", "3.5"]);
  });

  test("references at the end of the title are taken out of the title", () => {
    const task = only("- [ ] 1.1 Do the thing _Requirements: 1.1, 1.2_\n");
    assert.deepEqual([task.title, task.requirements], ["Do the thing", ["1.1", "1.2"]]);
  });

  test("a reference that is not an id is kept verbatim with a warning", () => {
    const result = parseSpecTaskList("- [x] 1.3 废弃 API\n  - _Requirements: API 统一性_\n");
    assert.deepEqual(result.tasks[0]?.requirements, ["API 统一性"]);
    assert.deepEqual(
      result.findings.map((f) => f.code),
      ["TASK_REQ_REF_NOT_ID"],
    );
  });

  test("prose mentioning requirements is not a reference", () => {
    assert.deepEqual(
      only("- [ ] 1. A\n  - Requirements are listed in the spec\n").requirements,
      [],
    );
  });
});

describe("parseSpecTaskList: line endings", () => {
  const lf = "# Plan\n\n- [x] 1. A\n  - _Requirements: 1.1_\n\n- [ ]* 1.1 B\n- [-] 2. C";

  test("no final newline: the last item is still read", () => {
    const { tasks } = parseSpecTaskList(lf);
    assert.deepEqual(
      tasks.map((t) => [t.id, t.status]),
      [
        ["1", "done"],
        ["2", "in_progress"],
      ],
    );
  });

  test("CRLF and lone CR give the same tree, titles and lines as LF", () => {
    const expected = parseSpecTaskList(lf);
    assert.deepEqual(parseSpecTaskList(lf.replace(/\n/g, "\r\n")), expected);
    assert.deepEqual(parseSpecTaskList(`${lf.replace(/\n/g, "\r\n")}\r\n`), expected);
    assert.deepEqual(parseSpecTaskList(lf.replace(/\n/g, "\r")), expected);
  });

  test("an empty document has no tasks and no findings", () => {
    assert.deepEqual(parseSpecTaskList(""), { tasks: [], findings: [] });
  });
});

describe("parseSpecTaskList: consistency findings", () => {
  test("a done parent with open required children is reported; optional ones are fine", () => {
    assert.deepEqual(codes("- [x] 1. A\n- [ ] 1.1 B\n"), ["TASK_DONE_WITH_OPEN_CHILDREN"]);
    assert.deepEqual(codes("- [x] 1. A\n- [ ]* 1.1 B\n- [x] 1.2 C\n"), []);
    assert.deepEqual(codes("- [ ] 1. A\n- [x] 1.1 B\n"), []);
  });
});

describe("taskProgress", () => {
  test("counts every node, parents and children alike", () => {
    const { tasks } = parseSpecTaskList(
      "- [x] 1. A\n- [x] 1.1 B\n- [-] 2. C\n- [ ] 2.1 D\n- [x]* 2.2 E\n",
    );
    assert.deepEqual(taskProgress(tasks), {
      total: 5,
      done: 3,
      in_progress: 1,
      todo: 1,
      optional: 1,
      required: 4,
      required_done: 2,
      percent: 50,
    });
  });

  test("percent leaves optional tasks out and rounds down", () => {
    const { tasks } = parseSpecTaskList("- [x] a\n- [x] b\n- [ ] c\n- [ ]* d\n- [ ]* e\n");
    assert.equal(taskProgress(tasks).percent, 66);
    const allDone = parseSpecTaskList("- [x] a\n- [ ]* optional\n").tasks;
    assert.equal(taskProgress(allDone).percent, 100);
  });

  test("all optional: percent over all tasks; nothing: zeros", () => {
    assert.equal(taskProgress(parseSpecTaskList("- [x]* a\n- [ ]* b\n").tasks).percent, 50);
    assert.deepEqual(taskProgress([]), {
      total: 0,
      done: 0,
      in_progress: 0,
      todo: 0,
      optional: 0,
      required: 0,
      required_done: 0,
      percent: 0,
    });
  });
});

describe("formatProgress", () => {
  test("one denominator: required done over required, optional named apart", () => {
    // 23 required (21 done) and 14 optional, as a real Kiro spec has them.
    const lines = [
      ...Array.from({ length: 21 }, (_, i) => `- [x] ${i + 1}. done`),
      "- [ ] 22. open",
      "- [-] 23. under way",
      ...Array.from({ length: 14 }, (_, i) => `- [ ]* ${i + 24}. optional`),
    ];
    const progress = taskProgress(parseSpecTaskList(lines.join("\n")).tasks);
    assert.equal(formatProgress(progress), "21/23 required done (91%), 14 optional");
    assert.equal(
      formatProgress(taskProgress(parseSpecTaskList("- [x] a\n- [ ] b\n").tasks)),
      "1/2 required done (50%)",
    );
    assert.equal(
      formatProgress(taskProgress(parseSpecTaskList("- [x]* a\n- [ ]* b\n").tasks)),
      "1/2 done (50%), all optional",
    );
    assert.equal(formatProgress(taskProgress([])), "no tasks");
  });
});
