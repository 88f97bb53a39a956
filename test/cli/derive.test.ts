import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { defineOperation } from "../../src/app/operation.ts";
import { deriveCommands } from "../../src/cli/derive.ts";
import { usageOf } from "../../src/cli/help.ts";
import { findCommand } from "../../src/cli/registry.ts";
import type { CommandSpec, Invocation } from "../../src/cli/spec.ts";
import { BatonError } from "../../src/core/errors.ts";

/** An operation that answers with the input it was given. */
const echo = defineOperation({
  name: "thing check",
  summary: "echo the input",
  examples: ["baton thing check docs --target x"],
  access: "read",
  input: {
    name: {
      type: "string",
      min: 1,
      required: true,
      description: "a name or a path",
      cli: { positional: true, value: "<name|path>" },
    },
    target: { type: "string", required: true, description: "where", cli: { value: "<path>" } },
    note: { type: "string", description: "optional" },
  },
  run: (_env, input) => input,
});

function command(): CommandSpec {
  const [only] = deriveCommands([echo], { "thing check": () => "" });
  assert.ok(only);
  return only;
}

function invoke(c: CommandSpec, positionals: string[], options: Invocation["options"] = {}) {
  return c.run({
    flags: { cwd: process.cwd(), json: true, quiet: true },
    options,
    positionals,
    context: () => assert.fail("no workspace is opened to check input"),
    notice: () => {},
  });
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

describe("commands derived from operations", () => {
  test("a positional is named by its placeholder in help and in usage errors", async () => {
    const c = command();
    assert.deepEqual(
      c.positionals?.map((p) => p.name),
      ["name|path"],
    );
    assert.equal(usageOf(c), "baton thing check <name|path> [options]");
    const missing = await refusal(() => invoke(c, [], { target: "x" }));
    assert.equal(missing.code, "USAGE");
    assert.equal(missing.message, "baton thing check needs <name|path>");
    // The real commands: spec lint and trace take a name or a path.
    for (const verb of ["lint", "trace"]) {
      const found = findCommand(["spec", verb]);
      assert.ok(found);
      assert.equal(usageOf(found.command), `baton spec ${verb} <name|path>`);
    }
  });

  test("a required flag left out is a usage error naming the flag and the command's form", async () => {
    const c = command();
    const error = await refusal(() => invoke(c, ["docs"]));
    assert.equal(error.code, "USAGE");
    assert.equal(error.message, "--target is required");
    assert.equal(error.hint, "baton thing check <name|path> --target <path>");
    assert.deepEqual(await invoke(c, ["docs"], { target: "x" }), { name: "docs", target: "x" });
  });
});
