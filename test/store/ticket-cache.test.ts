/**
 * The per-machine ticket index (.baton/cache/tickets.jsonl): Baton's own ticket writes extend it
 * by one appended record, whatever the number of tickets; a change made elsewhere (git, an
 * editor, a deleted or a new file) is seen by the next command, which re-reads only the changed
 * files; a torn or garbled line, or an index of an older format, never makes a command fail or
 * show anything but what the files say. Every check runs the built CLI on real files.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";
import { TASK_STATUSES } from "../../src/core/task.ts";
import { parseTicket, renderTicket, type Ticket } from "../../src/core/ticket.ts";
import { ok } from "../cli/support.ts";
import { baton, makeWorkspace } from "../helpers.ts";
import { killChildren, removeDir, startBaton } from "./procs.ts";

after(killChildren);

const cacheFile = (dir: string) => path.join(dir, ".baton", "cache", "tickets.jsonl");
const ticketsDir = (dir: string) => path.join(dir, ".baton", "tickets");
const ticketFile = (dir: string, id: string) => path.join(ticketsDir(dir), `${id}.md`);

/** A ticket id made from a number, so a test can name its tickets. */
function idOf(n: number): string {
  return `BTN-${n.toString(36).padStart(8, "0")}`;
}

/** Writes `count` plan-less tickets straight to disk, statuses in turn, oldest first. */
function writeTickets(dir: string, count: number, from = 0): string[] {
  fs.mkdirSync(ticketsDir(dir), { recursive: true });
  const ids: string[] = [];
  const base = Date.UTC(2025, 0, 1);
  for (let i = from; i < from + count; i++) {
    const id = idOf(i);
    const at = new Date(base + i * 60_000).toISOString();
    const ticket: Ticket = {
      schema_version: 1,
      id,
      title: `Ticket number ${i}`,
      status: TASK_STATUSES[i % TASK_STATUSES.length] as Ticket["status"],
      plan: null,
      task: null,
      session_id: null,
      created: at,
      updated: at,
      body: `# Ticket number ${i}\n`,
    };
    fs.writeFileSync(ticketFile(dir, id), renderTicket(ticket));
    ids.push(id);
  }
  return ids;
}

/** What the ticket files say, read by the test itself: id → [status, title], in list order. */
function truth(dir: string): { id: string; status: string; title: string }[] {
  return (
    fs
      .readdirSync(ticketsDir(dir))
      .filter((name) => name.endsWith(".md") && !name.startsWith("."))
      .map((name) => parseTicket(fs.readFileSync(path.join(ticketsDir(dir), name), "utf8"), name))
      // List order: by creation, then the task's place in its plan (none last), then id.
      .sort((a, b) =>
        a.created !== b.created
          ? a.created < b.created
            ? -1
            : 1
          : (a.position ?? Infinity) !== (b.position ?? Infinity)
            ? (a.position ?? Infinity) - (b.position ?? Infinity)
            : a.id < b.id
              ? -1
              : 1,
      )
      .map((t) => ({ id: t.id, status: t.status, title: t.title }))
  );
}

/** Every command that reads the index agrees with the files. */
function assertMatchesFiles(dir: string, what: string): void {
  const expected = truth(dir);
  const all = ok(dir, ["ticket", "list", "--all", "--json"]).json;
  assert.equal(all.total, expected.length, `${what}: --all total`);
  assert.deepEqual(
    all.tickets.map((t: any) => ({ id: t.id, status: t.status, title: t.title })),
    expected,
    `${what}: --all rows`,
  );
  const page = ok(dir, ["ticket", "list", "--json"]).json;
  assert.equal(page.total, expected.length, `${what}: default page total`);
  assert.deepEqual(
    page.tickets.map((t: any) => t.id),
    expected.slice(0, page.tickets.length).map((t) => t.id),
    `${what}: default page`,
  );
  for (const status of TASK_STATUSES) {
    const listed = ok(dir, ["ticket", "list", "--status", status, "--all", "--json"]).json;
    const want = expected.filter((t) => t.status === status).map((t) => t.id);
    assert.deepEqual(
      listed.tickets.map((t: any) => t.id),
      want,
      `${what}: --status ${status}`,
    );
  }
  const open = expected.filter((t) => ["todo", "in_progress", "blocked"].includes(t.status));
  const resume = ok(dir, ["resume", "--json"]).json;
  assert.equal(resume.state.open_ticket_count, open.length, `${what}: resume's open count`);
}

