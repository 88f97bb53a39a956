import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { baton, knowledge, makeTempRepo, makeWorkspace, snapshotTree } from "../helpers.ts";
import { assertTreeEqual, fails, failsTouchingNothing, ok, read } from "./support.ts";

const ESC = String.fromCharCode(27);
const hasAnsi = (text: string) => text.includes(`${ESC}[`);

const COMMANDS = [
  ["init"],
  ["status"],
  ["seed"],
  ["spike"],
  ["plan"],
  ["backlog"],
  ["topic", "list"],
  ["topic", "show"],
  ["ticket", "list"],
  ["ticket", "show"],
  ["ticket", "set-status"],
];

interface Busy {
  dir: string;
  active: string;
  archived: string;
  completed: string;
  ticket: string;
}

let template: Busy | null = null;

/**
 * A workspace with an active session (spike and plan attached), an archived one and a completed
 * one with tickets. Built once, then copied for each test, which is much cheaper than
 * re-running the seven commands that make it.
 */
function busyWorkspace(): Busy {
  if (!template) {
    const dir = makeWorkspace();
    const completed = ok(dir, ["seed", "Done", "--json", "-q"]).json.session.session_id;
    ok(dir, ["plan", "Done plan", "--body", "- [ ] t1\n- [ ] t2", "-q"]);
    const ticket = ok(dir, ["backlog", "--json", "-q"]).json.tickets[0].id;
    const archived = ok(dir, ["seed", "Old", "--json", "-q"]).json.session.session_id;
    const active = ok(dir, ["seed", "Now", "--json", "-q"]).json.session.session_id;
    ok(dir, ["spike", "Now spike", "-q"]);
    ok(dir, ["plan", "Now plan", "--body", "- [ ] n1", "-q"]);
    template = { dir, active, archived, completed, ticket };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "baton-test-"));
  fs.cpSync(template.dir, dir, { recursive: true });
  return { ...template, dir };
}

/** Every write command that reads `file`'s kind of data, for a given busy workspace. */
function writeCommands(w: Busy): string[][] {
  return [
    ["backlog"],
    ["seed", "Brand new"],
    ["spike", "Brand new spike"],
    ["plan", "Brand new plan", "--body", "- [ ] new task"],
    ["seed", "--resume", w.archived],
    ["ticket", "set-status", w.ticket, "done"],
  ];
}

describe("output discipline", () => {
  test("--json prints exactly one JSON document for successes, notices go to stderr", () => {
    const dir = makeWorkspace();
    for (const args of [
      ["seed", "Foo"],
      ["spike", "Bar"],
      ["plan", "Baz", "--body", "- [ ] a"],
      ["status"],
      ["seed", "--active"],
      ["seed", "--sessions"],
      ["topic", "list"],
      ["topic", "show", "seed-foo"],
      ["backlog"],
      ["ticket", "list"],
      ["init"],
    ]) {
      const r = baton(dir, [...args, "--json"]);
      assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
      assert.notEqual(r.json, undefined, `stdout of ${args.join(" ")} is JSON: ${r.stdout}`);
      assert.equal(typeof r.json, "object");
      assert.ok(!r.stderr.includes("{"), "no JSON on stderr");
    }
    const spike = baton(dir, ["spike", "Qux", "--json"]);
    assert.equal(spike.json.topic.id, "spike-qux");
    assert.match(spike.stderr, /^\[baton\] No planning session is active[^\n]*\n$/, "one notice");
  });

  test("text-mode errors go to stderr as one line with code and hint; stdout stays empty", () => {
    const dir = makeWorkspace();
    for (const args of [
      ["topic", "show", "seed-nope"],
      ["frob"],
      ["seed", "--frob"],
      ["backlog"],
    ]) {
      const r = baton(dir, args);
      assert.notEqual(r.code, 0);
      assert.equal(r.stdout, "", `stdout of ${args.join(" ")}`);
      assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, /^error [A-Z_]+: .+ \(hint: .+\)\n$/);
    }
  });

  test("--quiet drops notices but not data", () => {
    const dir = makeWorkspace();
    const r = ok(dir, ["seed", "Foo", "--quiet"]);
    assert.equal(r.stderr, "");
    assert.match(r.stdout, /seed-foo/);
    assert.equal(ok(dir, ["-q", "spike", "Bar"]).stderr, "");
  });

  test("no ANSI colour when output is not a terminal, with or without NO_COLOR", () => {
    const dir = makeWorkspace();
    const envs: Record<string, string>[] = [
      { NO_COLOR: "" },
      { NO_COLOR: "1" },
      { NO_COLOR: "", TERM: "xterm-256color" },
    ];
    for (const env of envs) {
      for (const args of [
        ["seed", `Colour ${Object.keys(env).length}`],
        ["topic", "show", "seed-nope"],
        ["status"],
      ]) {
        const r = baton(dir, args, env);
        assert.ok(!hasAnsi(r.stdout) && !hasAnsi(r.stderr), `${args.join(" ")}: ${r.stderr}`);
      }
    }
  });

  test("--version prints the version", () => {
    const dir = makeTempRepo();
    assert.match(ok(dir, ["--version"]).stdout, /^\d+\.\d+\.\d+\S*\n$/);
    assert.match(ok(dir, ["--version", "--json"]).json.version, /^\d+\.\d+\.\d+/);
  });
});

