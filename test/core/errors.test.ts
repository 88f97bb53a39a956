import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  cmd,
  prose,
  REF_CLOSE,
  REF_OPEN,
  refsIn,
  renderRefs,
  renderRefsDeep,
} from "../../src/core/command-ref.ts";
import {
  asBatonError,
  BatonError,
  corruptFile,
  ERROR_CLASSES,
  ERROR_CODES,
  errorClassOf,
} from "../../src/core/errors.ts";
import { checkSchemaVersion } from "../../src/core/schema.ts";

describe("error classes", () => {
  test("every code has one of the classes, and the classes are the kinds of failure", () => {
    assert.deepEqual([...ERROR_CLASSES].sort(), [
      "busy",
      "data",
      "internal",
      "io",
      "not_found",
      "state",
      "usage",
    ]);
    for (const code of ERROR_CODES) assert.ok(ERROR_CLASSES.includes(errorClassOf(code)), code);
    const expected: Record<string, string> = {
      USAGE: "usage",
      INVALID_ID: "usage",
      INVALID_INPUT: "usage",
      NO_WORKSPACE: "not_found",
      TOPIC_NOT_FOUND: "not_found",
      TICKET_NOT_FOUND: "not_found",
      NO_ACTIVE_SESSION: "state",
      STATE_CONFLICT: "state",
      CORRUPT_FILE: "data",
      SCHEMA_TOO_NEW: "data",
      LINT_FAILED: "data",
      LOCK_TIMEOUT: "busy",
      IO_ERROR: "io",
      INTERNAL: "internal",
    };
    for (const [code, errorClass] of Object.entries(expected)) {
      assert.equal(errorClassOf(code as never), errorClass, code);
      assert.equal(new BatonError(code as never, "m", "h").errorClass, errorClass, code);
    }
  });

  test("core knows no exit codes", async () => {
    const errors = await import("../../src/core/errors.ts");
    for (const name of ["EXIT", "exitCodeFor"]) assert.equal(name in errors, false, name);
    assert.equal("exitCode" in new BatonError("USAGE", "m", "h"), false);
  });

  test("an unexpected throw is INTERNAL", () => {
    const e = asBatonError(new Error("boom"));
    assert.equal(e.code, "INTERNAL");
    assert.equal(e.errorClass, "internal");
    assert.equal(e.message, "boom");
  });
});

describe("details", () => {
  test("toJSON carries details only when the error has them, as plain JSON", () => {
    assert.deepEqual(Object.keys(new BatonError("USAGE", "m", "h").toJSON()), [
      "code",
      "message",
      "hint",
    ]);
    const e = new BatonError("STATE_CONFLICT", "m", "h", { spec: "user-auth", stages: ["a"] });
    assert.deepEqual(JSON.parse(JSON.stringify(e)), {
      code: "STATE_CONFLICT",
      message: "m",
      hint: "h",
      details: { spec: "user-auth", stages: ["a"] },
    });
  });
});

describe("corruptFile", () => {
  test("CORRUPT_FILE naming the file, with {path} or {path, line} in the details", () => {
    const e = corruptFile(".baton/x.json", "is not valid JSON (Unexpected end)", "restore it");
    assert.ok(e instanceof BatonError);
    assert.equal(e.code, "CORRUPT_FILE");
    assert.equal(e.errorClass, "data");
    assert.equal(e.message, ".baton/x.json is not valid JSON (Unexpected end)");
    assert.equal(e.hint, "restore it");
    assert.deepEqual(e.details, { path: ".baton/x.json" });
    const at = corruptFile("k/index.log.jsonl", "holds no topic", "fix that line", 3);
    assert.equal(at.message, "k/index.log.jsonl: line 3 holds no topic");
    assert.deepEqual(at.details, { path: "k/index.log.jsonl", line: 3 });
  });

  test("a cause about something in the file follows a colon; a default hint when none is given", () => {
    const e = corruptFile("t/BTN-1.md", "field status is missing or not text");
    assert.equal(e.message, "t/BTN-1.md: field status is missing or not text");
    assert.match(e.hint, /restore the file from git/);
  });

  test("the readers' refusals are built by it", () => {
    assert.throws(
      () => checkSchemaVersion([], "a.json"),
      (e: BatonError) => {
        assert.equal(e.code, "CORRUPT_FILE");
        assert.equal(e.message, "a.json does not hold an object");
        assert.deepEqual(e.details, { path: "a.json" });
        return true;
      },
    );
    assert.throws(
      () => checkSchemaVersion({}, "events.jsonl", 7),
      (e: BatonError) => {
        assert.equal(e.message, "events.jsonl: line 7 has no valid schema_version");
        assert.deepEqual(e.details, { path: "events.jsonl", line: 7 });
        return true;
      },
    );
  });
});

describe("command references", () => {
  const words = (ref: { verb: string; args: Record<string, unknown> }) =>
    `<${ref.verb}${Object.keys(ref.args).length ? ` ${JSON.stringify(ref.args)}` : ""}>`;

  test("a reference is data in the text, read back as it was written", () => {
    const text = `list them: ${cmd("seed --sessions", { seed_id: "seed-x" })}, or ${cmd("spec list")}`;
    assert.ok(text.includes(REF_OPEN) && text.includes(REF_CLOSE));
    assert.deepEqual(refsIn(text), [
      { verb: "seed --sessions", args: { seed_id: "seed-x" } },
      { verb: "spec list", args: {} },
    ]);
    assert.equal(
      renderRefs(text, words),
      'list them: <seed --sessions {"seed_id":"seed-x"}>, or <spec list>',
    );
    assert.deepEqual(refsIn(cmd("seed", { title: prose("title") }))[0]?.args, {
      title: { prose: "<title>" },
    });
  });

  test("text without references is passed on as it is", () => {
    const plain = "nothing to see (run it again)";
    assert.equal(renderRefs(plain, words), plain);
    const value = { a: [plain, 1, null], b: { c: true } };
    assert.equal(renderRefsDeep(value, words), value);
  });

  test("every string of a value is rendered, the rest kept", () => {
    const value = { hint: `run ${cmd("init")}`, n: 2, list: [`see ${cmd("spec list")}`, null] };
    assert.deepEqual(renderRefsDeep(value, words), {
      hint: "run <init>",
      n: 2,
      list: ["see <spec list>", null],
    });
  });

  test("a marker that opens no reference is dropped, the text around it kept", () => {
    const whole = `a ${cmd("spec approve", { name: "x" })} b`;
    const cut = whole.slice(0, whole.indexOf(REF_CLOSE) - 3);
    const shown = renderRefs(cut, words);
    assert.ok(!shown.includes(REF_OPEN) && shown.startsWith("a ["), shown);
    assert.equal(renderRefs(`x${REF_CLOSE}y`, words), "xy");
    assert.equal(renderRefs(`x${REF_OPEN}not json${REF_CLOSE}y`, words), "xnot jsony");
    assert.equal(
      renderRefs(`${REF_OPEN}${REF_OPEN}${cmd("init")}`, words),
      "<init>",
      "a stray opening marker before a reference",
    );
  });
});
