/**
 * What `baton init --agent <name>` installs for each coding agent: a pure table from the one
 * source in `agents/` (the skill, the command prompts, the flows and the AGENTS.md block) to the
 * files each agent reads. Nothing here touches the disk; `src/app/init.ts` reads the sources,
 * renders the targets and writes them.
 *
 * Three kinds of output:
 * - `owned`: a file Baton owns entirely. It carries {@link MANAGED_MARKER} in a comment on its
 *   first line (inside the frontmatter, as a YAML comment, when the agent needs frontmatter
 *   first) and is replaced on every run.
 * - `block`: Baton's managed block inside a Markdown file shared with the user.
 * - `json`: one key merged into a JSON config shared with the user (`mcpServers.baton`).
 */

export const AGENT_NAMES = [
  "claude",
  "codex",
  "cursor",
  "gemini",
  "copilot",
  "opencode",
  "windsurf",
  "pi",
] as const;
export type AgentName = (typeof AGENT_NAMES)[number];

/** The words a file managed by Baton carries near its top; its presence means "ours to replace". */
export const MANAGED_MARKER = "managed by baton init: edits are replaced";

export interface PromptSource {
  /** The command's name: `seed`, `spike`, … (the file name in `agents/commands/`). */
  name: string;
  description: string;
  argumentHint: string;
  /** The Markdown after the frontmatter; the user's input is written `$ARGUMENTS`. */
  body: string;
}

export interface DocSource {
  name: string;
  description: string;
  body: string;
}

/** Everything in `agents/` the targets are rendered from. */
export interface AgentSources {
  skill: DocSource;
  commands: PromptSource[];
  flows: DocSource[];
  /** The text of `agents/blocks/agents-md.md`. */
  block: string;
}

export type AgentOutput =
  | { kind: "owned"; path: string; content: string }
  | { kind: "block"; path: string; text: string }
  | { kind: "json"; path: string; key: string; name: string; value: unknown };

export interface AgentTarget {
  agent: AgentName;
  outputs: AgentOutput[];
  /** Things the agent needs that live outside the repository (user-level config). */
  notes: string[];
}

/** How every agent starts Baton's MCP server. */
export const MCP_COMMAND = { command: "npx", args: ["baton", "mcp"] } as const;

const HTML_MARK = `<!-- ${MANAGED_MARKER} -->`;
const HASH_MARK = `# ${MANAGED_MARKER}`;

/** A YAML scalar that is always valid: JSON strings are YAML double-quoted strings. */
function yamlValue(value: string | boolean): string {
  return typeof value === "boolean" ? String(value) : JSON.stringify(value);
}

/** Frontmatter whose first line inside the fences is the managed marker, as a YAML comment. */
function withFrontmatter(data: Record<string, string | boolean>, body: string): string {
  const lines = Object.entries(data).map(([k, v]) => `${k}: ${yamlValue(v)}`);
  return `---\n${HASH_MARK}\n${lines.join("\n")}\n---\n\n${trimBody(body)}`;
}

/** Plain Markdown with the marker as an HTML comment on the first line. */
function plainMarkdown(body: string): string {
  return `${HTML_MARK}\n\n${trimBody(body)}`;
}

function trimBody(body: string): string {
  return `${body.replace(/^\n+/, "").replace(/\s+$/, "")}\n`;
}

/** The prompt with `$ARGUMENTS` written the way the agent spells the user's input. */
function withArgs(body: string, spelling: string): string {
  return body.replaceAll("$ARGUMENTS", spelling);
}

/** VS Code prompt files ask for the user's input with a `${input:name}` variable. */
const COPILOT_INPUT = ["$", "{input:args}"].join("");

/** Agents without an arguments placeholder: the user's words follow the command. */
const NO_PLACEHOLDER = "the text the user gave with this command";

/** A TOML string: a literal multi-line string when possible (no escaping), else a basic one. */
function tomlString(text: string): string {
  if (!text.includes("'''") && !text.endsWith("'")) return `'''\n${text}'''`;
  return JSON.stringify(text);
}

function claude(s: AgentSources): AgentOutput[] {
  return [
    // Claude Code reads CLAUDE.md, not AGENTS.md.
    { kind: "block", path: "CLAUDE.md", text: s.block },
    ...s.commands.map(
      (c): AgentOutput => ({
        kind: "owned",
        path: `.claude/commands/baton/${c.name}.md`,
        content: withFrontmatter(
          { description: c.description, "argument-hint": c.argumentHint },
          c.body,
        ),
      }),
    ),
    {
      kind: "owned",
      path: ".claude/skills/baton-planning/SKILL.md",
      content: withFrontmatter(
        { name: s.skill.name, description: s.skill.description },
        s.skill.body,
      ),
    },
    ...s.flows.map(
      (f): AgentOutput => ({
        kind: "owned",
        path: `.claude/skills/baton-planning/flows/${f.name}.md`,
        content: withFrontmatter({ name: f.name, description: f.description }, f.body),
      }),
    ),
    { kind: "json", path: ".mcp.json", key: "mcpServers", name: "baton", value: MCP_COMMAND },
  ];
}

function cursor(s: AgentSources): AgentOutput[] {
  return [
    {
      kind: "owned",
      path: ".cursor/rules/baton.mdc",
      content: withFrontmatter(
        { description: s.skill.description, alwaysApply: false },
        s.skill.body,
      ),
    },
    ...s.commands.map(
      (c): AgentOutput => ({
        kind: "owned",
        path: `.cursor/commands/baton-${c.name}.md`,
        content: plainMarkdown(withArgs(c.body, NO_PLACEHOLDER)),
      }),
    ),
    {
      kind: "json",
      path: ".cursor/mcp.json",
      key: "mcpServers",
      name: "baton",
      value: MCP_COMMAND,
    },
  ];
}

