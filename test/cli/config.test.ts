import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { baton, makeTempRepo, makeWorkspace, readJson, snapshotTree } from "../helpers.ts";
import {
  activePlanningSession,
  assertTreeEqual,
  fails,
  failsTouchingNothing,
  ok,
  read,
} from "./support.ts";

function config(dir: string): string {
  return read(dir, ".baton", "config.yaml");
}

describe("baton init", () => {
  test("writes config.yaml with every setting and .gitignore entries", () => {
    const dir = makeTempRepo();
    const r = ok(dir, ["init", "--json"]);
    assert.equal(r.json.created, true);
    assert.equal(fs.realpathSync(r.json.root), fs.realpathSync(dir));
    const text = config(dir);
    for (const line of [
      /^schema_version: 1$/m,
      /^workflow:\n {2}knowledgeDir: \.baton\/knowledge$/m,
      /^planning:\n {2}dir: \S+$/m,
      /^journal:\n {2}file: \S+\n {2}archiveDir: \S+$/m,
      /^tickets:\n {2}prefix: BTN$/m,
    ]) {
      assert.match(text, line);
    }
    const ignore = read(dir, ".gitignore");
    assert.ok(ignore.includes("/.baton/.lock"), ignore);
    assert.ok(ignore.includes("/.baton/planning/.active"), ignore);
    // The per-machine files really are ignored by git.
    fs.mkdirSync(path.join(dir, ".baton", "planning"), { recursive: true });
    fs.writeFileSync(path.join(dir, ".baton", "planning", ".active"), "x");
    fs.writeFileSync(path.join(dir, ".baton", ".lock"), "x");
    const ignored = spawnSync("git", ["check-ignore", ".baton/planning/.active", ".baton/.lock"], {
      cwd: dir,
      encoding: "utf8",
    });
    assert.equal(ignored.stdout.trim().split("\n").length, 2, ignored.stdout);
    const tracked = spawnSync("git", ["check-ignore", ".baton/config.yaml"], { cwd: dir });
    assert.notEqual(tracked.status, 0, "config.yaml is not ignored");
    assert.ok(fs.statSync(path.join(dir, ".baton", "knowledge")).isDirectory());
  });

  test("a second run changes no byte and keeps a person's .gitignore lines", () => {
    const dir = makeTempRepo();
    fs.writeFileSync(path.join(dir, ".gitignore"), "node_modules/\n# mine\n*.log");
    ok(dir, ["init"]);
    const ignore = read(dir, ".gitignore");
    assert.ok(ignore.startsWith("node_modules/\n# mine\n*.log\n"), ignore);
    const before = snapshotTree(dir);
    const again = ok(dir, ["init", "--json"]);
    assert.equal(again.json.created, false);
    assert.deepEqual(again.json.written, []);
    assertTreeEqual(dir, before, "second init");
    ok(dir, ["init"]);
    assertTreeEqual(dir, before, "third init");
  });

  test("repeating init with the same flags is idempotent; different flags are refused", () => {
    const dir = makeTempRepo();
    ok(dir, ["init", "--knowledge-dir", ".tf/knowledge", "--prefix", "TF"]);
    const before = snapshotTree(dir);
    ok(dir, ["init", "--knowledge-dir", ".tf/knowledge", "--prefix", "TF"]);
    ok(dir, ["init", "--knowledge-dir", ".tf/knowledge/"]);
    assertTreeEqual(dir, before, "init with the same settings");
    failsTouchingNothing(dir, ["init", "--knowledge-dir", ".other"], "STATE_CONFLICT", 4);
    failsTouchingNothing(dir, ["init", "--prefix", "XY"], "STATE_CONFLICT", 4);
  });

  test("bad init flags are usage errors and write nothing", () => {
    const dir = makeTempRepo();
    for (const args of [
      ["--knowledge-dir", "../outside"],
      ["--knowledge-dir", "/abs/path"],
      ["--prefix", "BAD-PREFIX"],
      ["--archive-dir", "a/../../b"],
    ]) {
      const error = failsTouchingNothing(dir, ["init", ...args], "INVALID_INPUT", 2);
      assert.ok(error.hint.includes(args[0] as string), error.hint);
    }
    assert.deepEqual(fs.readdirSync(dir), [".git"]);
    failsTouchingNothing(dir, ["init", "--bogus"], "USAGE", 2);
  });

  test("-C points init and every later command at another folder", () => {
    const parent = makeTempRepo();
    fs.mkdirSync(path.join(parent, "repo"));
    ok(parent, ["-C", "repo", "init"]);
    assert.ok(fs.existsSync(path.join(parent, "repo", ".baton", "config.yaml")));
    assert.ok(!fs.existsSync(path.join(parent, ".baton")));
    ok(parent, ["-C", "repo", "seed", "Far away"]);
    ok(parent, ["seed", "Also far", "-C", path.join(parent, "repo"), "--no-session"]);
    const topics = readJson(path.join(parent, "repo", ".baton", "knowledge", "index.json")).topics;
    assert.ok(topics["seed-far-away"] && topics["seed-also-far"]);
    fails(parent, ["-C", "missing-folder", "status"], "FILE_NOT_FOUND", 3);
    fs.writeFileSync(path.join(parent, "a-file"), "x");
    fails(parent, ["-C", "a-file", "status"], "INVALID_INPUT", 2);
    fails(parent, ["-C"], "USAGE", 2);
  });
});

