import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { BatonError } from "../../src/core/errors.ts";
import {
  appendLine,
  sweepTempFiles,
  TEMP_MARKER,
  writeFileAtomic,
} from "../../src/store/atomic.ts";
import {
  BATON_BIN,
  baton,
  knowledge,
  makeWorkspace,
  snapshotTree,
  unprivilegedRunner,
} from "../helpers.ts";
import { findFiles, removeDir } from "./procs.ts";

const posix = process.platform !== "win32";
const isTemp = (name: string) => name.includes(TEMP_MARKER);

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "baton-atomic-"));
  t.after(() => removeDir(dir));
  return dir;
}

function assertIoError(fn: () => void): BatonError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof BatonError, `expected a BatonError, got ${String(caught)}`);
  assert.equal(caught.code, "IO_ERROR");
  assert.match(caught.hint, /nothing was changed/);
  return caught;
}

describe("writeFileAtomic", () => {
  test("replaces the bytes, leaves no temp file and keeps the file's permissions", (t) => {
    const dir = tempDir(t);
    const file = path.join(dir, "state.json");
    fs.writeFileSync(file, "old\n");
    if (posix) fs.chmodSync(file, 0o600);
    writeFileAtomic(file, "new\n");
    assert.equal(fs.readFileSync(file, "utf8"), "new\n");
    assert.deepEqual(fs.readdirSync(dir), ["state.json"]);
    if (posix) assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  test("a failed rename (a folder in the way) leaves it intact and no temp file", (t) => {
    const dir = tempDir(t);
    const target = path.join(dir, "index.json");
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, "inside.txt"), "keep");
    assertIoError(() => writeFileAtomic(target, "{}"));
    assert.equal(fs.readFileSync(path.join(target, "inside.txt"), "utf8"), "keep");
    assert.deepEqual(findFiles(dir, isTemp), []);
  });

  test("a file where the folder should be is an IO_ERROR, not a crash", (t) => {
    const dir = tempDir(t);
    fs.writeFileSync(path.join(dir, "topics"), "a file, not a folder");
    const error = assertIoError(() => writeFileAtomic(path.join(dir, "topics", "a", "x.md"), "x"));
    assert.match(error.message, /ENOTDIR|EEXIST/);
    assert.equal(fs.readFileSync(path.join(dir, "topics"), "utf8"), "a file, not a folder");
  });

  test("a symlink at the target is replaced, never written through", { skip: !posix }, (t) => {
    const dir = tempDir(t);
    const outside = path.join(dir, "outside.txt");
    fs.writeFileSync(outside, "precious");
    const link = path.join(dir, "index.json");
    fs.symlinkSync(outside, link);
    writeFileAtomic(link, "{}");
    assert.equal(fs.readFileSync(outside, "utf8"), "precious");
    assert.equal(fs.lstatSync(link).isSymbolicLink(), false);
    assert.equal(fs.readFileSync(link, "utf8"), "{}");
  });

  test("a target whose name is near the 255-byte limit still gets a temp name that fits", (t) => {
    const dir = tempDir(t);
    const file = path.join(dir, `${"n".repeat(245)}.md`);
    writeFileAtomic(file, "long");
    writeFileAtomic(file, "longer");
    assert.equal(fs.readFileSync(file, "utf8"), "longer");
    assert.deepEqual(findFiles(dir, isTemp), []);
  });
});

describe("appendLine", () => {
  test("a torn last line is cut off, never left in the middle of the file", (t) => {
    const file = path.join(tempDir(t), "events.jsonl");
    appendLine(file, '{"n":1}');
    fs.appendFileSync(file, '{"n":2,"torn'); // a writer died mid-append
    appendLine(file, '{"n":3}');
    const lines = fs.readFileSync(file, "utf8").split("\n");
    assert.deepEqual(lines, ['{"n":1}', '{"n":3}', ""]);
  });

  test("a whole last line without its newline (an editor's) keeps its bytes", (t) => {
    const file = path.join(tempDir(t), "events.jsonl");
    fs.writeFileSync(file, '{"n":1}\n{"n":2}');
    appendLine(file, '{"n":3}');
    assert.equal(fs.readFileSync(file, "utf8"), '{"n":1}\n{"n":2}\n{"n":3}\n');
  });
});

