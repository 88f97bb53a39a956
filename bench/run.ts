/**
 * `npm run bench`: start-up cost of Baton's everyday commands as the workspace grows.
 *
 * For each scale it builds a workspace in a temp folder (a real `baton init`, then topics,
 * snapshots and tickets written straight to disk by bench/fixture.ts), then times each command
 * of the built CLI against `node -e 0`, interleaved, and reports medians, p90, peak memory and
 * the ratio to the baseline. The Markdown report goes to stdout and to docs/benchmarks.md.
 *
 *   npm run bench                      full run: 0, 1,000 and 10,000 topics
 *   npm run bench -- --quick           small scales, few runs (does not rewrite the docs)
 *   npm run bench -- --runs 40         measured pairs per command (time budget permitting)
 *   npm run bench -- --scales 0,5000   topic counts to measure (sessions and tickets follow)
 *   npm run bench -- --profile         also CPU-profile each command at the largest scale
 *   npm run bench -- --rss preload     max RSS via a --require preload instead of `time`
 *   npm run bench -- --keep            keep the temp workspaces and print where they are
 *   npm run bench -- --write | --no-write   force or skip writing docs/benchmarks.md
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { type Fixture, generateWorkspace, type Scale, scaleFor } from "./fixture.ts";
import {
  createRunner,
  type RssMethod,
  type Runner,
  type Sample,
  type Stats,
  stats,
} from "./measure.ts";
import { summarizeProfile } from "./profile.ts";
import { type Align, markdownTable } from "./table.ts";

const REPO = path.resolve(import.meta.dirname, "..");
const DIST = path.join(REPO, "dist");
const DOCS = path.join(REPO, "docs", "benchmarks.md");

/** The bundle under test; set once the run has its own copy of dist/. */
let BIN = path.join(DIST, "baton.js");

const TARGETS = { read: 1.5, write: 2 } as const;
type Kind = keyof typeof TARGETS;

interface Options {
  quick: boolean;
  runs: number;
  warmups: number;
  scales: number[];
  /** Stop adding measured pairs for one command at one scale after this long. */
  budgetMs: number;
  minRuns: number;
  profile: boolean;
  keep: boolean;
  write: boolean;
  rss: RssMethod | undefined;
}

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.stderr.write(
    "usage: npm run bench -- [--quick] [--runs N] [--scales 0,1000,10000] [--profile] [--rss time|preload] [--keep] [--write|--no-write]\n",
  );
  process.exit(2);
}

function readOptions(argv: string[]): Options {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        quick: { type: "boolean" },
        runs: { type: "string" },
        scales: { type: "string" },
        profile: { type: "boolean" },
        keep: { type: "boolean" },
        write: { type: "boolean" },
        "no-write": { type: "boolean" },
        rss: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(
      "npm run bench -- [--quick] [--runs N] [--scales 0,1000,10000] [--profile] [--rss time|preload] [--keep] [--write|--no-write]\n",
    );
    process.exit(0);
  }
  const quick = values.quick === true;
  const int = (raw: string | boolean | undefined, name: string, min: number, max: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      usage(`--${name} must be a whole number from ${min} to ${max}, got ${String(raw)}`);
    }
    return n;
  };
  const runs = values.runs === undefined ? (quick ? 5 : 30) : int(values.runs, "runs", 1, 1000);
  const scales =
    values.scales === undefined
      ? quick
        ? [0, 1_000]
        : [0, 1_000, 10_000]
      : String(values.scales)
          .split(",")
          .map((s) => int(s.trim(), "scales", 0, 50_000));
  if (values.rss !== undefined && values.rss !== "time" && values.rss !== "preload") {
    usage(`--rss must be time or preload, got ${String(values.rss)}`);
  }
  if (values.write && values["no-write"]) usage("--write and --no-write cannot be combined");
  return {
    quick,
    runs,
    warmups: quick ? 1 : 3,
    scales: [...new Set(scales)].sort((a, b) => a - b),
    budgetMs: quick ? 8_000 : 20_000,
    minRuns: Math.min(runs, 5),
    profile: values.profile === true,
    keep: values.keep === true,
    // A quick run is a smoke test: it must not replace the published numbers by accident.
    write: values.write === true || (!quick && values["no-write"] !== true),
    rss: values.rss as RssMethod | undefined,
  };
}

