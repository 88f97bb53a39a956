/**
 * Runs a process and reports its wall time and peak memory (max RSS).
 *
 * Wall time is taken in this process around a synchronous spawn, so it covers everything a
 * caller waits for: process start, the command, writing its output into a pipe, and exit.
 *
 * Max RSS, in order of preference:
 *  - "time": the child is started through the system's `time` program (`-f %M`), which reads
 *    the child's rusage from wait4(2). It adds one small fork+exec to every run, and every run
 *    (baseline included) goes through it, so ratios are unaffected.
 *  - "preload": the child gets `--require <file>`, a few lines that write
 *    `process.resourceUsage().maxRSS` to a side file on exit. It costs the child one tiny
 *    CommonJS load, again on every run, baseline included.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export type RssMethod = "time" | "preload";

export interface Sample {
  ms: number;
  /** Peak resident memory in KiB. */
  rssKb: number;
  stdout: string;
  stderr: string;
}

export interface Runner {
  method: RssMethod;
  describe: string;
  run(args: string[], cwd: string): Sample;
}

const TIME_BIN = "/usr/bin/time";
/** No single run may hang the benchmark. */
const RUN_TIMEOUT_MS = 120_000;
const MAX_OUTPUT = 512 * 1024 * 1024;

/** A clean environment: no colour, no inherited NODE_OPTIONS, no debug output. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...extra };
  delete env.NODE_OPTIONS;
  delete env.BATON_DEBUG;
  delete env.FORCE_COLOR;
  return env;
}

function timeWorks(): boolean {
  if (process.platform !== "linux" || !fs.existsSync(TIME_BIN)) return false;
  const probe = spawnSync(TIME_BIN, ["-f", "%M", process.execPath, "-e", "0"], {
    encoding: "utf8",
    timeout: 10_000,
  });
  return probe.status === 0 && /^\d+$/.test(lastLine(probe.stderr));
}

function lastLine(text: string): string {
  const lines = text.trimEnd().split("\n");
  return (lines[lines.length - 1] ?? "").trim();
}

/** Picks the max-RSS method; `prefer` forces one (falling back when "time" is unusable). */
export function createRunner(scratch: string, prefer?: RssMethod): Runner {
  const node = process.execPath;
  if (prefer !== "preload" && timeWorks()) {
    return {
      method: "time",
      describe: "max RSS from the system `time -f %M` wrapper (rusage of the child via wait4)",
      run(args, cwd) {
        const { ms, stdout, stderr } = spawnTimed(TIME_BIN, ["-f", "%M", node, ...args], cwd, {});
        const rss = Number(lastLine(stderr));
        const own = stderr.trimEnd().split("\n").slice(0, -1).join("\n");
        return { ms, rssKb: Number.isFinite(rss) ? rss : Number.NaN, stdout, stderr: own };
      },
    };
  }
  const preload = path.join(scratch, "maxrss-preload.cjs");
  const side = path.join(scratch, "maxrss.txt");
  fs.writeFileSync(
    preload,
    [
      "const fs = require('node:fs');",
      "process.on('exit', () => {",
      "  try { fs.writeFileSync(process.env.BATON_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)); } catch {}",
      "});",
      "",
    ].join("\n"),
  );
  return {
    method: "preload",
    describe: "max RSS from process.resourceUsage().maxRSS, written on exit by a --require preload",
    run(args, cwd) {
      fs.rmSync(side, { force: true });
      const result = spawnTimed(node, ["--require", preload, ...args], cwd, {
        BATON_BENCH_RSS_FILE: side,
      });
      let rss = Number.NaN;
      try {
        rss = Number(fs.readFileSync(side, "utf8"));
      } catch {
        // The child died before its exit handler ran.
      }
      return { ...result, rssKb: rss };
    },
  };
}

function spawnTimed(
  file: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): { ms: number; stdout: string; stderr: string } {
  const start = performance.now();
  const result = spawnSync(file, args, {
    cwd,
    env: childEnv(env),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: MAX_OUTPUT,
    timeout: RUN_TIMEOUT_MS,
  });
  const ms = performance.now() - start;
  if (result.error)
    throw new Error(`could not run ${path.basename(file)}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(
      `${args.filter((a) => !a.includes(path.sep)).join(" ")} exited with ${result.status ?? result.signal}: ${result.stderr.trim().slice(-2000)}`,
    );
  }
  return { ms, stdout: result.stdout, stderr: result.stderr };
}

export interface Stats {
  n: number;
  median: number;
  p90: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function stats(values: number[]): Stats {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  const median =
    n === 0
      ? Number.NaN
      : n % 2 === 1
        ? (sorted[(n - 1) / 2] as number)
        : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
  return {
    n,
    median,
    p90: percentile(sorted, 90),
    min: sorted[0] ?? Number.NaN,
    max: sorted[n - 1] ?? Number.NaN,
  };
}
