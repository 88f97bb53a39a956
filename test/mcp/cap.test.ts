import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fitJson, fitText, MAX_RESULT_BYTES } from "../../src/mcp/cap.ts";

const bytes = (text: string) => Buffer.byteLength(text);
const rows = (n: number, width = 80) =>
  Array.from({ length: n }, (_, i) => ({ id: `T-${i + 1}`, title: "t".repeat(width) }));

describe("fitJson", () => {
  test("a result under the cap is its own JSON, untouched", () => {
    const value = { a: 1, list: rows(3) };
    assert.equal(fitJson(value, { hint: "h" }), JSON.stringify(value));
  });

  test("the largest list is shortened to a prefix, the rest kept, the cut described", () => {
    const value = { spec: "big", progress: { total: 600 }, tasks: rows(600), small: [1, 2, 3] };
    const text = fitJson(value, { hint: "page with spec_status" });
    assert.ok(bytes(text) <= MAX_RESULT_BYTES, `${bytes(text)} B`);
    const out = JSON.parse(text);
    assert.equal(out.spec, "big");
    assert.deepEqual(out.small, [1, 2, 3]);
    assert.deepEqual(out.tasks, value.tasks.slice(0, out.tasks.length), "a prefix, in order");
    assert.deepEqual(
      { field: out.truncated.field, total: out.truncated.total, shown: out.truncated.shown },
      { field: "tasks", total: 600, shown: out.tasks.length },
    );
    assert.ok(out.tasks.length > 100, "as much as fits is kept");
    assert.ok(bytes(text) > MAX_RESULT_BYTES - 200, "the cut leaves no large gap");
    assert.match(out.truncated.hint, /spec_status/);
  });

  test("a paged list that is cut says where the next page starts", () => {
    const text = fitJson(
      { total: 900, offset: 40, limit: 100, topics: rows(100, 400) },
      { hint: "h", paged: { fields: ["topics"], offset: 40 } },
    );
    const out = JSON.parse(text);
    assert.equal(out.truncated.next_offset, 40 + out.topics.length);
    assert.match(out.truncated.hint, new RegExp(`offset ${out.truncated.next_offset}`));
  });

  test("multibyte text is measured in UTF-8 bytes and never split inside a character", () => {
    const note = "東京で会議の議事録を確認する😀".repeat(15);
    const value = { notes: Array.from({ length: 60 }, (_, i) => ({ n: i, text: note })) };
    assert.ok(JSON.stringify(value).length < MAX_RESULT_BYTES, "under the cap in characters…");
    const text = fitJson(value, { hint: "h" });
    assert.ok(bytes(text) <= MAX_RESULT_BYTES, "…and within it in bytes");
    const out = JSON.parse(text);
    assert.equal(out.truncated.field, "notes");
    for (const n of out.notes) assert.equal(n.text, note, "kept rows are whole");

    const long = { document: note.repeat(40) };
    const cut = fitJson(long, { hint: "h" });
    assert.ok(bytes(cut) <= MAX_RESULT_BYTES);
    const doc = JSON.parse(cut);
    assert.equal(doc.truncated.field, "document");
    assert.equal(doc.truncated.unit, "bytes");
    assert.equal(doc.truncated.shown, bytes(doc.document));
    assert.ok(long.document.startsWith(doc.document), "a prefix of the text");
    assert.doesNotMatch(doc.document, /\uFFFD|[\uD800-\uDBFF]$/, "no broken character at the end");
  });

  test("a text longer than every list is cut before the lists, and nested lists are reached", () => {
    const out = JSON.parse(
      fitJson({ relates: ["a", "b"], document: "x".repeat(40_000) }, { hint: "h" }),
    );
    assert.deepEqual(out.relates, ["a", "b"]);
    assert.equal(out.truncated.field, "document");

    // One top-level task holding 600 subtasks: the subtasks are what gets shortened.
    const tree = { tasks: [{ id: "1", title: "root", children: rows(600) }] };
    const nested = JSON.parse(fitJson(tree, { hint: "h" }));
    assert.equal(nested.tasks.length, 1);
    assert.equal(nested.truncated.field, "tasks.0.children");
    assert.ok(nested.tasks[0].children.length > 100);
  });

  test("a result the cap cannot hold in any shape is replaced by the note alone", () => {
    const wide = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`key${i}`, i]));
    const text = fitJson(wide, { hint: "ask for less" });
    assert.ok(bytes(text) <= MAX_RESULT_BYTES);
    const out = JSON.parse(text);
    assert.deepEqual(Object.keys(out), ["truncated"]);
    assert.equal(out.truncated.total, bytes(JSON.stringify(wide)));
    assert.equal(out.truncated.shown, 0);
  });

  test("every shape stays within the cap (lists, texts, escapes, scalars at the top)", () => {
    const shapes: unknown[] = [
      'q"\\\n'.repeat(10_000),
      Array.from({ length: 5_000 }, (_, i) => i),
      { a: rows(300, 50), b: rows(300, 60), c: "é".repeat(9_000) },
      { deep: { deeper: { list: Array.from({ length: 2_000 }, () => ["x", "y", "z"]) } } },
      { truncated: true, sections: rows(500) },
    ];
    for (const max of [2_048, 5_000, MAX_RESULT_BYTES]) {
      for (const shape of shapes) {
        const text = fitJson(shape, { hint: "h".repeat(2_000), max });
        assert.ok(bytes(text) <= max, `${bytes(text)} B over ${max}`);
        assert.equal(typeof JSON.parse(text).truncated, "object");
      }
    }
  });
});

describe("fitText", () => {
  test("markdown over the cap is cut at a character boundary with a closing line", () => {
    const line = "- 会議の決定事項をここに記録する（重要）\n";
    const text = line.repeat(1_000);
    const cut = fitText(text, "read PLANNING.md");
    assert.ok(bytes(cut) <= MAX_RESULT_BYTES, `${bytes(cut)} B`);
    assert.ok(bytes(cut) > MAX_RESULT_BYTES - 500);
    assert.doesNotMatch(cut, /\uFFFD/);
    assert.match(cut, /\[cut to 20,000 of [\d,]+ bytes: read PLANNING\.md\]\n$/);
    assert.ok(text.startsWith(cut.slice(0, cut.lastIndexOf("\n\n[cut"))));
    assert.equal(fitText("short", "h"), "short");
  });
});