// ---- the commands under test ----

interface Command {
  label: string;
  kind: Kind;
  args(n: number): string[];
  /** Untimed set-up before every run of the command. */
  prepare?(fixture: Fixture): void;
  /** True when the fixture has nothing for the command to act on (no tickets at scale 0). */
  skip?(fixture: Fixture): boolean;
  /** Throws when the output shows the command did not do what is being measured. */
  check(sample: Sample, fixture: Fixture): void;
}

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(`bench check failed: ${what}`);
}

/** The ticket and status the next `ticket set-status` run uses (set by its prepare step). */
let setStatusTarget = { id: "", status: "" };

const COMMANDS: Command[] = [
  {
    label: "baton seed --active",
    kind: "read",
    args: () => ["seed", "--active"],
    check: (s, f) =>
      expect(s.stdout.includes(f.active.session_id), "seed --active names the session"),
  },
  {
    label: "baton status",
    kind: "read",
    args: () => ["status"],
    check: (s, f) => expect(s.stdout.includes(f.active.session_id), "status names the session"),
  },
  {
    label: 'baton spike "<new title>"',
    kind: "write",
    args: (n) => ["spike", `Bench new spike ${n}`],
    check: (s) =>
      expect(/auto-linked spike spike-bench-new-spike-\d+/.test(s.stderr), "spike is auto-linked"),
  },
  {
    label: "baton ticket list --json",
    kind: "read",
    args: () => ["ticket", "list", "--json"],
    check: (s, f) => {
      const total = (JSON.parse(s.stdout) as { total: number; tickets: unknown[] }).total;
      expect(total === f.counts.tickets, `ticket list --json total ${total} = ${f.counts.tickets}`);
    },
  },
  {
    label: "baton ticket set-status <id> <status>",
    kind: "write",
    // Each run moves the ticket to a status other than the one its file holds, so every run is
    // a real change: the ticket file, the event log, the plan's backlog.md, the ticket index.
    args: () => ["ticket", "set-status", setStatusTarget.id, setStatusTarget.status, "--json"],
    prepare: (f) => {
      if (!f.aTicket) return;
      const current = /^status: (\S+)$/m.exec(fs.readFileSync(f.aTicket, "utf8"))?.[1];
      setStatusTarget = {
        id: path.basename(f.aTicket, ".md"),
        status: current === "in_progress" ? "done" : "in_progress",
      };
    },
    skip: (f) => f.aTicket === null,
    check: (s) =>
      expect((JSON.parse(s.stdout) as { changed: boolean }).changed, "set-status changes it"),
  },
  {
    label: "baton ticket list --all --json",
    kind: "read",
    args: () => ["ticket", "list", "--all", "--json"],
    check: (s, f) => {
      const r = JSON.parse(s.stdout) as { total: number; tickets: unknown[] };
      expect(
        r.total === f.counts.tickets && r.tickets.length === f.counts.tickets,
        `ticket list --all --json lists ${r.tickets.length} of ${r.total} = ${f.counts.tickets}`,
      );
    },
  },
  {
    label: "baton ticket list --json (a ticket changed)",
    kind: "read",
    args: () => ["ticket", "list", "--json"],
    // Rewrites one ticket by rename, as Baton and git do, so nothing derived from the previous
    // state of the tickets folder (a cache, say) can be trusted: the cold path of ticket list.
    prepare: (f) => {
      if (!f.aTicket) return;
      const temp = `${f.aTicket}.bench-tmp`;
      fs.copyFileSync(f.aTicket, temp);
      fs.renameSync(temp, f.aTicket);
    },
    check: (s, f) => {
      const total = (JSON.parse(s.stdout) as { total: number }).total;
      expect(total === f.counts.tickets, `ticket list --json total ${total} = ${f.counts.tickets}`);
    },
  },
];

