import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import {
  baton,
  batonAsync,
  makeTempRepo,
  makeWorkspace,
  readJson,
  snapshotTree,
} from "../helpers.ts";
import { assertTreeEqual, failsTouchingNothing, ok, read } from "./support.ts";

const SECTIONS = [
  "Session Context",
  "Active Artifacts",
  "Gathered State",
  "Decisions Made",
  "Next Steps",
] as const;
type Section = (typeof SECTIONS)[number];
const ARCHIVE_NAME = /^PLANNING-\d{4}-\d{2}-\d{2}-\d{6}(-\d+)?\.md$/;
const ISO = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

function planning(dir: string): string {
  return read(dir, "PLANNING.md");
}

const slug = (title: string) => title.toLowerCase().replace(/[^a-z]+/g, "-");

/** The generated text of one section (between its markers), or null when it is missing. */
function section(doc: string, title: Section): string | null {
  const begin = `<!-- baton:begin ${slug(title)} -->\n`;
  const start = doc.indexOf(begin);
  const stop = doc.indexOf(`<!-- baton:end ${slug(title)} -->`, start);
  return start === -1 || stop === -1 ? null : doc.slice(start + begin.length, stop);
}

function sections(dir: string): Record<Section, string> {
  const doc = planning(dir);
  const out = {} as Record<Section, string>;
  for (const title of SECTIONS) {
    const text = section(doc, title);
    assert.ok(text !== null, `${title} is in PLANNING.md:\n${doc}`);
    out[title] = text;
  }
  return out;
}

/** Every byte outside the generated blocks, in order. */
function outside(doc: string): string[] {
  return doc.split(/<!-- baton:begin [a-z-]+ -->[\s\S]*?<!-- baton:end [a-z-]+ -->/);
}

function archiveDir(dir: string, folder = ".baton/archive"): string {
  return path.join(dir, ...folder.split("/"));
}

function archives(dir: string, folder = ".baton/archive"): string[] {
  const d = archiveDir(dir, folder);
  return fs.existsSync(d) ? fs.readdirSync(d).filter((n) => !n.startsWith(".")) : [];
}

function hashes(dir: string, folder = ".baton/archive"): Map<string, string> {
  return new Map(
    archives(dir, folder).map((name) => [
      name,
      createHash("sha256")
        .update(fs.readFileSync(path.join(archiveDir(dir, folder), name)))
        .digest("hex"),
    ]),
  );
}

/** Runs a command and returns which sections of PLANNING.md it changed. */
function changed(dir: string, args: string[]): Section[] {
  const before = sections(dir);
  ok(dir, args);
  const after = sections(dir);
  return SECTIONS.filter((t) => before[t] !== after[t]);
}

function ticketIds(r: { json: any }): string[] {
  return r.json.tickets.map((t: any) => t.id);
}

