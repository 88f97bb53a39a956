import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  branchNameProblem,
  chooseDefaultBranch,
  indexRefs,
  parseLeftRight,
  parseRefs,
  parseStatusV2,
  parseWorktrees,
  remotesWith,
} from "../../src/core/git.ts";

describe("parseStatusV2", () => {
  test("reads the branch headers and every kind of record, paths with spaces included", () => {
    const out = [
      "# branch.oid 1234567890abcdef1234567890abcdef12345678",
      "# branch.head feature/auth",
      "# branch.upstream origin/feature/auth",
      "# branch.ab +1 -2",
      "1 M. N... 100644 100644 100644 aaa bbb staged only.txt",
      "1 .M N... 100644 100644 100644 aaa bbb src/unstaged.ts",
      "1 MM N... 100644 100644 100644 aaa bbb both.md",
      "2 R. N... 100644 100644 100644 aaa bbb R100 new name.md",
      "old name.md",
      "u UU N... 100644 100644 100644 100644 aaa bbb ccc conflict.txt",
      "? notes/draft one.md",
      "! ignored.log",
      "",
    ].join("\0");
    const status = parseStatusV2(out);
    assert.equal(status.branch, "feature/auth");
    assert.equal(status.detached, false);
    assert.equal(status.commit, "1234567890abcdef1234567890abcdef12345678");
    assert.deepEqual(
      status.entries.map((e) => [e.path, e.staged, e.unstaged, e.untracked, e.conflicted]),
      [
        ["staged only.txt", true, false, false, false],
        ["src/unstaged.ts", false, true, false, false],
        ["both.md", true, true, false, false],
        ["new name.md", true, false, false, false],
        ["conflict.txt", false, false, false, true],
        ["notes/draft one.md", false, false, true, false],
      ],
    );
  });

  test("a repository without commits and a detached HEAD", () => {
    const unborn = parseStatusV2("# branch.oid (initial)\0# branch.head main\0");
    assert.deepEqual(unborn, { branch: "main", detached: false, commit: null, entries: [] });
    const detached = parseStatusV2("# branch.oid abc123\0# branch.head (detached)\0");
    assert.deepEqual(detached, { branch: null, detached: true, commit: "abc123", entries: [] });
  });
});

describe("refs and the default branch", () => {
  const refs = (lines: string[]) => parseRefs(`${lines.join("\n")}\n`);

  test("local and remote-tracking branches, remote names with slashes, remote HEADs", () => {
    const index = indexRefs(
      refs([
        "refs/heads/main\t",
        "refs/heads/feature/auth\t",
        "refs/remotes/origin/HEAD\trefs/remotes/origin/develop",
        "refs/remotes/origin/develop\t",
        "refs/remotes/origin/feature/auth\t",
        "refs/remotes/team/fork/feature/auth\t",
        "refs/remotes/gone/x\t",
      ]),
      ["origin", "team/fork", "team"],
    );
    assert.deepEqual([...index.local].sort(), ["feature/auth", "main"]);
    assert.deepEqual(remotesWith(index, "feature/auth"), ["origin", "team/fork"]);
    assert.deepEqual(remotesWith(index, "main"), []);
    assert.equal(index.remoteHead.get("origin"), "develop");
    // A ref under a remote that is no longer configured is ignored.
    assert.equal(index.remote.has("gone"), false);
  });

  test("origin/HEAD wins; else main, master, trunk; comparisons prefer origin's copy", () => {
    const pick = (lines: string[]) => chooseDefaultBranch(indexRefs(refs(lines), ["origin"]));
    assert.deepEqual(
      pick([
        "refs/heads/main\t",
        "refs/remotes/origin/HEAD\trefs/remotes/origin/develop",
        "refs/remotes/origin/develop\t",
      ]),
      { name: "develop", ref: "refs/remotes/origin/develop", source: "origin/HEAD" },
    );
    assert.deepEqual(pick(["refs/heads/master\t", "refs/heads/trunk\t"]), {
      name: "master",
      ref: "refs/heads/master",
      source: "heuristic",
    });
    assert.deepEqual(pick(["refs/heads/trunk\t", "refs/remotes/origin/main\t"]), {
      name: "main",
      ref: "refs/remotes/origin/main",
      source: "heuristic",
    });
    assert.equal(pick(["refs/heads/develop\t"]), null);
    assert.equal(pick([]), null);
  });
});

test("parseWorktrees: each worktree's path and branch", () => {
  const out = [
    "worktree /repo",
    "HEAD aaa",
    "branch refs/heads/main",
    "",
    "worktree /repo-wt",
    "HEAD bbb",
    "branch refs/heads/feature/auth",
    "",
    "worktree /repo-detached",
    "HEAD ccc",
    "detached",
    "",
  ].join("\n");
  assert.deepEqual(parseWorktrees(out), [
    { path: "/repo", branch: "main" },
    { path: "/repo-wt", branch: "feature/auth" },
    { path: "/repo-detached", branch: null },
  ]);
});

test("parseLeftRight", () => {
  assert.deepEqual(parseLeftRight("3\t1\n"), { ahead: 3, behind: 1 });
  assert.equal(parseLeftRight(""), null);
});

test("branchNameProblem follows git's branch name rules", () => {
  for (const good of ["main", "feature/user-auth", "fix/issue-12", "release/1.2", "a.b", "null"])
    assert.equal(branchNameProblem(good), null, good);
  for (const bad of [
    "",
    "@",
    "HEAD",
    "refs/heads/main",
    "-x",
    "has space",
    "a..b",
    "a~1",
    "a^",
    "a:b",
    "a?",
    "a*",
    "a[b",
    "a\\b",
    "a@{1}",
    "ends.",
    "/lead",
    "trail/",
    "a//b",
    ".hidden",
    "x/.hidden",
    "topic.lock",
    "tab\there",
  ])
    assert.notEqual(branchNameProblem(bad), null, JSON.stringify(bad));
});