const BASELINE = ["-e", "0"];

interface Result {
  scale: Scale;
  command: Command;
  runs: number;
  cmd: Stats;
  base: Stats;
  cmdRssKb: number;
  baseRssKb: number;
  ratio: number;
}

// ---- measuring ----

/** Numbers every run, so each `baton spike` gets a title never used before. */
let runCounter = 0;

function measure(
  runner: Runner,
  command: Command,
  fixture: Fixture,
  scale: Scale,
  opts: Options,
): Result {
  const cwd = fixture.ws.root;
  const next = () => command.args(++runCounter);
  const cmdArgs = () => {
    command.prepare?.(fixture);
    return [BIN, ...next()];
  };
  // Warm up the page cache, the binary and the file system paths; the first run is checked.
  let pairMs = 0;
  for (let w = 0; w < Math.max(1, opts.warmups); w++) {
    const base = runner.run(BASELINE, cwd);
    const sample = runner.run(cmdArgs(), cwd);
    if (w === 0) command.check(sample, fixture);
    pairMs = base.ms + sample.ms;
    if (pairMs > 1_000 && w >= 1) break;
  }
  const affordable = Math.floor(opts.budgetMs / Math.max(1, pairMs));
  const runs = Math.max(opts.minRuns, Math.min(opts.runs, affordable));
  const cmdMs: number[] = [];
  const baseMs: number[] = [];
  const cmdRss: number[] = [];
  const baseRss: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first so drift and noise land on both sides equally.
    const order = i % 2 === 0 ? ["base", "cmd"] : ["cmd", "base"];
    for (const which of order) {
      if (which === "base") {
        const s = runner.run(BASELINE, cwd);
        baseMs.push(s.ms);
        baseRss.push(s.rssKb);
      } else {
        const s = runner.run(cmdArgs(), cwd);
        cmdMs.push(s.ms);
        cmdRss.push(s.rssKb);
      }
    }
  }
  const cmd = stats(cmdMs);
  const base = stats(baseMs);
  return {
    scale,
    command,
    runs,
    cmd,
    base,
    cmdRssKb: stats(cmdRss).max,
    baseRssKb: stats(baseRss).max,
    ratio: cmd.median / base.median,
  };
}

interface ProfileReport {
  command: string;
  summary: ReturnType<typeof summarizeProfile>;
}

function profileCommands(fixture: Fixture, scratch: string): ProfileReport[] {
  const reports: ProfileReport[] = [];
  COMMANDS.forEach((command, i) => {
    if (command.skip?.(fixture)) return;
    const dir = path.join(scratch, `profile-${i}`);
    fs.mkdirSync(dir, { recursive: true });
    command.prepare?.(fixture);
    const result = spawnSync(
      process.execPath,
      [
        "--cpu-prof",
        "--cpu-prof-dir",
        dir,
        "--cpu-prof-interval",
        "100",
        BIN,
        ...command.args(++runCounter),
      ],
      {
        cwd: fixture.ws.root,
        env: { ...process.env, NO_COLOR: "1", NODE_OPTIONS: "" },
        stdio: ["ignore", "pipe", "pipe"],
        maxBuffer: 512 * 1024 * 1024,
        timeout: 120_000,
      },
    );
    const file = fs.readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
    if (result.status !== 0 || !file) {
      process.stderr.write(`bench: could not profile ${command.label}\n`);
      return;
    }
    reports.push({
      command: command.label,
      summary: summarizeProfile(path.join(dir, file), path.basename(BIN), 10),
    });
  });
  return reports;
}

// ---- reporting ----

const fmtInt = (n: number) => n.toLocaleString("en-US");
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "n/a");
const mib = (kb: number) => (Number.isFinite(kb) ? (kb / 1024).toFixed(0) : "n/a");
const times = (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : "n/a");

function scaleLabel(s: Scale): string {
  return `${fmtInt(s.topics)} / ${fmtInt(s.sessions)} / ${fmtInt(s.tickets)}`;
}

