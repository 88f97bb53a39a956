/**
 * What `baton init --agent <name>` installs for each coding agent: a pure table from the one
 * source in `agents/` (the skill, the command prompts, the flows and the AGENTS.md block) to the
 * files each agent reads. Nothing here touches the disk; `src/app/workspace/init.ts` reads the
 * sources, renders the targets and writes them.
 *
 * Three kinds of output:
 * - `owned`: a file Baton owns entirely. It carries {@link MANAGED_MARKER} in a comment on its
 *   first line (inside the frontmatter, as a YAML comment, when the agent needs frontmatter
 *   first) and is replaced on every run. A marked file in one of the agent's `folders` that is
 *   no longer among its outputs is obsolete and removed.
 * - `block`: Baton's managed block inside a Markdown file shared with the user.
 * - `json`: one entry (`doc[key][name]`, such as `mcpServers.baton`) merged into a config file
 *   shared with the user, written in the file's `syntax`: JSON, JSONC (JSON with comments) or
 *   TOML (where the entry is the table `[key.name]`).
 */

import type { TomlValue } from "./toml-entry.ts";
import { tomlBasicString, tomlMultilineString } from "./toml-entry.ts";

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
  | {
      kind: "json";
      path: string;
      syntax: ConfigSyntax;
      key: string;
      name: string;
      /** Flat: strings, numbers, booleans and string lists, which JSON and TOML both spell. */
      value: Record<string, TomlValue>;
    };

export type ConfigSyntax = "json" | "jsonc" | "toml";

/**
 * A folder whose files named `prefix…` are Baton's to keep: the agent's commands folder, its
 * skill folder. With an empty prefix the whole folder, sub-folders included, is Baton's. Only
 * files carrying {@link MANAGED_MARKER} are ever removed from it.
 */
export interface OwnedFolder {
  dir: string;
  prefix: string;
}

export interface AgentTarget {
  agent: AgentName;
  outputs: AgentOutput[];
  /** Where obsolete managed files of this agent are looked for. */
  folders: OwnedFolder[];
  /** Things the agent needs that live outside the repository (user-level config). */
  notes: string[];
}

/**
 * How every agent starts Baton's MCP server. A package of another author is published as
 * `baton` on the npm registry, and a bare `npx baton` installs and runs it when no Baton is
 * installed: npm's exec docs say `--yes` is assumed when stdin is not a TTY, as it never is for
 * an MCP server an agent spawns. With `--no` (npm's documented answer "no" to the install
 * prompt; the older `--no-install` is deprecated and converted to it) npx runs the Baton in the
 * project's node_modules or the global one and otherwise stops before installing anything (only
 * a copy an earlier bare `npx` already put in npx's cache would still run).
 */
export const MCP_COMMAND = { command: "npx", args: ["--no", "baton", "mcp"] } as const;

/** The command and its arguments as one list, as opencode spells a command. */
const MCP_ARGV = [MCP_COMMAND.command, ...MCP_COMMAND.args];

/** The same command as one line, for the notes and for registering the server by hand. */
export const MCP_COMMAND_LINE = MCP_ARGV.join(" ");

/** The MCP registration as the agents' JSON and TOML configs spell it. */
const MCP_SERVER: Record<string, TomlValue> = {
  command: MCP_COMMAND.command,
  args: [...MCP_COMMAND.args],
};

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

/** The planning skill and its flows, in an agent's skills folder (`<dir>/SKILL.md`, `flows/`). */
function skillFiles(s: AgentSources, dir: string): AgentOutput[] {
  return [
    {
      kind: "owned",
      path: `${dir}/SKILL.md`,
      content: withFrontmatter(
        { name: s.skill.name, description: s.skill.description },
        s.skill.body,
      ),
    },
    ...s.flows.map(
      (f): AgentOutput => ({
        kind: "owned",
        path: `${dir}/flows/${f.name}.md`,
        content: withFrontmatter({ name: f.name, description: f.description }, f.body),
      }),
    ),
  ];
}

/** `mcpServers.baton` in a JSON config: Claude Code, Cursor and Gemini CLI spell it alike. */
function mcpJson(path: string): AgentOutput {
  return {
    kind: "json",
    path,
    syntax: "json",
    key: "mcpServers",
    name: "baton",
    value: MCP_SERVER,
  };
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
    ...skillFiles(s, ".claude/skills/baton-planning"),
    mcpJson(".mcp.json"),
  ];
}

