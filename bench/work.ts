/**
 * `npm run bench:work`: work sessions on one spec as it grows, numbers, not a timed test.
 *
 * For each scale (100 and 1,000 tasks, 200 sessions each holding one claim), a fresh workspace:
 * a real `baton init` and spec, the sessions and claims written directly as Baton writes them.
 * Every command runs the built CLI in a new process, interleaved with `node -e 0` (the baseline)
 * as bench/run.ts does, and is compared to it: `work claim` (a write: each run claims the next
 * ready task for one session) against 2×, `work next`, `work tree`, `work list` and `work show` (reads)
 * against 1.5×. Then throughput: 16 agents claiming concurrently (each a loop of `work claim`)
 * against 16 concurrent loops of `node -e 0`, target at least 40%.
 *
 *   npm run bench:work                 30 runs a command, both scales
 *   npm run bench:work -- --runs 3     a quick check that it works
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { SCHEMA_VERSION } from "../src/core/schema.ts";
import { takeClaim } from "../src/core/work/claims.ts";
import { newWorkSession } from "../src/core/work/session.ts";
import { createRunner, stats } from "./measure.ts";
import { markdownTable } from "./table.ts";

const REPO = path.resolve(import.meta.dirname, "..");
const BIN = path.join(REPO, "dist", "baton.js");
const SESSIONS = 200;
const SPEC = "big";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "30" },
    scales: { type: "string", default: "100,1000" },
    agents: { type: "string", default: "16" },
    claims: { type: "string", default: "12" },
  },
});
const RUNS = Math.max(1, Number(values.runs));
const SCALES = String(values.scales)
  .split(",")
  .map((s) => Number(s.trim()));
const AGENTS = Math.max(1, Number(values.agents));
const CLAIMS_EACH = Math.max(1, Number(values.claims));

function baton(cwd: string, args: string[]): string {
  return execFileSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8" });
}

/** A workspace whose spec has `tasks` tasks and 200 sessions, holding one claim each (at most half the tasks). */
export function fixture(tasks: number): { dir: string; sessions: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `baton-bench-work-${tasks}-`));
  execFileSync("git", ["init", "-q"], { cwd: dir });
  baton(dir, ["init", "-q"]);
  baton(dir, ["spec", "new", SPEC, "-q"]);
  const folder = path.join(dir, ".baton", "planning", SPEC);
  const lines: string[] = [];
  for (let i = 1; i <= tasks; i++) {
    lines.push(`- [ ] ${i}. Task number ${i} of the big spec`);
    lines.push(`  - _Files: src/module-${i}.ts_`);
    if (i > 1 && i % 10 === 0) lines.push(`  - _Depends: ${i - 1}_`);
    lines.push("  - _Requirements: 1.1_");
  }
  fs.writeFileSync(path.join(folder, "tasks.md"), `# Tasks\n\n${lines.join("\n")}\n`);
  baton(dir, ["spec", "start", SPEC, "--force", "-q"]);
  const work = path.join(folder, "work");
  fs.mkdirSync(path.join(work, "claims"), { recursive: true });
  const now = new Date().toISOString();
  const sessions: string[] = [];
  // The last tasks are claimed (half of them at most), so the queue's head stays free for the
  // measured claims.
  const held = Math.min(SESSIONS, Math.floor(tasks / 2));
  for (let i = 0; i < SESSIONS; i++) {
    const id = `ws-${i.toString(36).padStart(8, "0")}`;
    const task = String(tasks - i);
    const taken = i < held ? takeClaim(null, SPEC, task, id, now, 3_600_000) : null;
    const session = newWorkSession({ id, spec: SPEC, name: `agent ${i}`, now });
    if (taken) {
      session.tasks.push({ id: task, token: 1, state: "held", claimed: now, until: null });
      fs.writeFileSync(path.join(work, "claims", `${task}.json`), json(taken.claim));
    }
    fs.writeFileSync(path.join(work, `${id}.json`), json(session));
    sessions.push(id);
  }
  return { dir, sessions };
}

function json(data: { schema_version: number }): string {
  if (data.schema_version !== SCHEMA_VERSION) throw new Error("schema version");
  return `${JSON.stringify(data, null, 2)}\n`;
}

interface Row {
  scale: number;
  command: string;
  kind: "read" | "write";
  median: number;
  p90: number;
  base: number;
  ratio: number;
  target: number;
}