function verdict(r: Result): string {
  return r.ratio <= TARGETS[r.command.kind] ? "yes" : "**no**";
}

function resultsTable(results: Result[]): string {
  const header = [
    "topics / sessions / tickets",
    "command",
    "kind",
    "runs",
    "median ms",
    "p90 ms",
    "`node -e 0` median ms",
    "ratio",
    "target",
    "within",
    "peak RSS MiB",
    "`node -e 0` RSS MiB",
  ];
  const rows = results.map((r) => [
    scaleLabel(r.scale),
    `\`${r.command.label}\``,
    r.command.kind,
    String(r.runs),
    ms(r.cmd.median),
    ms(r.cmd.p90),
    ms(r.base.median),
    times(r.ratio),
    `≤ ${TARGETS[r.command.kind]}×`,
    verdict(r),
    mib(r.cmdRssKb),
    mib(r.baseRssKb),
  ]);
  const L: Align = "left";
  const R: Align = "right";
  return markdownTable(header, rows, [L, L, L, R, R, R, R, R, R, L, R, R]);
}

/** One row per command: how its median and ratio move as the workspace grows. */
function growthTable(results: Result[], scales: Scale[]): string {
  const header = [
    "command",
    ...scales.map((s) => `${fmtInt(s.topics)} topics`),
    "extra ms, smallest → largest",
  ];
  const rows = COMMANDS.map((c) => {
    const mine = scales.map((s) =>
      results.find((r) => r.command === c && r.scale.topics === s.topics),
    );
    const cells = mine.map((r) => (r ? `${ms(r.cmd.median)} ms (${times(r.ratio)})` : "n/a"));
    const measured = mine.filter((r) => r !== undefined);
    const first = measured[0];
    const last = measured[measured.length - 1];
    const extra = (r: Result | undefined) => (r ? r.cmd.median - r.base.median : Number.NaN);
    const growth = first && last ? `${ms(extra(first))} → ${ms(extra(last))}` : "n/a";
    return [`\`${c.label}\``, ...cells, growth];
  });
  return markdownTable(header, rows, ["left", ...header.slice(1).map((): Align => "right")]);
}

function profileSection(reports: ProfileReport[], scale: Scale): string {
  const out = [`## CPU profile at ${scaleLabel(scale)} (one run each, 100 µs sampling)`, ""];
  const rows = (list: { name: string; ms: number }[], code: boolean) =>
    list.map((row) => [ms(row.ms), code ? `\`${row.name}\`` : row.name]);
  for (const { command, summary } of reports) {
    out.push(`### \`${command}\` (${ms(summary.totalMs)} ms sampled)`, "");
    out.push(markdownTable(["ms", "where"], rows(summary.split, false), ["right", "left"]), "");
    out.push(markdownTable(["self ms", "function"], rows(summary.self, true), ["right", "left"]));
    out.push("");
    out.push(
      markdownTable(["inclusive ms", "Baton function"], rows(summary.inclusive, true), [
        "right",
        "left",
      ]),
      "",
    );
  }
  return out.join("\n");
}

const loadAtStart = os.loadavg()[0] ?? 0;

function machineFacts(runner: Runner): string[] {
  const cpus = os.cpus();
  const model = (cpus[0]?.model ?? "unknown CPU").replace(/\s+/g, " ").trim();
  return [
    `- Machine: ${cpus.length} × ${model}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} (${os.arch()})`,
    `- Node ${process.version} (the pinned \`node\` devDependency), running the bundled \`dist/baton.js\``,
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
    `- Memory: ${runner.describe}`,
    `- Load average (1 min) at start / end: ${loadAtStart.toFixed(2)} / ${(os.loadavg()[0] ?? 0).toFixed(2)}; other work on the machine shows up as noise, which the interleaved baseline absorbs in part`,
  ];
}