describe("finding the workspace", () => {
  test("commands walk up from a subfolder", () => {
    const dir = makeWorkspace();
    const deep = path.join(dir, "src", "deep", "er");
    fs.mkdirSync(deep, { recursive: true });
    ok(deep, ["seed", "From below"]);
    assert.ok(fs.existsSync(path.join(dir, ".baton", "knowledge", "topics", "seed-from-below")));
    assert.ok(!fs.existsSync(path.join(deep, ".baton")));
    assert.equal(ok(deep, ["status", "--json"]).json.session.root_seed, "seed-from-below");
  });

  test("without a workspace every command says so and hints at baton init", () => {
    const dir = makeTempRepo();
    for (const args of [
      ["status"],
      ["seed", "x"],
      ["seed", "--active"],
      ["spike", "x"],
      ["plan", "x"],
      ["backlog", "plan-x"],
      ["topic", "list"],
      ["ticket", "list"],
    ]) {
      const error = failsTouchingNothing(dir, args, "NO_WORKSPACE", 3);
      assert.match(error.hint, /baton init/);
    }
    const text = baton(dir, ["status"]);
    assert.equal(text.stdout, "");
    assert.match(text.stderr, /NO_WORKSPACE.*baton init/);
    assert.deepEqual(fs.readdirSync(dir), [".git"]);
  });
});

