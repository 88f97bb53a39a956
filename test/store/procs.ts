import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { BATON_BIN } from "../helpers.ts";

export const FIXTURES = path.join(import.meta.dirname, "fixtures");

export interface Child {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
}

/** Every child a test file starts, so `killChildren` can make sure none outlives the file. */
const live = new Set<ChildProcess>();

function track(proc: ChildProcess): Child {
  live.add(proc);
  let out = "";
  let err = "";
  proc.stdout?.setEncoding("utf8").on("data", (d: string) => (out += d));
  proc.stderr?.setEncoding("utf8").on("data", (d: string) => (err += d));
  const exited = new Promise<number | string>((resolve) => {
    proc.on("close", (code, signal) => {
      live.delete(proc);
      resolve(code ?? signal ?? -1);
    });
  });
  return { proc, stdout: () => out, stderr: () => err, exited };
}

/** Starts the built CLI without waiting. */
export function startBaton(cwd: string, args: string[], env: Record<string, string> = {}): Child {
  return track(
    spawn(process.execPath, [BATON_BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", BATON_DEBUG: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
}

/**
 * Runs a Baton command until it reaches `label` (a step of its transaction, see
 * BATON_TEST_PAUSE in src/store/undo-log.ts, e.g. `replace:index.json` or `commit`), then kills
 * it with SIGKILL there: a crash at exactly that point. `whilePaused` runs before the kill.
 */
export async function killAt(
  cwd: string,
  args: string[],
  label: string,
  whilePaused: () => void | Promise<void> = () => {},
): Promise<void> {
  const child = startBaton(cwd, args, { BATON_TEST_PAUSE: label });
  const deadline = Date.now() + 20_000;
  let gone = false;
  void child.exited.then(() => (gone = true));
  while (!child.stderr().includes(`baton-test-paused ${label}`)) {
    if (gone) throw new Error(`${args.join(" ")} ended before ${label}: ${child.stderr()}`);
    if (Date.now() > deadline) throw new Error(`${args.join(" ")} never reached ${label}`);
    await sleep(5);
  }
  await whilePaused();
  child.proc.kill("SIGKILL");
  await child.exited;
}

/** Starts a TypeScript fixture from test/store/fixtures with the pinned Node. */
export function startFixture(name: string, args: string[]): Child {
  return track(
    spawn(process.execPath, [path.join(FIXTURES, name), ...args], {
      stdio: ["pipe", "pipe", "pipe"],
    }),
  );
}

/** Waits until the child printed `text` on stdout; fails on exit or after `timeoutMs`. */
export async function waitForOutput(child: Child, text: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void child.exited.then(() => (gone = true));
  while (!child.stdout().includes(text)) {
    if (gone) throw new Error(`child exited before printing ${text}: ${child.stderr()}`);
    if (Date.now() > deadline)
      throw new Error(`no ${text} within ${timeoutMs} ms: ${child.stderr()}`);
    await sleep(5);
  }
}

/** SIGKILLs the children this file started that are still running (and only those). */
export async function killChildren(): Promise<void> {
  const waits: Promise<unknown>[] = [];
  for (const proc of live) {
    if (proc.exitCode === null && proc.signalCode === null) {
      waits.push(new Promise((resolve) => proc.once("close", resolve)));
      proc.kill("SIGKILL");
    }
  }
  await Promise.all(waits);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Every file under `dir` (git internals excluded) whose name satisfies `match`. */
export function findFiles(dir: string, match: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.name === ".git") continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (match(entry.name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
