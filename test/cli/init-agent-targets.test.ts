import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { AGENT_NAMES, MANAGED_MARKER, MCP_COMMAND_LINE } from "../../src/core/agent-targets.ts";
import { AGENTS_BLOCK_BEGIN } from "../../src/core/agents-block.ts";
import { makeTempRepo, readJson, snapshotTree } from "../helpers.ts";
import { assertTreeEqual, fails, failsTouchingNothing, ok, read, write } from "./support.ts";

const COMMANDS = ["backlog", "plan", "plan-workflow", "seed", "spike"];
const MCP = { command: "npx", args: ["--no", "baton", "mcp"] };
const FLOWS = ["enable-spec", "spec-planning"];

function exists(dir: string, rel: string): boolean {
  return fs.existsSync(path.join(dir, rel));
}

/** The files each agent must get, and a check of what is in them. */
const EXPECTED: Record<string, { files: string[]; check?: (dir: string) => void }> = {
  claude: {
    files: [
      ...COMMANDS.map((c) => `.claude/commands/baton/${c}.md`),
      ".claude/skills/baton-planning/SKILL.md",
      ".mcp.json",
      "CLAUDE.md",
    ],
    check: (dir) => {
      const seed = read(dir, ".claude/commands/baton/seed.md");
      assert.ok(seed.startsWith(`---\n# ${MANAGED_MARKER}\ndescription: `));
      assert.match(seed, /argument-hint: /);
      assert.match(seed, /\$ARGUMENTS/);
      assert.match(
        read(dir, ".claude/skills/baton-planning/SKILL.md"),
        /\nname: "baton-planning"\n/,
      );
      assert.deepEqual(readJson(path.join(dir, ".mcp.json")).mcpServers.baton, MCP);
      assert.ok(read(dir, "CLAUDE.md").includes(AGENTS_BLOCK_BEGIN));
    },
  },
  codex: {
    files: [
      ".agents/skills/baton-planning/SKILL.md",
      ...FLOWS.map((f) => `.agents/skills/baton-planning/flows/${f}.md`),
      ".codex/config.toml",
    ],
    check: (dir) => {
      const skill = read(dir, ".agents/skills/baton-planning/SKILL.md");
      assert.ok(
        skill.startsWith(`---\n# ${MANAGED_MARKER}\nname: "baton-planning"\ndescription: `),
      );
      assert.equal(
        read(dir, ".codex/config.toml"),
        '[mcp_servers.baton]\ncommand = "npx"\nargs = ["--no", "baton", "mcp"]\n',
      );
    },
  },
  cursor: {
    files: [
      ".cursor/rules/baton.mdc",
      ".cursor/mcp.json",
      ...COMMANDS.map((c) => `.cursor/commands/baton-${c}.md`),
    ],
    check: (dir) => {
      const rule = read(dir, ".cursor/rules/baton.mdc");
      assert.match(
        rule,
        /^---\n# managed by baton init.*\ndescription: ".+"\nalwaysApply: false\n---\n/,
      );
      assert.ok(
        read(dir, ".cursor/commands/baton-seed.md").startsWith(`<!-- ${MANAGED_MARKER} -->`),
      );
      assert.ok(!read(dir, ".cursor/commands/baton-seed.md").includes("$ARGUMENTS"));
      assert.deepEqual(readJson(path.join(dir, ".cursor/mcp.json")).mcpServers.baton, MCP);
    },
  },
  gemini: {
    files: [
      ...COMMANDS.map((c) => `.gemini/commands/baton/${c}.toml`),
      ".gemini/settings.json",
      "GEMINI.md",
    ],
    check: (dir) => {
      const toml = read(dir, ".gemini/commands/baton/seed.toml");
      assert.ok(toml.startsWith(`# ${MANAGED_MARKER}\ndescription = "`));
      assert.match(toml, /\nprompt = '''\n[\s\S]*\{\{args\}\}[\s\S]*'''\n$/);
      assert.deepEqual(readJson(path.join(dir, ".gemini/settings.json")).mcpServers.baton, MCP);
    },
  },
  copilot: {
    files: [
      ".github/copilot-instructions.md",
      ...COMMANDS.map((c) => `.github/prompts/baton-${c}.prompt.md`),
      ".vscode/mcp.json",
    ],
    check: (dir) => {
      assert.ok(read(dir, ".github/copilot-instructions.md").includes(AGENTS_BLOCK_BEGIN));
      assert.match(read(dir, ".github/prompts/baton-seed.prompt.md"), /\$\{input:args\}/);
      assert.deepEqual(readJson(path.join(dir, ".vscode/mcp.json")).servers.baton, {
        type: "stdio",
        ...MCP,
      });
    },
  },
  opencode: {
    files: [...COMMANDS.map((c) => `.opencode/command/baton-${c}.md`), "opencode.json"],
    check: (dir) => {
      assert.deepEqual(readJson(path.join(dir, "opencode.json")).mcp.baton, {
        type: "local",
        command: ["npx", "--no", "baton", "mcp"],
        enabled: true,
      });
    },
  },
  windsurf: {
    files: [
      ".windsurf/rules/baton.md",
      ...COMMANDS.map((c) => `.windsurf/workflows/baton-${c}.md`),
    ],
    check: (dir) => {
      assert.match(read(dir, ".windsurf/rules/baton.md"), /\ntrigger: "model_decision"\n/);
    },
  },
  pi: {
    files: [
      ...COMMANDS.map((c) => `.pi/prompts/baton-${c}.md`),
      ".pi/skills/baton-planning/SKILL.md",
    ],
    check: (dir) => {
      assert.match(read(dir, ".pi/prompts/baton-seed.md"), /\$@/);
    },
  },
};

