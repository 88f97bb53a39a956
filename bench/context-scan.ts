/**
 * Files per second of `baton plan context` (phase 2's repository scan), measured by hand:
 *
 *   npm run -s build && node bench/context-scan.ts [--files 20000] [--repo <dir>]
 *
 * 1. The scan pipeline (git file list, capped reads, relevance scoring) over an existing
 *    repository, this one by default.
 * 2. The whole command, run by the built CLI, on a generated git repository of --files files
 *    (TypeScript sources importing each other, tests, docs, a few large and binary files).
 *
 * Prints the figures; copy them into docs/benchmarks.md by hand.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { extractKeywords, scoreFile } from "../src/core/plan/context-rank.ts";
import { pathGuard } from "../src/store/guard.ts";
import { listRepoFiles, readCapped } from "../src/store/repo-scan.ts";

const REPO = path.resolve(import.meta.dirname, "..");
const BIN = path.join(REPO, "dist", "baton.js");
const { values } = parseArgs({
  options: { files: { type: "string", default: "20000" }, repo: { type: "string" } },
});

function scanPipeline(root: string): { files: number; read: number; ms: number } {
  const keywords = extractKeywords("plan context scan repository files relevance conflicts");
  const t0 = performance.now();
  const ws = { root, guard: pathGuard(root) };
  const listing = listRepoFiles(ws, (rel) => rel.startsWith(".baton/"));
  let read = 0;
  for (const f of listing.files) {
    const { text } = readCapped(ws, f);
    if (text !== null) read++;
    scoreFile(f, text, keywords);
  }
  return { files: listing.files.length, read, ms: performance.now() - t0 };
}

function run(cwd: string, args: string[]): { stdout: string; status: number | null } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`baton ${args.join(" ")}: ${r.stderr}`);
  return r;
}

function generate(dir: string, count: number): void {
  const modules = ["auth", "billing", "search", "storage", "api", "ui", "jobs", "mail"];
  for (let i = 0; i < count; i++) {
    const mod = modules[i % modules.length] as string;
    const sub = `pkg${Math.floor(i / 400)}`;
    let rel: string;
    let text: string;
    if (i % 10 === 0) {
      rel = `test/${mod}/${sub}/case${i}.test.ts`;
      text = `import { f${i - 1} } from "../../../src/${mod}/${sub}/file${i - 1}.ts";\nf${i - 1}();\n`;
    } else if (i % 25 === 1) {
      rel = `docs/${mod}/${sub}/note${i}.md`;
      text = `# ${mod} note ${i}\n\nHow ${mod} handles sessions and retries.\n`;
    } else if (i % 1000 === 7) {
      rel = `assets/${sub}/blob${i}.bin`;
      text = `${"\0".repeat(16)}binary`;
    } else if (i % 2000 === 3) {
      rel = `data/${sub}/big${i}.json`;
      text = `[${'"x",'.repeat(80_000)}"x"]`;
    } else {
      rel = `src/${mod}/${sub}/file${i}.ts`;
      text = `import { z } from "zod";\nimport { f${i + 1} } from "./file${i + 1}.ts";\n// ${mod} logic for ${sub}\nexport function f${i}() {\n  return z.string().parse("${mod}-${i}");\n}\n`;
    }
    const full = path.join(dir, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  }
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "gen", dependencies: { zod: "^3" } }),
  );
}

const repoRoot = values.repo ? path.resolve(values.repo) : REPO;
const here = scanPipeline(repoRoot);
console.log(
  `scan pipeline on ${values.repo ? repoRoot : "this repository"}: ${here.files} files (${here.read} read) in ${here.ms.toFixed(0)} ms = ${Math.round((here.files / here.ms) * 1000)} files/s`,
);

const count = Number(values.files);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "baton-scan-"));
try {
  generate(dir, count);
  spawnSync("git", ["init", "-q"], { cwd: dir });
  spawnSync("git", ["add", "-A"], { cwd: dir });
  spawnSync(
    "git",
    ["-c", "user.name=b", "-c", "user.email=b@example.com", "commit", "-qm", "gen"],
    { cwd: dir },
  );
  run(dir, ["init"]);
  run(dir, [
    "plan",
    "Auth session retries",
    "--body",
    "Retry auth sessions in storage and mail jobs.",
  ]);
  const plan = "plan-auth-session-retries";
  const gen = scanPipeline(dir);
  const t0 = performance.now();
  const out = JSON.parse(run(dir, ["plan", "context", plan, "--refresh", "--json"]).stdout);
  const wall = performance.now() - t0;
  console.log(
    `scan pipeline on a generated tree: ${gen.files} files (${gen.read} read) in ${gen.ms.toFixed(0)} ms = ${Math.round((gen.files / gen.ms) * 1000)} files/s`,
  );
  console.log(
    `baton plan context on it: ${out.files_listed} files (${out.files_read} read), phase ${out.duration_ms} ms = ${out.files_per_second} files/s; whole command ${wall.toFixed(0)} ms; risk ${out.risk_level}`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
