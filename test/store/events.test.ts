import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { readEvents } from "../../src/store/events.ts";
import { openWorkspace } from "../../src/store/workspace.ts";
import { baton, makeWorkspace } from "../helpers.ts";
import { removeDir } from "./procs.ts";

function eventLines(dir: string): string[] {
  return fs
    .readFileSync(path.join(dir, ".baton", "events.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line !== "");
}

function run(dir: string, args: string[]): void {
  const result = baton(dir, args);
  assert.equal(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
}

test("every state change appends whole event lines; a no-op appends none", {
  timeout: 30_000,
}, (t) => {
  const dir = makeWorkspace();
  t.after(() => removeDir(dir));
  const steps: { args: string[]; changes: boolean; type?: string }[] = [
    { args: ["seed", "Event seed"], changes: true, type: "session.started" },
    { args: ["seed", "Event seed"], changes: false },
    { args: ["spike", "Event spike"], changes: true, type: "session.spike_attached" },
    { args: ["spike", "Event spike"], changes: false },
    { args: ["plan", "Event plan", "--body", "- [ ] One task"], changes: true },
    { args: ["backlog"], changes: true, type: "session.completed" },
    { args: ["status"], changes: false },
  ];
  let count = eventLines(dir).length;
  assert.ok(count >= 1, "init records the workspace's creation");
  for (const step of steps) {
    run(dir, step.args);
    const lines = eventLines(dir);
    const added = lines.slice(count).map((line) => JSON.parse(line));
    if (step.changes) assert.ok(added.length >= 1, `${step.args.join(" ")} appends an event`);
    else assert.deepEqual(added, [], `${step.args.join(" ")} changes nothing, records nothing`);
    if (step.type) {
      assert.ok(
        added.some((e) => e.type === step.type),
        `${step.args.join(" ")} records ${step.type}`,
      );
    }
    for (const event of added) {
      assert.equal(typeof event.schema_version, "number");
      assert.equal(typeof event.type, "string");
      assert.match(event.id, /^evt-[a-z0-9]{12}$/, "every event has an id of its own");
      assert.ok(!Number.isNaN(Date.parse(event.at)), `at is a timestamp: ${event.at}`);
    }
    count = lines.length;
  }

  const ticketsDir = path.join(dir, ".baton", "tickets");
  const ticket = (fs.readdirSync(ticketsDir).find((n) => n.endsWith(".md")) as string).slice(0, -3);
  run(dir, ["ticket", "set-status", ticket, "in_progress"]);
  const after = eventLines(dir);
  assert.equal(after.length, count + 1, "one status change, one line");
  assert.deepEqual(
    {
      ...JSON.parse(after.at(-1) as string),
      id: undefined,
      at: undefined,
      schema_version: undefined,
    },
    {
      type: "ticket.status",
      ticket,
      from: "todo",
      to: "in_progress",
      command: "baton ticket set-status",
      id: undefined,
      at: undefined,
      schema_version: undefined,
    },
  );
  run(dir, ["ticket", "set-status", ticket, "in_progress"]);
  assert.equal(eventLines(dir).length, count + 1, "setting the same status records nothing");
  const ids = eventLines(dir).map((line) => JSON.parse(line).id);
  assert.equal(new Set(ids).size, ids.length, "no two events share an id");
});

test("an event met twice (a union merge's copies) is read once; old events without ids stay", (t) => {
  const dir = makeWorkspace();
  t.after(() => removeDir(dir));
  run(dir, ["seed", "Twice seed"]);
  const file = path.join(dir, ".baton", "events.jsonl");
  const lines = eventLines(dir);
  const old = JSON.stringify({ schema_version: 1, at: "2026-01-01T00:00:00.000Z", type: "x.old" });
  // What merging two branches that both carry the same events can leave: each line twice.
  fs.writeFileSync(file, `${[old, old, ...lines, ...lines].join("\n")}\n`);
  const events = readEvents(openWorkspace(dir));
  assert.deepEqual(
    events.map((e) => e.id ?? e.type),
    ["x.old", "x.old", ...lines.map((l) => JSON.parse(l).id)],
  );
  // The duplicates do not take the places of other events in a short read.
  assert.deepEqual(
    readEvents(openWorkspace(dir), lines.length).map((e) => e.id),
    lines.map((l) => JSON.parse(l).id),
  );
});

test("a torn last line breaks neither readers nor the next append", { timeout: 20_000 }, (t) => {
  const dir = makeWorkspace();
  t.after(() => removeDir(dir));
  run(dir, ["seed", "Torn seed"]);
  const file = path.join(dir, ".baton", "events.jsonl");
  const torn = '{"schema_version":1,"at":"2026-01-01T00:00:00.000Z","type":"session.spi';
  fs.appendFileSync(file, torn); // a writer killed mid-append: no newline, half an object

  const ws = openWorkspace(dir);
  const before = readEvents(ws);
  assert.ok(before.length >= 1);
  assert.ok(before.every((e) => typeof e.type === "string"));
  assert.equal(baton(dir, ["status"]).code, 0);

  const whole = fs.readFileSync(file, "utf8").slice(0, -torn.length);
  run(dir, ["spike", "After the tear"]);
  const text = fs.readFileSync(file, "utf8");
  assert.ok(text.startsWith(whole), "every whole line keeps its bytes");
  assert.equal(text.includes(torn), false, "the torn fragment, no whole event, is cut off");
  const lines = text.split("\n");
  assert.equal(lines.at(-1), "", "the log still ends with a newline");
  const later = text
    .slice(whole.length)
    .split("\n")
    .filter((l) => l !== "");
  assert.ok(later.length >= 1);
  for (const line of lines.filter((l) => l !== "")) {
    assert.doesNotThrow(() => JSON.parse(line), line);
  }

  const events = readEvents(ws);
  assert.equal(events.length, before.length + later.length, "every whole event is read");
  assert.equal(events.at(-1)?.type, JSON.parse(later.at(-1) as string).type);
  assert.ok(events.some((e) => e.type === "session.spike_attached"));
  assert.deepEqual(
    readEvents(ws, 1).map((e) => e.type),
    [events.at(-1)?.type],
    "the limit counts whole events, newest last",
  );
});