describe("baton init --agent", () => {
  for (const agent of AGENT_NAMES) {
    test(`${agent}: installs its files, and a second run changes no byte`, () => {
      const dir = makeTempRepo();
      const r = ok(dir, ["init", "--agent", agent, "--json"]);
      assert.deepEqual(r.json.agents, [agent]);
      const expected = EXPECTED[agent];
      assert.ok(expected, `no expectations for ${agent}`);
      for (const file of [...expected.files, "AGENTS.md"]) {
        assert.ok(exists(dir, file), `${agent}: ${file} missing`);
        assert.ok(r.json.written.includes(file), `${agent}: ${file} not reported as written`);
      }
      expected.check?.(dir);
      // Nothing of another agent's.
      for (const [other, e] of Object.entries(EXPECTED)) {
        if (other === agent) continue;
        for (const file of e.files)
          if (!expected.files.includes(file) && file !== "AGENTS.md")
            assert.ok(!exists(dir, file), `${agent} wrote ${other}'s ${file}`);
      }
      const before = snapshotTree(dir);
      const again = ok(dir, ["init", "--agent", agent, "--json"]);
      assert.deepEqual(again.json.written, []);
      assert.ok(again.json.files.every((f: { action: string }) => f.action === "unchanged"));
      assertTreeEqual(dir, before, `second init --agent ${agent}`);
    });
  }

  test("--agent is repeatable and all means every agent", () => {
    const dir = makeTempRepo();
    const two = ok(dir, ["init", "--agent", "cursor", "--agent", "claude", "--json"]);
    assert.deepEqual(two.json.agents, ["claude", "cursor"]);
    const all = ok(dir, ["init", "--agent", "all", "--json"]);
    assert.deepEqual(all.json.agents, [...AGENT_NAMES]);
    for (const e of Object.values(EXPECTED))
      for (const file of e.files) assert.ok(exists(dir, file), file);
    const codexNote = all.json.notes.find((n: string) => n.startsWith("codex:"));
    assert.ok(codexNote?.includes("trust"), "codex reads .codex/config.toml only when trusted");
    assert.ok(codexNote?.endsWith(`codex mcp add baton -- ${MCP_COMMAND_LINE}`), codexNote);
  });

  test("keeps the user's lines, servers and own files; stale managed files are replaced", () => {
    const dir = makeTempRepo();
    const mcp =
      '{\n    "mcpServers": {\n        "mine": { "command": "mine" }\n    },\n    "other": 1\n}\n';
    write(dir, ".mcp.json", mcp);
    write(dir, ".vscode/mcp.json", '{"servers":{"x":{"type":"stdio","command":"x"}}}');
    write(dir, ".github/copilot-instructions.md", "# Ours\n\nUse tabs.\n");
    write(dir, "opencode.json", '{"$schema":"https://opencode.ai/config.json","model":"m"}\n');
    write(dir, ".cursor/rules/baton.mdc", "my own rule\n");
    ok(dir, ["init", "--agent", "all"]);
    const merged = readJson(path.join(dir, ".mcp.json"));
    assert.deepEqual(Object.keys(merged), ["mcpServers", "other"]);
    assert.deepEqual(merged.mcpServers.mine, { command: "mine" });
    assert.deepEqual(merged.mcpServers.baton, MCP);
    assert.match(read(dir, ".mcp.json"), /^\{\n {4}"mcpServers"/, "the file's indent is kept");
    assert.equal(readJson(path.join(dir, ".vscode/mcp.json")).servers.x.command, "x");
    assert.equal(readJson(path.join(dir, "opencode.json")).model, "m");
    assert.ok(
      read(dir, ".github/copilot-instructions.md").startsWith(
        `# Ours\n\nUse tabs.\n\n${AGENTS_BLOCK_BEGIN}`,
      ),
    );
    assert.equal(read(dir, ".cursor/rules/baton.mdc"), "my own rule\n", "not Baton's: left alone");

    // A managed file edited by hand is replaced; everything else stays as it is.
    const seed = ".claude/commands/baton/seed.md";
    const original = read(dir, seed);
    write(dir, seed, `${original}\nmy edit\n`);
    const r = ok(dir, ["init", "--agent", "all", "--json"]);
    assert.deepEqual(r.json.written, [seed]);
    assert.equal(read(dir, seed), original);
    assert.ok(
      r.json.files.some(
        (f: { path: string; action: string }) =>
          f.path === ".cursor/rules/baton.mdc" && f.action === "skipped",
      ),
    );
  });

  test("--dry-run lists what it would write and writes nothing", () => {
    const dir = makeTempRepo();
    write(dir, ".mcp.json", '{"mcpServers":{}}\n');
    const before = snapshotTree(dir);
    const r = ok(dir, ["init", "--agent", "claude", "--dry-run", "--json"]);
    assertTreeEqual(dir, before, "init --dry-run");
    assert.ok(!exists(dir, ".baton"));
    assert.equal(r.json.dry_run, true);
    assert.deepEqual(r.json.written, []);
    const actions = Object.fromEntries(
      r.json.files.map((f: { path: string; action: string }) => [f.path, f.action]),
    );
    assert.equal(actions[".baton/config.yaml"], "create");
    assert.equal(actions[".claude/commands/baton/seed.md"], "create");
    assert.equal(actions[".mcp.json"], "update");
    const text = ok(dir, ["init", "--agent", "claude", "--dry-run"]).stdout;
    assert.match(text, /create +\.claude\/skills\/baton-planning\/SKILL\.md/);
    assert.match(text, /Nothing was written/);
    assertTreeEqual(dir, before, "init --dry-run, text output");

    ok(dir, ["init", "--agent", "claude"]);
    const after = ok(dir, ["init", "--agent", "claude", "--dry-run", "--json"]);
    assert.ok(after.json.files.every((f: { action: string }) => f.action === "unchanged"));
  });

  test("an unknown agent is refused with the valid names, touching nothing", () => {
    const dir = makeTempRepo();
    const error = failsTouchingNothing(
      dir,
      ["init", "--agent", "claude", "--agent", "vim"],
      "INVALID_INPUT",
      2,
    );
    assert.match(error.message, /"vim"/);
    for (const agent of AGENT_NAMES) assert.ok(error.hint.includes(agent), error.hint);
    assert.ok(!exists(dir, ".baton"));
  });

  test("an empty agent name is refused like an unknown one, touching nothing", () => {
    const dir = makeTempRepo();
    for (const args of [
      ["init", "--agent", ""],
      ["init", "--agent", "claude,"],
      ["init", "--agent", "claude", "--agent", " "],
    ]) {
      const error = failsTouchingNothing(dir, args, "INVALID_INPUT", 2);
      assert.match(error.message, /unknown agent "" \(an empty name\)/, args.join(" "));
      for (const agent of AGENT_NAMES) assert.ok(error.hint.includes(agent), error.hint);
    }
    assert.ok(!exists(dir, ".baton") && !exists(dir, "AGENTS.md"));
  });

  test("a JSON config that does not parse is refused and nothing is written", () => {
    const dir = makeTempRepo();
    write(dir, ".gemini/settings.json", '{ "theme": "dark", // mine\n}\n');
    const error = failsTouchingNothing(dir, ["init", "--agent", "gemini"], "CORRUPT_FILE", 5);
    assert.match(error.message, /\.gemini\/settings\.json/);
    assert.ok(!exists(dir, ".baton") && !exists(dir, "AGENTS.md"));
    write(dir, ".vscode/mcp.json", "[]");
    fails(dir, ["init", "--agent", "copilot"], "CORRUPT_FILE", 5);
  });
});