describe("PLANNING.md follows every state change", () => {
  test("init alone writes no journal; the first change writes every section", () => {
    const dir = makeWorkspace();
    assert.ok(!fs.existsSync(path.join(dir, "PLANNING.md")));
    ok(dir, ["seed", "OAuth login"]);
    const doc = planning(dir);
    assert.ok(doc.startsWith("# PLANNING\n"));
    let last = -1;
    for (const title of SECTIONS) {
      const at = doc.indexOf(`<!-- baton:begin ${slug(title)} -->\n## ${title}\n`);
      assert.ok(at > last, `${title} in order`);
      last = at;
    }
    const journal = readJson(path.join(dir, ".baton", "journal.json"));
    assert.equal(journal.schema_version, 1);
    assert.equal(
      journal.session,
      readJson(path.join(dir, ".baton", "knowledge", ".active-planning.json")).session_id,
    );
    assert.equal("last_command" in journal, false, "the command is PLANNING.md's, not state");
  });

  test("seed, spike, plan, journal note|decide|next|done, backlog and set-status update their sections", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "OAuth login", "--body", "GitHub sign-in"]);
    let s = sections(dir);
    const session = readJson(path.join(dir, ".baton", "knowledge", ".active-planning.json"));
    assert.match(
      s["Active Artifacts"],
      new RegExp(`- Planning session: ${session.session_id} \\(active\\)\n`),
    );
    assert.match(s["Active Artifacts"], /- Seed: seed-oauth-login\n- Spikes: none\n- Plan: none\n/);
    assert.match(
      s["Session Context"],
      /- Active command: `baton seed "OAuth login" --body "GitHub sign-in"`/,
    );
    assert.match(
      s["Session Context"],
      new RegExp(
        `- Started: ${ISO} \\(this journal\\); session ${session.session_id} started ${ISO}\n- Current task: none\n`,
      ),
    );
    assert.match(s["Gathered State"], /started the session of seed-oauth-login \(baton seed\)/);
    assert.match(s["Next Steps"], /Research open questions: baton spike/);

    assert.deepEqual(changed(dir, ["spike", "Token storage"]), [
      "Session Context",
      "Active Artifacts",
      "Gathered State",
      "Next Steps",
    ]);
    s = sections(dir);
    assert.match(s["Active Artifacts"], /- Spikes: spike-token-storage\n/);
    assert.match(s["Session Context"], /`baton spike "Token storage"`/);

    changed(dir, ["plan", "OAuth rollout", "--body", "- [ ] Add provider\n- [ ] Store tokens"]);
    s = sections(dir);
    assert.match(s["Active Artifacts"], /- Plan: plan-oauth-rollout \(2 tasks\)\n/);
    assert.match(s["Next Steps"], /Turn the plan's 2 tasks into tickets: baton backlog/);

    // Journal entries change their own section (and the active command, and recent changes).
    const entry = ["Session Context", "Gathered State"];
    assert.deepEqual(changed(dir, ["journal", "note", "Tokens expire after 1 h"]), entry);
    assert.match(
      sections(dir)["Gathered State"],
      new RegExp(`- ${ISO} — Tokens expire after 1 h\n`),
    );
    assert.deepEqual(changed(dir, ["journal", "decide", "Use arctic"]), [
      ...entry,
      "Decisions Made",
    ]);
    assert.match(
      sections(dir)["Decisions Made"],
      new RegExp(`^## Decisions Made\n\n- ${ISO} — Use arctic\n$`),
    );
    assert.deepEqual(changed(dir, ["journal", "next", "Write the sign-in test"]), [
      ...entry,
      "Next Steps",
    ]);
    assert.deepEqual(changed(dir, ["journal", "next", "Ask about scopes"]), [
      ...entry,
      "Next Steps",
    ]);
    assert.match(
      sections(dir)["Next Steps"],
      /- \[ \] 1\. Write the sign-in test\n- \[ \] 2\. Ask about scopes\n/,
    );
    assert.deepEqual(changed(dir, ["journal", "done", "2"]), [...entry, "Next Steps"]);
    assert.match(
      sections(dir)["Next Steps"],
      /- \[ \] 1\. Write the sign-in test\n- \[x\] 2\. Ask about scopes\n/,
    );

    // backlog completes the session: the journal is archived and starts afresh.
    const r = ok(dir, ["backlog", "--json"]);
    const [first, second] = ticketIds(r);
    assert.match(r.stderr, /Archived the journal to \.baton\/archive\/PLANNING-/);
    s = sections(dir);
    assert.match(s["Active Artifacts"], /- Planning session: none active\n/);
    const open = /- Tickets: 2 open: (\S+), (\S+)\n/.exec(s["Active Artifacts"]);
    assert.deepEqual(open?.slice(1).sort(), [first, second].sort(), s["Active Artifacts"]);
    assert.match(s["Decisions Made"], /No decisions recorded yet/);

    changed(dir, ["ticket", "set-status", first as string, "in_progress"]);
    s = sections(dir);
    assert.match(
      s["Session Context"],
      new RegExp(`- Current task: ${first} Add provider \\(in_progress\\)\n`),
    );
    assert.match(
      s["Session Context"],
      new RegExp(`\`baton ticket set-status ${first} in_progress\``),
    );
    assert.match(
      s["Gathered State"],
      new RegExp(`ticket ${first}: todo -> in_progress \\(baton ticket set-status\\)`),
    );
    changed(dir, ["ticket", "set-status", first as string, "done"]);
    s = sections(dir);
    assert.match(s["Session Context"], /- Current task: none\n/);
    assert.match(s["Active Artifacts"], new RegExp(`- Tickets: 1 open: ${second}\n`));
  });

  test("reading commands and no-op repeats change no byte", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Idea"]);
    ok(dir, ["journal", "next", "Step"]);
    const before = snapshotTree(dir);
    for (const args of [
      ["status"],
      ["resume"],
      ["resume", "--json"],
      ["journal"],
      ["journal", "show", "--json"],
      ["ticket", "list"],
      ["seed", "Idea"],
    ]) {
      ok(dir, args);
      assertTreeEqual(dir, before, `baton ${args.join(" ")}`);
    }
  });

  test("text written outside the markers survives many regenerations byte for byte", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Kept text"]);
    const file = path.join(dir, "PLANNING.md");
    const generated = planning(dir);
    const mine = generated
      .replace("# PLANNING\n", "<!-- my header -->\n# PLANNING\n\nWritten by a person. \t\n")
      .replace(
        "<!-- baton:begin decisions-made -->",
        "Between two sections:\r\n- [ ] my own checkbox\n\n<!-- baton:begin decisions-made -->",
      )
      .concat(
        "\n## My notes\n\n- Ask Sam about *scopes*\n- Use `baton journal`? ümlaut ✓\n\nno final newline",
      );
    fs.writeFileSync(file, mine);
    const kept = outside(mine);
    assert.equal(kept.length, SECTIONS.length + 1);
    const steps: string[][] = [
      ["spike", "Storage"],
      ["plan", "Rollout", "--body", "- [ ] One\n- [ ] Two"],
      ...Array.from({ length: 6 }, (_, i) => ["journal", "note", `finding ${i}`]),
      ["journal", "decide", "Go"],
      ["journal", "next", "Then this"],
      ["journal", "done", "1"],
      ["seed", "Side idea", "--no-session"],
      ["spike", "Another"],
    ];
    for (const args of steps) {
      ok(dir, args);
      assert.deepEqual(outside(planning(dir)), kept, `after baton ${args.join(" ")}`);
    }
    // Completion archives exactly what was there, person's text included, then starts afresh.
    const last = planning(dir);
    ok(dir, ["backlog"]);
    const [archive] = archives(dir);
    assert.equal(read(archiveDir(dir), archive as string), last);
    assert.ok(!planning(dir).includes("My notes"), "the fresh journal starts from scratch");
  });

  test("a PLANNING.md deleted by hand comes back on the next change", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Gone"]);
    ok(dir, ["journal", "decide", "Keep this"]);
    fs.rmSync(path.join(dir, "PLANNING.md"));
    ok(dir, ["journal", "note", "back"]);
    assert.match(sections(dir)["Decisions Made"], /Keep this/);
    // And when the session then ends with the file gone, its decisions are archived, not lost.
    fs.rmSync(path.join(dir, "PLANNING.md"));
    ok(dir, ["seed", "Next idea"]);
    const [archive] = archives(dir);
    assert.match(read(archiveDir(dir), archive as string), /— Keep this/);
    assert.doesNotMatch(sections(dir)["Decisions Made"], /Keep this/);
  });

  test("an entry over several lines is one line; marker text in it is harmless", () => {
    const dir = makeWorkspace();
    ok(dir, ["journal", "note", "line one\nline two\n<!-- baton:end gathered-state -->"]);
    ok(dir, ["journal", "note", "after"]);
    const doc = planning(dir);
    assert.equal(doc.split("<!-- baton:end gathered-state -->").length, 2);
    assert.match(
      sections(dir)["Gathered State"],
      new RegExp(`- ${ISO} — line one line two &lt;!-- baton:end gathered-state -->\n`),
    );
    assert.equal(
      readJson(path.join(dir, ".baton", "journal.json")).notes[0].text.includes("\n"),
      false,
    );
  });
});

