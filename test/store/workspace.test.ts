import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { baton, knowledge, makeWorkspace, snapshotTree } from "../helpers.ts";
import { removeDir } from "./procs.ts";

function configFile(dir: string): string {
  return path.join(dir, ".baton", "config.yaml");
}

/** Runs `args` with --json, expects `code`, and checks that no file changed. */
function refused(dir: string, args: string[], code: string): { message: string; hint: string } {
  const before = snapshotTree(dir);
  const result = baton(dir, [...args, "--json"]);
  assert.equal(
    result.json?.error?.code,
    code,
    `${args.join(" ")}: ${result.stdout}${result.stderr}`,
  );
  assert.equal(result.code, 5);
  assert.deepEqual(snapshotTree(dir), before, `${args.join(" ")} changed nothing`);
  return result.json.error;
}

describe("config.yaml that is cut off or points at a folder that is not there", () => {
  test("a truncated config is refused by reads and writes alike, the journal untouched", (t) => {
    const dir = makeWorkspace();
    t.after(() => removeDir(dir));
    assert.equal(baton(dir, ["seed", "Live state"]).code, 0);
    assert.equal(baton(dir, ["journal", "note", "keep me"]).code, 0);
    const full = fs.readFileSync(configFile(dir), "utf8");
    // The file cut off in the middle of its first path.
    const cut = full.slice(
      0,
      full.indexOf("knowledgeDir: .baton/knowledge") + "knowledgeDir: .baton/knowledg".length,
    );
    fs.writeFileSync(configFile(dir), cut);
    for (const args of [
      ["spike", "Elsewhere"],
      ["status"],
      ["journal", "note", "x"],
      ["seed", "--active"],
    ]) {
      const error = refused(dir, args, "CORRUPT_FILE");
      assert.match(error.message, /knowledgeDir/);
      assert.match(error.message, /\.baton\/knowledg\b/);
      assert.match(error.hint, /restore|move/);
    }
    assert.equal(fs.existsSync(path.join(dir, ".baton", "knowledg")), false);
    assert.match(fs.readFileSync(path.join(dir, "PLANNING.md"), "utf8"), /keep me/);
    assert.equal(fs.readdirSync(path.join(dir, ".baton", "archive")).length, 0);
  });

  test("a config cut off mid-key, or with a key Baton does not know, is CORRUPT_FILE", (t) => {
    const dir = makeWorkspace();
    t.after(() => removeDir(dir));
    const full = fs.readFileSync(configFile(dir), "utf8");
    for (const bad of [
      full.slice(0, full.indexOf("knowledgeDir") + "knowledgeD".length),
      full.slice(0, full.indexOf("  prefix:") + "  pre".length),
      full.replace("archiveDir:", "archiveDri:"),
      `${full}extra: 1\n`,
    ]) {
      fs.writeFileSync(configFile(dir), bad);
      refused(dir, ["seed", "Foo"], "CORRUPT_FILE");
    }
  });

  test("a folder really moved first, or a default one still empty, is followed", (t) => {
    const dir = makeWorkspace();
    t.after(() => removeDir(dir));
    assert.equal(baton(dir, ["seed", "Moving"]).code, 0);
    fs.mkdirSync(path.join(dir, ".state"));
    fs.renameSync(knowledge(dir), path.join(dir, ".state", "knowledge"));
    const full = fs.readFileSync(configFile(dir), "utf8");
    fs.writeFileSync(
      configFile(dir),
      full
        .replace("knowledgeDir: .baton/knowledge", "knowledgeDir: .state/knowledge")
        // The tickets folder init made holds nothing yet: nothing to lose by pointing elsewhere.
        .replace("dir: .baton/tickets", "dir: .state/tickets"),
    );
    const active = baton(dir, ["seed", "--active", "--json"]);
    assert.equal(active.code, 0, active.stderr);
    assert.equal(active.json.session.root_seed, "seed-moving");
    assert.equal(baton(dir, ["spike", "After the move"]).code, 0);
    assert.ok(
      fs.existsSync(path.join(dir, ".state", "knowledge", "topics", "spike-after-the-move")),
    );
  });
});

describe("events.jsonl is checked like every other state file", () => {
  const log = (dir: string) => path.join(dir, ".baton", "events.jsonl");

  test("a line from a newer Baton, or of garbage, refuses the next write; fixed, it works", (t) => {
    const dir = makeWorkspace();
    t.after(() => removeDir(dir));
    assert.equal(baton(dir, ["seed", "Events"]).code, 0);
    const good = fs.readFileSync(log(dir), "utf8");
    const newer = `${JSON.stringify({ schema_version: 99, at: "2030-01-01T00:00:00.000Z", type: "x" })}\n`;
    const lines = good.split("\n");
    // Deep in the file, far from the end readers look at, then at the end.
    const middle = (bad: string) => `${lines[0]}\n${bad}${lines.slice(1).join("\n")}`;
    for (const [text, code] of [
      [middle(newer), "SCHEMA_TOO_NEW"],
      [middle("<<<<<<< HEAD\n"), "CORRUPT_FILE"],
      [middle("[1, 2]\n"), "CORRUPT_FILE"],
      [`${good}${newer}`, "SCHEMA_TOO_NEW"],
      [`${good}not json at all\n`, "CORRUPT_FILE"],
    ] as const) {
      fs.writeFileSync(log(dir), text);
      const error = refused(dir, ["spike", "Refused"], code);
      assert.match(error.message, /events\.jsonl/);
      assert.equal(fs.existsSync(knowledge(dir, "topics", "spike-refused")), false);
    }
    // Readers that show events refuse a bad line they read.
    fs.writeFileSync(log(dir), `${good}not json at all\n`);
    assert.equal(baton(dir, ["resume", "--json"]).json?.error?.code, "CORRUPT_FILE");
    fs.writeFileSync(log(dir), good);
    assert.equal(baton(dir, ["spike", "Accepted"]).code, 0);
    assert.ok(fs.readFileSync(log(dir), "utf8").startsWith(good));
  });

  test("a torn last line stays tolerated: reads skip it, the next write replaces it", (t) => {
    const dir = makeWorkspace();
    t.after(() => removeDir(dir));
    assert.equal(baton(dir, ["seed", "Torn"]).code, 0);
    const good = fs.readFileSync(log(dir), "utf8");
    fs.writeFileSync(log(dir), `${good}{"schema_version":1,"at":"2026-01-0`);
    assert.equal(baton(dir, ["resume"]).code, 0);
    assert.equal(baton(dir, ["spike", "After"]).code, 0);
    const text = fs.readFileSync(log(dir), "utf8");
    assert.ok(text.startsWith(good));
    for (const line of text.split("\n").filter((l) => l !== "")) JSON.parse(line);
  });
});
