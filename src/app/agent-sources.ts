import type { AgentSources, DocSource, PromptSource } from "../core/agent-targets.ts";
import { parseFrontmatter } from "../core/frontmatter.ts";
import { agentsSourceDir, packageDocs, readPackageFile } from "../store/package-files.ts";
import { fullYaml } from "../store/yaml.ts";

export { agentsSourceDir };

/** A Markdown file of agents/: its frontmatter fields and the text after it. */
function readDoc(dir: string, rel: string): { data: Record<string, unknown>; body: string } {
  const parsed = parseFrontmatter(readPackageFile(dir, rel), `agents/${rel}`, fullYaml);
  return { data: parsed.data ?? {}, body: parsed.body };
}

const str = (v: unknown) => (typeof v === "string" ? v : "");

function names(dir: string, sub: string): string[] {
  return packageDocs(dir, sub);
}

/** agents/commands/*.md: each command prompt with its description and argument hint. */
export function loadCommandPrompts(dir = agentsSourceDir()): PromptSource[] {
  return names(dir, "commands").map((name): PromptSource => {
    const d = readDoc(dir, `commands/${name}.md`);
    return {
      name,
      description: str(d.data.description),
      argumentHint: str(d.data["argument-hint"]),
      body: d.body,
    };
  });
}

/** The one source of every agent file: the skill, the command prompts, the flows, the block. */
export function loadAgentSources(dir = agentsSourceDir()): AgentSources {
  const skill = readDoc(dir, "skills/baton-planning/SKILL.md");
  const flows = names(dir, "flows").map((name): DocSource => {
    const d = readDoc(dir, `flows/${name}.md`);
    return { name: str(d.data.name) || name, description: str(d.data.description), body: d.body };
  });
  return {
    skill: {
      name: str(skill.data.name) || "baton-planning",
      description: str(skill.data.description),
      body: skill.body,
    },
    commands: loadCommandPrompts(dir),
    flows,
    block: readPackageFile(dir, "blocks/agents-md.md"),
  };
}
