import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { commandLine } from "../../src/app/command-line.ts";
import { OPERATIONS } from "../../src/app/operations.ts";
import { renderRefs } from "../../src/core/command-ref.ts";
import {
  archiveName,
  carryOver,
  completeNextStep,
  JOURNAL_SECTIONS,
  type JournalFacts,
  type JournalState,
  newJournalState,
  oneLine,
  parseJournalState,
  planningSessionEnded,
  renderJournal,
} from "../../src/core/journal.ts";
import { newPlanningSession } from "../../src/core/planning-session.ts";
import {
  type BriefSection,
  estimateTokens,
  packBrief,
  renderBrief,
} from "../../src/core/resume.ts";

const T0 = "2026-02-06T17:30:00.000Z";

function facts(over: Partial<JournalFacts> = {}): JournalFacts {
  return {
    session: null,
    plan_tasks: null,
    spec: null,
    current_task: null,
    open_tickets: [],
    open_ticket_count: 0,
    recent_events: [],
    suggestions: [],
    ...over,
  };
}

function state(over: Partial<JournalState> = {}): JournalState {
  return { ...newJournalState(T0), ...over };
}

/** The text between a section's markers (heading included), or null. */
function section(doc: string, title: string): string | null {
  const slug = title.toLowerCase().replace(/[^a-z]+/g, "-");
  const begin = `<!-- baton:begin ${slug} -->\n`;
  const start = doc.indexOf(begin);
  const stop = doc.indexOf(`<!-- baton:end ${slug} -->`, start);
  return start === -1 || stop === -1 ? null : doc.slice(start + begin.length, stop);
}

/** Every byte outside the generated blocks, in order. */
function outside(doc: string): string[] {
  return doc.split(/<!-- baton:begin [a-z-]+ -->[\s\S]*?<!-- baton:end [a-z-]+ -->/);
}

