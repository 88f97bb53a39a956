import assert from "node:assert/strict";
import { test } from "node:test";
import { OPERATIONS } from "../../src/app/operations.ts";
import { deriveTools } from "../../src/mcp/derive.ts";

/** The journal and workspace tools as the derivation makes them, in process. */

const tools = deriveTools(OPERATIONS);
const tool = (name: string) => {
  const found = tools.find((t) => t.name === name);
  assert.ok(found, `a tool ${name}`);
  return found;
};

test("an operation whose paths each fix a field names them all in its title", () => {
  const add = tool("journal_add");
  assert.equal(add.cli, "journal note");
  assert.equal(add.title, "baton journal note|decide|next");
  // Paths that fix nothing are one command under two names: the title is the main one.
  assert.equal(tool("journal_show").title, "baton journal show");
  assert.equal(tool("journal_show").cli, "journal show");
});

test("a field's words for tools replace the CLI's where they differ", () => {
  const schema = tool("resume").input as {
    properties: Record<string, { description?: string }>;
  };
  assert.match(schema.properties.budget?.description ?? "", /^token budget for the whole JSON/);
  assert.equal(schema.properties.brief?.description, "only the essentials");
});

test("a view that pages its own result names the lists the size cap may cut", () => {
  assert.deepEqual(tool("journal_show").pages, [
    "state.notes",
    "state.decisions",
    "state.next",
    "archives",
  ]);
  assert.deepEqual(Object.keys(tool("journal_show").input.properties ?? {}), [
    "text",
    "limit",
    "offset",
  ]);
});

test("an operation that is no tool has none, and says why", () => {
  assert.equal(
    tools.some((t) => t.cli === "init"),
    false,
  );
  const init = OPERATIONS.find((op) => op.name === "init");
  assert.equal(init?.tool, false);
  assert.ok(init?.withoutTool);
});
