import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { parseTicket } from "../../src/core/ticket.ts";
import { TEMP_MARKER } from "../../src/store/atomic.ts";
import { baton, knowledge, makeWorkspace } from "../helpers.ts";
import { type Child, findFiles, killChildren, removeDir, sleep, startBaton } from "./procs.ts";

after(killChildren);

const posix = process.platform !== "win32";
const isTemp = (name: string) => name.includes(TEMP_MARKER);

/** Exit codes a finished command may legitimately return here: ok, or a state refusal. */
const ACCEPTABLE_EXITS = new Set<number | string>([0, 3, 4, "SIGKILL"]);

function ticketIds(dir: string): string[] {
  return fs
    .readdirSync(path.join(dir, ".baton", "tickets"))
    .filter((name) => name.endsWith(".md") && !name.startsWith("."))
    .map((name) => name.slice(0, -3));
}

/** Parses every JSON file, every ticket and every event line; throws on the first bad one. */
function assertEverythingParses(dir: string): { json: number; tickets: number; events: number } {
  const jsonFiles = findFiles(dir, (name) => name.endsWith(".json") && !isTemp(name));
  for (const file of jsonFiles) {
    assert.doesNotThrow(() => JSON.parse(fs.readFileSync(file, "utf8")), `${file} parses`);
  }
  const ticketsDir = path.join(dir, ".baton", "tickets");
  const ids = ticketIds(dir);
  for (const id of ids) {
    const file = path.join(ticketsDir, `${id}.md`);
    assert.doesNotThrow(() => parseTicket(fs.readFileSync(file, "utf8"), file), `${id} parses`);
  }
  const lines = fs
    .readFileSync(path.join(dir, ".baton", "events.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l !== "");
  for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), `event line ${line}`);
  return { json: jsonFiles.length, tickets: ids.length, events: lines.length };
}

