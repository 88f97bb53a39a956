import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderCatalog } from "../../src/core/catalog.ts";
import {
  maskGenerated,
  mergeBacklog,
  mergeCatalog,
  mergeJournal,
  mergeKindOf,
  mergeSession,
  unmaskGenerated,
} from "../../src/core/merge.ts";

const entry = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: id.split("-")[0],
  title: id,
  path: `k/topics/${id}/${id.split("-")[0]}.md`,
  created: "2026-01-01T00:00:00.000Z",
  updated: "2026-01-01T00:00:00.000Z",
  ...extra,
});

const catalog = (...entries: ReturnType<typeof entry>[]) =>
  renderCatalog(1, new Map(entries.map((e) => [e.id, JSON.stringify(e)])));

const merged = (outcome: { ok: boolean; text?: string; reason?: string }) => {
  assert.equal(outcome.ok, true, outcome.reason);
  return JSON.parse(outcome.text as string);
};

const session = (extra: Record<string, unknown> = {}) => ({
  schema_version: 1,
  session_id: "seed-a@2026-01-01T00-00-00Z",
  state: "active",
  root_seed: "seed-a",
  spikes: [] as string[],
  plan: null,
  backlog: null,
  created: "2026-01-01T00:00:00.000Z",
  updated: "2026-01-01T00:00:00.000Z",
  completed_at: null,
  ...extra,
});
const json = (data: unknown) => `${JSON.stringify(data, null, 2)}\n`;

