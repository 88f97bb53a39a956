import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { readSpecStatus, specContentHash } from "../../src/store/specs.ts";
import { openWorkspace } from "../../src/store/workspace.ts";
import { baton, makeWorkspace, readJson, snapshotTree } from "../helpers.ts";
import { assertTreeEqual, failsTouchingNothing, ok, read, write } from "./support.ts";

const TASKS = `# Implementation Plan: Auth

Some words a person wrote.

- [ ] 1. Config
  - _Files: src/config.ts_
- [ ] 2. Schema
  - _Files: src/config.ts, src/schema.ts_
- [ ] 3. API
  - _Depends: 1_
- [x] 4. Done already
- [ ] 5. Docs
`;

const planning = (dir: string, ...parts: string[]) =>
  path.join(dir, ".baton", "planning", ...parts);

/** A spec `name` with `tasks` as its tasks.md, submitted by ada and approved by grace. */
function approvedSpec(dir: string, name = "auth", tasks = TASKS): void {
  ok(dir, ["spec", "new", name, "-q"]);
  write(dir, `.baton/planning/${name}/tasks.md`, tasks);
  ok(dir, ["spec", "submit", name, "--force", "--by", "ada", "-q"]);
  ok(dir, ["spec", "approve", name, "--by", "grace", "-q"]);
}

function json(dir: string, args: string[]): any {
  return ok(dir, [...args, "--json"]).json;
}

function events(dir: string, spec = "auth"): any[] {
  const file = planning(dir, spec, "events.jsonl");
  if (!fs.existsSync(file)) return [];
  return read(file)
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));
}

