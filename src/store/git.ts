/**
 * Read-only git facts for agents judging branches. Baton never switches, creates, fetches or
 * merges: every call here is a fixed read command run without a shell, and a missing git, a
 * folder outside a repository, a detached HEAD or a repository without commits are facts to
 * report, not errors.
 */
import fs from "node:fs";
import path from "node:path";
import {
  chooseDefaultBranch,
  type DefaultBranch,
  indexRefs,
  parseLeftRight,
  parseRefs,
  parseStatusV2,
  parseWorktrees,
  type RefIndex,
  remotesWith,
  type StatusEntry,
} from "../core/git.ts";
import { scratchFiles } from "./files.ts";

export interface GitRun {
  ok: boolean;
  stdout: string;
  stderr: string;
  /** git itself could not be started (not installed). */
  missing: boolean;
}

/** Runs git without a shell, never taking the index lock or prompting. */
export function runGit(cwd: string, args: string[], maxBuffer = 64 * 1024 * 1024): GitRun {
  // Loaded here, not at startup: only commands that read git pay for child_process.
  const { spawnSync } = process.getBuiltinModule("node:child_process");
  const result = spawnSync("git", args, {
    cwd,
    encoding: "utf8",
    shell: false,
    maxBuffer,
    env: {
      ...process.env,
      // A read must not take the index lock or refresh the index behind a running git.
      GIT_OPTIONAL_LOCKS: "0",
      GIT_TERMINAL_PROMPT: "0",
      LC_ALL: "C",
    },
  });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === "ENOENT";
    return { ok: false, stdout: "", stderr: result.error.message, missing };
  }
  return {
    ok: result.status === 0,
    stdout: result.stdout ?? "",
    stderr: result.stderr ?? "",
    missing: false,
  };
}

/** Whether `dir` lies in a git working tree (false without git). */
export function insideGitRepository(dir: string): boolean {
  const probe = runGit(dir, ["rev-parse", "--is-inside-work-tree"]);
  return probe.ok && probe.stdout.trim() === "true";
}

/** A value of the repository's own config (`.git/config`), or null when it is not set. */
export function localGitConfig(dir: string, key: string): string | null {
  const r = runGit(dir, ["config", "--local", "--get", key]);
  return r.ok ? r.stdout.replace(/\n$/, "") : null;
}

/**
 * Sets values in the repository's own config (`.git/config`, per clone and never committed),
 * as `git config --local` does; false when git refused.
 */
export function setLocalGitConfig(dir: string, values: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(values)) {
    if (!runGit(dir, ["config", "--local", key, value]).ok) return false;
  }
  return true;
}

/**
 * Three texts merged as git merges text (`git merge-file`): the result, or null when the two
 * sides changed the same lines (or git could not run).
 */
export function mergeTexts(base: string, ours: string, theirs: string): string | null {
  const files = scratchFiles([ours, base, theirs]);
  try {
    const [o, b, t] = files.paths as [string, string, string];
    const r = runGit(path.dirname(o), ["merge-file", "-p", "-q", o, b, t]);
    return r.ok ? r.stdout : null;
  } finally {
    files.remove();
  }
}

export interface AheadBehind {
  ahead: number;
  behind: number;
}

export interface UncommittedFacts {
  total: number;
  staged: number;
  unstaged: number;
  untracked: number;
  conflicted: number;
  /** True when every changed path is Baton's own state (planning files, knowledge, tickets…). */
  baton_only: boolean;
  /** Up to 20 changed paths, relative to the repository root. */
  paths: string[];
}

export interface RepoFacts {
  /** Null when the facts are there; otherwise why not (no git, not a repository…). */
  unavailable: string | null;
  current_branch: string | null;
  detached: boolean;
  head_commit: string | null;
  has_commits: boolean;
  remotes: string[];
  default_branch: DefaultBranch | null;
  /** The current branch (or detached HEAD) against the default branch. */
  current_vs_default: AheadBehind | null;
  uncommitted: UncommittedFacts | null;
  /** This working tree's root, whether it is a linked worktree, and how many there are. */
  worktree: { path: string; linked: boolean; count: number } | null;
}

export interface BranchFacts {
  name: string;
  is_current: boolean;
  exists_locally: boolean;
  /** Remotes with this branch as of the last fetch (Baton never fetches). */
  on_remotes: string[];
  /** The branch against the default branch; null when either is missing. */
  vs_default: AheadBehind | null;
  /** Another worktree where this branch is checked out (it cannot be checked out here too). */
  checked_out_elsewhere: string | null;
}

/** A repository opened for a few reads; refs and worktrees are read once and shared. */
export interface GitReader {
  facts: RepoFacts;
  branch(name: string): BranchFacts;
}

const EMPTY: Omit<RepoFacts, "unavailable"> = {
  current_branch: null,
  detached: false,
  head_commit: null,
  has_commits: false,
  remotes: [],
  default_branch: null,
  current_vs_default: null,
  uncommitted: null,
  worktree: null,
};

