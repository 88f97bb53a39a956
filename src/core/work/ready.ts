/**
 * The ready queue of a spec: which tasks of its tasks.md a work session may take now. A task is
 * ready when it is not done, every task it waits for is done, no live lease holds it, and the
 * files it declares do not overlap the files of a task held by a live lease. A task waits for:
 *
 * - its sub-tasks (nesting: a task with sub-tasks is the whole of them, taken once they are done);
 * - the tasks its `_Depends: 1.2_` line names (ids the file does not hold are reported, not awaited).
 *
 * Document order alone is no dependency: tasks side by side are meant to be worked in parallel.
 * The queue is ordered dependencies first (a task before the tasks waiting for it), then by id
 * (`1.2` before `1.10`). Pure: the claims and the clock are arguments.
 */
import type { CheckboxStatus } from "../spec/task-line.ts";
import type { TaskNode } from "../spec/tasks-md.ts";
import { type Claim, isLive } from "./claims.ts";

export interface WorkTask {
  id: string;
  title: string;
  status: CheckboxStatus;
  optional: boolean;
  line: number;
  /** The enclosing task's id, or null at the top level. */
  parent: string | null;
  children: string[];
  /** Tasks it waits for: its sub-tasks and the ids its `_Depends:` line names. */
  depends: string[];
  /** Files it declares (`_Files:`), as written, without a leading `./`. */
  files: string[];
}

/** Every task of a tasks.md tree, in document order, with what it waits for. */
export function workTasks(nodes: readonly TaskNode[]): WorkTask[] {
  const out: WorkTask[] = [];
  const visit = (list: readonly TaskNode[], parent: string | null) => {
    for (const node of list) {
      const children = node.children.map((c) => c.id);
      out.push({
        id: node.id,
        title: node.title,
        status: node.status,
        optional: node.optional,
        line: node.line,
        parent,
        children,
        depends: [...new Set([...children, ...(node.depends ?? [])])].filter((d) => d !== node.id),
        files: (node.files ?? []).map(normalFile).filter((f) => f !== ""),
      });
      visit(node.children, node.id);
    }
  };
  visit(nodes, null);
  return out;
}

