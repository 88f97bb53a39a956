import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { commandLine } from "../../src/app/command-line.ts";
import { OPERATIONS } from "../../src/app/operations.ts";
import { renderRefs } from "../../src/core/command-ref.ts";
import { durationMs, resolveConfig } from "../../src/core/config.ts";
import { BatonError } from "../../src/core/errors.ts";
import {
  assertWorkTaskId,
  isEventId,
  isWorkSessionId,
  newEventId,
  newWorkSessionId,
} from "../../src/core/ids.ts";
import { parseSpecTaskList } from "../../src/core/spec/tasks-md.ts";
import {
  type Claim,
  fence,
  isLive,
  parseClaim,
  releaseClaim,
  renewClaim,
  takeClaim,
} from "../../src/core/work/claims.ts";
import { livenessOf } from "../../src/core/work/liveness.ts";
import { compareIds, filesOverlap, readyQueue, workTasks } from "../../src/core/work/ready.ts";
import {
  allowedWorkActions,
  newWorkSession,
  parseWorkSession,
  workTransition,
} from "../../src/core/work/session.ts";

const T0 = "2026-12-04T10:00:00.000Z";
const MIN = 60_000;
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof BatonError) return error.code;
    throw error;
  }
  return "none";
}

const TASKS = `# Tasks

- [ ] 1. Set up
  - [ ] 1.1 Config
    - _Files: src/config.ts_
  - [ ] 1.2 Schema
    - _Files: \`./src/config.ts\`, src/schema/_
  - [ ]* 1.3 Docs (optional)
- [ ] 2. API
  - _Depends: 1_
- [x] 3. Done already
- [ ] 10. Tenth
- [ ] 4. Fourth
  - _Depends: task 10, 99_
- [ ] 5. Fifth
`;

describe("work session ids", () => {
  test("ws-<8 base36>, random; event ids unique and checked", () => {
    let n = 0;
    const random = (len: number) => Uint8Array.from({ length: len }, () => n++);
    const id = newWorkSessionId(random);
    assert.match(id, /^ws-[a-z0-9]{8}$/);
    assert.ok(isWorkSessionId(id));
    for (const bad of ["ws-1234567", "ws-ABCDEFGH", "../ws-12345678", "ws-12345678/x", ""])
      assert.equal(isWorkSessionId(bad), false, bad);
    const e = newEventId(random);
    assert.ok(isEventId(e), e);
    assert.equal(
      code(() => assertWorkTaskId("../etc")),
      "INVALID_ID",
    );
    assert.equal(
      code(() => assertWorkTaskId("1..2")),
      "INVALID_ID",
    );
    assert.equal(assertWorkTaskId("T019a"), "T019a");
  });
});

describe("claims", () => {
  test("a free task gets token 1; a live claim is refused; an expired one is taken over with the next token", () => {
    const first = takeClaim(null, "s", "1.1", "ws-aaaaaaaa", T0, 15 * MIN);
    assert.equal(first.claim.token, 1);
    assert.equal(first.takeover, null);
    assert.equal(first.claim.expires, at(15 * MIN));
    assert.ok(isLive(first.claim, Date.parse(at(14 * MIN))));
    assert.equal(
      code(() => takeClaim(first.claim, "s", "1.1", "ws-bbbbbbbb", at(MIN), 15 * MIN)),
      "STATE_CONFLICT",
    );
    const over = takeClaim(first.claim, "s", "1.1", "ws-bbbbbbbb", at(16 * MIN), 15 * MIN);
    assert.equal(over.claim.token, 2);
    assert.deepEqual(over.takeover, { session: "ws-aaaaaaaa", token: 1, expired: at(15 * MIN) });
    const released = releaseClaim(over.claim, at(17 * MIN));
    assert.equal(released.session, null);
    const again = takeClaim(released, "s", "1.1", "ws-cccccccc", at(17 * MIN), 15 * MIN);
    assert.equal(again.claim.token, 3, "the token keeps growing after a release");
    assert.equal(again.takeover, null);
    assert.equal(renewClaim(again.claim, at(20 * MIN), 15 * MIN).expires, at(35 * MIN));
  });

  test("fencing: only the holder with the claim's token passes; anything else is LEASE_LOST", () => {
    const { claim } = takeClaim(null, "s", "1", "ws-aaaaaaaa", T0, MIN);
    fence(claim, "s", "1", "ws-aaaaaaaa", 1);
    fence(claim, "s", "1", "ws-aaaaaaaa", 1, 1);
    assert.equal(
      code(() => fence(claim, "s", "1", "ws-aaaaaaaa", 1, 2)),
      "LEASE_LOST",
    );
    const over = takeClaim(claim, "s", "1", "ws-bbbbbbbb", at(2 * MIN), MIN).claim;
    assert.equal(
      code(() => fence(over, "s", "1", "ws-aaaaaaaa", 1)),
      "LEASE_LOST",
    );
    assert.equal(
      code(() => fence(null, "s", "1", "ws-aaaaaaaa", 1)),
      "LEASE_LOST",
    );
    assert.equal(
      code(() => fence(releaseClaim(claim, T0), "s", "1", "ws-aaaaaaaa", 1)),
      "LEASE_LOST",
    );
  });

  test("a claim file that is not a claim is CORRUPT_FILE", () => {
    const { claim } = takeClaim(null, "s", "1", "ws-aaaaaaaa", T0, MIN);
    assert.deepEqual(parseClaim(JSON.parse(JSON.stringify(claim)), "f"), claim);
    for (const broken of [
      { ...claim, token: 0 },
      { ...claim, task: "../x" },
      { ...claim, session: "nope" },
      { ...claim, state: "held", session: null },
      { ...claim, expires: "soon" },
    ])
      assert.equal(
        code(() => parseClaim(broken, "f")),
        "CORRUPT_FILE",
      );
    assert.equal(
      code(() => parseClaim({ ...claim, schema_version: 99 }, "f")),
      "SCHEMA_TOO_NEW",
    );
  });
});