/** Renames a ticket file into place with `edit` applied, as git or an editor saving by rename. */
function replaceTicket(dir: string, id: string, edit: (text: string) => string): void {
  const file = ticketFile(dir, id);
  fs.writeFileSync(`${file}.tmp`, edit(fs.readFileSync(file, "utf8")));
  fs.renameSync(`${file}.tmp`, file);
}

/** Rewrites a ticket file in place (as some editors save), which leaves the folder alone. */
function editInPlace(dir: string, id: string, edit: (text: string) => string): void {
  const file = ticketFile(dir, id);
  const folder = fs.statSync(ticketsDir(dir), { bigint: true }).mtimeNs;
  const text = edit(fs.readFileSync(file, "utf8"));
  const fd = fs.openSync(file, "r+");
  fs.ftruncateSync(fd, 0);
  fs.writeSync(fd, text, 0);
  fs.closeSync(fd);
  assert.equal(fs.statSync(ticketsDir(dir), { bigint: true }).mtimeNs, folder);
}

function lastLines(file: string, n: number): string[] {
  return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-n);
}

describe("ticket index: Baton's writes append", () => {
  test("a status change at 20,000 tickets appends one short line and rewrites nothing", {
    timeout: 120_000,
  }, (t) => {
    const dir = makeWorkspace();
    t.after(() => removeDir(dir));
    const ids = writeTickets(dir, 20_000);
    ok(dir, ["ticket", "list", "--json"]); // builds the index from the files
    const file = cacheFile(dir);
    for (const [n, status] of [
      [3, "in_progress"],
      [19_997, "done"],
      [3, "blocked"],
    ] as const) {
      const before = fs.statSync(file);
      const bytes = fs.readFileSync(file);
      const id = ids[n] as string;
      const r = ok(dir, ["ticket", "set-status", id, status, "--json"]).json;
      assert.equal(r.changed, true);
      const after = fs.statSync(file);
      assert.equal(after.ino, before.ino, "the index file is the same file, not a rewrite");
      assert.ok(after.size > before.size, "the index grew");
      assert.ok(after.size - before.size < 2_000, `appended ${after.size - before.size} bytes`);
      const now = fs.readFileSync(file);
      assert.ok(now.subarray(0, bytes.length).equals(bytes), "every byte before is unchanged");
      // The write, then at most an empty one carrying the stamp past the commit's clean-up
      // (the replaced ticket's old bytes, kept beside it until then, are dropped).
      const records = lastLines(file, 2).map((line) => JSON.parse(line));
      const restamp = records[1]?.t === "write" && records[1].rows.length === 0;
      const record = restamp ? records[0] : records[1];
      assert.equal(record.t, "write");
      assert.deepEqual(
        record.rows.map((row: any) => [row[0], row[2]]),
        [[id, status]],
      );
    }
    // Readers see the writes without rebuilding anything.
    const before = fs.statSync(file);
    const page = ok(dir, ["ticket", "list", "--json"]).json;
    assert.equal(page.total, 20_000);
    assert.equal(page.tickets[3].status, "blocked");
    const done = ok(dir, ["ticket", "list", "--status", "done", "--all", "--json"]).json;
    assert.ok(done.tickets.some((t: any) => t.id === ids[19_997]));
    assert.equal(fs.statSync(file).size, before.size, "reads left the index alone");
    const resume = ok(dir, ["resume", "--json"]).json;
    // 12,000 open to begin with; one done ticket reopened, one blocked one done.
    assert.equal(resume.state.open_ticket_count, 12_000, "open count follows the writes");
    assert.equal(
      ok(dir, ["ticket", "list", "--status", "in_progress", "--json"]).json.total,
      4_000,
    );
    assert.equal(ok(dir, ["ticket", "list", "--status", "done", "--json"]).json.total, 4_000);
  });

  test("a write too big for the log folds it into a rewritten index", { timeout: 60_000 }, () => {
    const dir = makeWorkspace();
    writeTickets(dir, 50);
    ok(dir, ["ticket", "list", "--json"]);
    const inode = fs.statSync(cacheFile(dir)).ino;
    // One backlog run creating more tickets than the log takes.
    const tasks = Array.from({ length: 300 }, (_, i) => `- [ ] Task ${i + 1}`).join("\n");
    ok(dir, ["plan", "Big", "--body", tasks]);
    ok(dir, ["backlog", "plan-big", "--json"]);
    assert.notEqual(fs.statSync(cacheFile(dir)).ino, inode, "rewritten whole");
    const text = fs.readFileSync(cacheFile(dir), "utf8");
    const header = JSON.parse(text.slice(0, text.indexOf("\n")));
    assert.equal(header.total, 350);
    assert.equal(
      Buffer.byteLength(text) - Buffer.byteLength(text.slice(0, text.indexOf("\n") + 1)),
      header.rows_bytes,
      "no log after the rows",
    );
    assertMatchesFiles(dir, "after the fold");
  });

  test("closing the open tickets the journal shows keeps its list right", {
    timeout: 120_000,
  }, () => {
    const dir = makeWorkspace();
    // 400 tickets: 80 in progress and 160 todo or blocked, more than the index keeps at hand.
    writeTickets(dir, 400);
    ok(dir, ["ticket", "list", "--json"]);
    const inode = fs.statSync(cacheFile(dir)).ino;
    const expectedOpen = () =>
      truth(dir).filter((t) => ["todo", "in_progress", "blocked"].includes(t.status));
    // Finish the most recently started ones and the oldest waiting ones, one command each, as
    // agents working down the list would, until the in-progress list the index keeps runs short.
    const busyFirst = truth(dir)
      .filter((t) => t.status === "in_progress")
      .reverse()
      .slice(0, 32);
    const waitingFirst = truth(dir)
      .filter((t) => t.status === "todo" || t.status === "blocked")
      .slice(0, 8);
    for (const t of [...busyFirst, ...waitingFirst])
      ok(dir, ["ticket", "set-status", t.id, "done"]);
    assert.notEqual(fs.statSync(cacheFile(dir)).ino, inode, "refilled by a rewrite on the way");
    const resume = ok(dir, ["resume", "--json"]).json;
    assert.equal(resume.state.open_ticket_count, expectedOpen().length);
    const planning = fs.readFileSync(path.join(dir, "PLANNING.md"), "utf8");
    const line = planning.split("\n").find((l) => l.startsWith("- Tickets:")) ?? "";
    const shown = line.split(": ").slice(2).join(": ").split(", ");
    // In progress most recently updated first (ties: newest first), then the oldest others.
    const all = truth(dir);
    const busy = all
      .filter((t) => t.status === "in_progress")
      .map((t) => t.id)
      .reverse();
    const waiting = all
      .filter((t) => t.status === "todo" || t.status === "blocked")
      .map((t) => t.id);
    assert.deepEqual(shown, [...busy, ...waiting].slice(0, 20));
    assertMatchesFiles(dir, "after closing 40");
  });
});

