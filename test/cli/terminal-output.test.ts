import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { baton, knowledge, makeWorkspace } from "../helpers.ts";
import { connect, refused } from "../mcp/support.ts";
import { failsTouchingNothing, ok } from "./support.ts";

const ESC = "\u001b";
const BEL = "\u0007";
/** Retitles a terminal window, clears the screen, and the one-character CSI of C1. */
const ATTACK = `${ESC}]0;owned${BEL}${ESC}[2J\u009b2J`;
/** Any byte a terminal would act on besides tab and line breaks. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is checked
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f-\u009f]/;

describe("terminal control characters", () => {
  test("file contents and titles are printed with their control characters escaped", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Idea"]);
    const file = path.join(dir, "PLANNING.md");
    fs.appendFileSync(file, `\nMy own line ${ATTACK} end\r\n`);
    const shown = ok(dir, ["journal", "show"]);
    assert.doesNotMatch(shown.stdout, RAW_CONTROL);
    assert.ok(
      shown.stdout.includes("My own line \\u001b]0;owned\\u0007\\u001b[2J\\u009b2J end"),
      shown.stdout,
    );
    // --json is the same document to a parser, with nothing raw a terminal would act on.
    const json = ok(dir, ["journal", "show", "--json"]);
    assert.doesNotMatch(json.stdout, RAW_CONTROL);
    assert.equal(json.json.text, fs.readFileSync(file, "utf8"));

    // A task's title comes from text nobody checked: the ticket list shows it escaped.
    ok(dir, ["plan", "Clean up", "--body", `- [ ] wipe ${ESC}[2J the screen\n- [ ] keep`]);
    ok(dir, ["backlog"]);
    const list = ok(dir, ["ticket", "list"]);
    assert.doesNotMatch(list.stdout, RAW_CONTROL);
    assert.match(list.stdout, /wipe \\u001b\[2J the screen/);
  });

  test("error messages and notices quoting input are escaped too", () => {
    const dir = makeWorkspace();
    const r = baton(dir, ["spike", "Findings", "--file", `notes${ATTACK}.md`]);
    assert.equal(r.code, 3, r.stderr);
    assert.doesNotMatch(r.stderr, RAW_CONTROL);
    assert.match(r.stderr, /^error FILE_NOT_FOUND: .*notes\\u001b\]0;owned\\u0007/);
    const json = baton(dir, ["spike", "Findings", "--file", `notes${ATTACK}.md`, "--json"]);
    assert.doesNotMatch(json.stdout, RAW_CONTROL);
    assert.equal(json.json.error.code, "FILE_NOT_FOUND");

    // A title a cloned repository's catalog holds reaches a notice as it is written there.
    ok(dir, ["spike", "Token storage"]);
    const index = knowledge(dir, "index.json");
    const catalog = fs.readFileSync(index, "utf8");
    assert.ok(catalog.includes('"Token storage"'), catalog);
    fs.writeFileSync(index, catalog.replace('"Token storage"', '"Token \u009b2J storage"'));
    const notice = ok(dir, ["spike", "token/storage"]);
    assert.match(notice.stderr, /names the existing spike spike-token-storage/);
    assert.doesNotMatch(notice.stderr, RAW_CONTROL);
    assert.ok(notice.stderr.includes("Token \\u009b2J storage"), notice.stderr);
  });

  test("a title or journal entry holding a control character is refused, on the CLI and over MCP alike", async () => {
    const dir = makeWorkspace();
    for (const args of [
      ["seed", `Idea${ESC}]0;x`],
      ["spike", `Question${ESC}[2J`],
      ["plan", `Plan\u009b2J`, "--body", "- [ ] a"],
      ["plan", "run", `Goal${BEL}`],
      ["journal", "note", `finding ${ESC}[2J`],
    ]) {
      const error = failsTouchingNothing(dir, args, "INVALID_INPUT", 2);
      assert.match(error.message, /holds the control character U\+00(1B|9B|07) at position \d+/);
      assert.doesNotMatch(JSON.stringify(error), RAW_CONTROL);
    }
    // A journal entry may still span lines: they are folded onto one.
    ok(dir, ["journal", "note", "line one\n\tline two"]);

    const cli = failsTouchingNothing(dir, ["spike", `a${ESC}b`], "INVALID_INPUT", 2);
    const mcp = await connect(dir);
    try {
      const before = fs.readdirSync(knowledge(dir, "topics"));
      const viaMcp = await refused(mcp, "spike_create", { title: `a${ESC}b` });
      assert.deepEqual(viaMcp, cli, "the same refusal on both faces");
      for (const tool of ["seed_create", "spike_create", "plan_create"]) {
        const nul = await refused(mcp, tool, { title: "token\u0000storage" });
        assert.equal(nul.code, "INVALID_INPUT");
        assert.match(nul.message, /U\+0000/);
      }
      const note = await refused(mcp, "journal_add", { kind: "note", text: "a\u0000b" });
      assert.equal(note.code, "INVALID_INPUT");
      assert.deepEqual(fs.readdirSync(knowledge(dir, "topics")), before, "no topic was made");
    } finally {
      await mcp.client.close();
    }
  });
});
