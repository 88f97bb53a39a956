import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { BATON_BIN, makeTempRepo, makeWorkspace, readJson, snapshotTree } from "../helpers.ts";
import { assertTreeEqual, failsTouchingNothing, ok, read } from "./support.ts";

const TITLES = [
  "Where things stand",
  "Next steps",
  "Recent decisions",
  "Open tickets",
  "Notes",
  "Last changes",
];

/** The brief as `baton resume` prints it, rebuilt from the JSON sections. */
function briefText(json: any): string {
  return json.sections.map((s: any) => `## ${s.title}\n\n${s.lines.join("\n")}`).join("\n\n");
}

function resume(dir: string, ...args: string[]): any {
  return ok(dir, ["resume", "--json", ...args]).json;
}

/** A workspace with a lot to say: a session with spikes and a plan, a spec, many entries. */
function busyWorkspace(): string {
  const dir = makeWorkspace();
  ok(dir, [
    "plan",
    "Earlier work",
    "--body",
    Array.from({ length: 30 }, (_, i) => `- [ ] Earlier task ${i} ${"detail ".repeat(i % 5)}`).join(
      "\n",
    ),
  ]);
  ok(dir, ["backlog", "plan-earlier-work"]);
  ok(dir, ["seed", "Big idea", "--body", "A lot to plan"]);
  ok(dir, ["spike", "Question one"]);
  ok(dir, ["spike", "Question two"]);
  ok(dir, ["plan", "Big plan", "--body", "- [ ] First\n- [ ] Second\n- [ ] Third"]);
  for (let i = 0; i < 25; i++) {
    ok(dir, [
      "journal",
      "decide",
      `Decision ${i}: ${"because of a long reason ".repeat(1 + (i % 4))}`,
    ]);
    ok(dir, ["journal", "note", `Note ${i}: ${"finding ".repeat(1 + (i % 6))}`]);
    if (i % 3 === 0) ok(dir, ["journal", "next", `Step ${i}: ${"then this ".repeat(1 + (i % 3))}`]);
  }
  return dir;
}

