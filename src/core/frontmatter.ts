import { corruptFile } from "./errors.ts";
import { type FlatYaml, type FullYaml, parseYaml, renderFlatYaml } from "./yaml.ts";

export interface FrontmatterDoc {
  data: Record<string, unknown> | null;
  body: string;
}

const FENCE = /^---\r?\n(?:([\s\S]*?)\r?\n)?---[ \t]*(?:\r?\n|$)/;

/** Splits `---` YAML frontmatter from a Markdown document; `data` is null when there is none. */
export function parseFrontmatter(
  text: string,
  file: string,
  full: FullYaml | null = null,
): FrontmatterDoc {
  const match = FENCE.exec(text);
  if (!match) return { data: null, body: text };
  let data: unknown;
  try {
    data = parseYaml(match[1] ?? "", full);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw corruptFile(
      file,
      `frontmatter is not valid YAML (${reason})`,
      "fix the YAML between the --- lines, or restore the file from git",
    );
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== "object" || Array.isArray(data)) {
    throw corruptFile(
      file,
      "frontmatter is not a mapping",
      "frontmatter must be key: value lines between --- fences",
    );
  }
  return { data: data as Record<string, unknown>, body: text.slice(match[0].length) };
}

export function renderFrontmatter(data: FlatYaml, body: string): string {
  return `---\n${renderFlatYaml(data)}---\n\n${body.replace(/^\n+/, "")}`;
}
