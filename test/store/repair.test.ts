import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";
import { TEMP_MARKER } from "../../src/store/atomic.ts";
import { baton, knowledge, makeWorkspace, readJson, snapshotTree } from "../helpers.ts";
import { killAt, killChildren, removeDir } from "./procs.ts";

after(killChildren);

// Each test kills a real Baton process with SIGKILL at one exact step of its transaction (the
// BATON_TEST_PAUSE seam stops it there), then checks what the next command makes of it.

const posix = process.platform !== "win32";

function run(dir: string, args: string[]) {
  const result = baton(dir, args);
  assert.equal(result.code, 0, `${args.join(" ")}: ${result.stderr}${result.stdout}`);
  return result;
}

function events(dir: string): any[] {
  return fs
    .readFileSync(path.join(dir, ".baton", "events.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line));
}

function catalogIds(dir: string): string[] {
  return run(dir, ["topic", "list", "--all", "--json"])
    .json.topics.map((t: { id: string }) => t.id)
    .sort();
}

/** Every name under `dir` (folders too) that carries the temp marker. */
function leftovers(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.name === ".git") continue;
      const full = path.join(d, entry.name);
      if (entry.name.includes(TEMP_MARKER)) out.push(path.relative(dir, full));
      if (entry.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out;
}

/** The tree without what a repair itself adds: its event line and the per-machine cache. */
function stateTree(dir: string): Map<string, string> {
  const tree = snapshotTree(dir);
  for (const key of [...tree.keys()]) {
    if (key.endsWith("events.jsonl") || key.includes(`.baton${path.sep}cache`)) tree.delete(key);
  }
  return tree;
}

const marker = (dir: string) => path.join(dir, ".baton", ".writing");

describe("a command killed mid-way is undone by the next command", {
  skip: !posix,
  timeout: 60_000,
}, () => {
  test("a seed killed once it is in the catalog: the next command, another one, undoes it", async (t) => {
    const dir = makeWorkspace();
    t.after(() => removeDir(dir));
    run(dir, ["seed", "First idea"]);
    const first = readJson(knowledge(dir, ".active-planning.json")).session_id;
    const before = stateTree(dir);
    const eventCount = events(dir).length;

    await killAt(dir, ["seed", "Second idea"], "replace:index.json");
    // The crash is real: the catalog names the new seed, the session file was switched.
    assert.ok(readJson(knowledge(dir, "index.json")).topics["seed-second-idea"]);
    assert.notEqual(readJson(knowledge(dir, ".active-planning.json")).session_id, first);
    assert.ok(fs.existsSync(marker(dir)));

    // Any command that takes the lock repairs it; this one changes nothing of its own.
    run(dir, ["seed", "First idea"]);
    assert.deepEqual([...stateTree(dir).keys()].sort(), [...before.keys()].sort());
    for (const [file, text] of before) assert.equal(stateTree(dir).get(file), text, file);
    assert.deepEqual(catalogIds(dir), ["seed-first-idea"]);
    assert.equal(readJson(knowledge(dir, ".active-planning.json")).session_id, first);
    const added = events(dir).slice(eventCount);
    assert.deepEqual(
      added.map((e) => e.type),
      ["crash.undone"],
      "no event tells of the undone seed; the repair says what it did",
    );
    assert.equal(fs.existsSync(marker(dir)), false);
    assert.deepEqual(leftovers(dir), []);
  });

  test("a plan killed after its session and catalog were written: the next spike undoes it", async (t) => {
    const dir = makeWorkspace();
    t.after(() => removeDir(dir));
    run(dir, ["seed", "Root"]);
    await killAt(dir, ["plan", "Half plan", "--body", "- [ ] a task"], "replace:index.json");
    assert.equal(readJson(knowledge(dir, ".active-planning.json")).plan, "plan-half-plan");

    run(dir, ["spike", "Next thing"]);
    assert.deepEqual(catalogIds(dir), ["seed-root", "spike-next-thing"]);
    assert.equal(fs.existsSync(knowledge(dir, "topics", "plan-half-plan")), false);
    const session = readJson(knowledge(dir, ".active-planning.json"));
    assert.equal(session.plan, null, "the session holds no plan the catalog does not");
    assert.deepEqual(session.spikes, ["spike-next-thing"]);
    const seedSources = fs.readFileSync(
      knowledge(dir, "topics", "seed-root", "sources.md"),
      "utf8",
    );
    assert.equal(seedSources.includes("plan-half-plan"), false);
    assert.equal(
      events(dir).some((e) => e.plan === "plan-half-plan" || e.topic === "plan-half-plan"),
      false,
    );
    assert.deepEqual(leftovers(dir), []);
  });

  test("a command killed just before it commits is undone whole, events included", async (t) => {
    const dir = makeWorkspace();
    t.after(() => removeDir(dir));
    run(dir, ["seed", "Root"]);
    const before = stateTree(dir);
    const log = fs.readFileSync(path.join(dir, ".baton", "events.jsonl"), "utf8");
    await killAt(dir, ["spike", "Almost done"], "commit");
    // Everything was written, the journal included; only the commit record is missing.
    assert.ok(
      fs.readFileSync(path.join(dir, ".baton", "events.jsonl"), "utf8").length > log.length,
    );
    run(dir, ["journal", "note", "after the crash"]);
    const now = stateTree(dir);
    for (const [file, text] of before) {
      if (file === "PLANNING.md" || file.endsWith("journal.json")) continue;
      assert.equal(now.get(file), text, `${file} is back as it was`);
    }
    assert.ok(fs.readFileSync(path.join(dir, ".baton", "events.jsonl"), "utf8").startsWith(log));
    assert.equal(
      events(dir).some((e) => e.spike === "spike-almost-done"),
      false,
    );
    assert.deepEqual(catalogIds(dir), ["seed-root"]);
    assert.match(fs.readFileSync(path.join(dir, "PLANNING.md"), "utf8"), /after the crash/);
  });
});

describe("a task set is replaced as one unit", { skip: !posix, timeout: 60_000 }, () => {
  const PLAN = "plan-rollout";
  const taskDir = (dir: string) => knowledge(dir, "topics", PLAN, ".task");
  const titles = (dir: string) =>
    fs
      .readdirSync(taskDir(dir))
      .filter((name) => name.endsWith(".json"))
      .sort()
      .map((name) => readJson(path.join(taskDir(dir), name)).title);
  const set = (word: string, n: number) =>
    Array.from({ length: n }, (_, i) => `- [ ] IMPL-${i + 1}: ${word} task ${i + 1}`).join("\n");

  function withOldSet(t: { after: (fn: () => void) => void }): { dir: string; next: string } {
    const dir = makeWorkspace();
    t.after(() => removeDir(dir));
    run(dir, ["plan", "Rollout"]);
    const old = path.join(dir, "old.md");
    fs.writeFileSync(old, set("old", 3));
    run(dir, ["plan", "tasks", PLAN, "--from", old, "--skip-context"]);
    // A file of the agent's own in .task/ is carried over whatever happens.
    fs.writeFileSync(path.join(taskDir(dir), "notes.txt"), "mine\n");
    const next = path.join(dir, "new.md");
    fs.writeFileSync(next, set("new", 4));
    return { dir, next };
  }

  const OLD = ["old task 1", "old task 2", "old task 3"];
  const NEW = ["new task 1", "new task 2", "new task 3", "new task 4"];

  test("killed between setting the old set aside and switching the new one in", async (t) => {
    const { dir, next } = withOldSet(t);
    let seen: { code: number; json: any } | null = null;
    await killAt(
      dir,
      ["plan", "tasks", PLAN, "--from", next, "--skip-context"],
      "remove:.task",
      () => {
        // A reader at this very moment finds no set at all, never a mix of two.
        seen = baton(dir, ["plan", "next", PLAN, "--json"]);
      },
    );
    const reader = seen as unknown as { code: number; json: any };
    assert.equal(reader.json?.error?.code, "NO_TASKS", JSON.stringify(reader.json));

    // (Its findings, tasks without acceptance criteria, do not matter here: which set it saw does.)
    const verify = baton(dir, ["plan", "verify", PLAN, "--json"]);
    assert.equal(verify.json?.tasks, 3, `verify sees the old set, whole: ${verify.stdout}`);
    assert.deepEqual(titles(dir), OLD);
    assert.equal(fs.readFileSync(path.join(taskDir(dir), "notes.txt"), "utf8"), "mine\n");
    assert.deepEqual(leftovers(dir), []);
  });

  test("killed once the new set is in: a reader sees it whole; the next command undoes it", async (t) => {
    const { dir, next } = withOldSet(t);
    let seen: string[] = [];
    await killAt(
      dir,
      ["plan", "tasks", PLAN, "--from", next, "--skip-context"],
      "move:.task",
      () => {
        seen = baton(dir, ["plan", "next", PLAN, "--json"]).json.next.map((n: any) => n.title);
      },
    );
    assert.deepEqual(seen, NEW, "a reader sees the new set, whole");
    run(dir, ["journal", "note", "something else"]);
    assert.deepEqual(titles(dir), OLD, "the unfinished command is undone");
    assert.match(
      fs.readFileSync(knowledge(dir, "topics", PLAN, "TODO_LIST.md"), "utf8"),
      /old task 3/,
    );
    assert.equal(fs.readFileSync(path.join(taskDir(dir), "notes.txt"), "utf8"), "mine\n");
    assert.deepEqual(leftovers(dir), []);
    // And the same command then goes through.
    run(dir, ["plan", "tasks", PLAN, "--from", next, "--skip-context"]);
    assert.deepEqual(titles(dir), NEW);
    assert.equal(fs.readFileSync(path.join(taskDir(dir), "notes.txt"), "utf8"), "mine\n");
    assert.deepEqual(leftovers(dir), []);
  });
});

describe("the crash sweep", { timeout: 30_000 }, () => {
  test("reaches a plan's .task folder and every folder the dead writer named", (t) => {
    const dir = makeWorkspace();
    t.after(() => removeDir(dir));
    run(dir, ["plan", "Swept", "--body", "- [ ] one"]);
    const tasks = path.join(dir, "tasks.md");
    fs.writeFileSync(tasks, "- [ ] IMPL-1: one\n- [ ] IMPL-2: two\n");
    run(dir, ["plan", "tasks", "plan-swept", "--from", tasks, "--skip-context"]);
    const taskDir = knowledge(dir, "topics", "plan-swept", ".task");
    const inTasks = path.join(taskDir, `.IMPL-6.json${TEMP_MARKER}4242-deadbeef`);
    fs.writeFileSync(inTasks, '{"half');
    // A marker with a log naming a folder of its own: its temp files go too.
    const elsewhere = path.join(dir, "docs", "notes");
    fs.mkdirSync(elsewhere, { recursive: true });
    const inElsewhere = path.join(elsewhere, `.a.md${TEMP_MARKER}4242-cafebabe`);
    fs.writeFileSync(inElsewhere, "half");
    fs.writeFileSync(path.join(elsewhere, "keep.md"), "mine\n");
    fs.writeFileSync(
      marker(dir),
      `${JSON.stringify({ schema_version: 1, pid: 4242, at: "2026-01-01T00:00:00.000Z" })}\n${JSON.stringify({ op: "dir", path: "docs/notes" })}\n`,
    );
    run(dir, ["spike", "After"]);
    assert.equal(fs.existsSync(inTasks), false, "the temp file in .task/ is swept");
    assert.equal(fs.existsSync(inElsewhere), false, "so is the one in the folder the log names");
    assert.equal(fs.readFileSync(path.join(elsewhere, "keep.md"), "utf8"), "mine\n");
    assert.equal(fs.readdirSync(taskDir).length, 2);
    assert.equal(fs.existsSync(marker(dir)), false);
  });

  test("a forged log cannot make the repair touch anything outside the workspace", (t) => {
    const dir = makeWorkspace();
    const outside = makeWorkspace();
    t.after(() => {
      removeDir(dir);
      removeDir(outside);
    });
    const victim = path.join(outside, "precious.txt");
    fs.writeFileSync(victim, "precious\n");
    const inside = path.join(dir, "mine.txt");
    fs.writeFileSync(inside, "mine\n");
    const ino = String(fs.statSync(victim).ino);
    const lines = [
      { schema_version: 1, pid: 4242, at: "2026-01-01T00:00:00.000Z" },
      { op: "create", path: path.relative(dir, victim), ino },
      { op: "create", path: victim, ino },
      { op: "append", path: path.relative(dir, victim), ino, size: 0 },
      // Inside, but not a file this log made (another inode): left alone too.
      { op: "create", path: "mine.txt", ino: "1" },
      { op: "append", path: "mine.txt", ino: "1", size: 0 },
    ];
    fs.writeFileSync(marker(dir), lines.map((l) => JSON.stringify(l)).join("\n"));
    run(dir, ["seed", "Harmless"]);
    assert.equal(fs.readFileSync(victim, "utf8"), "precious\n");
    assert.equal(fs.readFileSync(inside, "utf8"), "mine\n");
  });
});

describe("a spec migrate killed mid-way", { skip: !posix }, () => {
  test("after renaming a folder: the next command renames it back, byte for byte", async (t) => {
    const dir = makeWorkspace();
    t.after(() => removeDir(dir));
    const planning = path.join(dir, ".baton", "planning");
    for (const [folder, name] of [
      ["feature-auth", "auth"],
      ["feature-billing", "billing"],
    ]) {
      fs.mkdirSync(path.join(planning, folder as string), { recursive: true });
      fs.writeFileSync(
        path.join(planning, folder as string, "status.yaml"),
        `schema_version: 1\nname: ${name}\nspec: specs/${name}.md\nstage: draft\nlast_known_branch: ${folder}\ncreated: "2026-01-01T00:00:00.000Z"\nupdated: "2026-01-01T00:00:00.000Z"\nhistory: []\n`,
      );
    }
    const before = stateTree(dir);
    await killAt(dir, ["spec", "migrate"], "rename:billing");
    assert.ok(fs.existsSync(path.join(planning, "billing")), "killed after the second rename");
    run(dir, ["status"]);
    run(dir, ["journal", "note", "after the kill"]);
    const after = stateTree(dir);
    for (const key of [...after.keys()]) if (!before.has(key)) after.delete(key);
    for (const key of [...before.keys()]) {
      if (key.includes("planning")) assert.equal(after.get(key), before.get(key), key);
    }
    assert.equal(fs.existsSync(path.join(planning, "auth")), false);
    assert.equal(fs.existsSync(path.join(planning, "billing")), false);
    assert.ok(events(dir).some((e) => e.type === "crash.undone"));
    assert.deepEqual(leftovers(dir), []);
  });
});