describe("ticket index: changes made elsewhere", () => {
  test("git checkouts, in-place edits, deleted and new files, between Baton's writes", {
    timeout: 120_000,
  }, () => {
    const dir = makeWorkspace();
    const ids = writeTickets(dir, 40);
    const git = (...args: string[]) => {
      const r = spawnSync("git", args, { cwd: dir, encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
    };
    git("add", ".baton/tickets");
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "tickets");
    assertMatchesFiles(dir, "built");

    ok(dir, ["ticket", "set-status", ids[0] as string, "in_progress"]);
    ok(dir, ["ticket", "set-status", ids[1] as string, "cancelled"]);
    assertMatchesFiles(dir, "two Baton writes");

    git("checkout", "--", ".baton/tickets");
    assertMatchesFiles(dir, "git checkout of the ticket files");

    ok(dir, ["ticket", "set-status", ids[2] as string, "done"]);
    editInPlace(dir, ids[5] as string, (s) =>
      s.replace(/^status: .*$/m, "status: blocked").replace(/^title: .*$/m, "title: Edited"),
    );
    assertMatchesFiles(dir, "an in-place edit after a Baton write");

    // An in-place edit of the date the index sorts by, then a Baton write of that ticket.
    editInPlace(dir, ids[12] as string, (s) =>
      s.replace(/^created: .*$/m, 'created: "2020-01-01T00:00:00.000Z"'),
    );
    ok(dir, ["ticket", "set-status", ids[12] as string, "done"]);
    assertMatchesFiles(dir, "a Baton write to a ticket whose created date was edited in place");
    assert.equal(ok(dir, ["ticket", "list", "--json"]).json.tickets[0].id, ids[12]);

    fs.rmSync(ticketFile(dir, ids[7] as string));
    assertMatchesFiles(dir, "a deleted ticket");

    writeTickets(dir, 1, 1_000);
    assertMatchesFiles(dir, "a new ticket file");

    replaceTicket(dir, ids[9] as string, (s) => s.replace(/^status: .*$/m, "status: todo"));
    ok(dir, ["ticket", "set-status", ids[10] as string, "blocked"]);
    assertMatchesFiles(dir, "an outside rename, then a Baton write");

    ok(dir, ["ticket", "set-status", ids[9] as string, "done"]);
    ok(dir, ["ticket", "set-status", idOf(1_000), "in_progress"]);
    assertMatchesFiles(dir, "Baton writes after all that");
  });

  test("after a change elsewhere only the changed files are read again", () => {
    const dir = makeWorkspace();
    const ids = writeTickets(dir, 30);
    ok(dir, ["ticket", "list", "--json"]);
    replaceTicket(dir, ids[4] as string, (s) => s.replace(/^status: .*$/m, "status: done"));
    fs.rmSync(ticketFile(dir, ids[6] as string));
    writeTickets(dir, 1, 500);
    const before = fs.statSync(cacheFile(dir));
    ok(dir, ["ticket", "list", "--json"]);
    const after = fs.statSync(cacheFile(dir));
    assert.equal(after.ino, before.ino, "the differences were appended, not a rewrite");
    const record = JSON.parse(lastLines(cacheFile(dir), 1)[0] as string);
    assert.equal(record.t, "sync");
    assert.deepEqual(record.rows.map((row: any) => row[0]).sort(), [ids[4], idOf(500)].sort());
    assert.deepEqual(record.gone, [ids[6]]);
    assert.equal(record.total, 30);
    assertMatchesFiles(dir, "after the sync");
  });

  test("a ticket edited in place is shown as it is and marks the index stale", () => {
    const dir = makeWorkspace();
    const ids = writeTickets(dir, 10);
    ok(dir, ["ticket", "list", "--json"]);
    const id = ids[0] as string; // todo
    editInPlace(dir, id, (s) => s.replace("status: todo", "status: done"));
    const page = ok(dir, ["ticket", "list", "--status", "todo", "--json"]).json;
    assert.ok(!page.tickets.some((t: any) => t.id === id), "shown as the file says");
    assert.deepEqual(JSON.parse(lastLines(cacheFile(dir), 1)[0] as string), { t: "stale" });
    assertMatchesFiles(dir, "after the stale marker");
  });
});

describe("ticket index: damage never shows", () => {
  test("a torn last line (a writer killed mid-append) is ignored, then left behind", () => {
    const dir = makeWorkspace();
    const ids = writeTickets(dir, 25);
    ok(dir, ["ticket", "list", "--json"]);
    ok(dir, ["ticket", "set-status", ids[0] as string, "in_progress"]);
    // Cut the last record in half, as a writer killed halfway through its write(2) would leave it.
    const file = cacheFile(dir);
    const size = fs.statSync(file).size;
    const last = (lastLines(file, 1)[0] as string).length;
    fs.truncateSync(file, size - Math.floor(last / 2));
    assertMatchesFiles(dir, "a torn last line");
    ok(dir, ["ticket", "set-status", ids[1] as string, "blocked"]);
    assertMatchesFiles(dir, "a write after the torn line");
    const text = fs.readFileSync(file, "utf8");
    assert.ok(text.endsWith("\n"), "every line ended");
  });

  test("a garbled line in the middle, or a truncated index, only costs a re-read", () => {
    const dir = makeWorkspace();
    const ids = writeTickets(dir, 25);
    ok(dir, ["ticket", "list", "--json"]);
    ok(dir, ["ticket", "set-status", ids[0] as string, "in_progress"]);
    fs.appendFileSync(cacheFile(dir), '{"t":"write","rows":[["nonsense\n');
    ok(dir, ["ticket", "set-status", ids[1] as string, "blocked"]);
    assertMatchesFiles(dir, "a garbled line");
    // Cut inside the rows: the header promises more rows than there are.
    fs.truncateSync(cacheFile(dir), Math.floor(fs.statSync(cacheFile(dir)).size / 3));
    assertMatchesFiles(dir, "a truncated index");
    ok(dir, ["ticket", "set-status", ids[2] as string, "done"]);
    assertMatchesFiles(dir, "a write after the truncation");
  });

  test("writers killed at random moments never leave the index showing anything wrong", {
    timeout: 120_000,
  }, async () => {
    const dir = makeWorkspace();
    const ids = writeTickets(dir, 200);
    ok(dir, ["ticket", "list", "--json"]);
    for (let round = 0; round < 12; round++) {
      const id = ids[round] as string;
      const child = startBaton(dir, ["ticket", "set-status", id, round % 2 ? "done" : "blocked"]);
      await new Promise((resolve) => setTimeout(resolve, 20 + ((round * 37) % 120)));
      child.proc.kill("SIGKILL");
      await child.exited;
      // A killed writer may leave its crash marker; the next writer repairs what it left.
      const page = baton(dir, ["ticket", "list", "--json"]);
      assert.equal(page.code, 0, page.stderr);
    }
    ok(dir, ["ticket", "set-status", ids[100] as string, "cancelled"]);
    assertMatchesFiles(dir, "after the killed writers");
  });

  test("an index of the previous format is rebuilt from the files, not misread", () => {
    const dir = makeWorkspace();
    const ids = writeTickets(dir, 5);
    ok(dir, ["ticket", "list", "--json"]);
    // What the previous Baton wrote: a header with the first page, then every row as one array,
    // stamped with the folder's and the files' mtime in nanoseconds. Here it claims other titles.
    const stamp = (p: string) => {
      const s = fs.statSync(p, { bigint: true });
      return { mtime: s.mtimeNs.toString(), size: s.size.toString() };
    };
    const rows = truth(dir).map((t) => {
      const s = stamp(ticketFile(dir, t.id));
      const created = parseTicket(fs.readFileSync(ticketFile(dir, t.id), "utf8"), t.id).created;
      return [
        t.id,
        `Stale title of ${t.id}`,
        t.status,
        null,
        null,
        null,
        created,
        created,
        `${s.mtime}:${s.size}`,
      ];
    });
    const header = {
      schema_version: 1,
      format: 2,
      dir_mtime_ns: stamp(ticketsDir(dir)).mtime,
      total: rows.length,
      by_status: {},
      first_page: rows,
      open: [],
    };
    fs.writeFileSync(cacheFile(dir), `${JSON.stringify(header)}\n${JSON.stringify(rows)}\n`);
    const page = ok(dir, ["ticket", "list", "--json"]).json;
    assert.deepEqual(
      page.tickets.map((t: any) => t.title),
      ids.map((_, i) => `Ticket number ${i}`),
    );
    const rebuilt = fs.readFileSync(cacheFile(dir), "utf8");
    assert.equal(JSON.parse(rebuilt.slice(0, rebuilt.indexOf("\n"))).format, 4);
    assertMatchesFiles(dir, "after the rebuild");
  });
});

describe("ticket index: readers beside writers", () => {
  test("lists running while writers change tickets end agreeing with the files", {
    timeout: 120_000,
  }, async () => {
    const dir = makeWorkspace();
    const ids = writeTickets(dir, 300);
    ok(dir, ["ticket", "list", "--json"]);
    const children: ReturnType<typeof startBaton>[] = [];
    for (let i = 0; i < 8; i++) {
      children.push(startBaton(dir, ["ticket", "set-status", ids[i * 7] as string, "done"]));
      children.push(
        startBaton(dir, [
          "ticket",
          "list",
          i % 2 ? "--all" : "--limit",
          ...(i % 2 ? [] : ["5"]),
          "--json",
        ]),
      );
      if (i === 3)
        replaceTicket(dir, ids[200] as string, (s) => s.replace(/^title: .*$/m, "title: Renamed"));
    }
    const codes = await Promise.all(children.map((c) => c.exited));
    assert.deepEqual(
      codes,
      children.map(() => 0),
      children.map((c) => c.stderr()).join(""),
    );
    assertMatchesFiles(dir, "after the concurrent run");
  });
});
