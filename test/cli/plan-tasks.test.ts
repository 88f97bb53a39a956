import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { baton, knowledge, makeWorkspace, readJson, snapshotTree } from "../helpers.ts";
import { assertTreeEqual, fails, failsTouchingNothing, ok, read } from "./support.ts";

const PLAN = "plan-oauth-rollout";

function topic(dir: string, ...parts: string[]): string {
  return knowledge(dir, "topics", PLAN, ...parts);
}

/** A workspace holding the plan topic PLAN. */
function withPlan(): string {
  const dir = makeWorkspace();
  ok(dir, ["plan", "OAuth rollout"]);
  return dir;
}

const TASKS = [
  {
    id: "IMPL-1",
    title: "Add GitHub provider",
    description: "Wire the provider",
    depends_on: [],
    files: ["src/auth/github.ts"],
    acceptance: ["a user signs in with GitHub"],
    requirements: ["1.1"],
  },
  {
    id: "IMPL-2",
    title: "Store tokens",
    depends_on: ["IMPL-1"],
    files: ["src/auth/tokens.ts"],
    // Claude-Code-Workflow's shape for acceptance criteria.
    convergence: { criteria: ["tokens survive a restart"], verification: "npm test" },
  },
  {
    id: "IMPL-3",
    title: "Document the login",
    depends_on: [],
    files: ["docs/login.md"],
    acceptance: ["the guide names every step"],
  },
];

function writeInput(dir: string, name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return name;
}

function withTasks(tasks: unknown = TASKS): string {
  const dir = withPlan();
  ok(dir, [
    "plan",
    "tasks",
    PLAN,
    "--from",
    writeInput(dir, "tasks.json", tasks),
    "--skip-context",
  ]);
  return dir;
}

