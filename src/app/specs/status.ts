import { leaseTtlMs } from "../../core/config.ts";
import { parseSpecTaskList, type TaskNode, type TaskProgress } from "../../core/spec/tasks-md.ts";
import { isLiveSession } from "../../core/work/liveness.ts";
import { workProgress } from "../../core/work/progress.ts";
import { workTasks } from "../../core/work/ready.ts";
import { isEnded } from "../../core/work/session.ts";
import { readTextOrNull } from "../../store/files.ts";
import { type BranchFacts, openGit, type RepoFacts } from "../../store/git.ts";
import {
  findStatusFolders,
  readActiveRaw,
  readStatusRecord,
  specTasksFile,
} from "../../store/spec-folders.ts";
import { listSpecNames } from "../../store/specs.ts";
import { hasWorkSessions, listWorkSessions, readClaims } from "../../store/work.ts";
import { batonPathTest, type Workspace } from "../../store/workspace.ts";
import type { AppContext } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { shownSessions } from "../read/work.ts";
import { applyApprovalRule } from "./approval.ts";
import { activeOrNull, loadSpec, resolveName, type SpecSummary, summary } from "./folder.ts";

export interface TaskTreeNode {
  id: string;
  title: string;
  status: TaskNode["status"];
  optional: boolean;
  requirements: string[];
  line: number;
  children: TaskTreeNode[];
}

export interface HintedBranch extends BranchFacts {
  /** Other specs whose branch hint is this branch too (allowed; shown so nobody is surprised). */
  other_specs: string[];
}

export interface GitFacts extends RepoFacts {
  /** Facts about `last_known_branch`; null when the spec has no branch hint yet. */
  hinted_branch: HintedBranch | null;
}

export interface SpecStatusReport {
  spec: SpecSummary;
  /** How the spec was chosen: named (--spec), the active one, or the only spec there is. */
  selected: "given" | "active" | "only";
  /** True when this read sent an approved spec back to review (its documents changed). */
  reopened: boolean;
  /** The task list read, relative to the workspace root; null when the spec has none. */
  tasks_file: string | null;
  progress: TaskProgress;
  tasks: TaskTreeNode[];
  /** Its work sessions, when it has any: the ones under way, with progress and liveness. */
  work: SpecWork | null;
  git: GitFacts;
}

/** A spec's work sessions as spec status shows them. */
export interface SpecWork {
  /** Sessions under way and heard from (working, idle, waiting). */
  live: number;
  ended: number;
  /** Sessions not ended, with their progress (their tasks and their children's). */
  sessions: {
    id: string;
    name: string | null;
    state: string;
    liveness: string;
    percent: number;
    tasks: number;
    done: number;
  }[];
}

/** `spec status` with no spec named, none active and not exactly one spec: nothing to show. */
export interface NoSpecStatus {
  spec: null;
  /** The specs there are, to activate one of. */
  specs: string[];
  reopened: false;
  tasks_file: null;
  progress: null;
  tasks: TaskTreeNode[];
  work: null;
  git: null;
}

export const statusOperation = defineOperation({
  name: "spec status",
  summary: "a spec's stage, branch hint, task progress and git facts",
  description:
    "Without --spec: the active spec, else the only spec when there is exactly one, else none (exit 0; --json gives {spec: null, specs: [names]}). Progress counts required tasks (not marked optional) and names the optional ones apart: 21/23 required done (91%), 14 optional. Facts for judging branches, never a decision: the current branch, whether the hinted branch (last_known_branch) exists locally and on remotes (as of the last fetch), ahead/behind the default branch (origin/HEAD, else main, master or trunk; the source is given), uncommitted changes and the worktree. Baton never switches, creates or merges branches. Reading an approved spec whose documents changed moves it back to in_review.",
  examples: [
    "baton spec status",
    "baton spec status --spec user-auth --json",
    "baton planning status --json",
  ],
  access: "read",
  input: {
    spec: {
      type: "string",
      min: 1,
      description: "the spec's name (default: the active spec)",
      cli: { value: "<name>" },
    },
  },
  tool: {
    description:
      "A spec's stage, progress, git facts and tasks (id, title, status, parent; document order, paged). Default: the active spec.",
    // The task tree is paged as rows by the tool's view (src/mcp/views/specs.ts).
    cut: ["tasks"],
  },
  run: (env, input) => specStatus(env.context(), input.spec),
});

