import fs from "node:fs";
import path from "node:path";
import url from "node:url";
import type { AgentSources, DocSource, PromptSource } from "../core/agent-targets.ts";
import { BatonError } from "../core/errors.ts";
import { parseFrontmatter } from "../core/frontmatter.ts";

/**
 * The folder `agents/` that ships with Baton (package.json "files"): found by walking up from
 * this module, which is `src/app/` when run from source and `dist/` in the bundled CLI (where
 * esbuild defines `import.meta.url` as the bundle's path).
 */
export function agentsSourceDir(): string {
  const here = import.meta.url;
  let dir = path.dirname(here.startsWith("file:") ? url.fileURLToPath(here) : here);
  for (;;) {
    const candidate = path.join(dir, "agents");
    if (fs.existsSync(path.join(candidate, "skills", "baton-planning", "SKILL.md")))
      return candidate;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new BatonError(
        "FILE_NOT_FOUND",
        "the agents/ folder that ships with Baton is missing",
        "reinstall Baton; its package includes agents/",
      );
    dir = parent;
  }
}

/** A Markdown file of agents/: its frontmatter fields and the text after it. */
function readDoc(dir: string, rel: string): { data: Record<string, unknown>; body: string } {
  const parsed = parseFrontmatter(fs.readFileSync(path.join(dir, rel), "utf8"), `agents/${rel}`);
  return { data: parsed.data ?? {}, body: parsed.body };
}

const str = (v: unknown) => (typeof v === "string" ? v : "");

function names(dir: string, sub: string): string[] {
  return fs
    .readdirSync(path.join(dir, sub))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => f.slice(0, -3));
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
    block: fs.readFileSync(path.join(dir, "blocks", "agents-md.md"), "utf8"),
  };
}
