import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  dependencyCycles,
  MAX_TASK_CRITERIA,
  MAX_TASK_FILES,
  nextTasks,
  structuralFindings,
  topologicalOrder,
  verifyTasks,
} from "../../../src/core/plan/graph.ts";
import { renderTodoList } from "../../../src/core/plan/render.ts";
import type { PlanTaskRecord } from "../../../src/core/plan/tasks.ts";

function task(id: string, extra: Partial<PlanTaskRecord> = {}): PlanTaskRecord {
  return {
    schema_version: 1,
    id,
    title: `Task ${id}`,
    description: "",
    status: "pending",
    depends_on: [],
    files: [],
    acceptance: ["done when it works"],
    requirements: [],
    ...extra,
  };
}

describe("structure", () => {
  test("finds a cycle once and a dangling dependency", () => {
    const tasks = [
      task("A", { depends_on: ["C"] }),
      task("B", { depends_on: ["A"] }),
      task("C", { depends_on: ["B", "Z"] }),
    ];
    assert.deepEqual(dependencyCycles(tasks), [["A", "C", "B", "A"]]);
    assert.deepEqual(
      structuralFindings(tasks).map((f) => [f.code, f.task]),
      [
        ["TASK_DANGLING_DEPENDENCY", "C"],
        ["TASK_CYCLE", "A"],
      ],
    );
  });

  test("a self-dependency is a cycle", () => {
    assert.deepEqual(dependencyCycles([task("A", { depends_on: ["A"] })]), [["A", "A"]]);
  });
});

describe("order and next", () => {
  const tasks = [
    task("IMPL-10"),
    task("IMPL-3", { depends_on: ["IMPL-2"] }),
    task("IMPL-2", { depends_on: ["IMPL-1"] }),
    task("IMPL-1"),
  ];

  test("topological, then numeric id order", () => {
    assert.deepEqual(
      topologicalOrder(tasks).map((t) => t.id),
      ["IMPL-1", "IMPL-2", "IMPL-3", "IMPL-10"],
    );
  });

  test("next: tasks not done whose dependencies are done", () => {
    assert.deepEqual(
      nextTasks(tasks).map((t) => t.id),
      ["IMPL-1", "IMPL-10"],
    );
    const progressed = tasks.map((t) =>
      t.id === "IMPL-1" ? { ...t, status: "done" as const } : t,
    );
    assert.deepEqual(
      nextTasks(progressed).map((t) => t.id),
      ["IMPL-2", "IMPL-10"],
    );
  });
});

describe("verifyTasks", () => {
  test("reports missing acceptance, parallel file conflicts and oversized tasks", () => {
    const many = Array.from({ length: MAX_TASK_FILES + 1 }, (_, i) => `f${i}.ts`);
    const criteria = Array.from({ length: MAX_TASK_CRITERIA + 1 }, (_, i) => `c${i}`);
    const findings = verifyTasks([
      task("A", { files: ["shared.ts"] }),
      task("B", { files: ["shared.ts"], acceptance: [] }),
      task("C", { files: ["shared.ts"], depends_on: ["A", "B"] }),
      task("D", { files: many, acceptance: criteria }),
    ]);
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity, f.task]),
      [
        ["TASK_NO_ACCEPTANCE", "error", "B"],
        ["TASK_TOO_MANY_FILES", "warning", "D"],
        ["TASK_TOO_MANY_CRITERIA", "warning", "D"],
        ["TASK_PARALLEL_FILE_CONFLICT", "error", "A"],
      ],
    );
  });

  test("a dependency path, even an indirect one, makes sharing a file fine", () => {
    const findings = verifyTasks([
      task("A", { files: ["x.ts"] }),
      task("B", { depends_on: ["A"] }),
      task("C", { files: ["x.ts"], depends_on: ["B"] }),
    ]);
    assert.deepEqual(findings, []);
  });
});

test("TODO_LIST.md lists every task with its box and link", () => {
  const text = renderTodoList("plan-x", [task("IMPL-2", { status: "done" }), task("IMPL-1")]);
  assert.match(
    text,
    /- \[ \] \*\*IMPL-1\*\*: Task IMPL-1 → \[IMPL-1\.json\]\(\.\/\.task\/IMPL-1\.json\)\n- \[x\] \*\*IMPL-2\*\*/,
  );
});