describe("help and usage", () => {
  test("--help for every command shows usage, options and examples", () => {
    const dir = makeTempRepo();
    for (const words of COMMANDS) {
      const variants = [[...words, "--help"]];
      // The other spellings once per shape of command (one word, two words).
      if (words[0] === "seed" || words[1] === "show") {
        variants.push(["help", ...words], [...words, "-h"]);
      }
      for (const args of variants) {
        const r = ok(dir, args);
        assert.ok(r.stdout.startsWith(`baton ${words.join(" ")}`), r.stdout);
        const examples = r.stdout.split("Examples:\n")[1] ?? "";
        assert.ok(
          examples.split("\n").some((l) => l.trim().startsWith(`baton `)),
          `examples in help for ${args.join(" ")}`,
        );
        assert.equal(r.stderr, "");
      }
    }
    const main = ok(dir, ["--help"]).stdout;
    for (const words of COMMANDS) assert.ok(main.includes(words.join(" ")), words.join(" "));
    assert.match(main, /Exit codes:/);
    assert.equal(ok(dir, []).stdout, main, "no arguments prints the main help");
  });

  test("group help lists the subcommands with examples", () => {
    const dir = makeTempRepo();
    for (const group of ["topic", "ticket"]) {
      const r = ok(dir, [group, "--help"]);
      assert.match(r.stdout, new RegExp(`${group} list`));
      assert.match(r.stdout, new RegExp(`Examples:\\n {2}baton ${group} `));
    }
  });

  test("--help with --json is still one JSON document", () => {
    const dir = makeTempRepo();
    for (const args of [["seed", "--help"], ["--help"], ["ticket", "--help"], ["help", "plan"]]) {
      const r = ok(dir, [...args, "--json"]);
      assert.equal(typeof r.json?.help, "string", `${args.join(" ")}: ${r.stdout.slice(0, 80)}`);
      assert.match(r.json.help, /baton/);
    }
  });

  test("unknown commands, subcommands and flags are USAGE errors with exit 2", () => {
    const dir = makeWorkspace();
    const before = snapshotTree(dir);
    const typo = fails(dir, ["sede", "x"], "USAGE", 2);
    assert.match(typo.hint, /baton seed/);
    fails(dir, ["frobnicate"], "USAGE", 2);
    fails(dir, ["topic"], "USAGE", 2);
    fails(dir, ["ticket", "frob"], "USAGE", 2);
    fails(dir, ["help", "frob"], "USAGE", 2);
    fails(dir, ["--frob"], "USAGE", 2);
    fails(dir, ["--frob", "status"], "USAGE", 2);
    for (const words of COMMANDS) {
      fails(dir, [...words, "--no-such-flag"], "USAGE", 2);
    }
    fails(dir, ["seed", "x", "--body"], "USAGE", 2);
    fails(dir, ["seed", "x", "--body", "a", "--file", "b"], "USAGE", 2);
    fails(dir, ["seed", "x", "--file", "missing.md"], "FILE_NOT_FOUND", 3);
    fails(dir, ["seed", "x", "--file", ".baton"], "INVALID_INPUT", 2);
    fails(dir, ["ticket", "list", "--plan", "../x"], "INVALID_ID", 2);
    fails(dir, ["status", "extra"], "USAGE", 2);
    assertTreeEqual(dir, before, "usage errors");
  });

  test("--body text that starts with a dash and --file - from stdin are taken as text", () => {
    const dir = makeWorkspace();
    ok(dir, ["plan", "Dash", "--body", "- [ ] first"]);
    assert.ok(read(knowledge(dir, "topics", "plan-dash", "plan.md")).includes("- [ ] first"));
    const r = baton(dir, ["spike", "Piped", "--file", "-"], {}, "from stdin\n");
    assert.equal(r.code, 0, r.stderr);
    assert.ok(read(knowledge(dir, "topics", "spike-piped", "spike.md")).includes("from stdin"));
    fs.writeFileSync(path.join(dir, "notes.md"), "from a file\n");
    ok(dir, ["seed", "Filed", "--file", "notes.md", "--no-session"]);
    assert.ok(read(knowledge(dir, "topics", "seed-filed", "seed.md")).includes("from a file"));
  });
});

