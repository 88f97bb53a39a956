/**
 * YAML for Baton's own files. Config, status and ticket frontmatter are flat or one level deep,
 * so a small reader handles them without loading a full YAML library on every command (the
 * library is most of the CLI's startup cost). Anything it does not recognise (lists, flow
 * collections, block scalars, anchors) goes to `full`, a complete parser the caller supplies
 * (store/yaml.ts loads js-yaml only then); without one it is refused as outside the subset.
 */
export function parseYaml(text: string, full: FullYaml | null = null): unknown {
  const lite = parseYamlLite(text);
  if (lite !== undefined) return lite;
  if (full === null)
    throw new Error("YAML beyond the flat subset Baton writes, and no full parser");
  return full(text);
}

/** A complete YAML parser: text in, data out; throws on invalid YAML. */
export type FullYaml = (text: string) => unknown;

type Scalar = string | number | boolean | null;

const PLAIN_KEY = /^([A-Za-z_][A-Za-z0-9_.-]*):(?:[ \t]+(.*))?$/;

/** The subset reader; `undefined` means "not in the subset", never "empty". */
export function parseYamlLite(text: string): Record<string, unknown> | undefined {
  const root: Record<string, unknown> = {};
  let section: Record<string, unknown> | null = null;
  let sectionKey = "";
  let sectionIndent = -1;
  /** A top-level key holding a list of JSON objects (status.yaml's history), while it is read. */
  let list: unknown[] | null = null;
  for (const raw of text.split(/\r?\n/)) {
    if (raw.includes("\t")) return undefined;
    const line = stripComment(raw);
    if (line === undefined) return undefined;
    if (line.trim() === "") continue;
    const indent = line.length - line.trimStart().length;
    const item = /^- (\{.*\})$/.exec(line.trim());
    if (item && indent > 0 && (list !== null || (section && Object.keys(section).length === 0))) {
      // `  - {"action": …}`: a JSON object is a YAML flow mapping that means the same.
      let value: unknown;
      try {
        value = JSON.parse(item[1] as string);
      } catch {
        return undefined;
      }
      if (list === null) {
        list = [];
        root[sectionKey] = list;
        section = null;
        sectionIndent = indent;
      } else if (indent !== sectionIndent) return undefined;
      list.push(value);
      continue;
    }
    if (list !== null && indent > 0) return undefined;
    list = null;
    const match = PLAIN_KEY.exec(line.trim());
    if (!match) return undefined;
    const key = match[1] as string;
    const rest = match[2]?.trim() ?? "";
    if (indent === 0) {
      section = null;
      if (key in root) return undefined;
      if (rest === "") {
        section = {};
        sectionKey = key;
        sectionIndent = -1;
        root[key] = section;
        continue;
      }
      if (rest === "[]") {
        root[key] = [];
        continue;
      }
      const value = scalar(rest);
      if (value === undefined) return undefined;
      root[key] = value;
      continue;
    }
    if (!section || rest === "") return undefined;
    if (sectionIndent === -1) sectionIndent = indent;
    if (indent !== sectionIndent || key in section) return undefined;
    const value = scalar(rest);
    if (value === undefined) return undefined;
    section[key] = value;
  }
  for (const [key, value] of Object.entries(root)) {
    if (
      value !== null &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      Object.keys(value).length === 0
    )
      root[key] = null;
  }
  return root;
}

/** Removes a trailing ` # comment` outside quotes; `undefined` for an unterminated quote. */
function stripComment(line: string): string | undefined {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === "\\" && quote === '"') i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === "#" && (i === 0 || line[i - 1] === " ")) {
      return line.slice(0, i).trimEnd();
    }
  }
  return quote ? undefined : line;
}

function scalar(text: string): Scalar | undefined {
  if (text.startsWith('"')) {
    if (!text.endsWith('"') || text.length < 2) return undefined;
    try {
      return JSON.parse(text) as string;
    } catch {
      return undefined;
    }
  }
  if (text.startsWith("'")) {
    if (!text.endsWith("'") || text.length < 2) return undefined;
    const inner = text.slice(1, -1);
    if (/(^|[^'])'([^']|$)/.test(inner)) return undefined;
    return inner.replaceAll("''", "'");
  }
  if (/^[[{&*!|>%@`]/.test(text) || text.startsWith("- ") || text.includes(": ")) return undefined;
  if (text === "null" || text === "~" || text === "Null" || text === "NULL") return null;
  if (text === "true" || text === "True" || text === "TRUE") return true;
  if (text === "false" || text === "False" || text === "FALSE") return false;
  if (/^-?(0|[1-9][0-9]*)$/.test(text)) return Number(text);
  if (/^-?(0|[1-9][0-9]*)\.[0-9]+$/.test(text)) return Number(text);
  // Timestamps and other typed plain scalars stay strings unless js-yaml is asked.
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) return text;
  if (/^(yes|no|on|off|y|n)$/i.test(text)) return undefined;
  return text;
}

/** What {@link renderFlatYaml} writes: scalars, and sections of scalars one level deep. */
export type FlatYaml = Record<string, Scalar | Readonly<Record<string, Scalar>>>;

/**
 * Flat `key: value` lines in a form both this reader and any YAML parser read back identically:
 * strings are JSON-quoted unless plainly safe. A section (an object of scalars) is its key on a
 * line of its own and its entries indented by two spaces; an empty one is written as null, which
 * is how the reader reads a section without entries.
 */
export function renderFlatYaml(data: FlatYaml): string {
  return Object.entries(data)
    .map(([key, value]) => {
      if (value === null || typeof value !== "object") return `${key}: ${renderScalar(value)}\n`;
      const entries = Object.entries(value);
      if (entries.length === 0) return `${key}: null\n`;
      return `${key}:\n${entries.map(([k, v]) => `  ${k}: ${renderScalar(v)}\n`).join("")}`;
    })
    .join("");
}

function renderScalar(value: Scalar): string {
  if (value === null) return "null";
  if (typeof value !== "string") return String(value);
  const plain = /^[A-Za-z0-9][A-Za-z0-9_./@+-]*$/.test(value) && scalar(value) === value;
  return plain ? value : JSON.stringify(value);
}
