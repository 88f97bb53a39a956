import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { baton, knowledge, type RunResult, readJson, snapshotTree } from "../helpers.ts";

/** Runs baton and asserts it succeeded; returns the result. */
export function ok(dir: string, args: string[], env: Record<string, string> = {}): RunResult {
  const r = baton(dir, args, env);
  assert.equal(r.code, 0, `baton ${args.join(" ")} failed (${r.code}):\n${r.stderr}${r.stdout}`);
  return r;
}

/**
 * Runs baton with --json, asserts it failed with `code` and exit `exit`, and that stdout holds
 * exactly the one error document. Returns the parsed error.
 */
export function fails(
  dir: string,
  args: string[],
  code: string,
  exit: number,
): { code: string; message: string; hint: string; details?: Record<string, unknown> } {
  const r = baton(dir, [...args, "--json"]);
  assert.equal(r.json?.error?.code, code, `baton ${args.join(" ")}: ${r.stdout}${r.stderr}`);
  assert.equal(r.code, exit, `exit code of baton ${args.join(" ")}`);
  assert.deepEqual(Object.keys(r.json).sort(), ["error"]);
  // `details` (a corrupt file's path and line) only where the error has them.
  const { details, ...words } = r.json.error;
  assert.deepEqual(Object.keys(words).sort(), ["code", "hint", "message"]);
  if (details !== undefined) assert.equal(typeof details, "object");
  assert.ok(!r.stdout.includes("\uFDD0"), "no command reference is left unrendered");
  assert.ok(r.json.error.message.length > 0 && r.json.error.hint.length > 0);
  assert.equal(r.stdout.trim().split("\n").length, 1, "one line of JSON on stdout");
  return r.json.error;
}

/** Asserts `args` fails with `code` and leaves every file under `dir` byte-identical. */
export function failsTouchingNothing(
  dir: string,
  args: string[],
  code: string,
  exit: number,
): { code: string; message: string; hint: string } {
  const before = snapshotTree(dir);
  const error = fails(dir, args, code, exit);
  assertTreeEqual(dir, before, `baton ${args.join(" ")}`);
  return error;
}

export function assertTreeEqual(dir: string, before: Map<string, string>, what: string): void {
  const after = snapshotTree(dir);
  const added = [...after.keys()].filter((k) => !before.has(k));
  const removed = [...before.keys()].filter((k) => !after.has(k));
  const changed = [...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k));
  assert.deepEqual({ added, removed, changed }, { added: [], removed: [], changed: [] }, what);
}

export function activePlanningSession(dir: string, ...kdir: string[]): any {
  const file = kdir.length
    ? path.join(dir, ...kdir, ".active-planning.json")
    : knowledge(dir, ".active-planning.json");
  return fs.existsSync(file) ? readJson(file) : null;
}

export function read(...parts: string[]): string {
  return fs.readFileSync(path.join(...parts), "utf8");
}

/** Writes `text` to `rel` under `dir`, making the folders on the way; returns the full path. */
export function write(dir: string, rel: string, text: string): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

export const SESSION_ID = /^seed-[a-z0-9-]+@\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z(-\d+)?$/;
