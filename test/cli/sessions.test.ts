import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { batonAsync, knowledge, makeWorkspace, readJson, snapshotTree } from "../helpers.ts";
import {
  activePlanningSession,
  assertTreeEqual,
  fails,
  failsTouchingNothing,
  ok,
  read,
  SESSION_ID,
} from "./support.ts";

const SESSION_FIELDS = [
  "backlog",
  "completed_at",
  "created",
  "plan",
  "root_seed",
  "schema_version",
  "session_id",
  "spikes",
  "state",
  "updated",
];

function sessionFiles(dir: string): string[] {
  const d = knowledge(dir, "sessions");
  return fs.existsSync(d) ? fs.readdirSync(d).sort() : [];
}

function snapshot(dir: string, id: string): any {
  return readJson(knowledge(dir, "sessions", `${id}.json`));
}

/** The one notice a spike or plan made with no active session prints: linked to none, and how to fix it. */
function noSessionNotice(type: string, id: string): RegExp {
  return new RegExp(
    `^\\[baton\\] No planning session is active, so ${type} ${id} is linked to none: start one with baton seed "<title>", or resume one with baton seed --resume <seed-id> \\(see baton seed --sessions\\)\\n$`,
  );
}

function index(dir: string): Record<string, any> {
  return readJson(knowledge(dir, "index.json")).topics;
}

