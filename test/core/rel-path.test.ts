import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import {
  basenameRel,
  dirnameRel,
  joinRel,
  normalizeRel,
  relativeRel,
} from "../../src/core/rel-path.ts";

const SAMPLES = [
  "",
  ".",
  "..",
  "./",
  "/",
  "//",
  "a",
  "a/",
  "a//",
  "a/b",
  "a//b",
  "a/b/",
  "./a/b",
  "a/./b",
  "a/../b",
  "a/b/..",
  "a/b/../",
  "../a",
  "../../a/b",
  "a/../..",
  "/a",
  "/a/b/",
  "/../a",
  "//a",
  ".baton/planning/user-auth/requirements.md",
  "specs/001-auth/",
];

describe("rel-path answers as path.posix does", () => {
  test("normalize, basename, dirname", () => {
    for (const p of SAMPLES) {
      assert.equal(normalizeRel(p), path.posix.normalize(p), `normalize ${JSON.stringify(p)}`);
      assert.equal(basenameRel(p), path.posix.basename(p), `basename ${JSON.stringify(p)}`);
      assert.equal(dirnameRel(p), path.posix.dirname(p), `dirname ${JSON.stringify(p)}`);
    }
  });

  test("join", () => {
    for (const a of SAMPLES) {
      for (const b of ["", "x", "x/y", "../x", "x/"]) {
        assert.equal(joinRel(a, b), path.posix.join(a, b), `join ${JSON.stringify([a, b])}`);
      }
    }
    assert.equal(joinRel(), path.posix.join());
  });

  test("relative, between paths inside one root", () => {
    const inside = [
      "",
      ".",
      "a",
      "a/",
      "a/b",
      "a/b/c.md",
      "a/./b",
      "a/x/../b",
      "a/bc",
      ".baton/tickets",
      ".baton/knowledge/topics/plan-x/plan.md",
      "specs//001/tasks.md",
    ];
    for (const from of inside) {
      for (const to of inside) {
        const expected = path.posix.relative(`/r/${from}`, `/r/${to}`);
        assert.equal(relativeRel(from, to), expected, `relative ${JSON.stringify([from, to])}`);
      }
    }
  });
});
