/**
 * The pure half of `baton import`: the readers of each format (text in, an import plan out) and
 * the planner that compares an import plan with what the workspace holds.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { readBacklogMd } from "../../src/core/import/backlogmd.ts";
import { readCcw } from "../../src/core/import/ccw.ts";
import {
  type ImportedPlan,
  type ImportedTask,
  importStatus,
  type SourceTree,
  taskKeyFor,
  type Unmapped,
} from "../../src/core/import/model.ts";
import { type ExistingPlan, planImportedPlan, planSpecs } from "../../src/core/import/planner.ts";
import { readSpecFolders } from "../../src/core/import/specs.ts";
import { readTaskmaster } from "../../src/core/import/taskmaster.ts";
import type { PlanTaskRecord } from "../../src/core/plan/tasks.ts";
import type { newSpecStatus } from "../../src/core/spec/status.ts";
import { newTicket } from "../../src/core/ticket.ts";
import { fullYaml } from "../../src/store/yaml.ts";

function tree(files: Record<string, string>, extra: string[] = [], root = "."): SourceTree {
  const list = Object.entries(files)
    .map(([path, text]) => ({ path, text }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  return {
    root,
    isFile: false,
    files: list,
    paths: [...list.map((f) => f.path), ...extra].sort(),
  };
}

const deps = { yaml: fullYaml };

describe("what other tools write, read as Baton's", () => {
  test("status words of every format map to the one status set", () => {
    const cases: [string, string | null][] = [
      ["pending", "todo"],
      ["To Do", "todo"],
      ["Not Started", "todo"],
      ["in-progress", "in_progress"],
      ["In Progress", "in_progress"],
      ["In-Progress", "in_progress"],
      ["review", "in_progress"],
      ["active", "in_progress"],
      ["blocked", "blocked"],
      ["Done", "done"],
      ["Completed", "done"],
      ["deferred", "cancelled"],
      ["Wontfix", "cancelled"],
      ["won't fix", "cancelled"],
      ["someday maybe", null],
    ];
    for (const [raw, want] of cases) assert.equal(importStatus(raw), want, raw);
  });

  test("task ids are made safe as plan task ids", () => {
    assert.equal(taskKeyFor("T3.2", "T", 1), "T3-2");
    assert.equal(taskKeyFor("12", "T", 1), "T12");
    assert.equal(taskKeyFor("task-epic-11.175.1", "B", 1), "task-epic-11-175-1");
    assert.equal(taskKeyFor("IMPL-001", "T", 1), "IMPL-001");
    assert.equal(taskKeyFor("…", "B", 7), "B7");
    assert.equal(taskKeyFor("x".repeat(60), "B", 3), "B3");
  });
});

describe("the readers", () => {
  test("Taskmaster: a plan per tag, subtasks under their parent, fields with no home", () => {
    const plan = readTaskmaster(
      tree({
        ".taskmaster/tasks/tasks.json": JSON.stringify({
          master: {
            tasks: [
              {
                id: 1,
                title: "A",
                description: "What",
                details: "How",
                testStrategy: "Check",
                status: "review",
                priority: "high",
                dependencies: [],
                subtasks: [
                  { id: 1, title: "A1", status: "done", dependencies: [] },
                  { id: 2, title: "A2", status: "odd", dependencies: [1, "2.1"] },
                ],
              },
            ],
            metadata: { description: "The main line", created: "2025-01-01" },
          },
          feature: { tasks: [{ id: 1, title: "F" }] },
        }),
      }),
    );
    assert.deepEqual(
      plan.plans.map((p) => [p.id, p.title, p.tasks.length]),
      [
        ["master", "Taskmaster master", 3],
        ["feature", "Taskmaster feature", 1],
      ],
    );
    const [a, a1, a2] = plan.plans[0]?.tasks ?? [];
    assert.deepEqual(
      [a?.key, a?.status, a?.description, a?.acceptance],
      ["T1", "in_progress", "What\n\nHow", ["Check"]],
    );
    assert.deepEqual([a1?.key, a1?.parent, a1?.status], ["T1-1", "master/1", "done"]);
    assert.deepEqual(a2?.depends_on, ["master/1.1", "master/2.1"]);
    assert.equal(a2?.status, "todo");
    assert.match(plan.plans[0]?.body ?? "", /The main line/);
    const fields = plan.unmapped.map((u) => `${u.field}=${u.value ?? ""}`);
    assert.ok(fields.includes("priority=high"), fields.join(" "));
    assert.ok(fields.includes("status=odd (imported as todo)"), fields.join(" "));
    assert.ok(fields.includes("metadata.created=2025-01-01"), fields.join(" "));
  });

  test("Taskmaster: a file that is not one is refused naming it", () => {
    const notJson = tree({ "tasks/tasks.json": "{" });
    assert.throws(() => readTaskmaster(notJson), { code: "CORRUPT_FILE" });
    const other = tree({ "tasks/tasks.json": '{"items": []}' });
    assert.throws(() => readTaskmaster(other), /not a Taskmaster task file/);
    assert.throws(() => readTaskmaster(tree({})), { code: "INVALID_INPUT" });
  });

  test("Backlog.md: sections, checklists, two files claiming one id", () => {
    const file = (id: string, extra = "") =>
      `---\nid: ${id}\ntitle: Ship ${id}\nstatus: To Do\nlabels: [a, b]\ndependencies: [task-2]\n${extra}---\n\n## Description\n\n<!-- SECTION:DESCRIPTION:BEGIN -->\nWhy.\n<!-- SECTION:DESCRIPTION:END -->\n\n## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [x] #1 It works\n- [ ] #2 It is fast\n<!-- AC:END -->\n\n## Implementation Notes\n\nDone so.\n`;
    const plan = readBacklogMd(
      tree(
        {
          "backlog/tasks/task-1 - One.md": file("task-1"),
          "backlog/tasks/task-1 - Also-one.md": file("task-1"),
          "backlog/drafts/task-2 - Draft.md": file("task-2", "assignee: @me\n"),
        },
        ["backlog/config.yml", "backlog/docs/readme.md"],
      ),
      deps,
    );
    assert.equal(plan.plans.length, 1);
    const tasks = plan.plans[0]?.tasks ?? [];
    assert.deepEqual(
      tasks.map((t) => [t.id, t.key]),
      [
        ["task-2", "task-2"],
        ["task-1", "task-1"],
        ["task-1~2", "task-1-2"],
      ],
    );
    const one = tasks[1] as ImportedTask;
    assert.equal(one.description, "Why.\n\nImplementation Notes:\n\nDone so.");
    assert.deepEqual(one.acceptance, ["It works", "It is fast"]);
    assert.deepEqual(one.depends_on, ["task-2"]);
    // The second file's fields are reported under the id it is imported as.
    const second = "backlogmd:backlog/tasks/task-1 - One.md#task-1~2";
    assert.deepEqual(
      plan.unmapped.filter((u) => u.item === second).map((u) => u.field),
      ["labels", "acceptance_criteria.checked", "id"],
    );
    const fields = plan.unmapped.map((u) => u.field);
    for (const f of ["labels", "acceptance_criteria.checked", "id", "draft", "frontmatter"]) {
      assert.ok(fields.includes(f), `${f} in ${fields.join(",")}`);
    }
    assert.deepEqual(
      plan.skipped.map((s) => s.path),
      ["backlog/config.yml", "backlog/docs/readme.md"],
    );
  });

  test("Claude-Code-Workflow: without task JSONs, the TODO_LIST.md checklist", () => {
    const plan = readCcw(
      tree({
        ".workflow/active/WFS-a/TODO_LIST.md":
          "- [x] **IMPL-1**: First -> [📋](./.task/IMPL-1.json)\n- [ ] **IMPL-2**: Second\n  - depends: IMPL-1\n",
        ".workflow/active/WFS-a/planning-notes.md": "# Planning Notes\n\nGOAL: test\n",
      }),
    );
    assert.deepEqual(
      plan.plans[0]?.tasks.map((t) => [t.id, t.status, t.depends_on]),
      [
        ["IMPL-1", "done", []],
        ["IMPL-2", "todo", ["IMPL-1"]],
      ],
    );
    assert.match(plan.plans[0]?.body ?? "", /GOAL: test/);
  });

  test("spec folders: each layout's own documents, archived OpenSpec changes done", () => {
    const kiro = readSpecFolders(
      "kiro",
      tree({ ".kiro/specs/auth/tasks.md": "- [x] 1. A\n- [ ] 2. B\n" }, [
        ".kiro/specs/auth/requirements.md",
      ]),
    );
    assert.deepEqual(
      kiro.specs.map((s) => [s.name, s.layout, s.stage, s.tasks?.total, s.missing]),
      [["auth", "kiro", "draft", 2, ["design.md is missing"]]],
    );
    const open = readSpecFolders(
      "openspec",
      tree({}, [
        "openspec/changes/add-x/tasks.md",
        "openspec/changes/add-x/proposal.md",
        "openspec/changes/add-x/specs/cap/spec.md",
        "openspec/changes/archive/2025-01-01-old/specs/cap/spec.md",
        "openspec/specs/cap/spec.md",
      ]),
    );
    assert.deepEqual(
      open.specs.map((s) => [s.path, s.stage]),
      [
        ["openspec/changes/add-x", "draft"],
        ["openspec/changes/archive/2025-01-01-old", "done"],
        ["openspec/specs/cap", "done"],
      ],
    );
    // A spec folder named directly, wherever it lies, counts by what it holds.
    const copied = readSpecFolders("speckit", tree({}, ["docs/feature/spec.md"], "docs/feature"));
    assert.deepEqual(
      copied.specs.map((s) => s.path),
      ["docs/feature"],
    );
  });
});

// ---- the planner ----

function importedTask(id: string, over: Partial<ImportedTask> = {}): ImportedTask {
  return {
    id,
    key: taskKeyFor(id, "T", 1),
    path: "tasks.json",
    title: `Task ${id}`,
    description: "",
    status: "todo",
    depends_on: [],
    parent: null,
    acceptance: [],
    files: [],
    requirements: [],
    ...over,
  };
}

function importedPlan(tasks: ImportedTask[]): ImportedPlan {
  return { path: "tasks.json", id: "master", title: "Taskmaster master", body: "", tasks };
}

const NEW: ExistingPlan = {
  id: "plan-taskmaster-master",
  exists: false,
  tasks: [],
  ticketIds: new Map(),
  tickets: new Map(),
};

/** What the workspace holds after applying `action` (tickets made for every task). */
function after(action: ReturnType<typeof planImportedPlan>): ExistingPlan {
  const tickets = new Map(
    action.tickets.map((t, i) => [
      t.task,
      newTicket({
        id: `BTN-${String(i).padStart(8, "0")}`,
        title: t.title,
        status: t.status,
        plan: action.id,
        task: t.task,
        session_id: null,
        source: t.source,
        now: "t",
        body: "",
      }),
    ]),
  );
  return {
    id: action.id,
    exists: true,
    tasks: action.tasks,
    ticketIds: new Map([...tickets].map(([task, t]) => [task, t.id])),
    tickets,
  };
}

