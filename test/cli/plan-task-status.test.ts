import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { knowledge, makeWorkspace, readJson, snapshotTree } from "../helpers.ts";
import { assertTreeEqual, fails, failsTouchingNothing, ok, read } from "./support.ts";

const PLAN = "plan-oauth-rollout";

function topic(dir: string, ...parts: string[]): string {
  return knowledge(dir, "topics", PLAN, ...parts);
}

const TASKS = [
  { id: "IMPL-1", title: "Add provider", files: ["src/a.ts"], acceptance: ["signs in"] },
  {
    id: "IMPL-2",
    title: "Store tokens",
    description: "Keep them in the keychain",
    depends_on: ["IMPL-1"],
    files: ["src/b.ts"],
    acceptance: ["tokens survive a restart"],
    requirements: ["REQ-2"],
  },
  { id: "IMPL-3", title: "Document", acceptance: ["guide"] },
];

/** A plan with TASKS and their tickets; returns the ticket id of each task. */
function withTickets(): { dir: string; ticket: Record<string, string> } {
  const dir = makeWorkspace();
  ok(dir, ["plan", "OAuth rollout"]);
  fs.writeFileSync(path.join(dir, "tasks.json"), JSON.stringify(TASKS));
  ok(dir, ["plan", "tasks", PLAN, "--from", "tasks.json", "--skip-context"]);
  const made = ok(dir, ["backlog", PLAN, "--json"]).json.tickets;
  const ticket: Record<string, string> = {};
  const map = readJson(topic(dir, "backlog.json")).tickets as { task: string; ticket: string }[];
  for (const { task, ticket: id } of map) ticket[task] = id;
  assert.equal(made.length, 3);
  return { dir, ticket };
}

const taskStatus = (dir: string, id: string) => readJson(topic(dir, ".task", `${id}.json`)).status;
const next = (dir: string) =>
  ok(dir, ["plan", "next", PLAN, "--json"]).json.next.map((t: { id: string }) => t.id);