describe("sweepTempFiles", () => {
  test("removes only regular files carrying the temp marker", (t) => {
    const dir = tempDir(t);
    const temp = path.join(dir, `.a.md${TEMP_MARKER}1-abcd`);
    fs.writeFileSync(temp, "half");
    fs.writeFileSync(path.join(dir, "a.md"), "whole");
    fs.mkdirSync(path.join(dir, `folder${TEMP_MARKER}1`));
    const removed = sweepTempFiles([dir, path.join(dir, "missing")]);
    assert.deepEqual(removed, [temp]);
    assert.deepEqual(fs.readdirSync(dir).sort(), ["a.md", `folder${TEMP_MARKER}1`].sort());
  });
});

/** A workspace with one ticket whose file is about 16 KB (a long human-written body). */
function workspaceWithBigTicket(): { dir: string; id: string; file: string } {
  const dir = makeWorkspace();
  assert.equal(baton(dir, ["seed", "Write failures"]).code, 0);
  assert.equal(baton(dir, ["plan", "Failing writes", "--body", "- [ ] Only task"]).code, 0);
  assert.equal(baton(dir, ["backlog"]).code, 0);
  const ticketsDir = path.join(dir, ".baton", "tickets");
  const name = fs.readdirSync(ticketsDir).find((n) => n.endsWith(".md")) as string;
  const file = path.join(ticketsDir, name);
  fs.appendFileSync(file, `\n## Notes\n\n${"A long note line that a person wrote.\n".repeat(440)}`);
  return { dir, id: name.slice(0, -3), file };
}

/**
 * Runs the CLI with files capped at `blocks` of the shell's `ulimit -f` unit (RLIMIT_FSIZE):
 * writes past that fail with EFBIG. The unit is 512 bytes in some shells and 1024 in others,
 * so tests that need an exact cap use {@link fileSizeUnit}.
 */
function withFileSizeLimit(dir: string, args: string[], blocks = 4) {
  return spawnSync(
    "/bin/sh",
    ["-c", `ulimit -f ${blocks} && exec "$0" "$@"`, process.execPath, BATON_BIN, ...args],
    {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    },
  );
}

/** The byte size of one `ulimit -f` block of /bin/sh, measured by filling a file up to it. */
function fileSizeUnit(): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "baton-ulimit-"));
  try {
    const file = path.join(dir, "probe");
    spawnSync("/bin/sh", ["-c", 'ulimit -f 1 && head -c 4096 /dev/zero > "$0"', file]);
    return fs.statSync(file).size;
  } finally {
    removeDir(dir);
  }
}

function assertCliIoError(result: { code: number; json: any; stdout: string }): void {
  assert.equal(result.code, 7, result.stdout);
  assert.equal(result.json?.error?.code, "IO_ERROR", result.stdout);
  assert.ok(String(result.json.error.hint).length > 10, "a hint is given");
}

