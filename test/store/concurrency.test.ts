import assert from "node:assert/strict";
import fs from "node:fs";
import { after, test } from "node:test";
import { baton, knowledge, makeWorkspace, readJson } from "../helpers.ts";
import { killChildren, removeDir, startBaton } from "./procs.ts";

after(killChildren);

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

test("16 processes attaching spikes at once: every one lands exactly once", {
  timeout: 30_000,
}, async (t) => {
  const dir = makeWorkspace();
  t.after(() => removeDir(dir));
  assert.equal(baton(dir, ["seed", "Busy seed"]).code, 0);
  const eventsBefore = fs.readFileSync(`${dir}/.baton/events.jsonl`, "utf8").split("\n").length;

  const titles = Array.from({ length: 16 }, (_, i) => `Parallel spike ${i + 1}`);
  const ids = titles.map((_, i) => `spike-parallel-spike-${i + 1}`);
  const started = performance.now();
  const children = titles.map((title) => startBaton(dir, ["spike", title]));
  const codes = await Promise.all(children.map((c) => c.exited));
  const elapsed = performance.now() - started;
  t.diagnostic(`16 concurrent baton spike processes finished in ${elapsed.toFixed(0)} ms`);
  assert.deepEqual(
    codes,
    titles.map(() => 0),
    children.map((c) => c.stderr()).join(""),
  );

  const active = readJson(knowledge(dir, ".active-planning.json"));
  assert.deepEqual([...active.spikes].sort(), [...ids].sort());

  const sources = fs.readFileSync(knowledge(dir, "topics", "seed-busy-seed", "sources.md"), "utf8");
  for (const id of ids) assert.equal(occurrences(sources, `[${id}]`), 1, `${id} in sources.md`);

  const index = readJson(knowledge(dir, "index.json"));
  for (const id of ids) {
    assert.equal(index.topics[id]?.type, "spike", `${id} in index.json`);
    assert.ok(fs.existsSync(knowledge(dir, "topics", id, "spike.md")));
  }
  assert.equal(Object.keys(index.topics).length, 17);

  const lines = fs.readFileSync(`${dir}/.baton/events.jsonl`, "utf8").split("\n");
  const events = lines.filter((l) => l !== "").map((l) => JSON.parse(l));
  const attached = events.filter((e) => e.type === "session.spike_attached").map((e) => e.spike);
  assert.deepEqual(attached.sort(), [...ids].sort());
  assert.ok(lines.length > eventsBefore);
  assert.equal(fs.existsSync(`${dir}/.baton/.writing`), false);
});

test("8 processes creating the same spike at once make one topic and one link", {
  timeout: 30_000,
}, async (t) => {
  const dir = makeWorkspace();
  t.after(() => removeDir(dir));
  assert.equal(baton(dir, ["seed", "Same seed"]).code, 0);
  const children = Array.from({ length: 8 }, () => startBaton(dir, ["spike", "Same spike"]));
  const codes = await Promise.all(children.map((c) => c.exited));
  assert.deepEqual(
    codes,
    children.map(() => 0),
    children.map((c) => c.stderr()).join(""),
  );
  const active = readJson(knowledge(dir, ".active-planning.json"));
  assert.deepEqual(active.spikes, ["spike-same-spike"]);
  const sources = fs.readFileSync(knowledge(dir, "topics", "seed-same-seed", "sources.md"), "utf8");
  assert.equal(occurrences(sources, "[spike-same-spike]"), 1);
  const index = readJson(knowledge(dir, "index.json"));
  assert.deepEqual(Object.keys(index.topics).sort(), ["seed-same-seed", "spike-same-spike"]);
  const events = fs
    .readFileSync(`${dir}/.baton/events.jsonl`, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));
  assert.equal(events.filter((e) => e.type === "session.spike_attached").length, 1);
});
