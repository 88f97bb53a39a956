import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { baton, makeTempRepo, makeWorkspace } from "../helpers.ts";
import { type Connected, connect, readText, refused } from "./support.ts";

/** A refused resource read: the JSON-RPC error and the Baton error it carries as data. */
async function readFails(mcp: Connected, uri: string) {
  try {
    await mcp.client.readResource({ uri });
  } catch (error) {
    assert.ok(error instanceof McpError, String(error));
    const data = error.data as { code: string; message: string; hint: string };
    assert.ok(data.code && data.message && data.hint, JSON.stringify(error.data));
    return { rpc: error.code, ...data };
  }
  assert.fail(`${uri} was read`);
}

/** The code the CLI reports for the same request. */
function cliCode(dir: string, args: string[]): string {
  const r = baton(dir, [...args, "--json"]);
  assert.notEqual(r.code, 0, r.stdout);
  return r.json.error.code;
}

describe("resources", () => {
  test("a bad or unknown spec name fails with the CLI's code, message and hint", async () => {
    const dir = makeWorkspace();
    const mcp = await connect(dir);
    try {
      const pathLike = await readFails(mcp, "baton://specs/..%2F..%2Fetc");
      assert.equal(pathLike.rpc, -32602, "invalid params");
      assert.equal(pathLike.code, cliCode(dir, ["spec", "status", "--spec", "../../etc"]));
      assert.equal(pathLike.code, "INVALID_ID");

      const unknown = await readFails(mcp, "baton://specs/nope");
      assert.equal(unknown.rpc, -32002, "MCP's resource not found");
      assert.equal(unknown.code, "SPEC_NOT_FOUND");
      assert.equal(unknown.code, cliCode(dir, ["spec", "status", "--spec", "nope"]));
      const tool = await refused(mcp, "spec_status", { spec: "nope" });
      assert.deepEqual(tool, { code: unknown.code, message: unknown.message, hint: unknown.hint });

      const malformed = await readFails(mcp, "baton://specs/%E0%A4%A");
      assert.equal(malformed.code, "INVALID_ID");
    } finally {
      await mcp.client.close();
    }
  });

  test("resources are read afresh: a spec the CLI adds is listed and readable next time", async () => {
    const dir = makeWorkspace();
    const mcp = await connect(dir);
    try {
      assert.deepEqual(JSON.parse(await readText(mcp, "baton://specs")).specs, []);
      assert.equal(baton(dir, ["spec", "new", "billing"]).code, 0);
      const { resources } = await mcp.client.listResources();
      assert.ok(resources.some((r) => r.uri === "baton://specs/billing"));
      const specs = JSON.parse(await readText(mcp, "baton://specs")).specs;
      assert.deepEqual(
        specs.map((s: { name: string }) => s.name),
        ["billing"],
      );
      assert.equal(JSON.parse(await readText(mcp, "baton://specs/billing")).spec.name, "billing");
      assert.equal(JSON.parse(await readText(mcp, "baton://session/active")), null);
    } finally {
      await mcp.client.close();
    }
  });

  test("outside a workspace the listing still works and every read says NO_WORKSPACE", async () => {
    const dir = makeTempRepo();
    const mcp = await connect(dir);
    try {
      const { resources } = await mcp.client.listResources();
      assert.deepEqual(resources.map((r) => r.uri).sort(), [
        "baton://journal",
        "baton://session/active",
        "baton://specs",
      ]);
      const { resourceTemplates } = await mcp.client.listResourceTemplates();
      assert.deepEqual(
        resourceTemplates.map((t) => t.uriTemplate),
        ["baton://specs/{name}"],
      );
      const expected = cliCode(dir, ["status"]);
      assert.equal(expected, "NO_WORKSPACE");
      for (const uri of [
        "baton://journal",
        "baton://session/active",
        "baton://specs",
        "baton://specs/x",
      ]) {
        const error = await readFails(mcp, uri);
        assert.equal(error.code, expected, uri);
        assert.equal(error.rpc, -32002);
      }
      assert.equal((await refused(mcp, "status", {})).code, expected);
    } finally {
      await mcp.client.close();
    }
  });
});
