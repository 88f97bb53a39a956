import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { openContext } from "../../src/app/context.ts";
import { writeNotes } from "../../src/app/plan/notes.ts";
import { runPlanWorkflow } from "../../src/app/plan/run.ts";
import { finishPhase, startPhase } from "../../src/core/plan/phases.ts";
import { readWorkflow, writeWorkflow } from "../../src/store/plan-workflow.ts";
import { baton, knowledge, makeWorkspace, readJson } from "../helpers.ts";
import { fails, failsTouchingNothing, ok, read } from "./support.ts";

const PLAN = "plan-oauth-rollout";

function topic(dir: string, ...parts: string[]): string {
  return knowledge(dir, "topics", PLAN, ...parts);
}

const REQUIREMENTS = [
  "# Requirements",
  "",
  "Users sign in with GitHub. Tokens must survive restarts.",
  "",
  "1. Users can sign in with GitHub",
  "2. Tokens are stored encrypted",
  "",
  "Out of scope: SAML, LDAP",
  "",
].join("\n");

describe("baton plan: phase 1 (structure)", () => {
  test("a requirements file becomes GOAL / SCOPE / CONTEXT in planning-notes.md", () => {
    const dir = makeWorkspace();
    fs.writeFileSync(path.join(dir, "req.md"), REQUIREMENTS);
    const r = ok(dir, ["plan", "OAuth rollout", "--file", "req.md", "--json"]);
    assert.equal(r.json.topic.id, PLAN);
    assert.equal(r.json.structured, true);
    assert.deepEqual(r.json.structure, {
      goal: "Users sign in with GitHub.",
      scope: {
        in: ["Users can sign in with GitHub", "Tokens are stored encrypted"],
        out: ["SAML", "LDAP"],
      },
      context: "Tokens must survive restarts.",
      source: "requirements",
    });
    const notes = read(topic(dir, "planning-notes.md"));
    for (const heading of [
      "User Intent (Phase 1)",
      "Context Findings (Phase 2)",
      "Conflict Decisions (Phase 3)",
      "Consolidated Constraints (Phase 4 Input)",
      "Task Generation (Phase 4)",
      "N+1 Context",
    ])
      assert.ok(notes.includes(`\n## ${heading}\n`), heading);
    assert.match(notes, /\*\*Goal:\*\* Users sign in with GitHub\./);
    assert.match(notes, /- Tokens are stored encrypted/);
    const workflow = readJson(topic(dir, "workflow.json"));
    assert.equal(workflow.phases.structure.state, "completed");
    assert.equal(workflow.phases.context.state, "pending");
    assert.equal(workflow.phases.structure.steps.notes, "completed");
    assert.ok(read(topic(dir, "plan.md")).includes("1. Users can sign in with GitHub"));
  });

  test("the - [ ] checklist still becomes tickets, and a re-run changes no note", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Login"]);
    const r = ok(dir, [
      "plan",
      "OAuth rollout",
      "--body",
      "- [ ] Add provider\n- [ ] Store tokens",
      "--json",
    ]);
    assert.deepEqual(r.json.structure.scope.in, ["Add provider", "Store tokens"]);
    assert.ok(r.json.session);
    const notes = read(topic(dir, "planning-notes.md"));
    const again = ok(dir, ["plan", "OAuth rollout", "--json"]);
    assert.equal(again.json.structured, false);
    assert.equal(read(topic(dir, "planning-notes.md")), notes);
    const backlog = ok(dir, ["backlog", "--json"]);
    assert.equal(backlog.json.tickets.length, 2);
  });

  test("a plan made before the workflow is structured from its plan.md on the next run", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Login"]);
    ok(dir, ["plan", "OAuth rollout", "--body", "Ship it.\n\n- [ ] Add provider"]);
    fs.rmSync(topic(dir, "workflow.json"));
    fs.rmSync(topic(dir, "planning-notes.md"));
    const r = ok(dir, ["plan", "OAuth rollout", "--json"]);
    assert.equal(r.json.structured, true);
    assert.equal(r.json.structure.goal, "Ship it.");
    assert.deepEqual(r.json.structure.scope.in, ["Add provider"]);
    assert.ok(fs.existsSync(topic(dir, "planning-notes.md")));
  });

  test("a phase rewrites its own notes section and keeps the rest", () => {
    const dir = makeWorkspace();
    ok(dir, ["plan", "OAuth rollout", "--body", "Ship it."]);
    const file = topic(dir, "planning-notes.md");
    fs.appendFileSync(file, "\nmy own line\n");
    const before = read(file);
    const ws = openContext({ cwd: dir }).ws;
    assert.equal(writeNotes(ws, PLAN, { context: "- src/auth.ts" }), true);
    const after = read(file);
    assert.match(after, /<!-- baton:begin notes-context -->\n- src\/auth\.ts\n<!-- baton:end/);
    assert.ok(after.endsWith("\nmy own line\n"));
    assert.equal(after.split("notes-context")[0], before.split("notes-context")[0]);
    assert.throws(() => writeNotes(ws, PLAN, { Nope: "x" } as never), /no section/);
  });
});

