import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { BATON_BIN, baton, makeWorkspace, snapshotTree } from "../helpers.ts";
import { CAP, type Connected, call, connect, ok, readText } from "./support.ts";

describe("baton mcp", () => {
  let dir: string;
  let mcp: Connected;

  before(async () => {
    dir = makeWorkspace();
    mcp = await connect(dir);
  });
  after(async () => {
    await mcp.client.close();
  });

  test("initializes as baton and lists the tool families with schemas", async () => {
    assert.equal(mcp.client.getServerVersion()?.name, "baton");
    const { tools } = await mcp.client.listTools();
    const names = tools.map((t) => t.name);
    for (const name of [
      "status",
      "resume",
      "session_list",
      "seed_create",
      "topic_list",
      "backlog_create",
      "ticket_list",
      "ticket_set_status",
      "spec_list",
      "spec_approve",
      "journal_add",
    ]) {
      assert.ok(names.includes(name), `missing tool ${name}`);
    }
    const setStatus = tools.find((t) => t.name === "ticket_set_status");
    const statusSchema = setStatus?.inputSchema.properties?.status as { enum?: string[] };
    assert.deepEqual(statusSchema.enum, ["todo", "in_progress", "blocked", "done", "cancelled"]);
    assert.deepEqual(setStatus?.inputSchema.required?.sort(), ["status", "ticket_id"]);
  });

  test("every tool family works end to end", async () => {
    const status = await ok(mcp, "status");
    assert.equal(status.session, null);

    const seed = await ok(mcp, "seed_create", { title: "OAuth login" });
    assert.equal(seed.topic.id, "seed-oauth-login");
    assert.ok(seed.session);
    await ok(mcp, "spike_create", { title: "Token storage" });
    await ok(mcp, "plan_create", {
      title: "OAuth rollout",
      body: "- [ ] Add provider\n- [ ] Store tokens\n",
    });
    const sessions = await ok(mcp, "session_list");
    assert.equal(sessions.active.root_seed, "seed-oauth-login");
    assert.equal(sessions.total, 0);

    const topics = await ok(mcp, "topic_list", { limit: 2 });
    assert.equal(topics.total, 3);
    assert.equal(topics.topics.length, 2);
    const shown = await ok(mcp, "topic_show", { topic_id: "plan-oauth-rollout" });
    assert.match(shown.document, /Add provider/);

    await ok(mcp, "backlog_create", {});
    assert.equal((await ok(mcp, "session_list")).total, 1, "the completed session");
    const tickets = await ok(mcp, "ticket_list", { status: "todo" });
    assert.equal(tickets.total, 2);
    const first = tickets.tickets[0].id as string;
    const set = await ok(mcp, "ticket_set_status", {
      ticket_id: first,
      status: "in_progress",
    });
    assert.equal(set.ticket.status, "in_progress");
    // The old spelling of todo is read as todo, as on the CLI.
    assert.equal((await ok(mcp, "ticket_list", { status: "pending" })).total, 1);
    assert.match((await ok(mcp, "ticket_show", { ticket_id: first })).body, /Add provider|Store/);

    await ok(mcp, "journal_add", { kind: "decide", text: "Tokens live in the keychain" });
    const journal = await ok(mcp, "journal_show");
    assert.equal(journal.state.decisions.at(-1).text, "Tokens live in the keychain");

    const brief = await ok(mcp, "resume", { budget: 800 });
    assert.ok(JSON.stringify(brief).length > 0);

    const specs = await ok(mcp, "spec_list");
    assert.equal(specs.total, 0);
    await ok(mcp, "spec_new", { name: "oauth-login", from_plan: "plan-oauth-rollout" });
    const spec = await ok(mcp, "spec_status", { spec: "oauth-login" });
    assert.ok(JSON.stringify(spec).includes("oauth-login"));
    const gate = await call(mcp, "spec_approve", { name: "oauth-login" });
    // Approving a draft that was never submitted is refused with the CLI's state code.
    if (gate.isError) assert.equal(gate.data.code, "STATE_CONFLICT");
  });

  test("errors carry the CLI's codes and a path-like id changes nothing", async () => {
    const before = snapshotTree(dir);
    const unknown = await call(mcp, "ticket_show", { ticket_id: "BTN-zzzzzzzz" });
    assert.equal(unknown.isError, true);
    assert.equal(unknown.data.code, "TICKET_NOT_FOUND");
    assert.ok(unknown.data.hint);
    for (const [name, args] of [
      ["topic_show", { topic_id: "../../etc/passwd" }],
      ["ticket_set_status", { ticket_id: "../BTN-aaaaaaaa", status: "done" }],
      ["session_resume", { target: "/etc/passwd" }],
      ["spec_activate", { name: "../outside" }],
    ] as const) {
      const r = await call(mcp, name, args);
      assert.equal(r.isError, true, `${name} accepted ${JSON.stringify(args)}`);
      assert.ok(
        ["INVALID_ID", "INVALID_INPUT", "USAGE"].includes(r.data.code),
        `${name}: ${r.text}`,
      );
    }
    for (const [name, args] of [
      ["ticket_set_status", { ticket_id: "BTN-aaaaaaaa", status: "finished" }],
      ["topic_show", { id: "seed-x" }],
      ["topic_list", { limit: -1 }],
      ["topic_list", { limit: 101 }],
    ] as const) {
      const r = await call(mcp, name, args);
      assert.equal(r.isError, true);
      assert.equal(r.data.code, "INVALID_INPUT", r.text);
      assert.match(r.data.hint, /inputSchema/);
    }
    const unknownTool = await call(mcp, "drop_everything");
    assert.equal(unknownTool.data.code, "USAGE");
    assert.deepEqual(snapshotTree(dir), before);
  });

  test("a CLI write between two calls is seen by the second", async () => {
    const first = await ok(mcp, "topic_list", { type: "spike" });
    const r = baton(dir, ["spike", "Rate limits", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const second = await ok(mcp, "topic_list", { type: "spike" });
    assert.equal(second.total, first.total + 1);
  });

  test("plan tools read the task graph the CLI imported", async () => {
    baton(dir, ["plan", "Graph", "--body", "x"]);
    const imported = baton(
      dir,
      ["plan", "tasks", "plan-graph", "--from", "-", "--skip-context"],
      {},
      "- [ ] One\n- [ ] Two\n",
    );
    assert.equal(imported.code, 0, imported.stderr);
    const next = await ok(mcp, "plan_next", { plan_id: "plan-graph" });
    assert.deepEqual(
      next.next.map((t: { id: string }) => t.id),
      ["IMPL-1", "IMPL-2"],
    );
    await ok(mcp, "plan_task", { plan_id: "plan-graph", task_id: "IMPL-1", status: "done" });
    const back = await ok(mcp, "plan_task", {
      plan_id: "plan-graph",
      task_id: "IMPL-1",
      status: "pending",
    });
    assert.deepEqual([back.previous, back.task.status], ["done", "todo"]);
    const verified = await ok(mcp, "plan_verify", { plan_id: "plan-graph" });
    assert.ok(JSON.stringify(verified).includes("plan-graph"));
    const missing = await call(mcp, "plan_next", { plan_id: "plan-nope" });
    assert.equal(missing.isError, true);
    assert.equal(missing.data.code, "TOPIC_NOT_FOUND");
  });

  test("resources: journal, active session, specs; prompts from agents/commands", async () => {
    const { resources } = await mcp.client.listResources();
    const uris = resources.map((r) => r.uri);
    for (const uri of ["baton://journal", "baton://session/active", "baton://specs"]) {
      assert.ok(uris.includes(uri), `missing resource ${uri}`);
    }
    assert.ok(uris.includes("baton://specs/oauth-login"));
    assert.match(await readText(mcp, "baton://journal"), /Tokens live in the keychain/);
    assert.match(await readText(mcp, "baton://specs/oauth-login"), /oauth-login/);

    const { prompts } = await mcp.client.listPrompts();
    const expected = fs
      .readdirSync(path.join(import.meta.dirname, "..", "..", "agents", "commands"))
      .map((f) => f.replace(/\.md$/, ""))
      .sort();
    assert.deepEqual(prompts.map((p) => p.name).sort(), expected);
    const seed = await mcp.client.getPrompt({
      name: "seed",
      arguments: { idea: "Dark mode" },
    });
    const content = seed.messages[0]?.content;
    const text = content?.type === "text" ? content.text : "";
    assert.match(text, /Dark mode/);
    assert.doesNotMatch(text, /\$ARGUMENTS/);
  });

  test("list results stay small and under the size cap", async () => {
    for (let i = 0; i < 30; i++) baton(dir, ["spike", `Spike number ${i}`]);
    const page = await call(mcp, "topic_list");
    assert.equal(page.data.topics.length, 20, "default page is 20 rows");
    assert.ok(page.data.total > 20);
    assert.equal(page.data.truncated, undefined, "a default page needs no cut");
    const big = "x".repeat(30_000);
    await ok(mcp, "plan_create", { title: "Huge", body: big });
    const shown = await call(mcp, "topic_show", { topic_id: "plan-huge" });
    assert.ok(shown.bytes <= CAP && shown.bytes > CAP - 1_000, `${shown.bytes} B`);
    // The record is still itself: the long text is shortened in place, the rest intact.
    assert.equal(shown.data.topic.id, "plan-huge");
    assert.equal(shown.data.truncated.field, "document");
    assert.equal(shown.data.truncated.unit, "bytes");
    assert.ok(shown.data.truncated.total > 30_000);
    assert.equal(shown.data.truncated.shown, Buffer.byteLength(shown.data.document));
    assert.match(shown.data.truncated.hint, /topic\.path/);
  });

  test("stdout carries only MCP messages; notices go to stderr", async () => {
    // A malformed line would have failed the client's parser; the connection is still usable.
    await ok(mcp, "status");
    assert.doesNotMatch(mcp.stderr(), /Error:/);
  });
  test("plan_tasks takes the list inline; spec setup, branch hint and journal archive work", async () => {
    baton(dir, ["plan", "Inline", "--body", "x"]);
    const cyclic = JSON.stringify([
      { id: "IMPL-1", title: "A", depends_on: ["IMPL-2"], acceptance: ["a"] },
      { id: "IMPL-2", title: "B", depends_on: ["IMPL-1"], acceptance: ["b"] },
    ]);
    const before = snapshotTree(dir);
    const refused = await call(mcp, "plan_tasks", { plan_id: "plan-inline", from: cyclic });
    assert.equal(refused.isError, true);
    assert.equal(refused.data.code, "PLAN_INVALID");
    assert.deepEqual(snapshotTree(dir), before, "a refused task list changes nothing");
    const tasks = JSON.stringify([
      { id: "IMPL-1", title: "A", acceptance: ["a"] },
      { id: "IMPL-2", title: "B", depends_on: ["IMPL-1"], acceptance: ["b"] },
    ]);
    const pending = await call(mcp, "plan_tasks", { plan_id: "plan-inline", from: tasks });
    assert.equal(pending.data.code, "STATE_CONFLICT", "phases 2 and 3 never ran");
    await ok(mcp, "plan_tasks", { plan_id: "plan-inline", from: tasks, skip_context: true });
    assert.ok(
      fs.existsSync(path.join(dir, ".baton/knowledge/topics/plan-inline/.task/IMPL-2.json")),
    );
    const next = await ok(mcp, "plan_next", { plan_id: "plan-inline" });
    assert.deepEqual(
      next.next.map((t: { id: string }) => t.id),
      ["IMPL-1"],
    );

    fs.writeFileSync(path.join(dir, "auth-spec.md"), "---\nname: auth-flow\n---\n# Auth\n");
    await ok(mcp, "spec_setup", { spec: "auth-spec.md" });
    await ok(mcp, "spec_update_branch", { spec: "auth-flow", branch: "feature/auth" });
    const status = fs.readFileSync(path.join(dir, ".baton/planning/auth-flow/status.yaml"), "utf8");
    assert.match(status, /last_known_branch: "feature\/auth"/);
    const migrated = await ok(mcp, "spec_migrate", { dry_run: true });
    assert.ok(migrated);

    const archived = await ok(mcp, "journal_archive");
    assert.match(archived.archived, /PLANNING-\d{4}-\d{2}-\d{2}-\d{6}(-\d+)?\.md$/);
  });
});

describe("stdio", () => {
  test("every stdout line is a JSON-RPC message, even when a write prints a notice", () => {
    const dir = makeWorkspace();
    baton(dir, ["seed", "First idea"]);
    const lines = [
      {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "raw", version: "1" },
        },
      },
      { jsonrpc: "2.0", method: "notifications/initialized" },
      // Attaches to the active session, which the CLI announces as a notice.
      {
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { name: "spike_create", arguments: { title: "Probe" } },
      },
    ];
    const r = spawnSync(process.execPath, [BATON_BIN, "mcp"], {
      cwd: dir,
      input: `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout.trimEnd().split("\n");
    assert.equal(out.length, 2);
    for (const line of out) assert.equal(JSON.parse(line).jsonrpc, "2.0");
    assert.match(r.stderr, /\[baton\]/, "the notice went to stderr");
  });
});

describe("loading", () => {
  test("other commands do not load the MCP bundle", () => {
    const dir = makeWorkspace();
    const cli = fs.readFileSync(path.join(path.dirname(BATON_BIN), "baton-cli.js"), "utf8");
    assert.doesNotMatch(cli, /modelcontextprotocol|registerTool/);
    const probe = path.join(dir, "probe.cjs");
    fs.writeFileSync(
      probe,
      `const M = require("node:module");\nconst load = M._load;\nconst seen = [];\nM._load = function (req, ...rest) { seen.push(req); return load.call(this, req, ...rest); };\nprocess.on("exit", () => process.stderr.write("LOADED " + JSON.stringify(seen)));\n`,
    );
    const r = spawnSync(process.execPath, ["--require", probe, BATON_BIN, "status"], {
      cwd: dir,
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
    const loaded = JSON.parse(r.stderr.split("LOADED ")[1] ?? "[]") as string[];
    assert.ok(
      loaded.some((m) => m.endsWith(path.join("cli", "status.js"))),
      loaded.join(", "),
    );
    assert.ok(!loaded.some((m) => m.includes("baton-mcp")), loaded.join(", "));
  });
});
