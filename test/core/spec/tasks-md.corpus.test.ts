/**
 * The task parser against real files. Every Markdown file in the corpus is parsed and its counts
 * are compared with a deliberately naive line scan; a few files are then checked fact by fact
 * against what a person reads in them.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseSpecTaskList, type TaskNode, taskProgress } from "../../../src/core/spec/tasks-md.ts";
import {
  CORPUS_ABSENT_MESSAGE,
  CORPUS_PRESENT,
  corpusFile,
  corpusFiles,
  readCorpus,
} from "./corpus.ts";

interface Counts {
  total: number;
  done: number;
  in_progress: number;
  todo: number;
  optional: number;
}

/**
 * What a person counts: list lines starting with a checkbox, outside code fences, by the
 * character in the box. Optional = a `*` right after the box or right after the first word.
 */
function scanCounts(text: string): Counts {
  const counts: Counts = { total: 0, done: 0, in_progress: 0, todo: 0, optional: 0 };
  let inFence = false;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    const box = /^\s*(?:[-*+]|\d+[.)])\s+\[([ xX~-])\](?=[\s*]|$)/.exec(line);
    if (!box) continue;
    counts.total += 1;
    const mark = box[1];
    if (mark === "x" || mark === "X") counts.done += 1;
    else if (mark === "-" || mark === "~") counts.in_progress += 1;
    else counts.todo += 1;
    const rest = line.slice(box[0].length);
    if (/^\*(?!\*)/.test(rest) || /^\s+[\w.]+\*\s/.test(rest)) counts.optional += 1;
  }
  return counts;
}

function flatten(nodes: readonly TaskNode[]): TaskNode[] {
  return nodes.flatMap((node) => [node, ...flatten(node.children)]);
}

function find(nodes: readonly TaskNode[], id: string): TaskNode {
  const node = flatten(nodes).find((n) => n.id === id);
  assert.ok(node, `task ${id} not found`);
  return node;
}

describe("parseSpecTaskList on every Markdown file in the corpus", () => {
  if (!CORPUS_PRESENT) {
    test("corpus", (t) => t.skip(CORPUS_ABSENT_MESSAGE));
    return;
  }
  const files = corpusFiles((name) => name.endsWith(".md"));
  test("the corpus has Markdown task files to check", () => {
    assert.ok(files.filter((f) => /tasks\.md$|TODO_LIST\.md$/.test(f)).length >= 10);
  });
  for (const file of files) {
    test(file, () => {
      const text = readCorpus(file);
      const { tasks } = parseSpecTaskList(text);
      const {
        percent: _percent,
        required: _required,
        required_done: _requiredDone,
        ...counts
      } = taskProgress(tasks);
      assert.deepEqual(counts, scanCounts(text));
      // Windows line endings must not change anything.
      assert.deepEqual(parseSpecTaskList(text.replace(/\r?\n/g, "\r\n")).tasks, tasks);
    });
  }
});

