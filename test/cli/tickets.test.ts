import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { knowledge, makeWorkspace, snapshotTree } from "../helpers.ts";
import { assertTreeEqual, fails, failsTouchingNothing, ok, read } from "./support.ts";

const TICKET_ID = /^BTN-[a-z0-9]{8}$/;

function ticketFiles(dir: string): string[] {
  const d = path.join(dir, ".baton", "tickets");
  return fs
    .readdirSync(d)
    .filter((n) => n.endsWith(".md"))
    .sort();
}

/** A workspace with a plan holding `body`, outside any session. */
function withPlan(body: string, title = "Ship"): string {
  const dir = makeWorkspace();
  ok(dir, ["plan", title, "--body", body]);
  return dir;
}

describe("baton backlog", () => {
  test("one ticket per checklist item, done items done, code blocks ignored", () => {
    const dir = withPlan(
      "Intro\n\n- [ ] Add provider\n- [x] Pick library\n  * [ ] Nested item\n```md\n- [ ] not a task\n```\n- not a task either\n- [ ] Add provider",
    );
    const r = ok(dir, ["backlog", "plan-ship", "--json"]);
    assert.equal(r.json.plan, "plan-ship");
    assert.equal(r.json.created, 4);
    assert.equal(r.json.completed_session, null, "no session to complete");
    const tickets = r.json.tickets;
    assert.deepEqual(
      tickets.map((t: any) => [t.title, t.status]),
      [
        ["Add provider", "todo"],
        ["Pick library", "done"],
        ["Nested item", "todo"],
        ["Add provider", "todo"],
      ],
    );
    for (const t of tickets) assert.match(t.id, TICKET_ID);
    assert.equal(new Set(tickets.map((t: any) => t.id)).size, 4);
    assert.deepEqual(ticketFiles(dir), tickets.map((t: any) => `${t.id}.md`).sort());

    const backlogMd = read(knowledge(dir, "topics", "plan-ship", "backlog.md"));
    assert.equal(r.json.backlog_md, ".baton/knowledge/topics/plan-ship/backlog.md");
    for (const t of tickets) {
      assert.ok(backlogMd.includes(t.id), `${t.id} listed`);
      assert.ok(backlogMd.includes(`../../../tickets/${t.id}.md`), "relative link to the ticket");
    }
    assert.match(backlogMd, /- \[x\] \[BTN-[a-z0-9]{8}\]\(.*\) Pick library/);

    const show = ok(dir, ["ticket", "show", tickets[0].id, "--json"]).json;
    assert.equal(show.title, "Add provider");
    assert.equal(show.plan, "plan-ship");
    assert.equal(show.status, "todo");
    assert.ok(show.body.includes("plan-ship"));
  });

  test("running it again creates nothing and changes no byte", () => {
    const dir = withPlan("- [ ] A\n- [ ] B");
    ok(dir, ["backlog", "plan-ship"]);
    const before = snapshotTree(dir);
    const r = ok(dir, ["backlog", "plan-ship", "--json"]);
    assert.equal(r.json.created, 0);
    assert.equal(r.json.tickets.length, 2);
    assertTreeEqual(dir, before, "second backlog");
  });

  test("a ticket file lost after its id was recorded comes back under the same id", () => {
    // What a crash between recording the ids and writing the tickets leaves behind.
    const dir = withPlan("- [ ] A\n- [ ] B");
    const first = ok(dir, ["backlog", "plan-ship", "--json"]).json.tickets.map((t: any) => t.id);
    fs.rmSync(path.join(dir, ".baton", "tickets", `${first[1]}.md`));
    const again = ok(dir, ["backlog", "plan-ship", "--json"]).json;
    assert.equal(again.created, 1);
    assert.deepEqual(
      again.tickets.map((t: any) => t.id),
      first,
    );
    assert.deepEqual(ticketFiles(dir), first.map((id: string) => `${id}.md`).sort());
    const map = JSON.parse(read(knowledge(dir, "topics", "plan-ship", "backlog.json")));
    assert.deepEqual(
      map.tickets.map((t: any) => t.ticket),
      first,
    );
  });

  test("a task added to the plan later becomes one more ticket; others are reused", () => {
    const dir = withPlan("- [ ] A\n- [ ] B");
    const first = ok(dir, ["backlog", "plan-ship", "--json"]).json.tickets.map((t: any) => t.id);
    fs.appendFileSync(knowledge(dir, "topics", "plan-ship", "plan.md"), "- [ ] C\n");
    const second = ok(dir, ["backlog", "plan-ship", "--json"]).json;
    assert.equal(second.created, 1);
    assert.deepEqual(
      second.tickets.slice(0, 2).map((t: any) => t.id),
      first,
    );
    assert.equal(ticketFiles(dir).length, 3);
  });

  test("within a session, a repeated backlog after completion still creates nothing", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Foo"]);
    ok(dir, ["plan", "Ship", "--body", "- [ ] A"]);
    const done = ok(dir, ["backlog", "--json"]).json;
    const before = snapshotTree(dir);
    const again = ok(dir, ["backlog", "plan-ship", "--json"]).json;
    assert.equal(again.created, 0);
    assert.equal(again.completed_session, null);
    assert.deepEqual(
      again.tickets.map((t: any) => t.id),
      done.tickets.map((t: any) => t.id),
    );
    assertTreeEqual(dir, before, "backlog after completion");
    const ticket = ok(dir, ["ticket", "show", done.tickets[0].id, "--json"]).json;
    assert.equal(ticket.session_id, done.completed_session);
  });

  test("a plan that is not the session's does not complete the session", () => {
    const dir = withPlan("- [ ] outside", "Other");
    ok(dir, ["seed", "Foo"]);
    ok(dir, ["plan", "Mine", "--body", "- [ ] inside"]);
    const r = ok(dir, ["backlog", "plan-other", "--json"]);
    assert.equal(r.json.completed_session, null);
    assert.equal(ok(dir, ["seed", "--active", "--json"]).json.session.plan, "plan-mine");
  });

  test("bad plan ids are refused before anything is touched", () => {
    const dir = withPlan("- [ ] A");
    failsTouchingNothing(dir, ["backlog", "plan-missing"], "TOPIC_NOT_FOUND", 3);
    failsTouchingNothing(dir, ["backlog", "seed-ship"], "INVALID_ID", 2);
    for (const bad of ["../plan-ship", "/tmp/plan-ship", "plan-ship/..", "plan-ship\\x", ".."]) {
      failsTouchingNothing(dir, ["backlog", bad], "INVALID_ID", 2);
    }
    failsTouchingNothing(dir, ["backlog", "plan-ship", "plan-ship"], "USAGE", 2);
  });

  test("the ticket prefix comes from the config", () => {
    const dir = makeWorkspace(["--prefix", "TF"]);
    ok(dir, ["plan", "P", "--body", "- [ ] A"]);
    const id = ok(dir, ["backlog", "plan-p", "--json"]).json.tickets[0].id;
    assert.match(id, /^TF-[a-z0-9]{8}$/);
    const config = path.join(dir, ".baton", "config.yaml");
    fs.writeFileSync(config, read(config).replace("prefix: TF", "prefix: Hand"));
    ok(dir, ["plan", "Q", "--body", "- [ ] B"]);
    assert.match(ok(dir, ["backlog", "plan-q", "--json"]).json.tickets[0].id, /^Hand-[a-z0-9]{8}$/);
  });
});