/**
 * Reads the repository containing `dir`. `isBatonPath` tells, for a path relative to `dir`,
 * whether it is Baton's own state (so an agent can tell Baton's writes from real work).
 */
export function openGit(dir: string, isBatonPath: (rel: string) => boolean): GitReader {
  const unavailable = (reason: string): GitReader => ({
    facts: { unavailable: reason, ...EMPTY },
    branch: (name) => ({
      name,
      is_current: false,
      exists_locally: false,
      on_remotes: [],
      vs_default: null,
      checked_out_elsewhere: null,
    }),
  });
  const probe = runGit(dir, [
    "rev-parse",
    "--is-inside-work-tree",
    "--show-toplevel",
    "--absolute-git-dir",
    "--git-common-dir",
  ]);
  if (probe.missing) return unavailable("git is not installed (or not on PATH)");
  if (!probe.ok) {
    const reason = probe.stderr.trim().split("\n")[0] ?? "";
    return unavailable(
      /not a git repository/i.test(reason) ? "not a git repository" : `git failed: ${reason}`,
    );
  }
  const [inside, top, gitDir, commonDir] = probe.stdout.split("\n");
  if (inside !== "true" || !top) return unavailable("not inside a git working tree");

  const status = parseStatusV2(
    runGit(dir, ["status", "--porcelain=v2", "--branch", "-z", "--untracked-files=normal"]).stdout,
  );
  const remotes = runGit(dir, ["remote"])
    .stdout.split("\n")
    .filter((r) => r !== "")
    .sort();
  const refs: RefIndex = indexRefs(
    parseRefs(
      runGit(dir, ["for-each-ref", "--format=%(refname)%09%(symref)", "refs/heads", "refs/remotes"])
        .stdout,
    ),
    remotes,
  );
  const worktrees = parseWorktrees(runGit(dir, ["worktree", "list", "--porcelain"]).stdout);
  const defaultBranch = chooseDefaultBranch(refs);
  const compare = (from: string): AheadBehind | null =>
    defaultBranch
      ? parseLeftRight(
          runGit(dir, [
            "rev-list",
            "--left-right",
            "--count",
            `${from}...${defaultBranch.ref}`,
            "--",
          ]).stdout,
        )
      : null;

  // git reports paths relative to the repository root; Baton's are relative to the workspace.
  const toWorkspace = workspacePrefix(dir, top);
  const here = path.resolve(top);
  const hereReal = realOrSelf(here);
  const facts: RepoFacts = {
    unavailable: null,
    current_branch: status.branch,
    detached: status.detached,
    head_commit: status.commit,
    has_commits: status.commit !== null,
    remotes,
    default_branch: defaultBranch,
    current_vs_default: status.commit !== null ? compare("HEAD") : null,
    uncommitted: summarize(status.entries, (p) => {
      const rel = toWorkspace(p);
      return rel !== null && isBatonPath(rel);
    }),
    worktree: {
      path: top,
      linked:
        gitDir !== undefined &&
        commonDir !== undefined &&
        realOrSelf(gitDir) !== realOrSelf(path.resolve(dir, commonDir)),
      count: worktrees.length,
    },
  };
  return {
    facts,
    branch(name) {
      const exists = refs.local.has(name);
      const onRemotes = remotesWith(refs, name);
      const ref = exists
        ? `refs/heads/${name}`
        : onRemotes[0] !== undefined
          ? `refs/remotes/${onRemotes[0]}/${name}`
          : null;
      const elsewhere = worktrees.find(
        (w) => w.branch === name && realOrSelf(path.resolve(w.path)) !== hereReal,
      );
      return {
        name,
        is_current: status.branch === name,
        exists_locally: exists,
        on_remotes: onRemotes,
        vs_default: ref ? compare(ref) : null,
        checked_out_elsewhere: elsewhere ? elsewhere.path : null,
      };
    },
  };
}

function summarize(
  entries: readonly StatusEntry[],
  isBaton: (repoPath: string) => boolean,
): UncommittedFacts {
  const count = (pick: (e: StatusEntry) => boolean) => entries.filter(pick).length;
  return {
    total: entries.length,
    staged: count((e) => e.staged),
    unstaged: count((e) => e.unstaged),
    untracked: count((e) => e.untracked),
    conflicted: count((e) => e.conflicted),
    baton_only: entries.length > 0 && entries.every((e) => isBaton(e.path)),
    paths: entries.slice(0, 20).map((e) => e.path),
  };
}

/** Maps a repository-relative path to a workspace-relative one (null when outside it). */
function workspacePrefix(workspace: string, top: string): (repoPath: string) => string | null {
  const rel = path.relative(realOrSelf(top), realOrSelf(workspace)).split(path.sep).join("/");
  if (rel === "") return (p) => p;
  const prefix = `${rel}/`;
  return (p) => (p.startsWith(prefix) ? p.slice(prefix.length) : null);
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}