function setLease(dir: string, ttl: string): void {
  fs.appendFileSync(path.join(dir, ".baton", "config.yaml"), `work:\n  leaseTtl: ${ttl}\n`);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe("baton work start", () => {
  test("needs an approved spec; the first session starts it, recorded in its history", () => {
    const dir = makeWorkspace();
    ok(dir, ["spec", "new", "auth", "-q"]);
    write(dir, ".baton/planning/auth/tasks.md", TASKS);
    const refused = failsTouchingNothing(dir, ["work", "start", "auth"], "STATE_CONFLICT", 4);
    assert.match(refused.message, /spec auth is draft; a work session needs it approved/);
    assert.match(refused.hint, /baton work start auth --force/);
    ok(dir, ["spec", "submit", "auth", "--force", "--by", "ada", "-q"]);
    ok(dir, ["spec", "approve", "auth", "--by", "grace", "-q"]);

    const r = json(dir, [
      "work",
      "start",
      "auth",
      "--task",
      "1",
      "--name",
      "config",
      "--agent",
      "claude-code",
      "--instance",
      "win-1",
      "--thread",
      "t-1",
      "--link",
      "https://example.com/t/1",
    ]);
    assert.match(r.session.id, /^ws-[a-z0-9]{8}$/);
    assert.deepEqual(r.spec, { name: "auth", started: true, forced: false, stage: "implementing" });
    assert.deepEqual(
      r.claimed.map((c: any) => [c.task, c.token]),
      [["1", 1]],
    );
    assert.deepEqual(r.session.agent, {
      kind: "claude-code",
      instance: "win-1",
      thread: "t-1",
      link: "https://example.com/t/1",
    });
    assert.equal(r.session.liveness, "working");
    const status = read(planning(dir, "auth", "status.yaml"));
    assert.match(status, /stage: implementing/);
    assert.match(status, /"action":"start".*"comment":"first work session ws-/);
    const record = readJson(planning(dir, "auth", "work", `${r.session.id}.json`));
    assert.equal(record.schema_version, 1);
    assert.equal(record.spec, "auth");
    assert.deepEqual(
      record.tasks.map((t: any) => [t.id, t.token, t.state]),
      [["1", 1, "held"]],
    );
    const claim = readJson(planning(dir, "auth", "work", "claims", "1.json"));
    assert.equal(claim.session, r.session.id);
    assert.equal(claim.token, 1);
    assert.deepEqual(
      events(dir).map((e) => e.type),
      ["work.started", "work.claimed"],
    );
    // A second session leaves the stage alone.
    const second = json(dir, ["work", "start", "auth", "--task", "5"]);
    assert.equal(second.spec.started, false);
  });

  test("--force starts a spec not approved, recorded as force_start and on the session", () => {
    const dir = makeWorkspace();
    ok(dir, ["spec", "new", "hotfix", "-q"]);
    const r = json(dir, ["work", "start", "hotfix", "--force"]);
    assert.deepEqual(r.spec, {
      name: "hotfix",
      started: true,
      forced: true,
      stage: "implementing",
    });
    assert.equal(r.session.forced, true);
    assert.match(read(planning(dir, "hotfix", "status.yaml")), /"action":"force_start"/);
    assert.equal(events(dir, "hotfix")[0].forced, true);
  });

  test("a task that is not ready is refused, saying why; nothing changes", () => {
    const dir = makeWorkspace();
    approvedSpec(dir);
    const ws = json(dir, ["work", "start", "auth", "--task", "1"]).session.id;
    const claimed = failsTouchingNothing(
      dir,
      ["work", "start", "auth", "--task", "1"],
      "STATE_CONFLICT",
      4,
    );
    assert.match(claimed.message, new RegExp(`task 1 is claimed by ${ws} until`));
    const files = failsTouchingNothing(
      dir,
      ["work", "start", "auth", "--task", "2"],
      "STATE_CONFLICT",
      4,
    );
    assert.match(files.message, /task 2 shares src\/config\.ts with task 1, claimed by ws-/);
    const waiting = failsTouchingNothing(
      dir,
      ["work", "start", "auth", "--task", "3"],
      "STATE_CONFLICT",
      4,
    );
    assert.match(waiting.message, /task 3 waits for 1, not done yet/);
    const done = failsTouchingNothing(
      dir,
      ["work", "start", "auth", "--task", "4"],
      "STATE_CONFLICT",
      4,
    );
    assert.match(done.message, /task 4 is done/);
  });
});

describe("claims, the ready queue, heartbeats and releases", () => {
  test("work next orders the ready tasks and says why the others wait", () => {
    const dir = makeWorkspace();
    approvedSpec(dir);
    const r = json(dir, ["work", "next", "auth"]);
    assert.deepEqual(
      r.ready.map((t: any) => t.id),
      ["1", "2", "5"],
      "1 first: 3 waits for it",
    );
    assert.deepEqual(r.counts, { total: 5, done: 1, ready: 3, claimed: 0, waiting: 1 });
    assert.deepEqual(
      r.waiting.map((w: any) => [w.id, w.why]),
      [["3", "waiting"]],
    );
    const text = ok(dir, ["work", "next", "auth"]).stdout;
    assert.match(text, /Spec auth \(approved\): 3 ready, 0 claimed, 1 waiting, 1 done of 5/);
    assert.match(text, /3: waits for 1, not done yet/);
  });

  test("claim takes the next ready task atomically; without --session it starts a session", () => {
    const dir = makeWorkspace();
    approvedSpec(dir);
    const first = json(dir, ["work", "claim", "auth"]);
    assert.equal(first.started, true);
    assert.equal(first.claimed.task, "1");
    assert.equal(first.claimed.token, 1);
    const ws = first.session.id;
    // Task 2 shares a file with 1, so the next ready one is 5.
    const second = json(dir, ["work", "claim", "auth", "--session", ws]);
    assert.equal(second.started, false);
    assert.equal(second.claimed.task, "5");
    assert.equal(second.ready, 0);
    assert.deepEqual(
      second.session.claims.map((c: any) => c.task),
      ["1", "5"],
    );
    const none = failsTouchingNothing(
      dir,
      ["work", "claim", "auth", "--session", ws],
      "NO_TASKS",
      4,
    );
    assert.match(
      none.message,
      /no task of spec auth is ready: 2 claimed, 1 waiting for other tasks, 1 sharing files with claimed tasks, 1 done of 5/,
    );
    assert.match(none.hint, /baton work next auth/);
    const claimedEvents = events(dir).filter((e) => e.type === "work.claimed");
    assert.deepEqual(
      claimedEvents.map((e) => [e.task, e.session, e.token]),
      [
        ["1", ws, 1],
        ["5", ws, 1],
      ],
    );
    assert.equal(new Set(events(dir).map((e) => e.id)).size, events(dir).length);
  });

  test("a heartbeat renews the leases, is no event and leaves PLANNING.md alone", () => {
    const dir = makeWorkspace();
    approvedSpec(dir);
    const ws = json(dir, ["work", "start", "auth", "--task", "1"]).session.id;
    const before = readJson(planning(dir, "auth", "work", "claims", "1.json")).expires;
    const journal = read(dir, "PLANNING.md");
    const log = read(dir, ".baton", "events.jsonl");
    const timeline = read(planning(dir, "auth", "events.jsonl"));
    sleep(5);
    const r = json(dir, ["work", "heartbeat", ws]);
    assert.equal(r.renewed.length, 1);
    const after = readJson(planning(dir, "auth", "work", "claims", "1.json")).expires;
    assert.ok(after > before, `${after} > ${before}`);
    assert.equal(read(dir, "PLANNING.md"), journal, "PLANNING.md untouched");
    assert.equal(read(dir, ".baton", "events.jsonl"), log, "no workspace event");
    assert.equal(read(planning(dir, "auth", "events.jsonl")), timeline, "no coordination event");
  });

  test("release gives the task back; the next claim of it gets a higher token", () => {
    const dir = makeWorkspace();
    approvedSpec(dir);
    const a = json(dir, ["work", "start", "auth", "--task", "1"]).session.id;
    const r = json(dir, ["work", "release", a, "--task", "1", "--token", "1"]);
    assert.equal(r.token, 1);
    assert.deepEqual(r.session.claims, []);
    const claim = readJson(planning(dir, "auth", "work", "claims", "1.json"));
    assert.equal(claim.state, "released");
    assert.equal(claim.session, null);
    const b = json(dir, ["work", "claim", "auth", "--task", "1"]);
    assert.equal(b.claimed.token, 2);
    assert.deepEqual(
      json(dir, ["work", "show", a]).tasks.map((t: any) => [t.id, t.state]),
      [["1", "released"]],
    );
  });

  test("an expired lease is taken over once, recorded; the old holder gets LEASE_LOST and changes nothing", () => {
    const dir = makeWorkspace();
    setLease(dir, "1s");
    approvedSpec(dir);
    const old = json(dir, ["work", "start", "auth", "--task", "1"]).session.id;
    assert.equal(json(dir, ["work", "list"]).sessions[0].liveness, "working");
    sleep(1100);
    const list = json(dir, ["work", "list"]);
    assert.equal(list.sessions[0].liveness, "stale");
    assert.equal(list.sessions[0].claims[0].lease, "expired");
    const taken = json(dir, ["work", "claim", "auth", "--task", "1"]);
    assert.equal(taken.claimed.token, 2);
    assert.equal(taken.claimed.takeover.session, old);
    assert.equal(taken.claimed.takeover.token, 1);
    const lost = failsTouchingNothing(dir, ["work", "heartbeat", old], "LEASE_LOST", 4);
    assert.match(
      lost.message,
      new RegExp(
        `${old} no longer holds task 1 of spec auth \\(token 1\\): ${taken.session.id} holds it now with token 2`,
      ),
    );
    assert.match(lost.hint, /nothing was changed/);
    failsTouchingNothing(dir, ["work", "release", old, "--task", "1"], "LEASE_LOST", 4);
    // The new holder with a stale token is refused too.
    failsTouchingNothing(
      dir,
      ["work", "release", taken.session.id, "--task", "1", "--token", "1"],
      "LEASE_LOST",
      4,
    );
    const shown = json(dir, ["work", "show", old]);
    assert.deepEqual(
      shown.claims.map((c: any) => [c.task, c.lease, c.holder]),
      [["1", "lost", taken.session.id]],
    );
    const claimed = events(dir).filter((e) => e.type === "work.claimed" && e.task === "1");
    assert.equal(claimed.length, 2);
    assert.equal(claimed[1].takeover.session, old);
    // The old session goes on with other work: its lost claim is marked as such.
    const other = json(dir, ["work", "claim", "auth", "--session", old]);
    assert.equal(other.claimed.task, "5");
    assert.deepEqual(
      json(dir, ["work", "show", old]).tasks.map((t: any) => [t.id, t.state]),
      [
        ["1", "lost"],
        ["5", "held"],
      ],
    );
  });
});

describe("liveness, list, show, status and resume", () => {
  test("gone: a session whose recorded process has exited", () => {
    const dir = makeWorkspace();
    approvedSpec(dir);
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid as number;
    const gone = json(dir, ["work", "start", "auth", "--pid", String(dead)]).session.id;
    const alive = json(dir, ["work", "start", "auth", "--pid", String(process.pid)]).session.id;
    const list = json(dir, ["work", "list", "auth"]);
    const by = new Map(list.sessions.map((s: any) => [s.id, s.liveness]));
    assert.equal(by.get(gone), "gone");
    assert.equal(by.get(alive), "idle");
    const shown = ok(dir, ["work", "show", gone]).stdout;
    assert.match(shown, /liveness: gone/);
    assert.match(shown, new RegExp(`process:  ${dead} on `));
  });

  test("list and show print the agent mapping, claims and state", () => {
    const dir = makeWorkspace();
    approvedSpec(dir);
    const ws = json(dir, [
      "work",
      "start",
      "auth",
      "--task",
      "1",
      "--name",
      "config",
      "--agent",
      "codex",
      "--thread",
      "t-9",
    ]).session.id;
    const text = ok(dir, ["work", "list"]).stdout;
    assert.match(text, /ID\s+SPEC\s+STATE\s+LIVENESS\s+PROGRESS\s+CLAIMS\s+AGENT\s+NAME/);
    assert.match(
      text,
      new RegExp(`${ws}\\s+auth\\s+active\\s+working\\s+0%\\s+1\\s+codex, thread t-9\\s+config`),
    );
    const shown = ok(dir, ["work", "show", ws]).stdout;
    assert.match(shown, /Work session ws-\w+ "config" on spec auth/);
    assert.match(shown, /agent: {4}codex, thread t-9/);
    assert.match(shown, /1 Config — token 1, lease until/);
    assert.match(ok(dir, ["work", "list", "--help"]).stdout, /baton work list/);
  });

  test("status and resume show the work sessions, their claims and the ready tasks", () => {
    const dir = makeWorkspace();
    approvedSpec(dir);
    const ws = json(dir, ["work", "start", "auth", "--task", "1", "--name", "config"]).session.id;
    const status = json(dir, ["status"]);
    assert.equal(status.work.length, 1);
    assert.deepEqual(status.work[0], {
      spec: "auth",
      stage: "implementing",
      sessions: [{ id: ws, name: "config", liveness: "working", claims: ["1"], percent: 0 }],
      live: 1,
      ended: 0,
      ready: [{ id: "5", title: "Docs" }],
      ready_count: 1,
    });
    assert.match(
      ok(dir, ["status"]).stdout,
      /Work on auth \(implementing\): 1 live session; 1 task ready: 5/,
    );
    const resume = json(dir, ["resume"]);
    const section = resume.sections.find((s: any) => s.title === "Work sessions");
    assert.ok(section, "resume has a Work sessions section");
    assert.match(section.lines.join("\n"), new RegExp(`${ws} "config" \\[working\\] 0%, holds 1`));
    assert.equal(resume.state.work[0].sessions[0].id, ws);
  });
});

describe("bad input: one line, a code and a hint, nothing changed", () => {
  test("unknown spec, session or task; a path for an id; a task not in the spec; a second claim", () => {
    const dir = makeWorkspace();
    approvedSpec(dir);
    const ws = json(dir, ["work", "start", "auth", "--task", "1"]).session.id;
    failsTouchingNothing(dir, ["work", "start", "nope"], "SPEC_NOT_FOUND", 3);
    failsTouchingNothing(dir, ["work", "next", "nope"], "SPEC_NOT_FOUND", 3);
    failsTouchingNothing(dir, ["work", "claim", "../etc"], "INVALID_ID", 2);
    failsTouchingNothing(dir, ["work", "heartbeat", "ws-zzzzzzzz"], "SESSION_NOT_FOUND", 3);
    failsTouchingNothing(dir, ["work", "show", "../ws-1"], "INVALID_ID", 2);
    failsTouchingNothing(
      dir,
      ["work", "claim", "auth", "--session", "ws-zzzzzzzz"],
      "SESSION_NOT_FOUND",
      3,
    );
    const missing = failsTouchingNothing(
      dir,
      ["work", "claim", "auth", "--session", ws, "--task", "9.9"],
      "TASK_NOT_FOUND",
      3,
    );
    assert.match(
      missing.message,
      /spec auth has no task 9\.9 \(\.baton\/planning\/auth\/tasks\.md\)/,
    );
    failsTouchingNothing(dir, ["work", "start", "auth", "--task", "../../x"], "INVALID_ID", 2);
    failsTouchingNothing(dir, ["work", "claim", "auth", "--task", "4"], "STATE_CONFLICT", 4);
    failsTouchingNothing(dir, ["work", "claim", "auth", "--task", "1"], "STATE_CONFLICT", 4);
    failsTouchingNothing(dir, ["work", "release", ws, "--task", "5"], "STATE_CONFLICT", 4);
    failsTouchingNothing(
      dir,
      ["work", "release", ws, "--task", "1", "--token", "7"],
      "LEASE_LOST",
      4,
    );
    failsTouchingNothing(dir, ["work", "release", ws], "USAGE", 2);
    failsTouchingNothing(
      dir,
      ["work", "start", "auth", "--parent", "ws-zzzzzzzz"],
      "SESSION_NOT_FOUND",
      3,
    );
    failsTouchingNothing(dir, ["work", "start", "auth", "--name", "a\u001bb"], "INVALID_INPUT", 2);
    // A session of another spec is not this spec's.
    approvedSpec(dir, "billing");
    const other = failsTouchingNothing(
      dir,
      ["work", "claim", "billing", "--session", ws],
      "STATE_CONFLICT",
      4,
    );
    assert.match(other.message, /works on spec auth, not billing/);
  });

  test("a corrupt claim or session file is CORRUPT_FILE and is never overwritten", () => {
    const dir = makeWorkspace();
    approvedSpec(dir);
    const ws = json(dir, ["work", "start", "auth", "--task", "1"]).session.id;
    write(dir, ".baton/planning/auth/work/claims/1.json", "{ not json");
    failsTouchingNothing(dir, ["work", "claim", "auth", "--session", ws], "CORRUPT_FILE", 5);
    failsTouchingNothing(dir, ["work", "next", "auth"], "CORRUPT_FILE", 5);
    write(dir, ".baton/planning/auth/work/claims/1.json", '{"schema_version": 9}');
    failsTouchingNothing(dir, ["work", "heartbeat", ws], "SCHEMA_TOO_NEW", 5);
  });

  test("work.leaseTtl that is no duration is CONFIG_INVALID", () => {
    const dir = makeWorkspace();
    setLease(dir, "soon");
    failsTouchingNothing(dir, ["work", "list"], "CONFIG_INVALID", 5);
  });
});

describe("tickets and plan tasks sharing a spec task", () => {
  test("a spec made from a plan: claiming sets the plan task and its ticket in progress, releasing puts them back", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Login", "-q"]);
    ok(dir, ["plan", "Login rollout", "--body", "- [ ] Add provider\n- [ ] Store tokens\n", "-q"]);
    const ticket = json(dir, ["backlog"]).tickets[0].id;
    ok(dir, ["spec", "new", "login", "--from-plan", "plan-login-rollout", "-q"]);
    ok(dir, ["spec", "start", "login", "--force", "-q"]);
    const ws = json(dir, ["work", "start", "login", "--task", "1"]).session.id;
    assert.equal(json(dir, ["ticket", "show", ticket]).status, "in_progress");
    assert.match(read(dir, ".baton/knowledge/topics/plan-login-rollout/backlog.md"), /in_progress/);
    ok(dir, ["work", "release", ws, "--task", "1"]);
    assert.equal(json(dir, ["ticket", "show", ticket]).status, "todo");
  });
});

describe("one live state per clone", () => {
  test("a command run in a linked git worktree reads and writes the primary worktree's .baton", () => {
    const dir = makeWorkspace();
    approvedSpec(dir);
    const git = (cwd: string, ...args: string[]) => {
      const r = spawnSync("git", ["-c", "user.email=t@e", "-c", "user.name=T", ...args], {
        cwd,
        encoding: "utf8",
      });
      assert.equal(r.status, 0, r.stderr);
    };
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "state");
    const linked = `${dir}-linked`;
    git(dir, "worktree", "add", "-q", linked, "-b", "agent-2");
    const before = snapshotTree(linked);
    const ws = json(linked, ["work", "start", "auth", "--task", "1"]).session.id;
    assertTreeEqual(linked, before, "the linked worktree keeps no state of its own");
    assert.ok(fs.existsSync(planning(dir, "auth", "work", `${ws}.json`)));
    assert.equal(json(dir, ["work", "show", ws]).claims[0].task, "1");
    // A linked worktree without a committed .baton finds the primary's too.
    const bare = `${dir}-bare`;
    git(dir, "worktree", "add", "-q", "--detach", bare, "HEAD");
    fs.rmSync(path.join(bare, ".baton"), { recursive: true, force: true });
    assert.equal(json(bare, ["work", "list"]).sessions[0].id, ws);
    assert.equal(baton(path.join(bare), ["work", "show", ws, "--json"]).code, 0);
  });
});

