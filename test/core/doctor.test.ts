import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  conflictMarkerLines,
  linkFindings,
  noFacts,
  repeatedLines,
  scanLog,
  sourceLinks,
  type WorkspaceFacts,
  withoutLines,
} from "../../src/core/doctor.ts";
import { corruptFile } from "../../src/core/errors.ts";

const facts = (over: Partial<WorkspaceFacts> = {}): WorkspaceFacts => ({
  ...noFacts(),
  catalog: { file: "k/index.json", topics: {} },
  ...over,
});

const topic = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: id.split("-")[0] as "seed",
  title: id,
  path: `k/topics/${id}/${id.split("-")[0]}.md`,
  created: "t",
  updated: "t",
  ...extra,
});

describe("doctor's pure checks", () => {
  test("conflict markers are found by line, and only at the start of a line", () => {
    assert.deepEqual(conflictMarkerLines("a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> x\n"), [2, 4, 6]);
    assert.deepEqual(conflictMarkerLines("a <<<<<<< b\n========\n"), []);
  });

  test("a log scan reads every line, keeps every refusal, and tells a torn last line", () => {
    const parse = (line: string, n: number) => {
      if (line === "") return null;
      try {
        return JSON.parse(line) as { id?: string };
      } catch {
        throw corruptFile("x.jsonl", "is not valid JSON", undefined, n);
      }
    };
    const scan = scanLog('{"id":"a"}\nbad\n{"id":"a"}\n\n{"id":"b"}\n{"id', parse);
    assert.deepEqual(
      scan.lines.map((l) => [l.line, l.record?.id ?? null, l.error?.details?.line ?? null]),
      [
        [1, "a", null],
        [2, null, 2],
        [3, "a", null],
        [5, "b", null],
      ],
    );
    assert.deepEqual(scan.torn, { line: 6, text: '{"id' });
    assert.deepEqual(
      repeatedLines(scan, (r) => r.id ?? null),
      [3],
    );
    // A whole last line without its newline is no torn line.
    assert.equal(scanLog('{"id":"a"}', parse).torn, null);
    assert.equal(withoutLines("a\nb\nc\n", new Set([2])), "a\nc\n");
  });

  test("sources.md: Baton's lines in its own sections, and only those", () => {
    const text = [
      "# Sources: seed-a",
      "",
      "- spike: [spike-x](../spike-x/spike.md) (session s)",
      "## Session Links",
      "",
      "- spike: [spike-b](../spike-b/spike.md) (session seed-a@2026-01-01T00-00-00Z)",
      "- root seed: [seed-a](../seed-a/seed.md) (session s)",
      "- spike: [spike-c](../spike-d/spike.md) (session s)",
      "- my own note about [spike-e](../spike-e/spike.md)",
      "```",
      "- plan: [plan-f](../plan-f/plan.md)",
      "```",
      "## Specs",
      "- spec: [auth](../../../planning/auth/requirements.md) (.baton/planning/auth)",
    ].join("\n");
    assert.deepEqual(
      sourceLinks(text).map((l) => [l.line, l.kind, l.target, l.generated]),
      [
        [6, "topic", "spike-b", true],
        [7, "topic", "seed-a", true],
        [14, "spec", ".baton/planning/auth", true],
      ],
    );
  });

  test("links across files: dangling relations, folders, sessions, tickets", () => {
    const found = linkFindings(
      facts({
        catalog: {
          file: "k/index.json",
          topics: {
            "seed-a": topic("seed-a", {
              relates: ["spike-gone"],
              session_id: "seed-a@2026-01-01T00-00-00Z",
            }),
            "spike-b": topic("spike-b", { session_id: "seed-a@2026-01-01T00-00-00Z" }),
          },
        },
        topicFolders: [
          { name: "seed-a", file: "k/topics/seed-a", hasDoc: true },
          { name: "seed-c", file: "k/topics/seed-c", hasDoc: true },
        ],
        tickets: [
          {
            id: "BTN-aaaa1111",
            file: "t/BTN-aaaa1111.md",
            plan: "plan-p",
            task: "one",
            session_id: null,
          },
        ],
      }),
    );
    assert.deepEqual(
      found.map((f) => [f.code, f.file, f.fixable]),
      [
        ["LINK_DANGLING", "k/index.json", false],
        // Its seed is in the catalog: --fix can rebuild the session from it.
        ["SESSION_MISSING", "k/index.json", true],
        ["TOPIC_FOLDER_MISSING", "k/index.json", false],
        ["SESSION_MISSING", "k/index.json", true],
        ["TOPIC_UNCATALOGUED", "k/topics/seed-c", true],
        ["LINK_DANGLING", "t/BTN-aaaa1111.md", false],
      ],
    );
    // A folder the topics check could not list: nothing it holds is taken as missing.
    const partial = linkFindings(
      facts({
        catalog: { file: "k/index.json", topics: { "seed-a": topic("seed-a") } },
        incomplete: ["topics"],
      }),
    );
    assert.deepEqual(partial, []);
  });
});
