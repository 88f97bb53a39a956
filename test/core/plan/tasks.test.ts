import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isTaskId, parsePlanTodoList, parseTasksJson } from "../../../src/core/plan/tasks.ts";

describe("task ids", () => {
  test("accepts IMPL-<n> and short names, refuses anything path-like", () => {
    for (const ok of ["IMPL-1", "IMPL-001", "setup", "T_2-b"]) assert.ok(isTaskId(ok), ok);
    for (const bad of ["", "1abc", "../x", "a/b", "a.json", "x".repeat(42), " IMPL-1", 7]) {
      assert.ok(!isTaskId(bad), String(bad));
    }
  });
});

describe("parseTasksJson", () => {
  test("reads Baton's shape with defaults", () => {
    const { tasks, findings } = parseTasksJson(
      JSON.stringify([
        {
          id: "IMPL-1",
          title: "Provider",
          depends_on: [],
          files: ["src/a.ts"],
          acceptance: ["signs in"],
          requirements: ["1.1"],
        },
      ]),
      1,
    );
    assert.deepEqual(findings, []);
    assert.deepEqual(tasks[0], {
      schema_version: 1,
      id: "IMPL-1",
      title: "Provider",
      description: "",
      status: "todo",
      depends_on: [],
      files: ["src/a.ts"],
      acceptance: ["signs in"],
      requirements: ["1.1"],
    });
  });

  test("accepts Claude-Code-Workflow tasks: convergence.criteria, files as {path}", () => {
    const ccw = {
      tasks: [
        {
          id: "IMPL-001",
          title: "Shared test infrastructure",
          description: "Mocks and helpers",
          depends_on: [],
          files: [{ path: "src/test/helpers.ts", action: "create" }],
          convergence: {
            criteria: ["helpers exported", "npm test passes"],
            verification: "npm test",
          },
        },
      ],
    };
    const { tasks, findings } = parseTasksJson(JSON.stringify(ccw), 1);
    assert.deepEqual(findings, []);
    assert.deepEqual(tasks[0]?.acceptance, ["helpers exported", "npm test passes"]);
    assert.deepEqual(tasks[0]?.files, ["src/test/helpers.ts"]);
  });

  test("reports every malformed task at once", () => {
    const { tasks, findings } = parseTasksJson(
      JSON.stringify([
        { id: "../etc", title: "x" },
        { id: "B" },
        { id: "C", title: "c", files: "a.ts", depends_on: [3] },
        { id: "D", title: "d", status: "paused" },
        { id: "E", title: "e" },
        { id: "E", title: "e again" },
        "nope",
      ]),
      1,
    );
    assert.deepEqual(
      tasks.map((t) => t.id),
      ["E", "E"],
    );
    assert.deepEqual(findings.map((f) => f.code).sort(), [
      "TASK_BAD_ID",
      "TASK_BAD_STATUS",
      "TASK_DUPLICATE_ID",
      "TASK_MALFORMED",
      "TASK_MALFORMED",
      "TASK_NO_TITLE",
    ]);
  });

  test("ids differing only in case are duplicates (they name the same file on some systems)", () => {
    const { findings } = parseTasksJson(
      JSON.stringify([
        { id: "setup", title: "a" },
        { id: "Setup", title: "b" },
      ]),
      1,
    );
    assert.deepEqual(
      findings.map((f) => f.code),
      ["TASK_DUPLICATE_ID"],
    );
  });

  test("refuses non-JSON and non-lists", () => {
    assert.equal(parseTasksJson("{", 1).findings[0]?.code, "TASKS_NOT_JSON");
    assert.equal(parseTasksJson('{"a":1}', 1).findings[0]?.code, "TASKS_NOT_LIST");
  });
});

describe("parsePlanTodoList", () => {
  test("reads ids, boxes and indented fields; numbers tasks without ids", () => {
    const md = [
      "# Tasks",
      "",
      "- [x] **IMPL-1**: Provider → [IMPL-1.json](./.task/IMPL-1.json)",
      "  - files: `src/a.ts`, src/b.ts",
      "  - acceptance: signs in",
      "  - acceptance: signs out",
      "- [~] IMPL-2: Tokens",
      "  - depends: IMPL-1",
      "  - requirements: 1.1, 1.2",
      "  - description: store them safely",
      "- [ ] Write docs: the guide",
      "",
      "```",
      "- [ ] not a task",
      "```",
    ].join("\n");
    const { tasks, findings } = parsePlanTodoList(md, 1);
    assert.deepEqual(findings, []);
    assert.deepEqual(
      tasks.map((t) => [t.id, t.title, t.status]),
      [
        ["IMPL-1", "Provider", "done"],
        ["IMPL-2", "Tokens", "in_progress"],
        ["IMPL-3", "Write docs: the guide", "todo"],
      ],
    );
    assert.deepEqual(tasks[0]?.files, ["src/a.ts", "src/b.ts"]);
    assert.deepEqual(tasks[0]?.acceptance, ["signs in", "signs out"]);
    assert.deepEqual(tasks[1]?.depends_on, ["IMPL-1"]);
    assert.deepEqual(tasks[1]?.requirements, ["1.1", "1.2"]);
    assert.equal(tasks[1]?.description, "store them safely");
  });
});