describe("spawning, the tree and coordination", () => {
  test("a spawned tree three levels deep: parents before children, state, tasks and liveness", () => {
    const dir = makeWorkspace();
    approvedSpec(dir);
    const lead = json(dir, ["work", "start", "auth", "--name", "lead", "--task", "1"]).session.id;
    const child = json(dir, ["work", "spawn", lead, "--name", "child", "--task", "5"]);
    assert.equal(child.session.parent, lead);
    const mid = child.session.id;
    const leaf = json(dir, ["work", "start", "auth", "--parent", mid, "--name", "leaf"]).session.id;
    const sibling = json(dir, ["work", "spawn", lead, "--name", "sibling"]).session.id;
    const tree = json(dir, ["work", "tree", "auth"]);
    assert.deepEqual(
      tree.sessions.map((s: any) => [s.id, s.depth, s.parent, s.descendants]),
      [
        [lead, 0, null, 3],
        [mid, 1, lead, 1],
        [leaf, 2, mid, 0],
        [sibling, 1, lead, 0],
      ],
    );
    assert.deepEqual(
      tree.sessions[1].claims.map((c: any) => c.task),
      ["5"],
    );
    assert.equal(tree.sessions[2].liveness, "idle");
    const text = ok(dir, ["work", "tree", "auth"]).stdout;
    assert.match(
      text,
      /Spec auth \(implementing\): 1\/5 required done \(20%\); 4 sessions, 4 live/,
    );
    assert.match(
      text,
      new RegExp(
        `\\n${lead} "lead" \\[working\\] holds 1 — 0% \\(0/2 tasks done\\)\\n├─ ${mid} "child" \\[working\\] holds 5 — 0% \\(0/1 tasks done\\)\\n│  └─ ${leaf} "leaf" \\[idle\\] — 0%\\n└─ ${sibling} "sibling" \\[idle\\] — 0%`,
      ),
    );
    assert.deepEqual(json(dir, ["work", "show", lead]).children, [mid, sibling]);
    const started = events(dir).filter((e) => e.type === "work.started");
    assert.deepEqual(
      started.map((e) => e.parent ?? null),
      [null, lead, mid, lead],
    );
    // A parent of another spec, or an ended one, cannot spawn.
    approvedSpec(dir, "billing");
    failsTouchingNothing(dir, ["work", "start", "billing", "--parent", lead], "STATE_CONFLICT", 4);
    ok(dir, ["work", "end", sibling, "--state", "cancelled"]);
    failsTouchingNothing(dir, ["work", "spawn", sibling], "STATE_CONFLICT", 4);
  });

  test("messages reach a session's inbox, or every open session of a spec; each is a timeline event", () => {
    const dir = makeWorkspace();
    approvedSpec(dir);
    const a = json(dir, ["work", "start", "auth", "--name", "a"]).session.id;
    const b = json(dir, ["work", "start", "auth", "--name", "b"]).session.id;
    const direct = json(dir, ["work", "message", b, "the", "schema", "is", "merged", "--from", a]);
    assert.deepEqual(direct.delivered, [b]);
    const all = json(dir, ["work", "message", "auth", "freeze until 15:00", "--from", a]);
    assert.deepEqual(all.delivered, [b], "the sender does not message itself");
    const inbox = json(dir, ["work", "show", b]).inbox;
    assert.deepEqual(
      inbox.map((m: any) => [m.from, m.to, m.text]),
      [
        [a, "session", "the schema is merged"],
        [a, "spec", "freeze until 15:00"],
      ],
    );
    assert.deepEqual(json(dir, ["work", "show", a]).inbox, []);
    assert.match(ok(dir, ["work", "show", b]).stdout, /Inbox \(2\):\n.*the schema is merged/);
    const messages = events(dir).filter((e) => e.type === "work.message");
    assert.deepEqual(
      messages.map((e) => e.id),
      [direct.id, all.id],
    );
    ok(dir, ["work", "end", b, "--state", "done"]);
    const ended = failsTouchingNothing(dir, ["work", "message", b, "hello"], "STATE_CONFLICT", 4);
    assert.match(ended.message, /is done; an ended session reads no messages/);
    failsTouchingNothing(dir, ["work", "message", "nope", "hello"], "SPEC_NOT_FOUND", 3);
    failsTouchingNothing(
      dir,
      ["work", "message", a, "hi", "--from", "ws-zzzzzzzz"],
      "SESSION_NOT_FOUND",
      3,
    );
    failsTouchingNothing(dir, ["work", "message", a, "a\u001bb"], "INVALID_INPUT", 2);
  });

  test("block, unblock, wait and end follow the state table; refusals name the allowed moves", () => {
    const dir = makeWorkspace();
    approvedSpec(dir);
    const a = json(dir, ["work", "start", "auth", "--task", "1"]).session.id;
    const b = json(dir, ["work", "start", "auth"]).session.id;
    const blocked = json(dir, ["work", "block", b, "--on", a, "--reason", "needs the config"]);
    assert.deepEqual([blocked.from, blocked.to], ["active", "blocked"]);
    assert.deepEqual(json(dir, ["work", "show", b]).blocked_on, { session: a });
    const again = failsTouchingNothing(
      dir,
      ["work", "block", b, "--on", "3", "--reason", "x"],
      "STATE_CONFLICT",
      4,
    );
    assert.match(again.message, /is blocked; block needs active or waiting/);
    assert.match(again.hint, /baton work unblock ws-/);
    failsTouchingNothing(
      dir,
      ["work", "block", a, "--on", "9.9", "--reason", "x"],
      "TASK_NOT_FOUND",
      3,
    );
    failsTouchingNothing(dir, ["work", "block", a, "--on", a, "--reason", "x"], "INVALID_INPUT", 2);
    failsTouchingNothing(
      dir,
      ["work", "block", a, "--on", "ws-zzzzzzzz", "--reason", "x"],
      "SESSION_NOT_FOUND",
      3,
    );
    failsTouchingNothing(dir, ["work", "block", a, "--on", "3"], "USAGE", 2);
    assert.equal(json(dir, ["work", "unblock", b]).to, "active");
    const waiting = json(dir, ["work", "wait", a, "--reason", "which provider?"]);
    assert.equal(waiting.session.liveness, "waiting");
    assert.equal(json(dir, ["work", "list"]).sessions[0].state, "waiting");
    const ended = json(dir, ["work", "end", a, "--state", "done", "--summary", "config done"]);
    assert.deepEqual(ended.released, ["1"]);
    assert.equal(readJson(planning(dir, "auth", "work", "claims", "1.json")).state, "released");
    const final = failsTouchingNothing(dir, ["work", "unblock", a], "STATE_CONFLICT", 4);
    assert.match(final.hint, /done is final/);
    failsTouchingNothing(dir, ["work", "heartbeat", a], "STATE_CONFLICT", 4);
    failsTouchingNothing(dir, ["work", "end", b, "--state", "finished"], "INVALID_INPUT", 2);
    assert.deepEqual(
      events(dir)
        .map((e) => e.type)
        .filter((t) => t !== "work.started" && t !== "work.claimed"),
      ["work.blocked", "work.unblocked", "work.waiting", "work.ended"],
    );
    const shown = ok(dir, ["work", "show", a]).stdout;
    assert.match(shown, /Ended .*: config done/);
    assert.equal(json(dir, ["work", "list"]).ended, 1);
    assert.equal(json(dir, ["work", "list", "--all"]).sessions.length, 2);
  });

  test("timeline: oldest first, --since a time or an event id, --limit", () => {
    const dir = makeWorkspace();
    approvedSpec(dir);
    const a = json(dir, ["work", "start", "auth", "--task", "1"]).session.id;
    ok(dir, ["work", "release", a, "--task", "1"]);
    ok(dir, ["work", "claim", "auth", "--session", a]);
    const all = json(dir, ["work", "timeline", "auth"]);
    assert.deepEqual(
      all.events.map((e: any) => e.type),
      ["work.started", "work.claimed", "work.released", "work.claimed"],
    );
    assert.equal(all.total, 4);
    const after = json(dir, ["work", "timeline", "auth", "--since", all.events[1].id]);
    assert.deepEqual(
      after.events.map((e: any) => e.type),
      ["work.released", "work.claimed"],
    );
    const last = json(dir, ["work", "timeline", "auth", "--limit", "1"]);
    assert.deepEqual([last.total, last.events.length], [4, 1]);
    assert.equal(
      json(dir, ["work", "timeline", "auth", "--since", "2999-01-01T00:00:00Z"]).total,
      0,
    );
    assert.match(
      ok(dir, ["work", "timeline", "auth"]).stdout,
      /work\.claimed ws-\w+ task 1 \(token 2\)/,
    );
    failsTouchingNothing(
      dir,
      ["work", "timeline", "auth", "--since", "yesterday"],
      "INVALID_INPUT",
      2,
    );
    failsTouchingNothing(
      dir,
      ["work", "timeline", "auth", "--since", "evt-zzzzzzzzzzzz"],
      "INVALID_INPUT",
      2,
    );
    failsTouchingNothing(dir, ["work", "timeline", "auth", "--limit", "0"], "INVALID_INPUT", 2);
  });
});