describe("baton resume", () => {
  test("a fresh workspace: nothing active, what to do first, within the default budget", () => {
    const dir = makeWorkspace();
    const r = resume(dir);
    assert.deepEqual(Object.keys(r).sort(), [
      "budget",
      "journal",
      "sections",
      "state",
      "tokens",
      "truncated",
      "workspace",
    ]);
    assert.equal(fs.realpathSync(r.workspace), fs.realpathSync(dir));
    assert.equal(r.journal, "PLANNING.md");
    assert.equal(r.budget, 1500);
    assert.equal(r.truncated, false);
    assert.deepEqual(r.state, {
      session: null,
      spec: null,
      current_task: null,
      next_steps: [],
      open_tickets: [],
      open_ticket_count: 0,
    });
    assert.equal(r.sections[0].title, "Where things stand");
    assert.ok(r.sections[0].lines.includes("- No planning session is active."));
    const next = r.sections.find((s: any) => s.title === "Next steps");
    assert.match(next.lines.join("\n"), /baton seed/);
    for (const s of r.sections) {
      assert.deepEqual(Object.keys(s).sort(), ["lines", "omitted", "title"]);
      assert.equal(s.omitted, 0);
    }
  });

  test("everything a fresh session needs, most important first, as text and as data", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "OAuth login"]);
    ok(dir, ["spike", "Token storage"]);
    ok(dir, ["plan", "OAuth rollout", "--body", "- [ ] Add provider\n- [ ] Store tokens"]);
    ok(dir, ["journal", "decide", "Use arctic"]);
    ok(dir, ["journal", "decide", "Encrypt tokens at rest"]);
    ok(dir, ["journal", "next", "Done already"]);
    ok(dir, ["journal", "next", "Write the sign-in test"]);
    ok(dir, ["journal", "done", "1"]);
    ok(dir, ["journal", "note", "Tokens expire after 1 h"]);
    ok(dir, ["spec", "new", "user-auth"]);
    ok(dir, ["spec", "activate", "user-auth"]);
    const session = readJson(path.join(dir, ".baton", "knowledge", ".active-planning.json"));

    const r = resume(dir);
    assert.deepEqual(
      r.sections.map((s: any) => s.title),
      ["Where things stand", "Next steps", "Recent decisions", "Notes", "Last changes"],
    );
    const lines = (title: string) => r.sections.find((s: any) => s.title === title).lines;
    assert.deepEqual(lines("Where things stand").slice(0, 4), [
      `- Planning session ${session.session_id} is active, rooted at seed-oauth-login.`,
      "- Spikes: spike-token-storage.",
      "- Plan: plan-oauth-rollout with 2 tasks.",
      `- Active spec user-auth is ${r.state.spec.stage}.`,
    ]);
    assert.equal(lines("Next steps")[0], "- [ ] 2. Write the sign-in test");
    assert.ok(!lines("Next steps").join("\n").includes("Done already"));
    assert.match(lines("Next steps")[1], /baton backlog/);
    assert.match(lines("Recent decisions")[0], /Encrypt tokens at rest$/, "newest first");
    assert.match(lines("Recent decisions")[1], /Use arctic$/);
    assert.match(lines("Notes")[0], /Tokens expire after 1 h/);
    assert.match(lines("Last changes")[0], /spec user-auth/, "newest change first");
    assert.deepEqual(r.state.session, {
      session_id: session.session_id,
      root_seed: "seed-oauth-login",
      spikes: ["spike-token-storage"],
      plan: "plan-oauth-rollout",
      plan_tasks: 2,
    });
    assert.equal(r.state.spec.name, "user-auth");
    assert.deepEqual(r.state.next_steps, [{ n: 2, text: "Write the sign-in test" }]);

    // The text form is the same brief, with its size at the end.
    const text = ok(dir, ["resume"]).stdout;
    const footer = /\n\n\(about (\d+) of 1500 tokens\)\n$/.exec(text);
    assert.ok(footer, text);
    assert.equal(text.slice(0, footer.index), briefText(r));
    assert.ok(Number(footer[1]) <= r.tokens, "the JSON costs more than its text");
    assert.ok(JSON.stringify(r, null, 2).length / 4 <= 1500, "the JSON fits the budget too");

    // Once the backlog exists, open tickets come with their ids, in-progress first.
    const tickets = ok(dir, ["backlog", "--json"]).json.tickets.map((t: any) => t.id);
    ok(dir, ["ticket", "set-status", tickets[1], "in_progress"]);
    const after = resume(dir);
    assert.equal(after.state.session, null);
    assert.deepEqual(after.state.current_task, {
      id: tickets[1],
      title: "Store tokens",
      status: "in_progress",
    });
    assert.deepEqual(
      after.state.open_tickets.map((t: any) => [t.id, t.status]),
      [
        [tickets[1], "in_progress"],
        [tickets[0], "todo"],
      ],
    );
    assert.equal(after.state.open_ticket_count, 2);
    const open = after.sections.find((s: any) => s.title === "Open tickets").lines;
    assert.deepEqual(open, [
      `- ${tickets[1]} [in_progress] Store tokens`,
      `- ${tickets[0]} [todo] Add provider`,
    ]);
    assert.deepEqual(after.state.next_steps, [{ n: 1, text: "Write the sign-in test" }]);
  });

  test("stays within every budget, cutting the least important first", () => {
    const dir = busyWorkspace();
    let previous = 0;
    for (const budget of [50, 64, 100, 150]) {
      const text = ok(dir, ["resume", "--budget", String(budget)]).stdout;
      assert.ok(text.length / 4 <= budget, `${text.length} characters for ${budget} tokens`);
      assert.match(text, /^## Where things stand\n\n- Planning session seed-big-idea@/);
    }
    for (const budget of [250, 400, 800, 1500, 4000]) {
      const r = resume(dir, "--budget", String(budget));
      assert.equal(r.budget, budget);
      assert.ok(r.tokens <= budget, `${r.tokens} tokens for a budget of ${budget}`);
      const printed = ok(dir, ["resume", "--budget", String(budget), "--json"]).stdout;
      assert.ok(printed.length / 4 <= budget, `${printed.length} characters of JSON for ${budget}`);
      const text = ok(dir, ["resume", "--budget", String(budget)]).stdout;
      assert.ok(text.length / 4 <= budget, `${text.length} characters for ${budget} tokens`);
      assert.ok(briefText(r).length / 4 <= budget);
      // Sections keep their order of importance; the first is always there.
      const titles = r.sections.map((s: any) => s.title);
      assert.equal(titles[0], "Where things stand");
      assert.deepEqual(
        titles,
        TITLES.filter((t) => titles.includes(t)),
      );
      // A cut section says how much is missing and where to read it.
      for (const s of r.sections) {
        if (s.omitted > 0) assert.match(s.lines.at(-1), new RegExp(`^- … ${s.omitted} more \\(`));
      }
      // The structured ids never say more than the text shows.
      for (const t of r.state.open_tickets) assert.ok(briefText(r).includes(t.id));
      for (const n of r.state.next_steps) assert.ok(briefText(r).includes(`${n.n}. ${n.text}`));
      const shown = r.sections.reduce((sum: number, s: any) => sum + s.lines.length, 0);
      assert.ok(shown >= previous, "a larger budget never shows less");
      previous = shown;
      if (budget <= 400) assert.equal(r.truncated, true, `${budget} is too small for it all`);
    }
    // At the smallest budget the most important facts still come through.
    const tiny = resume(dir, "--budget", "250");
    assert.match(tiny.sections[0].lines[0], /Planning session seed-big-idea@/);
    assert.equal(tiny.state.session.plan, "plan-big-plan");
  });

  test("--brief keeps only the essentials, in 400 tokens unless told otherwise", () => {
    const dir = busyWorkspace();
    const brief = resume(dir, "--brief");
    assert.equal(brief.budget, 400);
    assert.ok(brief.tokens <= 400);
    assert.ok(!brief.sections.some((s: any) => s.title === "Last changes"));
    assert.ok(ok(dir, ["resume", "--brief"]).stdout.length / 4 <= 400);
    const wider = resume(dir, "--brief", "--budget", "3000");
    assert.equal(wider.budget, 3000);
    assert.ok(!wider.sections.some((s: any) => s.title === "Last changes"));
    assert.match(ok(dir, ["resume"]).stdout, /\n## Last changes\n/);
  });

  test("reads only: nothing in the repository changes", () => {
    const dir = busyWorkspace();
    resume(dir); // builds the per-machine ticket cache, if it was not there
    const before = snapshotTree(dir);
    for (const args of [
      ["resume"],
      ["resume", "--brief"],
      ["resume", "--budget", "260", "--json"],
    ]) {
      ok(dir, args);
      assertTreeEqual(dir, before, `baton ${args.join(" ")}`);
    }
  });

  test("bad budgets and arguments are usage errors, exit 2", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Anything"]);
    for (const value of ["abc", "1.5", "", "1e400", "12tokens"]) {
      const error = failsTouchingNothing(dir, ["resume", "--budget", value], "USAGE", 2);
      assert.match(error.hint, /--budget/);
    }
    for (const value of ["0", "-5", "49"]) {
      const error = failsTouchingNothing(dir, ["resume", "--budget", value], "INVALID_INPUT", 2);
      assert.match(error.hint, /--budget 50 or more/);
    }
    // --json takes the same floor: a budget the state alone does not fit in gets the state
    // alone, cut and honest about its size.
    const tiny = ok(dir, ["resume", "--budget", "50", "--json"]).json;
    assert.equal(tiny.budget, 50);
    assert.equal(tiny.truncated, true);
    assert.deepEqual(tiny.sections, []);
    assert.equal(tiny.state.session.root_seed, "seed-anything");
    assert.ok(tiny.tokens > 50, `${tiny.tokens} tokens`);
    failsTouchingNothing(dir, ["resume", "--budget"], "USAGE", 2);
    failsTouchingNothing(dir, ["resume", "now"], "USAGE", 2);
    failsTouchingNothing(dir, ["resume", "--full"], "USAGE", 2);
    failsTouchingNothing(makeTempRepo(), ["resume"], "NO_WORKSPACE", 3);
  });
});

