import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { addRelation, emptyCatalog, upsertTopic } from "../../src/core/catalog.ts";

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
});