describe("journal archives", () => {
  test("completing a session archives the journal; unfinished next steps carry over", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Done soon"]);
    ok(dir, ["plan", "Small", "--body", "- [ ] Only task"]);
    ok(dir, ["journal", "decide", "Ship it"]);
    ok(dir, ["journal", "next", "Finished step"]);
    ok(dir, ["journal", "next", "Open step"]);
    ok(dir, ["journal", "done", "1"]);
    const before = planning(dir);
    assert.deepEqual(archives(dir), []);
    ok(dir, ["backlog"]);
    const list = archives(dir);
    assert.equal(list.length, 1);
    assert.match(list[0] as string, ARCHIVE_NAME);
    assert.equal(read(archiveDir(dir), list[0] as string), before);
    const s = sections(dir);
    assert.match(s["Next Steps"], /- \[ \] 1\. Open step\n/);
    assert.doesNotMatch(s["Next Steps"], /Finished step/);
    assert.doesNotMatch(s["Decisions Made"], /Ship it/);
    const journal = readJson(path.join(dir, ".baton", "journal.json"));
    assert.deepEqual(
      journal.next.map((n: any) => [n.text, n.done_at]),
      [["Open step", null]],
    );
    // The carried-over step is numbered afresh and can be ticked.
    ok(dir, ["journal", "done", "1"]);
    assert.match(sections(dir)["Next Steps"], /- \[x\] 1\. Open step\n/);
    // Running backlog again completes nothing and archives nothing.
    ok(dir, ["backlog", "plan-small"]);
    assert.equal(archives(dir).length, 1);
  });

  test("a session that ended without its journal being told is archived on the next change", () => {
    // What a writer killed between completing the session and updating the journal leaves:
    // the session is over, journal.json still describes it. (A corrupt journal.json makes
    // that update fail the same way, deterministically.)
    const dir = makeWorkspace();
    ok(dir, ["seed", "Crashy"]);
    ok(dir, ["plan", "Crashy plan", "--body", "- [ ] One"]);
    ok(dir, ["journal", "decide", "Before the crash"]);
    const journalFile = path.join(dir, ".baton", "journal.json");
    const saved = read(journalFile);
    assert.match(readJson(journalFile).session, /^seed-crashy@/);
    fs.writeFileSync(journalFile, "{");
    const r = ok(dir, ["backlog"]);
    assert.match(r.stderr, /PLANNING\.md was not updated/);
    assert.deepEqual(archives(dir), []);
    fs.writeFileSync(journalFile, saved);
    // A refused journal command still changes nothing.
    failsTouchingNothing(dir, ["journal", "done", "7"], "INVALID_INPUT", 2);
    // The next change archives the journal of the ended session; a journal entry made by that
    // change goes to the fresh journal, not to the archived one.
    const r2 = ok(dir, ["journal", "note", "After"]);
    assert.match(r2.stderr, /Archived the journal to \.baton\/archive\/PLANNING-/);
    const [archive] = archives(dir);
    const archivedText = read(archiveDir(dir), archive as string);
    assert.match(archivedText, /— Before the crash/);
    assert.doesNotMatch(archivedText, /— After/);
    assert.doesNotMatch(sections(dir)["Decisions Made"], /Before the crash/);
    assert.match(sections(dir)["Gathered State"], /— After\n/);
    assert.equal(readJson(journalFile).session, null);
    ok(dir, ["journal", "note", "Again"]);
    assert.equal(archives(dir).length, 1, "archived once");

    // Any other change notices it too.
    const other = makeWorkspace();
    ok(other, ["seed", "Crashy"]);
    ok(other, ["journal", "decide", "Kept"]);
    const otherJournal = path.join(other, ".baton", "journal.json");
    const before = read(otherJournal);
    fs.writeFileSync(otherJournal, "[");
    ok(other, ["seed", "Replacement"]);
    fs.writeFileSync(otherJournal, before);
    ok(other, ["seed", "Aside", "--no-session"]);
    assert.equal(archives(other).length, 1);
    assert.match(read(archiveDir(other), archives(other)[0] as string), /— Kept/);
    assert.match(sections(other)["Active Artifacts"], /- Seed: seed-replacement\n/);
    assert.match(readJson(otherJournal).session, /^seed-replacement@/);
  });

  test("a new seed replacing the active session archives the journal; --no-session does not", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "First idea"]);
    ok(dir, ["journal", "decide", "First decision"]);
    ok(dir, ["seed", "Aside", "--no-session"]);
    assert.deepEqual(archives(dir), []);
    const before = planning(dir);
    const r = ok(dir, ["seed", "Second idea"]);
    assert.match(r.stderr, /Archived the journal/);
    const [archive] = archives(dir);
    assert.equal(read(archiveDir(dir), archive as string), before);
    assert.match(before, /First decision/);
    const s = sections(dir);
    assert.match(s["Active Artifacts"], /- Seed: seed-second-idea\n/);
    assert.doesNotMatch(s["Decisions Made"], /First decision/);
    // Resuming the first session replaces the second: archived again.
    ok(dir, ["seed", "--resume", "seed-first-idea"]);
    assert.equal(archives(dir).length, 2);
    assert.match(sections(dir)["Active Artifacts"], /- Seed: seed-first-idea\n/);
  });

  test("journal archive archives on demand, with unique names even within one second", () => {
    const dir = makeWorkspace();
    ok(dir, ["journal", "next", "Carry me"]);
    ok(dir, ["journal", "note", "left behind"]);
    const names: string[] = [];
    const texts: string[] = [];
    for (let i = 0; i < 4; i++) {
      texts.push(planning(dir));
      const r = ok(dir, ["journal", "archive", "--json"]);
      assert.match(r.json.archived, /^\.baton\/archive\/PLANNING-/);
      assert.equal(r.json.file, "PLANNING.md");
      names.push(path.basename(r.json.archived));
    }
    assert.equal(new Set(names).size, 4, names.join(" "));
    for (const name of names) assert.match(name, ARCHIVE_NAME);
    for (const [i, name] of names.entries()) assert.equal(read(archiveDir(dir), name), texts[i]);
    // Two archives in one second differ by their -n suffix.
    const seconds = names.map((n) => n.slice(0, "PLANNING-YYYY-MM-DD-HHMMSS".length));
    for (let i = 1; i < names.length; i++) {
      if (seconds[i] === seconds[i - 1]) assert.match(names[i] as string, /-\d+\.md$/);
    }
    assert.deepEqual(
      ok(dir, ["journal", "show", "--json"]).json.archives,
      names,
      "journal show lists the archives oldest first",
    );
    const s = sections(dir);
    assert.match(s["Next Steps"], /- \[ \] 1\. Carry me\n/);
    assert.doesNotMatch(s["Gathered State"], /— left behind/);
    assert.deepEqual(readJson(path.join(dir, ".baton", "journal.json")).notes, []);
  });

  test("journal archive with PLANNING.md deleted archives the journal rendered from its state", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Keep me"]);
    ok(dir, ["journal", "decide", "Important decision"]);
    fs.rmSync(path.join(dir, "PLANNING.md"));
    const r = ok(dir, ["journal", "archive", "--json"]).json;
    assert.match(r.archived, /^\.baton\/archive\/PLANNING-/);
    assert.match(read(dir, r.archived), /Important decision/);
    assert.deepEqual(readJson(path.join(dir, ".baton", "journal.json")).decisions, []);
  });

  test("an archive a killed writer already made is not made twice", () => {
    // What a writer killed right after linking the archive leaves: the archive, PLANNING.md as
    // it was, and journal.json still describing the ended session.
    const dir = makeWorkspace();
    ok(dir, ["seed", "Crashy"]);
    ok(dir, ["plan", "Crashy plan", "--body", "- [ ] One"]);
    ok(dir, ["journal", "decide", "Before the crash"]);
    const journalFile = path.join(dir, ".baton", "journal.json");
    const saved = read(journalFile);
    const text = planning(dir);
    fs.writeFileSync(journalFile, "{");
    ok(dir, ["backlog"]);
    fs.writeFileSync(journalFile, saved);
    fs.writeFileSync(path.join(dir, "PLANNING.md"), text);
    fs.mkdirSync(archiveDir(dir), { recursive: true });
    fs.writeFileSync(path.join(archiveDir(dir), "PLANNING-2026-01-01-000000.md"), text);
    ok(dir, ["journal", "note", "After"]);
    assert.deepEqual(archives(dir), ["PLANNING-2026-01-01-000000.md"]);
    assert.doesNotMatch(sections(dir)["Decisions Made"], /Before the crash/);
    assert.match(sections(dir)["Gathered State"], /— After\n/);
  });

  test("parallel processes: every journal entry lands once, every archive gets its own name", async () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Busy"]);
    const texts = Array.from({ length: 12 }, (_, i) => `parallel decision ${i}`);
    const runs = await Promise.all(texts.map((t) => batonAsync(dir, ["journal", "decide", t])));
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const decided = readJson(path.join(dir, ".baton", "journal.json")).decisions.map(
      (d: any) => d.text,
    );
    assert.deepEqual([...decided].sort(), [...texts].sort());
    const made = sections(dir)["Decisions Made"].split("\n");
    for (const t of texts) {
      assert.equal(made.filter((line) => line.endsWith(`— ${t}`)).length, 1, `${t} once`);
    }

    const archived = await Promise.all(
      Array.from({ length: 6 }, () => batonAsync(dir, ["journal", "archive", "--json"])),
    );
    for (const r of archived) assert.equal(r.code, 0, r.stderr);
    const names = archived.map((r) => r.json.archived).filter((n) => n !== null);
    assert.equal(new Set(names).size, names.length, names.join(" "));
    assert.deepEqual(archives(dir).sort(), names.map((n: string) => path.basename(n)).sort());
    const all = archives(dir)
      .map((n) => read(archiveDir(dir), n))
      .join("\n");
    for (const t of texts) assert.ok(all.includes(t), `${t} is archived`);
  });

  test("archives are never changed by later commands", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "A"]);
    ok(dir, ["journal", "decide", "a1"]);
    ok(dir, ["seed", "B"]);
    ok(dir, ["plan", "B plan", "--body", "- [ ] b1\n- [ ] b2"]);
    ok(dir, ["journal", "archive"]);
    const r = ok(dir, ["backlog", "plan-b-plan", "--json"]);
    // Replaced by seed B, archived on demand, completed by backlog.
    const first = hashes(dir);
    assert.equal(first.size, 3, [...first.keys()].join(" "));
    for (const args of [
      ["seed", "C"],
      ["journal", "note", "c"],
      ["journal", "archive"],
      ["journal", "archive"],
      ["ticket", "set-status", ticketIds(r)[0] as string, "done"],
      ["seed", "--resume", "seed-a"],
      ["backlog", "plan-b-plan"],
      ["init"],
    ]) {
      ok(dir, args);
      const now = hashes(dir);
      for (const [name, hash] of first) {
        assert.equal(now.get(name), hash, `${name} unchanged by baton ${args.join(" ")}`);
      }
    }
    assert.equal(hashes(dir).size, 6, "two on demand, one when seed-a replaced C");
  });

  test("journal.archiveDir .plans/archive works, set by init or by editing config.yaml", () => {
    const byInit = makeWorkspace(["--archive-dir", ".plans/archive"]);
    const byEdit = makeWorkspace();
    const config = path.join(byEdit, ".baton", "config.yaml");
    const text = read(config);
    assert.match(text, /archiveDir: \.baton\/archive/);
    fs.writeFileSync(
      config,
      text.replace("archiveDir: .baton/archive", "archiveDir: .plans/archive"),
    );
    for (const dir of [byInit, byEdit]) {
      ok(dir, ["seed", "One"]);
      ok(dir, ["seed", "Two"]);
      const r = ok(dir, ["journal", "archive", "--json"]);
      assert.match(r.json.archived, /^\.plans\/archive\/PLANNING-/);
      assert.equal(archives(dir, ".plans/archive").length, 2);
      assert.deepEqual(archives(dir), [], "nothing in the default folder");
      assert.deepEqual(ok(dir, ["journal", "show", "--json"]).json.archives.length, 2);
    }
  });
});