describe("baton seed", () => {
  test("creates the topic, indexes it and activates a session with every v1 field", () => {
    const dir = makeWorkspace();
    const before = Date.now();
    const r = ok(dir, ["seed", "OAuth Login", "--body", "Users sign in with GitHub", "--json"]);
    assert.equal(r.json.topic.id, "seed-oauth-login");
    assert.equal(r.json.topic.created, true);
    const seedDir = knowledge(dir, "topics", "seed-oauth-login");
    assert.match(read(seedDir, "seed.md"), /^# OAuth Login\n[\s\S]*Users sign in with GitHub/);
    assert.ok(fs.existsSync(path.join(seedDir, "sources.md")));

    const entry = index(dir)["seed-oauth-login"];
    assert.equal(entry.type, "seed");
    assert.equal(entry.title, "OAuth Login");
    assert.equal(entry.path, ".baton/knowledge/topics/seed-oauth-login/seed.md");

    const s = activePlanningSession(dir);
    assert.deepEqual(Object.keys(s).sort(), SESSION_FIELDS);
    assert.equal(s.schema_version, 1);
    assert.equal(s.state, "active");
    assert.equal(s.root_seed, "seed-oauth-login");
    assert.deepEqual(s.spikes, []);
    assert.equal(s.plan, null);
    assert.equal(s.backlog, null);
    assert.equal(s.completed_at, null);
    assert.match(s.session_id, SESSION_ID);
    assert.ok(s.session_id.startsWith("seed-oauth-login@"));
    assert.equal(entry.session_id, s.session_id);
    assert.equal(r.json.session.session_id, s.session_id);

    // The id's stamp is the UTC second the session started.
    const stamp = s.session_id.split("@")[1].slice(0, 20);
    const iso = `${stamp.slice(0, 10)}T${stamp.slice(11, 19).replaceAll("-", ":")}Z`;
    const started = Date.parse(iso);
    assert.ok(started >= Math.floor(before / 1000) * 1000 - 1000 && started <= Date.now(), iso);

    assert.match(
      r.stderr,
      /^\[baton\] Active planning session: seed-oauth-login@\S+ \(root: seed-oauth-login\)/,
    );
    assert.equal(r.stderr.trim().split("\n").length, 1, "one notice line");
  });

  test("--no-session makes only the seed: no activation, no archiving", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Lonely idea", "--no-session"]);
    assert.equal(activePlanningSession(dir), null);
    assert.deepEqual(sessionFiles(dir), []);
    assert.equal(index(dir)["seed-lonely-idea"].session_id, undefined);

    ok(dir, ["seed", "Main"]);
    const activeBytes = read(knowledge(dir, ".active-planning.json"));
    const r = ok(dir, ["seed", "Side idea", "--no-session"]);
    assert.equal(r.stderr, "", "no session notice");
    assert.equal(read(knowledge(dir, ".active-planning.json")), activeBytes, "active untouched");
    assert.deepEqual(sessionFiles(dir), [], "nothing archived");
    assert.ok(fs.existsSync(knowledge(dir, "topics", "seed-side-idea", "seed.md")));
  });

  test("a new seed archives the active session and switches to its own", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "First"]);
    ok(dir, ["spike", "Research"]);
    const first = activePlanningSession(dir);
    const r = ok(dir, ["seed", "Second", "--json"]);
    assert.equal(r.json.archived, first.session_id);
    assert.match(
      r.stderr,
      new RegExp(`archived ${first.session_id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
    );

    const archived = snapshot(dir, first.session_id);
    assert.equal(archived.state, "archived");
    assert.equal(archived.session_id, first.session_id);
    assert.deepEqual(archived.spikes, ["spike-research"]);
    assert.equal(archived.created, first.created);
    assert.deepEqual(Object.keys(archived).sort(), SESSION_FIELDS);

    const second = activePlanningSession(dir);
    assert.equal(second.root_seed, "seed-second");
    assert.notEqual(second.session_id, first.session_id);
    assert.deepEqual(second.spikes, []);
  });

  test("several sessions per seed get distinct ids, even within one second", () => {
    const dir = makeWorkspace();
    const ids: string[] = [];
    for (const title of ["Alpha", "Beta", "Alpha", "Beta", "Alpha"]) {
      ids.push(ok(dir, ["seed", title, "--json", "-q"]).json.session.session_id);
    }
    assert.equal(new Set(ids).size, 5, ids.join(" "));
    for (const id of ids) assert.match(id, SESSION_ID);
    assert.deepEqual(
      sessionFiles(dir),
      ids
        .slice(0, 4)
        .map((id) => `${id}.json`)
        .sort(),
    );
    for (const id of ids.slice(0, 4)) assert.equal(snapshot(dir, id).state, "archived");
    // Same seed and same second means a numeric suffix, never a reused id.
    const alpha = ids.filter((id) => id.startsWith("seed-alpha@"));
    assert.equal(alpha.length, 3);
    const stamps = alpha.map((id) => id.split("@")[1]?.slice(0, 20));
    if (new Set(stamps).size < stamps.length) assert.ok(alpha.some((id) => /Z-\d+$/.test(id)));
  });

  test("the same seed twice in a row keeps its session and changes no byte", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Same"]);
    const before = snapshotTree(dir);
    const r = ok(dir, ["seed", "Same", "--json"]);
    assert.equal(r.json.already_active, true);
    assert.equal(r.json.topic.created, false);
    assertTreeEqual(dir, before, "second identical seed");
  });

  test("an existing seed started again while another is active gets a new session", () => {
    const dir = makeWorkspace();
    const a1 = ok(dir, ["seed", "A", "--json"]).json.session.session_id;
    ok(dir, ["seed", "B"]);
    fs.appendFileSync(knowledge(dir, "topics", "seed-a", "seed.md"), "\nmy notes\n");
    const a2 = ok(dir, ["seed", "A", "--json"]).json.session.session_id;
    assert.notEqual(a1, a2);
    assert.ok(read(knowledge(dir, "topics", "seed-a", "seed.md")).endsWith("\nmy notes\n"));
    assert.equal(Object.keys(index(dir)).filter((k) => k === "seed-a").length, 1);
  });
});

describe("baton seed --active / --sessions / --resume", () => {
  test("--active prints none, then the active session", () => {
    const dir = makeWorkspace();
    assert.equal(ok(dir, ["seed", "--active"]).stdout.trim(), "none");
    assert.equal(ok(dir, ["seed", "--active", "--json"]).json.session, null);
    const id = ok(dir, ["seed", "Thing", "--json"]).json.session.session_id;
    assert.ok(ok(dir, ["seed", "--active"]).stdout.startsWith(id));
    assert.equal(ok(dir, ["seed", "--active", "--json"]).json.session.session_id, id);
  });

  test("--sessions lists archived and completed sessions, optionally for one seed", () => {
    const dir = makeWorkspace();
    assert.deepEqual(ok(dir, ["seed", "--sessions", "--json"]).json.sessions, []);
    const a = ok(dir, ["seed", "A", "--json"]).json.session.session_id;
    ok(dir, ["plan", "Ship A", "--body", "- [ ] one"]);
    ok(dir, ["backlog"]);
    const b = ok(dir, ["seed", "B", "--json"]).json.session.session_id;
    const c = ok(dir, ["seed", "C", "--json"]).json.session.session_id;

    const all = ok(dir, ["seed", "--sessions", "--json"]).json.sessions;
    const states = Object.fromEntries(all.map((s: any) => [s.session_id, s.state]));
    assert.deepEqual(states, { [a]: "completed", [b]: "archived" });
    assert.equal(all.find((s: any) => s.session_id === a).tickets, 1);
    assert.ok(!(c in states), "the active session is not listed");

    const onlyB = ok(dir, ["seed", "--sessions", "seed-b", "--json"]).json.sessions;
    assert.deepEqual(
      onlyB.map((s: any) => s.session_id),
      [b],
    );
    const text = ok(dir, ["seed", "--sessions"]).stdout;
    assert.ok(text.includes(a) && text.includes(b) && !text.includes(c));

    fails(dir, ["seed", "--sessions", "../x"], "INVALID_ID", 2);
    fails(dir, ["seed", "--sessions", "spike-b"], "INVALID_ID", 2);
  });

  test("--resume <session-id> reactivates that same id and archives the one before", () => {
    const dir = makeWorkspace();
    const a = ok(dir, ["seed", "A", "--json"]).json.session.session_id;
    ok(dir, ["spike", "Research A"]);
    const b = ok(dir, ["seed", "B", "--json"]).json.session.session_id;
    const r = ok(dir, ["seed", "--resume", a, "--json"]);
    assert.equal(r.json.session.session_id, a);
    assert.equal(r.json.archived, b);
    const active = activePlanningSession(dir);
    assert.equal(active.session_id, a);
    assert.equal(active.state, "active");
    assert.deepEqual(active.spikes, ["spike-research-a"], "resumed with its spikes");
    assert.equal(snapshot(dir, b).state, "archived");
    assert.match(r.stderr, /resumed/);

    // A resumed session is active, not archived, in the listing.
    const listed = ok(dir, ["seed", "--sessions", "--json"]).json.sessions;
    assert.deepEqual(
      listed.map((s: any) => [s.session_id, s.state]),
      [[b, "archived"]],
    );

    // Resuming what is already active is a no-op.
    const before = snapshotTree(dir);
    assert.equal(ok(dir, ["seed", "--resume", a, "--json"]).json.already_active, true);
    assertTreeEqual(dir, before, "resume of the active session");
  });

  test("--resume <seed-id> picks that seed's latest archived session", () => {
    const dir = makeWorkspace();
    const a1 = ok(dir, ["seed", "A", "--json", "-q"]).json.session.session_id;
    ok(dir, ["seed", "B", "-q"]);
    const a2 = ok(dir, ["seed", "A", "--json", "-q"]).json.session.session_id;
    ok(dir, ["spike", "Only in a2", "-q"]);
    const c = ok(dir, ["seed", "C", "--json", "-q"]).json.session.session_id;
    assert.notEqual(a1, a2);
    const r = ok(dir, ["seed", "--resume", "seed-a", "--json"]);
    assert.equal(r.json.session.session_id, a2);
    assert.deepEqual(activePlanningSession(dir).spikes, ["spike-only-in-a2"]);
    assert.equal(snapshot(dir, c).state, "archived");
  });

  test("--resume refuses completed, unknown and malformed targets and changes nothing", () => {
    const dir = makeWorkspace();
    const a = ok(dir, ["seed", "A", "--json"]).json.session.session_id;
    ok(dir, ["plan", "P", "--body", "- [ ] task"]);
    ok(dir, ["backlog"]);
    ok(dir, ["seed", "B"]);
    failsTouchingNothing(dir, ["seed", "--resume", a], "STATE_CONFLICT", 4);
    failsTouchingNothing(dir, ["seed", "--resume", "seed-a"], "SESSION_NOT_FOUND", 3);
    failsTouchingNothing(dir, ["seed", "--resume", "seed-nope"], "SESSION_NOT_FOUND", 3);
    failsTouchingNothing(
      dir,
      ["seed", "--resume", "seed-a@2020-01-01T00-00-00Z"],
      "SESSION_NOT_FOUND",
      3,
    );
    for (const bad of ["../x", "/etc/passwd", `${a}/../../x`, "spike-a", "seed-a\\b"]) {
      failsTouchingNothing(dir, ["seed", "--resume", bad], "INVALID_ID", 2);
    }
  });

  test("mode flags do not combine and take no stray words", () => {
    const dir = makeWorkspace();
    fails(dir, ["seed", "--active", "--sessions"], "USAGE", 2);
    fails(dir, ["seed", "--active", "extra"], "USAGE", 2);
    fails(dir, ["seed", "--resume"], "USAGE", 2);
    fails(dir, ["seed", "--sessions", "seed-a", "seed-b"], "USAGE", 2);
    fails(dir, ["seed"], "USAGE", 2);
    fails(dir, ["seed", "two", "words"], "USAGE", 2);
    fails(dir, ["seed", "!!!"], "INVALID_INPUT", 2);
  });
});

describe("baton spike", () => {
  test("with a session: attached once, cross-linked, one notice line", () => {
    const dir = makeWorkspace();
    const sid = ok(dir, ["seed", "Foo", "--json"]).json.session.session_id;
    const r = ok(dir, ["spike", "Bar"]);
    assert.equal(
      r.stderr,
      `[baton] Active planning session: ${sid} (root: seed-foo) — auto-linked spike spike-bar\n`,
    );
    assert.deepEqual(activePlanningSession(dir).spikes, ["spike-bar"]);

    const seedSources = read(knowledge(dir, "topics", "seed-foo", "sources.md"));
    const section = seedSources.split("## Session Links")[1] ?? "";
    assert.ok(section.includes("spike-bar"), seedSources);
    assert.ok(section.includes("../spike-bar/spike.md"), "a relative link that resolves");
    const spikeSources = read(knowledge(dir, "topics", "spike-bar", "sources.md"));
    assert.ok(spikeSources.includes("seed-foo") && spikeSources.includes(sid), spikeSources);
    assert.ok(spikeSources.includes("../seed-foo/seed.md"));

    const idx = index(dir);
    assert.equal(idx["spike-bar"].type, "spike");
    assert.equal(idx["spike-bar"].root_seed, "seed-foo");
    assert.equal(idx["spike-bar"].session_id, sid);
    assert.deepEqual(idx["spike-bar"].relates, ["seed-foo"]);
    assert.ok(idx["seed-foo"].relates.includes("spike-bar"));

    // Twice: nothing duplicated, no byte changed.
    const before = snapshotTree(dir);
    const again = ok(dir, ["spike", "Bar"]);
    assertTreeEqual(dir, before, "second identical spike");
    assert.equal(again.stderr.trim().split("\n").length, 1);
    assert.ok(again.stderr.includes(sid) && again.stderr.includes("spike-bar"));
  });

  test("several spikes are all attached and listed once each", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Foo"]);
    for (const t of ["One", "Two", "One", "Three"]) ok(dir, ["spike", t, "-q"]);
    assert.deepEqual(activePlanningSession(dir).spikes, ["spike-one", "spike-two", "spike-three"]);
    const seedSources = read(knowledge(dir, "topics", "seed-foo", "sources.md"));
    for (const id of ["spike-one", "spike-two", "spike-three"]) {
      assert.equal(seedSources.split(`[${id}]`).length, 2, `${id} linked exactly once`);
    }
    assert.equal(seedSources.split("## Session Links").length, 2, "one section");
  });

  test("without a session it links nothing and says so in one notice", () => {
    const dir = makeWorkspace();
    const r = ok(dir, ["spike", "Standalone", "--body", "notes"]);
    assert.match(r.stderr, noSessionNotice("spike", "spike-standalone"));
    assert.equal(activePlanningSession(dir), null);
    assert.deepEqual(sessionFiles(dir), []);
    const sources = read(knowledge(dir, "topics", "spike-standalone", "sources.md"));
    assert.ok(!sources.includes("Session Links") && !sources.includes("seed-"), sources);
    const entry = index(dir)["spike-standalone"];
    assert.equal(entry.root_seed, undefined);
    assert.equal(entry.session_id, undefined);
    assert.equal(entry.relates, undefined);
  });

  test("after the session completed, a spike links to nothing", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Done soon"]);
    ok(dir, ["plan", "P", "--body", "- [ ] a"]);
    ok(dir, ["backlog"]);
    const seedSources = read(knowledge(dir, "topics", "seed-done-soon", "sources.md"));
    const r = ok(dir, ["spike", "Later"]);
    assert.match(r.stderr, noSessionNotice("spike", "spike-later"));
    assert.equal(read(knowledge(dir, "topics", "seed-done-soon", "sources.md")), seedSources);
    assert.equal(index(dir)["spike-later"].session_id, undefined);
  });

  test("concurrent seeds: one ends active, every other is archived, none is lost", async () => {
    const dir = makeWorkspace();
    const titles = ["C1", "C2", "C3", "C4"];
    const results = await Promise.all(titles.map((t) => batonAsync(dir, ["seed", t, "--json"])));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const ids = results.map((r) => r.json.session.session_id as string);
    assert.equal(new Set(ids).size, 4);
    const active = activePlanningSession(dir).session_id;
    assert.ok(ids.includes(active));
    assert.deepEqual(
      sessionFiles(dir),
      ids
        .filter((id) => id !== active)
        .map((id) => `${id}.json`)
        .sort(),
    );
    const idx = index(dir);
    for (const t of titles) assert.ok(idx[`seed-${t.toLowerCase()}`], t);
  });

  test("concurrent spikes on one session all land", async () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Busy"]);
    const titles = ["S1", "S2", "S3", "S4", "S5", "S6"];
    const results = await Promise.all(titles.map((t) => batonAsync(dir, ["spike", t, "-q"])));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const ids = titles.map((t) => `spike-${t.toLowerCase()}`);
    assert.deepEqual([...activePlanningSession(dir).spikes].sort(), ids);
    const idx = index(dir);
    for (const id of ids) assert.equal(idx[id].root_seed, "seed-busy");
    assert.deepEqual([...idx["seed-busy"].relates].sort(), ids);
    const seedSources = read(knowledge(dir, "topics", "seed-busy", "sources.md"));
    for (const id of ids) assert.ok(seedSources.includes(`[${id}]`), id);
  });
});

describe("baton plan", () => {
  test("names the root seed and every spike, cross-links seed and plan, notices", () => {
    const dir = makeWorkspace();
    const sid = ok(dir, ["seed", "Foo", "--json"]).json.session.session_id;
    ok(dir, ["spike", "S one"]);
    ok(dir, ["spike", "S two"]);
    const r = ok(dir, ["plan", "Roll out", "--body", "Intro.\n\n- [ ] A\n- [x] B"]);
    assert.equal(
      r.stderr,
      `[baton] Active planning session: ${sid} (root: seed-foo) — auto-linked plan plan-roll-out\n`,
    );
    assert.equal(activePlanningSession(dir).plan, "plan-roll-out");

    const plan = read(knowledge(dir, "topics", "plan-roll-out", "plan.md"));
    const inputs = (plan.split("## Inputs / Related Topics\n\n")[1] ?? "").split("\n\n")[0] ?? "";
    for (const id of ["seed-foo", "spike-s-one", "spike-s-two"]) {
      assert.ok(inputs.includes(id), `${id} in inputs:\n${plan}`);
    }
    assert.ok(plan.includes("- [ ] A\n- [x] B"), "the body is kept");

    const seedSources = read(knowledge(dir, "topics", "seed-foo", "sources.md"));
    assert.ok(seedSources.includes("[plan-roll-out](../plan-roll-out/plan.md)"));
    const planSources = read(knowledge(dir, "topics", "plan-roll-out", "sources.md"));
    assert.ok(planSources.includes("[seed-foo](../seed-foo/seed.md)") && planSources.includes(sid));

    const idx = index(dir);
    assert.equal(idx["plan-roll-out"].root_seed, "seed-foo");
    assert.equal(idx["plan-roll-out"].session_id, sid);
    for (const id of ["seed-foo", "spike-s-one", "spike-s-two"]) {
      assert.ok(idx["plan-roll-out"].relates.includes(id), id);
    }

    const before = snapshotTree(dir);
    ok(dir, ["plan", "Roll out"]);
    assertTreeEqual(dir, before, "second identical plan");
  });

  test("a spike added after the plan keeps the plan body intact", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Foo"]);
    ok(dir, ["plan", "P", "--body", "Why we do this.\n\n- [ ] A\n- [ ] B"]);
    ok(dir, ["spike", "Late research"]);
    ok(dir, ["plan", "P"]);
    const plan = read(knowledge(dir, "topics", "plan-p", "plan.md"));
    assert.ok(plan.includes("Why we do this.\n\n- [ ] A\n- [ ] B\n"), plan);
    assert.ok(plan.includes("spike-late-research"), plan);
    assert.equal(plan.split("## Inputs / Related Topics").length, 2, "one inputs section");
    const backlog = ok(dir, ["backlog", "--json"]);
    assert.deepEqual(
      backlog.json.tickets.map((t: any) => t.title),
      ["A", "B"],
    );
  });

  test("one current plan per session: a second plan replaces the first", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Foo"]);
    ok(dir, ["plan", "First", "--body", "- [ ] one"]);
    ok(dir, ["plan", "Second", "--body", "- [ ] two"]);
    assert.equal(activePlanningSession(dir).plan, "plan-second");
    const r = ok(dir, ["backlog", "--json"]);
    assert.equal(r.json.plan, "plan-second");
    assert.deepEqual(
      r.json.tickets.map((t: any) => t.title),
      ["two"],
    );
  });

  test("without a session: no inputs section, no links, one notice saying so", () => {
    const dir = makeWorkspace();
    const r = ok(dir, ["plan", "Solo", "--body", "- [ ] x"]);
    assert.match(r.stderr, noSessionNotice("plan", "plan-solo"));
    const plan = read(knowledge(dir, "topics", "plan-solo", "plan.md"));
    assert.equal(plan, "# Solo\n\n- [ ] x\n");
    assert.ok(!read(knowledge(dir, "topics", "plan-solo", "sources.md")).includes("Session"));
    assert.equal(activePlanningSession(dir), null);
  });
});

describe("a person's edits survive", () => {
  test("edits to seed.md, sources.md and plan.md outside Baton's sections", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Foo"]);
    ok(dir, ["spike", "One"]);
    ok(dir, ["plan", "P", "--body", "- [ ] A"]);
    const topics = knowledge(dir, "topics");
    const seedMd = path.join(topics, "seed-foo", "seed.md");
    const seedSrc = path.join(topics, "seed-foo", "sources.md");
    const planMd = path.join(topics, "plan-p", "plan.md");
    fs.writeFileSync(seedMd, "# Foo, rewritten by hand\n\nMy own framing.\n");
    fs.writeFileSync(
      seedSrc,
      `${read(seedSrc).replace("## Session Links\n", "My preface.\n\n## Session Links\n")}- a link I added myself\n\n## Reading list\n\n- a book\n`,
    );
    fs.appendFileSync(planMd, "\n## Risks\n\nSomething I worry about.\n\nClosing thought.\n");

    ok(dir, ["seed", "Foo"]);
    ok(dir, ["spike", "One"]);
    ok(dir, ["spike", "Two"]);
    ok(dir, ["plan", "P"]);

    assert.equal(read(seedMd), "# Foo, rewritten by hand\n\nMy own framing.\n");
    const src = read(seedSrc);
    for (const mine of [
      "My preface.",
      "- a link I added myself",
      "## Reading list\n\n- a book\n",
    ]) {
      assert.ok(src.includes(mine), `${mine} kept in:\n${src}`);
    }
    assert.ok(src.includes("[spike-two]"), "the new link was still added");
    const plan = read(planMd);
    assert.ok(plan.includes("## Risks\n\nSomething I worry about.\n\nClosing thought.\n"), plan);
    assert.ok(plan.includes("- [ ] A"));
    assert.ok(plan.includes("spike-two"));
  });
});