describe("baton ticket", () => {
  function seeded(): { dir: string; ids: string[] } {
    const dir = withPlan("- [ ] One\n- [ ] Two\n- [x] Three");
    const ids = ok(dir, ["backlog", "plan-ship", "--json"]).json.tickets.map((t: any) => t.id);
    ok(dir, ["plan", "Other", "--body", "- [ ] Four"]);
    ids.push(ok(dir, ["backlog", "plan-other", "--json"]).json.tickets[0].id);
    return { dir, ids };
  }

  test("list filters by status and plan and pages", () => {
    const { dir, ids } = seeded();
    const all = ok(dir, ["ticket", "list", "--json"]).json;
    assert.equal(all.total, 4);
    assert.deepEqual([...all.tickets.map((t: any) => t.id)].sort(), [...ids].sort());
    for (const t of all.tickets) assert.equal(t.body, undefined, "list carries no bodies");

    const todo = ok(dir, ["ticket", "list", "--status", "todo", "--json"]).json;
    assert.equal(todo.total, 3);
    assert.ok(todo.tickets.every((t: any) => t.status === "todo"));
    // A ticket rewritten in place (as editors do) leaves the folder's mtime alone: the page shown
    // is read from the files, and the index that disagreed with them is rebuilt next time.
    const edited = path.join(dir, ".baton", "tickets", `${todo.tickets[0].id}.md`);
    const original = fs.readFileSync(edited, "utf8");
    const folder = fs.statSync(path.dirname(edited));
    const fd = fs.openSync(edited, "r+");
    fs.writeSync(fd, original.replace("status: todo", "status: done"), 0);
    fs.closeSync(fd);
    fs.utimesSync(path.dirname(edited), folder.atime, folder.mtime);
    const afterEdit = ok(dir, ["ticket", "list", "--status", "todo", "--json"]).json;
    assert.ok(!afterEdit.tickets.some((t: any) => t.id === todo.tickets[0].id), "shown as it is");
    const rebuilt = ok(dir, ["ticket", "list", "--status", "done", "--json"]).json;
    assert.ok(
      rebuilt.tickets.some((t: any) => t.id === todo.tickets[0].id),
      "counted as it is",
    );
    fs.writeFileSync(`${edited}.tmp`, original);
    fs.renameSync(`${edited}.tmp`, edited); // a rename changes the folder: the index follows
    const other = ok(dir, ["ticket", "list", "--plan", "plan-other", "--json"]).json;
    assert.deepEqual(
      other.tickets.map((t: any) => t.title),
      ["Four"],
    );
    const page = ok(dir, ["ticket", "list", "--limit", "2", "--offset", "1", "--json"]).json;
    assert.equal(page.total, 4);
    assert.deepEqual(
      page.tickets.map((t: any) => t.id),
      all.tickets.slice(1, 3).map((t: any) => t.id),
    );
    const text = ok(dir, ["ticket", "list"]).stdout;
    for (const id of ids) assert.ok(text.includes(id));

    fails(dir, ["ticket", "list", "--status", "someday"], "INVALID_INPUT", 2);
    fails(dir, ["ticket", "list", "--limit", "-1"], "INVALID_INPUT", 2);
    fails(dir, ["ticket", "list", "--limit", ""], "USAGE", 2);
    fails(dir, ["ticket", "list", "--limit", "many"], "USAGE", 2);
    fails(dir, ["ticket", "list", "extra"], "USAGE", 2);
  });

  test("set-status changes the ticket and the plan's backlog.md, once", () => {
    const { dir, ids } = seeded();
    const id = ids[0] as string;
    const r = ok(dir, ["ticket", "set-status", id, "in_progress", "--json"]).json;
    assert.equal(r.changed, true);
    assert.equal(r.previous, "todo");
    assert.equal(r.ticket.status, "in_progress");
    const shown = ok(dir, ["ticket", "show", id, "--json"]).json;
    assert.equal(shown.status, "in_progress");
    assert.ok(shown.updated >= shown.created);
    assert.ok(read(knowledge(dir, "topics", "plan-ship", "backlog.md")).includes(`[${id}]`));
    ok(dir, ["ticket", "set-status", id, "done"]);
    const line = read(knowledge(dir, "topics", "plan-ship", "backlog.md"))
      .split("\n")
      .find((l) => l.includes(id));
    assert.match(line ?? "", /^- \[x\] .*\(done\)$/);

    const before = snapshotTree(dir);
    assert.equal(ok(dir, ["ticket", "set-status", id, "done", "--json"]).json.changed, false);
    assertTreeEqual(dir, before, "setting the same status");
  });

  test("the old spellings pending and open are accepted as todo; help lists the one set", () => {
    const { dir, ids } = seeded();
    const id = ids[0] as string;
    ok(dir, ["ticket", "set-status", id, "in_progress"]);
    const r = ok(dir, ["ticket", "set-status", id, "pending", "--json"]).json;
    assert.deepEqual([r.previous, r.ticket.status, r.changed], ["in_progress", "todo", true]);
    assert.ok(read(path.join(dir, ".baton", "tickets", `${id}.md`)).includes("status: todo"));
    assert.equal(ok(dir, ["ticket", "set-status", id, "open", "--json"]).json.changed, false);
    const listed = ok(dir, ["ticket", "list", "--status", "pending", "--json"]).json;
    assert.deepEqual(
      listed.tickets.map((t: any) => t.status),
      ["todo", "todo", "todo"],
    );
    const help = ok(dir, ["ticket", "set-status", "--help"]).stdout;
    assert.match(help, /todo \| in_progress \| blocked \| done \| cancelled/);
    assert.doesNotMatch(help, /pending/);
  });

  test("a person's text in the ticket body survives a status change", () => {
    const { dir, ids } = seeded();
    const file = path.join(dir, ".baton", "tickets", `${ids[1]}.md`);
    fs.appendFileSync(file, "\nAcceptance: it works.\n");
    ok(dir, ["ticket", "set-status", ids[1] as string, "blocked"]);
    assert.ok(read(file).endsWith("\nAcceptance: it works.\n"));
    assert.ok(read(file).includes("status: blocked"));
  });

  test("show and set-status refuse bad ids and statuses, touching nothing", () => {
    const { dir, ids } = seeded();
    failsTouchingNothing(dir, ["ticket", "show", "BTN-zzzzzzzz"], "TICKET_NOT_FOUND", 3);
    failsTouchingNothing(
      dir,
      ["ticket", "set-status", "BTN-zzzzzzzz", "done"],
      "TICKET_NOT_FOUND",
      3,
    );
    failsTouchingNothing(
      dir,
      ["ticket", "set-status", ids[0] as string, "someday"],
      "INVALID_INPUT",
      2,
    );
    for (const bad of [
      "../x",
      "/etc/passwd",
      `${ids[0]}/../x`,
      "BTN-abc\\d",
      `../tickets/${ids[0]}`,
    ]) {
      failsTouchingNothing(dir, ["ticket", "show", bad], "INVALID_ID", 2);
      failsTouchingNothing(dir, ["ticket", "set-status", bad, "done"], "INVALID_ID", 2);
    }
    failsTouchingNothing(dir, ["ticket", "set-status", ids[0] as string], "USAGE", 2);
    failsTouchingNothing(dir, ["ticket", "show"], "USAGE", 2);
  });
});

