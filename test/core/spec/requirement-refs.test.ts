import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  parseRequirementRefs,
  requirementListOf,
} from "../../../src/core/spec/requirement-refs.ts";

describe("requirementListOf", () => {
  test("recognises the spellings found in task files", () => {
    assert.equal(requirementListOf("  - _Requirements: 1.1, 2.3_"), "1.1, 2.3");
    assert.equal(requirementListOf("_Requirements: 5.1_"), "5.1");
    assert.equal(requirementListOf("- **Validates: Requirements 3.3**"), "3.3");
    assert.equal(requirementListOf("- Requirements: 1.2"), "1.2");
    assert.equal(requirementListOf("- **Requirements**: 1.2"), "1.2");
    assert.equal(requirementListOf("*Requirement: 4.1*"), "4.1");
    assert.equal(requirementListOf("_Requirements：2.1_"), "2.1");
    assert.equal(requirementListOf("- Reqs: FR-001"), "FR-001");
  });

  test("ignores prose and other detail lines", () => {
    assert.equal(requirementListOf("- Requirements are in the spec"), null);
    assert.equal(requirementListOf("- **Property 6: Image load calculation**"), null);
    assert.equal(requirementListOf("- Add SCHEDULER_THROTTLING_ENABLED (default True)"), null);
  });
});

describe("parseRequirementRefs", () => {
  test("splits on commas (ASCII and CJK), semicolons and 'and'", () => {
    assert.deepEqual(parseRequirementRefs("1.1, 1.2；1.3、1.4 and 1.5").refs, [
      "1.1",
      "1.2",
      "1.3",
      "1.4",
      "1.5",
    ]);
  });

  test("a list written as an array reads like the bare list", () => {
    const parsed = parseRequirementRefs("[1.1, 2.3]");
    assert.deepEqual(parsed.refs, ["1.1", "2.3"]);
    assert.deepEqual(parsed.problems, []);
  });

  test("expands ranges whose ends share a prefix", () => {
    assert.deepEqual(parseRequirementRefs("1.1-1.3").refs, ["1.1", "1.2", "1.3"]);
    assert.deepEqual(parseRequirementRefs("1.1 – 1.3").refs, ["1.1", "1.2", "1.3"]);
    assert.deepEqual(parseRequirementRefs("2-4").refs, ["2", "3", "4"]);
    assert.deepEqual(parseRequirementRefs("FR-008-FR-010").refs, ["FR-008", "FR-009", "FR-010"]);
    assert.deepEqual(parseRequirementRefs("1.9~1.10").refs, ["1.9", "1.10"]);
  });

  test("keeps a single prefixed id whole: FR-001 is not the range FR..001", () => {
    assert.deepEqual(parseRequirementRefs("FR-001, NFR-2").refs, ["FR-001", "NFR-2"]);
  });

  test("drops duplicates and notes after an id, keeps order", () => {
    assert.deepEqual(parseRequirementRefs("2.1, 1.1-1.2, 1.1 (partial), 2.1.").refs, [
      "2.1",
      "1.1",
      "1.2",
    ]);
    assert.deepEqual(parseRequirementRefs("Requirement 3.1").refs, ["3.1"]);
  });

  test("reports what it cannot read", () => {
    const crossing = parseRequirementRefs("1.5-2.2");
    assert.deepEqual(crossing.refs, ["1.5", "2.2"]);
    assert.deepEqual(
      crossing.problems.map((p) => p.code),
      ["TASK_REQ_RANGE_UNEXPANDED"],
    );
    const backwards = parseRequirementRefs("1.5-1.2");
    assert.deepEqual(
      backwards.problems.map((p) => p.code),
      ["TASK_REQ_RANGE_UNEXPANDED"],
    );
    const words = parseRequirementRefs("全要件の品質保証");
    assert.deepEqual(
      [words.refs, words.problems.map((p) => p.code)],
      [["全要件の品質保証"], ["TASK_REQ_REF_NOT_ID"]],
    );
  });
});
