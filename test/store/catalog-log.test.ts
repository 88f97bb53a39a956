import assert from "node:assert/strict";
import fs from "node:fs";
import { describe, test } from "node:test";
import { renderCatalog } from "../../src/core/catalog.ts";
import {
  LOG_COMPACT_LINES,
  openCatalog,
  WHOLE_REWRITE_BYTES,
} from "../../src/store/catalog-file.ts";
import { openWorkspace } from "../../src/store/workspace.ts";
import { baton, batonAsync, knowledge, makeWorkspace, readJson } from "../helpers.ts";

/** A workspace with an active session and an index.json past the whole-rewrite size. */
function largeCatalog(): string {
  const dir = makeWorkspace();
  assert.equal(baton(dir, ["seed", "Root idea"]).code, 0);
  const file = knowledge(dir, "index.json");
  const entries = new Map<string, string>();
  for (const [id, entry] of Object.entries(readJson(file).topics)) {
    entries.set(id, JSON.stringify(entry));
  }
  const at = "2026-01-01T00:00:00.000Z";
  for (let i = 0; entries.size < 4000; i++) {
    const id = `spike-filler-topic-number-${i}`;
    const entry = {
      id,
      type: "spike",
      title: `Filler topic number ${i} with a longer title`,
      path: `.baton/knowledge/topics/${id}/spike.md`,
      created: at,
      updated: at,
    };
    entries.set(id, JSON.stringify(entry));
  }
  fs.writeFileSync(file, renderCatalog(1, entries));
  assert.ok(fs.statSync(file).size > WHOLE_REWRITE_BYTES);
  return dir;
}

const logFile = (dir: string) => knowledge(dir, "index.log.jsonl");

/** Whether `baton topic show` finds the topic (a full list of 4,000 topics is too long to read). */
function listed(dir: string, id: string): boolean {
  const r = baton(dir, ["topic", "show", id, "--json"]);
  if (r.code === 0) return r.json.topic.id === id;
  assert.equal(r.json?.error?.code, "TOPIC_NOT_FOUND", r.stdout + r.stderr);
  return false;
}

