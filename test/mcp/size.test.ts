import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { baton, makeWorkspace } from "../helpers.ts";
import { CAP, type Connected, call, connect, ok, readText } from "./support.ts";

/** A spec of 600 tasks with long titles: every full answer about it is several times the cap. */
function bigSpec(dir: string): void {
  assert.equal(baton(dir, ["spec", "new", "big"]).code, 0);
  const lines = ["# Implementation Plan: Big", ""];
  for (let i = 1; i <= 600; i++) {
    lines.push(`- [ ] ${i}. Task ${i}: ${"wire the sign-in flow through the gateway ".repeat(4)}`);
    lines.push("  - _Requirements: 1.1_", "");
  }
  fs.writeFileSync(path.join(dir, ".baton/planning/big/tasks.md"), lines.join("\n"));
}

/** One line of about 400 UTF-8 bytes: 130 characters, most of them three bytes each. */
const JAPANESE_NOTE = (i: number) =>
  `メモ${i}：認証トークンはキーチェーンに保存し、期限切れの前に更新する。`.repeat(4);

describe("the size cap over stdio", () => {
  let dir: string;
  let mcp: Connected;

  before(async () => {
    dir = makeWorkspace();
    bigSpec(dir);
    mcp = await connect(dir);
  });
  after(async () => {
    await mcp.client.close();
  });

  test("spec_status pages the task tree; a page over the cap is cut by rows, never sliced", async () => {
    const first = await ok(mcp, "spec_status", { spec: "big" });
    assert.equal(first.progress.total, 600);
    assert.equal(first.page.total.tasks, 600);
    assert.equal(first.tasks.length, 20);
    assert.equal(first.truncated, undefined);
    assert.deepEqual(Object.keys(first.tasks[0]).sort(), [
      "id",
      "line",
      "optional",
      "parent",
      "requirements",
      "status",
      "title",
    ]);

    // Pages of 100 long rows do not fit: each is cut to whole rows, and next_offset loses none.
    const seen: string[] = [];
    let offset = 0;
    let cuts = 0;
    while (offset < 600) {
      const r = await call(mcp, "spec_status", { spec: "big", limit: 100, offset });
      assert.equal(r.isError, false, r.text);
      const { truncated, tasks } = r.data;
      seen.push(...tasks.map((t: { id: string }) => t.id));
      if (!truncated) {
        // The last, short page fits whole.
        assert.equal(tasks.length, 600 - offset);
        offset += tasks.length;
        continue;
      }
      assert.ok(r.bytes > CAP - 1_000, `a cut page is filled close to the cap (${r.bytes} B)`);
      assert.equal(truncated.field, "tasks");
      assert.equal(truncated.total, Math.min(100, 600 - offset));
      assert.equal(truncated.shown, tasks.length);
      assert.equal(truncated.next_offset, offset + tasks.length);
      assert.match(truncated.hint, new RegExp(`offset ${truncated.next_offset}`));
      assert.equal(r.data.spec.name, "big", "the rest of the result is intact");
      offset = truncated.next_offset;
      cuts += 1;
    }
    assert.ok(cuts >= 7);
    assert.deepEqual(
      seen,
      Array.from({ length: 600 }, (_, i) => String(i + 1)),
    );
  });

  test("spec_trace and spec_lint page their lists and stay within the cap", async () => {
    const trace = await ok(mcp, "spec_trace", { name: "big" });
    assert.equal(trace.page.total.tasks, 600);
    assert.equal(trace.tasks.length, 20);
    assert.equal(trace.rows.length, trace.page.total.rows);
    const wide = await call(mcp, "spec_trace", { name: "big", limit: 100, offset: 100 });
    assert.equal(wide.isError, false, wide.text);
    assert.equal(wide.data.tasks[0].id, "101");
    if (wide.data.truncated) assert.ok(wide.data.truncated.next_offset > 100);

    const lint = await ok(mcp, "spec_lint", { name: "big", limit: 1 });
    assert.equal(lint.findings.length, 1);
    assert.equal(lint.page.total.findings, lint.errors + lint.warnings);
  });

  test("an error that names thousands of problems is within the cap too, its code intact", async () => {
    await ok(mcp, "plan_create", { title: "Ring", body: "x" });
    const ring = Array.from({ length: 3_000 }, (_, i) => ({
      id: `IMPL-${i + 1}`,
      title: "step",
      depends_on: [`IMPL-${((i + 1) % 3_000) + 1}`],
      acceptance: ["done"],
    }));
    const r = await call(mcp, "plan_tasks", { plan_id: "plan-ring", from: JSON.stringify(ring) });
    assert.equal(r.isError, true);
    assert.equal(r.data.code, "PLAN_INVALID");
    assert.match(r.data.message, /^the task list was refused, nothing changed: TASK_CYCLE/);
    assert.equal(r.data.truncated.field, "message");
    assert.ok(r.data.truncated.total > CAP);
    assert.ok(r.data.hint);
  });

  test("the spec resource is cut by rows with a pointer to spec_status", async () => {
    const text = await readText(mcp, "baton://specs/big");
    const data = JSON.parse(text);
    assert.ok(Buffer.byteLength(text) > CAP - 1_000);
    assert.equal(data.truncated.field, "tasks");
    assert.equal(data.truncated.total, 600);
    assert.equal(data.tasks.length, data.truncated.shown);
    assert.match(data.truncated.hint, /spec_status/);
  });

  test("a multibyte journal: the resource, journal_show and resume are within the cap in bytes", async () => {
    for (let i = 1; i <= 60; i++) {
      const added = await ok(mcp, "journal_add", { kind: "note", text: JAPANESE_NOTE(i) });
      assert.equal(added.n, i);
      assert.equal(added.entry.text, JAPANESE_NOTE(i));
    }
    const file = fs.readFileSync(path.join(dir, "PLANNING.md"), "utf8");
    assert.ok(Buffer.byteLength(file) > CAP, "the journal itself is over the cap");
    assert.ok(file.length < CAP, "…though not in characters");

    const resource = await readText(mcp, "baton://journal");
    assert.match(resource, /\[cut to 20,000 of [\d,]+ bytes: .*journal_show/);
    assert.ok(file.startsWith(resource.slice(0, resource.lastIndexOf("\n\n[cut"))));

    const shown = await call(mcp, "journal_show", { text: true, limit: 100 });
    assert.equal(shown.isError, false);
    assert.ok(["text", "state.notes"].includes(shown.data.truncated.field), shown.text);
    assert.equal(shown.data.page.total.notes, 60);

    const notes = await ok(mcp, "journal_show", { limit: 5, offset: 55 });
    assert.deepEqual(
      notes.state.notes.map((n: { text: string }) => n.text),
      [56, 57, 58, 59, 60].map(JAPANESE_NOTE),
    );

    const brief = await call(mcp, "resume", { budget: 8000 });
    assert.equal(brief.isError, false, brief.text);
    assert.equal(brief.data.requested_budget, 8000, "packed again to a smaller budget");
    assert.ok(brief.data.budget < 8000);
    assert.equal(brief.data.truncated, true, "resume's own cut, its own pointers");
    assert.ok(brief.data.tokens <= brief.data.budget);
  });
});
