import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cliPath, defineOperation, type OpEnv } from "../../src/app/operation.ts";
import type { Render } from "../../src/cli/derive.ts";
import { deriveCommands } from "../../src/cli/derive.ts";
import type { CommandSpec, Invocation } from "../../src/cli/spec.ts";
import { BatonError } from "../../src/core/errors.ts";

/**
 * The CLI derivation in process: paths that fix fields with their own words, a positional that
 * takes the rest of the words, the env's output form, and the hints a refused value gets.
 */

const seen: { env: OpEnv | null; input: Record<string, unknown> | null } = {
  env: null,
  input: null,
};

const addEntry = defineOperation({
  name: "entry add",
  summary: "add an entry of any kind",
  examples: ["baton entry note hello"],
  access: "write",
  input: {
    kind: { type: "enum", values: ["note", "idea"], required: true, description: "which list" },
    text: {
      type: "string",
      min: 1,
      required: true,
      description: "one line",
      cli: { positional: true, rest: true },
    },
  },
  cli: {
    variants: [
      {
        path: ["entry", "note"],
        fixed: { kind: "note" },
        summary: "record a note",
        examples: ["baton entry note Tokens expire"],
      },
      { path: ["entry", "idea"], fixed: { kind: "idea" } },
    ],
  },
  run(env, input) {
    seen.env = env;
    seen.input = input;
    return input;
  },
});

const showEntries = defineOperation({
  name: "entry show",
  summary: "print the entries",
  examples: ["baton entry"],
  access: "read",
  input: {
    budget: {
      type: "int",
      min: 50,
      example: 1500,
      description: "token budget",
      cli: { value: "<tokens>" },
    },
    n: { type: "int", min: 1, description: "which entry", cli: { positional: true } },
  },
  cli: {
    variants: [
      { path: ["entry"], fixed: {} },
      { path: ["entry", "show"], fixed: {} },
    ],
  },
  run(env, input) {
    seen.env = env;
    seen.input = input;
    return input;
  },
});

const render: Render = () => "";
const commands = deriveCommands([addEntry, showEntries], {
  "entry add": render,
  "entry show": render,
});

function command(words: string): CommandSpec {
  const found = commands.find((c) => c.path.join(" ") === words);
  assert.ok(found, `a command ${words}`);
  return found;
}

function invocation(
  positionals: string[],
  options: Invocation["options"] = {},
  json = false,
): Invocation {
  return {
    flags: { cwd: "/nowhere", json, quiet: true },
    options,
    positionals,
    context: () => {
      throw new Error("no workspace in this test");
    },
    notice: () => {},
  };
}

/** The error `run` throws or rejects with (a derived command's run is async). */
async function refusal(run: () => unknown): Promise<BatonError> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof BatonError, String(error));
    return error;
  }
  assert.fail("expected a refusal");
}

describe("paths that fix fields", () => {
  test("each path is a command with its own summary and examples, else the operation's", () => {
    assert.deepEqual(
      commands.map((c) => c.path.join(" ")),
      ["entry note", "entry idea", "entry", "entry show"],
    );
    assert.equal(command("entry note").summary, "record a note");
    assert.deepEqual(command("entry note").examples, ["baton entry note Tokens expire"]);
    assert.equal(command("entry idea").summary, "add an entry of any kind");
    assert.deepEqual(command("entry idea").examples, ["baton entry note hello"]);
    // The fixed field is no flag of its paths.
    assert.deepEqual(command("entry note").options ?? [], []);
    command("entry idea").run(invocation(["x"]));
    assert.equal(seen.input?.kind, "idea");
  });

  test("the main path is the one spelled like the name, else the first", () => {
    assert.deepEqual(cliPath(showEntries), ["entry", "show"]);
    assert.deepEqual(cliPath(addEntry), ["entry", "note"]);
  });
});

describe("a positional that takes the rest of the words", () => {
  test("the words are joined by one space and trimmed", () => {
    command("entry note").run(invocation(["  Tokens", "expire ", "after", "1 h "]));
    assert.equal(seen.input?.text, "Tokens expire  after 1 h");
  });

  test("no words, or blank ones, are the missing argument", async () => {
    for (const words of [[], [""], ["  ", " "]]) {
      const error = await refusal(() => command("entry note").run(invocation(words)));
      assert.equal(error.code, "USAGE", JSON.stringify(words));
      assert.match(error.message, /needs <text>/);
    }
  });
});

describe("the env and the hints", () => {
  test("output is json with --json, else text", () => {
    command("entry").run(invocation([]));
    assert.equal(seen.env?.output, "text");
    command("entry").run(invocation([], {}, true));
    assert.equal(seen.env?.output, "json");
  });

  test("a flag's value out of bounds is answered with the flag to type", async () => {
    const low = await refusal(() => command("entry").run(invocation([], { budget: "49" })));
    assert.equal(low.code, "INVALID_INPUT");
    assert.equal(low.hint, "use --budget 50 or more");
    // A positional has no flag to name: the hint is the command's usage.
    const zero = await refusal(() => command("entry show").run(invocation(["0"])));
    assert.equal(zero.code, "INVALID_INPUT");
    assert.equal(zero.hint, "run baton entry show --help");
  });

  test("text that is no number gets the field's example", async () => {
    const error = await refusal(() => command("entry").run(invocation([], { budget: "many" })));
    assert.equal(error.code, "USAGE");
    assert.match(error.hint, /^e\.g\. --budget 1500 /);
  });
});
