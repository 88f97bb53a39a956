import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BatonError } from "../../src/core/errors.ts";
import {
  archivePlanningSession,
  attachPlan,
  attachSpike,
  completePlanningSession,
  newPlanningSession,
  type PlanningSession,
  parsePlanningSession,
  resumePlanningSession,
} from "../../src/core/planning-session.ts";

const ID = "seed-a@2026-02-06T17-30-00Z";
const T0 = "2026-02-06T17:30:00.000Z";
const T1 = "2026-02-06T17:31:00.000Z";

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof BatonError);
    return error.code;
  }
  assert.fail("expected a throw");
}

function roundTrip(session: PlanningSession): PlanningSession {
  return parsePlanningSession(JSON.parse(JSON.stringify(session)), "s.json");
}

describe("session transitions", () => {
  test("a new session is active with every field of schema v1", () => {
    const s = newPlanningSession(ID, "seed-a", T0);
    assert.deepEqual(Object.keys(s).sort(), [
      "backlog",
      "completed_at",
      "created",
      "plan",
      "root_seed",
      "schema_version",
      "session_id",
      "spikes",
      "state",
      "updated",
    ]);
    assert.equal(s.state, "active");
    assert.equal(s.schema_version, 1);
    assert.deepEqual(s.spikes, []);
    assert.equal(s.plan, null);
    assert.equal(s.backlog, null);
    assert.equal(s.completed_at, null);
  });

  test("a spike is attached once; re-attaching returns the same object", () => {
    const s = newPlanningSession(ID, "seed-a", T0);
    const a = attachSpike(s, "spike-x", T1);
    assert.deepEqual(a.spikes, ["spike-x"]);
    assert.equal(a.updated, T1);
    assert.equal(attachSpike(a, "spike-x", "later"), a);
    assert.deepEqual(attachSpike(a, "spike-y", T1).spikes, ["spike-x", "spike-y"]);
    assert.deepEqual(s.spikes, [], "the input is not mutated");
  });

  test("one current plan: a new plan replaces the old, the same plan changes nothing", () => {
    const s = attachPlan(newPlanningSession(ID, "seed-a", T0), "plan-one", T1);
    assert.equal(s.plan, "plan-one");
    assert.equal(attachPlan(s, "plan-one", "later"), s);
    assert.equal(attachPlan(s, "plan-two", T1).plan, "plan-two");
  });

  test("archive, resume and complete", () => {
    const s = newPlanningSession(ID, "seed-a", T0);
    const archived = archivePlanningSession(s, T1);
    assert.equal(archived.state, "archived");
    assert.equal(archived.session_id, ID);
    const resumed = resumePlanningSession(archived, T1);
    assert.equal(resumed.state, "active");
    assert.equal(resumed.session_id, ID, "resuming keeps the same session id");
    const backlog = { topic: "plan-p", backlog_md: "x/backlog.md", tickets: ["BTN-abcd1234"] };
    const done = completePlanningSession(resumed, backlog, T1);
    assert.equal(done.state, "completed");
    assert.equal(done.completed_at, T1);
    assert.deepEqual(done.backlog, backlog);
    assert.equal(
      codeOf(() => resumePlanningSession(done, T1)),
      "STATE_CONFLICT",
    );
  });

  test("every state survives a JSON round trip through parsePlanningSession", () => {
    const s = attachSpike(newPlanningSession(ID, "seed-a", T0), "spike-x", T1);
    const done = completePlanningSession(
      attachPlan(s, "plan-p", T1),
      { topic: "plan-p", backlog_md: "b.md", tickets: [] },
      T1,
    );
    for (const value of [s, archivePlanningSession(s, T1), done]) {
      assert.deepEqual(roundTrip(value), value);
    }
  });
});

describe("parsePlanningSession refuses malformed files with CORRUPT_FILE", () => {
  const good = () => JSON.parse(JSON.stringify(newPlanningSession(ID, "seed-a", T0)));
  const cases: [string, (d: Record<string, unknown>) => void][] = [
    ["missing session_id", (d) => delete d.session_id],
    ["unknown state", (d) => (d.state = "paused")],
    ["spikes not a list", (d) => (d.spikes = "spike-x")],
    ["spikes with a number", (d) => (d.spikes = [1])],
    ["plan a number", (d) => (d.plan = 3)],
    ["backlog without tickets", (d) => (d.backlog = { topic: "plan-p", backlog_md: "b" })],
    ["path-like session id", (d) => (d.session_id = "../../etc/x")],
    ["path-like root seed", (d) => (d.root_seed = "../seed-a")],
    ["path-like spike", (d) => (d.spikes = ["spike-a/../../x"])],
    ["path-like plan", (d) => (d.plan = "/etc/passwd")],
    [
      "ticket ids not text",
      (d) => (d.backlog = { topic: "plan-p", backlog_md: "b", tickets: [1] }),
    ],
  ];
  for (const [name, mutate] of cases) {
    test(name, () => {
      const data = good();
      mutate(data);
      assert.equal(
        codeOf(() => parsePlanningSession(data, "s.json")),
        "CORRUPT_FILE",
      );
    });
  }
});