describe("tickets of one backlog and their plan tasks", () => {
  test("ticket list keeps the plan's task order for tickets created together", () => {
    const titles = Array.from({ length: 12 }, (_, i) => `Task ${String.fromCharCode(65 + i)}`);
    const dir = withPlan(titles.map((t) => `- [ ] ${t}`).join("\n"));
    ok(dir, ["backlog", "plan-ship"]);
    const listed = (args: string[]) =>
      ok(dir, ["ticket", "list", ...args, "--json"]).json.tickets.map((t: any) => t.title);
    assert.deepEqual(listed([]), titles);
    assert.deepEqual(listed(["--plan", "plan-ship"]), titles);
    assert.deepEqual(listed(["--fresh"]), titles);
    assert.deepEqual(listed(["--limit", "3", "--offset", "2"]), titles.slice(2, 5));
    const first = ok(dir, ["ticket", "list", "--json"]).json.tickets[0];
    assert.equal(first.position, 1);
    assert.match(read(path.join(dir, ".baton", "tickets", `${first.id}.md`)), /^position: 1$/m);
  });

  test("ticket show carries the task's description, files, criteria, dependencies and reference", () => {
    const dir = makeWorkspace();
    ok(dir, ["plan", "Ship"]);
    const tasks = [
      { id: "IMPL-1", title: "Provider", acceptance: ["signs in"] },
      {
        id: "IMPL-2",
        title: "Tokens",
        description: "Keep them in the keychain",
        depends_on: ["IMPL-1"],
        files: ["src/tokens.ts", "src/keychain.ts"],
        acceptance: ["tokens survive a restart", "no token in logs"],
        requirements: ["REQ-2"],
      },
    ];
    fs.writeFileSync(path.join(dir, "tasks.json"), JSON.stringify(tasks));
    ok(dir, ["plan", "tasks", "plan-ship", "--from", "tasks.json", "--skip-context"]);
    const made = ok(dir, ["backlog", "plan-ship", "--json"]).json.tickets;
    const id = made[1].id as string;
    const shown = ok(dir, ["ticket", "show", id, "--json"]).json;
    assert.equal(shown.task, "IMPL-2");
    assert.equal(shown.task_ref, "plan:plan-ship#IMPL-2");
    assert.deepEqual(shown.plan_task, {
      id: "IMPL-2",
      title: "Tokens",
      description: "Keep them in the keychain",
      status: "todo",
      depends_on: ["IMPL-1"],
      files: ["src/tokens.ts", "src/keychain.ts"],
      acceptance: ["tokens survive a restart", "no token in logs"],
      requirements: ["REQ-2"],
    });
    const text = ok(dir, ["ticket", "show", id]).stdout;
    assert.match(text, /^task: +plan:plan-ship#IMPL-2$/m);
    assert.match(text, /^Keep them in the keychain$/m);
    assert.match(text, /^depends on: +IMPL-1$/m);
    assert.match(text, /^files: +src\/tokens\.ts, src\/keychain\.ts$/m);
    assert.match(text, /^ {2}- no token in logs$/m);
    // A ticket from a checklist item has its reference but no task JSON.
    const other = withPlan("- [ ] A");
    const checklist = ok(other, ["backlog", "plan-ship", "--json"]).json.tickets[0].id;
    const plain = ok(other, ["ticket", "show", checklist, "--json"]).json;
    assert.deepEqual([plain.task_ref, plain.plan_task], ["plan:plan-ship#a", null]);
  });

  test("ticket ids are accepted in any letter case", () => {
    const dir = withPlan("- [ ] A");
    const id = ok(dir, ["backlog", "plan-ship", "--json"]).json.tickets[0].id as string;
    for (const typed of [id.toLowerCase(), id.toUpperCase(), `bTn-${id.slice(4).toUpperCase()}`]) {
      assert.equal(ok(dir, ["ticket", "show", typed, "--json"]).json.id, id, typed);
    }
    const r = ok(dir, ["ticket", "set-status", id.toUpperCase(), "done", "--json"]).json;
    assert.equal(r.ticket.id, id);
    assert.equal(ok(dir, ["ticket", "show", id, "--json"]).json.status, "done");
    // A prefix changed in the config since: the old tickets are still found in any case.
    const config = path.join(dir, ".baton", "config.yaml");
    fs.writeFileSync(config, read(config).replace("prefix: BTN", "prefix: TF"));
    assert.equal(ok(dir, ["ticket", "show", id.toLowerCase(), "--json"]).json.id, id);
    failsTouchingNothing(dir, ["ticket", "show", "BTN-ZZZZZZZZ"], "TICKET_NOT_FOUND", 3);
  });
});

describe("baton topic", () => {
  test("list and show read index.json and the topic files", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Foo", "--body", "idea text"]);
    ok(dir, ["spike", "Bar"]);
    ok(dir, ["plan", "Baz", "--body", "- [ ] x"]);
    const list = ok(dir, ["topic", "list", "--json"]).json;
    assert.equal(list.total, 3);
    assert.deepEqual(
      list.topics.map((t: any) => t.id),
      ["seed-foo", "spike-bar", "plan-baz"],
    );
    const spikes = ok(dir, ["topic", "list", "--type", "spike", "--json"]).json;
    assert.deepEqual(
      spikes.topics.map((t: any) => t.id),
      ["spike-bar"],
    );
    const show = ok(dir, ["topic", "show", "seed-foo", "--json"]).json;
    assert.equal(show.topic.id, "seed-foo");
    assert.ok(show.document.includes("idea text"));
    assert.ok(show.sources.includes("spike-bar"));
    const text = ok(dir, ["topic", "show", "seed-foo"]).stdout;
    assert.ok(text.includes("idea text"));

    fails(dir, ["topic", "list", "--type", "note"], "INVALID_INPUT", 2);
    failsTouchingNothing(dir, ["topic", "show", "seed-nope"], "TOPIC_NOT_FOUND", 3);
    for (const bad of [
      "../seed-foo",
      "/etc/passwd",
      "seed-foo/../../x",
      "seed-foo\\x",
      "SEED-FOO",
    ]) {
      failsTouchingNothing(dir, ["topic", "show", bad], "INVALID_ID", 2);
    }
  });
});
