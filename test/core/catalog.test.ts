import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  addRelation,
  emptyCatalog,
  mergeTopicSnapshots,
  upsertTopic,
} from "../../src/core/catalog.ts";

const base = {
  id: "spike-x",
  type: "spike" as const,
  title: "X",
  path: "k/topics/spike-x/spike.md",
};

describe("catalog", () => {
  test("upsert creates once, then only changes on new information", () => {
    const c = emptyCatalog();
    assert.equal(upsertTopic(c, base, "t0"), true);
    assert.equal(upsertTopic(c, base, "t1"), false);
    assert.equal(c.topics["spike-x"]?.updated, "t0", "a no-op upsert does not touch updated");
    assert.equal(upsertTopic(c, { ...base, root_seed: "seed-a", relates: ["seed-a"] }, "t2"), true);
    assert.equal(
      upsertTopic(c, { ...base, root_seed: "seed-a", relates: ["seed-a"] }, "t3"),
      false,
    );
    assert.deepEqual(c.topics["spike-x"]?.relates, ["seed-a"]);
    assert.equal(c.topics["spike-x"]?.created, "t0");
    assert.equal(c.topics["spike-x"]?.updated, "t2");
  });

  test("relates is a set", () => {
    const c = emptyCatalog();
    upsertTopic(c, { ...base, relates: ["seed-a", "seed-a"] }, "t0");
    assert.deepEqual(c.topics["spike-x"]?.relates, ["seed-a"]);
    assert.equal(addRelation(c, "spike-x", "seed-a", "t1"), false);
    assert.equal(addRelation(c, "spike-x", "plan-p", "t1"), true);
    assert.equal(addRelation(c, "spike-missing", "plan-p", "t1"), false);
    assert.deepEqual(c.topics["spike-x"]?.relates, ["seed-a", "plan-p"]);
  });

  test("two snapshots of a topic merge alike in either order: newer fields, both relations", () => {
    const older = {
      ...base,
      title: "Old title",
      created: "2026-01-01T00:00:00.000Z",
      updated: "2026-01-02T00:00:00.000Z",
      relates: ["seed-a"],
    };
    const newer = {
      ...base,
      session_id: "seed-b@2026-01-03T00-00-00Z",
      created: "2026-01-01T00:00:01.000Z",
      updated: "2026-01-03T00:00:00.000Z",
      relates: ["seed-b"],
    };
    const merged = {
      ...newer,
      created: "2026-01-01T00:00:00.000Z",
      relates: ["seed-a", "seed-b"],
    };
    assert.deepEqual(mergeTopicSnapshots(older, newer), merged);
    assert.deepEqual(mergeTopicSnapshots(newer, older), merged);
  });
});