function gemini(s: AgentSources): AgentOutput[] {
  return [
    // Gemini CLI reads GEMINI.md by default.
    { kind: "block", path: "GEMINI.md", text: s.block },
    ...s.commands.map(
      (c): AgentOutput => ({
        kind: "owned",
        path: `.gemini/commands/baton/${c.name}.toml`,
        content: `${HASH_MARK}\ndescription = ${JSON.stringify(c.description)}\nprompt = ${tomlString(
          trimBody(withArgs(c.body, "{{args}}")),
        )}\n`,
      }),
    ),
    {
      kind: "json",
      path: ".gemini/settings.json",
      key: "mcpServers",
      name: "baton",
      value: MCP_COMMAND,
    },
  ];
}

function copilot(s: AgentSources): AgentOutput[] {
  return [
    { kind: "block", path: ".github/copilot-instructions.md", text: s.block },
    ...s.commands.map(
      (c): AgentOutput => ({
        kind: "owned",
        path: `.github/prompts/baton-${c.name}.prompt.md`,
        content: withFrontmatter(
          { description: c.description, "argument-hint": c.argumentHint, agent: "agent" },
          withArgs(c.body, COPILOT_INPUT),
        ),
      }),
    ),
    {
      kind: "json",
      path: ".vscode/mcp.json",
      key: "servers",
      name: "baton",
      value: { type: "stdio", ...MCP_COMMAND },
    },
  ];
}

function opencode(s: AgentSources): AgentOutput[] {
  return [
    ...s.commands.map(
      (c): AgentOutput => ({
        kind: "owned",
        path: `.opencode/command/baton-${c.name}.md`,
        content: withFrontmatter({ description: c.description }, c.body),
      }),
    ),
    {
      kind: "json",
      path: "opencode.json",
      key: "mcp",
      name: "baton",
      value: { type: "local", command: [MCP_COMMAND.command, ...MCP_COMMAND.args], enabled: true },
    },
  ];
}

function windsurf(s: AgentSources): AgentOutput[] {
  return [
    {
      kind: "owned",
      path: ".windsurf/rules/baton.md",
      content: withFrontmatter(
        { trigger: "model_decision", description: s.skill.description },
        s.skill.body,
      ),
    },
    ...s.commands.map(
      (c): AgentOutput => ({
        kind: "owned",
        path: `.windsurf/workflows/baton-${c.name}.md`,
        content: withFrontmatter({ description: c.description }, withArgs(c.body, NO_PLACEHOLDER)),
      }),
    ),
  ];
}

function pi(s: AgentSources): AgentOutput[] {
  return [
    ...s.commands.map(
      (c): AgentOutput => ({
        kind: "owned",
        path: `.pi/prompts/baton-${c.name}.md`,
        content: withFrontmatter({ description: c.description }, withArgs(c.body, "$@")),
      }),
    ),
    {
      kind: "owned",
      path: ".pi/skills/baton-planning/SKILL.md",
      content: withFrontmatter(
        { name: s.skill.name, description: s.skill.description },
        s.skill.body,
      ),
    },
  ];
}

const MCP_BY_HAND = "`npx baton mcp` (stdio)";

/** Each agent's files, from the sources. Every agent also gets the AGENTS.md block from init. */
export function agentTarget(agent: AgentName, s: AgentSources): AgentTarget {
  switch (agent) {
    case "claude":
      return { agent, outputs: claude(s), notes: [] };
    case "codex":
      return {
        agent,
        outputs: [],
        notes: [
          `codex: reads AGENTS.md; its MCP servers and prompts are user-level (~/.codex), so add the server yourself: codex mcp add baton -- npx baton mcp`,
        ],
      };
    case "cursor":
      return { agent, outputs: cursor(s), notes: [] };
    case "gemini":
      return { agent, outputs: gemini(s), notes: [] };
    case "copilot":
      return { agent, outputs: copilot(s), notes: [] };
    case "opencode":
      return { agent, outputs: opencode(s), notes: [] };
    case "windsurf":
      return {
        agent,
        outputs: windsurf(s),
        notes: [
          `windsurf: MCP servers are user-level (~/.codeium/windsurf/mcp_config.json); add ${MCP_BY_HAND} there`,
        ],
      };
    case "pi":
      return {
        agent,
        outputs: pi(s),
        notes: ["pi: reads AGENTS.md; it has no MCP support, so it runs the baton CLI directly"],
      };
  }
}

/**
 * The agent names asked for (`--agent` repeated, or comma-separated), `all` expanded, duplicates
 * dropped, in table order. Unknown names are returned separately for the caller to refuse.
 */
export function resolveAgentNames(requested: string[]): {
  agents: AgentName[];
  unknown: string[];
} {
  const words = requested.flatMap((r) => r.split(",")).map((w) => w.trim().toLowerCase());
  const unknown = words.filter(
    (w) => w !== "" && w !== "all" && !(AGENT_NAMES as readonly string[]).includes(w),
  );
  const all = words.includes("all");
  const agents = AGENT_NAMES.filter((a) => all || words.includes(a));
  return { agents, unknown };
}

/** True when `text` (an existing file) was written by Baton and may be replaced. */
export function isManagedFile(text: string): boolean {
  return text.split("\n", 3).some((line) => line.includes(MANAGED_MARKER));
}