describe("baton plan status", () => {
  test("each phase with its state and sub-steps, as a table and as JSON", () => {
    const dir = makeWorkspace();
    ok(dir, ["plan", "OAuth rollout", "--body", "Ship it."]);
    const text = ok(dir, ["plan", "status", PLAN]).stdout;
    assert.match(text, /^PHASE\s+STATE\s+STEPS\s+ERROR$/m);
    assert.match(text, /^structure\s+completed\s+goal:completed/m);
    assert.match(text, /^tasks\s+pending/m);
    const r = ok(dir, ["plan", "status", PLAN, "--json"]);
    assert.equal(r.json.current, "context");
    assert.deepEqual(
      r.json.phases.map((p: any) => [p.phase, p.state]),
      [
        ["structure", "completed"],
        ["context", "pending"],
        ["conflicts", "pending"],
        ["tasks", "pending"],
      ],
    );
    assert.deepEqual(Object.keys(r.json.phases[0]).sort(), [
      "error",
      "finished",
      "phase",
      "started",
      "state",
      "steps",
    ]);
  });

  test("plan tasks completes phase tasks; a plan without workflow.json is all pending", () => {
    const dir = makeWorkspace();
    ok(dir, ["plan", "OAuth rollout"]);
    fs.writeFileSync(path.join(dir, "t.md"), "- [ ] IMPL-1: Add provider\n  - acceptance: works\n");
    // Phases 2 and 3 never ran: phase 4 is refused unless the agent says it skips them.
    const refused = failsTouchingNothing(
      dir,
      ["plan", "tasks", PLAN, "--from", "t.md"],
      "STATE_CONFLICT",
      4,
    );
    assert.match(refused.message, /phase context and phase conflicts are pending/);
    assert.match(refused.hint, /--skip-context/);
    ok(dir, ["plan", "tasks", PLAN, "--from", "t.md", "--skip-context"]);
    let r = ok(dir, ["plan", "status", PLAN, "--json"]);
    assert.deepEqual(
      r.json.phases.map((p: any) => [p.phase, p.state, p.reason]),
      [
        ["structure", "completed", undefined],
        ["context", "skipped", "the tasks were written with --skip-context, without this phase"],
        ["conflicts", "skipped", "the tasks were written with --skip-context, without this phase"],
        ["tasks", "completed", undefined],
      ],
    );
    const notes = fs.readFileSync(topic(dir, "planning-notes.md"), "utf8");
    assert.match(
      notes,
      /## Context Findings \(Phase 2\)\n\n<!-- baton:begin notes-context -->\n- Skipped: the tasks were written with --skip-context/,
    );
    assert.match(
      notes,
      /## Conflict Decisions \(Phase 3\)\n\n<!-- baton:begin notes-conflicts -->\n- Skipped:/,
    );
    const events = fs.readFileSync(path.join(dir, ".baton", "events.jsonl"), "utf8");
    assert.match(events, /"plan\.phases_skipped"/);
    fs.rmSync(topic(dir, "workflow.json"));
    r = ok(dir, ["plan", "status", PLAN, "--json"]);
    assert.ok(r.json.phases.every((p: any) => p.state === "pending"));
    assert.equal(r.json.current, "structure");
  });

  test("errors: no id, an unknown plan", () => {
    const dir = makeWorkspace();
    fails(dir, ["plan", "status"], "USAGE", 2);
    fails(dir, ["plan", "status", "plan-nope"], "TOPIC_NOT_FOUND", 3);
  });
});

