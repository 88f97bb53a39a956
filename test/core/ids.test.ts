import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { BatonError } from "../../src/core/errors.ts";
import {
  assertPlanningSessionId,
  assertTicketId,
  assertTicketPrefix,
  assertTopicId,
  isPlanningSessionId,
  isTicketId,
  isTopicId,
  newPlanningSessionId,
  newTicketId,
  seedOfPlanningSession,
  sessionStamp,
  slugify,
  topicIdFor,
  topicTypeOf,
} from "../../src/core/ids.ts";

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof BatonError, `expected a BatonError, got ${String(error)}`);
    return error.code;
  }
  assert.fail("expected a throw");
}

const PATH_LIKE = [
  "../x",
  "../../etc/passwd",
  "/etc/passwd",
  "seed-a/../../b",
  "seed-a/b",
  "seed-a\\b",
  "seed-a\0",
  "C:\\x",
  "",
  ".",
  "..",
  "seed-",
  "seed-A",
  "seed-a--b",
  "seed--a",
  "seed-a ",
];

describe("slugify / topicIdFor", () => {
  test("folds case, accents and punctuation into single dashes", () => {
    assert.equal(slugify("OAuth Login"), "oauth-login");
    assert.equal(slugify("  Crème brûlée!! v2 "), "creme-brulee-v2");
    assert.equal(slugify("a/../b"), "a-b");
    assert.equal(slugify("---x---"), "x");
  });

  test("caps the slug at 60 characters without a trailing dash", () => {
    const slug = slugify(`${"a".repeat(59)} bbbb`);
    assert.ok(slug.length <= 60);
    assert.ok(!slug.endsWith("-"));
    assert.ok(isTopicId(`backlog-${slugify("x ".repeat(200))}`));
  });

  test("a title with no letters or digits is refused with INVALID_INPUT", () => {
    assert.equal(
      codeOf(() => topicIdFor("seed", "!!! ---")),
      "INVALID_INPUT",
    );
    assert.equal(topicIdFor("spike", "Token storage"), "spike-token-storage");
  });

  test("path-like titles become plain slugs", () => {
    assert.equal(topicIdFor("seed", "../../etc/passwd"), "seed-etc-passwd");
    assert.equal(topicIdFor("plan", "/abs/path"), "plan-abs-path");
  });
});

describe("topic ids", () => {
  test("accepts {type}-{slug} for every type", () => {
    for (const id of ["seed-a", "spike-b-2", "plan-x-y-z", "backlog-q"]) {
      assert.ok(isTopicId(id), id);
      assert.equal(assertTopicId(id), id);
    }
    assert.equal(topicTypeOf("spike-b-2"), "spike");
  });

  test("refuses path-like and malformed ids", () => {
    for (const bad of [...PATH_LIKE, "note-a", "seed", `seed-${"a".repeat(80)}`]) {
      assert.equal(isTopicId(bad), false, bad);
      assert.equal(
        codeOf(() => assertTopicId(bad)),
        "INVALID_ID",
        bad,
      );
    }
  });

  test("refuses an id of the wrong type", () => {
    assert.equal(
      codeOf(() => assertTopicId("spike-a", "plan")),
      "INVALID_ID",
    );
  });
});

describe("session ids", () => {
  test("stamp is the UTC second with dashes instead of colons", () => {
    assert.equal(sessionStamp(new Date("2026-02-06T17:30:00.999Z")), "2026-02-06T17-30-00Z");
  });

  test("valid ids and their seed", () => {
    for (const id of ["seed-foo@2026-02-06T17-30-00Z", "seed-foo-bar@2026-02-06T17-30-00Z-2"]) {
      assert.ok(isPlanningSessionId(id), id);
      assert.equal(assertPlanningSessionId(id), id);
    }
    assert.equal(seedOfPlanningSession("seed-foo-bar@2026-02-06T17-30-00Z-12"), "seed-foo-bar");
  });

  test("refuses malformed and path-like session ids", () => {
    for (const bad of [
      ...PATH_LIKE,
      "seed-foo",
      "spike-foo@2026-02-06T17-30-00Z",
      "seed-foo@2026-02-06T17:30:00Z",
      "seed-foo@2026-02-06T17-30-00Z/../x",
      "seed-foo@2026-02-06T17-30-00Z-",
      "../seed-foo@2026-02-06T17-30-00Z",
    ]) {
      assert.equal(isPlanningSessionId(bad), false, bad);
      assert.equal(
        codeOf(() => assertPlanningSessionId(bad)),
        "INVALID_ID",
        bad,
      );
    }
  });

  test("two sessions started in the same second get distinct ids", () => {
    const now = new Date("2026-02-06T17:30:00.100Z");
    const taken = new Set<string>();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = newPlanningSessionId("seed-foo", now, (candidate) => taken.has(candidate));
      taken.add(id);
      ids.push(id);
    }
    assert.equal(new Set(ids).size, 5);
    assert.equal(ids[0], "seed-foo@2026-02-06T17-30-00Z");
    assert.equal(ids[1], "seed-foo@2026-02-06T17-30-00Z-2");
    for (const id of ids) {
      assert.ok(isPlanningSessionId(id), id);
      assert.equal(seedOfPlanningSession(id), "seed-foo");
    }
  });
});

describe("ticket ids", () => {
  test("new ids use the prefix and pass validation", () => {
    let n = 0;
    const fake = (bytes: number) => Uint8Array.from({ length: bytes }, () => n++ * 37);
    const id = newTicketId("ABC", fake);
    assert.match(id, /^ABC-[a-z0-9]{8}$/);
    assert.ok(isTicketId(id));
    assert.equal(assertTicketId(id), id);
  });

  test("random ids do not repeat in practice", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      seen.add(newTicketId("BTN", (b) => randomBytes(b)));
    }
    assert.equal(seen.size, 2000);
  });

  test("refuses path-like ticket ids and bad prefixes", () => {
    for (const bad of [...PATH_LIKE, "BTN-", "BTN-abc", "BTN-ABCDEFGH", "BTN-abcd/../x"]) {
      assert.equal(isTicketId(bad), false, bad);
      assert.equal(
        codeOf(() => assertTicketId(bad)),
        "INVALID_ID",
        bad,
      );
    }
    for (const bad of ["", "1BTN", "BT-N", "B/T", "ABCDEFGHIJK"]) {
      assert.equal(
        codeOf(() => assertTicketPrefix(bad)),
        "CONFIG_INVALID",
        bad,
      );
    }
    assert.equal(assertTicketPrefix("Tf1"), "Tf1");
  });
});
