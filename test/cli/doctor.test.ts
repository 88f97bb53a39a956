/**
 * `baton doctor [--fix]`: every finding code triggered by a real bad file in a workspace that is
 * clean before it, `--fix` fixing what it says it fixed and nothing else, the `--json` shape and
 * the exit codes.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { DOCTOR_CODES } from "../../src/core/doctor.ts";
import { baton, makeTempRepo, makeWorkspace, readJson, snapshotTree } from "../helpers.ts";
import { ok, read, write } from "./support.ts";

const K = ".baton/knowledge";
const TOPICS = `${K}/topics`;
const EVENTS = ".baton/events.jsonl";

interface Base {
  dir: string;
  /** The completed session (its snapshot), and the active one. */
  done: string;
  active: string;
  tickets: string[];
}

function buildBase(): Base {
  const dir = makeWorkspace();
  ok(dir, ["seed", "Login"]);
  ok(dir, ["spike", "Token storage"]);
  ok(dir, ["plan", "Login rollout", "--body", "- [ ] Add provider\n- [ ] Store tokens\n"]);
  const backlog = ok(dir, ["backlog", "--json"]).json;
  ok(dir, ["seed", "Second idea"]);
  ok(dir, ["spike", "Second spike"]);
  ok(dir, ["spec", "new", "auth"]);
  const active = readJson(path.join(dir, K, ".active-planning.json")).session_id;
  return {
    dir,
    done: backlog.completed_session,
    active,
    tickets: backlog.tickets.map((t: { id: string }) => t.id),
  };
}

function copyOf(base: Base): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "baton-doctor-"));
  fs.cpSync(base.dir, dir, { recursive: true });
  return dir;
}

function doctor(dir: string, ...args: string[]) {
  return baton(dir, ["doctor", ...args, "--json"]);
}

/** Edits a JSON file in place. */
function editJson(file: string, edit: (data: any) => void): void {
  const data = JSON.parse(fs.readFileSync(file, "utf8"));
  edit(data);
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}

function lastEvent(dir: string): any {
  return JSON.parse(read(dir, EVENTS).trim().split("\n").at(-1) as string);
}

interface Case {
  name: string;
  make(dir: string, b: Base): void;
  /** The finding expected, by code and file (and line when the case knows it). */
  code: string;
  file: string | ((b: Base) => string);
  line?: number;
  severity: "error" | "warning";
  fixable: boolean;
  /** No other finding names the file (a refused file is reported once). */
  alone?: true;
}

const ticketFile = (b: Base, i = 0) => `.baton/tickets/${b.tickets[i]}.md`;

