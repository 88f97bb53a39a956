import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { archiveJournal, listArchives } from "../../src/store/journal.ts";
import { openWorkspace } from "../../src/store/workspace.ts";
import { makeWorkspace } from "../helpers.ts";
import { removeDir } from "./procs.ts";

test("archives in one second get unique names and never replace one another", (t) => {
  const dir = makeWorkspace(["--archive-dir", ".plans/archive"]);
  t.after(() => removeDir(dir));
  const ws = openWorkspace(dir);
  const date = new Date("2026-02-06T07:08:09.123Z");
  // One already there, written by someone else: it must keep its bytes.
  const folder = path.join(dir, ".plans", "archive");
  fs.writeFileSync(path.join(folder, "PLANNING-2026-02-06-070809.md"), "older\n");
  const names = ["first", "second", "third"].map((text) => archiveJournal(ws, `${text}\n`, date));
  assert.deepEqual(names, [
    ".plans/archive/PLANNING-2026-02-06-070809-2.md",
    ".plans/archive/PLANNING-2026-02-06-070809-3.md",
    ".plans/archive/PLANNING-2026-02-06-070809-4.md",
  ]);
  assert.equal(
    fs.readFileSync(path.join(folder, "PLANNING-2026-02-06-070809.md"), "utf8"),
    "older\n",
  );
  names.forEach((name, i) => {
    assert.equal(
      fs.readFileSync(path.join(dir, name), "utf8"),
      `${["first", "second", "third"][i]}\n`,
    );
  });
  for (let n = 5; n <= 11; n++) archiveJournal(ws, `${n}\n`, date);
  archiveJournal(ws, "earlier\n", new Date("2026-02-06T07:08:08.000Z"));
  assert.deepEqual(
    listArchives(ws),
    [
      "PLANNING-2026-02-06-070808.md",
      "PLANNING-2026-02-06-070809.md",
      ...Array.from({ length: 10 }, (_, i) => `PLANNING-2026-02-06-070809-${i + 2}.md`),
    ],
    "oldest first",
  );
  assert.deepEqual(
    fs.readdirSync(folder).filter((n) => n.includes("baton-tmp")),
    [],
    "no temp file left behind",
  );
});
