/**
 * The CLI's exit codes are part of its interface: scripts branch on them. Core says which class
 * each error code is; the CLI maps the classes to the same numbers it always has.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { describe, test } from "node:test";
import { EXIT, exitCodeFor, exitCodeOf, exitCodeOfClass } from "../../src/cli/exit.ts";
import { REF_CLOSE, REF_OPEN } from "../../src/core/command-ref.ts";
import { BatonError, ERROR_CLASSES, ERROR_CODES } from "../../src/core/errors.ts";
import { baton, batonProcess, knowledge, makeTempRepo, makeWorkspace } from "../helpers.ts";

/** The exit code of every error code, as scripts rely on them. */
const BEFORE: Record<string, number> = {
  USAGE: 2,
  INVALID_ID: 2,
  INVALID_INPUT: 2,
  NO_WORKSPACE: 3,
  TOPIC_NOT_FOUND: 3,
  SESSION_NOT_FOUND: 3,
  TICKET_NOT_FOUND: 3,
  TASK_NOT_FOUND: 3,
  SPEC_NOT_FOUND: 3,
  FILE_NOT_FOUND: 3,
  NO_ACTIVE_SESSION: 4,
  STATE_CONFLICT: 4,
  NO_TASKS: 4,
  // Added with work sessions: a claim taken over is a state conflict.
  LEASE_LOST: 4,
  MERGE_CONFLICT: 4,
  CORRUPT_FILE: 5,
  SCHEMA_TOO_NEW: 5,
  CONFIG_INVALID: 5,
  UNSAFE_PATH: 5,
  LINT_FAILED: 5,
  PLAN_INVALID: 5,
  INTEGRITY_ERRORS: 5,
  LOCK_TIMEOUT: 6,
  IO_ERROR: 7,
  INTERNAL: 1,
};

const unrendered = (text: string) => text.includes(REF_OPEN) || text.includes(REF_CLOSE);

describe("exit codes", () => {
  test("each class has its exit code", () => {
    const byClass = Object.fromEntries(ERROR_CLASSES.map((c) => [c, exitCodeOfClass(c)]));
    assert.deepEqual(byClass, {
      usage: 2,
      not_found: 3,
      state: 4,
      data: 5,
      busy: 6,
      io: 7,
      internal: 1,
    });
    assert.deepEqual(EXIT, {
      ok: 0,
      internal: 1,
      usage: 2,
      notFound: 3,
      state: 4,
      data: 5,
      busy: 6,
      io: 7,
    });
  });

  test("so every code exits with the number scripts know", () => {
    assert.deepEqual([...ERROR_CODES].sort(), Object.keys(BEFORE).sort());
    for (const code of ERROR_CODES) {
      assert.equal(exitCodeFor(code), BEFORE[code], code);
      assert.equal(exitCodeOf(new BatonError(code, "m", "h")), BEFORE[code], code);
    }
  });

  test("the process exits with the class's code, one per kind of failure", () => {
    const dir = makeWorkspace();
    const cases: [string[], string, number][] = [
      [["frobnicate"], "USAGE", 2],
      [["topic", "show", "seed-missing"], "TOPIC_NOT_FOUND", 3],
      [["backlog"], "NO_ACTIVE_SESSION", 4],
    ];
    for (const [args, code, exit] of cases) {
      const r = batonProcess(dir, [...args, "--json"]);
      assert.equal(r.json?.error?.code, code, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
      assert.equal(r.code, exit, args.join(" "));
    }
    fs.writeFileSync(knowledge(dir, "index.json"), "{ not json");
    const corrupt = batonProcess(dir, ["topic", "list", "--json"]);
    assert.equal(corrupt.json?.error?.code, "CORRUPT_FILE", corrupt.stdout);
    assert.equal(corrupt.code, 5);
  });

  test("--json errors carry the details; hints name commands as command lines", () => {
    const dir = makeWorkspace();
    baton(dir, ["seed", "Foo", "-q"]);
    fs.writeFileSync(knowledge(dir, "index.json"), "{ not json");
    const r = baton(dir, ["topic", "list", "--json"]);
    assert.equal(r.code, 5);
    assert.deepEqual(r.json.error.details, { path: ".baton/knowledge/index.json" });
    const missing = baton(makeWorkspace(), ["topic", "show", "seed-missing", "--json"]);
    assert.equal(missing.json.error.hint, "list topics with: baton topic list");
    assert.equal("details" in missing.json.error, false);
    const text = baton(makeWorkspace(), ["topic", "show", "seed-missing"]);
    assert.match(text.stderr, /\(hint: list topics with: baton topic list\)/);
    const outside = baton(makeTempRepo(), ["status"]);
    assert.equal(outside.code, 3);
    assert.match(outside.stderr, /run baton init in your repository's root first/);
    for (const out of [r, missing, text, outside]) {
      assert.ok(!unrendered(out.stdout + out.stderr), out.stdout + out.stderr);
    }
  });

  test("notices name commands as command lines too", () => {
    const r = baton(makeWorkspace(), ["spike", "Rate limits"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /start one with baton seed "<title>"/);
    assert.ok(!unrendered(r.stderr), r.stderr);
  });
});