describe("a write that fails changes nothing (CLI)", { skip: !posix, timeout: 30_000 }, () => {
  test("file size limit hit mid-write (EFBIG after a partial write)", (t) => {
    const { dir, id, file } = workspaceWithBigTicket();
    t.after(() => removeDir(dir));
    const before = snapshotTree(dir);
    // RLIMIT_FSIZE works for any user, root included: the kernel accepts the first bytes and
    // then refuses with EFBIG, exactly like a disk that fills up mid-write. Node ignores
    // SIGXFSZ, so the write call sees the error.
    const run = withFileSizeLimit(dir, ["--json", "ticket", "set-status", id, "done"]);
    const json = JSON.parse(run.stdout);
    assertCliIoError({ code: run.status ?? -1, json, stdout: run.stdout + run.stderr });
    assert.match(json.error.message, /EFBIG/);
    assert.deepEqual(snapshotTree(dir), before, "every file keeps its old bytes");
    assert.deepEqual(findFiles(dir, isTemp), []);
    assert.ok(fs.readFileSync(file, "utf8").includes("status: todo"));
  });

  test("a read-only tickets folder", (t) => {
    const { dir, id } = workspaceWithBigTicket();
    const ticketsDir = path.join(dir, ".baton", "tickets");
    // Root writes through permissions: as root, the command runs as an unprivileged user that
    // owns the workspace, so the folder's mode is enforced either way.
    const asUser = unprivilegedRunner();
    if (asUser) chownTree(dir, asUser.uid, asUser.gid);
    fs.chmodSync(ticketsDir, 0o555);
    t.after(() => {
      fs.chmodSync(ticketsDir, 0o755);
      removeDir(dir);
    });
    const before = snapshotTree(dir);
    const run = spawnSync(
      asUser?.node ?? process.execPath,
      [asUser?.bin ?? BATON_BIN, "--json", "ticket", "set-status", id, "done"],
      {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1", HOME: dir },
        ...(asUser ? { uid: asUser.uid, gid: asUser.gid } : {}),
      },
    );
    const result = {
      code: run.status ?? -1,
      json: JSON.parse(run.stdout),
      stdout: run.stdout + run.stderr,
    };
    assertCliIoError(result);
    assert.match(result.json.error.hint, /permission/);
    assert.deepEqual(snapshotTree(dir), before);
  });

  test("a new topic whose catalog write fails leaves no topic behind", (t) => {
    const dir = makeWorkspace();
    t.after(() => removeDir(dir));
    // index.json past the 4 KB limit below, so the spike's own small files are written first
    // and the catalog write is the one refused.
    for (let i = 0; i < 30; i++) {
      assert.equal(baton(dir, ["seed", `Existing idea ${i}`, "--no-session"]).code, 0);
    }
    assert.equal(baton(dir, ["seed", "Root idea"]).code, 0);
    const before = snapshotTree(dir);
    const run = withFileSizeLimit(dir, ["--json", "spike", "Too big"]);
    const json = JSON.parse(run.stdout);
    assertCliIoError({ code: run.status ?? -1, json, stdout: run.stdout + run.stderr });
    assert.match(json.error.message, /EFBIG/);
    assert.equal(fs.existsSync(knowledge(dir, "topics", "spike-too-big")), false);
    // Every file it had already updated is put back too: the session names no spike that was
    // rolled back, the seed's sources.md links none.
    assert.deepEqual(snapshotTree(dir), before, "every file is as it was");
    assert.match(json.error.hint, /nothing was changed/);
    assert.deepEqual(findFiles(dir, isTemp), []);
    assert.equal(baton(dir, ["spike", "Too big"]).code, 0, "the same command then succeeds");
  });

  test("a task set refused by a full disk halfway leaves the old set whole", (t) => {
    const dir = makeWorkspace();
    t.after(() => removeDir(dir));
    assert.equal(baton(dir, ["plan", "Full disk"]).code, 0);
    const oldSet = path.join(dir, "old.md");
    fs.writeFileSync(
      oldSet,
      "- [ ] IMPL-1: old one\n- [ ] IMPL-2: old two\n- [ ] IMPL-3: old three\n",
    );
    assert.equal(
      baton(dir, ["plan", "tasks", "plan-full-disk", "--from", oldSet, "--skip-context"]).code,
      0,
    );
    // The new set's second task is too big for the 2 KB the command may write.
    const newSet = path.join(dir, "new.json");
    const big = { id: "IMPL-2", title: "new two", description: "x".repeat(3_000) };
    fs.writeFileSync(newSet, JSON.stringify([{ id: "IMPL-1", title: "new one" }, big]));
    const before = snapshotTree(dir);
    const blocks = Math.floor(2048 / fileSizeUnit());
    const args = ["--json", "plan", "tasks", "plan-full-disk", "--from", newSet, "--skip-context"];
    const run = withFileSizeLimit(dir, args, blocks);
    const json = JSON.parse(run.stdout);
    assertCliIoError({ code: run.status ?? -1, json, stdout: run.stdout + run.stderr });
    assert.match(json.error.message, /EFBIG/);
    assert.match(json.error.hint, /nothing was changed/);
    assert.deepEqual(snapshotTree(dir), before, "the old set and its views are whole");
    assert.deepEqual(findFiles(dir, isTemp), []);
    const titles = baton(dir, ["plan", "next", "plan-full-disk", "--json"]).json.next.map(
      (n: { title: string }) => n.title,
    );
    assert.deepEqual(titles, ["old one", "old two", "old three"]);
  });

  test("journal archive refused by a full disk on journal.json leaves no archive behind", (t) => {
    const dir = makeWorkspace();
    t.after(() => removeDir(dir));
    assert.equal(baton(dir, ["seed", "Archive me"]).code, 0);
    // Next steps full of backslashes: JSON doubles them, Markdown does not, so the fresh
    // journal.json (which carries them over) is larger than the PLANNING.md being archived.
    const text = "\\".repeat(300);
    for (let i = 1; i <= 30; i++) {
      assert.equal(baton(dir, ["journal", "next", `${i} ${text}`]).code, 0);
    }
    const planning = fs.statSync(path.join(dir, "PLANNING.md")).size;
    const state = fs.statSync(path.join(dir, ".baton", "journal.json")).size;
    const unit = fileSizeUnit();
    const blocks = Math.floor((planning + state) / 2 / unit);
    assert.ok(planning < blocks * unit && blocks * unit < state, `${planning} / ${state}`);
    const before = snapshotTree(dir);
    const run = withFileSizeLimit(dir, ["--json", "journal", "archive"], blocks);
    const json = JSON.parse(run.stdout);
    assertCliIoError({ code: run.status ?? -1, json, stdout: run.stdout + run.stderr });
    assert.match(json.error.message, /journal\.json.*EFBIG/);
    assert.deepEqual(fs.readdirSync(path.join(dir, ".baton", "archive")), [], "no archive");
    assert.deepEqual(snapshotTree(dir), before, "every file is as it was");
    assert.deepEqual(findFiles(dir, isTemp), []);
  });

  test("a journal that fails halfway leaves no archive, and the command's change stands", (t) => {
    const dir = makeWorkspace();
    t.after(() => removeDir(dir));
    assert.equal(baton(dir, ["seed", "Archived by the next seed"]).code, 0);
    const text = "\\".repeat(300);
    for (let i = 1; i <= 30; i++) {
      assert.equal(baton(dir, ["journal", "next", `${i} ${text}`]).code, 0);
    }
    // Keep the event log small, so only journal.json outgrows the cap below.
    const log = path.join(dir, ".baton", "events.jsonl");
    fs.writeFileSync(log, `${fs.readFileSync(log, "utf8").split("\n").slice(0, 3).join("\n")}\n`);
    const planning = fs.readFileSync(path.join(dir, "PLANNING.md"), "utf8");
    const state = fs.readFileSync(path.join(dir, ".baton", "journal.json"), "utf8");
    const unit = fileSizeUnit();
    const blocks = Math.floor((planning.length + state.length) / 2 / unit);
    assert.ok(planning.length < blocks * unit && blocks * unit < state.length);
    // The new seed archives the session, so the journal hook archives PLANNING.md and then
    // fails to write the fresh journal.json.
    const run = withFileSizeLimit(dir, ["--json", "seed", "Next idea"], blocks);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stderr, /PLANNING\.md was not updated/);
    assert.equal(JSON.parse(run.stdout).topic.id, "seed-next-idea");
    assert.deepEqual(fs.readdirSync(path.join(dir, ".baton", "archive")), [], "no archive");
    assert.equal(fs.readFileSync(path.join(dir, "PLANNING.md"), "utf8"), planning);
    assert.equal(fs.readFileSync(path.join(dir, ".baton", "journal.json"), "utf8"), state);
    assert.deepEqual(findFiles(dir, isTemp), []);
  });

  test("a file standing where a topic folder must go", (t) => {
    const dir = makeWorkspace();
    t.after(() => removeDir(dir));
    assert.equal(baton(dir, ["seed", "Blocked seed"]).code, 0);
    fs.writeFileSync(knowledge(dir, "topics", "spike-blocked"), "not a folder\n");
    const before = snapshotTree(dir);
    const result = baton(dir, ["--json", "spike", "Blocked"]);
    assertCliIoError(result);
    assert.deepEqual(snapshotTree(dir), before);
    assert.deepEqual(findFiles(dir, isTemp), []);
    assert.equal(fs.existsSync(path.join(dir, ".baton", ".writing")), false);
    // Once the obstacle is gone the same command works.
    fs.rmSync(knowledge(dir, "topics", "spike-blocked"));
    assert.equal(baton(dir, ["spike", "Blocked"]).code, 0);
  });
});

function chownTree(dir: string, uid: number, gid: number): void {
  fs.chownSync(dir, uid, gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, uid, gid);
    else fs.lchownSync(full, uid, gid);
  }
}