/**
 * Codex reads AGENTS.md itself. At project level it also reads repository skills from
 * `.agents/skills/<name>/SKILL.md` (the Codex skills docs: the REPO scope, scanned from the
 * working folder up to the repository root) and `.codex/config.toml`, MCP servers included as
 * `[mcp_servers.<name>]` tables, in trusted projects only (the Codex config-basics and MCP
 * docs). Its custom prompts are user-level (`~/.codex/prompts`) and deprecated in favour of
 * skills, so the command prompts are not installed for it.
 */
function codex(s: AgentSources): AgentOutput[] {
  return [
    ...skillFiles(s, ".agents/skills/baton-planning"),
    {
      kind: "json",
      path: ".codex/config.toml",
      syntax: "toml",
      key: "mcp_servers",
      name: "baton",
      value: MCP_SERVER,
    },
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
    mcpJson(".cursor/mcp.json"),
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
        content: `${HASH_MARK}\ndescription = ${tomlBasicString(c.description)}\nprompt = ${tomlMultilineString(
          trimBody(withArgs(c.body, "{{args}}")),
        )}\n`,
      }),
    ),
    mcpJson(".gemini/settings.json"),
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
    // VS Code reads its config files as JSON with comments.
    {
      kind: "json",
      path: ".vscode/mcp.json",
      syntax: "jsonc",
      key: "servers",
      name: "baton",
      value: { type: "stdio", ...MCP_SERVER },
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
      syntax: "json",
      key: "mcp",
      name: "baton",
      value: { type: "local", command: MCP_ARGV, enabled: true },
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

const MCP_BY_HAND = `\`${MCP_COMMAND_LINE}\` (stdio)`;

/** A folder Baton owns outright (its own sub-folder of the agent's commands or skills). */
const whole = (dir: string): OwnedFolder => ({ dir, prefix: "" });
/** Baton's `baton-…` files in a folder shared with the user's own. */
const prefixed = (dir: string): OwnedFolder => ({ dir, prefix: "baton-" });

/** Each agent's files, from the sources. Every agent also gets the AGENTS.md block from init. */
export function agentTarget(agent: AgentName, s: AgentSources): AgentTarget {
  switch (agent) {
    case "claude":
      return {
        agent,
        outputs: claude(s),
        folders: [whole(".claude/commands/baton"), whole(".claude/skills/baton-planning")],
        notes: [],
      };
    case "codex":
      return {
        agent,
        outputs: codex(s),
        folders: [whole(".agents/skills/baton-planning")],
        notes: [
          `codex: reads .codex/config.toml only in a project you trust; otherwise add the server yourself: codex mcp add baton -- ${MCP_COMMAND_LINE}`,
        ],
      };
    case "cursor":
      return { agent, outputs: cursor(s), folders: [prefixed(".cursor/commands")], notes: [] };
    case "gemini":
      return { agent, outputs: gemini(s), folders: [whole(".gemini/commands/baton")], notes: [] };
    case "copilot":
      return { agent, outputs: copilot(s), folders: [prefixed(".github/prompts")], notes: [] };
    case "opencode":
      return { agent, outputs: opencode(s), folders: [prefixed(".opencode/command")], notes: [] };
    case "windsurf":
      return {
        agent,
        outputs: windsurf(s),
        folders: [prefixed(".windsurf/workflows")],
        notes: [
          `windsurf: MCP servers are user-level (~/.codeium/windsurf/mcp_config.json); add ${MCP_BY_HAND} there`,
        ],
      };
    case "pi":
      return {
        agent,
        outputs: pi(s),
        folders: [prefixed(".pi/prompts"), whole(".pi/skills/baton-planning")],
        notes: ["pi: reads AGENTS.md; it has no MCP support, so it runs the baton CLI directly"],
      };
  }
}

/**
 * The agent names asked for (`--agent` repeated, or comma-separated), `all` expanded, duplicates
 * dropped, in table order. Unknown names, an empty one (`--agent ""`, `claude,`) included, are
 * returned separately for the caller to refuse.
 */
export function resolveAgentNames(requested: string[]): {
  agents: AgentName[];
  unknown: string[];
} {
  const words = requested.flatMap((r) => r.split(",")).map((w) => w.trim().toLowerCase());
  const unknown = words.filter(
    (w) => w !== "all" && !(AGENT_NAMES as readonly string[]).includes(w),
  );
  const all = words.includes("all");
  const agents = AGENT_NAMES.filter((a) => all || words.includes(a));
  return { agents, unknown };
}

/** True when `text` (an existing file) was written by Baton and may be replaced. */
export function isManagedFile(text: string): boolean {
  return text.split("\n", 3).some((line) => line.includes(MANAGED_MARKER));
}