describe("corrupt files are reported, never replaced", () => {
  const cases: [string, (w: Busy) => string][] = [
    ["index.json", (w) => knowledge(w.dir, "index.json")],
    [".active-planning.json", (w) => knowledge(w.dir, ".active-planning.json")],
    ["a completed snapshot", (w) => knowledge(w.dir, "sessions", `${w.completed}.json`)],
    ["an archived snapshot", (w) => knowledge(w.dir, "sessions", `${w.archived}.json`)],
  ];

  for (const [name, fileOf] of cases) {
    test(`${name}: invalid JSON is CORRUPT_FILE naming the file; bytes kept`, () => {
      const w = busyWorkspace();
      const file = fileOf(w);
      fs.writeFileSync(file, '{"schema_version": 1, "topics": {\n  broken');
      const shown = path.relative(w.dir, file);
      const seen: string[] = [];
      for (const args of [
        ...writeCommands(w),
        ["status"],
        ["seed", "--sessions"],
        ["topic", "list"],
      ]) {
        const before = snapshotTree(w.dir);
        const r = baton(w.dir, [...args, "--json"]);
        if (r.code === 0) continue;
        assertTreeEqual(w.dir, before, `${args.join(" ")} with corrupt ${name}`);
        assert.equal(r.json?.error?.code, "CORRUPT_FILE", `${args.join(" ")}: ${r.stdout}`);
        assert.equal(r.code, 5);
        assert.ok(r.json.error.message.includes(shown), r.json.error.message);
        assert.ok(!r.json.error.message.includes("\n"), "one-line message");
        seen.push(args[0] as string);
      }
      assert.ok(seen.length > 0, "at least one command reads the file");
    });
  }

  test("a malformed index entry is CORRUPT_FILE, not a crash", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Foo", "-q"]);
    const file = knowledge(dir, "index.json");
    const data = JSON.parse(read(file));
    data.topics["seed-bar"] = null;
    fs.writeFileSync(file, JSON.stringify(data, null, 2));
    for (const args of [
      ["topic", "list"],
      ["topic", "show", "seed-bar"],
      ["spike", "Zap"],
    ]) {
      failsTouchingNothing(dir, args, "CORRUPT_FILE", 5);
    }
  });

  test("an active session with a path-like id in it is CORRUPT_FILE, nothing touched", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Foo", "-q"]);
    const file = knowledge(dir, ".active-planning.json");
    const data = JSON.parse(read(file));
    for (const [field, value] of [
      ["session_id", "../../escape"],
      ["root_seed", "../seed-foo"],
      ["spikes", ["/etc/passwd"]],
    ] as const) {
      fs.writeFileSync(file, JSON.stringify({ ...data, [field]: value }, null, 2));
      for (const args of [["seed", "Other"], ["spike", "S"], ["status"]]) {
        failsTouchingNothing(dir, args, "CORRUPT_FILE", 5);
      }
    }
    assert.ok(!fs.existsSync(path.join(dir, "..", "escape.json")));
  });

  test("a ticket with broken frontmatter is CORRUPT_FILE naming it", () => {
    const w = busyWorkspace();
    const file = path.join(w.dir, ".baton", "tickets", `${w.ticket}.md`);
    for (const broken of [
      "---\ntitle: [unclosed\n---\nbody\n",
      "no frontmatter\n",
      "---\nstatus: todo\n---\n",
    ]) {
      fs.writeFileSync(file, broken);
      for (const args of [
        ["ticket", "show", w.ticket],
        ["ticket", "set-status", w.ticket, "done"],
        ["ticket", "list"],
        ["backlog", "plan-done-plan"],
      ]) {
        const before = snapshotTree(w.dir);
        const r = baton(w.dir, [...args, "--json"]);
        assert.equal(r.json?.error?.code, "CORRUPT_FILE", `${args.join(" ")}: ${r.stdout}`);
        assert.equal(r.code, 5);
        assert.ok(r.json.error.message.includes(`.baton/tickets/${w.ticket}.md`));
        assertTreeEqual(w.dir, before, args.join(" "));
      }
    }
  });

  test("a ticket whose plan field is path-like is CORRUPT_FILE, nothing touched", () => {
    const w = busyWorkspace();
    const file = path.join(w.dir, ".baton", "tickets", `${w.ticket}.md`);
    fs.writeFileSync(file, read(file).replace("plan: plan-done-plan", "plan: ../../../escape"));
    assert.ok(read(file).includes("plan: ../../../escape"));
    failsTouchingNothing(w.dir, ["ticket", "set-status", w.ticket, "done"], "CORRUPT_FILE", 5);
    failsTouchingNothing(w.dir, ["ticket", "show", w.ticket], "CORRUPT_FILE", 5);
  });

  test("a corrupt backlog.json stops set-status before the ticket changes", () => {
    const w = busyWorkspace();
    const map = knowledge(w.dir, "topics", "plan-done-plan", "backlog.json");
    fs.writeFileSync(map, "{ not json");
    failsTouchingNothing(w.dir, ["ticket", "set-status", w.ticket, "done"], "CORRUPT_FILE", 5);
    failsTouchingNothing(w.dir, ["backlog", "plan-done-plan"], "CORRUPT_FILE", 5);
    // A path-like ticket id in it is corruption too, reported with the file, never followed.
    fs.writeFileSync(
      map,
      JSON.stringify({
        schema_version: 1,
        plan: "plan-done-plan",
        tickets: [{ task: "t", ticket: "../../x" }],
      }),
    );
    const e = failsTouchingNothing(w.dir, ["backlog", "plan-done-plan"], "CORRUPT_FILE", 5);
    assert.match(e.message, /backlog\.json: "\.\.\/\.\.\/x" is not a ticket id/);
  });

  test("a corrupt snapshot of the active session is not overwritten when it is archived", () => {
    const dir = makeWorkspace();
    const a = ok(dir, ["seed", "A", "--json", "-q"]).json.session.session_id;
    ok(dir, ["seed", "B", "-q"]);
    ok(dir, ["seed", "--resume", a, "-q"]);
    fs.writeFileSync(knowledge(dir, "sessions", `${a}.json`), "garbage");
    failsTouchingNothing(dir, ["seed", "C"], "CORRUPT_FILE", 5);
    failsTouchingNothing(dir, ["seed", "--resume", "seed-b"], "CORRUPT_FILE", 5);
    ok(dir, ["plan", "P", "--body", "- [ ] x", "-q"]);
    failsTouchingNothing(dir, ["backlog"], "CORRUPT_FILE", 5);
  });
});

