import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  checklistItems,
  ensureLineInSection,
  replaceSection,
  sectionLines,
} from "../../src/core/markdown.ts";

describe("ensureLineInSection", () => {
  test("creates the section at the end of the document when absent", () => {
    const doc = "# Sources: seed-a\n\nmy own note\n";
    const after = ensureLineInSection(doc, "Session Links", "- spike: x");
    assert.equal(after, "# Sources: seed-a\n\nmy own note\n\n## Session Links\n\n- spike: x\n");
  });

  test("handles a document without a trailing newline and an empty document", () => {
    assert.equal(ensureLineInSection("# T", "S", "- a"), "# T\n\n## S\n\n- a\n");
    assert.equal(ensureLineInSection("", "S", "- a"), "## S\n\n- a\n");
  });

  test("is idempotent: a line already present is not added again", () => {
    let doc = "# T\n\n";
    doc = ensureLineInSection(doc, "S", "- a");
    doc = ensureLineInSection(doc, "S", "- b");
    const again = ensureLineInSection(ensureLineInSection(doc, "S", "- a"), "S", "- b");
    assert.equal(again, doc);
    assert.deepEqual(
      sectionLines(doc, "S")?.filter((l) => l !== ""),
      ["- a", "- b"],
    );
  });

  test("appends inside the section and keeps the person's sections after it", () => {
    const doc = "# T\n\n## S\n\n- a\n- my manual link\n\n## Notes\n\nkeep me\n";
    const after = ensureLineInSection(doc, "S", "- b");
    assert.equal(after, "# T\n\n## S\n\n- a\n- my manual link\n- b\n\n## Notes\n\nkeep me\n");
  });

  test("a heading inside a fenced code block is not the section", () => {
    const doc = "# T\n\n```\n## S\n```\n";
    const after = ensureLineInSection(doc, "S", "- a");
    assert.ok(after.startsWith(doc), "the fenced block is left as it was");
    assert.ok(after.endsWith("## S\n\n- a\n"));
    assert.equal(after.split("## S").length, 3);
  });

  test("a level-3 heading stays inside the section", () => {
    const doc = "## S\n\n- a\n\n### sub\n\ntext\n";
    const after = ensureLineInSection(doc, "S", "- b");
    assert.ok(after.includes("### sub\n\ntext\n- b\n"));
  });
});

describe("replaceSection", () => {
  test("inserts the block after the title when absent, keeping the rest", () => {
    const doc = "# Plan\n\nIntro.\n\n- [ ] A\n";
    const after = replaceSection(doc, "Inputs", "- Root seed: s");
    assert.equal(after, "# Plan\n\n## Inputs\n\n- Root seed: s\n\nIntro.\n\n- [ ] A\n");
  });

  test("appends at the end when the document has no title", () => {
    assert.equal(replaceSection("text\n", "Inputs", "- x"), "text\n\n## Inputs\n\n- x\n");
    assert.equal(replaceSection("", "Inputs", "- x"), "## Inputs\n\n- x\n");
  });

  test("replacing the block with the same body changes no byte", () => {
    const doc = replaceSection("# Plan\n\nbody\n", "Inputs", "- a\n- b");
    assert.equal(replaceSection(doc, "Inputs", "- a\n- b"), doc);
  });

  test("regenerating keeps the text that follows the generated block (no heading between)", () => {
    const first = replaceSection("# Plan\n\nIntro.\n\n- [ ] A\n- [ ] B\n", "Inputs", "- seed");
    const second = replaceSection(first, "Inputs", "- seed\n- spike");
    assert.equal(second, "# Plan\n\n## Inputs\n\n- seed\n- spike\n\nIntro.\n\n- [ ] A\n- [ ] B\n");
    assert.deepEqual(
      checklistItems(second).map((i) => i.text),
      ["A", "B"],
    );
  });

  test("regenerating keeps the person's later sections byte for byte", () => {
    const doc = "# Plan\n\n## Inputs\n\n- old\n\n## Tasks\n\n- [ ] A\n\n## Notes\nmine\n";
    const after = replaceSection(doc, "Inputs", "- new");
    assert.equal(after, "# Plan\n\n## Inputs\n\n- new\n\n## Tasks\n\n- [ ] A\n\n## Notes\nmine\n");
  });

  test("a shorter body does not leave stale generated lines behind", () => {
    const doc = replaceSection("# P\n\ntext\n", "Inputs", "- a\n- b\n- c");
    const after = replaceSection(doc, "Inputs", "- a");
    assert.equal(after, "# P\n\n## Inputs\n\n- a\n\ntext\n");
  });
});

describe("checklistItems", () => {
  test("reads open and done items with -, * and + bullets", () => {
    const doc =
      "# P\n\n- [ ] one\n* [x] two\n+ [X] three\n  - [ ] nested four  \n- not a task\n- [] nope\n";
    assert.deepEqual(
      checklistItems(doc).map((i) => [i.text, i.done, i.line]),
      [
        ["one", false, 3],
        ["two", true, 4],
        ["three", true, 5],
        ["nested four", false, 6],
      ],
    );
  });

  test("ignores items inside fenced code blocks", () => {
    const doc = "- [ ] real\n```md\n- [ ] example\n```\n~~~\n- [x] other\n~~~\n- [x] also real\n";
    assert.deepEqual(
      checklistItems(doc).map((i) => i.text),
      ["real", "also real"],
    );
  });
});
