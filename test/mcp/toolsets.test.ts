import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DEFAULT_TOOLSETS, parseToolsets, TOOLSETS } from "../../src/app/toolsets.ts";
import { TOOLS } from "../../src/mcp/tools.ts";
import { batonProcess, makeWorkspace } from "../helpers.ts";
import { call, connect } from "./support.ts";

/** What an agent pays in context for the tool list of a server started with `--tools sets`. */
async function listed(dir: string, sets: string | null) {
  const mcp = await connect(dir, sets);
  try {
    const result = await mcp.client.listTools();
    return {
      names: result.tools.map((t) => t.name).sort(),
      bytes: Buffer.byteLength(JSON.stringify(result)),
      tools: result.tools,
      mcp,
    };
  } finally {
    await mcp.client.close();
  }
}

describe("toolsets", () => {
  test("every tool belongs to a declared toolset, and every toolset has tools", () => {
    for (const tool of TOOLS) assert.ok(TOOLSETS[tool.toolset], `${tool.name}: ${tool.toolset}`);
    for (const set of Object.keys(TOOLSETS)) {
      assert.ok(
        TOOLS.some((t) => t.toolset === set),
        `${set} has tools`,
      );
    }
    for (const set of DEFAULT_TOOLSETS) assert.ok(TOOLSETS[set], set);
  });

  test("the default list is the everyday set and fits in 12 KB; all lists every tool", async () => {
    const dir = makeWorkspace();
    const compact = await listed(dir, null);
    const every = await listed(dir, "all");
    const expected = TOOLS.filter((t) => DEFAULT_TOOLSETS.includes(t.toolset)).map((t) => t.name);
    assert.deepEqual(compact.names, expected.sort());
    assert.ok(compact.bytes <= 12 * 1024, `default tools/list is ${compact.bytes} B`);
    assert.deepEqual(every.names, TOOLS.map((t) => t.name).sort());
    // The reviewer's steps and the plan workflow are asked for, not offered by default.
    for (const name of ["spec_approve", "spec_reject", "plan_tasks"]) {
      assert.ok(!compact.names.includes(name), name);
      assert.ok(every.names.includes(name), name);
    }
    for (const name of ["spec_submit", "spec_start", "spec_complete", "resume", "ticket_list"]) {
      assert.ok(compact.names.includes(name), name);
    }
    // Read tools say so; the schemas still name what is required.
    const status = compact.tools.find((t) => t.name === "status");
    assert.deepEqual(status?.annotations, { readOnlyHint: true });
    const show = compact.tools.find((t) => t.name === "ticket_show");
    assert.deepEqual(show?.inputSchema.required, ["ticket_id"]);
  });

  test("a tool outside the offered sets is unknown; an unknown argument is refused by name", async () => {
    const mcp = await connect(makeWorkspace(), "review");
    try {
      const names = (await mcp.client.listTools()).tools.map((t) => t.name).sort();
      assert.deepEqual(names, ["spec_approve", "spec_reject", "spec_request_changes"]);
      const outside = await call(mcp, "status");
      assert.equal(outside.isError, true);
      assert.equal(outside.data.code, "USAGE");
      assert.match(outside.data.message, /unknown tool "status"/);
      const extra = await call(mcp, "spec_approve", { name: "x", bogus: 1 });
      assert.equal(extra.isError, true);
      assert.match(extra.data.message, /bogus/);
    } finally {
      await mcp.client.close();
    }
  });

  test("--tools names sets; a wrong one is a usage error before the server starts", () => {
    assert.deepEqual(parseToolsets("journal, specs"), ["journal", "specs"]);
    assert.deepEqual(parseToolsets("specs,all"), Object.keys(TOOLSETS));
    const dir = makeWorkspace();
    for (const bad of ["nope", "journal,nope", ","]) {
      const r = batonProcess(dir, ["mcp", "--tools", bad, "--json"]);
      assert.equal(r.code, 2, r.stderr);
      // With --json the refusal is the JSON answer, as for every command.
      const error = r.json.error;
      assert.equal(error.code, "USAGE");
      assert.match(
        error.hint,
        /journal, planning, plan, tickets, specs, review, work, import, integrity, or all/,
      );
    }
  });
});
