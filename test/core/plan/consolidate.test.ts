import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderConstraints, taskWaves } from "../../../src/core/plan/consolidate.ts";
import { intentRequirements, requirementCoverage } from "../../../src/core/plan/requirements.ts";
import type { PlanTaskRecord } from "../../../src/core/plan/tasks.ts";

function task(id: string, depends_on: string[] = [], requirements: string[] = []): PlanTaskRecord {
  return {
    schema_version: 1,
    id,
    title: id,
    description: "",
    status: "todo",
    depends_on,
    files: [],
    acceptance: ["done"],
    requirements,
  };
}

describe("task waves", () => {
  test("each task sits one wave after its deepest dependency", () => {
    const tasks = [
      task("IMPL-4", ["IMPL-2", "IMPL-3"]),
      task("IMPL-1"),
      task("IMPL-3", ["IMPL-1"]),
      task("IMPL-2"),
      task("IMPL-10", ["IMPL-4"]),
    ];
    assert.deepEqual(taskWaves(tasks), [["IMPL-1", "IMPL-2"], ["IMPL-3"], ["IMPL-4"], ["IMPL-10"]]);
  });
});

describe("requirement coverage", () => {
  const reqs = [
    { id: "1", text: "Sign in", source: "spec a", parts: ["1.1", "1.2"] },
    { id: "2", text: "Tokens", source: "spec a", parts: ["2.1", "2.2", "2.3"] },
    { id: "REQ-3", text: "Audit", source: "plan", parts: [] },
  ];

  test("ranges expand, ids compare without case, unknown refs are listed", () => {
    const c = requirementCoverage(
      [task("IMPL-1", [], ["2.2-2.3"]), task("IMPL-2", [], ["req-3", "9.9"])],
      reqs,
    );
    assert.deepEqual(c.covered, ["2", "REQ-3"]);
    assert.deepEqual(c.uncovered, ["1"]);
    assert.deepEqual(c.unknown, [{ task: "IMPL-2", ref: "9.9" }]);
  });

  test("without stated requirements nothing is unknown", () => {
    assert.deepEqual(requirementCoverage([task("IMPL-1", [], ["1.1"])], []).unknown, []);
  });

  test("only id-led scope items of phase 1 are requirements", () => {
    const intent = {
      goal: "g",
      scope: { in: ["REQ-1: Sign in", "Plain item", "FR-2.1: Nested"], out: ["REQ-9: later"] },
      context: "",
      source: "requirements" as const,
    };
    assert.deepEqual(
      intentRequirements(intent).map((r) => [r.id, r.text]),
      [
        ["REQ-1", "Sign in"],
        ["FR-2.1", "Nested"],
      ],
    );
  });
});

describe("consolidated constraints", () => {
  test("an unknown strategy is still shown, and nothing known leaves the placeholder", () => {
    assert.match(
      renderConstraints({
        intent: null,
        context: null,
        resolution: null,
        conflictsState: "pending",
        requirements: [],
      }),
      /^_Pending/,
    );
    const text = renderConstraints({
      intent: null,
      context: null,
      resolution: {
        schema_version: 1,
        plan: "plan-x",
        decided_at: "t",
        risk_level: "high",
        conflicts: [
          {
            id: "CONF-1",
            brief: "b",
            severity: "high",
            category: "public_api",
            affected_files: ["src/api.ts"],
            strategies: ["custom"],
            recommended: "custom",
          },
        ],
        resolutions: [{ id: "CONF-1", strategy: "custom" }],
      },
      conflictsState: "completed",
      requirements: [],
    });
    assert.match(text, /^_From phases 1–3;/);
    assert.match(text, /- CONF-1: custom: b \(`src\/api\.ts`\)/);
  });
});