describe("baton backlog completes the session", () => {
  test("snapshot completed, pointer removed, session records the backlog", () => {
    const dir = makeWorkspace();
    const sid = ok(dir, ["seed", "Foo", "--json"]).json.session.session_id;
    ok(dir, ["spike", "Research"]);
    ok(dir, ["plan", "Ship", "--body", "- [ ] A\n- [x] B\n* [ ] C"]);
    const r = ok(dir, ["backlog", "--json"]);
    assert.equal(r.json.completed_session, sid);
    assert.match(r.stderr, /completed/);
    assert.equal(activePlanningSession(dir), null);

    const done = snapshot(dir, sid);
    assert.deepEqual(Object.keys(done).sort(), SESSION_FIELDS);
    assert.equal(done.state, "completed");
    assert.ok(!Number.isNaN(Date.parse(done.completed_at)));
    assert.equal(done.plan, "plan-ship");
    assert.deepEqual(done.spikes, ["spike-research"]);
    assert.equal(done.backlog.topic, "plan-ship");
    assert.equal(done.backlog.backlog_md, ".baton/knowledge/topics/plan-ship/backlog.md");
    assert.ok(fs.existsSync(path.join(dir, done.backlog.backlog_md)));
    assert.deepEqual(
      done.backlog.tickets,
      r.json.tickets.map((t: any) => t.id),
    );
    assert.equal(done.backlog.tickets.length, 3);
    assert.equal(ok(dir, ["seed", "--active"]).stdout.trim(), "none");
    assert.match(ok(dir, ["status"]).stdout, /none active/);
  });

  test("backlog with no session and no plan id is a state error that changes nothing", () => {
    const dir = makeWorkspace();
    failsTouchingNothing(dir, ["backlog"], "NO_ACTIVE_SESSION", 4);
    ok(dir, ["seed", "Foo"]);
    failsTouchingNothing(dir, ["backlog"], "STATE_CONFLICT", 4);
    ok(dir, ["plan", "Empty", "--body", "no tasks here"]);
    failsTouchingNothing(dir, ["backlog"], "NO_TASKS", 4);
    assert.equal(activePlanningSession(dir).state, "active");
  });
});

