import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import {
  AGENTS_BLOCK_BEGIN,
  AGENTS_BLOCK_END,
  AGENTS_BLOCK_TEXT,
  upsertAgentsBlock,
} from "../../src/core/agents-block.ts";

const SOURCE = path.resolve(import.meta.dirname, "..", "..", "agents", "blocks", "agents-md.md");

describe("the AGENTS.md block", () => {
  test("the text built into the CLI is agents/blocks/agents-md.md, byte for byte", () => {
    assert.equal(
      AGENTS_BLOCK_TEXT,
      fs.readFileSync(SOURCE, "utf8"),
      "copy agents/blocks/agents-md.md into AGENTS_BLOCK_TEXT in src/core/agents-block.ts",
    );
    assert.match(AGENTS_BLOCK_TEXT, /run `baton resume` before anything else/);
  });

  test("a missing file becomes the block alone", () => {
    const text = upsertAgentsBlock(null);
    assert.ok(text.startsWith(`${AGENTS_BLOCK_BEGIN}\n`));
    assert.ok(text.endsWith(`${AGENTS_BLOCK_END}\n`));
    assert.ok(text.includes(AGENTS_BLOCK_TEXT));
    assert.equal(upsertAgentsBlock(""), text);
  });

  test("a person's lines are kept, the block is appended once and kept current", () => {
    const mine = "# Rules\n\n- Run the tests before pushing.";
    const once = upsertAgentsBlock(mine);
    assert.ok(once.startsWith(`${mine}\n\n${AGENTS_BLOCK_BEGIN}\n`));
    assert.equal(upsertAgentsBlock(once), once, "idempotent");
    // The person adds lines after the block and edits inside it; a newer text replaces the
    // inside only.
    const edited = `${once.replace("## Planning with Baton", "## Edited")}\n## Later\r\nmore\n`;
    const updated = upsertAgentsBlock(edited, "New text\n");
    assert.ok(updated.startsWith(`${mine}\n\n${AGENTS_BLOCK_BEGIN}\n`));
    assert.ok(updated.endsWith(`New text\n${AGENTS_BLOCK_END}\n\n## Later\r\nmore\n`));
    assert.ok(!updated.includes("## Edited"));
    assert.equal(updated.split(AGENTS_BLOCK_BEGIN).length, 2);
  });
});
