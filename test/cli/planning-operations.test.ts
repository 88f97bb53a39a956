/**
 * The planning verbs (seed and its modes, spike, plan, backlog, topic list/show) are declared
 * once in src/app/planning/ and their commands and tools derived: what the derivation must keep
 * of the hand-written faces they replaced — one `seed` command for four operations, its help,
 * the `action` its --json answer starts with, each face's own words for an argument.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { OPERATIONS } from "../../src/app/operations.ts";
import { commandHelp } from "../../src/cli/help.ts";
import { type Io, run } from "../../src/cli/main.ts";
import { findCommand } from "../../src/cli/registry.ts";
import type { CommandSpec } from "../../src/cli/spec.ts";
import { deriveTools } from "../../src/mcp/derive.ts";
import { makeWorkspace } from "../helpers.ts";

async function inProcess(cwd: string, argv: string[]): Promise<{ code: number; json: any }> {
  let out = "";
  const io: Io = { stdout: (t) => (out += t), stderr: () => {}, cwd };
  const code = await run([...argv, "--json"], io);
  return { code, json: JSON.parse(out) };
}

function command(words: string[]): CommandSpec {
  const found = findCommand(words);
  assert.ok(found && found.used === words.length, `baton ${words.join(" ")} is a command`);
  return found.command;
}

describe("baton seed: four operations on one path", () => {
  test("help: an optional title, every mode's flag in order, the file flag's own placeholder", () => {
    const help = commandHelp(command(["seed"]));
    assert.ok(help.startsWith("baton seed [<title>] [options]\n"), help);
    const block = (name: string) => help.split(`${name}:\n`)[1]?.split("\n\n")[0];
    assert.equal(
      block("Arguments"),
      "  <title>                            the idea, in a few words (optional)",
    );
    assert.equal(
      block("Options"),
      [
        "  --body <text>                      the topic's text",
        "  --file <path>                      read the topic's text from a file (- for stdin)",
        "  --no-session                       create the seed only; do not start or archive a session",
        "  --active                           print the active session, or none",
        "  --sessions                         list archived and completed sessions (optionally of one seed)",
        "  --resume <seed-id|session-id>      reactivate an archived session (a seed id: its latest)",
      ].join("\n"),
    );
    assert.deepEqual(block("Examples")?.split("\n"), [
      '  baton seed "OAuth login" --body "Users sign in with GitHub"',
      "  baton seed --active",
      "  baton seed --sessions seed-oauth-login",
      "  baton seed --resume seed-oauth-login",
    ]);
    // One path, one positional each: spike and plan need their title.
    assert.match(commandHelp(command(["spike"])), /^baton spike <title> \[options\]\n/);
    assert.match(
      commandHelp(command(["plan"])),
      /\n {2}--file <path> +read the topic's text from a file/,
    );
  });

  test("--json says which operation ran: action create, active, sessions or resume", async () => {
    const dir = makeWorkspace();
    const created = await inProcess(dir, ["seed", "First idea", "-q"]);
    assert.equal(created.code, 0);
    assert.deepEqual(Object.keys(created.json), [
      "action",
      "topic",
      "session",
      "archived",
      "already_active",
    ]);
    assert.equal(created.json.action, "create");
    const first = created.json.session.session_id;
    assert.equal((await inProcess(dir, ["seed", "Second idea", "-q"])).json.action, "create");

    const active = await inProcess(dir, ["seed", "--active"]);
    assert.deepEqual(Object.keys(active.json), ["action", "session"]);
    assert.equal(active.json.action, "active");

    const sessions = await inProcess(dir, ["seed", "--sessions"]);
    assert.deepEqual(Object.keys(sessions.json), ["action", "sessions"]);
    assert.equal(sessions.json.action, "sessions");
    assert.deepEqual(
      sessions.json.sessions.map((s: { session_id: string }) => s.session_id),
      [first],
    );

    const resumed = await inProcess(dir, ["seed", "--resume", first, "-q"]);
    assert.deepEqual(Object.keys(resumed.json), [
      "action",
      "session",
      "archived",
      "already_active",
    ]);
    assert.equal(resumed.json.action, "resume");
    assert.equal(resumed.json.session.session_id, first);
  });

  test("a title given as blank text is a missing title: USAGE, nothing created", async () => {
    const dir = makeWorkspace();
    for (const argv of [
      ["seed", ""],
      ["seed", "   "],
      ["spike", " "],
      ["plan", ""],
    ]) {
      const r = await inProcess(dir, argv);
      assert.equal(r.code, 2, argv.join(" "));
      assert.equal(r.json.error.code, "USAGE", `${argv.join(" ")}: ${r.json.error.message}`);
    }
    assert.equal((await inProcess(dir, ["topic", "list"])).json.total, 0);
  });
});

describe("the planning tools derived from the same operations", () => {
  const tools = new Map(deriveTools(OPERATIONS).map((t) => [t.name, t]));
  const tool = (name: string) => {
    const t = tools.get(name);
    assert.ok(t, `${name} is a tool`);
    return t;
  };

  test("each tool is titled by the CLI invocation it mirrors, mode flag included", () => {
    assert.equal(tool("seed_create").title, "baton seed");
    assert.equal(tool("session_list").title, "baton seed --sessions");
    assert.equal(tool("session_resume").title, "baton seed --resume");
    assert.equal(tool("backlog_create").title, "baton backlog");
    for (const name of ["seed_create", "session_list", "session_resume"]) {
      assert.equal(tool(name).cli, "seed");
    }
    // `seed --active` is no tool: session_list answers with the active session.
    assert.ok(![...tools.values()].some((t) => t.title === "baton seed --active"));
  });

  test("an argument's words for an agent are its own where the CLI's need the command around them", () => {
    const described = (name: string, key: string) => {
      const schema = tool(name).input as {
        properties: Record<string, { description?: string }>;
      };
      return schema.properties[key]?.description;
    };
    assert.equal(described("seed_create", "title"), "the idea in a few words");
    assert.equal(described("seed_create", "body"), "Markdown body of the document");
    assert.equal(described("topic_show", "topic_id"), "topic id, e.g. seed-oauth-login");
    assert.equal(
      described("session_resume", "target"),
      "seed id or session id, e.g. seed-oauth-login",
    );
    assert.equal(described("topic_list", "limit"), "rows per list (default 20; 0: totals only)");
    const help = commandHelp(command(["topic", "show"]));
    assert.match(help, /\n {2}<topic-id> +e\.g\. seed-oauth-login\n/);
  });

  test("session_list pages and carries the active session; backlog_create takes only a limit", () => {
    assert.deepEqual(Object.keys(tool("session_list").input.properties ?? {}), [
      "seed_id",
      "limit",
      "offset",
    ]);
    assert.deepEqual(tool("session_list").pages, ["sessions"]);
    assert.deepEqual(Object.keys(tool("backlog_create").input.properties ?? {}), [
      "plan_id",
      "limit",
    ]);
    assert.equal(tool("backlog_create").pages, undefined);
    assert.equal(
      tool("backlog_create").more,
      "list the plan's tickets with ticket_list {plan, offset}",
    );
    assert.deepEqual(tool("topic_list").pages, ["topics"]);
  });
});
