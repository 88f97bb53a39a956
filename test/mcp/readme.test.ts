import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { DEFAULT_TOOLSETS, TOOLSETS } from "../../src/app/toolsets.ts";
import { TOOLS } from "../../src/mcp/tools.ts";
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
    // One line per toolset, `- \`set\` (what it is): \`tool\`, …`, each naming its set's tools.
    const sets = [...tools.matchAll(/\n {2}- `([a-z]+)`([^\n]*(?:\n {4}[^\n]*)*)/g)];
    assert.deepEqual(sets.map((m) => m[1]).sort(), Object.keys(TOOLSETS).sort());
    for (const [, set, list = ""] of sets) {
      assert.deepEqual(
        ticked(list, /^[a-z]+(_[a-z]+)*$/).sort(),
        TOOLS.filter((t) => t.toolset === set)
          .map((t) => t.name)
          .sort(),
        `the README's ${set} toolset`,
      );
    }
    const listed = sets.flatMap(([, , list = ""]) => ticked(list, /^[a-z]+(_[a-z]+)*$/));
    assert.deepEqual(listed.sort(), [...served].sort());
    const defaults = /default the server offers the everyday ones \(([^)]*)\)/.exec(tools)?.[1];
    assert.deepEqual(ticked(defaults ?? "", /^[a-z]+$/), [...DEFAULT_TOOLSETS]);

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
