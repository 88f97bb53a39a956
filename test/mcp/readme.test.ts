import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { makeWorkspace, REPO_ROOT } from "../helpers.ts";
import { connect } from "./support.ts";

/** The README's MCP section, bullet by bullet (a bullet runs until the next one). */
function mcpBullets(): string[] {
  const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const section = /### Agents over MCP[^\n]*\n([\s\S]*?)\n### /.exec(readme)?.[1] ?? "";
  assert.ok(section, "README has an MCP section");
  return section.split(/\n(?=- )/);
}

const ticked = (text: string, shape: RegExp) =>
  [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string).filter((t) => shape.test(t));

test("the README's MCP lists are what the server offers: tools, resources, prompts", async () => {
  const bullets = mcpBullets();
  const tools = bullets.find((b) => b.startsWith("- **Tools**")) ?? "";
  const resources = bullets.find((b) => b.startsWith("- **Resources**")) ?? "";
  const [resourcePart = "", promptPart = ""] = resources.split("**Prompts**");
  const promptList = /\(([^)]*)\)/.exec(promptPart.split("agents/commands/")[1] ?? "")?.[1] ?? "";

  const mcp = await connect(makeWorkspace());
  try {
    const served = (await mcp.client.listTools()).tools.map((t) => t.name);
    assert.deepEqual(ticked(tools, /^[a-z]+(_[a-z]+)*$/).sort(), [...served].sort());

    const fixed = (await mcp.client.listResources()).resources.map((r) => r.uri);
    const templates = (await mcp.client.listResourceTemplates()).resourceTemplates.map(
      (t) => t.uriTemplate,
    );
    assert.deepEqual(ticked(resourcePart, /^baton:\/\//).sort(), [...fixed, ...templates].sort());

    const prompts = (await mcp.client.listPrompts()).prompts.map((p) => p.name);
    assert.deepEqual(ticked(promptList, /^[a-z-]+$/).sort(), [...prompts].sort());
  } finally {
    await mcp.client.close();
  }
});
