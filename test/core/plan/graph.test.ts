import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  dependencyCycles,
  MAX_TASK_CRITERIA,
  MAX_TASK_FILES,
  nextTasks,
  structuralFindings,
  topologicalOrder,
  verifyTasks,
} from "../../../src/core/plan/graph.ts";
import { renderTodoList } from "../../../src/core/plan/render.ts";
import type { PlanTaskRecord } from "../../../src/core/plan/tasks.ts";

function task(id: string, extra: Partial<PlanTaskRecord> = {}): PlanTaskRecord {
  return {
    schema_version: 1,
    id,
    title: `Task ${id}`,
    description: "",
    status: "todo",
    depends_on: [],
    files: [],
    acceptance: ["done when it works"],
    requirements: [],
    ...extra,
  };
}

describe("structure", () => {
  test("finds a cycle once and a dangling dependency", () => {
    const tasks = [
      task("A", { depends_on: ["C"] }),
      task("B", { depends_on: ["A"] }),
      task("C", { depends_on: ["B", "Z"] }),
    ];
    assert.deepEqual(dependencyCycles(tasks), [["A", "C", "B", "A"]]);
    assert.deepEqual(
      structuralFindings(tasks).map((f) => [f.code, f.task]),
      [
        ["TASK_DANGLING_DEPENDENCY", "C"],
        ["TASK_CYCLE", "A"],
      ],
    );
  });

  test("a self-dependency is a cycle", () => {
    assert.deepEqual(dependencyCycles([task("A", { depends_on: ["A"] })]), [["A", "A"]]);
  });
});

describe("order and next", () => {
  const tasks = [
    task("IMPL-10"),
    task("IMPL-3", { depends_on: ["IMPL-2"] }),
    task("IMPL-2", { depends_on: ["IMPL-1"] }),
    task("IMPL-1"),
  ];

  test("topological, then numeric id order", () => {
    assert.deepEqual(
      topologicalOrder(tasks).map((t) => t.id),
      ["IMPL-1", "IMPL-2", "IMPL-3", "IMPL-10"],
    );
  });

  test("next: tasks not done whose dependencies are done", () => {
    assert.deepEqual(
      nextTasks(tasks).map((t) => t.id),
      ["IMPL-1", "IMPL-10"],
    );
    const progressed = tasks.map((t) =>
      t.id === "IMPL-1" ? { ...t, status: "done" as const } : t,
    );
    assert.deepEqual(
      nextTasks(progressed).map((t) => t.id),
      ["IMPL-2", "IMPL-10"],
    );
  });
});

describe("verifyTasks", () => {
  test("reports missing acceptance, parallel file conflicts and oversized tasks", () => {
    const many = Array.from({ length: MAX_TASK_FILES + 1 }, (_, i) => `f${i}.ts`);
    const criteria = Array.from({ length: MAX_TASK_CRITERIA + 1 }, (_, i) => `c${i}`);
    const findings = verifyTasks([
      task("A", { files: ["shared.ts"] }),
      task("B", { files: ["shared.ts"], acceptance: [] }),
      task("C", { files: ["shared.ts"], depends_on: ["A", "B"] }),
      task("D", { files: many, acceptance: criteria }),
    ]);
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity, f.task]),
      [
        ["TASK_NO_ACCEPTANCE", "error", "B"],
        ["TASK_TOO_MANY_FILES", "warning", "D"],
        ["TASK_TOO_MANY_CRITERIA", "warning", "D"],
        ["TASK_PARALLEL_FILE_CONFLICT", "error", "A"],
      ],
    );
  });

  test("a dependency path, even an indirect one, makes sharing a file fine", () => {
    const findings = verifyTasks([
      task("A", { files: ["x.ts"] }),
      task("B", { depends_on: ["A"] }),
      task("C", { files: ["x.ts"], depends_on: ["B"] }),
    ]);
    assert.deepEqual(findings, []);
  });
});

test("TODO_LIST.md lists every task with its box and link", () => {
  const text = renderTodoList("plan-x", [task("IMPL-2", { status: "done" }), task("IMPL-1")]);
  assert.match(
    text,
    /- \[ \] \*\*IMPL-1\*\*: Task IMPL-1 → \[IMPL-1\.json\]\(\.\/\.task\/IMPL-1\.json\)\n- \[x\] \*\*IMPL-2\*\*/,
  );
});