describe("hand-checked corpus files", () => {
  if (!CORPUS_PRESENT) {
    test("corpus", (t) => t.skip(CORPUS_ABSENT_MESSAGE));
    return;
  }

  test("Kiro, flush-left numbering (osml-model-runner capacity-based-throttling)", () => {
    const { tasks, findings } = parseSpecTaskList(
      readCorpus(corpusFile("osml-model-runner", "tasks.md")),
    );
    assert.deepEqual(
      tasks.map((t) => t.id),
      ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"],
    );
    const two = find(tasks, "2");
    assert.equal(two.status, "todo");
    assert.deepEqual(
      two.children.map((c) => c.id),
      ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8"],
    );
    // `- [ ]* 2.2 …`: optional, open; its detail line cites 7.1 and 7.4.
    const twoTwo = find(tasks, "2.2");
    assert.deepEqual(
      [twoTwo.optional, twoTwo.status, twoTwo.requirements],
      [true, "todo", ["7.1", "7.4"]],
    );
    // Property tests cite requirements only through "**Validates: Requirements 3.3**".
    assert.deepEqual(find(tasks, "2.7").requirements, ["3.3"]);
    assert.deepEqual(find(tasks, "1.1").requirements, ["5.1", "5.2", "5.3", "5.4", "5.5", "8.5"]);
    // `- [ ]* 8. Refactor …` and all five sub-tasks are optional.
    const eight = find(tasks, "8");
    assert.equal(eight.optional, true);
    assert.deepEqual(
      eight.children.map((c) => [c.id, c.optional]),
      [
        ["8.1", true],
        ["8.2", true],
        ["8.3", true],
        ["8.4", true],
        ["8.5", true],
      ],
    );
    // Optional parent 9 with done, non-optional children: the flag is not inherited.
    assert.equal(find(tasks, "9.1").optional, false);
    assert.equal(find(tasks, "9.7").title, "Write unit tests for metrics emission ✓");
    assert.equal(find(tasks, "7").children.length, 13);
    assert.equal(find(tasks, "6.6").line, 260);
    assert.deepEqual(findings, []);
  });

  test("Kiro, nested by indentation, [-] in progress, no final newline (AudioCap ci-pipeline)", () => {
    const text = readCorpus(corpusFile("AudioCap", "tasks.md"));
    assert.ok(!text.endsWith("\n"));
    const { tasks } = parseSpecTaskList(text);
    assert.equal(tasks.length, 8);
    const eight = find(tasks, "8");
    assert.deepEqual(
      [eight.status, eight.title],
      ["in_progress", "Test and validate complete CI pipeline"],
    );
    assert.deepEqual(
      eight.children.map((c) => [c.id, c.status]),
      [
        ["8.1", "todo"],
        ["8.2", "todo"],
      ],
    );
    // The very last line of the file is a requirement reference of the last task.
    assert.deepEqual(find(tasks, "8.2").requirements, ["2.2", "2.3", "4.1", "4.2", "4.3", "4.4"]);
    // 7 is open although both sub-tasks are done: allowed (only the reverse is reported).
    assert.deepEqual(
      [find(tasks, "7").status, find(tasks, "7").children.map((c) => c.status)],
      ["todo", ["done", "done"]],
    );
    assert.deepEqual(find(tasks, "1").children, []);
    assert.deepEqual(find(tasks, "1").requirements, ["1.1", "1.2", "3.1"]);
  });

  test("Kiro in Chinese, `[x]*` optional, a 5.0 sub-task, non-id references (duckdb-query)", () => {
    const { tasks, findings } = parseSpecTaskList(
      readCorpus(corpusFile("duckdb-query", "tasks.md")),
    );
    assert.equal(tasks.length, 11);
    const five = find(tasks, "5");
    assert.deepEqual(
      five.children.map((c) => c.id),
      ["5.0", "5.1", "5.2", "5.3", "5.4", "5.5"],
    );
    assert.equal(find(tasks, "5.0").title, "实现右键菜单和组件集成");
    assert.deepEqual([find(tasks, "2.2").optional, find(tasks, "2.2").status], [true, "done"]);
    assert.deepEqual(find(tasks, "3.4").requirements, ["1.2", "1.3"]);
    assert.deepEqual(find(tasks, "1.3").requirements, ["API 统一性"]);
    assert.deepEqual(
      findings.map((f) => [f.line, f.code]),
      [
        [29, "TASK_REQ_REF_NOT_ID"],
        [35, "TASK_REQ_REF_NOT_ID"],
        [322, "TASK_REQ_REF_NOT_ID"],
        [328, "TASK_REQ_REF_NOT_ID"],
        [338, "TASK_REQ_REF_NOT_ID"],
      ],
    );
  });

  test("Spec Kit T-ids with [P]/[US] markers and [-] (pattern-rs paramorphism)", () => {
    const { tasks, findings } = parseSpecTaskList(readCorpus(corpusFile("pattern-rs", "tasks.md")));
    assert.equal(tasks.length, 26);
    assert.ok(tasks.every((t) => t.children.length === 0 && /^T0\d\d$/.test(t.id)));
    // T006 is missing from the file itself: ids are taken as written, not renumbered.
    assert.ok(!tasks.some((t) => t.id === "T006"));
    assert.ok(find(tasks, "T002").title.startsWith("[P] Confirm pattern-core builds"));
    assert.deepEqual(
      tasks.filter((t) => t.status === "in_progress").map((t) => t.id),
      ["T020", "T021"],
    );
    // The "- [P] = …" legend near the end is neither a task nor a finding.
    assert.deepEqual(findings, []);
  });

  test("Claude-Code-Workflow bold ids; the status legend is not tasks (dish-ai-commit TODO_LIST)", () => {
    const { tasks } = parseSpecTaskList(readCorpus(corpusFile("dish-ai-commit", "TODO_LIST.md")));
    assert.deepEqual(
      tasks.map((t) => [t.id, t.status]),
      ["IMPL-001", "IMPL-002", "IMPL-003", "IMPL-004", "IMPL-005", "IMPL-006"].map((id) => [
        id,
        "done",
      ]),
    );
    assert.ok(find(tasks, "IMPL-003").title.startsWith("SCM Layer Tests - Git/SVN (P0, 6-8 days)"));
  });

  test("OpenSpec items without ids nest by indentation (Modulus catalog security)", () => {
    const { tasks } = parseSpecTaskList(readCorpus(corpusFile("Modulus", "tasks.md")));
    assert.equal(tasks.length, 10);
    const last = tasks[9] as TaskNode;
    assert.deepEqual([last.id, last.title], ["L15", "Tests: add unit/integration tests for"]);
    assert.equal(last.children.length, 4);
  });
});
