import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { MANAGED_MARKER } from "../../src/core/agent-targets.ts";
import { makeTempRepo, snapshotTree } from "../helpers.ts";
import { assertTreeEqual, ok, read, write } from "./support.ts";

const posix = process.platform !== "win32";
const MARKED = `---\n# ${MANAGED_MARKER}\ndescription: "a command Baton no longer ships"\n---\n\nOld.\n`;

function exists(dir: string, rel: string): boolean {
  return fs.existsSync(path.join(dir, rel));
}

function actions(json: any): Record<string, string> {
  return Object.fromEntries(
    json.files.map((f: { path: string; action: string }) => [f.path, f.action]),
  );
}

describe("baton init --agent and files Baton no longer installs", () => {
  test("marked files in Baton's folders are removed and reported; the user's stay", () => {
    const dir = makeTempRepo();
    ok(dir, ["init", "--agent", "claude"]);
    const obsolete = [
      ".claude/commands/baton/obsolete.md",
      ".claude/skills/baton-planning/flows/old-flow.md",
    ];
    for (const rel of obsolete) write(dir, rel, MARKED);
    const kept = {
      ".claude/commands/baton/mine.md": "my own command, no marker\n",
      ".claude/commands/other.md": MARKED, // not Baton's folder
      ".cursor/commands/baton-old.md": MARKED, // cursor was not asked for
    };
    for (const [rel, text] of Object.entries(kept)) write(dir, rel, text);

    const before = snapshotTree(dir);
    const dry = ok(dir, ["init", "--agent", "claude", "--dry-run", "--json"]);
    assertTreeEqual(dir, before, "init --dry-run");
    assert.deepEqual(dry.json.removed, []);
    const planned = actions(dry.json);
    for (const rel of obsolete) assert.equal(planned[rel], "remove", rel);
    for (const rel of Object.keys(kept)) assert.equal(planned[rel], undefined, rel);
    const text = ok(dir, ["init", "--agent", "claude", "--dry-run"]).stdout;
    assert.match(text, /^ {2}remove +\.claude\/commands\/baton\/obsolete\.md$/m);
    assertTreeEqual(dir, before, "init --dry-run, text output");

    const r = ok(dir, ["init", "--agent", "claude", "--json"]);
    assert.deepEqual(r.json.removed.sort(), [...obsolete].sort());
    assert.deepEqual(r.json.written, []);
    for (const rel of obsolete) assert.ok(!exists(dir, rel), `${rel} still there`);
    for (const [rel, text] of Object.entries(kept)) assert.equal(read(dir, rel), text, rel);
    assert.ok(exists(dir, ".claude/commands/baton/seed.md"), "current commands stay");

    const again = ok(dir, ["init", "--agent", "claude", "--json"]);
    assert.deepEqual([again.json.removed, again.json.written], [[], []]);
    assert.ok(!Object.values(actions(again.json)).includes("remove"));
  });

  test("in a folder shared with the user, only Baton's marked baton-… files go", () => {
    const dir = makeTempRepo();
    write(dir, ".cursor/commands/baton-old.md", `<!-- ${MANAGED_MARKER} -->\n\nOld.\n`);
    write(dir, ".cursor/commands/baton-mine.md", "mine, unmarked\n");
    write(dir, ".cursor/commands/review.md", `<!-- ${MANAGED_MARKER} -->\n\nNot baton-.\n`);
    const r = ok(dir, ["init", "--agent", "cursor"]);
    assert.match(r.stdout, /removed: +\.cursor\/commands\/baton-old\.md \(obsolete\)/);
    assert.ok(!exists(dir, ".cursor/commands/baton-old.md"));
    assert.equal(read(dir, ".cursor/commands/baton-mine.md"), "mine, unmarked\n");
    assert.ok(exists(dir, ".cursor/commands/review.md"));
    assert.ok(exists(dir, ".cursor/commands/baton-seed.md"));
  });

  test("a symbolic link in Baton's folder is not followed nor removed", { skip: !posix }, () => {
    const dir = makeTempRepo();
    ok(dir, ["init", "--agent", "gemini"]);
    write(dir, "elsewhere/target.toml", `# ${MANAGED_MARKER}\n`);
    fs.symlinkSync(
      path.join(dir, "elsewhere", "target.toml"),
      path.join(dir, ".gemini/commands/baton/link.toml"),
    );
    fs.symlinkSync(path.join(dir, "elsewhere"), path.join(dir, ".gemini/commands/baton/sub"));
    const r = ok(dir, ["init", "--agent", "gemini", "--json"]);
    assert.deepEqual(r.json.removed, []);
    assert.ok(fs.lstatSync(path.join(dir, ".gemini/commands/baton/link.toml")).isSymbolicLink());
    assert.ok(exists(dir, "elsewhere/target.toml"));
  });
});