describe("baton journal commands", () => {
  test("journal and journal show print PLANNING.md; --json carries the state", () => {
    const dir = makeWorkspace();
    // Before any change there is no file; show renders what it would hold and writes nothing.
    const before = snapshotTree(dir);
    const empty = ok(dir, ["journal"]);
    assert.match(empty.stdout, /^# PLANNING\n/);
    // (A per-machine, git-ignored ticket cache may appear; nothing else.)
    fs.rmSync(path.join(dir, ".baton", "cache", "tickets.jsonl"), { force: true });
    assertTreeEqual(dir, before, "journal show on a new workspace");
    ok(dir, ["journal", "decide", "Use arctic"]);
    ok(dir, ["journal", "next", "Write it"]);
    assert.equal(ok(dir, ["journal"]).stdout, planning(dir).trimEnd().concat("\n"));
    assert.equal(ok(dir, ["journal", "show"]).stdout, ok(dir, ["journal"]).stdout);
    const j = ok(dir, ["journal", "show", "--json"]).json;
    assert.deepEqual(Object.keys(j).sort(), ["archives", "file", "state", "text"]);
    assert.equal(j.file, "PLANNING.md");
    assert.equal(j.text, planning(dir));
    assert.deepEqual(j.archives, []);
    assert.equal(j.state.decisions[0].text, "Use arctic");
    assert.match(j.state.decisions[0].at, new RegExp(`^${ISO}$`));
    assert.deepEqual(j.state.next[0], { text: "Write it", at: j.state.next[0].at, done_at: null });
  });

  test("note, decide, next and done answer in words and as JSON", () => {
    const dir = makeWorkspace();
    assert.equal(ok(dir, ["journal", "note", "n"]).stdout, "Note 1 added to PLANNING.md\n");
    assert.equal(
      ok(dir, ["journal", "decide", "d"]).stdout,
      "Decision 1 recorded in PLANNING.md\n",
    );
    assert.equal(ok(dir, ["journal", "next", "x"]).stdout, "Next step 1 added to PLANNING.md\n");
    assert.equal(ok(dir, ["journal", "next", "y", "z"]).json, undefined);
    assert.equal(readJson(path.join(dir, ".baton", "journal.json")).next[1].text, "y z");
    assert.equal(ok(dir, ["journal", "done", "2"]).stdout, "1 of 2 next steps done\n");
    const before = snapshotTree(dir);
    const again = ok(dir, ["journal", "done", "2", "--json"]).json;
    assert.equal(again.next[1].done_at !== null, true, "ticking twice is harmless");
    assertTreeEqual(dir, before, "ticking a step already done records nothing");
  });

  test("bad input is refused with a code and changes nothing", () => {
    const dir = makeWorkspace();
    ok(dir, ["journal", "next", "Only step"]);
    for (const args of [
      ["journal", "note"],
      ["journal", "decide", "   "],
      ["journal", "next", ""],
      ["journal", "done"],
      ["journal", "done", "one"],
      ["journal", "done", "1.5"],
      ["journal", "done", "1", "2"],
      ["journal", "show", "extra"],
      ["journal", "archive", "now"],
      ["journal", "frob"],
    ]) {
      failsTouchingNothing(dir, args, "USAGE", 2);
    }
    failsTouchingNothing(dir, ["journal", "done", "0"], "INVALID_INPUT", 2);
    const error = failsTouchingNothing(dir, ["journal", "done", "2"], "INVALID_INPUT", 2);
    assert.match(error.hint, /pick 1 to 1/);
    // Without a workspace.
    failsTouchingNothing(makeTempRepo(), ["journal", "note", "x"], "NO_WORKSPACE", 3);
  });

  test("a corrupt journal.json is reported, never overwritten", () => {
    const dir = makeWorkspace();
    ok(dir, ["journal", "note", "x"]);
    fs.writeFileSync(path.join(dir, ".baton", "journal.json"), "{ not json");
    failsTouchingNothing(dir, ["journal", "note", "y"], "CORRUPT_FILE", 5);
    // resume is the recovery tool: it still answers, and says what it could not read.
    const before = snapshotTree(dir);
    const brief = ok(dir, ["resume"]).stdout;
    assert.match(brief, /- Warning: \.baton\/journal\.json is not valid JSON/);
    assert.match(brief, /- No planning session is active\./);
    assertTreeEqual(dir, before, "baton resume");
    // Other commands still work; the journal is left alone and the problem is a notice.
    const r = baton(dir, ["seed", "Still works"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /PLANNING\.md was not updated/);
    assert.equal(read(dir, ".baton", "journal.json"), "{ not json");
  });
});
