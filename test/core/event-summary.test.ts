import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { describeEvent, summarizeEvent } from "../../src/core/event-summary.ts";
import { sinceLastArchive } from "../../src/core/journal.ts";

const AT = "2026-02-06T17:30:00.000Z";
const HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

describe("event summaries", () => {
  test("every event type Baton records has its own sentence", () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { type: "plan.task_status", plan: "plan-x", task: "IMPL-2", from: "pending", to: "done" },
        "plan plan-x: task IMPL-2 todo -> done",
      ],
      [
        { type: "plan.phases_skipped", plan: "plan-x", phases: ["context", "conflicts"] },
        "plan plan-x: skipped context and conflicts (--skip-context)",
      ],
      [{ type: "crash.undone", steps: 3 }, "undid 3 changes an interrupted command left half-made"],
      [
        { type: "crash.finished", steps: 1 },
        "finished 1 change of an interrupted command that had committed",
      ],
      [
        {
          type: "spec.submitted",
          spec: "auth",
          from: "draft",
          to: "in_review",
          by: "bo",
          override: { kind: "lint_errors", detail: "2 lint errors" },
        },
        "submitted spec auth: draft -> in_review, by bo, despite 2 lint errors",
      ],
    ];
    for (const [event, line] of cases) {
      assert.equal(describeEvent({ at: AT, ...event } as never), line);
    }
  });

  test("known events read as sentences, with the command that made them", () => {
    assert.equal(
      summarizeEvent({
        at: AT,
        type: "session.spike_attached",
        session: "seed-oauth@2026-02-06T17-30-00Z",
        spike: "spike-tokens",
        command: "baton spike",
      }),
      "linked spike spike-tokens to the session of seed-oauth (baton spike)",
    );
    assert.equal(
      describeEvent({
        at: AT,
        type: "spec.approved",
        spec: "auth",
        from: "in_review",
        to: "approved",
        by: "ana",
        content_hash: HASH,
      }),
      "approved spec auth: in_review -> approved, by ana",
    );
    assert.equal(
      describeEvent({ at: AT, type: "spec.migrated", moves: [{ from: "a", to: "b" }] }),
      "migrated 1 spec folder",
    );
    assert.equal(
      describeEvent({ at: AT, type: "plan.context", plan: "plan-x", state: "completed" }),
      "plan plan-x: phase context completed",
    );
    assert.equal(
      summarizeEvent({ at: AT, type: "topic.created", topic: "seed-a", topic_type: "seed" }),
      "created seed seed-a",
    );
  });

  test("an event no entry describes: its short values by name, lists counted, digests cut", () => {
    const line = describeEvent({
      schema_version: 1,
      at: AT,
      type: "plan.task_renamed",
      plan: "plan-x",
      task: "IMPL-2",
      done: true,
      digest: HASH,
      files: ["a.ts", "b.ts"],
      detail: { nested: "object" },
      note: "x".repeat(200),
    });
    assert.match(
      line,
      /^plan task renamed: plan plan-x, task IMPL-2, done true, digest 9f86d081…, files: 2, note x+…$/,
    );
    assert.ok(line.length < 160, line);
    assert.doesNotMatch(line, /[{}[\]]|nested|schema_version/);
  });

  test("the journal's events start after the last one that archived it", () => {
    const events = [
      { type: "topic.created" },
      { type: "session.completed" },
      { type: "topic.created", n: 1 },
      { type: "journal.archived" },
      { type: "journal.note", n: 2 },
    ];
    assert.deepEqual(sinceLastArchive(events), [{ type: "journal.note", n: 2 }]);
    assert.deepEqual(sinceLastArchive(events.slice(0, 1)), [{ type: "topic.created" }]);
    assert.deepEqual(sinceLastArchive(events.slice(0, 2)), []);
  });
});
