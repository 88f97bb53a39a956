import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { EXIT, exitCodeFor } from "../../src/cli/exit.ts";
import { TOOLS } from "../../src/mcp/tools.ts";
import { baton, makeWorkspace, readJson, snapshotTree } from "../helpers.ts";
import { type Connected, connect, ok, refused } from "./support.ts";

/**
 * Every tool, called through the SDK's client over stdio, with the effect it claims checked on
 * disk or by the CLI in another process. The last test proves no tool was left out.
 */

const TOPICS = ".baton/knowledge/topics";
const PLAN = "plan-oauth-rollout";

describe("every MCP tool, end to end", () => {
  let dir: string;
  let mcp: Connected;
  const file = (...parts: string[]) => path.join(dir, ...parts);
  const cli = (...args: string[]) => {
    const r = baton(dir, [...args, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    return r.json;
  };
  const stage = (spec: string) =>
    /^stage: (\S+)$/m.exec(
      fs.readFileSync(file(".baton/planning", spec, "status.yaml"), "utf8"),
    )?.[1];

  before(async () => {
    dir = makeWorkspace();
    fs.writeFileSync(file("auth.ts"), "export function signIn() {}\n");
    mcp = await connect(dir);
  });
  after(async () => {
    await mcp.client.close();
  });

  test("sessions and topics: seed, spike, plan, list, show, resume", async () => {
    assert.equal((await ok(mcp, "status")).session, null);
    const seed = await ok(mcp, "seed_create", {
      title: "OAuth login",
      body: "Sign in with GitHub",
    });
    assert.match(fs.readFileSync(file(TOPICS, "seed-oauth-login/seed.md"), "utf8"), /GitHub/);
    assert.equal(cli("seed", "--active").session.session_id, seed.session.session_id);

    await ok(mcp, "spike_create", { title: "Token storage", body: "keychain or file?" });
    assert.ok(fs.existsSync(file(TOPICS, "spike-token-storage/spike.md")));
    await ok(mcp, "plan_create", { title: "OAuth rollout", body: "Add GitHub sign-in to auth.ts" });
    assert.match(fs.readFileSync(file(TOPICS, PLAN, "plan.md"), "utf8"), /auth\.ts/);
    assert.equal(cli("seed", "--active").session.plan, PLAN);

    assert.equal((await ok(mcp, "status")).session.root_seed, "seed-oauth-login");
    const topics = await ok(mcp, "topic_list", { type: "spike" });
    assert.deepEqual(
      topics.topics.map((t: { id: string }) => t.id),
      ["spike-token-storage"],
    );
    assert.match(
      (await ok(mcp, "topic_show", { topic_id: "seed-oauth-login" })).document,
      /GitHub/,
    );

    // A second idea archives the first session; resuming it makes it active again.
    await ok(mcp, "seed_create", { title: "Dark mode" });
    assert.equal(cli("seed", "--active").session.root_seed, "seed-dark-mode");
    const listed = await ok(mcp, "session_list", { seed_id: "seed-oauth-login" });
    assert.equal(listed.total, 1);
    assert.equal(listed.sessions[0].state, "archived");
    await ok(mcp, "session_resume", { target: "seed-oauth-login" });
    assert.equal(cli("seed", "--active").session.root_seed, "seed-oauth-login");
    const seedOnly = await ok(mcp, "seed_create", { title: "Later idea", no_session: true });
    assert.equal(seedOnly.session, null);
    assert.equal(cli("seed", "--active").session.root_seed, "seed-oauth-login", "unchanged");
  });

  test("the plan workflow: status, context, conflicts, tasks, verify, next", async () => {
    const before = await ok(mcp, "plan_status", { plan_id: PLAN });
    assert.equal(
      before.phases.find((p: { phase: string }) => p.phase === "structure").state,
      "completed",
    );
    assert.equal(before.current, "context");

    const context = await ok(mcp, "plan_context", { plan_id: PLAN });
    assert.ok(fs.existsSync(file(context.context_package)));
    assert.equal(context.reused, false);
    assert.equal((await ok(mcp, "plan_context", { plan_id: PLAN })).reused, true);
    assert.equal((await ok(mcp, "plan_context", { plan_id: PLAN, refresh: true })).reused, false);

    const conflicts = await ok(mcp, "plan_conflicts", { plan_id: PLAN, recommended: true });
    assert.ok(["skipped", "resolved"].includes(conflicts.action), conflicts.action);
    const workflow = readJson(file(TOPICS, PLAN, "workflow.json"));
    assert.equal(JSON.stringify(workflow).includes('"conflicts"'), true);
    assert.equal((await ok(mcp, "plan_status", { plan_id: PLAN })).current, "tasks");

    const tasks = JSON.stringify([
      { id: "IMPL-1", title: "Add provider", acceptance: ["GitHub sign-in works"] },
      { id: "IMPL-2", title: "Store tokens", depends_on: ["IMPL-1"], acceptance: ["kept"] },
    ]);
    await ok(mcp, "plan_tasks", { plan_id: PLAN, from: tasks });
    assert.equal(readJson(file(TOPICS, PLAN, ".task/IMPL-2.json")).depends_on[0], "IMPL-1");

    const verified = await ok(mcp, "plan_verify", { plan_id: PLAN });
    assert.equal(verified.ok, true);
    assert.equal(readJson(file(verified.verification_json)).plan, PLAN);
    assert.equal(verified.page.total.findings, verified.errors + verified.warnings);

    const next = await ok(mcp, "plan_next", { plan_id: PLAN });
    assert.deepEqual(
      next.next.map((t: { id: string }) => t.id),
      ["IMPL-1"],
    );
    assert.equal(next.page.total.next, 1);
    assert.equal((await ok(mcp, "plan_next", { plan_id: PLAN, limit: 0 })).next.length, 0);

    // One task, by id in any case; no ticket yet.
    const shown = await ok(mcp, "plan_task", { plan_id: PLAN, task_id: "impl-2" });
    assert.equal(shown.task.ref, `plan:${PLAN}#IMPL-2`);
    assert.deepEqual([shown.changed, shown.ticket], [false, null]);
  });

  test("backlog and tickets: create, list, show, set status; a run without a session", async () => {
    const backlog = await ok(mcp, "backlog_create", { limit: 1 });
    assert.equal(backlog.plan, PLAN, "the active session's plan");
    assert.equal(backlog.tickets.length, 1, "the first rows only");
    assert.equal(backlog.page.total.tickets, 2);
    assert.equal(fs.readdirSync(file(".baton/tickets")).filter((f) => f.endsWith(".md")).length, 2);
    assert.equal(cli("seed", "--active").session, null, "the backlog completed the session");

    const tickets = await ok(mcp, "ticket_list", { plan: PLAN });
    assert.equal(tickets.total, 2);
    const id = tickets.tickets[0].id as string;
    assert.match(
      (await ok(mcp, "ticket_show", { ticket_id: id })).title,
      /Add provider|Store tokens/,
    );
    await ok(mcp, "ticket_set_status", { ticket_id: id, status: "in_progress" });
    assert.equal(cli("ticket", "show", id).status, "in_progress");

    // The task side moves the ticket too, and plan_next follows.
    const done = await ok(mcp, "plan_task", { plan_id: PLAN, task_id: "IMPL-1", status: "done" });
    assert.equal(done.task.status, "done");
    assert.equal(done.ticket.status, "done");
    const ticket1 = tickets.tickets.find((t: { task: string }) => t.task === "IMPL-1").id;
    assert.equal(cli("ticket", "show", ticket1).status, "done");
    const after = await ok(mcp, "plan_next", { plan_id: PLAN });
    assert.deepEqual(
      after.next.map((t: { id: string }) => t.id),
      ["IMPL-2"],
    );

    // With no session, a run starts a plan of its own and stops where tasks are needed.
    const run = await ok(mcp, "plan_run", { goal: "Rate limits for the API" });
    assert.equal(run.stopped_at, "tasks");
    assert.ok(fs.existsSync(file(TOPICS, run.plan, "workflow.json")));
  });

  test("specs: new, lint, trace, activate, status, the whole gate, deactivate", async () => {
    await ok(mcp, "spec_new", { name: "oauth-login", title: "OAuth login", from_plan: PLAN });
    assert.ok(fs.existsSync(file(".baton/planning/oauth-login/requirements.md")));
    assert.equal((await ok(mcp, "spec_list")).total, 1);

    const lint = await ok(mcp, "spec_lint", { name: "oauth-login" });
    assert.equal(lint.spec, "oauth-login");
    assert.ok(lint.page.total.findings >= lint.findings.length);
    const trace = await ok(mcp, "spec_trace", { name: "oauth-login" });
    assert.equal(trace.spec, "oauth-login");
    assert.ok(Array.isArray(trace.rows));

    await ok(mcp, "spec_activate", { name: "oauth-login" });
    assert.equal(cli("spec", "list").active, "oauth-login");
    const status = await ok(mcp, "spec_status", {});
    assert.equal(status.spec.name, "oauth-login", "the active spec by default");
    assert.equal(status.tasks.length, status.page.total.tasks);

    const by = { by: "reviewer" };
    const steps: [string, Record<string, unknown>, string][] = [
      ["spec_submit", {}, "in_review"],
      ["spec_request_changes", { comment: "name the scopes" }, "changes_requested"],
      ["spec_submit", {}, "in_review"],
      ["spec_reject", {}, "rejected"],
      ["spec_submit", {}, "in_review"],
      // The submitter may approve only by saying so (recorded).
      ["spec_approve", { self: true }, "approved"],
      ["spec_start", {}, "implementing"],
      // The plan's tasks are still open: completing needs force (recorded).
      ["spec_complete", { force: true }, "done"],
    ];
    const overrides: unknown[] = [];
    for (const [tool, extra, expected] of steps) {
      const r = await ok(mcp, tool, { name: "oauth-login", ...by, ...extra });
      assert.equal(r.stage, expected, tool);
      assert.equal(stage("oauth-login"), expected, `${tool}: status.yaml says so too`);
      if (r.override) overrides.push([tool, r.override.kind]);
    }
    assert.deepEqual(overrides, [
      ["spec_approve", "self_approval"],
      ["spec_complete", "open_tasks"],
    ]);
    assert.match(
      fs.readFileSync(file(".baton/planning/oauth-login/status.yaml"), "utf8"),
      /name the scopes/,
    );
    // A draft started without approval is recorded as forced.
    await ok(mcp, "spec_new", { name: "dark-mode" });
    const forced = await ok(mcp, "spec_start", { name: "dark-mode", force: true, ...by });
    assert.equal(forced.forced, true);
    assert.equal(stage("dark-mode"), "implementing");

    await ok(mcp, "spec_deactivate");
    assert.equal(cli("spec", "list").active, null);
  });

  test("spec setup, branch hint and migrate", async () => {
    fs.writeFileSync(file("billing-spec.md"), "---\nname: billing\n---\n# Billing\n");
    await ok(mcp, "spec_setup", { spec: "billing-spec.md" });
    assert.ok(fs.existsSync(file(".baton/planning/billing/status.yaml")));
    await ok(mcp, "spec_update_branch", { spec: "billing", branch: "feature/billing" });
    assert.match(
      fs.readFileSync(file(".baton/planning/billing/status.yaml"), "utf8"),
      /last_known_branch: "feature\/billing"/,
    );
    // A folder named after its branch (an older layout) is renamed to the spec's name.
    await ok(mcp, "spec_new", { name: "payments" });
    fs.renameSync(file(".baton/planning/payments"), file(".baton/planning/feature-payments"));
    const before = snapshotTree(dir);
    const planned = await ok(mcp, "spec_migrate", { dry_run: true });
    assert.deepEqual(
      planned.moves.map((m: { from: string; to: string }) => [m.from, m.to]),
      [[".baton/planning/feature-payments", ".baton/planning/payments"]],
    );
    assert.deepEqual(snapshotTree(dir), before, "a dry run changes nothing");
    assert.equal((await ok(mcp, "spec_migrate")).changed, true);
    assert.ok(fs.existsSync(file(".baton/planning/payments/status.yaml")));
    assert.ok(!fs.existsSync(file(".baton/planning/feature-payments")));
  });

  test("the journal: add, show, done, archive; resume sees it", async () => {
    const added = await ok(mcp, "journal_add", { kind: "next", text: "Write the sign-in test" });
    assert.equal(added.kind, "next");
    const n = added.n as number;
    await ok(mcp, "journal_add", { kind: "decide", text: "Tokens live in the keychain" });
    await ok(mcp, "journal_add", { kind: "note", text: "GitHub tokens expire after 8 h" });
    const journal = await ok(mcp, "journal_show");
    assert.equal(journal.state.next.at(-1).n, n, "next steps carry the number journal_done takes");
    assert.equal(journal.state.decisions.at(-1).text, "Tokens live in the keychain");

    const ticked = await ok(mcp, "journal_done", { n });
    assert.ok(ticked.step.done_at);
    assert.equal(readJson(file(".baton/journal.json")).next[n - 1].done_at, ticked.step.done_at);
    assert.match(fs.readFileSync(file("PLANNING.md"), "utf8"), /Tokens live in the keychain/);

    // The answer is JSON, packed as `resume --json` packs it, down to the CLI's own minimum.
    const small = baton(dir, ["resume", "--budget", "250", "--json"]).json;
    const brief = await ok(mcp, "resume", { budget: 250 });
    assert.equal(brief.budget, 250);
    assert.deepEqual(brief.sections, small.sections, "the same brief as the CLI's");
    const smallest = await ok(mcp, "resume", { budget: 50 });
    assert.equal(smallest.budget, 50);
    assert.equal(smallest.truncated, true);
    assert.deepEqual(smallest.sections, [], "too small for any section: the state alone");
    assert.equal(smallest.state.next_steps.length, 0);
    assert.deepEqual(
      smallest.sections,
      baton(dir, ["resume", "--budget", "50", "--json"]).json.sections,
    );
    const cliRefusal = baton(dir, ["resume", "--budget", "49", "--json"]).json.error;
    assert.equal((await refused(mcp, "resume", { budget: 49 })).code, cliRefusal.code);
    assert.equal(cliRefusal.code, "INVALID_INPUT");
    assert.match(JSON.stringify((await ok(mcp, "resume")).sections), /keychain/);

    const archived = await ok(mcp, "journal_archive");
    assert.ok(fs.existsSync(file(archived.archived)));
    assert.match(fs.readFileSync(file(archived.archived), "utf8"), /Tokens live in the keychain/);
    assert.deepEqual(readJson(file(".baton/journal.json")).notes, [], "a fresh journal");
  });

  test("work sessions: start, next, claim, heartbeat, release, list, show", async () => {
    await ok(mcp, "spec_new", { name: "impl" });
    fs.writeFileSync(
      file(".baton/planning/impl/tasks.md"),
      "# Tasks\n\n- [ ] 1. One\n- [ ] 2. Two\n  - _Depends: 1_\n- [ ] 3. Three\n",
    );
    await ok(mcp, "spec_start", { name: "impl", force: true });
    const started = await ok(mcp, "work_start", { spec: "impl", task: ["1"], name: "mcp agent" });
    const ws = started.session.id;
    assert.deepEqual(
      started.claimed.map((c: { task: string }) => c.task),
      ["1"],
    );
    const next = await ok(mcp, "work_next", { spec: "impl" });
    assert.deepEqual(
      next.ready.map((t: { id: string }) => t.id),
      ["3"],
    );
    assert.equal(next.page.total.waiting, 2, "1 is claimed, 2 waits for it");
    const claimed = await ok(mcp, "work_claim", { spec: "impl", session: ws });
    assert.equal(claimed.claimed.task, "3");
    const beat = await ok(mcp, "work_heartbeat", { session: ws });
    assert.equal(beat.renewed.length, 2);
    const progress = await ok(mcp, "work_progress", { session: ws, task: "3", percent: 40 });
    assert.equal(progress.percent, 40);
    await ok(mcp, "work_release", { session: ws, task: "3", token: 1 });
    assert.equal(cli("work", "show", ws).claims.length, 1);
    const list = await ok(mcp, "work_list", { spec: "impl" });
    assert.equal(list.sessions[0].id, ws);
    const shown = await ok(mcp, "work_show", { session: ws });
    assert.equal(shown.name, "mcp agent");
    const lost = await refused(mcp, "work_release", { session: ws, task: "1", token: 9 });
    assert.equal(lost.code, "LEASE_LOST");

    const child = (await ok(mcp, "work_spawn", { session: ws, name: "child" })).session.id;
    const sent = await ok(mcp, "work_message", { to: child, text: "hello", from: ws });
    assert.deepEqual(sent.delivered, [child]);
    assert.equal(
      (await ok(mcp, "work_block", { session: child, on: ws, reason: "r" })).to,
      "blocked",
    );
    assert.equal((await ok(mcp, "work_unblock", { session: child })).to, "active");
    assert.equal((await ok(mcp, "work_wait", { session: child, reason: "ask" })).to, "waiting");
    const tree = await ok(mcp, "work_tree", { spec: "impl" });
    assert.deepEqual(
      tree.sessions.map((s: { id: string; depth: number }) => [s.id, s.depth]),
      [
        [ws, 0],
        [child, 1],
      ],
    );
    assert.equal(
      (await ok(mcp, "work_end", { session: child, state: "cancelled" })).to,
      "cancelled",
    );
    const done = await ok(mcp, "work_done", { session: ws, task: "1" });
    assert.equal(done.ticked, true);
    assert.match(fs.readFileSync(file(".baton/planning/impl/tasks.md"), "utf8"), /- \[x\] 1\. One/);
    const timeline = await ok(mcp, "work_timeline", { spec: "impl", limit: 3 });
    assert.equal(timeline.events.length, 3);
    assert.equal(timeline.events.at(-1).type, "work.task_done");
  });

  test("path-like and unknown ids are refused with the CLI's codes, changing nothing", async () => {
    const before = snapshotTree(dir);
    const pathLike = ["../../etc/passwd", "/etc/passwd", "a/b", "..", "x\\y"];
    const idArgs: [string, string, Record<string, unknown>][] = [
      ["session_list", "seed_id", {}],
      ["session_resume", "target", {}],
      ["plan_verify", "plan_id", {}],
      ["plan_context", "plan_id", {}],
      ["plan_conflicts", "plan_id", { recommended: true }],
      ["plan_status", "plan_id", {}],
      ["plan_next", "plan_id", {}],
      ["plan_tasks", "plan_id", {}],
      ["plan_task", "plan_id", { task_id: "IMPL-1" }],
      ["plan_task", "task_id", { plan_id: "plan-oauth-rollout" }],
      ["backlog_create", "plan_id", {}],
      ["topic_show", "topic_id", {}],
      ["ticket_list", "plan", {}],
      ["ticket_show", "ticket_id", {}],
      ["ticket_set_status", "ticket_id", { status: "done" }],
      ["spec_status", "spec", {}],
      ["spec_activate", "name", {}],
      ["spec_new", "name", {}],
      ["spec_new", "from_plan", { name: "fine-name" }],
      ["spec_update_branch", "spec", { branch: "main" }],
      ...["submit", "approve", "reject", "request_changes", "start", "complete"].map(
        (verb) => [`spec_${verb}`, "name", {}] as [string, string, Record<string, unknown>],
      ),
    ];
    for (const [tool, key, rest] of idArgs) {
      for (const value of pathLike) {
        const error = await refused(mcp, tool, { ...rest, [key]: value });
        assert.equal(
          exitCodeFor(error.code as never),
          EXIT.usage,
          `${tool} {${key}: ${value}}: ${error.code} ${error.message}`,
        );
      }
    }
    // Well-formed ids that name nothing: the CLI's not-found codes.
    const missing: [string, Record<string, unknown>, string][] = [
      ["topic_show", { topic_id: "seed-nope" }, "TOPIC_NOT_FOUND"],
      ["plan_status", { plan_id: "plan-nope" }, "TOPIC_NOT_FOUND"],
      ["ticket_show", { ticket_id: "BTN-zzzzzzzz" }, "TICKET_NOT_FOUND"],
      ["spec_status", { spec: "nope" }, "SPEC_NOT_FOUND"],
      ["spec_approve", { name: "nope" }, "SPEC_NOT_FOUND"],
      ["session_resume", { target: "seed-nope" }, "SESSION_NOT_FOUND"],
    ];
    for (const [tool, args, code] of missing) {
      assert.equal((await refused(mcp, tool, args)).code, code, tool);
    }
    // spec_setup takes a path, but only one inside the workspace.
    for (const spec of ["../outside.md", "/etc/passwd"]) {
      assert.equal((await refused(mcp, "spec_setup", { spec })).code, "INVALID_INPUT");
    }
    assert.deepEqual(snapshotTree(dir), before);
  });

  test("import: another tool's task list inside the workspace, dry run first", async () => {
    fs.mkdirSync(file(".taskmaster/tasks"), { recursive: true });
    fs.writeFileSync(
      file(".taskmaster/tasks/tasks.json"),
      JSON.stringify({ master: { tasks: [{ id: 1, title: "Imported", status: "in-progress" }] } }),
    );
    const before = snapshotTree(dir);
    const dry = await ok(mcp, "import", { format: "taskmaster", path: ".", dry_run: true });
    assert.equal(dry.created, 3, "a plan, its task and a ticket");
    assert.deepEqual(snapshotTree(dir), before, "a dry run changes nothing");
    const done = await ok(mcp, "import", { format: "taskmaster", path: "." });
    assert.equal(done.plans[0].id, "plan-taskmaster-master");
    assert.equal(
      readJson(file(TOPICS, "plan-taskmaster-master/.task/T1.json")).status,
      "in_progress",
    );
    assert.equal((await ok(mcp, "import", { format: "taskmaster", path: "." })).created, 0);
    // An agent names paths inside the workspace only.
    assert.equal(
      (await refused(mcp, "import", { format: "taskmaster", path: "/etc" })).code,
      "INVALID_INPUT",
    );
  });

  test("doctor and doctor_fix: the CLI's findings, the repair and what is left", async () => {
    const clean = await ok(mcp, "doctor");
    assert.equal(clean.ok, true, JSON.stringify(clean.findings));
    // A topic folder the catalog lost, as a merge or a crash can leave it.
    fs.mkdirSync(file(TOPICS, "seed-lost-in-merge"), { recursive: true });
    fs.writeFileSync(file(TOPICS, "seed-lost-in-merge", "seed.md"), "# Lost in merge\n");
    const found = await ok(mcp, "doctor");
    const cliFound = baton(dir, ["doctor", "--json"]);
    assert.equal(cliFound.code, exitCodeFor("INTEGRITY_ERRORS"));
    // The same findings, each face naming the commands in its own words.
    const facts = (f: { code: string; file: string; line?: number; fixable: boolean }) => [
      f.code,
      f.file,
      f.line,
      f.fixable,
    ];
    assert.deepEqual(found.findings.map(facts), cliFound.json.findings.map(facts));
    assert.match(found.findings[0].hint, /doctor_fix/);
    assert.equal(found.ok, false);
    assert.deepEqual(
      found.findings.map((f: { code: string; fixable: boolean }) => [f.code, f.fixable]),
      [["TOPIC_UNCATALOGUED", true]],
    );
    const fixed = await ok(mcp, "doctor_fix");
    assert.deepEqual(
      fixed.fixed.map((f: { code: string }) => f.code),
      ["TOPIC_UNCATALOGUED"],
    );
    assert.equal(fixed.ok, true);
    assert.ok(cli("topic", "show", "seed-lost-in-merge").topic);
  });

  test("every tool was called", () => {
    const missed = TOOLS.map((t) => t.name).filter((name) => !mcp.called.has(name));
    assert.deepEqual(missed, []);
  });
});