function normalFile(file: string): string {
  return file.trim().replace(/\\/g, "/").replace(/^\.\//, "").replace(/\/+$/, "");
}

/** The same file, or one a folder holding the other. */
export function filesOverlap(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/** `1.2` before `1.10`, `T2` before `T10`: runs of digits compare as numbers. */
export function compareIds(a: string, b: string): number {
  return compareParts(idParts(a), idParts(b));
}

const DOTTED = /^\d+(?:\.\d+)*$/;

/** An id's runs of digits and of other characters; `1.2.10` split without a regex's allocations. */
function idParts(id: string): string[] {
  if (DOTTED.test(id)) {
    const out: string[] = [];
    for (const part of id.split(".")) out.push(part, ".");
    out.pop();
    return out;
  }
  return id.match(/\d+|\D+/g) ?? [];
}

function compareParts(pa: readonly string[], pb: readonly string[]): number {
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) return Number(x) - Number(y) || x.length - y.length;
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

export type NotReady =
  | { why: "done"; detail: string }
  | { why: "claimed"; session: string; token: number; expires: string; detail: string }
  | { why: "waiting"; on: string[]; detail: string }
  | { why: "files"; task: string; session: string; files: string[]; detail: string };

export interface ReadyQueue {
  /** Ready tasks, dependencies first, then by id. */
  ready: WorkTask[];
  /** Open tasks that are not ready, and why. */
  held: { task: WorkTask; reason: NotReady }[];
  /** Tasks done in tasks.md. */
  done: number;
  /** Ids named by a `_Depends:` line that the file does not hold (task, id). */
  unknown: { task: string; depends: string }[];
}

/** What readiness is judged against: the tasks by id, the claims, the files live claims hold. */
export interface QueueContext {
  byId: ReadonlyMap<string, WorkTask>;
  claims: ReadonlyMap<string, Claim>;
  nowMs: number;
  /** Each file a live claim's task declares, with the tasks declaring it. */
  claimedFiles: Map<string, { task: string; session: string }[]>;
  /** Every folder holding a file of `claimedFiles` (`src`, `src/auth` for `src/auth/a.ts`). */
  claimedFolders: Map<string, { task: string; session: string }[]>;
}

export function queueContext(
  tasks: readonly WorkTask[],
  claims: ReadonlyMap<string, Claim>,
  nowMs: number,
): QueueContext {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const claimedFiles: QueueContext["claimedFiles"] = new Map();
  const claimedFolders: QueueContext["claimedFolders"] = new Map();
  const add = (
    map: QueueContext["claimedFiles"],
    key: string,
    holder: { task: string; session: string },
  ) => {
    const list = map.get(key);
    if (list) list.push(holder);
    else map.set(key, [holder]);
  };
  for (const [id, claim] of claims) {
    const files = byId.get(id)?.files ?? [];
    if (files.length === 0 || !isLive(claim, nowMs)) continue;
    const holder = { task: id, session: claim.session as string };
    for (const file of files) {
      add(claimedFiles, file, holder);
      for (let cut = file.lastIndexOf("/"); cut > 0; cut = file.lastIndexOf("/", cut - 1))
        add(claimedFolders, file.slice(0, cut), holder);
    }
  }
  return { byId, claims, nowMs, claimedFiles, claimedFolders };
}

/** The live claim (other than `task`'s own) whose files overlap `file`, or null. */
function claimOverlapping(
  context: QueueContext,
  task: string,
  file: string,
): { task: string; session: string } | null {
  const other = (list: { task: string; session: string }[] | undefined) =>
    list?.find((h) => h.task !== task) ?? null;
  // The same file, a file inside it (it is a folder), or a folder holding it.
  let found = other(context.claimedFiles.get(file)) ?? other(context.claimedFolders.get(file));
  for (
    let cut = file.lastIndexOf("/");
    found === null && cut > 0;
    cut = file.lastIndexOf("/", cut - 1)
  )
    found = other(context.claimedFiles.get(file.slice(0, cut)));
  return found;
}

/** Why `task` is not ready now, or null when it is. */
export function notReady(task: WorkTask, context: QueueContext): NotReady | null {
  const { byId, claims, nowMs } = context;
  if (task.status === "done") return { why: "done", detail: `task ${task.id} is done` };
  const claim = claims.get(task.id);
  if (claim && isLive(claim, nowMs)) {
    return {
      why: "claimed",
      session: claim.session as string,
      token: claim.token,
      expires: claim.expires,
      detail: `task ${task.id} is claimed by ${claim.session} until ${claim.expires}`,
    };
  }
  const open = task.depends.filter((d) => {
    const dep = byId.get(d);
    // A sub-task marked optional never holds its parent back.
    const optionalChild = dep?.optional === true && task.children.includes(d);
    return dep !== undefined && dep.status !== "done" && !optionalChild;
  });
  if (open.length > 0) {
    return {
      why: "waiting",
      on: open,
      detail: `task ${task.id} waits for ${open.join(", ")}, not done yet`,
    };
  }
  for (const file of task.files) {
    const other = claimOverlapping(context, task.id, file);
    if (other === null) continue;
    const theirs = byId.get(other.task)?.files ?? [];
    const shared = task.files.filter((f) => theirs.some((g) => filesOverlap(f, g)));
    return {
      why: "files",
      task: other.task,
      session: other.session,
      files: shared,
      detail: `task ${task.id} shares ${shared.join(", ")} with task ${other.task}, claimed by ${other.session}`,
    };
  }
  return null;
}

/** The ready queue of `tasks` given the claims on them at `nowMs`. */
export function readyQueue(
  tasks: readonly WorkTask[],
  claims: ReadonlyMap<string, Claim>,
  nowMs: number,
): ReadyQueue {
  const context = queueContext(tasks, claims, nowMs);
  const { byId } = context;
  const ready: WorkTask[] = [];
  const held: { task: WorkTask; reason: NotReady }[] = [];
  const unknown: { task: string; depends: string }[] = [];
  let done = 0;
  for (const task of tasks) {
    for (const d of task.depends) if (!byId.has(d)) unknown.push({ task: task.id, depends: d });
    if (task.status === "done") {
      done++;
      continue;
    }
    const reason = notReady(task, context);
    if (reason === null) ready.push(task);
    else held.push({ task, reason });
  }
  return { ready: dependenciesFirst(ready, tasks), held, done, unknown };
}

/**
 * Ready tasks in the order they should be taken: a task another open task waits for comes before
 * it, ties by id. Ready tasks wait for nothing open, so among them this is: tasks that others
 * wait for (directly or further down) first, then by id.
 */
function dependenciesFirst(ready: WorkTask[], tasks: readonly WorkTask[]): WorkTask[] {
  const awaited = new Set<string>();
  for (const task of tasks) {
    if (task.status === "done") continue;
    for (const d of task.depends) awaited.add(d);
  }
  const keyed = ready.map((task) => ({
    task,
    first: awaited.has(task.id),
    parts: idParts(task.id),
  }));
  const order = (a: (typeof keyed)[number], b: (typeof keyed)[number]) =>
    Number(b.first) - Number(a.first) || compareParts(a.parts, b.parts);
  // Files are mostly written in this order already: a pass that finds it so skips the sort.
  let sorted = true;
  for (let i = 1; i < keyed.length && sorted; i++) {
    if (order(keyed[i - 1] as (typeof keyed)[number], keyed[i] as (typeof keyed)[number]) > 0)
      sorted = false;
  }
  if (!sorted) keyed.sort(order);
  return keyed.map((k) => k.task);
}