describe("baton plan run", () => {
  test("runs the phases in order and stops before the tasks, naming the next command", () => {
    const dir = makeWorkspace();
    const r = ok(dir, [
      "plan",
      "run",
      "OAuth rollout",
      "--yes",
      "--body",
      "Ship it.\n\n- a",
      "--json",
    ]);
    assert.deepEqual(Object.keys(r.json).sort(), [
      "need",
      "next_command",
      "next_steps",
      "phases",
      "plan",
      "ran",
      "stopped_at",
    ]);
    assert.deepEqual(r.json.next_steps, []);
    assert.equal(r.json.plan, PLAN);
    // A fresh repository has no conflict risk: phase 3 is skipped, and the tasks are next.
    assert.equal(r.json.stopped_at, "tasks");
    assert.equal(r.json.next_command, `baton plan tasks ${PLAN} --from <file>`);
    assert.match(r.json.need, /task list/);
    assert.equal(r.json.ran.structure.goal, "Ship it.");
    assert.deepEqual(
      r.json.phases.map((p: any) => p.state),
      ["completed", "completed", r.json.phases[2].state, "pending"],
    );
    assert.ok(["completed", "skipped"].includes(r.json.phases[2].state));
    // Again: nothing is redone; after the tasks, every phase is done.
    const again = ok(dir, ["plan", "run", "OAuth rollout"]);
    assert.match(again.stdout, /stopped at phase tasks/);
    assert.match(again.stdout, /^Next: baton plan tasks plan-oauth-rollout --from <file>$/m);
    fs.writeFileSync(path.join(dir, "t.md"), "- [ ] IMPL-1: Ship\n  - acceptance: shipped\n");
    ok(dir, ["plan", "tasks", PLAN, "--from", "t.md"]);
    const done = ok(dir, ["plan", "run", "OAuth rollout", "--json"]);
    assert.equal(done.json.stopped_at, null);
    assert.equal(done.json.next_command, `baton plan verify ${PLAN}`);
    // After phase 4: verify, execute the ready tasks, status, as the source design offers.
    assert.deepEqual(
      done.json.next_steps.map((s: any) => [s.step, s.command, s.ready]),
      [
        ["verify", `baton plan verify ${PLAN}`, undefined],
        ["execute", `baton plan next ${PLAN}`, ["IMPL-1"]],
        ["status", `baton plan status ${PLAN}`, undefined],
      ],
    );
    const text = ok(dir, ["plan", "run", "OAuth rollout"]).stdout;
    assert.match(text, /^ {2}verify +baton plan verify plan-oauth-rollout/m);
    assert.match(text, /^ {2}execute +baton plan next plan-oauth-rollout .*IMPL-1/m);
    assert.match(text, /^ {2}status +baton plan status plan-oauth-rollout/m);
  });

  test("with runners it continues through phases 2 and 3 and stops before the tasks", async () => {
    const dir = makeWorkspace();
    const ctx = openContext({ cwd: dir });
    const seen: string[] = [];
    const complete =
      (phase: "context" | "conflicts") => (c: typeof ctx, plan: string, o: { yes: boolean }) => {
        seen.push(`${phase}:${o.yes}`);
        const now = new Date().toISOString();
        writeWorkflow(
          c.ws,
          finishPhase(startPhase(readWorkflow(c.ws, plan), phase, now), phase, "completed", now),
        );
        return { ok: true };
      };
    const r = await runPlanWorkflow(
      ctx,
      { goal: "OAuth rollout", yes: true },
      {
        context: complete("context"),
        conflicts: complete("conflicts"),
      },
    );
    assert.deepEqual(seen, ["context:true", "conflicts:true"]);
    assert.equal(r.stopped_at, "tasks");
    assert.equal(r.next_command, `baton plan tasks ${PLAN} --from <file>`);
    assert.deepEqual(r.ran.context, { ok: true });

    // A runner that leaves its phase in progress (waiting for decisions) stops the run there.
    const dir2 = makeWorkspace();
    const ctx2 = openContext({ cwd: dir2 });
    const r2 = await runPlanWorkflow(
      ctx2,
      { goal: "OAuth rollout" },
      {
        context: complete("context"),
        conflicts: () => ({ conflicts: 2 }),
      },
    );
    assert.equal(r2.stopped_at, "conflicts");
    assert.equal(r2.next_command, `baton plan conflicts ${PLAN} --resolutions <file>`);
  });

  test("-y is --yes: the recommended resolutions of phase 3 are taken", () => {
    const dir = makeWorkspace();
    fs.mkdirSync(path.join(dir, "src"));
    fs.writeFileSync(path.join(dir, "src/login.ts"), "export const login = 1;\n");
    // Another open plan declares the same file: a concurrent_plan conflict, medium risk.
    ok(dir, ["plan", "Session cleanup", "--body", "Touch `src/login.ts`."]);
    const r = ok(dir, [
      "plan",
      "run",
      "OAuth login",
      "--body",
      "Rework `src/login.ts`.",
      "-y",
      "--json",
    ]).json;
    assert.equal(r.ran.conflicts.action, "resolved");
    assert.deepEqual(
      r.ran.conflicts.resolutions.map((x: { strategy: string }) => x.strategy),
      ["sequence_after", "commit_first"],
    );
    assert.equal(r.stopped_at, "tasks");
  });

  test("titles that are subcommands need --, and run needs a goal", () => {
    const dir = makeWorkspace();
    fails(dir, ["plan", "run"], "USAGE", 2);
    fails(dir, ["plan", "status", "a", "b"], "USAGE", 2);
    for (const word of ["status", "run"]) {
      const r = ok(dir, ["plan", "--json", "--", word]);
      assert.equal(r.json.topic.id, `plan-${word}`);
      assert.ok(fs.existsSync(knowledge(dir, "topics", `plan-${word}`, "planning-notes.md")));
    }
    assert.equal(ok(dir, ["plan", "status", "plan-status", "--json"]).json.plan, "plan-status");
  });

  test("a blank plan id or goal is a missing one, refused before anything is read", () => {
    const dir = makeWorkspace();
    for (const words of [
      ["plan", "tasks", ""],
      ["plan", "status", " "],
      ["plan", "task", "", "IMPL-1"],
      ["plan", "context", "\t"],
      ["plan", "run", " "],
    ]) {
      const e = failsTouchingNothing(dir, words, "USAGE", 2);
      assert.match(e.message, /needs <(plan-id|goal)>/, words.join(" "));
    }
  });

  test("help names each file flag's value as before: --from <file>, --file <path>, -y", () => {
    const dir = makeWorkspace();
    const help = (verb: string) => baton(dir, ["plan", verb, "--help"]).stdout;
    assert.match(help("tasks"), /\n {2}--from <file> +the task list: JSON array or Markdown/);
    assert.match(help("conflicts"), /\n {2}--resolutions <file> +the decisions: JSON/);
    assert.match(help("conflicts"), /\n {2}-y, --yes +same as --recommended/);
    assert.match(help("run"), /\n {2}--body <text> +the topic's text/);
    assert.match(help("run"), /\n {2}--file <path> +read the topic's text from a file/);
    assert.match(help("run"), /\n {2}-y, --yes +take the recommended conflict resolutions/);
  });
});

describe("plan workflow: consolidated constraints, task generation, requirement coverage", () => {
  const TEXT = [
    "# Sign-in",
    "",
    "REQ-1: Users sign in with GitHub",
    "REQ-2: Tokens are stored encrypted",
    "",
    "Out of scope: SAML",
    "",
  ].join("\n");
  const task = (id: string, requirements: string[], depends_on: string[] = []) => ({
    id,
    title: `Task ${id}`,
    description: "",
    depends_on,
    files: [`src/${id}.ts`],
    acceptance: ["it works"],
    requirements,
  });

  test("verify flags requirements no task covers, and the notes show what each phase found", () => {
    const dir = makeWorkspace();
    fs.writeFileSync(path.join(dir, "req.md"), TEXT);
    const run = ok(dir, ["plan", "run", "Sign-in", "--file", "req.md", "--json"]).json;
    assert.equal(run.stopped_at, "tasks");
    const plan = run.plan as string;
    const notesFile = knowledge(dir, "topics", plan, "planning-notes.md");
    let notes = read(notesFile);
    assert.match(notes, /- Do not deliver \(out of scope\): SAML/);
    assert.match(notes, /- Cover REQ-2 \(plan\): Tokens are stored encrypted/);
    assert.match(notes, /_From phases 1–3;/);
    assert.match(notes, /\| conflict resolution skipped \| risk none is below medium \| 3 \|/);
    assert.match(notes, /### Deferred\n\n- SAML \(out of scope\)/);

    fs.writeFileSync(
      path.join(dir, "tasks.json"),
      JSON.stringify([task("IMPL-1", ["REQ-1"]), task("IMPL-2", ["REQ-9"], ["IMPL-1"])]),
    );
    ok(dir, ["plan", "tasks", plan, "--from", "tasks.json"]);
    notes = read(notesFile);
    assert.match(notes, /- 2 tasks \(0 done\)/);
    assert.match(notes, /Waves \(tasks in one wave may run in parallel\): 1: IMPL-1 · 2: IMPL-2/);
    assert.match(notes, /Requirements covered: REQ-1; not covered: REQ-2/);
    assert.match(notes, /- IMPL-2: Task IMPL-2 \(after IMPL-1; 1 file; covers REQ-9\)/);

    const bad = baton(dir, ["plan", "verify", plan, "--json"]);
    assert.equal(bad.code, 5, bad.stderr);
    const codes = bad.json.findings.map((f: { code: string; severity: string }) => [
      f.code,
      f.severity,
    ]);
    assert.deepEqual(codes, [
      ["REQUIREMENT_UNCOVERED", "error"],
      ["TASK_UNKNOWN_REQUIREMENT", "warning"],
    ]);
    assert.match(bad.json.findings[0].message, /REQ-2 \(plan\) is covered by no task/);

    fs.writeFileSync(
      path.join(dir, "tasks.json"),
      JSON.stringify([task("IMPL-1", ["REQ-1"]), task("IMPL-2", ["req-2"], ["IMPL-1"])]),
    );
    ok(dir, ["plan", "tasks", plan, "--from", "tasks.json"]);
    const good = ok(dir, ["plan", "verify", plan, "--json"]).json;
    assert.equal(good.ok, true);
    assert.deepEqual(good.findings, []);
  });

  test("Label: lines end a list: requirements stated after Out of scope are checked", () => {
    const dir = makeWorkspace();
    const body =
      "Goal: ship it.\n\nOut of scope: mobile\n\nRequirements:\n- REQ-1: a\n- REQ-2: b\n\nTasks:\n- [ ] do a (REQ-1)\n";
    const made = ok(dir, ["plan", "P", "--body", body, "--json"]).json;
    assert.equal(made.structure.goal, "ship it.");
    assert.deepEqual(made.structure.scope, {
      in: ["REQ-1: a", "REQ-2: b", "do a (REQ-1)"],
      out: ["mobile"],
    });
    const notes = read(knowledge(dir, "topics", "plan-p", "planning-notes.md"));
    assert.match(notes, /^\*\*Goal:\*\* ship it\.$/m);
    assert.doesNotMatch(notes, /Goal: Goal:/);
    fs.writeFileSync(path.join(dir, "tasks.json"), JSON.stringify([task("IMPL-1", ["REQ-1"])]));
    ok(dir, ["plan", "tasks", "plan-p", "--from", "tasks.json", "--skip-context"]);
    const r = baton(dir, ["plan", "verify", "plan-p", "--json"]);
    assert.equal(r.code, 5, r.stdout);
    assert.deepEqual(
      r.json.findings.map((f: { code: string; message: string }) => [f.code, f.message]),
      [["REQUIREMENT_UNCOVERED", "requirement REQ-2 (plan) is covered by no task: b"]],
    );
  });

  test("a requirement added to plan.md later, anywhere outside out of scope, is checked", () => {
    const dir = makeWorkspace();
    ok(dir, ["plan", "P", "--body", "Ship it.\n\n- REQ-1: a"]);
    const doc = knowledge(dir, "topics", "plan-p", "plan.md");
    fs.appendFileSync(
      doc,
      "\n## Constraints\n\n- REQ-7: no new dependencies\n\n## Out of scope\n\n- REQ-9: mobile\n",
    );
    fs.writeFileSync(path.join(dir, "tasks.json"), JSON.stringify([task("IMPL-1", ["REQ-1"])]));
    ok(dir, ["plan", "tasks", "plan-p", "--from", "tasks.json", "--skip-context"]);
    const r = baton(dir, ["plan", "verify", "plan-p", "--json"]);
    assert.equal(r.code, 5, r.stdout);
    assert.deepEqual(
      r.json.findings.map((f: { code: string; message: string }) => f.message),
      ["requirement REQ-7 (plan) is covered by no task: no new dependencies"],
    );
  });

  test("a spec made from the plan adds its requirements; citing a criterion covers one", () => {
    const dir = makeWorkspace();
    ok(dir, ["plan", "Sign-in", "--body", "Sign in with GitHub."]);
    const plan = "plan-sign-in";
    ok(dir, ["spec", "new", "sign-in", "--from-plan", plan]);
    fs.writeFileSync(
      path.join(dir, ".baton/planning/sign-in/requirements.md"),
      [
        "# Requirements",
        "",
        "### Requirement 1: Sign in",
        "",
        "#### Acceptance Criteria",
        "",
        "1. WHEN a user signs in THEN THE app SHALL start a session",
        "2. THE app SHALL log each sign-in",
        "",
        "### Requirement 2: Token storage",
        "",
        "#### Acceptance Criteria",
        "",
        "1. THE app SHALL encrypt tokens",
        "",
      ].join("\n"),
    );
    fs.writeFileSync(
      path.join(dir, "tasks.json"),
      JSON.stringify([task("IMPL-1", ["1.1"]), task("IMPL-2", ["3.1"])]),
    );
    ok(dir, ["plan", "tasks", plan, "--from", "tasks.json", "--skip-context"]);
    const r = baton(dir, ["plan", "verify", plan, "--json"]);
    assert.equal(r.code, 5);
    assert.deepEqual(
      r.json.findings.map((f: { code: string; task: string | null }) => [f.code, f.task]),
      [
        ["REQUIREMENT_UNCOVERED", null],
        ["TASK_UNKNOWN_REQUIREMENT", "IMPL-2"],
      ],
    );
    assert.match(
      r.json.findings[0].message,
      /^requirement 2 \(spec sign-in\) is covered by no task: Token storage$/,
    );
    assert.match(read(knowledge(dir, "topics", plan, "planning-notes.md")), /not covered: 2\b/);
  });
});
