import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { EXIT, exitCodeFor } from "../../src/cli/exit.ts";
import { baton, makeWorkspace, snapshotTree } from "../helpers.ts";
import { type Connected, connect, ok, refused } from "./support.ts";

/**
 * AWAITS THE LEAD'S CHANGE in src/app (spec lint/trace confined to the workspace, for the CLI
 * too): until it lands, the refusals below fail because the tools read the outside files.
 */
describe("[awaits src/app confinement] spec_lint and spec_trace read only inside the workspace", () => {
  let dir: string;
  let outside: string;
  let mcp: Connected;

  before(async () => {
    dir = makeWorkspace();
    assert.equal(baton(dir, ["spec", "new", "inside"]).code, 0);
    // A real spec folder next to the workspace, so a refusal is not just "file not found".
    outside = fs.mkdtempSync(path.join(os.tmpdir(), "baton-outside-"));
    for (const name of ["requirements.md", "tasks.md"]) {
      fs.copyFileSync(path.join(dir, ".baton/planning/inside", name), path.join(outside, name));
    }
    mcp = await connect(dir);
  });
  after(async () => {
    await mcp.client.close();
    fs.rmSync(outside, { recursive: true, force: true });
  });

  test("names and paths inside the workspace work", async () => {
    for (const name of ["inside", ".baton/planning/inside"]) {
      assert.equal((await ok(mcp, "spec_lint", { name })).path, ".baton/planning/inside");
      assert.equal((await ok(mcp, "spec_trace", { name })).path, ".baton/planning/inside");
    }
  });

  test("absolute paths, ../ paths and files elsewhere are refused, nothing read or written", async () => {
    const relative = path.relative(dir, outside);
    const before = snapshotTree(dir);
    for (const tool of ["spec_lint", "spec_trace"]) {
      // Files that exist out there: refused as outside, not read.
      for (const name of [outside, relative, "/etc/passwd"]) {
        const error = await refused(mcp, tool, { name });
        assert.equal(
          exitCodeFor(error.code as never),
          EXIT.usage,
          `${tool} {name: ${name}}: ${error.code} ${error.message}`,
        );
      }
      // Paths out there that may not exist: refused either way.
      for (const name of ["../outside", "/tmp/x"]) {
        assert.notEqual((await refused(mcp, tool, { name })).code, "INTERNAL");
      }
    }
    assert.deepEqual(snapshotTree(dir), before);
  });
});
