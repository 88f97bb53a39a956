import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { parseSpecTaskList, taskProgress } from "../../src/core/spec/tasks-md.ts";
import { parseYaml } from "../../src/core/yaml.ts";
import { readSpecStatus, specContentHash } from "../../src/store/specs.ts";
import { openWorkspace } from "../../src/store/workspace.ts";
import { fullYaml } from "../../src/store/yaml.ts";
import { checkText } from "../agent-files.ts";
import { CORPUS_ABSENT_MESSAGE, CORPUS_DIR, CORPUS_PRESENT } from "../core/spec/corpus.ts";
import { BATON_BIN, baton, makeWorkspace, REPO_ROOT, snapshotTree } from "../helpers.ts";
import { assertTreeEqual, fails, failsTouchingNothing, ok, read, write } from "./support.ts";

const PLANNING = path.join(".baton", "planning");

// ---- helpers ----

function git(dir: string, ...args: string[]): string {
  const r = spawnSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Baton Test",
      GIT_AUTHOR_EMAIL: "test@example.com",
      GIT_COMMITTER_NAME: "Baton Test",
      GIT_COMMITTER_EMAIL: "test@example.com",
      GIT_CONFIG_NOSYSTEM: "1",
    },
  });
  assert.equal(r.status, 0, `git ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout.trim();
}

function commit(dir: string, message: string, file = `${message.replace(/\W+/g, "-")}.txt`) {
  fs.writeFileSync(path.join(dir, file), `${message}\n`);
  git(dir, "add", "--", file);
  git(dir, "-c", "commit.gpgsign=false", "commit", "-q", "-m", message);
}

/** A workspace whose repository is on `main` with everything committed (a clean tree). */
function cleanRepo(): string {
  const dir = makeWorkspace();
  git(dir, "symbolic-ref", "HEAD", "refs/heads/main");
  git(dir, "add", "-A");
  git(dir, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "init");
  return dir;
}

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A bare repository to push to, outside the workspace so tree snapshots ignore it. */
function bareRemote(): string {
  const remote = tempDir("baton-remote-");
  git(remote, "init", "-q", "--bare");
  git(remote, "symbolic-ref", "HEAD", "refs/heads/main");
  return remote;
}

function specFile(dir: string, rel: string, name: string, body = "# Spec\n"): void {
  write(dir, rel, `---\nname: ${name}\n---\n\n${body}`);
}

function statusYaml(dir: string, folder: string): Record<string, unknown> {
  return parseYaml(read(dir, PLANNING, folder, "status.yaml"), fullYaml) as Record<string, unknown>;
}

/** A status.yaml as an older layout (or a hand) would have left it. */
function writeStatus(dir: string, folder: string, fields: Record<string, unknown>): void {
  const status = {
    schema_version: 1,
    spec: "specs/x.md",
    last_known_branch: null,
    stage: "draft",
    created: "2026-01-01T00:00:00.000Z",
    updated: "2026-01-01T00:00:00.000Z",
    approved_hash: null,
    ...fields,
  };
  const lines = Object.entries(status).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  write(dir, path.join(PLANNING, folder, "status.yaml"), `${lines.join("\n")}\nhistory: []\n`);
}

function setUp(dir: string, name: string, rel = `specs/${name}.md`, body?: string): void {
  specFile(dir, rel, name, body);
  ok(dir, ["spec", "setup", "--spec", rel]);
}

function statusJson(dir: string, ...args: string[]): any {
  return ok(dir, ["spec", "status", ...args, "--json"]).json;
}

/** Copies a corpus spec (files flattened as owner__repo__path) into `target` in the repo. */
function copyCorpusSpec(dir: string, kind: string, prefix: string, target: string): string[] {
  const files = fs.readdirSync(path.join(CORPUS_DIR, kind)).filter((f) => f.startsWith(prefix));
  for (const file of files) {
    const base = file.slice(prefix.length);
    fs.mkdirSync(path.join(dir, target), { recursive: true });
    fs.copyFileSync(path.join(CORPUS_DIR, kind, file), path.join(dir, target, base));
  }
  return files;
}

// ---- setup ----

describe("baton spec setup", () => {
  test("a spec file is named by its frontmatter and gets every status.yaml field", () => {
    const dir = makeWorkspace();
    specFile(dir, "specs/user-auth.md", "user-auth");
    const r = ok(dir, ["spec", "setup", "--spec", "specs/user-auth.md", "--json"]);
    assert.equal(r.json.name, "user-auth");
    assert.equal(r.json.layout, "file");
    assert.equal(r.json.changed, true);
    assert.equal(r.json.status_file, ".baton/planning/user-auth/status.yaml");
    const s = statusYaml(dir, "user-auth");
    for (const key of [
      "schema_version",
      "name",
      "spec",
      "last_known_branch",
      "stage",
      "created",
      "updated",
    ])
      assert.ok(key in s, `status.yaml has ${key}`);
    assert.equal(s.schema_version, 1);
    assert.equal(s.name, "user-auth");
    assert.equal(s.spec, "specs/user-auth.md");
    assert.equal(s.last_known_branch, null);
    assert.equal(s.stage, "draft");
    assert.equal(s.created, s.updated);
    assert.ok(!Number.isNaN(Date.parse(String(s.created))));
    const events = read(dir, ".baton", "events.jsonl");
    assert.match(events, /"type":"spec\.setup".*"spec":"user-auth"/);
    // No spec was active, so the new one is; a second spec leaves that alone.
    assert.equal(r.json.activated, true);
    assert.match(r.stdout, /"activated": true/);
    assert.equal(read(dir, PLANNING, ".active"), "user-auth\n");
    assert.match(events, /"type":"spec\.activated".*"spec":"user-auth"/);
    specFile(dir, "specs/billing.md", "billing");
    const second = ok(dir, ["spec", "setup", "--spec", "specs/billing.md"]);
    assert.match(second.stdout, /Next: baton spec activate billing/);
    assert.equal(read(dir, PLANNING, ".active"), "user-auth\n");
    // A pointer to a spec that is gone counts as none.
    fs.writeFileSync(path.join(dir, PLANNING, ".active"), "vanished\n");
    specFile(dir, "specs/third.md", "third");
    const third = ok(dir, ["spec", "setup", "--spec", "specs/third.md"]);
    assert.match(third.stdout, /Active spec: third \(none was active\)/);
  });

  test("a second run changes no byte and says so", () => {
    const dir = makeWorkspace();
    specFile(dir, "specs/user-auth.md", "user-auth");
    ok(dir, ["spec", "setup", "--spec", "specs/user-auth.md"]);
    const before = snapshotTree(dir);
    const text = ok(dir, ["spec", "setup", "--spec", "specs/user-auth.md"]);
    assert.match(text.stdout, /already set up.*nothing changed/);
    const json = ok(dir, ["spec", "setup", "--spec", "./specs//user-auth.md", "--json"]);
    assert.equal(json.json.changed, false);
    assertTreeEqual(dir, before, "second setup");
  });

  test("a relative --spec is read from the folder the command runs in (-C)", () => {
    const dir = makeWorkspace();
    specFile(dir, "specs/billing.md", "billing");
    fs.mkdirSync(path.join(dir, "src"));
    const r = ok(dir, ["-C", "src", "spec", "setup", "--spec", "../specs/billing.md", "--json"]);
    assert.equal(r.json.spec, "specs/billing.md");
  });

  test("a name with capitals and spaces is folded into the folder name", () => {
    const dir = makeWorkspace();
    specFile(dir, "specs/a.md", "User Auth");
    const r = ok(dir, ["spec", "setup", "--spec", "specs/a.md", "--json"]);
    assert.equal(r.json.name, "user-auth");
    assert.equal(r.json.written_name, "User Auth");
    assert.equal(statusYaml(dir, "user-auth").name, "user-auth");
  });

  test("a Kiro spec folder from the corpus: named after the folder, progress from tasks.md", (t) => {
    if (!CORPUS_PRESENT) return t.skip(CORPUS_ABSENT_MESSAGE);
    const dir = makeWorkspace();
    const target = ".kiro/specs/capacity-based-throttling";
    const copied = copyCorpusSpec(
      dir,
      "kiro",
      "awslabs__osml-model-runner__.kiro__specs__capacity-based-throttling__",
      target,
    );
    if (copied.length === 0) return t.skip("corpus lacks the Kiro capacity-based-throttling spec");
    const r = ok(dir, ["spec", "setup", "--spec", target, "--json"]);
    assert.equal(r.json.name, "capacity-based-throttling");
    assert.equal(r.json.layout, "kiro");
    assert.equal(r.json.spec, target);

    const s = statusJson(dir, "--spec", "capacity-based-throttling");
    assert.equal(s.tasks_file, `${target}/tasks.md`);
    const parsed = parseSpecTaskList(read(dir, target, "tasks.md")).tasks;
    assert.deepEqual(s.progress, taskProgress(parsed));
    assert.deepEqual(Object.keys(s.progress).sort(), [
      "done",
      "in_progress",
      "optional",
      "percent",
      "required",
      "required_done",
      "todo",
      "total",
    ]);
    assert.ok(s.progress.total > 10);
    // The tree keeps the file's ids, nesting, statuses, optional marks and requirement refs.
    assert.deepEqual(
      s.tasks.map((n: any) => n.id),
      parsed.map((n) => n.id),
    );
    const first = s.tasks[0];
    assert.deepEqual(Object.keys(first).sort(), [
      "children",
      "id",
      "line",
      "optional",
      "requirements",
      "status",
      "title",
    ]);
    const withChildren = s.tasks.find((n: any) => n.children.length > 0);
    assert.ok(withChildren, "some task has sub-tasks");
    assert.ok(
      JSON.stringify(s.tasks).includes('"optional":true'),
      "optional tasks are marked (Kiro's *)",
    );
    assert.ok(
      s.tasks.some((n: any) => n.children.some((c: any) => c.requirements.length > 0)),
      "requirement refs are carried",
    );
  });

  test("a Spec Kit folder keeps its number in the name", (t) => {
    if (!CORPUS_PRESENT) return t.skip(CORPUS_ABSENT_MESSAGE);
    const dir = makeWorkspace();
    const target = "specs/025-pattern-paramorphism";
    const copied = copyCorpusSpec(
      dir,
      "speckit",
      "relateby__pattern-rs__specs__025-pattern-paramorphism__",
      target,
    );
    if (copied.length === 0) return t.skip("corpus lacks the Spec Kit pattern-paramorphism spec");
    const r = ok(dir, ["spec", "setup", "--spec", target, "--json"]);
    assert.equal(r.json.name, "025-pattern-paramorphism");
    assert.equal(r.json.layout, "speckit");
    assert.ok(fs.existsSync(path.join(dir, PLANNING, "025-pattern-paramorphism", "status.yaml")));
    const s = statusJson(dir, "--spec", "025-pattern-paramorphism");
    assert.equal(s.tasks_file, `${target}/tasks.md`);
    assert.ok(s.progress.total > 0);
  });

  test("a file without a frontmatter name is refused with a hint, nothing touched", () => {
    const dir = makeWorkspace();
    write(dir, "specs/auth.md", "# Auth\n\nNo frontmatter here.\n");
    write(dir, "specs/titled.md", "---\ntitle: Auth\n---\n# Auth\n");
    for (const file of ["specs/auth.md", "specs/titled.md"]) {
      const e = failsTouchingNothing(dir, ["spec", "setup", "--spec", file], "INVALID_INPUT", 2);
      assert.match(e.message, /has no frontmatter name/);
      assert.match(e.hint, /name: /);
      assert.match(e.hint, /folder/);
    }
    const text = baton(dir, ["spec", "setup", "--spec", "specs/auth.md"]);
    assert.match(
      text.stderr,
      /^error INVALID_INPUT: specs\/auth\.md has no frontmatter name \(hint: /,
    );
  });

  test("path-like names are refused with nothing touched", () => {
    const dir = makeWorkspace();
    const names = ["../../etc", "/etc/passwd", "nested/name", ".hidden", "..\\up"];
    names.forEach((name, i) => {
      write(dir, `specs/p${i}.md`, `---\nname: ${JSON.stringify(name)}\n---\n`);
      const e = failsTouchingNothing(
        dir,
        ["spec", "setup", "--spec", `specs/p${i}.md`],
        "INVALID_ID",
        2,
      );
      assert.match(e.message, /looks like a path/);
    });
    assert.deepEqual(fs.readdirSync(path.join(dir, PLANNING)), []);
  });

  test("names that fold to the same folder are refused clearly", () => {
    const dir = makeWorkspace();
    specFile(dir, "specs/a.md", "User Auth");
    specFile(dir, "specs/b.md", "user auth");
    ok(dir, ["spec", "setup", "--spec", "specs/a.md"]);
    const e = failsTouchingNothing(
      dir,
      ["spec", "setup", "--spec", "specs/b.md"],
      "STATE_CONFLICT",
      4,
    );
    assert.match(e.message, /specs\/b\.md would be the spec user-auth/);
    assert.match(e.message, /already belongs to specs\/a\.md/);
    assert.match(e.hint, /different name/);
  });

  test("one spec document is set up once: a renamed frontmatter does not make a second folder", () => {
    const dir = makeWorkspace();
    specFile(dir, "specs/a.md", "alpha");
    ok(dir, ["spec", "setup", "--spec", "specs/a.md"]);
    specFile(dir, "specs/a.md", "beta");
    const e = failsTouchingNothing(
      dir,
      ["spec", "setup", "--spec", "specs/a.md"],
      "STATE_CONFLICT",
      4,
    );
    assert.match(e.message, /already set up as alpha/);
    assert.match(e.hint, /baton spec migrate/);
  });

  test("bad paths: missing, outside the workspace, no --spec", () => {
    const dir = makeWorkspace();
    failsTouchingNothing(dir, ["spec", "setup", "--spec", "specs/none.md"], "FILE_NOT_FOUND", 3);
    const outside = tempDir("baton-outside-");
    specFile(outside, "x.md", "x");
    const e = failsTouchingNothing(
      dir,
      ["spec", "setup", "--spec", path.join(outside, "x.md")],
      "INVALID_INPUT",
      2,
    );
    assert.match(e.message, /outside the workspace/);
    // A symlink inside the repository that points out is judged by where it leads.
    fs.symlinkSync(path.join(outside, "x.md"), path.join(dir, "linked.md"));
    const linked = failsTouchingNothing(
      dir,
      ["spec", "setup", "--spec", "linked.md"],
      "INVALID_INPUT",
      2,
    );
    assert.match(linked.message, /outside the workspace/);
    failsTouchingNothing(dir, ["spec", "setup", "--spec", "."], "INVALID_INPUT", 2);
    failsTouchingNothing(dir, ["spec", "setup"], "USAGE", 2);
    failsTouchingNothing(dir, ["spec", "setup", "specs/x.md"], "USAGE", 2);
  });

  test("a corrupt status.yaml where the spec would go is reported, not overwritten", () => {
    const dir = makeWorkspace();
    specFile(dir, "specs/a.md", "alpha");
    write(dir, path.join(PLANNING, "alpha", "status.yaml"), "schema_version: [\n");
    failsTouchingNothing(dir, ["spec", "setup", "--spec", "specs/a.md"], "CORRUPT_FILE", 5);
  });
});

// ---- activate / deactivate ----

describe("baton spec activate / deactivate", () => {
  test("the active spec lives in the gitignored .active; both commands are idempotent", () => {
    const dir = cleanRepo();
    setUp(dir, "alpha");
    setUp(dir, "beta");
    const active = path.join(dir, PLANNING, ".active");
    // The first spec set up became active, as none was; the second left it so.
    assert.equal(fs.readFileSync(active, "utf8"), "alpha\n");
    ok(dir, ["spec", "deactivate"]);
    const a = ok(dir, ["spec", "activate", "alpha", "--json"]).json;
    assert.deepEqual(a, { name: "alpha", previous: null, changed: true });
    assert.equal(fs.readFileSync(active, "utf8"), "alpha\n");
    git(dir, "check-ignore", "-q", path.join(PLANNING, ".active"));
    assert.match(read(dir, "PLANNING.md"), /alpha/, "the journal shows the active spec");

    let before = snapshotTree(dir);
    const again = ok(dir, ["spec", "activate", "alpha"]);
    assert.match(again.stdout, /already active; nothing changed/);
    assertTreeEqual(dir, before, "second activate");

    const b = ok(dir, ["planning", "activate", "beta", "--json"]).json;
    assert.deepEqual(b, { name: "beta", previous: "alpha", changed: true });
    assert.equal(ok(dir, ["spec", "status", "--json"]).json.spec.name, "beta");

    const d = ok(dir, ["spec", "deactivate", "--json"]).json;
    assert.deepEqual(d, { previous: "beta", changed: true });
    assert.equal(fs.existsSync(active), false);
    before = snapshotTree(dir);
    const d2 = ok(dir, ["spec", "deactivate"]);
    assert.match(d2.stdout, /No spec was active; nothing changed/);
    assertTreeEqual(dir, before, "second deactivate");
  });

  test("unknown and path-like names are refused with nothing touched", () => {
    const dir = makeWorkspace();
    setUp(dir, "alpha");
    failsTouchingNothing(dir, ["spec", "activate", "nope"], "SPEC_NOT_FOUND", 3);
    failsTouchingNothing(dir, ["spec", "activate", "../alpha"], "INVALID_ID", 2);
    failsTouchingNothing(dir, ["spec", "activate", "/tmp"], "INVALID_ID", 2);
    failsTouchingNothing(dir, ["spec", "activate"], "USAGE", 2);
    failsTouchingNothing(dir, ["spec", "activate", "a", "b"], "USAGE", 2);
  });
});

// ---- status ----

describe("baton spec status", () => {
  test("without --spec: the active spec, else the only one, else none (exit 0)", () => {
    const dir = makeWorkspace();
    let before = snapshotTree(dir);
    const empty = ok(dir, ["spec", "status", "--json"]).json;
    assert.deepEqual([empty.spec, empty.specs], [null, []]);
    assert.match(ok(dir, ["spec", "status"]).stdout, /^Active spec: none\n {2}no specs yet/);
    assertTreeEqual(dir, before, "status only reads");
    setUp(dir, "alpha");
    ok(dir, ["spec", "deactivate"]);
    // Exactly one spec: that one, though none is active.
    const only = ok(dir, ["spec", "status", "--json"]).json;
    assert.deepEqual([only.spec.name, only.spec.active, only.selected], ["alpha", false, "only"]);
    assert.match(
      ok(dir, ["spec", "status"]).stdout,
      /^Spec alpha \(the only spec; none is active\)/,
    );
    setUp(dir, "beta");
    ok(dir, ["spec", "deactivate"]);
    before = snapshotTree(dir);
    const none = ok(dir, ["spec", "status", "--json"]).json;
    assert.deepEqual(
      [none.spec, none.specs, none.progress, none.git],
      [null, ["alpha", "beta"], null, null],
    );
    const text = ok(dir, ["spec", "status"]).stdout;
    assert.match(text, /^Active spec: none$/m);
    assert.match(text, /specs: alpha, beta \(activate one: baton spec activate <name>\)/);
    assertTreeEqual(dir, before, "status only reads");
    ok(dir, ["spec", "activate", "alpha"]);
    assert.equal(ok(dir, ["spec", "status", "--json"]).json.selected, "active");
    fs.rmSync(path.join(dir, PLANNING, "alpha"), { recursive: true });
    const gone = failsTouchingNothing(dir, ["spec", "status"], "SPEC_NOT_FOUND", 3);
    assert.match(gone.message, /active spec alpha no longer exists/);
    assert.match(gone.hint, /baton spec deactivate/);
    failsTouchingNothing(dir, ["spec", "status", "--spec", "nope"], "SPEC_NOT_FOUND", 3);
    failsTouchingNothing(dir, ["spec", "status", "--spec", "../x"], "INVALID_ID", 2);
  });

  test("no branch yet: the hint is null; the facts still show the current branch", () => {
    const dir = cleanRepo();
    setUp(dir, "alpha");
    const s = statusJson(dir, "--spec", "alpha");
    assert.equal(s.spec.last_known_branch, null);
    assert.equal(s.git.hinted_branch, null);
    assert.equal(s.git.unavailable, null);
    assert.equal(s.git.current_branch, "main");
    assert.equal(s.git.detached, false);
    assert.equal(s.git.has_commits, true);
    assert.deepEqual(s.git.remotes, []);
    assert.deepEqual(s.git.default_branch, {
      name: "main",
      ref: "refs/heads/main",
      source: "heuristic",
    });
    assert.deepEqual(s.git.current_vs_default, { ahead: 0, behind: 0 });
    assert.equal(s.git.worktree.linked, false);
    assert.equal(s.git.worktree.count, 1);
    const text = ok(dir, ["spec", "status", "--spec", "alpha"]).stdout;
    assert.match(text, /branch: +no hint yet/);
    assert.match(text, /guessed: first of main, master, trunk/);
  });

  test("a one-file spec's checkboxes are its tasks; a spec without any has zero progress", () => {
    const dir = makeWorkspace();
    setUp(
      dir,
      "alpha",
      "specs/alpha.md",
      "- [x] 1. Done thing\n- [ ] 2. Open thing\n- [ ]* 3. Maybe\n",
    );
    const s = statusJson(dir, "--spec", "alpha");
    assert.equal(s.tasks_file, "specs/alpha.md");
    assert.deepEqual(s.progress, {
      total: 3,
      done: 1,
      in_progress: 0,
      todo: 2,
      optional: 1,
      required: 2,
      required_done: 1,
      percent: 50,
    });
    const text = ok(dir, ["spec", "status", "--spec", "alpha"]).stdout;
    assert.match(text, /next: +2 Open thing/);
    // One denominator: the done count and the percentage are both over the required tasks.
    assert.match(text, /progress: 1\/2 required done \(50%\), 1 optional — specs\/alpha\.md/);
    setUp(dir, "beta", "specs/beta.md", "Prose only.\n");
    const b = statusJson(dir, "--spec", "beta");
    assert.equal(b.progress.total, 0);
    assert.deepEqual(b.tasks, []);
  });

  test("the hinted branch: local, on the remote, ahead/behind the default branch", () => {
    const dir = cleanRepo();
    const remote = bareRemote();
    git(dir, "remote", "add", "origin", remote);
    git(dir, "push", "-q", "origin", "main");
    git(dir, "checkout", "-q", "-b", "feature/auth");
    commit(dir, "feature one");
    commit(dir, "feature two");
    git(dir, "push", "-q", "origin", "feature/auth");
    git(dir, "checkout", "-q", "main");
    commit(dir, "main moves on");
    git(dir, "push", "-q", "origin", "main");
    setUp(dir, "alpha");
    ok(dir, ["spec", "update-branch", "--spec", "alpha", "--branch", "feature/auth"]);

    const s = statusJson(dir, "--spec", "alpha");
    assert.deepEqual(s.git.remotes, ["origin"]);
    // No origin/HEAD (the remote was added by hand, not cloned): the heuristic finds main.
    assert.deepEqual(s.git.default_branch, {
      name: "main",
      ref: "refs/remotes/origin/main",
      source: "heuristic",
    });
    assert.deepEqual(s.git.hinted_branch, {
      name: "feature/auth",
      is_current: false,
      exists_locally: true,
      on_remotes: ["origin"],
      vs_default: { ahead: 2, behind: 1 },
      checked_out_elsewhere: null,
      other_specs: [],
    });
    assert.equal(s.git.current_branch, "main");
    assert.deepEqual(s.git.current_vs_default, { ahead: 0, behind: 0 });

    // With origin/HEAD set, it is the source; a local-only commit shows as ahead of origin/main.
    git(dir, "remote", "set-head", "origin", "main");
    commit(dir, "local only");
    const h = statusJson(dir, "--spec", "alpha");
    assert.deepEqual(h.git.default_branch, {
      name: "main",
      ref: "refs/remotes/origin/main",
      source: "origin/HEAD",
    });
    assert.deepEqual(h.git.current_vs_default, { ahead: 1, behind: 0 });
    assert.match(ok(dir, ["spec", "status", "--spec", "alpha"]).stdout, /from origin\/HEAD/);

    // On the hinted branch itself.
    git(dir, "checkout", "-q", "feature/auth");
    const on = statusJson(dir, "--spec", "alpha");
    assert.equal(on.git.current_branch, "feature/auth");
    assert.equal(on.git.hinted_branch.is_current, true);
    assert.deepEqual(on.git.current_vs_default, { ahead: 2, behind: 1 });
  });

  test("a clone's origin/HEAD names a default branch that is not main", () => {
    const origin = tempDir("baton-origin-");
    git(origin, "init", "-q");
    git(origin, "symbolic-ref", "HEAD", "refs/heads/develop");
    commit(origin, "first");
    const parent = tempDir("baton-clone-");
    git(parent, "clone", "-q", origin, "work");
    const dir = path.join(parent, "work");
    ok(dir, ["init"]);
    setUp(dir, "alpha");
    const s = statusJson(dir, "--spec", "alpha");
    assert.deepEqual(s.git.default_branch, {
      name: "develop",
      ref: "refs/remotes/origin/develop",
      source: "origin/HEAD",
    });
    assert.equal(s.git.current_branch, "develop");
  });

  test("the hinted branch deleted locally and on the remote", () => {
    const dir = cleanRepo();
    const remote = bareRemote();
    git(dir, "remote", "add", "origin", remote);
    git(dir, "push", "-q", "origin", "main");
    git(dir, "branch", "gone");
    git(dir, "push", "-q", "origin", "gone");
    setUp(dir, "alpha");
    ok(dir, ["spec", "update-branch", "--spec", "alpha", "--branch", "gone"]);
    assert.equal(statusJson(dir, "--spec", "alpha").git.hinted_branch.exists_locally, true);

    git(dir, "branch", "-q", "-D", "gone");
    const local = statusJson(dir, "--spec", "alpha").git.hinted_branch;
    assert.equal(local.exists_locally, false);
    assert.deepEqual(local.on_remotes, ["origin"]);
    assert.deepEqual(local.vs_default, { ahead: 0, behind: 0 });

    git(dir, "push", "-q", "origin", "--delete", "gone");
    const s = statusJson(dir, "--spec", "alpha");
    assert.equal(s.spec.last_known_branch, "gone", "the hint is kept: Baton only reports");
    assert.deepEqual(s.git.hinted_branch, {
      name: "gone",
      is_current: false,
      exists_locally: false,
      on_remotes: [],
      vs_default: null,
      checked_out_elsewhere: null,
      other_specs: [],
    });
    assert.match(
      ok(dir, ["spec", "status", "--spec", "alpha"]).stdout,
      /gone — not local, on no remote/,
    );
  });

  test("two specs on one branch are allowed, and each sees the other", () => {
    const dir = cleanRepo();
    setUp(dir, "alpha");
    setUp(dir, "beta");
    git(dir, "branch", "shared");
    ok(dir, ["spec", "update-branch", "--spec", "alpha", "--branch", "shared"]);
    ok(dir, ["spec", "update-branch", "--spec", "beta", "--branch", "shared"]);
    assert.deepEqual(statusJson(dir, "--spec", "alpha").git.hinted_branch.other_specs, ["beta"]);
    assert.deepEqual(statusJson(dir, "--spec", "beta").git.hinted_branch.other_specs, ["alpha"]);
    const list = ok(dir, ["spec", "list", "--json"]).json;
    assert.deepEqual(
      list.specs.map((s: any) => [s.name, s.last_known_branch]),
      [
        ["alpha", "shared"],
        ["beta", "shared"],
      ],
    );
  });

  test("uncommitted changes are counted, and Baton's own files are told apart", () => {
    const dir = cleanRepo();
    setUp(dir, "alpha");
    git(dir, "add", "-A");
    git(dir, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "spec");
    assert.equal(statusJson(dir, "--spec", "alpha").git.uncommitted.total, 0);

    ok(dir, ["spec", "update-branch", "--spec", "alpha", "--branch", "feature/x"]);
    const batonOnly = statusJson(dir, "--spec", "alpha").git.uncommitted;
    assert.equal(batonOnly.baton_only, true);
    assert.ok(batonOnly.unstaged >= 1);

    write(dir, "src/new.ts", "export {};\n");
    fs.appendFileSync(path.join(dir, "specs", "alpha.md"), "more\n");
    git(dir, "add", "specs/alpha.md");
    const u = statusJson(dir, "--spec", "alpha").git.uncommitted;
    assert.equal(u.baton_only, false);
    assert.equal(u.staged, 1);
    assert.equal(u.untracked, 1);
    assert.ok(u.paths.includes("src/"));
    assert.ok(u.paths.includes("specs/alpha.md"));
    assert.equal(u.total, u.paths.length);
  });

  test("a detached HEAD and a repository without commits are facts, not errors", () => {
    const dir = cleanRepo();
    commit(dir, "second");
    setUp(dir, "alpha");
    git(dir, "checkout", "-q", "--detach", "HEAD~1");
    const d = statusJson(dir, "--spec", "alpha").git;
    assert.equal(d.detached, true);
    assert.equal(d.current_branch, null);
    assert.match(d.head_commit, /^[0-9a-f]{40}$/);
    assert.deepEqual(d.current_vs_default, { ahead: 0, behind: 1 });
    assert.match(
      ok(dir, ["spec", "status", "--spec", "alpha"]).stdout,
      /detached HEAD at [0-9a-f]{12}/,
    );

    const fresh = makeWorkspace();
    git(fresh, "symbolic-ref", "HEAD", "refs/heads/main");
    setUp(fresh, "alpha");
    const f = statusJson(fresh, "--spec", "alpha").git;
    assert.equal(f.unavailable, null);
    assert.equal(f.has_commits, false);
    assert.equal(f.head_commit, null);
    assert.equal(f.current_branch, "main");
    assert.equal(f.default_branch, null);
    assert.equal(f.current_vs_default, null);
    assert.match(ok(fresh, ["spec", "status", "--spec", "alpha"]).stdout, /no commits yet/);
  });

  test("outside a git repository the spec is still shown, with the reason git facts are missing", () => {
    const dir = tempDir("baton-nogit-");
    ok(dir, ["init"]);
    setUp(dir, "alpha");
    const s = statusJson(dir, "--spec", "alpha");
    assert.equal(s.spec.name, "alpha");
    assert.equal(s.git.unavailable, "not a git repository");
    assert.equal(s.git.current_branch, null);
    assert.equal(s.git.uncommitted, null);
    assert.match(
      ok(dir, ["spec", "status", "--spec", "alpha"]).stdout,
      /Git: not a git repository/,
    );
  });

  test("worktrees: a branch checked out elsewhere, and a linked worktree", () => {
    const dir = cleanRepo();
    setUp(dir, "alpha");
    git(dir, "add", "-A");
    git(dir, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "spec");
    const wt = path.join(tempDir("baton-wt-"), "feature");
    git(dir, "worktree", "add", "-q", "-b", "feature/wt", wt);
    ok(dir, ["spec", "update-branch", "--spec", "alpha", "--branch", "feature/wt"]);
    const main = statusJson(dir, "--spec", "alpha").git;
    assert.equal(main.worktree.count, 2);
    assert.equal(main.worktree.linked, false);
    assert.equal(fs.realpathSync(main.hinted_branch.checked_out_elsewhere), fs.realpathSync(wt));

    const linked = statusJson(wt, "--spec", "alpha").git;
    assert.equal(linked.worktree.linked, true);
    assert.equal(linked.current_branch, "feature/wt");
  });

  test("an approved spec whose documents changed goes back to in_review, under the lock", () => {
    const dir = makeWorkspace();
    setUp(dir, "alpha");
    const ws = openWorkspace(dir);
    const status = readSpecStatus(ws, "alpha");
    assert.ok(status);
    const hash = specContentHash(ws, status);
    writeStatus(dir, "alpha", {
      name: "alpha",
      spec: "specs/alpha.md",
      stage: "approved",
      approved_hash: hash,
    });
    // Unchanged documents: still approved, nothing written.
    let before = snapshotTree(dir);
    const same = ok(dir, ["spec", "status", "--spec", "alpha", "--json"]);
    assert.equal(same.json.spec.stage, "approved");
    assert.equal(same.json.reopened, false);
    assertTreeEqual(dir, before, "status of an unchanged approved spec");

    fs.appendFileSync(path.join(dir, "specs", "alpha.md"), "\nA late edit.\n");
    const r = ok(dir, ["spec", "status", "--spec", "alpha", "--json"]);
    assert.equal(r.json.spec.stage, "in_review");
    assert.equal(r.json.reopened, true);
    assert.match(r.stderr, /\[baton\] spec alpha was approved, but its documents changed since/);
    const after = statusYaml(dir, "alpha");
    assert.equal(after.stage, "in_review");
    assert.match(read(dir, PLANNING, "alpha", "status.yaml"), /"action":"reopen"/);
    assert.match(read(dir, ".baton", "events.jsonl"), /"type":"spec\.reopened"/);

    // Reading again changes nothing more.
    before = snapshotTree(dir);
    const again = ok(dir, ["spec", "status", "--spec", "alpha", "--json"]);
    assert.equal(again.json.reopened, false);
    assert.equal(again.stderr, "");
    assertTreeEqual(dir, before, "second status after reopening");
  });

  test("list applies the same approval rule", () => {
    const dir = makeWorkspace();
    setUp(dir, "alpha");
    writeStatus(dir, "alpha", {
      name: "alpha",
      spec: "specs/alpha.md",
      stage: "approved",
      approved_hash: "sha256:stale",
    });
    const r = ok(dir, ["spec", "list", "--json"]);
    assert.equal(r.json.specs[0].stage, "in_review");
    assert.match(r.stderr, /moved back to in_review/);
  });
});

// ---- update-branch ----

describe("baton spec update-branch", () => {
  test("records the hint, is idempotent, and null clears it", () => {
    const dir = makeWorkspace();
    setUp(dir, "alpha");
    ok(dir, ["spec", "activate", "alpha"]);
    const r = ok(dir, ["spec", "update-branch", "--branch", "feature/alpha", "--json"]).json;
    assert.deepEqual(r, {
      name: "alpha",
      previous: null,
      last_known_branch: "feature/alpha",
      changed: true,
    });
    const s = statusYaml(dir, "alpha");
    assert.equal(s.last_known_branch, "feature/alpha");
    assert.notEqual(s.updated, s.created);
    assert.match(read(dir, ".baton", "events.jsonl"), /"type":"spec\.branch_updated"/);

    const before = snapshotTree(dir);
    const again = ok(dir, [
      "spec",
      "update-branch",
      "--spec",
      "alpha",
      "--branch",
      "feature/alpha",
    ]);
    assert.match(again.stdout, /already feature\/alpha; nothing changed/);
    assertTreeEqual(dir, before, "same branch again");

    const cleared = ok(dir, [
      "spec",
      "update-branch",
      "--spec",
      "alpha",
      "--branch",
      "null",
      "--json",
    ]);
    assert.equal(cleared.json.last_known_branch, null);
    assert.equal(statusYaml(dir, "alpha").last_known_branch, null);
  });

  test("bad input is refused with nothing touched", () => {
    const dir = makeWorkspace();
    setUp(dir, "alpha");
    const e = failsTouchingNothing(
      dir,
      ["spec", "update-branch", "--spec", "alpha", "--branch", "bad name"],
      "INVALID_INPUT",
      2,
    );
    assert.match(e.message, /not a valid branch name/);
    failsTouchingNothing(
      dir,
      ["spec", "update-branch", "--spec", "alpha", "--branch", "a..b"],
      "INVALID_INPUT",
      2,
    );
    failsTouchingNothing(dir, ["spec", "update-branch", "--spec", "alpha"], "USAGE", 2);
    failsTouchingNothing(
      dir,
      ["spec", "update-branch", "--spec", "nope", "--branch", "x"],
      "SPEC_NOT_FOUND",
      3,
    );
    ok(dir, ["spec", "deactivate"]);
    failsTouchingNothing(dir, ["spec", "update-branch", "--branch", "x"], "SPEC_NOT_FOUND", 3);
  });
});

// ---- list ----

describe("baton spec list", () => {
  test("name, stage, branch hint, spec path and the active marker", () => {
    const dir = makeWorkspace();
    assert.match(ok(dir, ["spec", "list"]).stdout, /No specs\. Set one up: baton spec setup/);
    setUp(dir, "alpha");
    setUp(dir, "beta");
    ok(dir, ["spec", "activate", "beta"]);
    ok(dir, ["spec", "update-branch", "--spec", "beta", "--branch", "feature/beta"]);
    const r = ok(dir, ["spec", "list", "--json"]).json;
    assert.equal(r.active, "beta");
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.specs.map((s: any) => [s.name, s.stage, s.last_known_branch, s.spec, s.active, s.folder]),
      [
        ["alpha", "draft", null, "specs/alpha.md", false, ".baton/planning/alpha"],
        ["beta", "draft", "feature/beta", "specs/beta.md", true, ".baton/planning/beta"],
      ],
    );
    const text = ok(dir, ["spec", "list"]).stdout.split("\n");
    assert.match(text[0] as string, /NAME +STAGE +BRANCH +SPEC/);
    assert.match(text[1] as string, /^ +alpha +draft +- +specs\/alpha\.md$/);
    assert.match(text[2] as string, /^\* +beta +draft +feature\/beta +specs\/beta\.md$/);
  });

  test("branch-named folders, corrupt files and a stale .active are listed as problems", () => {
    const dir = makeWorkspace();
    setUp(dir, "alpha");
    writeStatus(dir, "feature/billing", { name: "billing", spec: "specs/billing.md" });
    write(dir, path.join(PLANNING, "broken", "status.yaml"), "schema_version: 1\nname: [\n");
    write(dir, path.join(PLANNING, ".active"), "ghost\n");
    const r = ok(dir, ["spec", "list", "--json"]).json;
    assert.deepEqual(
      r.specs.map((s: any) => s.name),
      ["alpha"],
    );
    const problems = Object.fromEntries(r.problems.map((p: any) => [p.folder, p]));
    assert.match(problems[".baton/planning/feature/billing"].hint, /baton spec migrate/);
    assert.equal(problems[".baton/planning/broken"].code, "CORRUPT_FILE");
    assert.match(problems[".baton/planning/.active"].message, /"ghost" is not a spec here/);
    assert.match(
      ok(dir, ["spec", "list"]).stdout,
      /! \.baton\/planning\/feature\/billing: .*spec "billing"/,
    );
  });
});

// ---- switch ----

describe("baton spec switch", () => {
  test("without a terminal it refuses, pointing at activate", () => {
    const dir = makeWorkspace();
    setUp(dir, "alpha");
    const e = failsTouchingNothing(dir, ["spec", "switch"], "USAGE", 2);
    assert.match(e.message, /stdin is not one/);
    assert.match(e.hint, /baton spec activate <name>/);
  });

  test("on a terminal it shows a numbered list and activates the chosen spec", (t) => {
    const script = spawnSync("script", ["--version"], { encoding: "utf8" });
    if (process.platform !== "linux" || script.status !== 0)
      return t.skip("needs util-linux script(1) to give the CLI a terminal");
    const dir = makeWorkspace();
    setUp(dir, "alpha");
    setUp(dir, "beta");
    ok(dir, ["spec", "deactivate"]);
    const command = [process.execPath, BATON_BIN, "spec", "switch", "--json"]
      .map((w) => `'${w}'`)
      .join(" ");
    const run = (input: string) =>
      spawnSync("script", ["-qec", command, "/dev/null"], {
        cwd: dir,
        input,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1" },
        timeout: 20_000,
      });
    const picked = run("2\n");
    assert.equal(picked.status, 0, picked.stdout);
    assert.match(picked.stdout, /1\) {3}alpha/);
    assert.match(picked.stdout, /2\) {3}beta/);
    assert.match(picked.stdout, /"name": "beta"/);
    assert.equal(read(dir, PLANNING, ".active"), "beta\n");

    const cancelled = run("\n");
    assert.equal(cancelled.status, 0);
    assert.match(cancelled.stdout, /"cancelled": true/);
    assert.equal(read(dir, PLANNING, ".active"), "beta\n");

    const wrong = run("7\n");
    assert.equal(wrong.status, 2);
    assert.match(wrong.stdout, /not one of the choices/);
  });
});

// ---- migrate ----

describe("baton spec migrate", () => {
  function legacy(): string {
    const dir = makeWorkspace();
    writeStatus(dir, "feature-user-auth", { name: "user-auth", spec: "specs/user-auth.md" });
    writeStatus(dir, "feature/billing", {
      name: "billing",
      spec: ".baton/planning/feature/billing/spec.md",
    });
    write(dir, path.join(PLANNING, "feature", "billing", "spec.md"), "# Billing\n");
    writeStatus(dir, "ok", { name: "ok", spec: "specs/ok.md" });
    write(dir, path.join(PLANNING, ".active"), "feature-user-auth\n");
    return dir;
  }

  test("--dry-run lists the moves and changes nothing", () => {
    const dir = legacy();
    const before = snapshotTree(dir);
    const r = ok(dir, ["spec", "migrate", "--dry-run", "--json"]).json;
    assert.equal(r.dry_run, true);
    assert.equal(r.changed, false);
    assert.deepEqual(
      r.moves.map((m: any) => [m.from, m.to]),
      [
        [".baton/planning/feature-user-auth", ".baton/planning/user-auth"],
        [".baton/planning/feature/billing", ".baton/planning/billing"],
      ],
    );
    assert.deepEqual(r.active, { from: "feature-user-auth", to: "user-auth" });
    assertTreeEqual(dir, before, "dry run");
    assert.match(ok(dir, ["spec", "migrate", "--dry-run"]).stdout, /Would migrate/);
  });

  test("renames folders after their spec, fixes paths inside them and .active; then nothing to do", () => {
    const dir = legacy();
    const r = ok(dir, ["spec", "migrate", "--json"]).json;
    assert.equal(r.changed, true);
    assert.deepEqual(r.moves[1].spec_path, {
      from: ".baton/planning/feature/billing/spec.md",
      to: ".baton/planning/billing/spec.md",
    });
    const planning = path.join(dir, PLANNING);
    assert.deepEqual(fs.readdirSync(planning).sort(), [".active", "billing", "ok", "user-auth"]);
    assert.equal(read(planning, ".active"), "user-auth\n");
    assert.equal(statusYaml(dir, "billing").spec, ".baton/planning/billing/spec.md");
    assert.equal(statusYaml(dir, "user-auth").name, "user-auth");
    assert.match(read(dir, ".baton", "events.jsonl"), /"type":"spec\.migrated"/);
    assert.equal(ok(dir, ["spec", "status", "--json"]).json.spec.name, "user-auth");
    assert.deepEqual(ok(dir, ["spec", "list", "--json"]).json.problems, []);

    const before = snapshotTree(dir);
    const again = ok(dir, ["spec", "migrate"]);
    assert.match(again.stdout, /Nothing to migrate/);
    assertTreeEqual(dir, before, "second migrate");
  });

  test("an approval survives the move when the documents did not change", () => {
    const dir = makeWorkspace();
    writeStatus(dir, "feature-x", { name: "x", spec: ".baton/planning/feature-x/spec.md" });
    write(dir, path.join(PLANNING, "feature-x", "spec.md"), "# X\n");
    const ws = openWorkspace(dir);
    const status = readSpecStatus(ws, "feature-x");
    assert.ok(status);
    writeStatus(dir, "feature-x", {
      name: "x",
      spec: ".baton/planning/feature-x/spec.md",
      stage: "approved",
      approved_hash: specContentHash(ws, status),
    });
    ok(dir, ["spec", "migrate"]);
    const s = ok(dir, ["spec", "status", "--spec", "x", "--json"]);
    assert.equal(s.json.spec.stage, "approved");
    assert.equal(s.json.reopened, false);
  });

  test("collisions are reported and nothing moves", () => {
    const dir = makeWorkspace();
    writeStatus(dir, "branch-a", { name: "User Auth" });
    writeStatus(dir, "branch-b", { name: "user-auth" });
    writeStatus(dir, "branch-c", { name: "taken" });
    write(dir, path.join(PLANNING, "taken", "notes.md"), "someone's notes\n");
    const e = failsTouchingNothing(dir, ["spec", "migrate"], "STATE_CONFLICT", 4);
    assert.match(e.message, /branch-a .* and branch-b .* would both become user-auth/);
    assert.match(e.message, /branch-c would become taken, which already exists/);
    assert.match(e.hint, /nothing was moved/);
    failsTouchingNothing(dir, ["spec", "migrate", "--dry-run"], "STATE_CONFLICT", 4);
  });

  test("a path-like name in a status.yaml refuses the whole migration", () => {
    const dir = legacy();
    writeStatus(dir, "evil", { name: "../../outside" });
    const e = failsTouchingNothing(dir, ["spec", "migrate"], "INVALID_ID", 2);
    assert.match(e.message, /looks like a path/);
  });

  test("the legacy layout: {planning}/{branch}/status.yaml with name, spec and branch is upgraded", () => {
    const dir = makeWorkspace();
    specFile(dir, "specs/roadmap/taskflow-mvp.spec.md", "taskflow-mvp", "- [ ] 1. API\n");
    // As the branch-folder layout wrote them: no schema_version, branch as a hard link.
    write(
      dir,
      path.join(PLANNING, "feat", "taskflow-api", "status.yaml"),
      "name: taskflow-mvp\nspec: specs/roadmap/taskflow-mvp.spec.md\nbranch: feat/taskflow-api\n",
    );
    const oldAuth = "name: auth-fix\nspec: specs/auth-fix.md\nbranch: fix-auth-bug\nowner: ada\n";
    write(dir, path.join(PLANNING, "auth-fix", "status.yaml"), oldAuth);
    // Before: reported as needing migration, never as a corrupt file.
    const listed = ok(dir, ["spec", "list", "--json"]).json;
    assert.deepEqual(
      listed.problems.map((p: any) => [p.folder, p.code]),
      [
        [".baton/planning/auth-fix", "STATE_CONFLICT"],
        [".baton/planning/feat/taskflow-api", "STATE_CONFLICT"],
      ],
    );
    assert.match(listed.problems[0].hint, /baton spec migrate/);
    const status = fails(dir, ["spec", "status", "--spec", "auth-fix"], "STATE_CONFLICT", 4);
    assert.match(status.message, /old branch-folder layout/);

    const before = snapshotTree(dir);
    const dry = ok(dir, ["spec", "migrate", "--dry-run", "--json"]).json;
    assertTreeEqual(dir, before, "dry run");
    assert.deepEqual(
      dry.moves.map((m: any) => [m.from, m.to, m.legacy, m.dropped_fields]),
      [
        [".baton/planning/auth-fix", ".baton/planning/auth-fix", true, ["owner"]],
        [".baton/planning/feat/taskflow-api", ".baton/planning/taskflow-mvp", true, []],
      ],
    );

    const r = ok(dir, ["spec", "migrate", "--json"]).json;
    assert.equal(r.changed, true);
    assert.deepEqual(fs.readdirSync(path.join(dir, PLANNING)).sort(), ["auth-fix", "taskflow-mvp"]);
    const mvp = statusYaml(dir, "taskflow-mvp");
    assert.deepEqual(
      [mvp.schema_version, mvp.name, mvp.spec, mvp.last_known_branch, mvp.stage, mvp.history],
      [1, "taskflow-mvp", "specs/roadmap/taskflow-mvp.spec.md", "feat/taskflow-api", "draft", []],
    );
    assert.equal("branch" in mvp, false);
    const auth = statusYaml(dir, "auth-fix");
    assert.deepEqual([auth.schema_version, auth.last_known_branch], [1, "fix-auth-bug"]);
    // The field with no place in today's status.yaml is not lost.
    assert.equal(r.moves[0].kept_original, ".baton/planning/auth-fix/status.legacy.yaml");
    assert.equal(read(dir, PLANNING, "auth-fix", "status.legacy.yaml"), oldAuth);
    assert.match(ok(dir, ["spec", "migrate", "--dry-run"]).stdout, /Nothing to migrate/);
    // Both are specs now.
    assert.deepEqual(ok(dir, ["spec", "list", "--json"]).json.problems, []);
    const s = statusJson(dir, "--spec", "taskflow-mvp");
    assert.equal(s.spec.last_known_branch, "feat/taskflow-api");
    assert.equal(s.progress.total, 1);
  });

  test("a name needing folding is folded, whether or not the folder moves", () => {
    const dir = makeWorkspace();
    writeStatus(dir, "branch-x", { name: "User Auth" });
    writeStatus(dir, "billing", { name: "Billing" });
    const r = ok(dir, ["spec", "migrate", "--json"]).json;
    assert.deepEqual(
      r.moves.map((m: any) => [m.from, m.to, m.written_name]),
      [
        [".baton/planning/billing", ".baton/planning/billing", "Billing"],
        [".baton/planning/branch-x", ".baton/planning/user-auth", "User Auth"],
      ],
    );
    assert.equal(statusYaml(dir, "user-auth").name, "user-auth");
    assert.equal(statusYaml(dir, "billing").name, "billing");
    assert.deepEqual(ok(dir, ["spec", "list", "--json"]).json.problems, []);
  });
});

// ---- help and the alias ----

describe("spec folder commands: help, --json and the planning alias", () => {
  const commands = [
    "setup",
    "activate",
    "deactivate",
    "status",
    "list",
    "update-branch",
    "switch",
    "migrate",
  ];

  test("every command has --help with examples", () => {
    const dir = makeWorkspace();
    for (const name of commands) {
      const r = ok(dir, ["spec", name, "--help"]);
      assert.match(r.stdout, new RegExp(`^baton spec ${name}`), name);
      assert.match(r.stdout, /\nExamples:\n {2}baton /, name);
      const viaAlias = ok(dir, ["planning", name, "--help", "--json"]);
      assert.equal(typeof viaAlias.json.help, "string");
    }
    const group = ok(dir, ["spec", "--help"]).stdout;
    for (const name of commands) assert.match(group, new RegExp(`spec ${name} `), name);
  });

  test("errors are one JSON document with --json, and one line on stderr without", () => {
    const dir = makeWorkspace();
    const e = fails(dir, ["planning", "status", "--spec", "nope"], "SPEC_NOT_FOUND", 3);
    assert.match(e.hint, /baton spec list/);
    const text = baton(dir, ["spec", "status", "--spec", "nope"]);
    assert.equal(text.stdout, "");
    assert.equal(text.stderr.trim().split("\n").length, 1);
  });
});

test("the ENABLE_SPEC and SPEC_PLANNING flows read status facts and record the branch", () => {
  for (const file of ["enable-spec.md", "spec-planning.md"]) {
    const text = fs.readFileSync(path.join(REPO_ROOT, "agents", "flows", file), "utf8");
    const { invocations, findings } = checkText(text, file);
    assert.deepEqual(findings, [], file);
    const used = (command: string, flag?: string) =>
      invocations.some((i) => i.command === command && (!flag || i.flags.includes(flag)));
    assert.ok(used("spec status", "--json"), `${file} reads baton spec status --json`);
    assert.ok(used("spec update-branch", "--branch"), `${file} records with update-branch`);
    for (const fact of ["uncommitted", "default_branch", "hinted_branch", "behind"])
      assert.ok(text.includes(fact), `${file} explains ${fact}`);
  }
});
