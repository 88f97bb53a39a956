import assert from "node:assert/strict";
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { describe, test } from "node:test";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { BATON_BIN, makeWorkspace } from "../helpers.ts";
import { type Connected, connect, ok } from "./support.ts";

/** A refused request: the JSON-RPC error code and the Baton error it carries as data. */
async function rpcFails(request: Promise<unknown>) {
  try {
    await request;
  } catch (error) {
    assert.ok(error instanceof McpError, String(error));
    const data = error.data as { code: string; message: string; hint: string };
    assert.ok(data?.code && data.message && data.hint, JSON.stringify(error.data));
    return { rpc: error.code, ...data };
  }
  assert.fail("the request was answered");
}

async function withServer(run: (mcp: Connected) => Promise<void>): Promise<void> {
  const mcp = await connect(makeWorkspace());
  try {
    await run(mcp);
  } finally {
    await mcp.client.close();
  }
}

const MIB = 1024 * 1024;

describe("MCP prompts", () => {
  test("each prompt's argument is named after what it is; an unknown one is refused", async () => {
    await withServer(async (mcp) => {
      const { prompts } = await mcp.client.listPrompts();
      const args = Object.fromEntries(
        prompts.map((p) => [p.name, (p.arguments ?? []).map((a) => a.name)]),
      );
      assert.deepEqual(args, {
        backlog: ["plan_id"],
        plan: ["goal"],
        "plan-workflow": ["goal"],
        seed: ["idea"],
        spike: ["question"],
      });
      const seed = await mcp.client.getPrompt({ name: "seed", arguments: { idea: "Dark mode" } });
      const content = seed.messages[0]?.content;
      assert.match(content?.type === "text" ? content.text : "", /The user's idea: Dark mode/);

      // The old name (or any other) would have been dropped and the prompt sent with no text.
      const misnamed = await rpcFails(
        mcp.client.getPrompt({ name: "seed", arguments: { arguments: "Dark mode" } }),
      );
      assert.equal(misnamed.rpc, -32602);
      assert.equal(misnamed.code, "INVALID_INPUT");
      assert.match(misnamed.message, /prompt seed takes one argument, idea, not "arguments"/);
      assert.match(misnamed.hint, /"idea"/);

      const unknown = await rpcFails(mcp.client.getPrompt({ name: "deploy" }));
      assert.equal(unknown.rpc, -32602);
      assert.equal(unknown.code, "USAGE");

      // No argument at all is allowed: the prompt asks the agent to find the text itself.
      const bare = await mcp.client.getPrompt({ name: "backlog" });
      assert.equal(bare.messages.length, 1);
    });
  });
});

describe("MCP resources", () => {
  test("every failed read carries data, baton://specs/.. and unknown URIs included", async () => {
    await withServer(async (mcp) => {
      for (const uri of [
        "baton://specs/..",
        "baton://specs/.",
        "baton://specs/",
        "baton://specs/a/b",
      ]) {
        const failed = await rpcFails(mcp.client.readResource({ uri }));
        assert.equal(failed.rpc, -32602, uri);
        assert.equal(failed.code, "INVALID_ID", uri);
      }
      const unknown = await rpcFails(mcp.client.readResource({ uri: "baton://nothing" }));
      assert.equal(unknown.code, "USAGE");
      assert.match(unknown.hint, /resources\/list/);
    });
  });
});

describe("MCP message size", () => {
  test("a call over 10 MiB is answered with an error, and the server goes on serving", async () => {
    await withServer(async (mcp) => {
      const started = Date.now();
      const big = await rpcFails(
        mcp.client.callTool({
          name: "spike_create",
          arguments: { title: "Huge", body: "x".repeat(11 * MIB) },
        }),
      );
      assert.ok(Date.now() - started < 30_000, "answered, not left to time out");
      assert.equal(big.rpc, -32600);
      assert.equal(big.code, "INVALID_INPUT");
      assert.match(big.message, /an MCP message of \d+ bytes is over the 10 MiB limit/);
      assert.match(mcp.stderr(), /\[baton\] refused an MCP message: an MCP message of \d+ bytes/);
      // Still serving, and nothing of the refused call was made.
      const status = await ok(mcp, "status");
      assert.equal(status.session, null);
      const topics = await ok(mcp, "topic_list");
      assert.equal(topics.total, 0);
      const spike = await ok(mcp, "spike_create", { title: "Small", body: "fine" });
      assert.equal(spike.topic.id, "spike-small");
    });
  });

  test("a raw peer: over-size, non-JSON and invalid lines each get an error, by id", async () => {
    const dir = makeWorkspace();
    const child = spawn(process.execPath, [BATON_BIN, "mcp"], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: "1", BATON_DEBUG: "" },
    });
    const peer = lineReader(child);
    try {
      const send = (line: string) => child.stdin.write(`${line}\n`);
      send(
        JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: {
            protocolVersion: "2025-06-18",
            capabilities: {},
            clientInfo: { name: "raw", version: "1" },
          },
        }),
      );
      assert.equal((await peer.next()).result.serverInfo.name, "baton");
      send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));

      // The id comes last, as the SDK's client writes it, after 11 MiB of params, in pieces.
      const params = JSON.stringify({ name: "status", arguments: { pad: "y".repeat(11 * MIB) } });
      const huge = `{"method":"tools/call","params":${params},"jsonrpc":"2.0","id":"big-7"}`;
      for (let at = 0; at < huge.length; at += MIB) child.stdin.write(huge.slice(at, at + MIB));
      child.stdin.write("\n");
      const refused = await peer.next();
      assert.equal(refused.id, "big-7");
      assert.equal(refused.error.code, -32600);
      assert.equal(refused.error.data.code, "INVALID_INPUT");

      send("this is not json");
      const parse = await peer.next();
      assert.equal(parse.id, null);
      assert.equal(parse.error.code, -32700);
      assert.equal(parse.error.data.code, "INVALID_INPUT");

      send(JSON.stringify({ jsonrpc: "2.0", id: 9, params: {} }));
      const invalid = await peer.next();
      assert.equal(invalid.id, 9);
      assert.equal(invalid.error.code, -32600);

      send(
        JSON.stringify({
          jsonrpc: "2.0",
          id: 10,
          method: "tools/call",
          params: { name: "status", arguments: {} },
        }),
      );
      const answer = await peer.next();
      assert.equal(answer.id, 10);
      assert.equal(JSON.parse(answer.result.content[0].text).session, null);
    } finally {
      child.stdin.end();
      await new Promise((resolve) => child.once("close", resolve));
    }
    assert.match(peer.stderr(), /refused an MCP message/);
  });
});

/** The child's stdout as JSON lines, one at a time. */
function lineReader(child: ChildProcessWithoutNullStreams) {
  let buffer = "";
  let stderr = "";
  const waiting: ((line: string) => void)[] = [];
  const lines: string[] = [];
  child.stderr.on("data", (d) => (stderr += d));
  child.stdout.on("data", (d) => {
    buffer += d;
    for (let at = buffer.indexOf("\n"); at !== -1; at = buffer.indexOf("\n")) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
      const wake = waiting.shift();
      if (wake) wake(line);
      else lines.push(line);
    }
  });
  return {
    next: async (): Promise<any> => {
      const line =
        lines.shift() ??
        (await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no answer; stderr: ${stderr}`)), 30_000);
          waiting.push((l) => {
            clearTimeout(timer);
            resolve(l);
          });
        }));
      return JSON.parse(line);
    },
    stderr: () => stderr,
  };
}
