import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { MAX_RESULT_BYTES } from "../../src/mcp/cap.ts";
import { BATON_BIN } from "../helpers.ts";

/** The size cap every tool result and resource text keeps, in UTF-8 bytes. */
export const CAP = MAX_RESULT_BYTES;

export interface Connected {
  client: Client;
  stderr: () => string;
  /** Every tool name called through `call`, to prove a suite covered them all. */
  called: Set<string>;
}

/**
 * `baton mcp` in `dir`, spawned from dist/ and driven by the SDK's own client over stdio. Every
 * toolset is offered unless `tools` names others (null: the server's default set).
 */
export async function connect(dir: string, tools: string | null = "all"): Promise<Connected> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BATON_BIN, "mcp", ...(tools === null ? [] : ["--tools", tools])],
    cwd: dir,
    env: { ...(process.env as Record<string, string>), NO_COLOR: "1", BATON_DEBUG: "" },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (d) => (stderr += d));
  const client = new Client({ name: "baton-test", version: "0.0.0" });
  await client.connect(transport);
  return { client, stderr: () => stderr, called: new Set() };
}

export interface Called {
  isError: boolean;
  data: any;
  text: string;
  bytes: number;
}

/** Calls a tool and returns its parsed JSON payload, its size and whether it was an error. */
export async function call(
  mcp: Connected,
  name: string,
  args: Record<string, unknown> = {},
): Promise<Called> {
  mcp.called.add(name);
  const result = (await mcp.client.callTool({ name, arguments: args })) as {
    isError?: boolean;
    content: { type: string; text: string }[];
  };
  assert.equal(result.content.length, 1, `${name}: one text content`);
  const text = result.content[0]?.text ?? "";
  assert.ok(!/[\uFDD0\uFDD1]/.test(text), `${name}: a command reference left unrendered: ${text}`);
  const bytes = Buffer.byteLength(text);
  assert.ok(bytes <= CAP, `${name} answered ${bytes} B, over the ${CAP} B cap`);
  return { isError: result.isError === true, data: JSON.parse(text), text, bytes };
}

export async function ok(mcp: Connected, name: string, args: Record<string, unknown> = {}) {
  const r = await call(mcp, name, args);
  assert.equal(r.isError, false, `${name} failed: ${r.text}`);
  return r.data;
}

/** A refused call: its code, and a hint present. */
export async function refused(
  mcp: Connected,
  name: string,
  args: Record<string, unknown>,
): Promise<{ code: string; message: string; hint: string }> {
  const r = await call(mcp, name, args);
  assert.equal(r.isError, true, `${name} accepted ${JSON.stringify(args)}: ${r.text}`);
  assert.ok(r.data.code && r.data.message && r.data.hint, r.text);
  return r.data;
}

export function resourceText(result: {
  contents: ({ text: string } | { blob: string })[];
}): string {
  const first = result.contents[0];
  return first && "text" in first ? first.text : "";
}

/** Reads a resource; its text must keep the cap too. */
export async function readText(mcp: Connected, uri: string): Promise<string> {
  const text = resourceText(await mcp.client.readResource({ uri }));
  const bytes = Buffer.byteLength(text);
  assert.ok(bytes <= CAP, `${uri} is ${bytes} B, over the ${CAP} B cap`);
  return text;
}