// ---------------------------------------------------------------------------------------------
// The whole story: a session half done, everything but the repository lost, and `baton resume`
// alone lets a scripted agent finish it.

/** What the user asked for in the first conversation. The agent keeps nothing else. */
const REQUEST = {
  seed: "OAuth login",
  spike: "Which OAuth library",
  plan: "OAuth rollout",
  tasks: [
    "## Tasks",
    "",
    "- [ ] Add the GitHub OAuth provider",
    "- [ ] Store tokens encrypted at rest",
    "- [ ] Add a sign-in button",
  ].join("\n"),
  decision: "Use arctic for OAuth",
  next: "Verify sign-in end to end",
};

/**
 * The scripted agent's whole judgment: from `baton resume --json` alone, the next command to
 * run, or null when nothing is left. It has no memory: every fact it uses (session, plan id,
 * ticket ids, step numbers) comes from `r`. Given a request it may start the work; without one
 * it only continues what the repository says is under way.
 */
function nextCommand(r: any, request: typeof REQUEST | null): string[] | null {
  const session = r.state.session;
  const has = (title: string) => r.sections.some((s: any) => s.title === title);
  if (session) {
    if (session.spikes.length === 0 && request) {
      return ["spike", request.spike, "--body", "arctic: small, typed, maintained"];
    }
    if (!session.plan && request) return ["plan", request.plan, "--body", request.tasks];
    if (!has("Recent decisions") && request) return ["journal", "decide", request.decision];
    if (r.state.next_steps.length === 0 && request) return ["journal", "next", request.next];
    if (session.plan && session.plan_tasks > 0) return ["backlog", session.plan];
    return null; // A session this agent cannot move on alone: ask the user.
  }
  const ticket = r.state.open_tickets[0];
  if (ticket) {
    return [
      "ticket",
      "set-status",
      ticket.id,
      ticket.status === "in_progress" ? "done" : "in_progress",
    ];
  }
  const step = r.state.next_steps[0];
  if (step) return ["journal", "done", String(step.n)];
  if (request && r.state.open_ticket_count === 0 && !has("Recent decisions")) {
    return ["seed", request.seed, "--body", "Users sign in with GitHub."];
  }
  return null;
}

