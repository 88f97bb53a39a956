import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { lintSpec } from "../../src/app/specs/lint.ts";
import { traceSpec } from "../../src/app/specs/trace.ts";
import { BatonError } from "../../src/core/errors.ts";
import { ok } from "../cli/support.ts";
import { makeWorkspace } from "../helpers.ts";

/** Documents outside the workspace: what an MCP tool call must never read. */
function outsideDocs(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "baton-outside-"));
  fs.writeFileSync(path.join(dir, "requirements.md"), "# R\n\n### Requirement 1: Secret\n");
  fs.writeFileSync(path.join(dir, "tasks.md"), "- [ ] 1. Task\n");
  return dir;
}

async function refused(run: Promise<unknown>): Promise<BatonError> {
  try {
    await run;
  } catch (error) {
    assert.ok(error instanceof BatonError);
    return error;
  }
  assert.fail("expected a refusal");
}

describe("spec lint and trace confined to a folder", () => {
  test("paths outside, .. and symlinks out are refused; inside is read", async () => {
    const ws = makeWorkspace();
    const outside = outsideDocs();
    fs.symlinkSync(outside, path.join(ws, "out-link"));
    const base = { cwd: ws, notice: () => {}, within: ws };
    for (const target of [outside, path.relative(ws, outside), "out-link", "/etc/passwd"]) {
      for (const run of [lintSpec, traceSpec]) {
        const error = await refused(run({ ...base, target }));
        assert.equal(error.code, "INVALID_INPUT", target);
        assert.match(error.message, /outside the workspace/);
      }
    }
    // Without the confinement (the CLI) the same path is read, as a linter would.
    const free = await lintSpec({ cwd: ws, notice: () => {}, target: outside });
    assert.equal(free.spec, null);

    ok(ws, ["spec", "new", "inside"]);
    const inside = await lintSpec({ ...base, target: "inside" });
    assert.equal(inside.spec, "inside");
    const byPath = await traceSpec({ ...base, target: ".baton/planning/inside" });
    assert.ok(Array.isArray(byPath.rows));
  });
});