describe("merges by record", () => {
  test("the kind of a file, by its path or, without one, by what it holds", () => {
    assert.equal(mergeKindOf(".baton/knowledge/index.json", []), "catalog");
    assert.equal(mergeKindOf(".baton/knowledge/sessions/x.json", []), "session");
    assert.equal(mergeKindOf("k/.active-planning.json", []), "session");
    assert.equal(mergeKindOf(".baton/journal.json", []), "journal");
    assert.equal(mergeKindOf("k/topics/plan-x/backlog.json", []), "backlog");
    assert.equal(mergeKindOf(null, ["<!-- baton:begin next-steps -->\n"]), "planning-journal");
    assert.equal(mergeKindOf(null, [json(session())]), "session");
    assert.equal(mergeKindOf("docs/other.json", ['{"a":1}']), null);
  });

  test("index.json by id: both sides' topics, a topic both changed merged, in either order", () => {
    const base = catalog(entry("seed-a"), entry("seed-gone"));
    const ours = catalog(
      entry("seed-a", { relates: ["spike-o"], updated: "2026-01-02T00:00:00.000Z" }),
      entry("spike-o"),
      entry("seed-gone"),
    );
    const theirs = catalog(
      entry("seed-a", { title: "A", relates: ["spike-t"], updated: "2026-01-03T00:00:00.000Z" }),
      entry("spike-t"),
    );
    const one = mergeCatalog(base, ours, theirs);
    const other = mergeCatalog(base, theirs, ours);
    assert.equal(
      one.ok && other.ok && one.text,
      other.ok && other.text,
      "the same bytes both ways",
    );
    const topics = merged(one).topics;
    assert.deepEqual(Object.keys(topics).sort(), ["seed-a", "spike-o", "spike-t"]);
    assert.equal(topics["seed-a"].title, "A", "the newer side's fields");
    assert.deepEqual(topics["seed-a"].relates.sort(), ["spike-o", "spike-t"]);
    // One side removed seed-gone, the other left it as it was: removed.
    assert.equal(topics["seed-gone"], undefined);
    // No common ancestor (git passes an empty file): both sides' topics.
    assert.deepEqual(Object.keys(merged(mergeCatalog("", ours, theirs)).topics).sort(), [
      "seed-a",
      "seed-gone",
      "spike-o",
      "spike-t",
    ]);
  });

  test("what cannot be read is refused, so git reports a conflict", () => {
    const good = catalog(entry("seed-a"));
    for (const bad of [
      `${good}<<<<<<< HEAD\n`,
      "{ not json",
      '{"schema_version": 9, "topics": {}}',
      '{"topics": {}}',
    ]) {
      const outcome = mergeCatalog(good, bad, good);
      assert.equal(outcome.ok, false, bad);
      assert.equal(mergeCatalog(good, good, bad).ok, false, bad);
    }
  });

  test("a session field by field: spikes unite, a completed session stays completed", () => {
    const base = json(session({ spikes: ["spike-1"] }));
    const ours = json(
      session({ spikes: ["spike-1", "spike-o"], updated: "2026-01-02T00:00:00.000Z" }),
    );
    const theirs = json(
      session({
        spikes: ["spike-1", "spike-t"],
        plan: "plan-t",
        updated: "2026-01-03T00:00:00.000Z",
      }),
    );
    const s = merged(mergeSession(base, ours, theirs));
    assert.deepEqual(s.spikes, ["spike-1", "spike-o", "spike-t"]);
    assert.equal(s.plan, "plan-t", "the side that changed it");
    assert.equal(s.updated, "2026-01-03T00:00:00.000Z");
    const backlog = { topic: "plan-t", backlog_md: "x", tickets: [] };
    const done = json(
      session({ state: "completed", backlog, completed_at: "2026-01-04T00:00:00.000Z" }),
    );
    const c = merged(mergeSession(base, ours, done));
    assert.equal(c.state, "completed");
    assert.deepEqual(c.backlog, backlog);
    assert.deepEqual(c.spikes, ["spike-1", "spike-o"]);
  });

  test("the active pointer: the side that moved it wins; both moved it, the newer session", () => {
    const base = json(session());
    const moved = json(
      session({
        session_id: "seed-b@2026-01-02T00-00-00Z",
        root_seed: "seed-b",
        updated: "2026-01-02T00:00:00.000Z",
      }),
    );
    const edited = json(session({ spikes: ["spike-x"], updated: "2026-01-05T00:00:00.000Z" }));
    const one = mergeSession(base, edited, moved);
    assert.equal(merged(one).session_id, "seed-b@2026-01-02T00-00-00Z");
    assert.equal(one.ok && one.notes.length, 1, "says the edit went to doctor --fix");
    const other = json(
      session({
        session_id: "seed-c@2026-01-03T00-00-00Z",
        root_seed: "seed-c",
        updated: "2026-01-03T00:00:00.000Z",
      }),
    );
    assert.equal(
      merged(mergeSession(base, moved, other)).session_id,
      "seed-c@2026-01-03T00-00-00Z",
    );
    assert.equal(
      merged(mergeSession(base, other, moved)).session_id,
      "seed-c@2026-01-03T00-00-00Z",
    );
  });

  test("journal.json: entries as sets; what a side archived stays archived", () => {
    const note = (at: string, text: string) => ({ at, text });
    const state = (extra: Record<string, unknown>) => ({
      schema_version: 1,
      started: "2026-01-01T00:00:00.000Z",
      session: null,
      notes: [],
      decisions: [],
      next: [],
      ...extra,
    });
    const old = note("2026-01-01T01:00:00.000Z", "old");
    const base = json(state({ notes: [old], next: [{ ...old, done_at: null }] }));
    const ours = json(
      state({
        notes: [old, note("2026-01-02T00:00:00.000Z", "ours")],
        next: [{ ...old, done_at: "2026-01-03T00:00:00.000Z" }],
      }),
    );
    const theirs = json(
      state({
        notes: [old, note("2026-01-01T12:00:00.000Z", "theirs")],
        next: [{ ...old, done_at: null }],
      }),
    );
    const j = merged(mergeJournal(base, ours, theirs));
    assert.deepEqual(
      j.notes.map((n: { text: string }) => n.text),
      ["old", "theirs", "ours"],
    );
    assert.equal(j.next[0].done_at, "2026-01-03T00:00:00.000Z", "done on either side is done");
    const archived = json(state({ started: "2026-01-05T00:00:00.000Z" }));
    const fresh = merged(mergeJournal(base, archived, theirs));
    assert.equal(fresh.started, "2026-01-05T00:00:00.000Z");
    assert.deepEqual(
      fresh.notes.map((n: { text: string }) => n.text),
      ["theirs"],
      "the archived note stays in its archive; the other branch's new one is kept",
    );
  });

  test("backlog.json by task; PLANNING.md's generated sections set aside and put back", () => {
    const map = (tickets: { task: string; ticket: string }[]) =>
      json({ schema_version: 1, plan: "plan-p", tickets });
    const b = merged(
      mergeBacklog(
        map([]),
        map([{ task: "one", ticket: "BTN-aaaa1111" }]),
        map([
          { task: "one", ticket: "BTN-bbbb2222" },
          { task: "two", ticket: "BTN-cccc3333" },
        ]),
      ),
    );
    assert.deepEqual(b.tickets, [
      { task: "one", ticket: "BTN-aaaa1111" },
      { task: "two", ticket: "BTN-cccc3333" },
    ]);
    const doc = (body: string, mine: string) =>
      `# PLANNING\n\n${mine}\n<!-- baton:begin next-steps -->\n## Next Steps\n\n${body}\n<!-- baton:end next-steps -->\n`;
    const ours = maskGenerated(doc("- ours", "mine"));
    const theirs = maskGenerated(doc("- theirs", "mine"));
    assert.equal(ours.masked, theirs.masked, "the generated sections are set aside");
    assert.equal(
      unmaskGenerated(ours.masked, ours.sections, theirs.sections),
      doc("- ours", "mine"),
    );
  });
});
