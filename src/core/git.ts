/**
 * Reading git's machine output, and git's rules for branch names. Pure: `store/git.ts` runs git
 * and hands the text here, so every format is testable without a repository.
 */

export interface StatusEntry {
  path: string;
  /** Changed in the index (`git add`ed). */
  staged: boolean;
  /** Changed in the working tree and not staged. */
  unstaged: boolean;
  untracked: boolean;
  /** A merge conflict not yet resolved. */
  conflicted: boolean;
}

export interface WorkingTreeStatus {
  /** The checked-out branch; null when HEAD is detached. */
  branch: string | null;
  detached: boolean;
  /** The HEAD commit; null before the first commit. */
  commit: string | null;
  entries: StatusEntry[];
}

/**
 * `git status --porcelain=v2 --branch -z`: `# branch.*` headers, then one NUL-terminated record
 * per path (`1` changed, `2` renamed or copied with the old path as the next field, `u`
 * unmerged, `?` untracked, `!` ignored).
 */
export function parseStatusV2(output: string): WorkingTreeStatus {
  const status: WorkingTreeStatus = { branch: null, detached: false, commit: null, entries: [] };
  const fields = output.split("\0");
  for (let i = 0; i < fields.length; i++) {
    const record = fields[i] as string;
    if (record === "") continue;
    if (record.startsWith("# branch.oid ")) {
      const oid = record.slice("# branch.oid ".length);
      status.commit = oid === "(initial)" ? null : oid;
    } else if (record.startsWith("# branch.head ")) {
      const head = record.slice("# branch.head ".length);
      status.detached = head === "(detached)";
      status.branch = status.detached ? null : head;
    } else if (record.startsWith("1 ") || record.startsWith("2 ")) {
      const xy = record.slice(2, 4);
      status.entries.push({
        path: afterFields(record, record.startsWith("1 ") ? 8 : 9),
        staged: xy[0] !== ".",
        unstaged: xy[1] !== ".",
        untracked: false,
        conflicted: false,
      });
      if (record.startsWith("2 ")) i++; // the rename's original path
    } else if (record.startsWith("u ")) {
      status.entries.push({
        path: afterFields(record, 10),
        staged: false,
        unstaged: false,
        untracked: false,
        conflicted: true,
      });
    } else if (record.startsWith("? ")) {
      status.entries.push({
        path: record.slice(2),
        staged: false,
        unstaged: false,
        untracked: true,
        conflicted: false,
      });
    }
  }
  return status;
}

/** What follows the first `n` space-separated fields (a path may itself hold spaces). */
function afterFields(record: string, n: number): string {
  let at = 0;
  for (let k = 0; k < n; k++) {
    const next = record.indexOf(" ", at);
    if (next === -1) return "";
    at = next + 1;
  }
  return record.slice(at);
}

export interface GitRef {
  /** Full name: `refs/heads/main`, `refs/remotes/origin/main`. */
  name: string;
  /** For a symbolic ref such as `refs/remotes/origin/HEAD`, the ref it points at. */
  target: string | null;
}

/** `git for-each-ref --format=%(refname)%09%(symref)`. */
export function parseRefs(output: string): GitRef[] {
  return output
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [name, target] = line.split("\t");
      return { name: name as string, target: target ? target : null };
    });
}

export interface RefIndex {
  local: Set<string>;
  /** remote name → branch names it has (as of the last fetch). */
  remote: Map<string, Set<string>>;
  /** remote name → the branch its HEAD points at (`origin/HEAD`), when known. */
  remoteHead: Map<string, string>;
}

/**
 * Splits refs into local and remote-tracking branches. A remote's name may hold slashes, so the
 * configured remote names decide where the remote name ends and the branch name begins.
 */
export function indexRefs(refs: readonly GitRef[], remotes: readonly string[]): RefIndex {
  const index: RefIndex = { local: new Set(), remote: new Map(), remoteHead: new Map() };
  // Longest remote names first, so `origin/team` wins over `origin` for `origin/team/x`.
  const byLength = [...remotes].sort((a, b) => b.length - a.length);
  for (const ref of refs) {
    if (ref.name.startsWith("refs/heads/")) {
      index.local.add(ref.name.slice("refs/heads/".length));
      continue;
    }
    if (!ref.name.startsWith("refs/remotes/")) continue;
    const rest = ref.name.slice("refs/remotes/".length);
    const remote = byLength.find((r) => rest.startsWith(`${r}/`));
    if (!remote) continue;
    const branch = rest.slice(remote.length + 1);
    if (branch === "HEAD") {
      const prefix = `refs/remotes/${remote}/`;
      if (ref.target?.startsWith(prefix))
        index.remoteHead.set(remote, ref.target.slice(prefix.length));
      continue;
    }
    const set = index.remote.get(remote) ?? new Set<string>();
    set.add(branch);
    index.remote.set(remote, set);
  }
  return index;
}