describe("baton status", () => {
  test("shows the active session and next steps, and writes nothing", () => {
    const dir = makeWorkspace();
    let before = snapshotTree(dir);
    const none = ok(dir, ["status", "--json"]);
    assertTreeEqual(dir, before, "status");
    assert.equal(none.json.session, null);
    assert.ok(none.json.next_steps.length > 0);
    ok(dir, ["seed", "Foo"]);
    ok(dir, ["plan", "P", "--body", "- [ ] a\n- [ ] b"]);
    before = snapshotTree(dir);
    const s = ok(dir, ["status", "--json"]);
    assertTreeEqual(dir, before, "status");
    assert.equal(s.json.session.root_seed, "seed-foo");
    assert.equal(s.json.plan_tasks, 2);
    assert.ok(s.json.next_steps.some((x: string) => x.includes("baton backlog")));
    const text = ok(dir, ["status"]).stdout;
    assert.ok(text.includes(s.json.session.session_id));
  });
});

describe("topic text: one H1, and never dropped", () => {
  test("spike --file whose text starts with an H1 keeps that H1 as the only one", () => {
    const dir = makeWorkspace();
    const notes = "# Token storage: findings\n\n## Options\n\n1. Keychain\n";
    fs.writeFileSync(path.join(dir, "notes.md"), notes);
    ok(dir, ["spike", "Token storage", "--file", "notes.md"]);
    const doc = read(knowledge(dir, "topics", "spike-token-storage", "spike.md"));
    assert.equal(doc, notes);
    assert.equal(doc.match(/^# /gm)?.length, 1);

    // A setext H1 is an H1 too; a text starting with a lower heading gets the title above it.
    fs.writeFileSync(path.join(dir, "setext.md"), "Rate limits\n===========\n\nBody\n");
    ok(dir, ["spike", "Rate limits", "--file", "setext.md"]);
    assert.equal(
      read(knowledge(dir, "topics", "spike-rate-limits", "spike.md")),
      "Rate limits\n===========\n\nBody\n",
    );
    ok(dir, ["plan", "Rollout", "--body", "## Tasks\n- [ ] a"]);
    assert.equal(
      read(knowledge(dir, "topics", "plan-rollout", "plan.md")),
      "# Rollout\n\n## Tasks\n- [ ] a\n",
    );
  });

  test("text for a slug that exists is refused, naming the slug and where to write, for seed, spike and plan", () => {
    const dir = makeWorkspace();
    ok(dir, ["spike", "Token storage", "--body", "first findings"]);
    ok(dir, ["seed", "OAuth login", "--body", "the idea"]);
    ok(dir, ["plan", "Rollout", "--body", "- [ ] a"]);
    for (const [type, title, id] of [
      ["spike", "token/storage", "spike-token-storage"],
      ["seed", "oauth: login", "seed-oauth-login"],
      ["plan", "ROLLOUT", "plan-rollout"],
    ] as const) {
      const error = failsTouchingNothing(dir, [type, title, "--body", "X"], "STATE_CONFLICT", 4);
      assert.match(error.message, new RegExp(`^${type} ${id} \\(".+"\\) already exists`));
      assert.match(error.message, /was not written/);
      assert.ok(error.hint.includes(`.baton/knowledge/topics/${id}/${type}.md`), error.hint);
    }
    // The same text again is a re-run, not a conflict; a title with no text reuses the topic
    // and says which one it is.
    const again = ok(dir, ["spike", "Token storage", "--body", "first findings", "--json"]);
    assert.equal(again.json.topic.created, false);
    const other = ok(dir, ["spike", "token/storage", "--json"]);
    assert.equal(other.json.topic.id, "spike-token-storage");
    assert.match(
      other.stderr,
      /"token\/storage" names the existing spike spike-token-storage \("Token storage"\); its text is kept as it is/,
    );
    assert.equal(
      read(knowledge(dir, "topics", "spike-token-storage", "spike.md")),
      "# Token storage\n\nfirst findings\n",
    );
  });
});
