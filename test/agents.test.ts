import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { loadAgentSources } from "../src/app/agent-sources.ts";
import { AGENT_NAMES, agentTarget } from "../src/core/agent-targets.ts";
import { upsertAgentsBlock } from "../src/core/agents-block.ts";
import { parseFrontmatter } from "../src/core/frontmatter.ts";
import { fullYaml } from "../src/store/yaml.ts";
import {
  checkAgentFiles,
  checkAgentText,
  checkErrorCodes,
  checkMcpTools,
  checkText,
  formatFindings,
  listFiles,
  MCP_TOOL_NAMES,
} from "./agent-files.ts";
import { REPO_ROOT } from "./helpers.ts";

const AGENTS_DIR = path.join(REPO_ROOT, "agents");
const SKILL = path.join("skills", "baton-planning", "SKILL.md");
const PROMPTS = ["seed", "spike", "plan", "backlog"];

function read(file: string): string {
  return fs.readFileSync(path.join(AGENTS_DIR, file), "utf8");
}

function frontmatter(file: string): Record<string, unknown> {
  const { data } = parseFrontmatter(read(file), file, fullYaml);
  assert.ok(data, `${file} has no YAML frontmatter`);
  return data;
}

test("every baton invocation in agents/ names a real command and real flags", () => {
  const { invocations, findings } = checkAgentFiles(AGENTS_DIR);
  assert.equal(
    findings.length,
    0,
    `agent files disagree with the CLI:\n${formatFindings(findings)}`,
  );
  // The checker must actually be reading the files, not matching nothing.
  assert.ok(invocations.length > 20, `only ${invocations.length} invocations found`);
  const files = new Set(invocations.map((i) => i.file));
  for (const file of [SKILL, ...PROMPTS.map((p) => path.join("commands", `${p}.md`))])
    assert.ok(files.has(file), `no baton invocation found in ${file}`);
});

test("the agent files are all there", () => {
  const files = listFiles(AGENTS_DIR);
  for (const file of ["README.md", SKILL, ...PROMPTS.map((p) => path.join("commands", `${p}.md`))])
    assert.ok(files.includes(file), `agents/${file} is missing`);
});

test("the skill has the frontmatter agent skills need", () => {
  const data = frontmatter(SKILL);
  assert.equal(data.name, "baton-planning", "name must match the skill's folder");
  assert.match(String(data.name), /^[a-z0-9]+(-[a-z0-9]+)*$/);
  assert.equal(typeof data.description, "string");
  const description = data.description as string;
  assert.ok(description.length > 40 && description.length <= 1024, "description length");
});

test("the skill covers the lifecycle and ticket commands", () => {
  const used = new Set(
    checkText(read(SKILL), SKILL)
      .invocations.map((i) => i.command)
      .filter((c) => c !== null),
  );
  for (const command of [
    "status",
    "seed",
    "spike",
    "plan",
    "backlog",
    "ticket list",
    "ticket set-status",
  ])
    assert.ok(used.has(command), `SKILL.md never runs baton ${command}`);
  const flags = new Set(checkText(read(SKILL), SKILL).invocations.flatMap((i) => i.flags));
  for (const flag of ["--json", "--active", "--sessions", "--resume", "--file", "--status"])
    assert.ok(flags.has(flag), `SKILL.md never shows ${flag}`);
});

test("each slash command has a description, an argument hint and runs its own command", () => {
  for (const name of PROMPTS) {
    const file = path.join("commands", `${name}.md`);
    const data = frontmatter(file);
    assert.equal(typeof data.description, "string", `${file}: description`);
    assert.equal(typeof data["argument-hint"], "string", `${file}: argument-hint`);
    const text = read(file);
    assert.match(text, /\$ARGUMENTS/, `${file} never uses $ARGUMENTS`);
    const commands = checkText(text, file).invocations.map((i) => i.command);
    assert.ok(commands.includes(name), `${file} never runs baton ${name}`);
  }
});

test("the checker reports unknown commands and flags wherever they are written", () => {
  const fake = [
    "Run `baton frobnicate now` first.",
    "",
    "```sh",
    'baton seed "Idea" --bogus',
    "baton ticket frob BTN-abc",
    "baton -Z status",
    "```",
    "",
    "In prose: run baton spike --nope before planning.",
    "Then `baton ticket set-status BTN-k3x9q2ab finished` and `baton topic list --type epic`.",
  ].join("\n");
  const { invocations, findings } = checkText(fake, "fake.md");
  assert.equal(invocations.length, 7);
  const problems = findings.map((f) => `${f.line}: ${f.problem}`);
  assert.deepEqual(problems, [
    '1: unknown command "frobnicate"',
    "4: --bogus is not an option of baton seed",
    '5: baton ticket has no subcommand "frob"',
    "6: -Z is not an option of baton (before the command)",
    "9: --nope is not an option of baton spike",
    '10: "finished" is not one of todo, in_progress, blocked, done, cancelled',
    "10: --type epic: expected one of seed, spike, plan, backlog",
  ]);
});

