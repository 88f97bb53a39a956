import assert from "node:assert/strict";
import { test } from "node:test";
import { COMMANDS } from "../../src/cli/registry.ts";
import { TOOLS } from "../../src/mcp/tools.ts";

/**
 * The MCP tools and the CLI commands describe the same use cases; this keeps their arguments in
 * step (cli and mcp may not import each other, so the check lives here).
 */

/** CLI flags that have no meaning over MCP (reading files, lifting the page cap, caches). */
const CLI_ONLY = new Set(["file", "all", "fresh"]);

/** Per tool: inputs that exist only over MCP, and CLI flags served by a sibling tool. */
const MCP_ONLY: Record<string, string[]> = {
  session_list: ["seed_id", "limit", "offset"],
  session_resume: ["target"],
  spec_list: ["limit", "offset"],
  journal_show: ["text"],
  journal_add: ["kind"],
};
const SIBLING_FLAGS: Record<string, string[]> = {
  seed_create: ["active", "sessions", "resume"],
  session_list: ["title", "body", "no_session", "active", "sessions", "resume"],
  session_resume: ["title", "body", "no_session", "active", "sessions", "resume"],
};

/** Optional on the CLI only because other flags of the same command do without them. */
const REQUIRED_HERE = new Set([
  "seed_create.title",
  "spec_setup.spec",
  "spec_update_branch.branch",
]);

/** CLI commands with no tool, and why. */
const NOT_TOOLS = new Set([
  "init", // creates the workspace the server runs in
  "mcp",
  "journal", // same as journal show
  "journal decide", // journal_add with kind
  "journal next", // journal_add with kind
  "spec switch", // interactive picker
]);

const snake = (name: string) => name.replaceAll("-", "_").replace(/\|.*$/, "");

test("every tool mirrors a CLI command with the same arguments", () => {
  for (const tool of TOOLS) {
    const command = COMMANDS.find((c) => c.path.join(" ") === tool.cli);
    assert.ok(command, `${tool.name}: no CLI command ${tool.cli}`);
    const cliArgs = new Map<string, boolean>();
    for (const p of command.positionals ?? []) cliArgs.set(snake(p.name), p.required);
    for (const o of command.options ?? [])
      if (!CLI_ONLY.has(o.name)) cliArgs.set(snake(o.name), false);
    const inputs = Object.keys(tool.input);
    const onlyHere = MCP_ONLY[tool.name] ?? [];
    const elsewhere = SIBLING_FLAGS[tool.name] ?? [];
    for (const key of inputs) {
      assert.ok(
        cliArgs.has(key) || onlyHere.includes(key),
        `${tool.name}.${key} is not an argument of baton ${tool.cli}`,
      );
    }
    for (const [arg, required] of cliArgs) {
      if (elsewhere.includes(arg)) continue;
      assert.ok(inputs.includes(arg), `${tool.name} lacks ${arg} of baton ${tool.cli}`);
      const schema = tool.input[arg];
      assert.ok(schema);
      assert.equal(
        !schema.isOptional(),
        required || REQUIRED_HERE.has(`${tool.name}.${arg}`),
        `${tool.name}.${arg}: required ${!schema.isOptional()} but the CLI says ${required}`,
      );
    }
  }
});

test("every CLI command has a tool unless it is listed as CLI-only", () => {
  const covered = new Set(TOOLS.map((t) => t.cli));
  for (const command of COMMANDS) {
    const words = command.path.join(" ");
    assert.ok(covered.has(words) || NOT_TOOLS.has(words), `baton ${words} has no MCP tool`);
  }
});

test("tool names are unique and snake_case", () => {
  const names = TOOLS.map((t) => t.name);
  assert.equal(new Set(names).size, names.length);
  for (const name of names) assert.match(name, /^[a-z]+(_[a-z]+)*$/);
});