test("kill -9 at random moments: files stay parseable, the next command works, temps are swept", {
  skip: !posix,
  timeout: 45_000,
}, async (t) => {
  const dir = makeWorkspace();
  t.after(() => removeDir(dir));
  const tasks = "- [ ] Task one\n- [ ] Task two\n- [ ] Task three";
  assert.equal(baton(dir, ["seed", "Crash seed"]).code, 0);
  assert.equal(baton(dir, ["plan", "Crash plan", "--body", tasks]).code, 0);
  assert.equal(baton(dir, ["backlog"]).code, 0);
  const tickets = ticketIds(dir);
  assert.equal(tickets.length, 3);
  const statuses = ["in_progress", "blocked", "done", "todo"];
  // Two task sets the plan's .task/ switches between: any set seen must be one of them, whole.
  const sets = { alpha: 3, beta: 4 };
  const setFile = (word: string, n: number) => {
    const file = path.join(dir, `${word}.md`);
    const lines = Array.from({ length: n }, (_, k) => `- [ ] IMPL-${k + 1}: ${word} ${k + 1}`);
    fs.writeFileSync(file, `${lines.join("\n")}\n`);
    return file;
  };
  const setFiles = Object.entries(sets).map(([word, n]) => setFile(word, n));

  const commandFor = (i: number): string[] => {
    if (i % 6 === 5)
      return [
        "plan",
        "tasks",
        "plan-crash-plan",
        "--from",
        setFiles[i % 2] as string,
        "--skip-context",
      ];
    switch (i % 5) {
      case 0:
        return ["seed", `Crash seed ${i % 3}`];
      case 1:
        return ["spike", `Crash spike ${i}`];
      case 2:
        return ["plan", `Crash plan ${i % 4}`, "--body", tasks];
      case 3:
        return ["ticket", "set-status", tickets[i % 3] as string, statuses[i % 4] as string];
      default:
        return ["backlog"];
    }
  };

  // Aim the kills at the part of a run that writes: calibrate on this machine, then kill at a
  // random moment between 40% and 110% of a normal run (0-80 ms on a typical laptop).
  const runs: number[] = [];
  for (const title of ["Calibrate one", "Calibrate two", "Calibrate three"]) {
    const begin = performance.now();
    assert.equal(await startBaton(dir, ["spike", title]).exited, 0);
    runs.push(performance.now() - begin);
  }
  const typical = runs.sort((a, b) => a - b)[1] as number;
  const killWindow = [0.4 * typical, 1.1 * typical] as const;

  const iterations = 40;
  const deadline = Date.now() + 25_000;
  let killed = 0;
  let finished = 0;
  let insideLock = 0;
  let tempsSeen = 0;
  const unexpected: string[] = [];
  const runKilled = async (args: string[]): Promise<void> => {
    const child: Child = startBaton(dir, args);
    const delay = killWindow[0] + Math.random() * (killWindow[1] - killWindow[0]);
    const outcome = await Promise.race([child.exited, sleep(delay).then(() => null)]);
    if (outcome === null) {
      child.proc.kill("SIGKILL");
      killed += 1;
    } else {
      finished += 1;
    }
    const code = await child.exited;
    if (!ACCEPTABLE_EXITS.has(code))
      unexpected.push(`${args.join(" ")} -> ${code}: ${child.stderr()}`);
  };
  let ran = 0;
  for (let i = 0; i < iterations && Date.now() < deadline; i++) {
    const runs = [runKilled(commandFor(i))];
    // Every other round a second writer races the first, so kills also land on lock waiters.
    if (i % 2 === 1) runs.push(runKilled(["spike", `Racing spike ${i}`]));
    await Promise.all(runs);
    if (fs.existsSync(path.join(dir, ".baton", ".writing"))) insideLock += 1;
    tempsSeen += findFiles(dir, isTemp).length;
    ran += 1;
  }
  const leftovers = findFiles(dir, isTemp);
  t.diagnostic(
    `${ran} rounds, kill window ${killWindow.map((n) => n.toFixed(0)).join("-")} ms: ${killed} processes killed, ${finished} finished, ${insideLock} rounds left the crash marker, ${tempsSeen} temp files seen between rounds, ${leftovers.length} at the end`,
  );
  assert.equal(ran, iterations, "the loop ran out of time");
  assert.deepEqual(unexpected, []);

  const counts = assertEverythingParses(dir);
  t.diagnostic(
    `parsed ${counts.json} JSON files, ${counts.tickets} tickets, ${counts.events} events`,
  );

  const status = baton(dir, ["status", "--json"]);
  assert.equal(status.code, 0, status.stderr);
  const list = baton(dir, ["ticket", "list", "--json"]);
  assert.equal(list.code, 0, list.stderr);

  const next = baton(dir, ["spike", "After the storm"]);
  assert.equal(next.code, 0, next.stderr);
  assert.deepEqual(findFiles(dir, isTemp), [], "the next write command sweeps every temp file");
  assert.equal(fs.existsSync(path.join(dir, ".baton", ".writing")), false);
  assertEverythingParses(dir);
  // No topic a killed writer made stays invisible: every folder holding its document is in the
  // catalog (one killed before its document landed has nothing to list).
  const listed = new Set(
    baton(dir, ["topic", "list", "--all", "--json"]).json.topics.map((t: { id: string }) => t.id),
  );
  const topics = path.join(dir, ".baton", "knowledge", "topics");
  const folders = fs
    .readdirSync(topics)
    .filter((f) => fs.existsSync(path.join(topics, f, `${f.split("-")[0]}.md`)));
  assert.deepEqual(
    folders.filter((f) => !listed.has(f)),
    [],
    "every topic folder is listed",
  );
  // Nothing half-made survives: every topic a session names is in the catalog, and every
  // topic the catalog ties to a session belongs to one (issue: a seed or plan killed mid-way
  // stayed in the catalog without its session).
  const sessionsDir = knowledge(dir, "sessions");
  // A backlog may have completed the last session, leaving none active.
  const active = knowledge(dir, ".active-planning.json");
  const sessions = [
    ...(fs.existsSync(active) ? [JSON.parse(fs.readFileSync(active, "utf8"))] : []),
    ...fs
      .readdirSync(sessionsDir)
      .map((f) => JSON.parse(fs.readFileSync(path.join(sessionsDir, f), "utf8"))),
  ];
  const byId = new Map(sessions.map((session) => [session.session_id, session]));
  const catalog = JSON.parse(fs.readFileSync(knowledge(dir, "index.json"), "utf8")).topics;
  for (const session of sessions) {
    for (const id of [session.root_seed, session.plan, ...session.spikes].filter(Boolean)) {
      assert.ok(catalog[id], `${session.session_id} names ${id}, which is in the catalog`);
    }
  }
  for (const entry of Object.values(catalog) as { id: string; session_id?: string }[]) {
    if (!entry.session_id) continue;
    const session = byId.get(entry.session_id);
    assert.ok(session, `${entry.id}'s session ${entry.session_id} exists`);
    const named = [session.root_seed, session.plan, ...session.spikes];
    // A plan replaced by a later one in the same session keeps its session id.
    if (!entry.id.startsWith("plan-"))
      assert.ok(named.includes(entry.id), `${entry.id} is in its session`);
  }
  const taskDir = knowledge(dir, "topics", "plan-crash-plan", ".task");
  if (fs.existsSync(taskDir)) {
    const titles = fs
      .readdirSync(taskDir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => JSON.parse(fs.readFileSync(path.join(taskDir, f), "utf8")).title as string);
    const words = new Set(titles.map((title) => title.split(" ")[0]));
    assert.equal(words.size, 1, `one task set, not a mix: ${titles.join(", ")}`);
    const [word] = [...words] as (keyof typeof sets)[];
    assert.equal(titles.length, sets[word as keyof typeof sets], "the whole set");
  }
});