describe("task status flows both ways", () => {
  test("ticket set-status done moves the task JSON, the views and plan next", () => {
    const { dir, ticket } = withTickets();
    assert.deepEqual(next(dir), ["IMPL-1", "IMPL-3"]);
    const r = ok(dir, ["ticket", "set-status", ticket["IMPL-1"] as string, "done", "--json"]).json;
    assert.equal(r.ticket.status, "done");
    assert.deepEqual(r.task, { plan: PLAN, id: "IMPL-1", previous: "todo", status: "done" });
    assert.equal(taskStatus(dir, "IMPL-1"), "done");
    assert.deepEqual(next(dir), ["IMPL-2", "IMPL-3"]);
    assert.match(read(topic(dir, "TODO_LIST.md")), /^- \[x\] \*\*IMPL-1\*\*/m);
    assert.match(read(topic(dir, "IMPL_PLAN.md")), /## IMPL-1: Add provider\n\nStatus: done/);
    assert.match(read(topic(dir, "planning-notes.md")), /- 3 tasks \(1 done\)/);
    assert.match(read(topic(dir, "backlog.md")), /- \[x\] .*Add provider \(done\)/);
    // A task file spells todo `pending`, as Claude-Code-Workflow's task JSON does.
    ok(dir, ["ticket", "set-status", ticket["IMPL-3"] as string, "blocked"]);
    assert.equal(taskStatus(dir, "IMPL-3"), "blocked");
    assert.deepEqual(next(dir), ["IMPL-2"], "a blocked task is not ready");
    ok(dir, ["ticket", "set-status", ticket["IMPL-3"] as string, "todo"]);
    assert.equal(taskStatus(dir, "IMPL-3"), "pending");
    const text = ok(dir, ["ticket", "set-status", ticket["IMPL-3"] as string, "cancelled"]).stdout;
    assert.match(text, /plan:plan-oauth-rollout#IMPL-3: todo -> cancelled/);
    assert.match(read(topic(dir, "TODO_LIST.md")), /^- \[-\] \*\*IMPL-3\*\*/m);
  });

  test("plan task --status moves the ticket and backlog.md; without --status it shows", () => {
    const { dir, ticket } = withTickets();
    const id2 = ticket["IMPL-2"] as string;
    const shown = ok(dir, ["plan", "task", PLAN, "impl-2", "--json"]).json;
    assert.equal(shown.task.id, "IMPL-2", "task ids match in any case");
    assert.equal(shown.task.ref, `plan:${PLAN}#IMPL-2`);
    assert.equal(shown.task.description, "Keep them in the keychain");
    assert.deepEqual(shown.ticket, { id: id2, status: "todo", previous: "todo", changed: false });
    const text = ok(dir, ["plan", "task", PLAN, "IMPL-2"]).stdout;
    assert.match(text, /^files: +src\/b\.ts$/m);
    assert.match(text, /^ {2}- tokens survive a restart$/m);

    const r = ok(dir, ["plan", "task", PLAN, "IMPL-2", "--status", "in_progress", "--json"]).json;
    assert.deepEqual([r.previous, r.task.status, r.changed], ["todo", "in_progress", true]);
    assert.deepEqual(r.ticket, { id: id2, status: "in_progress", previous: "todo", changed: true });
    assert.equal(ok(dir, ["ticket", "show", id2, "--json"]).json.status, "in_progress");
    assert.match(read(topic(dir, "backlog.md")), /- \[~\] .*Store tokens \(in_progress\)/);
    assert.match(read(topic(dir, "TODO_LIST.md")), /^- \[~\] \*\*IMPL-2\*\*/m);
    const listed = ok(dir, ["ticket", "list", "--status", "in_progress", "--json"]).json;
    assert.deepEqual(
      listed.tickets.map((t: { id: string }) => t.id),
      [id2],
    );
    const events = read(dir, ".baton", "events.jsonl");
    assert.match(events, /"plan\.task_status"/);
    assert.match(events, /"ticket\.status"/);

    // Setting the status it has changes nothing.
    const before = snapshotTree(dir);
    const same = ok(dir, ["plan", "task", PLAN, "IMPL-2", "--status", "in_progress", "--json"]);
    assert.equal(same.json.changed, false);
    assertTreeEqual(dir, before, "the same status again");
  });

  test("plan task --status pending is todo: the JSON says pending, every output todo", () => {
    const { dir, ticket } = withTickets();
    ok(dir, ["plan", "task", PLAN, "IMPL-1", "--status", "in_progress"]);
    const r = ok(dir, ["plan", "task", PLAN, "IMPL-1", "--status", "pending", "--json"]).json;
    assert.deepEqual([r.previous, r.task.status], ["in_progress", "todo"]);
    assert.equal(r.ticket.status, "todo");
    assert.equal(taskStatus(dir, "IMPL-1"), "pending");
    assert.equal(
      ok(dir, ["ticket", "show", ticket["IMPL-1"] as string, "--json"]).json.status,
      "todo",
    );
    // A hand edit may spell it either way: todo in the file reads the same.
    const file = topic(dir, ".task", "IMPL-1.json");
    fs.writeFileSync(file, read(file).replace('"pending"', '"todo"'));
    assert.equal(ok(dir, ["plan", "task", PLAN, "IMPL-1", "--json"]).json.task.status, "todo");
    assert.match(read(topic(dir, "IMPL_PLAN.md")), /## IMPL-1: Add provider\n\nStatus: todo/);
  });

  test("a ticket behind its task is brought in step by the next set-status", () => {
    // What Baton before this fix left: the ticket done, its task still pending.
    const { dir, ticket } = withTickets();
    const file = path.join(dir, ".baton", "tickets", `${ticket["IMPL-1"]}.md`);
    fs.writeFileSync(file, read(file).replace("status: todo", "status: done"));
    const r = ok(dir, ["ticket", "set-status", ticket["IMPL-1"] as string, "done", "--json"]).json;
    assert.equal(r.changed, true);
    assert.equal(taskStatus(dir, "IMPL-1"), "done");
  });

  test("a task without a ticket changes alone; backlog starts tickets at the task's status", () => {
    const dir = makeWorkspace();
    ok(dir, ["plan", "OAuth rollout"]);
    fs.writeFileSync(path.join(dir, "tasks.json"), JSON.stringify(TASKS));
    ok(dir, ["plan", "tasks", PLAN, "--from", "tasks.json", "--skip-context"]);
    const r = ok(dir, ["plan", "task", PLAN, "IMPL-1", "--status", "done", "--json"]).json;
    assert.equal(r.ticket, null);
    ok(dir, ["plan", "task", PLAN, "IMPL-3", "--status", "blocked"]);
    const tickets = ok(dir, ["backlog", PLAN, "--json"]).json.tickets;
    assert.deepEqual(
      tickets.map((t: { title: string; status: string }) => [t.title, t.status]),
      [
        ["Add provider", "done"],
        ["Store tokens", "todo"],
        ["Document", "blocked"],
      ],
    );
  });

  test("bad ids and statuses are refused, changing nothing", () => {
    const { dir } = withTickets();
    failsTouchingNothing(
      dir,
      ["plan", "task", PLAN, "IMPL-9", "--status", "done"],
      "TASK_NOT_FOUND",
      3,
    );
    const bad = failsTouchingNothing(
      dir,
      ["plan", "task", PLAN, "IMPL-1", "--status", "finished"],
      "INVALID_INPUT",
      2,
    );
    assert.match(bad.hint, /todo, in_progress, blocked, done, cancelled/);
    failsTouchingNothing(dir, ["plan", "task", PLAN, "../x", "--status", "done"], "INVALID_ID", 2);
    failsTouchingNothing(dir, ["plan", "task", "seed-x", "IMPL-1"], "INVALID_ID", 2);
    failsTouchingNothing(dir, ["plan", "task", PLAN], "USAGE", 2);
    fails(dir, ["plan", "task", "plan-nope", "IMPL-1"], "TOPIC_NOT_FOUND", 3);
    // A corrupt task file refuses the ticket's change too: neither side is written.
    const { dir: dir2, ticket } = withTickets();
    fs.writeFileSync(path.join(topic(dir2, ".task"), "IMPL-1.json"), "{ not json");
    failsTouchingNothing(
      dir2,
      ["ticket", "set-status", ticket["IMPL-1"] as string, "done"],
      "CORRUPT_FILE",
      5,
    );
  });
});