function measure(dir: string, scale: number, sessions: string[]): Row[] {
  const runner = createRunner(dir);
  // Each run claims for the next session: an agent holds a claim or two, not dozens.
  let turn = 0;
  const claimer = () => sessions[turn++ % sessions.length] as string;
  const commands: { label: string; kind: "read" | "write"; args: () => string[] }[] = [
    {
      label: "`work claim <spec> --session <ws>`",
      kind: "write",
      args: () => ["work", "claim", SPEC, "--session", claimer(), "--json"],
    },
    { label: "`work next <spec>`", kind: "read", args: () => ["work", "next", SPEC, "--json"] },
    { label: "`work tree <spec>`", kind: "read", args: () => ["work", "tree", SPEC, "--json"] },
    { label: "`work list <spec>`", kind: "read", args: () => ["work", "list", SPEC, "--json"] },
    {
      label: "`work show <ws>`",
      kind: "read",
      args: () => ["work", "show", sessions[1] as string, "--json"],
    },
  ];
  const rows: Row[] = [];
  for (const c of commands) {
    const times: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const pair = [
        () => runner.run([BIN, ...c.args()], dir).ms,
        () => runner.run(["-e", "0"], dir).ms,
      ];
      const [a, b] = i % 2 === 0 ? [0, 1] : [1, 0];
      const first = (pair[a] as () => number)();
      const second = (pair[b] as () => number)();
      if (i === 0) continue; // warm-up
      times.push(a === 0 ? first : second);
      base.push(a === 0 ? second : first);
    }
    const s = stats(times);
    const b = stats(base);
    rows.push({
      scale,
      command: c.label,
      kind: c.kind,
      median: s.median,
      p90: s.p90,
      base: b.median,
      ratio: s.median / b.median,
      target: c.kind === "write" ? 2 : 1.5,
    });
  }
  return rows;
}

/** `count` runs of `args` in each of `lanes` concurrent loops; wall ms for all of them. */
async function lanes(lanesArgs: string[][], count: number, cwd: string): Promise<number> {
  const started = performance.now();
  await Promise.all(
    lanesArgs.map(async (args) => {
      for (let i = 0; i < count; i++) {
        await new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, args, { cwd, stdio: "ignore" });
          child.on("error", reject);
          child.on("close", () => resolve());
        });
      }
    }),
  );
  return performance.now() - started;
}

async function throughput(tasks: number): Promise<string> {
  const { dir, sessions } = fixture(tasks);
  try {
    const agents = sessions.slice(0, AGENTS);
    const baseMs = await lanes(
      agents.map(() => ["-e", "0"]),
      CLAIMS_EACH,
      dir,
    );
    const claimMs = await lanes(
      agents.map((ws) => [BIN, "work", "claim", SPEC, "--session", ws, "-q"]),
      CLAIMS_EACH,
      dir,
    );
    const n = AGENTS * CLAIMS_EACH;
    const base = (n / baseMs) * 1000;
    const claims = (n / claimMs) * 1000;
    const claimed = fs
      .readdirSync(path.join(dir, ".baton", "planning", SPEC, "work", "claims"))
      .filter((f) => f.endsWith(".json")).length;
    return `${AGENTS} agents × ${CLAIMS_EACH} claims at ${tasks} tasks: ${claims.toFixed(1)} claims/s against ${base.toFixed(1)} runs/s of \`node -e 0\` (${((claims / base) * 100).toFixed(0)}%, target ≥ 40%); ${claimed} claim files after`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(BIN)) throw new Error("run npm run build first");
  const rows: Row[] = [];
  for (const scale of SCALES) {
    const { dir, sessions } = fixture(scale);
    try {
      rows.push(...measure(dir, scale, sessions));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const table = markdownTable(
    [
      "tasks / sessions",
      "command",
      "kind",
      "median ms",
      "p90 ms",
      "`node -e 0` ms",
      "ratio",
      "target",
      "within",
    ],
    rows.map((r) => [
      `${r.scale.toLocaleString("en")} / ${SESSIONS}`,
      r.command,
      r.kind,
      r.median.toFixed(1),
      r.p90.toFixed(1),
      r.base.toFixed(1),
      `${r.ratio.toFixed(2)}×`,
      `≤ ${r.target}×`,
      r.ratio <= r.target ? "yes" : "**no**",
    ]),
    ["left", "left", "left", "right", "right", "right", "right", "right", "left"],
  );
  console.log(`Node ${process.version}, ${os.cpus().length} cores, ${RUNS} runs a command\n`);
  console.log(table);
  console.log("");
  console.log(await throughput(Math.max(...SCALES)));
}

if (import.meta.main) await main();
