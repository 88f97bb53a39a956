import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import {
  AGENTS_BLOCK_BEGIN,
  AGENTS_BLOCK_END,
  AGENTS_BLOCK_TEXT,
} from "../../src/core/agents-block.ts";
import { makeTempRepo, snapshotTree } from "../helpers.ts";
import { assertTreeEqual, ok, read } from "./support.ts";

const posix = process.platform !== "win32";

function blockOf(text: string): string {
  const start = text.indexOf(AGENTS_BLOCK_BEGIN);
  const end = text.indexOf(AGENTS_BLOCK_END);
  assert.ok(start !== -1 && end > start, `no managed block in:\n${text}`);
  return text.slice(start, end + AGENTS_BLOCK_END.length);
}

describe("baton init and the agent instruction files", () => {
  test("creates AGENTS.md with the block that says to run baton resume first", () => {
    const dir = makeTempRepo();
    const r = ok(dir, ["init", "--json"]);
    assert.ok(r.json.written.includes("AGENTS.md"));
    assert.ok(!r.json.written.includes("CLAUDE.md"));
    const text = read(dir, "AGENTS.md");
    assert.ok(text.startsWith(AGENTS_BLOCK_BEGIN));
    assert.ok(text.includes(AGENTS_BLOCK_TEXT), "the text of agents/blocks/agents-md.md");
    assert.match(blockOf(text), /At the start of every conversation, run `baton resume`/);
    assert.ok(!fs.existsSync(path.join(dir, "CLAUDE.md")), "CLAUDE.md is never created");
  });

  test("keeps a person's lines in AGENTS.md and CLAUDE.md, and a second init changes nothing", () => {
    const dir = makeTempRepo();
    const agents = "# Agents\n\nUse pnpm, not npm.";
    const claude = "# Claude\r\n\r\n- Be brief.\r\n";
    fs.writeFileSync(path.join(dir, "AGENTS.md"), agents);
    fs.writeFileSync(path.join(dir, "CLAUDE.md"), claude);
    const r = ok(dir, ["init", "--json"]);
    assert.ok(r.json.written.includes("AGENTS.md") && r.json.written.includes("CLAUDE.md"));
    assert.ok(read(dir, "AGENTS.md").startsWith(`${agents}\n\n${AGENTS_BLOCK_BEGIN}`));
    assert.ok(read(dir, "CLAUDE.md").startsWith(`${claude}\n${AGENTS_BLOCK_BEGIN}`));
    assert.equal(blockOf(read(dir, "AGENTS.md")), blockOf(read(dir, "CLAUDE.md")));

    const before = snapshotTree(dir);
    assert.deepEqual(ok(dir, ["init", "--json"]).json.written, []);
    assertTreeEqual(dir, before, "second init");

    // Lines added after the block, and a stale block, are handled on the next init.
    const stale = read(dir, "AGENTS.md")
      .replace("## Planning with Baton", "## Old heading")
      .concat("\n## Mine, after the block\n");
    fs.writeFileSync(path.join(dir, "AGENTS.md"), stale);
    assert.deepEqual(ok(dir, ["init", "--json"]).json.written, ["AGENTS.md"]);
    const fixed = read(dir, "AGENTS.md");
    assert.ok(fixed.startsWith(`${agents}\n\n${AGENTS_BLOCK_BEGIN}`));
    assert.ok(fixed.endsWith(`${AGENTS_BLOCK_END}\n\n## Mine, after the block\n`));
    assert.ok(!fixed.includes("Old heading"));
    assert.equal(fixed.split(AGENTS_BLOCK_BEGIN).length, 2, "one block");
  });

  test("an existing workspace gets the block on its next init", () => {
    const dir = makeTempRepo();
    ok(dir, ["init"]);
    fs.rmSync(path.join(dir, "AGENTS.md"));
    fs.writeFileSync(path.join(dir, "CLAUDE.md"), "mine\n");
    const r = ok(dir, ["init", "--json"]);
    assert.equal(r.json.created, false);
    assert.deepEqual(r.json.written, ["AGENTS.md", "CLAUDE.md"]);
  });

  test("CLAUDE.md linked to AGENTS.md stays a link", { skip: !posix }, () => {
    const dir = makeTempRepo();
    fs.writeFileSync(path.join(dir, "AGENTS.md"), "# Shared\n");
    fs.symlinkSync("AGENTS.md", path.join(dir, "CLAUDE.md"));
    ok(dir, ["init"]);
    assert.ok(fs.lstatSync(path.join(dir, "CLAUDE.md")).isSymbolicLink());
    const text = read(dir, "AGENTS.md");
    assert.ok(text.startsWith("# Shared\n\n"));
    assert.equal(text.split(AGENTS_BLOCK_BEGIN).length, 2, "one block, not two");

    // The other way round: AGENTS.md is the link; the file it points to is updated.
    const other = makeTempRepo();
    fs.writeFileSync(path.join(other, "CLAUDE.md"), "# Shared\n");
    fs.symlinkSync("CLAUDE.md", path.join(other, "AGENTS.md"));
    ok(other, ["init"]);
    assert.ok(fs.lstatSync(path.join(other, "AGENTS.md")).isSymbolicLink());
    assert.equal(read(other, "CLAUDE.md").split(AGENTS_BLOCK_BEGIN).length, 2);
  });
});