/**
 * Spawns baton and kills it with SIGKILL while it holds the workspace lock, as soon as `ready`
 * says it has written part of its work.
 */
function git(cwd: string, ...args: string[]): void {
  const r = spawnSync(
    "git",
    ["-c", "user.email=agent@example.com", "-c", "user.name=Agent", ...args],
    {
      cwd,
      encoding: "utf8",
    },
  );
  assert.equal(r.status, 0, r.stderr);
}

async function killMidway(cwd: string, args: string[], ready: () => boolean): Promise<string> {
  const child = spawn(process.execPath, [BATON_BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: "ignore",
  });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  const marker = path.join(cwd, ".baton", ".writing");
  let outcome = "finished before it could be killed";
  const deadline = Date.now() + 10_000;
  while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) {
    if (fs.existsSync(marker) && ready()) {
      child.kill("SIGKILL");
      outcome = "killed while writing";
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  await exited;
  return outcome;
}

test("the story: a half-done session, the agent's context lost, resume alone finishes it", {
  timeout: 120_000,
}, async (t) => {
  const first = makeWorkspace();

  // First conversation: the agent starts the session from the user's request…
  const done1: string[][] = [];
  let pending: string[] | null = null;
  for (let i = 0; i < 20; i++) {
    const command = nextCommand(resume(first), REQUEST);
    assert.ok(command, "the first agent always has something to do");
    if (command[0] === "backlog") {
      pending = command;
      break;
    }
    ok(first, command);
    done1.push(command);
  }
  assert.deepEqual(
    done1.map((c) => c.slice(0, 2).join(" ")),
    [
      "seed OAuth login",
      "spike Which OAuth library",
      "plan OAuth rollout",
      "journal decide",
      "journal next",
    ],
  );
  assert.deepEqual(pending, ["backlog", "plan-oauth-rollout"]);
  // …and dies in the middle of turning the plan into tickets.
  const ticketFolder = path.join(first, ".baton", "tickets");
  const someTicket = () =>
    fs.existsSync(ticketFolder) && fs.readdirSync(ticketFolder).some((n) => n.endsWith(".md"));
  const outcome = await killMidway(first, pending, someTicket);
  const left = fs.readdirSync(ticketFolder).filter((n) => n.endsWith(".md")).length;
  t.diagnostic(`backlog ${outcome}, leaving ${left} of 3 ticket files`);

  // Everything but the repository is lost: the agent's memory (nothing above is used again) and
  // the machine. The repository is all that reaches the next conversation, in another folder.
  // What was on disk is committed as it lay (a crash leaves no chance to tidy up) and cloned:
  // per-machine state that git ignores (caches, the active spec, crash markers) does not travel.
  git(first, "add", "-A");
  git(first, "commit", "-qm", "work in progress");
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "baton-story-")), "clone");
  git(os.tmpdir(), "clone", "-q", first, dir);
  fs.rmSync(first, { recursive: true, force: true });

  // The resumed state tells a fresh agent everything it needs.
  const start = resume(dir);
  const text = ok(dir, ["resume"]).stdout;
  assert.ok(start.tokens <= 1500);
  assert.match(text, /Use arctic for OAuth/, "the decision");
  assert.match(text, /Verify sign-in end to end/, "the next step");
  if (start.state.session) {
    assert.equal(start.state.session.plan, "plan-oauth-rollout");
    assert.equal(start.state.session.plan_tasks, 3);
  } else {
    assert.equal(start.state.open_ticket_count, 3, "the killed backlog had finished");
  }

  // Second conversation: a fresh agent with no request, only `baton resume --json`.
  const done2: string[][] = [];
  for (;;) {
    assert.ok(done2.length < 30, `the agent loops: ${JSON.stringify(done2)}`);
    const command = nextCommand(resume(dir), null);
    if (!command) break;
    ok(dir, command);
    done2.push(command);
  }
  const tickets = ok(dir, ["ticket", "list", "--json"]).json.tickets;
  assert.equal(tickets.length, 3, "one ticket per task, none duplicated by the retry");
  for (const ticket of tickets) {
    assert.equal(ticket.status, "done", ticket.id);
    assert.ok(
      done2.some((c) => c.join(" ") === `ticket set-status ${ticket.id} done`),
      `${ticket.id} was finished by the fresh agent`,
    );
  }
  assert.ok(
    done2.some((c) => c.join(" ") === "journal done 1"),
    JSON.stringify(done2),
  );

  // The decision still binds the finished work: resume shows it though its journal was archived.
  const after = resume(dir);
  const decisions = after.sections.find((s: any) => s.title === "Recent decisions");
  assert.ok(decisions?.lines.some((l: string) => l.endsWith("Use arctic for OAuth")));

  // The final state: session completed, every ticket done, the journal archived.
  assert.equal(ok(dir, ["status", "--json"]).json.session, null);
  const sessions = ok(dir, ["seed", "--sessions", "--json"]).json;
  const completed = JSON.stringify(sessions);
  assert.match(completed, /seed-oauth-login@/);
  assert.match(completed, /"completed"/);
  const archiveFolder = path.join(dir, ".baton", "archive");
  const archived = fs.readdirSync(archiveFolder).filter((n) => n.startsWith("PLANNING-"));
  assert.ok(archived.length >= 1);
  assert.ok(
    archived.some((n) => read(archiveFolder, n).includes("Use arctic for OAuth")),
    "the session's journal, decision included, is archived",
  );
  const end = resume(dir);
  assert.equal(end.state.open_ticket_count, 0);
  assert.deepEqual(end.state.next_steps, []);
  assert.match(read(dir, "PLANNING.md"), /- \[x\] 1\. Verify sign-in end to end/);
  t.diagnostic(`fresh agent ran: ${done2.map((c) => c.join(" ")).join("; ")}`);
});