describe("large plans", () => {
  /** A deterministic pseudo-random sequence, so a failing case can be replayed. */
  function random(seed: number): () => number {
    let x = seed;
    return () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x / 2147483648;
    };
  }

  function brute(tasks: PlanTaskRecord[]): Set<string> {
    const byId = new Map(tasks.map((t) => [t.id, t]));
    const anc = (id: string, seen = new Set<string>()): Set<string> => {
      for (const d of byId.get(id)?.depends_on ?? []) {
        if (!seen.has(d)) {
          seen.add(d);
          anc(d, seen);
        }
      }
      return seen;
    };
    const files = new Set<string>();
    for (const a of tasks) {
      for (const b of tasks) {
        if (a.id >= b.id || anc(a.id).has(b.id) || anc(b.id).has(a.id)) continue;
        for (const f of a.files) if (b.files.includes(f)) files.add(f);
      }
    }
    return files;
  }

  test("a file shared by unordered tasks is found exactly when a brute-force check finds it", () => {
    for (let seed = 1; seed <= 60; seed++) {
      const next = random(seed);
      const n = 2 + Math.floor(next() * 14);
      const tasks = Array.from({ length: n }, (_, i) =>
        task(`T${i}`, {
          depends_on: Array.from({ length: i }, (_, j) => `T${j}`).filter(() => next() < 0.25),
          files: ["a", "b", "c", "d"].filter(() => next() < 0.35),
        }),
      );
      const findings = verifyTasks(tasks).filter((f) => f.code === "TASK_PARALLEL_FILE_CONFLICT");
      const reported = new Set(
        findings.flatMap((f) => f.message.split(" both edit ")[1]?.split(", ") ?? []),
      );
      assert.deepEqual([...reported].sort(), [...brute(tasks)].sort(), `seed ${seed}`);
      const expected = brute(tasks);
      for (const finding of findings) {
        const [a, b] = finding.message.split(" may run")[0]?.split(" and ") ?? [];
        assert.ok(a && b, finding.message);
        const shared = finding.message.split(" both edit ")[1]?.split(", ") ?? [];
        for (const file of shared)
          assert.ok(expected.has(file), `seed ${seed}: ${finding.message}`);
      }
    }
  });

  test("three tasks that may run in parallel on one file: each break in the chain once", () => {
    const findings = verifyTasks([
      task("A", { files: ["x.ts"] }),
      task("B", { files: ["x.ts"] }),
      task("C", { files: ["x.ts"] }),
    ]).map((f) => f.message);
    assert.deepEqual(findings, [
      "A and B may run in parallel but both edit x.ts",
      "B and C may run in parallel but both edit x.ts",
    ]);
  });

  test("a chain of 50,000 tasks on one file is checked without overflowing the stack", () => {
    const tasks = Array.from({ length: 50_000 }, (_, i) =>
      task(`IMPL-${i + 1}`, { depends_on: i > 0 ? [`IMPL-${i}`] : [], files: ["src/app.ts"] }),
    );
    const t0 = performance.now();
    assert.deepEqual(verifyTasks(tasks), []);
    assert.equal(topologicalOrder(tasks)[49_999]?.id, "IMPL-50000");
    assert.equal(nextTasks(tasks)[0]?.id, "IMPL-1");
    // Quadratic checks took minutes here; the bound is loose for a busy machine.
    assert.ok(performance.now() - t0 < 15_000, `${performance.now() - t0} ms`);
  });

  test("32,000 tasks in parallel streams sharing files: near-linear", () => {
    // Two streams, the k-th task of one editing the file of the other's (n-k)-th: every pair is
    // a finding, and an ancestor test per pair must not walk the whole stream.
    const half = 16_000;
    const tasks = Array.from({ length: 2 * half }, (_, i) => {
      const stream = i < half ? 0 : 1;
      const k = i % half;
      const first = stream * half;
      return task(`IMPL-${i + 1}`, {
        depends_on: k > 0 ? [`IMPL-${first + k}`] : [],
        files: [`src/f${stream === 0 ? k : half - 1 - k}.ts`],
      });
    });
    const t0 = performance.now();
    const findings = verifyTasks(tasks);
    assert.equal(findings.length, half);
    assert.ok(performance.now() - t0 < 15_000, `${performance.now() - t0} ms`);
  });
});