describe("workflow.knowledgeDir", () => {
  function lifecycle(dir: string): void {
    ok(dir, ["seed", "Foo", "-q"]);
    ok(dir, ["spike", "Bar", "-q"]);
    ok(dir, ["plan", "Baz", "--body", "- [ ] a", "-q"]);
    ok(dir, ["seed", "Other", "-q"]);
    ok(dir, ["seed", "--resume", "seed-foo", "-q"]);
    ok(dir, ["backlog", "-q"]);
  }

  function assertEverythingUnder(dir: string, kdir: string): void {
    const k = path.join(dir, ...kdir.split("/"));
    for (const rel of [
      "index.json",
      "topics/seed-foo/seed.md",
      "topics/seed-foo/sources.md",
      "topics/spike-bar/spike.md",
      "topics/plan-baz/plan.md",
      "topics/plan-baz/backlog.md",
    ]) {
      assert.ok(fs.existsSync(path.join(k, rel)), `${kdir}/${rel}`);
    }
    const sessions = fs.readdirSync(path.join(k, "sessions"));
    assert.equal(sessions.length, 2, sessions.join());
    assert.ok(!fs.existsSync(path.join(dir, ".baton", "knowledge", "index.json")));
    const topics = readJson(path.join(k, "index.json")).topics;
    assert.equal(topics["seed-foo"].path, `${kdir}/topics/seed-foo/seed.md`);
    const done = ok(dir, ["seed", "--sessions", "seed-foo", "--json"]).json.sessions[0];
    assert.equal(done.state, "completed");
  }

  test("init --knowledge-dir .tf/knowledge puts every planning file there", () => {
    const dir = makeWorkspace(["--knowledge-dir", ".tf/knowledge"]);
    assert.match(config(dir), /knowledgeDir: \.tf\/knowledge/);
    ok(dir, ["seed", "Foo", "-q"]);
    assert.equal(activePlanningSession(dir, ".tf", "knowledge").root_seed, "seed-foo");
    ok(dir, ["seed", "--active"]);
    const dir2 = makeWorkspace(["--knowledge-dir", ".tf/knowledge"]);
    lifecycle(dir2);
    assertEverythingUnder(dir2, ".tf/knowledge");
    assert.equal(ok(dir2, ["status", "--json"]).json.knowledge_dir, ".tf/knowledge");
  });

  test("editing config.yaml by hand to .tf/knowledge works the same", () => {
    const dir = makeWorkspace();
    const file = path.join(dir, ".baton", "config.yaml");
    fs.writeFileSync(
      file,
      config(dir).replace("knowledgeDir: .baton/knowledge", "knowledgeDir: .tf/knowledge"),
    );
    lifecycle(dir);
    assertEverythingUnder(dir, ".tf/knowledge");
  });

  test("a hand-written config with only some keys falls back to defaults", () => {
    const dir = makeTempRepo();
    fs.mkdirSync(path.join(dir, ".baton"));
    fs.writeFileSync(
      path.join(dir, ".baton", "config.yaml"),
      'schema_version: 1\nworkflow:\n  knowledgeDir: ".tf/knowledge"  # quoted, with a comment\n',
    );
    ok(dir, ["seed", "Foo", "-q"]);
    assert.ok(fs.existsSync(path.join(dir, ".tf", "knowledge", "topics", "seed-foo", "seed.md")));
  });

  test("an unsafe or malformed config is refused with CONFIG_INVALID and touches nothing", () => {
    const dir = makeWorkspace();
    const file = path.join(dir, ".baton", "config.yaml");
    const good = config(dir);
    for (const bad of ["/tmp/elsewhere", "../outside", ".tf/../../outside"]) {
      fs.writeFileSync(
        file,
        good.replace("knowledgeDir: .baton/knowledge", `knowledgeDir: ${bad}`),
      );
      failsTouchingNothing(dir, ["seed", "Foo"], "CONFIG_INVALID", 5);
    }
    fs.writeFileSync(file, good.replace("prefix: BTN", "prefix: B/N"));
    failsTouchingNothing(dir, ["status"], "CONFIG_INVALID", 5);
    fs.writeFileSync(file, "schema_version: 1\nworkflow: [unclosed\n");
    failsTouchingNothing(dir, ["seed", "Foo"], "CORRUPT_FILE", 5);
    fs.writeFileSync(file, "workflow:\n  knowledgeDir: x\n");
    failsTouchingNothing(dir, ["seed", "Foo"], "CORRUPT_FILE", 5);
  });

  test("a config from a newer Baton is refused and never rewritten, even by init", () => {
    const dir = makeWorkspace();
    const file = path.join(dir, ".baton", "config.yaml");
    fs.writeFileSync(file, config(dir).replace("schema_version: 1", "schema_version: 99"));
    for (const args of [["init"], ["seed", "Foo"], ["status"], ["init", "--prefix", "XY"]]) {
      const error = failsTouchingNothing(dir, args, "SCHEMA_TOO_NEW", 5);
      assert.ok(error.message.includes(".baton/config.yaml"), error.message);
    }
  });
});