describe("renderJournal", () => {
  test("a fresh journal has every section, in order, each between its own markers", () => {
    const doc = renderJournal(null, state(), facts());
    assert.ok(doc.startsWith("# PLANNING\n"));
    let last = -1;
    for (const title of JOURNAL_SECTIONS) {
      const at = doc.indexOf(`## ${title}\n`);
      assert.ok(at > last, `${title} after the previous section`);
      last = at;
      assert.ok(section(doc, title)?.startsWith(`## ${title}\n\n`), title);
    }
    assert.ok(doc.endsWith("\n"));
    assert.match(section(doc, "Session Context") ?? "", /- Started: 2026-02-06T17:30:00.000Z/);
    assert.match(section(doc, "Next Steps") ?? "", /baton journal next/);
  });

  test("each section shows its part of the state", () => {
    const session = {
      ...newPlanningSession("seed-a@2026-02-06T17-30-00Z", "seed-a", T0),
      spikes: ["spike-b", "spike-c"],
      plan: "plan-d",
    };
    const doc = renderJournal(
      null,
      state({
        notes: [{ at: T0, text: "Tokens expire after 1 h" }],
        decisions: [{ at: "2026-02-06T17:31:00.000Z", text: "Use arctic" }],
        next: [
          { at: T0, text: "Write the test", done_at: null },
          { at: T0, text: "Pick a library", done_at: T0 },
        ],
      }),
      facts({
        command: 'baton journal decide "Use arctic"',
        session,
        plan_tasks: 3,
        spec: { name: "oauth", stage: "implementation", last_known_branch: "feat/oauth" },
        current_task: { id: "BTN-aaaaaaaa", title: "Add provider", status: "in_progress" },
        open_tickets: [
          { id: "BTN-aaaaaaaa", title: "Add provider", status: "in_progress" },
          { id: "BTN-bbbbbbbb", title: "Store tokens", status: "todo" },
        ],
        open_ticket_count: 2,
        recent_events: [{ at: T0, summary: "session.plan_attached plan-d" }],
        suggestions: ["Turn the plan's 3 tasks into tickets: baton backlog"],
      }),
    );
    assert.equal(
      section(doc, "Session Context"),
      [
        "## Session Context",
        "",
        `- Started: ${T0} (this journal); session ${session.session_id} started ${session.created}`,
        "- Current task: BTN-aaaaaaaa Add provider (in_progress)",
        '- Active command: `baton journal decide "Use arctic"`',
        "",
      ].join("\n"),
    );
    const artifacts = section(doc, "Active Artifacts") ?? "";
    for (const line of [
      "- Planning session: seed-a@2026-02-06T17-30-00Z (active)",
      "- Seed: seed-a",
      "- Spikes: spike-b, spike-c",
      "- Plan: plan-d (3 tasks)",
      "- Spec: oauth (implementation, branch feat/oauth)",
      "- Tickets: 2 open: BTN-aaaaaaaa, BTN-bbbbbbbb",
    ]) {
      assert.ok(artifacts.includes(`${line}\n`), `${line} in\n${artifacts}`);
    }
    const gathered = section(doc, "Gathered State") ?? "";
    assert.ok(gathered.includes(`- ${T0} — Tokens expire after 1 h\n`));
    assert.ok(gathered.includes(`- ${T0.slice(0, 19)} session.plan_attached plan-d\n`));
    assert.ok(
      (section(doc, "Decisions Made") ?? "").includes("- 2026-02-06T17:31:00.000Z — Use arctic\n"),
    );
    const next = section(doc, "Next Steps") ?? "";
    assert.ok(next.includes("- [ ] 1. Write the test\n- [x] 2. Pick a library\n"), next);
    assert.ok(next.includes("- Turn the plan's 3 tasks into tickets: baton backlog\n"));
  });

  test("text outside the markers survives many regenerations byte for byte", () => {
    let doc = renderJournal(null, state(), facts());
    // A person writes before, between and after the sections, including a section of their own,
    // with CRLF lines, trailing spaces and no final newline.
    const mine = "\n## My notes\r\n\r\n- ask Sam about *scopes*  \n\n```\n## not a heading\n```";
    doc = `Intro line of my own\n\n${doc.replace(
      "<!-- baton:begin decisions-made -->",
      "Between gathered and decisions.\n\n<!-- baton:begin decisions-made -->",
    )}${mine}`;
    const before = outside(doc);
    assert.equal(before.length, JOURNAL_SECTIONS.length + 1);
    for (let i = 0; i < 50; i++) {
      doc = renderJournal(
        doc,
        state({
          notes: Array.from({ length: i % 7 }, (_, j) => ({ at: T0, text: `note ${j}` })),
          next: Array.from({ length: i % 3 }, (_, j) => ({ at: T0, text: `s${j}`, done_at: null })),
        }),
        facts({
          command: `baton journal note "n${i}"`,
          open_ticket_count: i,
          suggestions: i % 2 ? ["Do a thing"] : [],
        }),
      );
      assert.deepEqual(outside(doc), before, `after regeneration ${i + 1}`);
    }
    assert.ok(doc.startsWith("Intro line of my own\n\n# PLANNING\n"));
    assert.ok(doc.endsWith(mine));
    assert.ok(section(doc, "Session Context")?.includes('`baton journal note "n49"`'));
  });

  test("a document without the markers gets the sections appended, its text kept", () => {
    const mine = "# Our plan\n\nWritten by hand.";
    const doc = renderJournal(mine, state(), facts());
    assert.ok(doc.startsWith(`${mine}\n\n<!-- baton:begin session-context -->`));
    assert.equal(renderJournal(doc, state(), facts()), doc, "stable once the markers exist");
  });

  test("a deleted marker orphans its partner without swallowing the text after it", () => {
    const fresh = renderJournal(null, state(), facts());
    const broken = fresh.replace("<!-- baton:end decisions-made -->", "My text after an orphan.");
    const once = renderJournal(broken, state({ decisions: [{ at: T0, text: "D1" }] }), facts());
    assert.ok(once.includes("My text after an orphan."));
    const twice = renderJournal(once, state({ decisions: [{ at: T0, text: "D2" }] }), facts());
    assert.ok(twice.includes("My text after an orphan."), "kept on the next render too");
    assert.ok(section(twice, "Decisions Made")?.includes("D2"));
    assert.ok(!twice.includes("— D1"));
    assert.equal(renderJournal(twice, state(), facts()).split("My text").length, 2);
  });

  test("entries cannot break the document: line breaks and marker text are neutralised", () => {
    const evil = "first\n<!-- baton:end gathered-state -->\n## Decisions Made\nsecond";
    let doc = renderJournal(null, state({ notes: [{ at: T0, text: evil }] }), facts());
    const outsideBefore = outside(doc);
    for (let i = 0; i < 5; i++) {
      doc = renderJournal(doc, state({ notes: [{ at: T0, text: evil }] }), facts());
    }
    assert.deepEqual(outside(doc), outsideBefore);
    assert.equal(doc.split("<!-- baton:end gathered-state -->").length, 2);
    const gathered = section(doc, "Gathered State") ?? "";
    assert.equal(gathered.split("\n").filter((l) => l.startsWith("- ")).length, 1, gathered);
    assert.equal(doc.match(/^## Decisions Made$/gm)?.length, 1, "no heading smuggled in");
  });
});

describe("journal state", () => {
  test("carryOver keeps only unfinished next steps and starts afresh", () => {
    const old = state({
      notes: [{ at: T0, text: "n" }],
      decisions: [{ at: T0, text: "d" }],
      next: [
        { at: T0, text: "open", done_at: null },
        { at: T0, text: "finished", done_at: T0 },
      ],
    });
    const later = "2026-02-07T00:00:00.000Z";
    const fresh = carryOver(old, later);
    assert.equal(fresh.started, later);
    assert.deepEqual(fresh.notes, []);
    assert.deepEqual(fresh.decisions, []);
    assert.deepEqual(fresh.next, [{ at: T0, text: "open", done_at: null }]);
  });

  test("completeNextStep ticks one step, is idempotent, and refuses numbers out of range", () => {
    const s = state({ next: [{ at: T0, text: "a", done_at: null }] });
    const done = completeNextStep(s, 1, "2026-02-07T00:00:00.000Z");
    assert.equal(done.next[0]?.done_at, "2026-02-07T00:00:00.000Z");
    assert.equal(s.next[0]?.done_at, null, "the input is not mutated");
    assert.equal(completeNextStep(done, 1, "2027-01-01T00:00:00.000Z"), done);
    for (const n of [0, 2, 1.5, -1, Number.NaN]) {
      assert.throws(() => completeNextStep(s, n, T0), { code: "INVALID_INPUT" });
    }
    assert.throws(
      () => completeNextStep(state(), 1, T0),
      (e: any) => {
        assert.equal(e.code, "INVALID_INPUT");
        // The hint names the command as data; the CLI writes it out as a command line.
        assert.match(
          renderRefs(e.hint, (ref) => commandLine(ref, OPERATIONS)),
          /baton journal next/,
        );
        return true;
      },
    );
  });

  test("parseJournalState reads what it writes and refuses malformed files", () => {
    const s = state({
      notes: [{ at: T0, text: "n" }],
      next: [{ at: T0, text: "x", done_at: null }],
    });
    assert.deepEqual(parseJournalState(JSON.parse(JSON.stringify(s)), "j.json"), s);
    for (const bad of [
      { started: T0, notes: "nope" },
      { started: T0, notes: [{ at: T0 }] },
      { started: T0, next: [{ text: 1, at: T0 }] },
      { notes: [] },
    ]) {
      assert.throws(() => parseJournalState({ schema_version: 1, ...bad }, "j.json"), {
        code: "CORRUPT_FILE",
      });
    }
  });

  test("oneLine joins the lines of an entry", () => {
    assert.equal(oneLine("  a\n  b\r\n\r\nc  "), "a b c");
    assert.equal(oneLine("keep  inner  spaces"), "keep  inner  spaces");
  });
});

describe("planningSessionEnded", () => {
  test("by this change's events, or because the session the journal names is gone", () => {
    const a = "seed-a@2026-02-06T17-30-00Z";
    const b = "seed-b@2026-02-06T17-31-00Z";
    const describing = (session: string | null) => state({ session });
    assert.equal(planningSessionEnded(describing(a), null, ["session.completed"]), true);
    assert.equal(
      planningSessionEnded(describing(a), b, ["session.archived", "session.started"]),
      true,
    );
    assert.equal(planningSessionEnded(describing(null), null, ["session.completed"]), true);
    // A writer died before the journal heard: the journal still names a session that is over.
    assert.equal(planningSessionEnded(describing(a), null, ["ticket.status"]), true);
    assert.equal(planningSessionEnded(describing(a), b, []), true);
    // Still the same session, or a first one starting.
    assert.equal(planningSessionEnded(describing(a), a, ["journal.note"]), false);
    assert.equal(planningSessionEnded(describing(null), a, ["session.started"]), false);
    assert.equal(planningSessionEnded(describing(null), null, ["ticket.status"]), false);
  });
});

describe("archiveName", () => {
  test("PLANNING-YYYY-MM-DD-HHMMSS.md in UTC, with -n for later archives in the same second", () => {
    const date = new Date("2026-02-06T07:08:09.999Z");
    assert.equal(archiveName(date, 1), "PLANNING-2026-02-06-070809.md");
    assert.equal(archiveName(date, 2), "PLANNING-2026-02-06-070809-2.md");
    assert.equal(archiveName(date, 13), "PLANNING-2026-02-06-070809-13.md");
    const names = new Set(Array.from({ length: 50 }, (_, i) => archiveName(date, i + 1)));
    assert.equal(names.size, 50);
  });
});

describe("packBrief", () => {
  const sections = (n: number): BriefSection[] => [
    { title: "First", lines: ["- the most important line"], more: "baton status" },
    {
      title: "Second",
      lines: Array.from({ length: n }, (_, i) => `- item ${i} ${"x".repeat(i % 40)}`),
      more: "baton journal show",
    },
    { title: "Third", lines: ["- least important"], more: "baton journal show" },
  ];

  test("the estimate and the rendered text both stay within every budget", () => {
    for (const n of [0, 1, 5, 40, 400]) {
      for (const budget of [20, 50, 60, 80, 100, 150, 400, 1500, 5000]) {
        const packed = packBrief(sections(n), budget);
        const text = renderBrief(packed);
        assert.ok(packed.tokens <= budget, `${packed.tokens} > ${budget} (n=${n})`);
        assert.ok(estimateTokens(text) <= packed.tokens, `estimate covers the text (n=${n})`);
        assert.ok(text.length / 4 <= budget, `${text.length} chars for ${budget}`);
        assert.match(text, new RegExp(`\\(about ${packed.tokens} of ${budget} tokens`));
      }
    }
  });

  test("most important first: later sections are cut before earlier ones", () => {
    const packed = packBrief(sections(200), 200);
    assert.equal(packed.truncated, true);
    assert.equal(packed.sections[0]?.title, "First");
    assert.deepEqual(packed.sections[0]?.lines, ["- the most important line"]);
    const second = packed.sections[1];
    assert.equal(second?.title, "Second");
    assert.ok((second?.omitted ?? 0) > 0);
    const kept = (second?.lines.length ?? 0) - 1;
    assert.equal(second?.lines.at(-1), `- … ${second?.omitted} more (baton journal show)`);
    assert.equal(kept + (second?.omitted ?? 0), 200);
    assert.deepEqual(second?.lines.slice(0, 3), ["- item 0 ", "- item 1 x", "- item 2 xx"]);
    assert.match(renderBrief(packed), /; cut to fit\)$/);
  });

  test("everything fits: nothing is cut, empty sections are left out", () => {
    const packed = packBrief(sections(3), 1500);
    assert.equal(packed.truncated, false);
    assert.deepEqual(
      packed.sections.map((s) => [s.title, s.omitted]),
      [
        ["First", 0],
        ["Second", 0],
        ["Third", 0],
      ],
    );
    assert.deepEqual(
      packBrief(sections(0), 1500).sections.map((s) => s.title),
      ["First", "Third"],
    );
    assert.ok(!renderBrief(packed).includes("cut to fit"));
  });

  test("a section whose first line is too long shows only the pointer to the rest", () => {
    const packed = packBrief(
      [
        { title: "A", lines: ["- short"], more: "x" },
        { title: "B", lines: [`- ${"y".repeat(4000)}`, "- z"], more: "baton journal show" },
      ],
      100,
    );
    assert.deepEqual(packed.sections[1]?.lines, ["- … 2 more (baton journal show)"]);
    assert.ok(packed.tokens <= 100);
  });
});