describe("a large catalog takes its changes in index.log.jsonl", () => {
  test("a new topic is appended to the log; readers see it; index.json is left alone", () => {
    const dir = largeCatalog();
    const index = fs.readFileSync(knowledge(dir, "index.json"), "utf8");
    assert.equal(baton(dir, ["spike", "Fresh finding"]).code, 0);
    assert.equal(fs.readFileSync(knowledge(dir, "index.json"), "utf8"), index);
    const lines = fs
      .readFileSync(logFile(dir), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => [l.schema_version, l.topic.id]).sort(), [
      [1, "seed-root-idea"],
      [1, "spike-fresh-finding"],
    ]);
    assert.ok(listed(dir, "spike-fresh-finding"));
    const shown = baton(dir, ["topic", "show", "seed-root-idea", "--json"]).json;
    assert.deepEqual(shown.topic.relates, ["spike-fresh-finding"]);
    // The same command again changes nothing.
    assert.equal(baton(dir, ["spike", "Fresh finding"]).code, 0);
    assert.equal(fs.readFileSync(logFile(dir), "utf8").trim().split("\n").length, 2);
  });

  test("once the log is full it is folded into index.json and removed", () => {
    const dir = largeCatalog();
    const filler = [];
    for (let i = 0; i < LOG_COMPACT_LINES - 1; i++) {
      const id = `spike-logged-${i}`;
      const at = "2026-02-01T00:00:00.000Z";
      const topic = {
        id,
        type: "spike",
        title: `Logged ${i}`,
        path: `x/${id}`,
        created: at,
        updated: at,
      };
      filler.push(JSON.stringify({ schema_version: 1, topic }));
    }
    fs.writeFileSync(logFile(dir), `${filler.join("\n")}\n`);
    assert.equal(baton(dir, ["spike", "The last straw"]).code, 0);
    assert.equal(fs.existsSync(logFile(dir)), false);
    const topics = readJson(knowledge(dir, "index.json")).topics;
    for (const id of [
      "spike-logged-0",
      `spike-logged-${LOG_COMPACT_LINES - 2}`,
      "spike-the-last-straw",
    ]) {
      assert.ok(topics[id], id);
    }
    assert.deepEqual(topics["seed-root-idea"].relates, ["spike-the-last-straw"]);
  });

  test("a torn last line is skipped; a bad line elsewhere or a newer version is refused", () => {
    const dir = largeCatalog();
    assert.equal(baton(dir, ["spike", "Kept"]).code, 0);
    // What a writer killed mid-append leaves: a torn line and its crash marker.
    fs.appendFileSync(logFile(dir), '{"schema_version":1,"topic":{"id":"spike-to');
    fs.writeFileSync(`${dir}/.baton/.writing`, "12345");
    assert.ok(listed(dir, "spike-kept"));
    assert.equal(baton(dir, ["spike", "After the tear"]).code, 0);
    assert.ok(listed(dir, "spike-after-the-tear"));

    const text = fs.readFileSync(logFile(dir), "utf8");
    fs.writeFileSync(logFile(dir), `not json\n${text}`);
    const bad = baton(dir, ["topic", "show", "spike-kept", "--json"]);
    assert.equal(bad.json.error.code, "CORRUPT_FILE");
    assert.match(bad.json.error.message, /index\.log\.jsonl: line 1/);
    assert.equal(
      baton(dir, ["spike", "Refused"]).json?.error?.code ?? "CORRUPT_FILE",
      "CORRUPT_FILE",
    );
    assert.equal(fs.readFileSync(logFile(dir), "utf8"), `not json\n${text}`, "left untouched");

    fs.writeFileSync(logFile(dir), `{"schema_version":9,"topic":{"id":"spike-new"}}\n${text}`);
    const newer = baton(dir, ["--json", "spike", "Also refused"]);
    assert.equal(newer.json.error.code, "SCHEMA_TOO_NEW");
  });

  test("two branches' snapshots of one topic (a union merge) keep both relations", () => {
    const dir = largeCatalog();
    const at = "2026-03-01T00:00:00.000Z";
    const base = {
      id: "spike-shared",
      type: "spike",
      title: "Shared",
      path: "x",
      created: at,
      updated: at,
    };
    const lines = [
      { ...base, relates: ["seed-a"] },
      { ...base, relates: ["seed-b"], updated: "2026-03-02T00:00:00.000Z" },
    ].map((topic) => JSON.stringify({ schema_version: 1, topic }));
    fs.writeFileSync(logFile(dir), `${lines.join("\n")}\n`);
    const shown = baton(dir, ["topic", "show", "spike-shared", "--json"]).json.topic;
    assert.deepEqual(shown.relates, ["seed-a", "seed-b"]);
    assert.equal(shown.updated, "2026-03-02T00:00:00.000Z");
  });

  test("16 processes attaching spikes at once all land, once each", async () => {
    const dir = largeCatalog();
    const titles = Array.from({ length: 16 }, (_, i) => `Parallel ${i}`);
    const runs = await Promise.all(titles.map((t) => batonAsync(dir, ["spike", t, "-q"])));
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const seed = baton(dir, ["topic", "show", "seed-root-idea", "--json"]).json.topic;
    for (let i = 0; i < 16; i++) {
      assert.ok(listed(dir, `spike-parallel-${i}`));
      assert.ok(seed.relates.includes(`spike-parallel-${i}`));
    }
    assert.equal(seed.relates.length, 16);
  });
});

describe("looking an entry up in a large index.json", () => {
  test("the binary search finds every entry, long lines included, and nothing else", () => {
    const dir = makeWorkspace();
    const at = "2026-01-01T00:00:00.000Z";
    const entries = new Map<string, string>();
    const expected = new Map<string, unknown>();
    for (let i = 0; i < 3000; i++) {
      const id = `spike-t${String(i * 7).padStart(6, "0")}`;
      // Every 97th entry has a line far longer than a read block.
      const relates =
        i % 97 === 0 ? Array.from({ length: 400 }, (_, j) => `seed-r${j}`) : undefined;
      const entry = {
        id,
        type: "spike",
        title: `T ${i}`,
        path: `p/${id}`,
        created: at,
        updated: at,
        relates,
      };
      entries.set(id, JSON.stringify(entry));
      expected.set(id, JSON.parse(JSON.stringify(entry)));
    }
    fs.writeFileSync(knowledge(dir, "index.json"), renderCatalog(1, entries));
    assert.ok(fs.statSync(knowledge(dir, "index.json")).size > WHOLE_REWRITE_BYTES);
    const catalog = openCatalog(openWorkspace(dir));
    for (const [id, entry] of expected) assert.deepEqual(catalog.get(id), entry, id);
    for (const missing of ["spike-a", "spike-t000001", "spike-t020994", "spike-zzz", "seed-x"]) {
      assert.equal(catalog.get(missing), undefined, missing);
    }
  });
});
