import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BatonError } from "../../src/core/errors.ts";
import { normalizeTask, parsePlanTodoList, planTaskFile } from "../../src/core/plan/tasks.ts";
import { parseSpecTaskList } from "../../src/core/spec/tasks-md.ts";
import {
  formatTaskRef,
  isClosed,
  OLD_STATUS_SPELLINGS,
  parseTaskRef,
  readTaskStatus,
  TASK_STATUSES,
} from "../../src/core/task.ts";
import { newTicket, parseTicket, renderTicket } from "../../src/core/ticket.ts";

describe("one status set", () => {
  test("every status reads as itself; the old spellings read as todo", () => {
    for (const status of TASK_STATUSES) assert.equal(readTaskStatus(status), status);
    assert.deepEqual(OLD_STATUS_SPELLINGS, { pending: "todo", open: "todo" });
    for (const old of ["pending", "open", " Pending ", "OPEN"]) {
      assert.equal(readTaskStatus(old), "todo", old);
    }
    assert.equal(readTaskStatus("completed"), "done");
    assert.equal(readTaskStatus("canceled"), "cancelled");
    assert.equal(readTaskStatus("paused"), null);
    assert.deepEqual(
      TASK_STATUSES.filter((s) => isClosed(s)),
      ["done", "cancelled"],
    );
  });

  test("a plan task file: pending and todo both read as todo, written back as pending", () => {
    const raw = {
      schema_version: 1,
      id: "IMPL-1",
      title: "Provider",
      description: "",
      depends_on: [],
      files: [],
      acceptance: ["signs in"],
      requirements: [],
    };
    for (const written of ["pending", "todo"]) {
      const { task, findings } = normalizeTask({ ...raw, status: written }, "t", 1, 1);
      assert.deepEqual(findings, []);
      assert.equal(task?.status, "todo", written);
      const file = planTaskFile(task as NonNullable<typeof task>);
      assert.equal(file.status, "pending");
      // Read back, the file gives the same record: nothing is lost on the way.
      assert.deepEqual(normalizeTask(file, "t", 1, 1).task, task);
    }
    for (const status of TASK_STATUSES.filter((s) => s !== "todo")) {
      const task = normalizeTask({ ...raw, status }, "t", 1, 1).task;
      assert.ok(task);
      assert.equal(planTaskFile(task).status, status);
      assert.deepEqual(normalizeTask(planTaskFile(task), "t", 1, 1).task, task);
    }
  });

  test("checklists and tickets use the same set", () => {
    const plan = parsePlanTodoList("- [ ] A\n- [~] B\n- [!] C\n- [x] D\n- [-] E\n", 1).tasks;
    assert.deepEqual(
      plan.map((t) => t.status),
      ["todo", "in_progress", "blocked", "done", "cancelled"],
    );
    const spec = parseSpecTaskList("- [ ] 1. A\n- [-] 2. B\n- [x] 3. C\n").tasks;
    assert.deepEqual(
      spec.map((t) => t.status),
      ["todo", "in_progress", "done"],
    );
    const ticket = newTicket({
      id: "BTN-abcd1234",
      title: "A",
      status: "todo",
      plan: null,
      task: null,
      session_id: null,
      now: "2026-02-06T17:30:00.000Z",
      body: "# A\n",
    });
    const text = renderTicket(ticket);
    assert.equal(parseTicket(text, "t.md").status, "todo");
    // A ticket a person wrote with an old spelling is read, and written back in the one set.
    const old = parseTicket(text.replace("status: todo", "status: pending"), "t.md");
    assert.deepEqual(old, ticket);
    assert.equal(renderTicket(old), text);
  });
});

describe("task references", () => {
  test("format and parse round-trip for specs and plans", () => {
    for (const text of ["spec:user-auth#1.2", "plan:plan-oauth-rollout#IMPL-3", "spec:a#T019a"]) {
      assert.equal(formatTaskRef(parseTaskRef(text)), text);
    }
    assert.deepEqual(parseTaskRef("plan:plan-x#IMPL-1"), {
      source: "plan",
      owner: "plan-x",
      task: "IMPL-1",
    });
  });

  test("anything else is INVALID_ID", () => {
    for (const bad of ["ticket:x#1", "spec:#1", "spec:a", "plan:../x#IMPL-1", "spec:a#"]) {
      assert.throws(
        () => parseTaskRef(bad),
        (e: unknown) => e instanceof BatonError && e.code === "INVALID_ID",
        bad,
      );
    }
  });
});
