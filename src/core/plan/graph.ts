/**
 * Deterministic checks over a plan's tasks, and the order to work them in. Pure: no fs.
 */
import type { Finding } from "../spec/finding.ts";
import type { PlanTaskRecord } from "./tasks.ts";

/** A task listing more files than this is reported as oversized (TASK_TOO_MANY_FILES). */
export const MAX_TASK_FILES = 10;
/** A task with more acceptance criteria than this is reported as oversized (TASK_TOO_MANY_CRITERIA). */
export const MAX_TASK_CRITERIA = 8;

export interface TaskFinding extends Finding {
  /** The task the finding is about, or null for the plan as a whole. */
  task: string | null;
}

function f(
  task: string | null,
  severity: Finding["severity"],
  code: string,
  message: string,
  hint: string,
): TaskFinding {
  return { task, line: 1, severity, code, message, hint };
}

/** Dependencies naming no task of the plan, and tasks depending on themselves. */
export function danglingDependencies(tasks: readonly PlanTaskRecord[]): TaskFinding[] {
  const ids = new Set(tasks.map((t) => t.id));
  const out: TaskFinding[] = [];
  for (const t of tasks) {
    for (const dep of t.depends_on) {
      if (!ids.has(dep)) {
        out.push(
          f(
            t.id,
            "error",
            "TASK_DANGLING_DEPENDENCY",
            `${t.id} depends on ${dep}, which is not a task of this plan`,
            `remove ${dep} from depends_on or add a task ${dep}`,
          ),
        );
      }
    }
  }
  return out;
}

/** At most this many cycles are spelled out; a graph with more is refused on these already. */
export const MAX_REPORTED_CYCLES = 50;

/**
 * Each dependency cycle once, as the ids along it (`A → B → A`), at most MAX_REPORTED_CYCLES.
 * A depth-first walk with its own stack, so a chain of any length cannot overflow the call stack.
 */
export function dependencyCycles(tasks: readonly PlanTaskRecord[]): string[][] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const state = new Map<string, 1 | 2>();
  const cycles: string[][] = [];
  const path: string[] = [];
  /** Where each id on the current path stands in it. */
  const onPath = new Map<string, number>();
  for (const root of [...byId.keys()].sort(compareTaskIds)) {
    if (state.has(root)) continue;
    const frames: { id: string; deps: string[]; next: number }[] = [];
    const enter = (id: string) => {
      state.set(id, 1);
      onPath.set(id, path.length);
      path.push(id);
      frames.push({ id, deps: [...(byId.get(id)?.depends_on ?? [])].sort(), next: 0 });
    };
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as (typeof frames)[number];
      if (frame.next < frame.deps.length) {
        const dep = frame.deps[frame.next++] as string;
        if (!byId.has(dep)) continue;
        const s = state.get(dep);
        if (s === 1) {
          if (cycles.length < MAX_REPORTED_CYCLES) {
            cycles.push([...path.slice(onPath.get(dep) as number), dep]);
          }
        } else if (s === undefined) enter(dep);
        continue;
      }
      frames.pop();
      path.pop();
      onPath.delete(frame.id);
      state.set(frame.id, 2);
    }
  }
  return cycles;
}

export function cycleFindings(tasks: readonly PlanTaskRecord[]): TaskFinding[] {
  return dependencyCycles(tasks).map((cycle) =>
    f(
      cycle[0] as string,
      "error",
      "TASK_CYCLE",
      `dependency cycle: ${cycle.join(" → ")}`,
      "remove one of these dependencies so the tasks can be ordered",
    ),
  );
}

/** The structural errors that refuse a task list outright: dangling dependencies and cycles. */
export function structuralFindings(tasks: readonly PlanTaskRecord[]): TaskFinding[] {
  return [...danglingDependencies(tasks), ...cycleFindings(tasks)];
}

/** Made on first use: building a collator costs about 8 ms, too much for every command. */
let collator: Intl.Collator | null = null;

/** `IMPL-2` before `IMPL-10`: numeric runs compare as numbers. */
export function compareTaskIds(a: string, b: string): number {
  collator ??= new Intl.Collator("en", { numeric: true });
  return collator.compare(a, b);
}