/**
 * `baton spec status [--spec <name>]`: the spec, its progress and the git facts, never a
 * decision. Without --spec: the active spec, else the only spec when there is exactly one, else
 * none (not an error: "which spec is active" has the answer "none").
 */
export async function specStatus(
  ctx: AppContext,
  given?: string,
): Promise<SpecStatusReport | NoSpecStatus> {
  const { ws } = ctx;
  let name: string;
  let selected: SpecStatusReport["selected"];
  if (given !== undefined || readActiveRaw(ws) !== null) {
    name = resolveName(ws, given);
    selected = given !== undefined ? "given" : "active";
  } else {
    const specs = listSpecNames(ws);
    if (specs.length !== 1) {
      return {
        spec: null,
        specs,
        reopened: false,
        tasks_file: null,
        progress: null,
        tasks: [],
        work: null,
        git: null,
      };
    }
    name = specs[0] as string;
    selected = "only";
  }
  const { status, reopened } = await applyApprovalRule(ctx, loadSpec(ws, name));
  const tasksFile = specTasksFile(ws, status);
  const tasks = tasksFile ? parseSpecTaskList(readTextOrNull(ws, tasksFile) ?? "").tasks : [];
  // The facts of the worktree the command runs in: a linked one shares the primary's state only.
  const work = specWork(ctx, status.name, tasks);
  const reader = openGit(ws.local, batonPathTest(ws));
  const branch = status.last_known_branch;
  return {
    spec: summary(ws, status, activeOrNull(ws)),
    selected,
    reopened,
    tasks_file: tasksFile ? ws.rel(tasksFile) : null,
    progress: work.progress,
    tasks: tasks.map(treeNode),
    work: work.sessions,
    git: {
      ...reader.facts,
      hinted_branch:
        branch === null
          ? null
          : { ...reader.branch(branch), other_specs: specsOnBranch(ws, branch, name) },
    },
  };
}

/**
 * The spec's progress and its work sessions', from the one progress function
 * (core/work/progress.ts) `work show` and `work tree` use: the same figures everywhere.
 */
function specWork(
  ctx: AppContext,
  name: string,
  tree: readonly TaskNode[],
): { progress: TaskProgress; sessions: SpecWork | null } {
  const { ws } = ctx;
  const tasks = workTasks(tree);
  if (!hasWorkSessions(ws, name)) {
    return { progress: workProgress(tasks, [], new Map()).spec, sessions: null };
  }
  const all = listWorkSessions(ws, name);
  const { shown, progress } = shownSessions(
    all,
    readClaims(ws, name),
    tasks,
    ctx.now().getTime(),
    leaseTtlMs(ws.config),
  );
  const open = shown.filter((s) => !isEnded(s.state));
  return {
    progress: progress.spec,
    sessions: {
      live: open.filter((s) => isLiveSession(s.liveness)).length,
      ended: shown.length - open.length,
      sessions: open.map((s) => ({
        id: s.id,
        name: s.name,
        state: s.state,
        liveness: s.liveness,
        percent: s.progress.percent,
        tasks: s.progress.tasks,
        done: s.progress.done,
      })),
    },
  };
}

function treeNode(node: TaskNode): TaskTreeNode {
  return {
    id: node.id,
    title: node.title,
    status: node.status,
    optional: node.optional,
    requirements: node.requirements,
    line: node.line,
    children: node.children.map(treeNode),
  };
}

function specsOnBranch(ws: Workspace, branch: string, except: string): string[] {
  const names: string[] = [];
  for (const folder of findStatusFolders(ws)) {
    if (folder === except) continue;
    try {
      const record = readStatusRecord(ws, folder);
      if (record.last_known_branch === branch && typeof record.name === "string")
        names.push(record.name);
    } catch {
      // An unreadable status.yaml is reported by baton spec list, not here.
    }
  }
  return names.sort();
}
