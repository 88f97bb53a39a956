import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { load } from "js-yaml";
import { defaultConfig, renderConfig, resolveConfig } from "../../src/core/config.ts";
import { BatonError } from "../../src/core/errors.ts";
import { checkSchemaVersion } from "../../src/core/schema.ts";

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof BatonError);
    return error.code;
  }
  assert.fail("expected a throw");
}

describe("config", () => {
  test("defaults name every setting the design lists", () => {
    const c = defaultConfig();
    assert.equal(c.schema_version, 1);
    assert.equal(c.workflow.knowledgeDir, ".baton/knowledge");
    assert.equal(c.planning.dir, ".baton/planning");
    assert.equal(c.journal.file, "PLANNING.md");
    assert.equal(c.journal.archiveDir, ".baton/archive");
    assert.equal(c.tickets.prefix, "BTN");
  });

  test("the rendered YAML reads back to the same config", () => {
    const c = defaultConfig();
    c.workflow.knowledgeDir = ".tf/knowledge";
    c.tickets.prefix = "TF";
    const raw = load(renderConfig(c)) as Record<string, unknown>;
    assert.deepEqual(resolveConfig(raw, "config.yaml"), c);
  });

  test("missing sections fall back to the defaults", () => {
    const c = resolveConfig(
      { schema_version: 1, workflow: { knowledgeDir: ".tf/knowledge/" } },
      "f",
    );
    assert.equal(c.workflow.knowledgeDir, ".tf/knowledge", "a trailing slash is dropped");
    assert.equal(c.planning.dir, ".baton/planning");
    assert.equal(c.tickets.prefix, "BTN");
  });

  test("paths outside the workspace and bad values are CONFIG_INVALID", () => {
    const bad: Record<string, unknown>[] = [
      { workflow: { knowledgeDir: "/etc" } },
      { workflow: { knowledgeDir: "../elsewhere" } },
      { workflow: { knowledgeDir: "a/../../b" } },
      { workflow: { knowledgeDir: "C:\\x" } },
      { workflow: { knowledgeDir: "" } },
      { workflow: { knowledgeDir: 42 } },
      { planning: { dir: "../p" } },
      { journal: { archiveDir: "/tmp/a" } },
      { tickets: { prefix: "B-N" } },
      { tickets: { prefix: "" } },
    ];
    for (const raw of bad) {
      assert.equal(
        codeOf(() => resolveConfig({ schema_version: 1, ...raw }, "f")),
        "CONFIG_INVALID",
        JSON.stringify(raw),
      );
    }
  });
});

test("a config that did not parse into settings completely is CORRUPT_FILE", () => {
  // What a file cut off mid-line, or a mistyped key, parses to.
  const damaged: Record<string, unknown>[] = [
    { workflow: "knowledge" },
    { workflow: "knowledgeD" },
    { workflow: ["a"] },
    { workflow: { knowledgeD: ".baton/knowledge" } },
    { tickets: { prefix: "BTN", di: ".baton/tickets" } },
    { knowledgeDir: ".baton/knowledge" },
  ];
  for (const raw of damaged) {
    assert.equal(
      codeOf(() => resolveConfig({ schema_version: 1, ...raw }, "f")),
      "CORRUPT_FILE",
      JSON.stringify(raw),
    );
  }
});

describe("checkSchemaVersion", () => {
  test("accepts 1, refuses newer with SCHEMA_TOO_NEW and junk with CORRUPT_FILE", () => {
    assert.deepEqual(checkSchemaVersion({ schema_version: 1, a: 2 }, "f"), {
      schema_version: 1,
      a: 2,
    });
    assert.equal(
      codeOf(() => checkSchemaVersion({ schema_version: 99 }, "f")),
      "SCHEMA_TOO_NEW",
    );
    for (const junk of [null, [], "x", 3, {}, { schema_version: "1" }, { schema_version: 0 }]) {
      assert.equal(
        codeOf(() => checkSchemaVersion(junk, "f")),
        "CORRUPT_FILE",
        JSON.stringify(junk),
      );
    }
  });
});
