/**
 * The files `baton init` writes into a repository for coding agents, as paths to leave out of a
 * plan's context scan: the folders and files Baton owns (skills, command prompts, rules), the
 * agents' MCP config files that hold Baton's entry, and `.gitattributes` (the event log's merge
 * rule). Derived from the agent table, so a new agent's files are covered too.
 */
import { AGENT_NAMES, type AgentSources, agentTarget } from "../agent-targets.ts";

/** Sources with no commands or flows: the table's fixed paths and folders are what remain. */
const NO_SOURCES: AgentSources = {
  skill: { name: "", description: "", body: "" },
  commands: [],
  flows: [],
  block: "",
};

function ownPaths(): { files: Set<string>; prefixes: string[] } {
  const files = new Set<string>([".gitattributes"]);
  const prefixes: string[] = [];
  for (const agent of AGENT_NAMES) {
    const target = agentTarget(agent, NO_SOURCES);
    for (const output of target.outputs) {
      // A block lives in the user's own Markdown (AGENTS.md, CLAUDE.md): that file is theirs.
      if (output.kind !== "block") files.add(output.path);
    }
    for (const folder of target.folders) {
      prefixes.push(folder.prefix === "" ? `${folder.dir}/` : `${folder.dir}/${folder.prefix}`);
      if (folder.prefix === "") files.add(folder.dir);
    }
  }
  return { files, prefixes };
}

let cached: ReturnType<typeof ownPaths> | null = null;

/** A repository-relative path (file or folder) that `baton init` writes for agents. */
export function isBatonOwnFile(rel: string): boolean {
  cached ??= ownPaths();
  const p = rel.replace(/^\.\//, "").replace(/\/+$/, "");
  return cached.files.has(p) || cached.prefixes.some((prefix) => p.startsWith(prefix));
}