/** The remotes that have `branch` as a remote-tracking branch, sorted. */
export function remotesWith(index: RefIndex, branch: string): string[] {
  return [...index.remote.entries()]
    .filter(([, branches]) => branches.has(branch))
    .map(([remote]) => remote)
    .sort();
}

export const DEFAULT_BRANCH_CANDIDATES = ["main", "master", "trunk"] as const;

export interface DefaultBranch {
  name: string;
  /** The ref ahead/behind counts are taken against: origin's copy when there is one. */
  ref: string;
  /** `origin/HEAD` when origin says so, else `heuristic` (first of main, master, trunk found). */
  source: "origin/HEAD" | "heuristic";
}

/**
 * The default branch: what `origin/HEAD` points at (set by `git clone`, or by
 * `git remote set-head origin --auto`), else the first of main, master and trunk that exists
 * locally or on origin. Comparisons use origin's copy when it exists, since that is what others
 * see as of the last fetch, and the local branch otherwise.
 */
export function chooseDefaultBranch(index: RefIndex): DefaultBranch | null {
  const onOrigin = index.remote.get("origin") ?? new Set<string>();
  const refFor = (name: string) =>
    onOrigin.has(name) ? `refs/remotes/origin/${name}` : `refs/heads/${name}`;
  const head = index.remoteHead.get("origin");
  if (head !== undefined) return { name: head, ref: refFor(head), source: "origin/HEAD" };
  for (const name of DEFAULT_BRANCH_CANDIDATES) {
    if (index.local.has(name) || onOrigin.has(name))
      return { name, ref: refFor(name), source: "heuristic" };
  }
  return null;
}

export interface Worktree {
  path: string;
  /** The branch checked out there, or null (detached or bare). */
  branch: string | null;
}

/** `git worktree list --porcelain`: blank-line separated blocks of `key value` lines. */
export function parseWorktrees(output: string): Worktree[] {
  const trees: Worktree[] = [];
  let current: Worktree | null = null;
  for (const line of output.split("\n")) {
    if (line.startsWith("worktree ")) {
      current = { path: line.slice("worktree ".length), branch: null };
      trees.push(current);
    } else if (current && line.startsWith("branch refs/heads/")) {
      current.branch = line.slice("branch refs/heads/".length);
    }
  }
  return trees;
}

/** `git rev-list --left-right --count A...B`: commits only in A, then only in B. */
export function parseLeftRight(output: string): { ahead: number; behind: number } | null {
  const match = /^(\d+)\s+(\d+)\s*$/.exec(output);
  if (!match) return null;
  return { ahead: Number(match[1]), behind: Number(match[2]) };
}

/**
 * Why `name` cannot be a branch name, or null when it can. Follows `git check-ref-format
 * --branch`: no control characters, spaces or `~^:?*[\`, no `..` or `@{`, no component starting
 * with a dot or ending in `.lock`, no empty component, no leading dash, not `@`, no final dot.
 */
export function branchNameProblem(name: string): string | null {
  if (name === "") return "it is empty";
  if (name.length > 255) return "it is longer than 255 characters";
  if (name === "@") return '"@" is not a branch name';
  if (name === "HEAD") return '"HEAD" names the current commit, not a branch';
  if (name.startsWith("refs/"))
    return "it is a full ref; give the branch's short name (without refs/heads/)";
  if (name.startsWith("-")) return "it starts with a dash";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(name))
    return "it holds a space, a control character or one of ~ ^ : ? * [ \\";
  if (name.includes("..")) return 'it holds ".."';
  if (name.includes("@{")) return 'it holds "@{"';
  if (name.endsWith(".")) return "it ends with a dot";
  for (const part of name.split("/")) {
    if (part === "") return "it has an empty path component (a leading, trailing or double /)";
    if (part.startsWith(".")) return `the component "${part}" starts with a dot`;
    if (part.endsWith(".lock")) return `the component "${part}" ends with .lock`;
  }
  return null;
}