describe("baton plan tasks", () => {
  test("writes one JSON per task, IMPL_PLAN.md and TODO_LIST.md", () => {
    const dir = withPlan();
    const r = ok(dir, [
      "plan",
      "tasks",
      PLAN,
      "--from",
      writeInput(dir, "tasks.json", TASKS),
      "--skip-context",
      "--json",
    ]);
    assert.equal(r.json.action, "imported");
    assert.deepEqual(
      r.json.tasks.map((t: any) => t.id),
      ["IMPL-1", "IMPL-2", "IMPL-3"],
    );
    assert.deepEqual(fs.readdirSync(topic(dir, ".task")).sort(), [
      "IMPL-1.json",
      "IMPL-2.json",
      "IMPL-3.json",
    ]);
    const t2 = readJson(topic(dir, ".task", "IMPL-2.json"));
    assert.equal(t2.schema_version, 1);
    assert.equal(t2.status, "pending");
    assert.deepEqual(t2.acceptance, ["tokens survive a restart"]);
    assert.deepEqual(readJson(topic(dir, ".task", "IMPL-1.json")).requirements, ["1.1"]);
    const todo = read(topic(dir, "TODO_LIST.md"));
    assert.match(
      todo,
      /^- \[ \] \*\*IMPL-1\*\*: Add GitHub provider → \[IMPL-1\.json\]\(\.\/\.task\/IMPL-1\.json\)$/m,
    );
    assert.match(
      read(topic(dir, "IMPL_PLAN.md")),
      /## IMPL-2: Store tokens[\s\S]*Depends on: IMPL-1/,
    );
  });

  test("a cycle is refused with its findings and nothing changes", () => {
    const dir = withTasks();
    const cyclic = [
      { id: "IMPL-1", title: "a", depends_on: ["IMPL-2"], acceptance: ["x"] },
      { id: "IMPL-2", title: "b", depends_on: ["IMPL-1"], acceptance: ["y"] },
    ];
    const input = writeInput(dir, "cyclic.json", cyclic);
    const error = failsTouchingNothing(
      dir,
      ["plan", "tasks", PLAN, "--from", input, "--skip-context"],
      "PLAN_INVALID",
      5,
    );
    assert.match(error.message, /TASK_CYCLE: dependency cycle: IMPL-1 → IMPL-2 → IMPL-1/);
  });

  test("a dangling dependency and malformed tasks are refused, nothing written", () => {
    const dir = withPlan();
    const dangling = writeInput(dir, "d.json", [
      { id: "IMPL-1", title: "a", depends_on: ["IMPL-9"] },
    ]);
    const e1 = failsTouchingNothing(
      dir,
      ["plan", "tasks", PLAN, "--from", dangling, "--skip-context"],
      "PLAN_INVALID",
      5,
    );
    assert.match(e1.message, /TASK_DANGLING_DEPENDENCY: IMPL-1 depends on IMPL-9/);
    const bad = writeInput(dir, "b.json", [{ id: "../../escape", title: "x" }, { id: "IMPL-2" }]);
    const e2 = failsTouchingNothing(
      dir,
      ["plan", "tasks", PLAN, "--from", bad, "--skip-context"],
      "PLAN_INVALID",
      5,
    );
    assert.match(e2.message, /TASK_BAD_ID/);
    assert.match(e2.message, /TASK_NO_TITLE/);
    assert.ok(!fs.existsSync(topic(dir, ".task")));
    failsTouchingNothing(
      dir,
      ["plan", "tasks", PLAN, "--from", writeInput(dir, "e.json", "[]"), "--skip-context"],
      "PLAN_INVALID",
      5,
    );
    failsTouchingNothing(
      dir,
      ["plan", "tasks", PLAN, "--from", "missing.json", "--skip-context"],
      "FILE_NOT_FOUND",
      3,
    );
    failsTouchingNothing(
      dir,
      ["plan", "tasks", "plan-nope", "--from", "d.json", "--skip-context"],
      "TOPIC_NOT_FOUND",
      3,
    );
  });

  test("reads a Markdown checklist from stdin", () => {
    const dir = withPlan();
    const md = [
      "- [x] IMPL-1: Add GitHub provider",
      "  - files: src/auth/github.ts",
      "  - acceptance: a user signs in",
      "- [ ] IMPL-2: Store tokens",
      "  - depends: IMPL-1",
      "  - acceptance: tokens survive a restart",
      "",
    ].join("\n");
    const r = baton(
      dir,
      ["plan", "tasks", PLAN, "--from", "-", "--json", "--skip-context"],
      {},
      md,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.json.tasks.map((t: any) => [t.id, t.status]),
      [
        ["IMPL-1", "done"],
        ["IMPL-2", "todo"],
      ],
    );
    assert.deepEqual(readJson(topic(dir, ".task", "IMPL-2.json")).depends_on, ["IMPL-1"]);
    assert.match(read(topic(dir, "TODO_LIST.md")), /- \[x\] \*\*IMPL-1\*\*/);
  });

  test("without --from, the views are regenerated from hand-edited task JSON", () => {
    const dir = withTasks();
    const file = topic(dir, ".task", "IMPL-1.json");
    const t1 = readJson(file);
    fs.writeFileSync(
      file,
      JSON.stringify({ ...t1, title: "Add the GitHub provider", status: "done" }),
    );
    ok(dir, ["plan", "tasks", PLAN]);
    assert.match(
      read(topic(dir, "TODO_LIST.md")),
      /- \[x\] \*\*IMPL-1\*\*: Add the GitHub provider/,
    );
    assert.match(read(topic(dir, "IMPL_PLAN.md")), /## IMPL-1: Add the GitHub provider/);
    // Regenerating again changes nothing.
    const before = snapshotTree(dir);
    ok(dir, ["plan", "tasks", PLAN]);
    assertTreeEqual(dir, before, "second regeneration");
  });

  test("a task file whose id does not match its name is reported as corrupt", () => {
    const dir = withTasks();
    const file = topic(dir, ".task", "IMPL-3.json");
    fs.writeFileSync(file, JSON.stringify({ ...readJson(file), id: "IMPL-4" }));
    fails(dir, ["plan", "next", PLAN], "CORRUPT_FILE", 5);
  });

  test('a plan titled "tasks" is made with baton plan -- tasks', () => {
    const dir = makeWorkspace();
    fails(dir, ["plan", "tasks"], "USAGE", 2);
    const r = ok(dir, ["plan", "--json", "--", "tasks"]);
    assert.equal(r.json.topic.id, "plan-tasks");
    assert.ok(fs.existsSync(knowledge(dir, "topics", "plan-tasks", "plan.md")));
  });
});

describe("baton plan next", () => {
  test("lists ready tasks, dependencies first then by id", () => {
    const dir = withTasks();
    const r = ok(dir, ["plan", "next", PLAN, "--json"]);
    assert.deepEqual(
      r.json.next.map((t: any) => t.id),
      ["IMPL-1", "IMPL-3"],
    );
    assert.deepEqual([r.json.done, r.json.total], [0, 3]);
    const file = topic(dir, ".task", "IMPL-1.json");
    fs.writeFileSync(file, JSON.stringify({ ...readJson(file), status: "done" }));
    const after = ok(dir, ["plan", "next", PLAN, "--json"]);
    assert.deepEqual(
      after.json.next.map((t: any) => t.id),
      ["IMPL-2", "IMPL-3"],
    );
    assert.match(ok(dir, ["plan", "next", PLAN]).stdout, /IMPL-2 +Store tokens/);
  });

  test("without task files it says how to make them", () => {
    const dir = withPlan();
    fails(dir, ["plan", "next", PLAN], "NO_TASKS", 4);
  });
});

describe("baton plan verify", () => {
  test("a clean plan passes and writes verification.json", () => {
    const dir = withTasks();
    const r = ok(dir, ["plan", "verify", PLAN, "--json"]);
    assert.equal(r.json.ok, true);
    assert.deepEqual(r.json.findings, []);
    assert.deepEqual(r.json.thresholds, { max_files: 10, max_acceptance: 8 });
    const report = readJson(topic(dir, "verification.json"));
    assert.equal(report.schema_version, 1);
    assert.equal(report.ok, true);
  });

  test("findings with code, severity and hint; exit 5 on errors", () => {
    const tasks = [
      { id: "IMPL-1", title: "a", files: ["src/x.ts"], acceptance: ["ok"] },
      { id: "IMPL-2", title: "b", files: ["src/x.ts"] },
      {
        id: "IMPL-3",
        title: "c",
        depends_on: ["IMPL-1"],
        files: Array.from({ length: 11 }, (_, i) => `f${i}.ts`),
        acceptance: ["ok"],
      },
    ];
    const dir = withTasks(tasks);
    const r = baton(dir, ["plan", "verify", PLAN, "--json"]);
    assert.equal(r.code, 5, r.stderr);
    assert.equal(r.json.ok, false);
    assert.equal(r.json.error.code, "PLAN_INVALID");
    assert.deepEqual(
      r.json.findings.map((f: any) => [f.code, f.severity, f.task]),
      [
        ["TASK_NO_ACCEPTANCE", "error", "IMPL-2"],
        ["TASK_TOO_MANY_FILES", "warning", "IMPL-3"],
        ["TASK_PARALLEL_FILE_CONFLICT", "error", "IMPL-1"],
      ],
    );
    for (const f of r.json.findings) assert.ok(f.hint.length > 0);
    assert.equal(readJson(topic(dir, "verification.json")).errors, 2);
    const text = baton(dir, ["plan", "verify", PLAN]);
    assert.equal(text.code, 5);
    assert.match(text.stdout, /IMPL-2: error TASK_NO_ACCEPTANCE/);
    assert.match(text.stdout, /hint: /);
  });

  test("a cycle made by hand-editing a task JSON is found", () => {
    const dir = withTasks();
    const file = topic(dir, ".task", "IMPL-1.json");
    fs.writeFileSync(file, JSON.stringify({ ...readJson(file), depends_on: ["IMPL-2"] }));
    const r = baton(dir, ["plan", "verify", PLAN, "--json"]);
    assert.equal(r.code, 5);
    assert.ok(r.json.findings.some((f: any) => f.code === "TASK_CYCLE"));
    fails(dir, ["plan", "next", PLAN], "PLAN_INVALID", 5);
  });
});

describe("baton backlog from task JSONs", () => {
  test("one ticket per task, keyed by task id, idempotent", () => {
    const dir = withTasks();
    const file = topic(dir, ".task", "IMPL-3.json");
    fs.writeFileSync(file, JSON.stringify({ ...readJson(file), status: "done" }));
    const first = ok(dir, ["backlog", PLAN, "--json"]);
    assert.equal(first.json.created, 3);
    assert.deepEqual(
      first.json.tickets.map((t: any) => [t.title, t.status]),
      [
        ["Add GitHub provider", "todo"],
        ["Store tokens", "todo"],
        ["Document the login", "done"],
      ],
    );
    const map = readJson(topic(dir, "backlog.json"));
    assert.deepEqual(
      map.tickets.map((t: any) => t.task),
      ["IMPL-1", "IMPL-2", "IMPL-3"],
    );
    const before = snapshotTree(dir);
    const second = ok(dir, ["backlog", PLAN, "--json"]);
    assert.equal(second.json.created, 0);
    assert.deepEqual(
      second.json.tickets.map((t: any) => t.id),
      first.json.tickets.map((t: any) => t.id),
    );
    const after = snapshotTree(dir);
    const ticketFiles = [...after.keys()].filter((k) => k.includes(`tickets${path.sep}`));
    assert.equal(ticketFiles.length, 3);
    for (const k of ticketFiles) assert.equal(after.get(k), before.get(k));
  });
});

describe("plan ids", () => {
  test("a plan command given another kind of id says which kind and what it wants", () => {
    const dir = withTasks();
    ok(dir, ["seed", "OAuth"]);
    ok(dir, ["spec", "new", "oauth-login"]);
    ok(dir, ["plan", "Ship", "--body", "- [ ] A"]);
    const ticket = ok(dir, ["backlog", "plan-ship", "--json"]).json.tickets[0].id as string;
    const session = ok(dir, ["seed", "--sessions", "--json"]).json.sessions[0].session_id;
    const kinds: [string, RegExp][] = [
      ["seed-oauth", /"seed-oauth" is a seed id, not a plan id/],
      ["oauth-login", /"oauth-login" is a spec name, not a plan id/],
      [ticket, new RegExp(`"${ticket}" is a ticket id, not a plan id`)],
      [session, /is a session id, not a plan id/],
      ["no-such-thing", /"no-such-thing" is not a valid plan id/],
    ];
    const commands = [
      ["plan", "next"],
      ["plan", "verify"],
      ["plan", "status"],
      ["plan", "context"],
      ["plan", "conflicts"],
      ["plan", "tasks"],
      ["backlog"],
    ];
    for (const [value, message] of kinds) {
      for (const words of commands) {
        const e = failsTouchingNothing(dir, [...words, value], "INVALID_ID", 2);
        assert.match(e.message, message, `${words.join(" ")} ${value}`);
        assert.match(e.hint, /plan id such as plan-/);
      }
      const e = failsTouchingNothing(dir, ["ticket", "list", "--plan", value], "INVALID_ID", 2);
      assert.match(e.message, message);
    }
    const spec = fails(dir, ["plan", "next", "oauth-login"], "INVALID_ID", 2);
    assert.match(spec.hint, /baton spec status --spec oauth-login/);
  });
});

describe("plan sizes", () => {
  test("a task list over the limits is refused whole, naming the limit", () => {
    const dir = withPlan();
    const many = Array.from({ length: 10_001 }, (_, i) => ({
      id: `IMPL-${i + 1}`,
      title: `t${i}`,
      acceptance: ["x"],
    }));
    const e = failsTouchingNothing(
      dir,
      ["plan", "tasks", PLAN, "--from", writeInput(dir, "many.json", many), "--skip-context"],
      "PLAN_INVALID",
      5,
    );
    assert.match(e.message, /TASKS_OVER_LIMIT: the list holds 10,001 tasks, more than the 10,000/);
    const wide = [
      {
        id: "IMPL-1",
        title: "wide",
        files: Array.from({ length: 101 }, (_, i) => `f${i}.ts`),
        depends_on: [],
      },
    ];
    const e2 = failsTouchingNothing(
      dir,
      ["plan", "tasks", PLAN, "--from", writeInput(dir, "wide.json", wide), "--skip-context"],
      "PLAN_INVALID",
      5,
    );
    assert.match(e2.message, /TASK_FILES_OVER_LIMIT: task 1: files lists 101 entries/);
  });

  test("a .task folder made by hand over the limit is refused by plan commands, not by status", () => {
    const dir = withTasks();
    ok(dir, ["seed", "Big"]);
    ok(dir, ["plan", "Big plan"]);
    const folder = knowledge(dir, "topics", "plan-big-plan", ".task");
    fs.mkdirSync(folder, { recursive: true });
    for (let i = 1; i <= 10_001; i++) {
      fs.writeFileSync(path.join(folder, `IMPL-${i}.json`), "{}");
    }
    const e = failsTouchingNothing(dir, ["plan", "verify", "plan-big-plan"], "PLAN_INVALID", 5);
    assert.match(e.message, /has 10,001 task files, more than the 10,000 a plan may have/);
    // status, the journal and resume count the task files without reading them.
    const status = ok(dir, ["status", "--json"]).json;
    assert.equal(status.plan_tasks, 10_001);
    ok(dir, ["journal", "note", "still fast"]);
  });

  test("status counts task files without reading them, and follows the folder", () => {
    const dir = withPlan();
    ok(dir, ["seed", "OAuth"]);
    ok(dir, ["plan", "OAuth rollout"]);
    ok(dir, ["plan", "tasks", PLAN, "--from", writeInput(dir, "t.json", TASKS), "--skip-context"]);
    assert.equal(ok(dir, ["status", "--json"]).json.plan_tasks, 3);
    // A task file no command could read does not stop status: it is counted, not parsed.
    fs.writeFileSync(topic(dir, ".task", "IMPL-4.json"), "{ not json");
    assert.equal(ok(dir, ["status", "--json"]).json.plan_tasks, 4);
    fs.rmSync(topic(dir, ".task", "IMPL-4.json"));
    assert.equal(ok(dir, ["status", "--json"]).json.plan_tasks, 3);
  });
});