describe("the planner", () => {
  test("a second run over the same source skips everything", () => {
    const plan = importedPlan([
      importedTask("1"),
      importedTask("2", { depends_on: ["1"] }),
      importedTask("2.1", { key: "T2-1", parent: "2" }),
    ]);
    const first = planImportedPlan("taskmaster", plan, NEW, []);
    assert.equal(first.action, "create");
    assert.deepEqual(
      first.tasks.map((t) => [t.id, t.depends_on]),
      [
        ["T1", []],
        ["T2", ["T1", "T2-1"]],
        ["T2-1", []],
      ],
    );
    const second = planImportedPlan("taskmaster", plan, after(first), []);
    assert.equal(second.action, "skip");
    assert.deepEqual(
      [...second.changes, ...second.tickets].map((c) => c.action),
      ["skip", "skip", "skip", "skip", "skip", "skip"],
    );
  });

  test("a changed source updates; Baton's own edit of an unchanged task stays", () => {
    const first = planImportedPlan(
      "taskmaster",
      importedPlan([importedTask("1"), importedTask("2")]),
      NEW,
      [],
    );
    const held = after(first);
    // Baton moved T2 on since (ticket set-status): its record says so, its source did not change.
    const edited = held.tasks.map((t) =>
      t.id === "T2" ? { ...t, status: "in_progress" as const } : t,
    );
    const next = planImportedPlan(
      "taskmaster",
      importedPlan([importedTask("1", { title: "Renamed" }), importedTask("2"), importedTask("3")]),
      { ...held, tasks: edited },
      [],
    );
    assert.equal(next.action, "update");
    assert.deepEqual(
      next.changes.map((c) => [c.task, c.action, c.fields ?? []]),
      [
        ["T1", "update", ["title"]],
        ["T2", "skip", []],
        ["T3", "create", []],
      ],
    );
    assert.equal(next.tasks.find((t) => t.id === "T2")?.status, "in_progress");
    assert.deepEqual(
      next.tickets.map((t) => [t.task, t.action]),
      [
        ["T1", "update"],
        ["T2", "skip"],
        ["T3", "create"],
      ],
    );
  });

  test("a task Baton holds besides keeps its id; dependencies a plan cannot hold are reported", () => {
    const own: PlanTaskRecord = {
      schema_version: 1,
      id: "T1",
      title: "Written in Baton",
      description: "",
      status: "todo",
      depends_on: [],
      files: [],
      acceptance: [],
      requirements: [],
    };
    const unmapped: Unmapped[] = [];
    const action = planImportedPlan(
      "taskmaster",
      importedPlan([
        importedTask("1", { depends_on: ["2", "9", "1"] }),
        importedTask("2", { depends_on: ["1"] }),
      ]),
      { ...NEW, exists: true, tasks: [own] },
      unmapped,
    );
    assert.deepEqual(
      action.tasks.map((t) => t.id),
      ["T1", "T1-2", "T2"],
    );
    assert.equal(action.tasks.find((t) => t.id === "T1")?.title, "Written in Baton");
    assert.deepEqual(
      unmapped.map((u) => u.value),
      [
        "9: no such task in the import",
        "1: the task itself",
        "T1-2: would close a dependency cycle",
      ],
    );
  });

  test("specs: found again by their folder, a taken name gets a suffix", () => {
    const spec = {
      path: ".kiro/specs/auth",
      name: "auth",
      layout: "kiro" as const,
      stage: "draft" as const,
      stage_reason: null,
      tasks: null,
      missing: [],
    };
    const [made] = planSpecs("kiro", [spec], { statuses: [], taken: new Set(["auth"]) }, "t");
    assert.deepEqual([made?.action, made?.name, made?.renamed_from], ["create", "auth-2", "auth"]);
    const status = made?.status as ReturnType<typeof newSpecStatus>;
    const [again] = planSpecs("kiro", [spec], { statuses: [status], taken: new Set() }, "t2");
    assert.equal(again?.action, "skip");
    const bare = { ...status, source: undefined };
    delete bare.source;
    const [adopted] = planSpecs("kiro", [spec], { statuses: [bare], taken: new Set() }, "t2");
    assert.deepEqual([adopted?.action, adopted?.status.source?.format], ["update", "kiro"]);
  });
});