test("a write command after a crash sweeps leftover temp files, and only those", {
  timeout: 20_000,
}, async (t) => {
  const dir = makeWorkspace();
  t.after(() => removeDir(dir));
  assert.equal(baton(dir, ["seed", "Sweep seed"]).code, 0);
  const seedDir = knowledge(dir, "topics", "seed-sweep-seed");
  const fakes = [
    path.join(seedDir, `.sources.md${TEMP_MARKER}999999-deadbeef`),
    knowledge(dir, `.index.json${TEMP_MARKER}999999-cafebabe`),
    path.join(dir, ".baton", "tickets", `.tkt-0000.md${TEMP_MARKER}1-00000000`),
    path.join(dir, ".baton", `.config.yaml${TEMP_MARKER}2-11111111`),
  ];
  for (const fake of fakes) fs.writeFileSync(fake, '{"half": wri');
  // Things that are not Baton's leftovers must survive the sweep.
  const keep = [path.join(seedDir, "notes.md"), knowledge(dir, "tmp-baton-notes.json")];
  for (const file of keep) fs.writeFileSync(file, "mine\n");
  const folderWithMarker = path.join(seedDir, `folder${TEMP_MARKER}x`);
  fs.mkdirSync(folderWithMarker);
  // The crash marker a writer leaves when it dies inside the lock.
  fs.writeFileSync(path.join(dir, ".baton", ".writing"), "12345");

  const result = baton(dir, ["spike", "After sweep"]);
  assert.equal(result.code, 0, result.stderr);
  for (const fake of fakes) assert.equal(fs.existsSync(fake), false, `${fake} swept`);
  for (const file of keep) assert.equal(fs.readFileSync(file, "utf8"), "mine\n");
  assert.ok(fs.statSync(folderWithMarker).isDirectory());
  assert.equal(fs.existsSync(path.join(dir, ".baton", ".writing")), false);
});