test("the checker accepts real invocations and ignores what is not one", () => {
  const good = [
    "---",
    "name: baton-planning",
    "description: Baton keeps plans in .baton/knowledge; see dist/baton.js.",
    "---",
    "Baton stores state. The baton-planning skill. A `baton <command>` placeholder.",
    "```",
    "baton -C ../repo --json seed --resume seed-oauth-login && baton status -q",
    'baton plan "Rollout" --body "- [ ] --not-a-flag" | head',
    "baton ticket set-status <ticket-id> in_progress|done",
    "baton backlog plan-oauth-rollout --json # then baton status",
    'baton spike "Q" \\',
    "  --file notes.md",
    "baton --version",
    "```",
    "Use `baton ticket list --status todo --json`, or baton topic show seed-x.",
  ].join("\n");
  const { invocations, findings } = checkText(good, "good.md");
  assert.deepEqual(findings, []);
  assert.deepEqual(
    invocations.map((i) => i.command),
    [
      "seed",
      "status",
      "plan",
      "ticket set-status",
      "backlog",
      "status",
      "spike",
      null,
      "ticket list",
      "topic show",
    ],
  );
  assert.deepEqual(invocations[0]?.flags, ["-C", "--json", "--resume"]);
  assert.deepEqual(invocations[6]?.flags, ["--file"]);
});

test("error codes named in agent files exist and exit as their tables say", () => {
  assert.deepEqual(
    checkErrorCodes("| 4 | state | `NO_TASKS`, `LOCK_TIMEOUT` |\nSee `NOT_A_CODE`.", "x.md").map(
      (f) => `${f.line}: ${f.text} ${f.problem}`,
    ),
    ["1: LOCK_TIMEOUT exits with 6, not 4", "2: NOT_A_CODE unknown error code"],
  );
});

test("the skill and the AGENTS.md block tell agents to run baton resume first", () => {
  const block = path.join("blocks", "agents-md.md");
  for (const file of [SKILL, block]) {
    const text = read(file);
    const first = checkText(text, file).invocations[0];
    assert.equal(first?.command, "resume", `the first command ${file} names is baton resume`);
    assert.match(text, /start of every conversation/i, file);
  }
  // Near the top of the skill: before the lifecycle is explained.
  const skill = read(SKILL);
  assert.ok(skill.indexOf("baton resume") < skill.indexOf("## The lifecycle"));
  const used = new Set(checkText(skill, SKILL).invocations.map((i) => i.command));
  for (const command of [
    "resume",
    "journal note",
    "journal decide",
    "journal next",
    "journal done",
  ])
    assert.ok(used.has(command), `SKILL.md never runs baton ${command}`);
});

test("every file baton init --agent installs names real commands, flags and MCP tools", () => {
  const sources = loadAgentSources(AGENTS_DIR);
  let checked = 0;
  let invocations = 0;
  const findings = [];
  for (const agent of AGENT_NAMES) {
    for (const output of agentTarget(agent, sources).outputs) {
      if (output.kind === "json") continue;
      const text = output.kind === "owned" ? output.content : upsertAgentsBlock(null, output.text);
      const result = checkAgentText(text, `${agent}: ${output.path}`);
      invocations += result.invocations.length;
      findings.push(...result.findings);
      checked++;
    }
  }
  assert.equal(findings.length, 0, `installed agent files disagree:\n${formatFindings(findings)}`);
  assert.ok(checked > 30, `only ${checked} installed files rendered`);
  assert.ok(invocations > 100, `only ${invocations} invocations found in installed files`);
});

test("the checker reports MCP tools the server does not have", () => {
  assert.ok(MCP_TOOL_NAMES.includes("status"), "the tool list is read from src/mcp/tools.ts");
  const text = [
    "Call `mcp__baton__status`, then mcp__baton__frobnicate.",
    "Or the MCP tool `ticket_list`, or the MCP tool `ticket_explode`.",
  ].join("\n");
  assert.deepEqual(
    checkMcpTools(text, "x.md").map((f) => `${f.line}: ${f.text} ${f.problem}`),
    ["1: frobnicate unknown MCP tool", "2: ticket_explode unknown MCP tool"],
  );
});
