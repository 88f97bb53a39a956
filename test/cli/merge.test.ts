/**
 * Merges in real git: two clones of one repository each make 100 topics and 100 tickets and edit
 * the same planning sessions, then each merges the other (A into B and B into A). No conflict, no
 * conflict marker, no id twice, nothing of either side lost, and `baton doctor` clean after. Also:
 * what `init` registers, the driver run as registered (`npx --no baton`), and a merge the driver
 * refuses leaving the branch's own file and a conflict git reports.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { conflictMarkerLines } from "../../src/core/doctor.ts";
import { MERGE_DRIVER_COMMAND } from "../../src/core/merge.ts";
import { BATON_BIN, baton, readJson } from "../helpers.ts";

const K = ".baton/knowledge";

function git(cwd: string, ...args: string[]): { code: number; out: string } {
  const r = spawnSync("git", args, { cwd, encoding: "utf8" });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

function must(cwd: string, ...args: string[]): string {
  const r = git(cwd, ...args);
  assert.equal(r.code, 0, `git ${args.join(" ")}: ${r.out}`);
  return r.out;
}

function run(dir: string, args: string[]): any {
  const r = baton(dir, [...args, "--json", "-q"]);
  assert.equal(r.code, 0, `baton ${args.join(" ")}: ${r.stdout}${r.stderr}`);
  return r.json;
}

function clone(from: string, to: string, name: string): void {
  must(path.dirname(to), "clone", "-q", from, to);
  must(to, "config", "user.email", `${name}@example.com`);
  must(to, "config", "user.name", name);
}

/** Every file under `dir` but git's own, relative. */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.name === ".git" || entry.name === "node_modules") continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(dir, full).split(path.sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

function markers(dir: string): string[] {
  return files(dir).filter(
    (f) => conflictMarkerLines(fs.readFileSync(path.join(dir, f), "utf8")).length > 0,
  );
}

/** What one side made, to find after the merge. */
interface Made {
  topics: string[];
  tickets: string[];
  events: string[];
  spikes: string[];
  notes: string[];
}

function eventIds(dir: string): string[] {
  return fs
    .readFileSync(path.join(dir, ".baton/events.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l).id)
    .filter((id) => id !== undefined);
}

function topicIds(dir: string): string[] {
  return Object.keys(readJson(path.join(dir, K, "index.json")).topics).sort();
}

function ticketIds(dir: string): string[] {
  return run(dir, ["ticket", "list", "--all"])
    .tickets.map((t: { id: string }) => t.id)
    .sort();
}

/** One clone's work: 100 topics, a plan of 100 tasks made tickets, the shared sessions edited. */
/** Waits for the clock's next whole second. */
function nextSecond(): void {
  const second = Math.floor(Date.now() / 1000);
  while (Math.floor(Date.now() / 1000) === second)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
}

function work(dir: string, side: string, shared: string): Made {
  const before = new Set(topicIds(dir));
  const events = new Set(eventIds(dir));
  const spikes: string[] = [];
  for (let i = 1; i <= 50; i++) spikes.push(run(dir, ["spike", `${side} spike ${i}`]).topic.id);
  run(dir, ["journal", "note", `${side} note`]);
  // Archives the shared session (both sides write its snapshot) and starts this side's own.
  run(dir, ["seed", `${side} work`]);
  const tasks = Array.from({ length: 100 }, (_, i) => `- [ ] ${side} task ${i + 1}`).join("\n");
  run(dir, ["plan", `${side} plan`, "--body", tasks]);
  const backlog = run(dir, ["backlog"]);
  assert.equal(backlog.created, 100);
  // The shared session again, with more spikes: both sides change the active pointer.
  run(dir, ["seed", "--resume", shared]);
  for (let i = 1; i <= 10; i++)
    spikes.push(run(dir, ["spike", `${side} late spike ${i}`]).topic.id);
  for (let i = 1; i <= 37; i++) run(dir, ["seed", `${side} idea ${i}`, "--no-session"]);
  // The same title on both sides: one topic, by design (its id is its title's slug).
  run(dir, ["seed", "Common idea", "--no-session"]);
  run(dir, ["journal", "note", `${side} after`]);
  const topics = topicIds(dir).filter((id) => !before.has(id));
  assert.equal(topics.length, 100, `${side} made 100 topics`);
  must(dir, "add", "-A");
  must(dir, "commit", "-qm", `${side}'s work`);
  return {
    topics,
    tickets: backlog.tickets.map((t: { id: string }) => t.id),
    events: eventIds(dir).filter((id) => !events.has(id)),
    spikes,
    notes: [`${side} after`],
  };
}

describe("two clones merging each other's work", () => {
  let root: string;
  let a: string;
  let b: string;
  let shared: string;
  let madeA: Made;
  let madeB: Made;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "baton-merge-"));
    const origin = path.join(root, "origin");
    fs.mkdirSync(origin);
    must(origin, "init", "-q");
    must(origin, "config", "user.email", "origin@example.com");
    must(origin, "config", "user.name", "origin");
    run(origin, ["init"]);
    shared = run(origin, ["seed", "Shared idea"]).session.session_id;
    run(origin, ["spike", "Shared spike"]);
    run(origin, ["journal", "note", "base"]);
    must(origin, "add", "-A");
    must(origin, "commit", "-qm", "base");
    a = path.join(root, "a");
    b = path.join(root, "b");
    for (const [dir, name] of [
      [a, "a"],
      [b, "b"],
    ] as const) {
      clone(origin, dir, name);
      // A clone does not copy .git/config: each runs init once, which registers the driver.
      assert.equal(run(dir, ["init"]).merge_driver, "create");
      assert.equal(must(dir, "config", "merge.baton.driver").trim(), MERGE_DRIVER_COMMAND);
      assert.equal(run(dir, ["init"]).merge_driver, "unchanged");
      assert.equal(run(dir, ["init", "--dry-run"]).merge_driver, "unchanged");
      // The same driver, run without npx's start-up (the npx form is tested below).
      must(
        dir,
        "config",
        "merge.baton.driver",
        `"${process.execPath}" "${BATON_BIN}" merge-driver %O %A %B %P`,
      );
    }
    madeA = work(a, "A", shared);
    // Journal archives are named by the second (PLANNING-YYYY-MM-DD-HHMMSS.md): two clones that
    // archive in the same second make two files of one name, a limit this test does not cover.
    nextSecond();
    madeB = work(b, "B", shared);
    must(a, "fetch", "-q", b, "HEAD:refs/remotes/b/work");
    must(b, "fetch", "-q", a, "HEAD:refs/remotes/a/work");
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  for (const [into, from] of [
    ["a", "b"],
    ["b", "a"],
  ] as const) {
    test(`${from.toUpperCase()} into ${into.toUpperCase()}: no conflict, no marker, no id twice, nothing lost; doctor clean`, () => {
      const dir = into === "a" ? a : b;
      const merged = git(dir, "merge", "--no-edit", "-q", `refs/remotes/${from}/work`);
      assert.equal(merged.code, 0, merged.out);
      assert.equal(must(dir, "ls-files", "-u"), "", "no path is left unmerged");
      assert.deepEqual(markers(dir), [], "no file holds a conflict marker");

      // Topics: every one of both sides, each once.
      const index = fs.readFileSync(path.join(dir, K, "index.json"), "utf8");
      const lines = index.split("\n").filter((l) => l.startsWith('    "'));
      const ids = lines.map((l) => l.slice(5, l.indexOf('": {')));
      assert.equal(new Set(ids).size, ids.length, "no topic twice in index.json");
      const topics = new Set(topicIds(dir));
      for (const id of [...madeA.topics, ...madeB.topics]) assert.ok(topics.has(id), id);
      assert.ok(topics.has("seed-common-idea"));
      const listed = run(dir, ["topic", "list", "--limit", "1000"]).topics.map(
        (t: { id: string }) => t.id,
      );
      assert.equal(listed.length, topics.size, "topic list shows the merged catalog");

      // Tickets: all 200, each once.
      const tickets = ticketIds(dir);
      assert.equal(new Set(tickets).size, tickets.length);
      for (const id of [...madeA.tickets, ...madeB.tickets]) assert.ok(tickets.includes(id), id);
      assert.equal(tickets.length, 200);

      // The shared session, edited on both sides: every spike of both, as active and archived.
      const active = readJson(path.join(dir, K, ".active-planning.json"));
      assert.equal(active.session_id, shared);
      assert.equal(active.state, "active");
      for (const id of [...madeA.spikes, ...madeB.spikes])
        assert.ok(active.spikes.includes(id), id);
      assert.equal(new Set(active.spikes).size, active.spikes.length);
      const snapshot = readJson(path.join(dir, K, "sessions", `${shared}.json`));
      for (const id of [...madeA.spikes.slice(0, 50), ...madeB.spikes.slice(0, 50)]) {
        assert.ok(snapshot.spikes.includes(id), id);
      }
      const sessions = run(dir, ["seed", "--sessions"]).sessions.map(
        (s: { session_id: string }) => s.session_id,
      );
      assert.equal(sessions.filter((s: string) => s.startsWith("seed-a-work@")).length, 1);
      assert.equal(sessions.filter((s: string) => s.startsWith("seed-b-work@")).length, 1);

      // Events: both sides', each once; the journal's notes of both.
      const events = eventIds(dir);
      assert.equal(new Set(events).size, events.length, "no event id twice");
      for (const id of [...madeA.events, ...madeB.events]) assert.ok(events.includes(id), id);
      const notes = readJson(path.join(dir, ".baton/journal.json")).notes.map(
        (n: { text: string }) => n.text,
      );
      for (const note of [...madeA.notes, ...madeB.notes]) assert.ok(notes.includes(note), note);

      const doctor = baton(dir, ["doctor", "--json"]);
      assert.equal(doctor.code, 0, doctor.stdout);
      assert.deepEqual(doctor.json.findings, []);
      // The next command rewrites PLANNING.md's generated sections from the merged state.
      run(dir, ["journal", "note", "after the merge"]);
      assert.deepEqual(markers(dir), []);
    });
  }

  test("both merges made the same catalog, byte for byte", () => {
    assert.equal(
      fs.readFileSync(path.join(a, K, "index.json"), "utf8"),
      fs.readFileSync(path.join(b, K, "index.json"), "utf8"),
    );
  });
});

describe("the driver as git runs it", () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "baton-driver-"));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  /** An origin with a workspace and two clones of it, each with init run. */
  function pair(name: string): { x: string; y: string } {
    const origin = path.join(root, `${name}-origin`);
    fs.mkdirSync(origin);
    must(origin, "init", "-q");
    must(origin, "config", "user.email", "o@example.com");
    must(origin, "config", "user.name", "o");
    run(origin, ["init"]);
    run(origin, ["seed", "Base"]);
    must(origin, "add", "-A");
    must(origin, "commit", "-qm", "base");
    const x = path.join(root, `${name}-x`);
    const y = path.join(root, `${name}-y`);
    clone(origin, x, "x");
    clone(origin, y, "y");
    for (const dir of [x, y]) run(dir, ["init"]);
    return { x, y };
  }

  test("outside a git repository init registers nothing, and doctor asks for nothing", () => {
    const plain = fs.mkdtempSync(path.join(root, "plain-"));
    assert.equal(run(plain, ["init"]).merge_driver, null);
    assert.deepEqual(run(plain, ["doctor"]).findings, []);
    assert.match(
      fs.readFileSync(path.join(plain, ".gitattributes"), "utf8"),
      /index\.json merge=baton/,
    );
  });

  test("registered as init writes it: npx --no baton finds the Baton installed above", () => {
    // What a project that installed Baton has: node_modules/.bin/baton in a folder above.
    fs.mkdirSync(path.join(root, "node_modules", ".bin"), { recursive: true });
    fs.symlinkSync(BATON_BIN, path.join(root, "node_modules", ".bin", "baton"));
    const { x, y } = pair("npx");
    run(x, ["seed", "From x", "--no-session"]);
    run(y, ["seed", "From y", "--no-session"]);
    for (const dir of [x, y]) {
      must(dir, "add", "-A");
      must(dir, "commit", "-qm", "work");
    }
    must(x, "fetch", "-q", y, "HEAD:refs/remotes/y/work");
    const merged = git(x, "merge", "--no-edit", "-q", "refs/remotes/y/work");
    assert.equal(merged.code, 0, merged.out);
    assert.deepEqual(markers(x), []);
    const topics = topicIds(x);
    assert.ok(topics.includes("seed-from-x") && topics.includes("seed-from-y"), topics.join());
  });

  test("what it cannot merge exits non-zero: git reports a conflict, the file stays ours", () => {
    const { x, y } = pair("refused");
    for (const dir of [x, y]) {
      must(
        dir,
        "config",
        "merge.baton.driver",
        `"${process.execPath}" "${BATON_BIN}" merge-driver %O %A %B %P`,
      );
    }
    // Both edit the same line people own in PLANNING.md, outside the generated sections.
    for (const [dir, words] of [
      [x, "x's own line"],
      [y, "y's own line"],
    ] as const) {
      const file = path.join(dir, "PLANNING.md");
      fs.writeFileSync(
        file,
        fs.readFileSync(file, "utf8").replace("# PLANNING", `# PLANNING\n\n${words}`),
      );
      must(dir, "commit", "-qam", "edit");
    }
    const ours = fs.readFileSync(path.join(x, "PLANNING.md"), "utf8");
    must(x, "fetch", "-q", y, "HEAD:refs/remotes/y/work");
    const merged = git(x, "merge", "--no-edit", "-q", "refs/remotes/y/work");
    assert.notEqual(merged.code, 0, "git reports the conflict");
    assert.match(must(x, "ls-files", "-u"), /PLANNING\.md/);
    assert.equal(fs.readFileSync(path.join(x, "PLANNING.md"), "utf8"), ours, "ours, no markers");
    assert.deepEqual(markers(x), []);

    // By hand: the three versions and a refusal's exit code and words.
    const dir = fs.mkdtempSync(path.join(root, "by-hand-"));
    const [base, mine, theirs] = ["base", "ours", "theirs"].map((n) => path.join(dir, n));
    fs.writeFileSync(base as string, '{"schema_version":1,"topics":{}}\n');
    fs.writeFileSync(mine as string, "<<<<<<< HEAD\n");
    fs.writeFileSync(theirs as string, '{"schema_version":1,"topics":{}}\n');
    const r = baton(dir, [
      "merge-driver",
      base as string,
      mine as string,
      theirs as string,
      ".baton/knowledge/index.json",
      "--json",
    ]);
    assert.equal(r.code, 4);
    assert.equal(r.json.error.code, "MERGE_CONFLICT");
    assert.deepEqual(r.json.error.details, { path: ".baton/knowledge/index.json" });
    assert.equal(fs.readFileSync(mine as string, "utf8"), "<<<<<<< HEAD\n", "left as it was");
  });
});