function report(
  results: Result[],
  scales: Scale[],
  runner: Runner,
  opts: Options,
  genTimes: string[],
): string {
  return [
    "# Benchmarks",
    "",
    "How long Baton's everyday commands take from process start to exit, and how much memory they",
    "use, as the workspace grows. Agents call these commands many times per task, so each should",
    "cost about as much as starting Node itself, whatever the size of the workspace.",
    "",
    ...machineFacts(runner),
    `- Generated by \`npm run bench${opts.quick ? " -- --quick" : ""}\` (bench/run.ts)`,
    "",
    "## Method",
    "",
    "- Each scale is a fresh workspace in a temp folder: a real `baton init`, then topics (about",
    "  30% seeds, 50% spikes, 20% plans, each with its document and `sources.md`, all in",
    "  `index.json`), archived and completed session snapshots (3 in 4 completed, each with its",
    "  plan's tickets), ticket files, and one active session with a seed, 5 spikes and a plan.",
    "  The fixture is written directly with the core renderers, not through the CLI.",
    "- Every command runs the built CLI with the same Node binary in a new process, stdout and",
    "  stderr captured through pipes, as an agent would call it. Wall time is measured by the",
    "  parent around the spawn.",
    "- Baseline: `node -e 0`, run interleaved with the command (alternating which goes first), so",
    "  machine noise hits both. Ratio = command median / baseline median.",
    `- ${opts.warmups} warm-up pair(s) before measuring; up to ${opts.runs} measured pairs per command and`,
    `  scale, fewer when a command is slow (budget ${opts.budgetMs / 1000} s, at least ${opts.minRuns}).`,
    "  p90 is the nearest-rank 90th percentile. Peak RSS is the largest max RSS over the runs.",
    "- `baton spike` gets a new title every run, so each run creates and links a new topic",
    "  (a real write: lock, atomic writes, index.json rewrite, event log append).",
    "- `ticket list --json` prints what it prints by default; the run checks that its `total`",
    '  counts every ticket. The row "(a ticket changed)" rewrites one ticket file by rename',
    "  (untimed) before each run, as `baton ticket set-status` or a `git pull` would, so anything",
    "  derived from the previous state of the tickets folder is stale: the cold path.",
    "- `ticket set-status` moves the fixture's first ticket to a status other than the one its",
    "  file holds (`in_progress`, or `done` when it is in progress), so every run is a real",
    "  change: the ticket file, the event log, its plan's backlog.md, the ticket index, the",
    "  journal. The smallest workspace has no ticket, so the row is left out there.",
    "- `ticket list --all --json` prints every ticket; the run checks that it printed them all.",
    "",
    "## Targets",
    "",
    `- Reads (\`seed --active\`, \`status\`, \`ticket list\`): ≤ ${TARGETS.read}× \`node -e 0\`.`,
    `- Writes (\`spike\`, \`ticket set-status\`): ≤ ${TARGETS.write}× \`node -e 0\`.`,
    "- Flat: the ratio should not grow with the workspace.",
    "",
    "## Results",
    "",
    resultsTable(results),
    "",
    "## Growth with workspace size (median, ratio to `node -e 0`)",
    "",
    growthTable(results, scales),
    "",
    "Fixture generation (not measured above):",
    "",
    ...genTimes.map((g) => `- ${g}`),
    "",
    "## Reproduce",
    "",
    "```",
    "npm run bench                   # full run, rewrites this file",
    "npm run bench -- --quick        # small scales, few runs, prints only",
    "npm run bench -- --runs 40      # more measured pairs",
    "npm run bench -- --profile      # adds CPU profiles of each command at the largest scale",
    "```",
    "",
  ].join("\n");
}

/** The docs are committed: they must not name folders of the machine that produced them. */
function assertPortable(text: string, folders: string[]): void {
  for (const folder of folders) {
    if (folder.length > 1 && text.includes(folder)) {
      throw new Error("the report names a local folder; refusing to write docs/benchmarks.md");
    }
  }
}

// ---- main ----

