/**
 * Watching the state files (src/store/watch.ts), as `baton serve` does: the batches a change
 * makes, the event lines read from each log once, and what is left out.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, type TestContext, test } from "node:test";
import { type StateChange, watchState } from "../../src/store/watch.ts";
import { openWorkspace } from "../../src/store/workspace.ts";
import { baton, makeWorkspace } from "../helpers.ts";

function watching(t: TestContext, dir: string) {
  const batches: StateChange[] = [];
  const notices: string[] = [];
  const watch = watchState(openWorkspace(dir), {
    onChange: (c) => batches.push(c),
    notice: (m) => notices.push(m),
    debounceMs: 10,
    perFolder: true,
  });
  t.after(() => watch.close());
  const paths = () => new Set(batches.flatMap((b) => b.paths));
  const events = () => batches.flatMap((b) => b.events);
  const until = async (ok: () => boolean, what: string) => {
    const end = Date.now() + 2000;
    while (!ok()) {
      if (Date.now() > end) assert.fail(`${what}: ${JSON.stringify(batches)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const settle = () => new Promise((r) => setTimeout(r, 80));
  return { batches, notices, watch, paths, events, until, settle };
}

/** Replaces a file as Baton does: a temp file beside it, renamed over it. */
function replace(file: string, text: string) {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.baton-tmp-1-x`);
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

describe("watching the state files", () => {
  test("a file replaced again and again is reported every time", async (t) => {
    const dir = makeWorkspace();
    const w = watching(t, dir);
    const file = path.join(dir, ".baton", "config.yaml");
    const original = fs.readFileSync(file, "utf8");
    for (let i = 0; i < 3; i++) {
      w.batches.length = 0;
      replace(file, original);
      await w.until(() => w.paths().has(".baton/config.yaml"), `replace ${i + 1}`);
    }
    w.watch.close();
  });

  test("a folder made after the start is watched, and files written in it at once are seen", async (t) => {
    const dir = makeWorkspace();
    const w = watching(t, dir);
    const folder = path.join(dir, ".baton", "planning", "new-spec", "work");
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "ws-1.json"), "{}");
    await w.until(() => w.paths().has(".baton/planning/new-spec/work/ws-1.json"), "first file");
    await w.settle();
    fs.writeFileSync(path.join(folder, "ws-2.json"), "{}");
    await w.until(() => w.paths().has(".baton/planning/new-spec/work/ws-2.json"), "later file");
    w.watch.close();
  });

  test("a CLI write: its event lines once each, the files it changed, no lock, temp or cache file", async (t) => {
    const dir = makeWorkspace();
    const w = watching(t, dir);
    assert.equal(baton(dir, ["seed", "Live updates"]).code, 0);
    await w.until(() => w.events().some((e) => e.event.type === "session.started"), "events");
    await w.settle();
    const types = w.events().map((e) => e.event.type);
    assert.deepEqual(types, ["topic.created", "session.started"]);
    assert.ok(w.events().every((e) => e.log === ".baton/events.jsonl"));
    const paths = [...w.paths()];
    assert.ok(paths.includes(".baton/knowledge/index.json"), paths.join(" "));
    assert.ok(paths.includes("PLANNING.md"), paths.join(" "));
    for (const p of paths) assert.doesNotMatch(p, /\.lock|\.writing|\/cache\/|baton-tmp/, p);
    w.watch.close();
  });

  test("an event log: whole lines only, and read on from its new end when it shrank", async (t) => {
    const dir = makeWorkspace();
    const log = path.join(dir, ".baton", "events.jsonl");
    const w = watching(t, dir);
    const line = (type: string) => `${JSON.stringify({ schema_version: 1, at: "x", type })}\n`;
    fs.appendFileSync(log, line("a.one"));
    fs.appendFileSync(log, '{"schema_version":1,"at":"x","type":"a.t');
    await w.until(() => w.events().length === 1, "the whole line");
    await w.settle();
    assert.deepEqual(
      w.events().map((e) => e.event.type),
      ["a.one"],
      "the torn line waits",
    );
    fs.appendFileSync(log, 'wo"}\n');
    await w.until(() => w.events().length === 2, "the rest of the line");
    assert.equal(w.events()[1]?.event.type, "a.two");
    const kept = fs.readFileSync(log, "utf8");
    fs.writeFileSync(log, kept.slice(0, kept.length - line("a.one").length));
    await w.settle();
    fs.appendFileSync(log, line("a.three"));
    await w.until(() => w.events().some((e) => e.event.type === "a.three"), "after the cut");
    assert.equal(w.events().length, 3);
    w.watch.close();
  });

  test("a folder linked outside is neither followed nor watched", async (t) => {
    const dir = makeWorkspace();
    const outside = fs.mkdtempSync(path.join(path.dirname(dir), "outside-"));
    fs.mkdirSync(path.join(outside, "deep"));
    fs.symlinkSync(outside, path.join(dir, ".baton", "planning", "linked"));
    const w = watching(t, dir);
    fs.writeFileSync(path.join(outside, "deep", "x.json"), "{}");
    fs.appendFileSync(path.join(outside, "events.jsonl"), '{"type":"outside"}\n');
    await w.settle();
    assert.deepEqual(w.batches, []);
    fs.writeFileSync(path.join(dir, ".baton", "planning", "inside.json"), "{}");
    await w.until(() => w.paths().has(".baton/planning/inside.json"), "the folder itself");
    fs.symlinkSync(outside, path.join(dir, ".baton", "planning", "linked-later"));
    await w.until(() => w.paths().has(".baton/planning/linked-later"), "the new link");
    await w.settle();
    w.batches.length = 0;
    fs.writeFileSync(path.join(outside, "deep", "y.json"), "{}");
    fs.appendFileSync(path.join(outside, "events.jsonl"), '{"type":"outside"}\n');
    await w.settle();
    assert.deepEqual(w.batches, [], "a link made later is not followed either");
  });

  test("closed: no more batches", async (t) => {
    const dir = makeWorkspace();
    const w = watching(t, dir);
    assert.ok(w.watch.folders() > 3, "a watch per folder");
    w.watch.close();
    assert.equal(w.watch.folders(), 0);
    assert.equal(baton(dir, ["journal", "note", "after the close"]).code, 0);
    await w.settle();
    assert.deepEqual(w.batches, []);
  });
});
