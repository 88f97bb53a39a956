import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BatonError } from "../../src/core/errors.ts";
import { checkInput, type Fields, jsonSchemaOf } from "../../src/core/fields.ts";

const voice = { where: "baton x", hint: "run baton x --help" };

function refusal(fields: Fields, raw: Record<string, unknown>): BatonError {
  try {
    checkInput(fields, raw, "api", voice);
  } catch (error) {
    assert.ok(error instanceof BatonError);
    return error;
  }
  assert.fail(`accepted ${JSON.stringify(raw)}`);
}

const DECISIONS: Fields = {
  resolutions: {
    type: "json",
    description: "decisions",
    schema: {
      type: "array",
      items: {
        type: "object",
        properties: { id: { type: "string" }, strategy: { type: "string" } },
        required: ["id", "strategy"],
        additionalProperties: false,
      },
    },
    excludes: ["recommended", "yes"],
  },
  recommended: { type: "boolean", description: "take the recommended ones" },
  yes: { type: "boolean", description: "same" },
};

describe("checkInput", () => {
  test("an enum refused names the values to use in its hint", () => {
    const fields: Fields = {
      status: { type: "enum", values: ["todo", "done"], description: "status" },
    };
    const e = refusal(fields, { status: "later" });
    assert.equal(e.code, "INVALID_INPUT");
    assert.match(e.message, /^baton x: status must be one of todo, done, got "later"$/);
    assert.equal(e.hint, "use one of: todo, done (run baton x --help)");
  });

  test("an enum's aliases are read as their value; the schema and refusals name the values", () => {
    const fields: Fields = {
      status: {
        type: "enum",
        values: ["todo", "done"],
        aliases: { pending: "todo" },
        description: "status",
      },
    };
    assert.deepEqual(checkInput(fields, { status: "pending" }, "cli", voice), { status: "todo" });
    assert.deepEqual(checkInput(fields, { status: "done" }, "api", voice), { status: "done" });
    assert.deepEqual(jsonSchemaOf(fields).properties?.status?.enum, ["todo", "done"]);
    const e = refusal(fields, { status: "toString" });
    assert.equal(e.hint, "use one of: todo, done (run baton x --help)");
  });

  test("fields that exclude each other are refused together, with USAGE, either way round", () => {
    for (const other of ["recommended", "yes"]) {
      const e = refusal(DECISIONS, { resolutions: [], [other]: true });
      assert.equal(e.code, "USAGE");
      assert.equal(e.message, `baton x: resolutions and ${other} cannot be combined`);
      assert.equal(e.hint, voice.hint);
    }
    // A flag left off is not given: false does not clash.
    assert.deepEqual(checkInput(DECISIONS, { resolutions: [], yes: false }, "api", voice), {
      resolutions: [],
      yes: false,
    });
    assert.deepEqual(checkInput(DECISIONS, { recommended: true, yes: true }, "api", voice), {
      recommended: true,
      yes: true,
    });
  });

  test("a JSON value that does not fit its schema is refused saying where and why", () => {
    const cases: [unknown, string][] = [
      [{ id: "CONF-1" }, "resolutions must be a list"],
      [["CONF-1"], "resolutions[0] must be an object"],
      [[{ id: "CONF-1" }], "resolutions[0].strategy is required"],
      [
        [
          { id: "CONF-1", strategy: "proceed" },
          { id: 2, strategy: "proceed" },
        ],
        "resolutions[1].id must be text",
      ],
      [
        [{ id: "CONF-1", strategy: "proceed", why: "x" }],
        "resolutions[0].why is not a known member (known: id, strategy)",
      ],
    ];
    for (const [value, problem] of cases) {
      const e = refusal(DECISIONS, { resolutions: value });
      assert.equal(e.code, "INVALID_INPUT");
      assert.equal(e.message, `baton x: ${problem}`, JSON.stringify(value));
    }
    const fine = [{ id: "CONF-1", strategy: "proceed" }];
    assert.deepEqual(checkInput(DECISIONS, { resolutions: fine }, "api", voice), {
      resolutions: fine,
    });
  });
});