describe("progress and finishing tasks", () => {
  const TREE = `# Tasks

- [ ] 1. Lead's task
- [ ] 2. Child's first
- [ ] 3. Child's second
- [ ] 4. Grandchild's
`;

  test("progress rolls up a three-level tree as children finish; spec status, show and tree agree", () => {
    const dir = makeWorkspace();
    approvedSpec(dir, "auth", TREE);
    const lead = json(dir, ["work", "start", "auth", "--task", "1", "--name", "lead"]).session.id;
    const child = json(dir, ["work", "spawn", lead, "--task", "2", "--task", "3"]).session.id;
    const grand = json(dir, ["work", "spawn", child, "--task", "4"]).session.id;
    const percents = () => {
      const tree = json(dir, ["work", "tree", "auth"]);
      return Object.fromEntries(tree.sessions.map((s: any) => [s.id, s.progress.percent]));
    };
    assert.deepEqual(percents(), { [lead]: 0, [child]: 0, [grand]: 0 });
    ok(dir, ["work", "progress", grand, "--task", "4", "--percent", "50", "--note", "half"]);
    // The grandchild's 50% counts in its parents: child (0 + 0 + 50) / 3, lead (… + 0) / 4.
    assert.deepEqual(percents(), { [lead]: 12, [child]: 16, [grand]: 50 });
    ok(dir, ["work", "done", grand, "--task", "4"]);
    assert.deepEqual(percents(), { [lead]: 25, [child]: 33, [grand]: 100 });
    ok(dir, ["work", "done", child, "--task", "2"]);
    ok(dir, ["work", "done", child, "--task", "3"]);
    assert.deepEqual(percents(), { [lead]: 75, [child]: 100, [grand]: 100 });
    const shown = json(dir, ["work", "show", lead]);
    assert.deepEqual(
      [
        shown.progress.tasks,
        shown.progress.done,
        shown.progress.percent,
        shown.progress.own.percent,
      ],
      [4, 3, 75, 0],
    );
    const status = json(dir, ["spec", "status", "--spec", "auth"]);
    assert.equal(status.progress.percent, 75);
    assert.deepEqual(
      status.work.sessions.map((s: any) => [s.id, s.percent]),
      [
        [lead, 75],
        [child, 100],
        [grand, 100],
      ],
    );
    assert.match(ok(dir, ["work", "tree", "auth"]).stdout, /3\/4 required done \(75%\)/);
    assert.match(
      ok(dir, ["spec", "status", "--spec", "auth"]).stdout,
      /work: {5}3 live sessions: /,
    );
    ok(dir, ["work", "done", lead, "--task", "1"]);
    assert.equal(json(dir, ["work", "tree", "auth"]).progress.percent, 100);
  });

  test("done ticks only the box: a person's edits around it, the line endings and the approval stay", () => {
    const dir = makeWorkspace();
    const tasks = [
      "# Implementation Plan",
      "",
      "Notes a person wrote, with a fake box: - [ ] not a task.",
      "",
      "- [ ] 1. Config   ",
      "  - _Files: src/config.ts_",
      "  Some detail *kept* as written.",
      "",
      "  - [ ]* 1.1 Optional sub-task",
      "- [-] 2. Schema",
      "```",
      "- [ ] 9. inside a code fence",
      "```",
      "",
    ].join("\r\n");
    approvedSpec(dir, "auth", tasks);
    const file = planning(dir, "auth", "tasks.md");
    const before = fs.readFileSync(file);
    const ws = openWorkspace(dir);
    const hash = specContentHash(ws, readSpecStatus(ws, "auth") as never);
    const a = json(dir, ["work", "start", "auth", "--task", "2"]).session.id;
    const r = json(dir, ["work", "done", a, "--task", "2"]);
    assert.equal(r.ticked, true);
    const after = fs.readFileSync(file);
    assert.equal(after.length, before.length);
    const changed = [...after].flatMap((byte, i) => (byte === before[i] ? [] : [i]));
    assert.equal(changed.length, 1, "one byte changed");
    assert.equal(
      after.toString("utf8", (changed[0] as number) - 1, (changed[0] as number) + 2),
      "[x]",
    );
    assert.equal(after.toString().replace("- [x] 2.", "- [-] 2."), before.toString());
    const fresh = openWorkspace(dir);
    assert.equal(
      specContentHash(fresh, readSpecStatus(fresh, "auth") as never),
      hash,
      "approval hash unchanged",
    );
    assert.equal(fs.existsSync(planning(dir, "auth", "work", "claims", "2.json")), false);
    assert.deepEqual(
      json(dir, ["work", "show", a]).tasks.map((t: any) => [t.id, t.state]),
      [["2", "done"]],
    );
    assert.equal(events(dir).at(-1).type, "work.task_done");
    // Task 1 (the box with trailing spaces) next: its line keeps its spaces.
    ok(dir, ["work", "claim", "auth", "--session", a, "--task", "1"]);
    ok(dir, ["work", "done", a, "--task", "1"]);
    assert.match(read(file), /- \[x\] 1\. Config {3}\r\n/);
    assert.match(read(file), /- \[ \] 9\. inside a code fence/);
  });

  test("done and progress are fenced; bad values are refused; nothing changes", () => {
    const dir = makeWorkspace();
    setLease(dir, "1s");
    approvedSpec(dir);
    const old = json(dir, ["work", "start", "auth", "--task", "1"]).session.id;
    failsTouchingNothing(dir, ["work", "progress", old, "--percent", "101"], "INVALID_INPUT", 2);
    failsTouchingNothing(
      dir,
      ["work", "progress", old, "--task", "5", "--percent", "5"],
      "STATE_CONFLICT",
      4,
    );
    failsTouchingNothing(dir, ["work", "done", old, "--task", "5"], "STATE_CONFLICT", 4);
    failsTouchingNothing(
      dir,
      ["work", "done", old, "--task", "1", "--token", "2"],
      "LEASE_LOST",
      4,
    );
    sleep(1100);
    ok(dir, ["work", "claim", "auth", "--task", "1"]);
    failsTouchingNothing(dir, ["work", "done", old, "--task", "1"], "LEASE_LOST", 4);
    failsTouchingNothing(
      dir,
      ["work", "progress", old, "--task", "1", "--percent", "5"],
      "LEASE_LOST",
      4,
    );
    const overall = json(dir, ["work", "progress", old, "--percent", "40", "--note", "reading"]);
    assert.equal(overall.task, null);
    assert.equal(
      json(dir, ["work", "show", old]).progress.percent,
      40,
      "its own figure while it holds no task",
    );
  });

  test("a spec completes once its required tasks are done and no work session is live", () => {
    const dir = makeWorkspace();
    approvedSpec(dir, "auth", "# Tasks\n\n- [ ] 1. Only task\n");
    const a = json(dir, ["work", "start", "auth", "--task", "1"]).session.id;
    ok(dir, ["work", "done", a, "--task", "1"]);
    const live = failsTouchingNothing(dir, ["spec", "complete", "auth"], "STATE_CONFLICT", 4);
    assert.match(live.message, new RegExp(`spec auth has 1 live work session: ${a} \\(idle\\)`));
    assert.match(live.hint, /baton work end/);
    ok(dir, ["work", "end", a, "--state", "done", "--summary", "all done"]);
    assert.equal(json(dir, ["spec", "complete", "auth"]).stage, "done");

    approvedSpec(dir, "billing", "# Tasks\n\n- [ ] 1. Only task\n");
    const b = json(dir, ["work", "start", "billing", "--task", "1"]).session.id;
    ok(dir, ["work", "done", b, "--task", "1"]);
    const forced = json(dir, ["spec", "complete", "billing", "--force"]);
    assert.equal(forced.override.kind, "live_sessions");
  });

  test("finishing a task shared with a plan's ticket finishes the ticket", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Login", "-q"]);
    ok(dir, ["plan", "Login rollout", "--body", "- [ ] Add provider\n", "-q"]);
    const ticket = json(dir, ["backlog"]).tickets[0].id;
    ok(dir, ["spec", "new", "login", "--from-plan", "plan-login-rollout", "-q"]);
    ok(dir, ["spec", "start", "login", "--force", "-q"]);
    const ws = json(dir, ["work", "start", "login", "--task", "1"]).session.id;
    ok(dir, ["work", "done", ws, "--task", "1"]);
    assert.equal(json(dir, ["ticket", "show", ticket]).status, "done");
  });
});