describe("the ready queue", () => {
  const tasks = workTasks(parseSpecTaskList(TASKS).tasks);
  const claims = (entries: [string, string][], expires = at(MIN)) =>
    new Map<string, Claim>(
      entries.map(([task, session]) => [
        task,
        { ...takeClaim(null, "s", task, session, T0, MIN).claim, expires },
      ]),
    );

  test("tasks.md nesting, _Depends: and _Files: lines are read", () => {
    const byId = new Map(tasks.map((t) => [t.id, t]));
    assert.deepEqual(byId.get("1")?.depends, ["1.1", "1.2", "1.3"]);
    assert.deepEqual(byId.get("1.2")?.files, ["src/config.ts", "src/schema"]);
    assert.deepEqual(byId.get("2")?.depends, ["1"]);
    assert.deepEqual(byId.get("4")?.depends, ["10", "99"]);
  });

  test("ready: not done, dependencies done, no live lease, no file overlap; ordered dependencies first, then id", () => {
    const q = readyQueue(tasks, new Map(), Date.parse(T0));
    // Tasks others wait for first (1.x by their parent, 10 by 4), then by id: 5 is last.
    assert.deepEqual(
      q.ready.map((t) => t.id),
      ["1.1", "1.2", "1.3", "10", "5"],
    );
    assert.equal(q.done, 1);
    assert.deepEqual(q.unknown, [{ task: "4", depends: "99" }]);
    const why = new Map(q.held.map((h) => [h.task.id, h.reason.why]));
    assert.deepEqual(Object.fromEntries(why), { "1": "waiting", "2": "waiting", "4": "waiting" });
  });

  test("a live claim holds its task and the tasks sharing its files; an expired one does not", () => {
    const now = Date.parse(T0);
    const held = readyQueue(tasks, claims([["1.1", "ws-aaaaaaaa"]]), now);
    assert.deepEqual(
      held.ready.map((t) => t.id),
      ["1.3", "10", "5"],
    );
    const reasons = new Map(held.held.map((h) => [h.task.id, h.reason]));
    assert.equal(reasons.get("1.1")?.why, "claimed");
    assert.equal(reasons.get("1.2")?.why, "files");
    const expired = readyQueue(tasks, claims([["1.1", "ws-aaaaaaaa"]], at(-1)), now);
    assert.deepEqual(
      expired.ready.map((t) => t.id),
      ["1.1", "1.2", "1.3", "10", "5"],
    );
  });

  test("a parent is ready once its required sub-tasks are done; optional ones do not hold it", () => {
    const done = TASKS.replace("- [ ] 1.1", "- [x] 1.1").replace("- [ ] 1.2", "- [x] 1.2");
    const q = readyQueue(workTasks(parseSpecTaskList(done).tasks), new Map(), Date.parse(T0));
    assert.ok(q.ready.some((t) => t.id === "1"));
  });

  test("ids in natural order; files overlap when equal or one holds the other", () => {
    const ids = ["1.10", "T10", "2", "1.2", "T9", "1"];
    assert.deepEqual(ids.sort(compareIds), ["1", "1.2", "1.10", "2", "T9", "T10"]);
    assert.ok(filesOverlap("src/a", "src/a/b.ts"));
    assert.ok(filesOverlap("src/a.ts", "src/a.ts"));
    assert.ok(!filesOverlap("src/a.ts", "src/ab.ts"));
  });
});