async function main(): Promise<void> {
  const opts = readOptions(process.argv.slice(2));
  if (!fs.existsSync(path.join(DIST, "baton.js"))) {
    throw new Error("dist/baton.js is missing: run npm run build (npm run bench does it for you)");
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "baton-bench-"));
  // Run a private copy of the bundle: a rebuild of dist/ during the run must not change what is
  // being measured halfway through.
  fs.cpSync(DIST, path.join(scratch, "dist"), { recursive: true });
  // The bundle may load a dependency lazily (require); resolve it from the repository's.
  const linkType = process.platform === "win32" ? "junction" : "dir";
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(scratch, "node_modules"), linkType);
  BIN = path.join(scratch, "dist", "baton.js");
  let cleaned = false;
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    if (opts.keep) process.stderr.write(`bench: kept ${scratch}\n`);
    else fs.rmSync(scratch, { recursive: true, force: true });
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      cleanup();
      process.exit(130);
    });
  }
  try {
    const runner = createRunner(scratch, opts.rss);
    const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
    log(`Node ${process.version}, ${os.cpus().length} CPUs, memory via ${runner.method}`);
    const scales = opts.scales.map(scaleFor);
    const results: Result[] = [];
    const genTimes: string[] = [];
    let profiles: ProfileReport[] = [];
    for (const scale of scales) {
      const root = path.join(scratch, `ws-${scale.topics}`);
      fs.mkdirSync(root);
      const init = spawnSync(process.execPath, [BIN, "init"], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1", NODE_OPTIONS: "" },
        timeout: 60_000,
      });
      if (init.status !== 0) throw new Error(`baton init failed: ${init.stderr}`);
      const started = performance.now();
      const fixture = generateWorkspace(root, scale);
      const took = (performance.now() - started) / 1000;
      const c = fixture.counts;
      const gen = `${scaleLabel(scale)}: ${fmtInt(c.files)} files in ${took.toFixed(1)} s (${fmtInt(c.topics)} topics in index.json, ${fmtInt(c.tickets)} tickets)`;
      genTimes.push(gen);
      log(`generated ${gen}`);
      for (const command of COMMANDS) {
        if (command.skip?.(fixture)) {
          log(`${scaleLabel(scale)}  ${command.label}: skipped (nothing to act on)`);
          continue;
        }
        const r = measure(runner, command, fixture, scale, opts);
        results.push(r);
        log(
          `${scaleLabel(scale)}  ${command.label}: ${ms(r.cmd.median)} ms vs ${ms(r.base.median)} ms (${times(r.ratio)}, ${r.runs} runs)`,
        );
      }
      if (opts.profile && scale === scales[scales.length - 1]) {
        profiles = profileCommands(fixture, scratch);
      }
      if (!opts.keep) fs.rmSync(root, { recursive: true, force: true });
    }
    const text = report(results, scales, runner, opts, genTimes);
    const largest = scales[scales.length - 1];
    const extra = profiles.length > 0 && largest ? `\n${profileSection(profiles, largest)}` : "";
    process.stdout.write(`${text}${extra}`);
    if (opts.write) {
      assertPortable(text, [scratch, REPO, os.tmpdir(), os.homedir()]);
      fs.mkdirSync(path.dirname(DOCS), { recursive: true });
      fs.writeFileSync(DOCS, keepHandSections(text));
      log(`wrote ${path.relative(REPO, DOCS)}`);
    } else {
      log("docs/benchmarks.md not rewritten (quick run or --no-write; pass --write to force)");
    }
  } finally {
    cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

/**
 * Sections measured by hand (their heading says so) are not produced by this script: carry them
 * over from the current docs file, before "## Reproduce", instead of dropping them.
 */
function keepHandSections(text: string): string {
  const current = fs.existsSync(DOCS) ? fs.readFileSync(DOCS, "utf8") : "";
  const sections = current
    .split(/\n(?=## )/)
    .filter((section) => /^## .*measured by hand/.test(section))
    .map((section) => section.trimEnd());
  if (sections.length === 0) return text;
  const at = text.indexOf("\n## Reproduce");
  const block = `${sections.join("\n\n")}\n`;
  return at === -1
    ? `${text.trimEnd()}\n\n${block}`
    : `${text.slice(0, at + 1)}${block}\n${text.slice(at + 1)}`;
}