describe("files from a newer Baton (schema_version 99) are refused, never overwritten", () => {
  const bump = (text: string) => text.replace(/"schema_version": 1/, '"schema_version": 99');
  const cases: [string, (w: Busy) => string, (t: string) => string][] = [
    ["index.json", (w) => knowledge(w.dir, "index.json"), bump],
    [".active-planning.json", (w) => knowledge(w.dir, ".active-planning.json"), bump],
    ["a snapshot", (w) => knowledge(w.dir, "sessions", `${w.archived}.json`), bump],
    [
      "a ticket",
      (w) => path.join(w.dir, ".baton", "tickets", `${w.ticket}.md`),
      (t) => t.replace("schema_version: 1", "schema_version: 99"),
    ],
    ["backlog.json", (w) => knowledge(w.dir, "topics", "plan-done-plan", "backlog.json"), bump],
  ];
  for (const [name, fileOf, edit] of cases) {
    test(name, () => {
      const w = busyWorkspace();
      const file = fileOf(w);
      const edited = edit(read(file));
      assert.match(edited, /schema_version"?: 99/);
      fs.writeFileSync(file, edited);
      let refused = 0;
      for (const args of [
        ...writeCommands(w),
        ["backlog", "plan-done-plan"],
        ["seed", "--sessions"],
      ]) {
        const before = snapshotTree(w.dir);
        const r = baton(w.dir, [...args, "--json"]);
        if (r.code === 0) continue;
        assertTreeEqual(w.dir, before, `${args.join(" ")} with ${name} at v99`);
        assert.equal(r.json?.error?.code, "SCHEMA_TOO_NEW", `${args.join(" ")}: ${r.stdout}`);
        assert.equal(r.code, 5);
        assert.ok(r.json.error.message.includes(path.relative(w.dir, file)));
        refused++;
      }
      assert.ok(refused > 0);
      assert.equal(read(file), edited);
    });
  }
});

describe("path-like ids never reach the file system", () => {
  test("every id-taking command refuses them and changes nothing", () => {
    const w = busyWorkspace();
    const bad = ["../x", "/etc/passwd", "a\\b", "seed-x/../../y"];
    for (const id of bad) {
      failsTouchingNothing(w.dir, ["topic", "show", id], "INVALID_ID", 2);
      failsTouchingNothing(w.dir, ["ticket", "show", id], "INVALID_ID", 2);
      failsTouchingNothing(w.dir, ["ticket", "set-status", id, "done"], "INVALID_ID", 2);
      failsTouchingNothing(w.dir, ["backlog", id], "INVALID_ID", 2);
      failsTouchingNothing(w.dir, ["seed", "--sessions", id], "INVALID_ID", 2);
      failsTouchingNothing(w.dir, ["seed", "--resume", id], "INVALID_ID", 2);
    }
  });

  test("path-like titles are slugged into the topics folder", () => {
    const dir = makeWorkspace();
    const r = ok(dir, ["spike", "../../../etc/passwd", "--json"]);
    assert.equal(r.json.topic.id, "spike-etc-passwd");
    assert.ok(fs.existsSync(knowledge(dir, "topics", "spike-etc-passwd", "spike.md")));
    const r2 = ok(dir, ["seed", "/abs/../x", "--json", "--no-session"]);
    assert.equal(r2.json.topic.id, "seed-abs-x");
  });
});

describe("a failed write command leaves no half-made topic", () => {
  test("seed, spike and plan check the session file before creating anything", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Foo", "-q"]);
    const file = knowledge(dir, ".active-planning.json");
    fs.writeFileSync(file, read(file).replace('"schema_version": 1', '"schema_version": 99'));
    failsTouchingNothing(dir, ["seed", "Bar"], "SCHEMA_TOO_NEW", 5);
    failsTouchingNothing(dir, ["spike", "Bar"], "SCHEMA_TOO_NEW", 5);
    failsTouchingNothing(dir, ["plan", "Bar", "--body", "- [ ] x"], "SCHEMA_TOO_NEW", 5);
    // --no-session does not need the session file.
    ok(dir, ["seed", "Side", "--no-session"]);
  });
});

describe("event log", () => {
  test("every line is one JSON event whose type names the change", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Foo", "-q"]);
    ok(dir, ["spike", "Bar", "-q"]);
    const events = read(dir, ".baton", "events.jsonl")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const types = events.map((e) => e.type);
    assert.ok(types.includes("topic.created"), types.join());
    assert.ok(types.includes("session.started"), types.join());
    for (const e of events) {
      assert.equal(e.schema_version, 1);
      assert.match(e.type, /^[a-z]+\.[a-z_]+$/, JSON.stringify(e));
    }
  });
});