describe("work sessions", () => {
  const session = newWorkSession({ id: "ws-aaaaaaaa", spec: "s", now: T0 });

  test("the state table: refused moves name the allowed ones", () => {
    assert.deepEqual(allowedWorkActions("active"), ["block", "wait", "end"]);
    const blocked = workTransition(session, "block", at(1), { reason: "on ws-b" });
    assert.equal(blocked.state, "blocked");
    assert.equal(blocked.reason, "on ws-b");
    const ended = workTransition(blocked, "end", at(2), { to: "failed" });
    assert.equal(ended.state, "failed");
    assert.equal(ended.ended, at(2));
    try {
      workTransition(ended, "unblock", at(3));
      assert.fail("unblock after the end");
    } catch (error) {
      assert.ok(error instanceof BatonError);
      assert.equal(error.code, "STATE_CONFLICT");
      assert.match(error.message, /is failed; unblock needs blocked or waiting/);
      assert.match(error.hint, /final/);
    }
    try {
      workTransition(session, "unblock", at(3));
      assert.fail("unblock while active");
    } catch (error) {
      assert.ok(error instanceof BatonError);
      // Core names the commands; the CLI writes them as command lines.
      const hint = renderRefs(error.hint, (ref) => commandLine(ref, OPERATIONS));
      assert.match(hint, /baton work block ws-aaaaaaaa --on <ws\|task> --reason <text>/);
    }
  });

  test("liveness is derived: working, idle, waiting, stale, gone, ended", () => {
    const input = { nowMs: Date.parse(at(MIN)), ttlMs: 15 * MIN, processAlive: null };
    assert.equal(livenessOf(session, input), "idle");
    const holding = {
      ...session,
      tasks: [{ id: "1", token: 1, state: "held" as const, claimed: T0, until: null }],
    };
    assert.equal(livenessOf(holding, input), "working");
    assert.equal(livenessOf({ ...holding, state: "waiting" }, input), "waiting");
    assert.equal(livenessOf(holding, { ...input, nowMs: Date.parse(at(16 * MIN)) }), "stale");
    assert.equal(livenessOf(holding, { ...input, processAlive: false }), "gone");
    assert.equal(livenessOf({ ...holding, state: "done" }, input), "ended");
  });

  test("a session file that is not a session is CORRUPT_FILE", () => {
    const data = JSON.parse(JSON.stringify(session));
    assert.deepEqual(parseWorkSession(data, "f"), session);
    for (const broken of [
      { ...data, id: "../x" },
      { ...data, state: "sleeping" },
      { ...data, parent: "x" },
      { ...data, tasks: [{ id: "../1", token: 1, state: "held", claimed: T0 }] },
    ])
      assert.equal(
        code(() => parseWorkSession(broken, "f")),
        "CORRUPT_FILE",
      );
  });
});

describe("work.leaseTtl", () => {
  test("durations: 15m, 90s, 1h, bare seconds; out of range or other text is CONFIG_INVALID", () => {
    assert.equal(durationMs("15m"), 15 * MIN);
    assert.equal(durationMs("90s"), 90_000);
    assert.equal(durationMs("1h"), 3_600_000);
    assert.equal(durationMs("30"), 30_000);
    assert.equal(durationMs("soon"), null);
    assert.equal(resolveConfig({ schema_version: 1 }, "c").work.leaseTtl, "15m");
    assert.equal(
      resolveConfig({ schema_version: 1, work: { leaseTtl: "2s" } }, "c").work.leaseTtl,
      "2s",
    );
    for (const bad of ["0s", "25h", "soon", ""]) {
      assert.equal(
        code(() => resolveConfig({ schema_version: 1, work: { leaseTtl: bad } }, "c")),
        "CONFIG_INVALID",
        bad,
      );
    }
  });
});
