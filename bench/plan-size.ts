/**
 * How `baton plan verify`, `plan next` and everyday commands scale with one plan's size,
 * measured by hand:
 *
 *   npm run -s build && node bench/plan-size.ts [--tasks 8000,32000] [--shape waves|chain] [--bin F]
 *
 * For each size: a fresh workspace (`baton init`, `baton plan`, phases 2 and 3), a generated
 * task list imported with `baton plan tasks --from`, then each command timed once by the built
 * CLI (wall time around the spawn). Shapes: `waves` is groups of 20 tasks, each a chain over
 * its group's five files and depending on the group before (a realistic large plan); `chain` is
 * one chain of every task over one file (the deepest graph). Prints a Markdown table.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const REPO = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    bin: { type: "string", default: path.join(REPO, "dist", "baton.js") },
    tasks: { type: "string", default: "8000,32000" },
    shape: { type: "string", default: "waves" },
    timeout: { type: "string", default: "900" },
  },
});
const BIN = path.resolve(values.bin);

interface Timed {
  ms: number;
  code: number | null;
  note: string;
}

function run(cwd: string, args: string[]): Timed {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    maxBuffer: 1024 * 1024 * 1024,
    timeout: Number(values.timeout) * 1000,
  });
  const ms = performance.now() - t0;
  const firstLine = (r.stderr || r.stdout || "").split("\n")[0] ?? "";
  const note = r.error ? `killed after ${values.timeout} s` : r.status === 0 ? "" : firstLine;
  return { ms, code: r.status, note: note.slice(0, 120) };
}

function tasksFor(n: number, shape: string): unknown[] {
  const out: unknown[] = [];
  for (let i = 1; i <= n; i++) {
    const group = Math.floor((i - 1) / 20);
    const first = group * 20 + 1;
    const deps: string[] = [];
    if (shape === "chain") {
      if (i > 1) deps.push(`IMPL-${i - 1}`);
    } else {
      if (i > first) deps.push(`IMPL-${i - 1}`);
      else if (group > 0) deps.push(`IMPL-${first - 1}`);
    }
    out.push({
      id: `IMPL-${i}`,
      title: `Task ${i}`,
      depends_on: deps,
      files: shape === "chain" ? ["src/app.ts"] : [`src/m${group}/f${i % 5}.ts`],
      acceptance: [`task ${i} works`],
    });
  }
  return out;
}

const rows: string[][] = [];
for (const n of values.tasks.split(",").map(Number)) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "baton-plan-size-"));
  spawnSync("git", ["init", "-q"], { cwd: dir });
  const setup: string[][] = [
    ["init"],
    ["seed", "Big plan"],
    ["plan", "Big plan"],
    ["plan", "context", "plan-big-plan"],
    ["plan", "conflicts", "plan-big-plan"],
  ];
  for (const args of setup) {
    const r = run(dir, args);
    if (r.code !== 0) throw new Error(`baton ${args.join(" ")}: ${r.note}`);
  }
  fs.writeFileSync(path.join(dir, "tasks.json"), JSON.stringify(tasksFor(n, values.shape)));
  const measured: [string, string[]][] = [
    ["plan tasks --from", ["plan", "tasks", "plan-big-plan", "--from", "tasks.json"]],
    ["plan verify", ["plan", "verify", "plan-big-plan"]],
    ["plan next", ["plan", "next", "plan-big-plan", "--json"]],
    ["plan task --status done", ["plan", "task", "plan-big-plan", "IMPL-1", "--status", "done"]],
    ["status", ["status"]],
    ["spike", ["spike", "After the import"]],
    ["journal note", ["journal", "note", "a note"]],
    ["resume", ["resume"]],
  ];
  for (const [label, args] of measured) {
    const r = run(dir, args);
    rows.push([
      n.toLocaleString("en"),
      values.shape,
      `\`baton ${label}\``,
      r.ms.toFixed(0),
      String(r.code),
      r.note,
    ]);
    process.stderr.write(`${n} ${label}: ${r.ms.toFixed(0)} ms (exit ${r.code}) ${r.note}\n`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

const header = ["tasks", "shape", "command", "ms", "exit", "note"];
const lines = [header, header.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`);
process.stdout.write(`${lines.join("\n")}\n`);
