import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from "node:worker_threads";

export const REPO_ROOT = path.resolve(import.meta.dirname, "..");
/** The built CLI: tests run exactly what ships (`npm test` builds it first). */
export const BATON_BIN = path.join(REPO_ROOT, "dist", "baton.js");

if (!fs.existsSync(BATON_BIN)) {
  throw new Error(`${BATON_BIN} is missing: run npm run build (npm test does it for you)`);
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when it is JSON, else undefined. */
  json: any;
}

const CLEAN_ENV = { ...process.env, NO_COLOR: "1", BATON_DEBUG: "" };

/** A fresh temp folder that is a git repository. */
export function makeTempRepo(prefix = "baton-test-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  spawnSync("git", ["init", "-q"], { cwd: dir });
  return dir;
}

/** A temp git repository with `baton init` already run (extra init flags optional). */
export function makeWorkspace(initArgs: string[] = []): string {
  const dir = makeTempRepo();
  const result = baton(dir, ["init", ...initArgs]);
  if (result.code !== 0) throw new Error(`baton init failed: ${result.stderr}`);
  return dir;
}

/**
 * Hints and notices name commands as references the CLI writes out as command lines; one left
 * unwritten (a U+FDD0 … U+FDD1 marker) in anything Baton prints is a bug in every test.
 */
function rendered(result: RunResult, args: string[]): RunResult {
  if (/[\uFDD0\uFDD1]/.test(result.stdout + result.stderr)) {
    throw new Error(
      `baton ${args.join(" ")} printed a command reference unrendered:\n${result.stdout}${result.stderr}`,
    );
  }
  return result;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Runs Baton synchronously in `cwd`, in process (a worker thread running the CLI's own `run`, so
 * a command costs milliseconds, not a Node start). Commands fed on standard input, and tests that
 * need a real process (exit behaviour, signals, locks between processes), use {@link batonProcess}.
 * BATON_TEST_PROCESS=1 runs every command as a process of the built CLI instead.
 */
export function baton(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): RunResult {
  if (input !== undefined || process.env.BATON_TEST_PROCESS === "1") {
    return batonProcess(cwd, args, env, input);
  }
  const { port, flag } = inProcess();
  Atomics.store(flag, 0, 0);
  port.postMessage({ cwd, args, env: { NO_COLOR: "1", BATON_DEBUG: "", ...env } });
  Atomics.wait(flag, 0, 0);
  const reply = receiveMessageOnPort(port)?.message as
    | { code: number; stdout: string; stderr: string }
    | undefined;
  if (!reply) throw new Error("the in-process Baton worker did not answer");
  return rendered({ ...reply, json: parseJson(reply.stdout) }, args);
}

let runner: { port: MessagePort; flag: Int32Array } | undefined;

function inProcess(): { port: MessagePort; flag: Int32Array } {
  if (runner) return runner;
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(path.join(REPO_ROOT, "test", "inproc-worker.ts"), {
    workerData: { port: port2, flag },
    transferList: [port2],
  });
  worker.unref();
  port1.unref();
  runner = { port: port1, flag };
  return runner;
}

/** Runs the built CLI synchronously in `cwd`, as a process of its own. */
export function batonProcess(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): RunResult {
  const result = spawnSync(process.execPath, [BATON_BIN, ...args], {
    cwd,
    env: { ...CLEAN_ENV, ...env },
    encoding: "utf8",
    input: input ?? "",
  });
  return rendered(
    {
      code: result.status ?? -1,
      stdout: result.stdout,
      stderr: result.stderr,
      json: parseJson(result.stdout),
    },
    args,
  );
}

/** Runs the built CLI as a child process without waiting; resolves with its result. */
export function batonAsync(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BATON_BIN, ...args], {
      cwd,
      env: { ...CLEAN_ENV, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) =>
      resolve({ code: code ?? -1, stdout, stderr, json: parseJson(stdout) }),
    );
  });
}

export function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

export function knowledge(dir: string, ...parts: string[]): string {
  return path.join(dir, ".baton", "knowledge", ...parts);
}

/**
 * Every file under `dir` with its bytes, to prove nothing changed; a symlink is recorded as its
 * target, never followed. Left out: git's internals and the workspace lock's generation files
 * (per-machine, gitignored), which every command that takes the lock moves on by one whether or
 * not it changes anything.
 */
export function snapshotTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.name === ".git") continue;
      if (entry.name === ".lock.d" && path.basename(d) === ".baton") continue;
      const full = path.join(d, entry.name);
      if (entry.isSymbolicLink()) out.set(path.relative(dir, full), `-> ${fs.readlinkSync(full)}`);
      else if (entry.isDirectory()) walk(full);
      else out.set(path.relative(dir, full), fs.readFileSync(full, "utf8"));
    }
  };
  walk(dir);
  return out;
}

/**
 * How to run the built CLI as an unprivileged user when the tests run as root (root writes
 * through permission bits, so a permission test must drop them). The checkout may live in a
 * folder only root can enter (mode 700, as `mktemp -d` and `/root` make), so the Node binary and
 * the bundle are staged once per test process in a world-readable temp folder. Null when not root.
 */
export function unprivilegedRunner(): {
  uid: number;
  gid: number;
  node: string;
  bin: string;
} | null {
  if (process.getuid?.() !== 0) return null;
  staged ??= stageWorldReadable();
  return { uid: 65534, gid: 65534, ...staged };
}

let staged: { node: string; bin: string } | undefined;

function stageWorldReadable(): { node: string; bin: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "baton-staged-"));
  fs.chmodSync(dir, 0o755);
  const node = path.join(dir, "node");
  fs.copyFileSync(process.execPath, node);
  fs.chmodSync(node, 0o755);
  const dist = path.join(dir, "dist");
  fs.cpSync(path.dirname(BATON_BIN), dist, { recursive: true });
  const open = (d: string) => {
    fs.chmodSync(d, 0o755);
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) open(full);
      else fs.chmodSync(full, 0o644);
    }
  };
  open(dist);
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  return { node, bin: path.join(dist, path.basename(BATON_BIN)) };
}