const CASES: Case[] = [
  {
    name: "conflict markers in a topic's document",
    make: (dir) =>
      write(
        dir,
        `${TOPICS}/seed-login/seed.md`,
        "# Login\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n",
      ),
    code: "CONFLICT_MARKERS",
    file: `${TOPICS}/seed-login/seed.md`,
    line: 2,
    severity: "error",
    fixable: false,
  },
  {
    name: "conflict markers in index.json, reported as such rather than as bad JSON",
    make: (dir) => {
      const text = read(dir, K, "index.json").split("\n");
      text.splice(3, 0, "<<<<<<< HEAD");
      fs.writeFileSync(path.join(dir, K, "index.json"), text.join("\n"));
    },
    code: "CONFLICT_MARKERS",
    file: `${K}/index.json`,
    line: 4,
    severity: "error",
    fixable: false,
    alone: true,
  },
  {
    name: "a crash marker whose writer is gone",
    make: (dir) => write(dir, ".baton/.writing", "12345"),
    code: "INTERRUPTED_WRITE",
    file: ".baton/.writing",
    severity: "warning",
    fixable: true,
  },
  {
    name: "a torn last line of the event log",
    make: (dir) => fs.appendFileSync(path.join(dir, EVENTS), '{"schema_version":1,"at":"20'),
    code: "LOG_TORN_LINE",
    file: EVENTS,
    severity: "warning",
    fixable: true,
  },
  {
    name: "an event line held twice",
    make: (dir) => fs.appendFileSync(path.join(dir, EVENTS), `${JSON.stringify(lastEvent(dir))}\n`),
    code: "LOG_REPEATED_LINE",
    file: EVENTS,
    severity: "warning",
    fixable: true,
  },
  {
    name: "two different events with one id",
    make: (dir) =>
      fs.appendFileSync(
        path.join(dir, EVENTS),
        `${JSON.stringify({ ...lastEvent(dir), type: "x.other" })}\n`,
      ),
    code: "EVENT_ID_REUSED",
    file: EVENTS,
    severity: "error",
    fixable: false,
  },
  {
    name: "a line of the event log that is no event",
    make: (dir) => fs.appendFileSync(path.join(dir, EVENTS), "not json\n"),
    code: "CORRUPT_FILE",
    file: EVENTS,
    severity: "error",
    fixable: false,
  },
  {
    name: "an event from a newer Baton",
    make: (dir) =>
      fs.appendFileSync(
        path.join(dir, EVENTS),
        `${JSON.stringify({ schema_version: 9, at: "2030-01-01T00:00:00.000Z", type: "x" })}\n`,
      ),
    code: "SCHEMA_TOO_NEW",
    file: EVENTS,
    severity: "error",
    fixable: false,
  },
  {
    name: "a torn last line of the catalog's log",
    make: (dir) => write(dir, `${K}/index.log.jsonl`, '{"schema_version":1,"topic":{"id":"spi'),
    code: "LOG_TORN_LINE",
    file: `${K}/index.log.jsonl`,
    severity: "warning",
    fixable: true,
  },
  {
    name: "a topic listed on two lines of index.json",
    make: (dir) => {
      const lines = read(dir, K, "index.json").split("\n");
      const at = lines.findIndex((l) => l.startsWith('    "seed-login"'));
      const copy = (lines[at] as string).replace('"title":"Login"', '"title":"Login again"');
      lines.splice(at + 1, 0, copy.endsWith(",") ? copy : `${copy},`);
      fs.writeFileSync(path.join(dir, K, "index.json"), lines.join("\n"));
    },
    code: "CATALOG_DUPLICATE_ID",
    file: `${K}/index.json`,
    severity: "warning",
    fixable: true,
  },
  {
    name: "a catalog entry whose folder is gone",
    make: (dir) => fs.rmSync(path.join(dir, TOPICS, "spike-token-storage"), { recursive: true }),
    code: "TOPIC_FOLDER_MISSING",
    file: `${K}/index.json`,
    severity: "error",
    fixable: false,
  },
  {
    name: "a topic folder without its document",
    make: (dir) => fs.rmSync(path.join(dir, TOPICS, "spike-token-storage", "spike.md")),
    code: "TOPIC_DOC_MISSING",
    file: `${TOPICS}/spike-token-storage`,
    severity: "error",
    fixable: false,
  },
  {
    name: "a topic folder the catalog does not list",
    make: (dir) => write(dir, `${TOPICS}/seed-orphan/seed.md`, "# Orphan\n"),
    code: "TOPIC_UNCATALOGUED",
    file: `${TOPICS}/seed-orphan`,
    severity: "error",
    fixable: true,
  },
  {
    name: "a folder in topics not named like a topic",
    make: (dir) => write(dir, `${TOPICS}/Not_A_Topic/notes.md`, "x\n"),
    code: "ID_MALFORMED",
    file: `${TOPICS}/Not_A_Topic`,
    severity: "warning",
    fixable: false,
  },
  {
    name: "a snapshot file not named like a session",
    make: (dir, b) =>
      fs.copyFileSync(
        path.join(dir, K, "sessions", `${b.done}.json`),
        path.join(dir, K, "sessions", "garbage.json"),
      ),
    code: "ID_MALFORMED",
    file: `${K}/sessions/garbage.json`,
    severity: "warning",
    fixable: false,
  },
  {
    name: "a ticket file not named like a ticket",
    make: (dir, b) =>
      fs.copyFileSync(
        path.join(dir, ticketFile(b)),
        path.join(dir, ".baton/tickets/not-a-ticket.md"),
      ),
    code: "ID_MALFORMED",
    file: ".baton/tickets/not-a-ticket.md",
    severity: "warning",
    fixable: false,
  },
  {
    name: "a catalog entry of the wrong type",
    make: (dir) =>
      editJson(path.join(dir, K, "index.json"), (d) => {
        d.topics["spike-token-storage"].type = "seed";
      }),
    code: "ID_MALFORMED",
    file: `${K}/index.json`,
    severity: "error",
    fixable: false,
  },
  {
    name: "a ticket file holding another ticket",
    make: (dir, b) =>
      fs.copyFileSync(
        path.join(dir, ticketFile(b)),
        path.join(dir, ".baton/tickets/BTN-zzzzzzzz.md"),
      ),
    code: "ID_MISMATCH",
    file: ".baton/tickets/BTN-zzzzzzzz.md",
    severity: "error",
    fixable: false,
  },
  {
    name: "a snapshot file holding another session",
    make: (dir, b) =>
      fs.copyFileSync(
        path.join(dir, K, "sessions", `${b.done}.json`),
        path.join(dir, K, "sessions", "seed-login@2020-01-01T00-00-00Z.json"),
      ),
    code: "ID_MISMATCH",
    file: `${K}/sessions/seed-login@2020-01-01T00-00-00Z.json`,
    severity: "error",
    fixable: false,
  },
  {
    name: "a catalog relation to a topic that is not there",
    make: (dir) =>
      editJson(path.join(dir, K, "index.json"), (d) => {
        d.topics["seed-login"].relates.push("spike-nowhere");
      }),
    code: "LINK_DANGLING",
    file: `${K}/index.json`,
    severity: "warning",
    fixable: false,
  },
  {
    name: "a sources.md line Baton wrote, linking a topic that is gone",
    make: (dir) =>
      fs.appendFileSync(
        path.join(dir, TOPICS, "seed-login", "sources.md"),
        "- spike: [spike-gone](../spike-gone/spike.md) (session x)\n",
      ),
    code: "LINK_DANGLING",
    file: `${TOPICS}/seed-login/sources.md`,
    severity: "warning",
    fixable: true,
  },
  {
    name: "a ticket from a plan that is not there",
    make: (dir, b) => {
      const file = path.join(dir, ticketFile(b));
      fs.writeFileSync(file, read(file).replace("plan: plan-login-rollout", "plan: plan-nowhere"));
    },
    code: "LINK_DANGLING",
    file: (b) => ticketFile(b),
    severity: "warning",
    fixable: false,
  },
  {
    name: "a ticket for a task its plan's task set no longer has",
    make: (dir) =>
      write(
        dir,
        `${TOPICS}/plan-login-rollout/.task/IMPL-1.json`,
        `${JSON.stringify({ schema_version: 1, id: "IMPL-1", title: "Another task", status: "pending", acceptance: ["done"] })}\n`,
      ),
    code: "LINK_DANGLING",
    file: (b) => ticketFile(b),
    severity: "warning",
    fixable: false,
  },
  {
    name: "a session naming a topic that is not there",
    make: (dir) =>
      editJson(path.join(dir, K, ".active-planning.json"), (d) => {
        d.plan = "plan-nowhere";
      }),
    code: "LINK_DANGLING",
    file: `${K}/.active-planning.json`,
    severity: "warning",
    fixable: false,
  },
  {
    name: "topics and tickets of a session that has no file",
    make: (dir, b) => fs.rmSync(path.join(dir, K, "sessions", `${b.done}.json`)),
    code: "SESSION_MISSING",
    file: `${K}/index.json`,
    severity: "warning",
    fixable: true,
  },
  {
    name: "a spike its session lost",
    make: (dir) =>
      editJson(path.join(dir, K, ".active-planning.json"), (d) => {
        d.spikes = [];
      }),
    code: "SESSION_TOPIC_UNLISTED",
    file: `${K}/.active-planning.json`,
    severity: "warning",
    fixable: true,
  },
  {
    name: "an active session that says it is archived",
    make: (dir) =>
      editJson(path.join(dir, K, ".active-planning.json"), (d) => {
        d.state = "archived";
      }),
    code: "ACTIVE_SESSION_STATE",
    file: `${K}/.active-planning.json`,
    severity: "warning",
    fixable: false,
  },
  {
    name: "an active session completed in its snapshot",
    make: (dir, b) => {
      const active = readJson(path.join(dir, K, ".active-planning.json"));
      write(
        dir,
        `${K}/sessions/${b.active}.json`,
        `${JSON.stringify({ ...active, state: "completed", completed_at: active.updated }, null, 2)}\n`,
      );
    },
    code: "ACTIVE_SESSION_CLOSED",
    file: `${K}/.active-planning.json`,
    severity: "error",
    fixable: false,
  },
  {
    name: "a ticket backlog.json names, whose file is gone",
    make: (dir, b) => fs.rmSync(path.join(dir, ticketFile(b))),
    code: "TICKET_MISSING",
    file: `${TOPICS}/plan-login-rollout/backlog.json`,
    severity: "warning",
    fixable: false,
  },
  {
    name: "a ticket backlog.json does not map",
    make: (dir) =>
      editJson(path.join(dir, TOPICS, "plan-login-rollout", "backlog.json"), (d) => {
        d.tickets = d.tickets.slice(1);
      }),
    code: "TICKET_UNMAPPED",
    file: (b) => ticketFile(b),
    severity: "warning",
    fixable: false,
  },
  {
    name: "two tickets for one plan task (both branches made the backlog)",
    make: (dir, b) =>
      write(
        dir,
        ".baton/tickets/BTN-twice000.md",
        read(dir, ticketFile(b)).replace(`id: ${b.tickets[0]}`, "id: BTN-twice000"),
      ),
    code: "TICKET_DUPLICATE_TASK",
    file: ".baton/tickets/BTN-twice000.md",
    severity: "warning",
    fixable: false,
  },
  {
    name: "a planning folder of the old branch-named layout",
    make: (dir) =>
      write(
        dir,
        ".baton/planning/feature/old/status.yaml",
        "name: old\nspec: docs/old.md\nbranch: feature/old\n",
      ),
    code: "SPEC_FOLDER_NESTED",
    file: ".baton/planning/feature/old/status.yaml",
    severity: "warning",
    fixable: false,
  },
  {
    name: "a legacy status.yaml at the top, refused as every spec command refuses it",
    make: (dir) =>
      write(
        dir,
        ".baton/planning/legacy/status.yaml",
        "name: legacy\nspec: docs/l.md\nbranch: main\n",
      ),
    code: "STATE_CONFLICT",
    file: ".baton/planning/legacy/status.yaml",
    severity: "error",
    fixable: false,
  },
  {
    name: "a planning folder holding another spec",
    make: (dir) =>
      fs.cpSync(path.join(dir, ".baton/planning/auth"), path.join(dir, ".baton/planning/auth2"), {
        recursive: true,
      }),
    code: "SPEC_NAME_MISMATCH",
    file: ".baton/planning/auth2/status.yaml",
    severity: "error",
    fixable: false,
  },
  {
    name: "a spec whose documents are gone",
    make: (dir) => {
      const file = path.join(dir, ".baton/planning/auth/status.yaml");
      fs.writeFileSync(
        file,
        read(file).replace('spec: ".baton/planning/auth"', 'spec: "docs/gone"'),
      );
    },
    code: "SPEC_DOCS_MISSING",
    file: ".baton/planning/auth/status.yaml",
    severity: "warning",
    fixable: false,
  },
  {
    name: "an active spec pointer naming no spec",
    make: (dir) => write(dir, ".baton/planning/.active", "ghost\n"),
    code: "ACTIVE_SPEC_MISSING",
    file: ".baton/planning/.active",
    severity: "warning",
    fixable: true,
  },
  {
    name: "an active spec pointer that is no spec name",
    make: (dir) => write(dir, ".baton/planning/.active", "../x\n"),
    code: "INVALID_ID",
    file: ".baton/planning/.active",
    severity: "warning",
    fixable: true,
  },
  {
    name: "a .gitattributes without Baton's merge rules",
    make: (dir) => write(dir, ".gitattributes", "*.png binary\n"),
    code: "GITATTRIBUTES_MISSING",
    file: ".gitattributes",
    severity: "warning",
    fixable: false,
  },
  {
    name: "a clone whose .git/config does not register the merge driver",
    make: (dir) => {
      spawnSync("git", ["config", "--local", "--remove-section", "merge.baton"], { cwd: dir });
    },
    code: "MERGE_DRIVER_MISSING",
    file: ".git/config",
    severity: "warning",
    fixable: false,
  },
  {
    name: "a ticket that does not parse",
    make: (dir, b) => {
      const file = path.join(dir, ticketFile(b));
      fs.writeFileSync(file, read(file).replace("status: todo", "status: weird"));
    },
    code: "CORRUPT_FILE",
    file: (b) => ticketFile(b),
    severity: "error",
    fixable: false,
  },
  {
    name: "a workflow.json without schema_version",
    make: (dir) =>
      editJson(path.join(dir, TOPICS, "plan-login-rollout", "workflow.json"), (d) => {
        delete d.schema_version;
      }),
    code: "CORRUPT_FILE",
    file: `${TOPICS}/plan-login-rollout/workflow.json`,
    severity: "error",
    fixable: false,
  },
  {
    name: "a journal.json from a newer Baton",
    make: (dir) =>
      editJson(path.join(dir, ".baton/journal.json"), (d) => {
        d.schema_version = 9;
      }),
    code: "SCHEMA_TOO_NEW",
    file: ".baton/journal.json",
    severity: "error",
    fixable: false,
  },
  {
    name: "a state folder that leads outside the repository",
    make: (dir) => {
      const outside = fs.mkdtempSync(path.join(os.tmpdir(), "baton-doctor-outside-"));
      fs.cpSync(path.join(dir, ".baton/tickets"), outside, { recursive: true });
      fs.rmSync(path.join(dir, ".baton/tickets"), { recursive: true });
      fs.symlinkSync(outside, path.join(dir, ".baton/tickets"));
    },
    code: "UNSAFE_PATH",
    file: ".baton/tickets",
    severity: "error",
    fixable: false,
  },
];