/** A binary min-heap of small integers (ranks), for ordering without repeated scans. */
class RankHeap {
  private readonly items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(value: number): void {
    const a = this.items;
    a.push(value);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((a[parent] as number) <= value) break;
      a[i] = a[parent] as number;
      i = parent;
    }
    a[i] = value;
  }
  pop(): number {
    const a = this.items;
    const top = a[0] as number;
    const last = a.pop() as number;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && (a[r] as number) < (a[l] as number) ? r : l;
        if ((a[c] as number) >= last) break;
        a[i] = a[c] as number;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

/**
 * A plan's dependency graph by position: tasks sorted by id (`rank`), each task's known
 * dependencies once each, and the working order (dependencies first, ties by id; a task on a
 * cycle is placed when nothing else can be, lowest id first). Built in O(n log n + e).
 */
export interface TaskGraph {
  /** The tasks sorted by id. */
  byRank: PlanTaskRecord[];
  /** Per rank: the ranks of its dependencies that are tasks of the plan, each once. */
  deps: number[][];
  /** Ranks in working order. */
  order: number[];
  /** Per rank: its place in `order`. */
  position: Int32Array;
}

export function taskGraph(tasks: readonly PlanTaskRecord[]): TaskGraph {
  const byRank = [...tasks].sort((a, b) => compareTaskIds(a.id, b.id));
  const rankOf = new Map<string, number>();
  byRank.forEach((t, i) => {
    if (!rankOf.has(t.id)) rankOf.set(t.id, i);
  });
  const n = byRank.length;
  const deps: number[][] = [];
  const dependents: number[][] = byRank.map(() => []);
  const waiting = new Int32Array(n);
  byRank.forEach((t, i) => {
    const mine = [...new Set(t.depends_on)]
      .map((d) => rankOf.get(d))
      .filter((d): d is number => d !== undefined);
    deps.push(mine);
    waiting[i] = mine.length;
    for (const d of mine) (dependents[d] as number[]).push(i);
  });
  const heap = new RankHeap();
  for (let i = 0; i < n; i++) if (waiting[i] === 0) heap.push(i);
  const placed = new Uint8Array(n);
  const order: number[] = [];
  let lowest = 0;
  while (order.length < n) {
    let next: number;
    if (heap.size > 0) next = heap.pop();
    else {
      // Only cycles are left: place the lowest id not placed yet, as if its wait were over.
      while (placed[lowest] === 1) lowest++;
      next = lowest;
    }
    if (placed[next] === 1) continue;
    placed[next] = 1;
    order.push(next);
    for (const d of dependents[next] as number[]) {
      waiting[d] = (waiting[d] as number) - 1;
      if (waiting[d] === 0 && placed[d] === 0) heap.push(d);
    }
  }
  const position = new Int32Array(n);
  order.forEach((rank, at) => {
    position[rank] = at;
  });
  return { byRank, deps, order, position };
}

/** How many ancestor sets are computed at once in `isAncestor` checks: 32 bits a word. */
const BLOCK_WORDS = 8;

/**
 * For each pair [u, v] of ranks with u placed before v: is u an ancestor of v (v depends on u,
 * directly or not)? The direct and impossible cases are answered at once; the rest by passing
 * ancestor bits in working order, BLOCK_WORDS × 32 sources at a time, so the cost is about
 * (pairs / 256) × (tasks + dependencies) word operations and memory stays linear.
 */
export function ancestorPairs(graph: TaskGraph, pairs: readonly [number, number][]): boolean[] {
  const { deps, order, position } = graph;
  const n = order.length;
  // Longest dependency path to each task: an ancestor always has a smaller depth.
  const depth = new Int32Array(n);
  for (const v of order) {
    let d = 0;
    for (const u of deps[v] as number[]) {
      if ((position[u] as number) < (position[v] as number))
        d = Math.max(d, (depth[u] as number) + 1);
    }
    depth[v] = d;
  }
  const answers: boolean[] = new Array(pairs.length).fill(false);
  const open: number[] = [];
  pairs.forEach(([u, v], i) => {
    if ((deps[v] as number[]).includes(u)) answers[i] = true;
    else if ((depth[u] as number) < (depth[v] as number) - 1) open.push(i);
  });
  const sources = [...new Set(open.map((i) => (pairs[i] as [number, number])[0]))].sort(
    (a, b) => (position[a] as number) - (position[b] as number),
  );
  const perBlock = BLOCK_WORDS * 32;
  const byTarget = new Map<number, number[]>();
  const bits = new Uint32Array(n * BLOCK_WORDS);
  for (let start = 0; start < sources.length; start += perBlock) {
    const block = sources.slice(start, start + perBlock);
    const bit = new Map(block.map((u, i) => [u, i]));
    byTarget.clear();
    let last = 0;
    for (const i of open) {
      const [u, v] = pairs[i] as [number, number];
      if (!bit.has(u)) continue;
      const list = byTarget.get(v) ?? [];
      list.push(i);
      byTarget.set(v, list);
      last = Math.max(last, position[v] as number);
    }
    const first = position[block[0] as number] as number;
    bits.fill(0, 0);
    for (let at = first; at <= last; at++) {
      const v = order[at] as number;
      const row = v * BLOCK_WORDS;
      for (const u of deps[v] as number[]) {
        const p = position[u] as number;
        if (p < first || p >= at) continue;
        const from = u * BLOCK_WORDS;
        for (let w = 0; w < BLOCK_WORDS; w++) {
          bits[row + w] = (bits[row + w] as number) | (bits[from + w] as number);
        }
      }
      const own = bit.get(v);
      if (own !== undefined) {
        bits[row + (own >> 5)] = (bits[row + (own >> 5)] as number) | (1 << (own & 31));
      }
      for (const i of byTarget.get(v) ?? []) {
        const b = bit.get((pairs[i] as [number, number])[0]) as number;
        answers[i] = ((bits[row + (b >> 5)] as number) & (1 << (b & 31))) !== 0;
      }
    }
  }
  return answers;
}

/**
 * Tasks that may run in parallel (no dependency path between them) but list the same file. For
 * each file, its tasks must form one chain of dependencies; each break in the working order is
 * one pair, so making the later task depend on the earlier (always possible without a cycle)
 * mends it. A pair sharing several files is reported once with all of them.
 */
export function parallelFileConflicts(
  graph: TaskGraph,
): { a: PlanTaskRecord; b: PlanTaskRecord; files: string[] }[] {
  const { byRank, position } = graph;
  const byFile = new Map<string, number[]>();
  byRank.forEach((t, rank) => {
    for (const file of new Set(t.files)) {
      const list = byFile.get(file) ?? [];
      list.push(rank);
      byFile.set(file, list);
    }
  });
  const pairs: [number, number][] = [];
  const pairFiles: string[] = [];
  for (const [file, ranks] of byFile) {
    if (ranks.length < 2) continue;
    ranks.sort((x, y) => (position[x] as number) - (position[y] as number));
    for (let i = 1; i < ranks.length; i++) {
      pairs.push([ranks[i - 1] as number, ranks[i] as number]);
      pairFiles.push(file);
    }
  }
  const ordered = ancestorPairs(graph, pairs);
  const found = new Map<string, { a: number; b: number; files: string[] }>();
  pairs.forEach(([u, v], i) => {
    if (ordered[i]) return;
    const [a, b] = u < v ? [u, v] : [v, u];
    const key = `${a},${b}`;
    const entry = found.get(key) ?? { a, b, files: [] };
    entry.files.push(pairFiles[i] as string);
    found.set(key, entry);
  });
  return [...found.values()]
    .sort((x, y) => x.a - y.a || x.b - y.b)
    .map((e) => ({
      a: byRank[e.a] as PlanTaskRecord,
      b: byRank[e.b] as PlanTaskRecord,
      files: (byRank[e.a] as PlanTaskRecord).files.filter((f) => e.files.includes(f)),
    }));
}

/** `baton plan verify`: every finding, errors first within each check. */
export function verifyTasks(tasks: readonly PlanTaskRecord[]): TaskFinding[] {
  const out = structuralFindings(tasks);
  for (const t of tasks) {
    if (t.acceptance.length === 0) {
      out.push(
        f(
          t.id,
          "error",
          "TASK_NO_ACCEPTANCE",
          `${t.id} has no acceptance criteria`,
          `add "acceptance": ["<observable result>"] to ${t.id}.json`,
        ),
      );
    }
    if (t.files.length > MAX_TASK_FILES) {
      out.push(
        f(
          t.id,
          "warning",
          "TASK_TOO_MANY_FILES",
          `${t.id} edits ${t.files.length} files (more than ${MAX_TASK_FILES})`,
          "split it into smaller tasks",
        ),
      );
    }
    if (t.acceptance.length > MAX_TASK_CRITERIA) {
      out.push(
        f(
          t.id,
          "warning",
          "TASK_TOO_MANY_CRITERIA",
          `${t.id} has ${t.acceptance.length} acceptance criteria (more than ${MAX_TASK_CRITERIA})`,
          "split it into smaller tasks",
        ),
      );
    }
  }
  for (const { a, b, files } of parallelFileConflicts(taskGraph(tasks))) {
    out.push(
      f(
        a.id,
        "error",
        "TASK_PARALLEL_FILE_CONFLICT",
        `${a.id} and ${b.id} may run in parallel but both edit ${files.join(", ")}`,
        `make one depend on the other (e.g. add ${a.id} to ${b.id}'s depends_on) or split the file's changes`,
      ),
    );
  }
  return out;
}

/** Tasks in working order: dependencies first, ties by id; a cycle is broken at its lowest id. */
export function topologicalOrder(tasks: readonly PlanTaskRecord[]): PlanTaskRecord[] {
  const graph = taskGraph(tasks);
  return graph.order.map((rank) => graph.byRank[rank] as PlanTaskRecord);
}

/**
 * `baton plan next`: tasks to do or in progress whose dependencies are all done, in working
 * order. Blocked, done and cancelled tasks are not ready; a task waiting on a cancelled one
 * waits until its dependencies change.
 */
export function nextTasks(tasks: readonly PlanTaskRecord[]): PlanTaskRecord[] {
  const done = new Set(tasks.filter((t) => t.status === "done").map((t) => t.id));
  return topologicalOrder(tasks).filter(
    (t) =>
      (t.status === "todo" || t.status === "in_progress") && t.depends_on.every((d) => done.has(d)),
  );
}