describe("baton doctor", () => {
  let base: Base;
  const made: string[] = [];
  before(() => {
    base = buildBase();
  });
  after(() => {
    for (const dir of [base.dir, ...made]) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a workspace every command made is clean: exit 0, the JSON shape, and no lock taken", () => {
    const lockDir = path.join(base.dir, ".baton/.lock.d");
    const locks = fs.readdirSync(lockDir).sort();
    const r = doctor(base.dir);
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(r.json, {
      ok: true,
      errors: 0,
      warnings: 0,
      fixable: 0,
      findings: [],
      fixed: [],
    });
    assert.deepEqual(fs.readdirSync(lockDir).sort(), locks, "doctor takes no lock");
    const text = ok(base.dir, ["doctor"]);
    assert.match(text.stdout, /no problems found/);
  });

  for (const c of CASES) {
    test(c.name, () => {
      const dir = copyOf(base);
      made.push(dir);
      c.make(dir, base);
      const before = snapshotTree(dir);
      const r = doctor(dir);
      const file = typeof c.file === "function" ? c.file(base) : c.file;
      const found = (r.json?.findings ?? []).find(
        (f: { code: string; file: string }) => f.code === c.code && f.file === file,
      );
      assert.ok(found, `${c.code} about ${file} in ${r.stdout}`);
      assert.equal(found.severity, c.severity);
      assert.equal(found.fixable, c.fixable);
      if (c.line !== undefined) assert.equal(found.line, c.line);
      if (c.alone) {
        const about = r.json.findings.filter((f: { file: string }) => f.file === file);
        assert.equal(about.length, 1, JSON.stringify(about));
      }
      for (const f of r.json.findings) {
        assert.deepEqual(
          Object.keys(f)
            .filter((k) => k !== "line")
            .sort(),
          ["code", "file", "fixable", "hint", "message", "severity"],
        );
        assert.ok(f.message.length > 0 && f.hint.length > 0);
        assert.ok(!path.isAbsolute(f.file), `${f.file} is repository-relative`);
      }
      const errors = r.json.findings.filter((f: { severity: string }) => f.severity === "error");
      assert.equal(r.json.errors, errors.length);
      assert.equal(r.json.ok, errors.length === 0);
      assert.equal(r.code, errors.length > 0 ? 5 : 0, "exit 5 while errors remain");
      if (errors.length > 0) assert.equal(r.json.error.code, "INTEGRITY_ERRORS");
      else assert.equal(r.json.error, undefined);
      assert.deepEqual(snapshotTree(dir), before, "doctor changes nothing");
    });
  }

  test("every code of doctor's own is triggered by a case above", () => {
    const covered = new Set(CASES.map((c) => c.code));
    assert.deepEqual(
      DOCTOR_CODES.filter((code) => !covered.has(code)),
      [],
    );
  });

  test("--fix repairs what it says it repairs, in those files only, and reports what is left", () => {
    const dir = copyOf(base);
    made.push(dir);
    const fixable = CASES.filter(
      (c) =>
        c.fixable &&
        !["INVALID_ID", "INTERRUPTED_WRITE"].includes(c.code) &&
        c.name !== "an event line held twice",
    );
    for (const c of fixable) c.make(dir, base);
    // One that stays: a ticket that does not parse.
    (CASES.find((c) => c.name === "a ticket that does not parse") as Case).make(dir, base);
    const before = snapshotTree(dir);
    const found = doctor(dir).json;
    const codes = (list: { code: string }[]) => [...new Set(list.map((f) => f.code))].sort();
    assert.deepEqual(
      codes(found.findings.filter((f: { fixable: boolean }) => f.fixable)),
      codes(fixable),
    );

    const r = doctor(dir, "--fix");
    assert.equal(r.code, 5, "an error is left");
    assert.deepEqual(codes(r.json.fixed), codes(fixable), "every fixable finding is fixed");
    assert.equal(
      r.json.fixed.length,
      found.findings.filter((f: { fixable: boolean }) => f.fixable).length,
      "each said once",
    );
    for (const f of r.json.fixed) assert.ok(f.did.length > 0 && typeof f.file === "string");
    assert.deepEqual(
      Object.fromEntries(r.json.fixed.map((f: { code: string; did: string }) => [f.code, f.did])),
      {
        ACTIVE_SPEC_MISSING: "cleared the active spec",
        CATALOG_DUPLICATE_ID: "folded seed-login into one entry each",
        LINK_DANGLING: "removed line 7: - spike: [spike-gone](../spike-gone/spike.md) (session x)",
        LOG_TORN_LINE: "cut the torn last line",
        SESSION_MISSING: `rebuilt the snapshot of ${base.done} (archived) from the catalog`,
        SESSION_TOPIC_UNLISTED: `listed spike-second-spike in ${base.active} again`,
        TOPIC_UNCATALOGUED: "added seed-orphan to the catalog",
      },
    );
    assert.deepEqual(
      r.json.findings.map((f: { code: string; file: string }) => [f.code, f.file]),
      [["CORRUPT_FILE", ticketFile(base)]],
      "what is left is the one finding --fix cannot repair",
    );

    // Only the files the fixes name changed, and the event log that records it (PLANNING.md
    // is not rewritten: the ticket it would list does not parse).
    const after = snapshotTree(dir);
    const changed = [...new Set([...before.keys(), ...after.keys()])]
      .filter((k) => before.get(k) !== after.get(k))
      .filter((k) => !k.startsWith(`.baton${path.sep}cache`))
      .sort();
    assert.deepEqual(
      changed,
      [
        EVENTS,
        `${K}/.active-planning.json`,
        `${K}/index.json`,
        `${K}/index.log.jsonl`,
        `${K}/sessions/${base.done}.json`,
        `${TOPICS}/seed-login/sources.md`,
        ".baton/planning/.active",
      ]
        .map((p) => p.split("/").join(path.sep))
        .sort(),
    );
    assert.equal(fs.existsSync(path.join(dir, ".baton/planning/.active")), false);
    // The torn line went, and the log was folded into index.json when the topic was added.
    assert.equal(fs.existsSync(path.join(dir, K, "index.log.jsonl")), false);
    assert.equal(
      read(dir, ticketFile(base)),
      before.get(ticketFile(base).split("/").join(path.sep)),
    );
    assert.doesNotMatch(read(dir, TOPICS, "seed-login", "sources.md"), /spike-gone/);
    const catalog = readJson(path.join(dir, K, "index.json")).topics;
    assert.equal(catalog["seed-login"].title, "Login again", "the newer line's fields");
    assert.ok(catalog["seed-orphan"], "the uncatalogued topic is listed");
    assert.deepEqual(readJson(path.join(dir, K, ".active-planning.json")).spikes, [
      "spike-second-spike",
    ]);
    const rebuilt = readJson(path.join(dir, K, "sessions", `${base.done}.json`));
    assert.deepEqual(
      [rebuilt.state, rebuilt.root_seed, rebuilt.spikes, rebuilt.plan],
      ["archived", "seed-login", ["spike-token-storage"], "plan-login-rollout"],
    );
    const events = read(dir, EVENTS)
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.ok(events.some((e) => e.type === "doctor.fixed"));
    assert.ok(events.some((e) => e.type === "topic.adopted" && e.topic === "seed-orphan"));

    // Again: nothing left to fix, nothing changed.
    const again = snapshotTree(dir);
    const second = doctor(dir, "--fix");
    assert.deepEqual(second.json.fixed, []);
    const unchanged = snapshotTree(dir);
    for (const [k, v] of again) if (!k.includes("cache")) assert.equal(unchanged.get(k), v, k);
  });

  test("a killed writer's marker: --fix takes the lock, whose repair puts things back", () => {
    const dir = copyOf(base);
    made.push(dir);
    write(dir, ".baton/.writing", "12345");
    write(dir, `${TOPICS}/seed-orphan/seed.md`, "# Orphan\n");
    const r = doctor(dir, "--fix");
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(
      r.json.fixed.map((f: { code: string; file: string }) => [f.code, f.file]),
      [
        ["INTERRUPTED_WRITE", ".baton/.writing"],
        ["TOPIC_UNCATALOGUED", `${TOPICS}/seed-orphan`],
      ],
    );
    assert.match(r.json.fixed[1].did, /repair that follows a killed command/);
    assert.equal(fs.existsSync(path.join(dir, ".baton/.writing")), false);
    assert.deepEqual(r.json.findings, []);
  });

  test("--fix with nothing to fix changes nothing and exits 0; a repeated event is kept once", () => {
    const dir = copyOf(base);
    made.push(dir);
    const before = snapshotTree(dir);
    const r = doctor(dir, "--fix");
    assert.equal(r.code, 0);
    assert.deepEqual(r.json.fixed, []);
    const after = snapshotTree(dir);
    for (const [k, v] of before) if (!k.includes("cache")) assert.equal(after.get(k), v, k);

    (CASES.find((c) => c.name === "an event line held twice") as Case).make(dir, base);
    const lines = read(dir, EVENTS).trim().split("\n");
    const fixed = doctor(dir, "--fix");
    assert.equal(fixed.code, 0);
    assert.deepEqual(
      fixed.json.fixed.map((f: { code: string }) => f.code),
      ["LOG_REPEATED_LINE"],
    );
    const now = read(dir, EVENTS).trim().split("\n");
    assert.deepEqual(now.slice(0, lines.length - 1), lines.slice(0, -1), "every other line kept");
    assert.equal(JSON.parse(now.at(-1) as string).type, "doctor.fixed");
  });

  test("text output names each finding; exit codes: no workspace 3, unreadable config 5", () => {
    const dir = copyOf(base);
    made.push(dir);
    write(dir, `${TOPICS}/seed-orphan/seed.md`, "# Orphan\n");
    const r = baton(dir, ["doctor"]);
    assert.equal(r.code, 5);
    assert.match(
      r.stdout,
      /\.baton\/knowledge\/topics\/seed-orphan: error TOPIC_UNCATALOGUED \(fixable\)/,
    );
    assert.match(r.stdout, /1 fixable with baton doctor --fix/);
    const fixed = baton(dir, ["doctor", "--fix"]);
    assert.equal(fixed.code, 0);
    assert.match(fixed.stdout, /Fixed:\n.*TOPIC_UNCATALOGUED: added seed-orphan to the catalog/);

    const bare = makeTempRepo();
    made.push(bare);
    assert.equal(doctor(bare).json.error.code, "NO_WORKSPACE");
    assert.equal(doctor(bare).code, 3);
    write(dir, ".baton/config.yaml", "schema_version: 1\nworkflow: [\n");
    const bad = doctor(dir);
    assert.equal(bad.code, 5);
    assert.equal(bad.json.error.code, "CORRUPT_FILE");
  });
});
