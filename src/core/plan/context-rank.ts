import { removeGeneratedBlock } from "../markdown.ts";

/**
 * Phase 2's pure parts: keywords from the plan's text, file kinds, relevance scores, the tech
 * stack and external dependencies from manifests, and TS/JS imports. Deterministic: the same
 * files and text give the same ranking (ties broken by path).
 */

const STOP_WORDS = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before " +
    "being below between both but by can could did do does doing done down during each few for " +
    "from further had has have having he her here hers him his how if in into is it its itself " +
    "just let like make may me might more most must my no nor not now of off on once only or " +
    "other our ours out over own same shall she should so some such than that the their theirs " +
    "them then there these they this those through to too under until up use used using very " +
    "via was we were what when where which while who whom why will with would you your yours " +
    "plan plans goal goals task tasks todo step steps phase phases notes note new add adds added " +
    "should need needs want wants get gets set sets work works way ways thing things etc one two " +
    "first second next last see baton topic topics section sections inputs related root seed " +
    "spike session planning links scope src lib file files"
  ).split(" "),
);

/** A plan document without Baton's generated parts (its links block, topic and session ids). */
export function goalText(doc: string): string {
  return removeGeneratedBlock(doc, "Inputs / Related Topics")
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/\]\([^)]*\)/g, "] ")
    .replace(/\b(seed|spike|plan|backlog)-[a-z0-9-]+(@\S+)?/g, " ");
}

/** Lowercase words of three or more letters, stop words and numbers removed, most frequent first. */
export function extractKeywords(text: string, limit = 30): string[] {
  const counts = new Map<string, number>();
  for (const raw of text.toLowerCase().split(/[^a-z0-9]+/)) {
    if (raw.length < 3 || STOP_WORDS.has(raw)) continue;
    // Numbers and stamps (`22t06`) are noise; a version suffix (`oauth2`, `es6`) is a word.
    if (/\d/.test(raw) && !/^[a-z]{2,}\d$/.test(raw)) continue;
    counts.set(raw, (counts.get(raw) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([word]) => word);
}

export type AssetKind = "source" | "test" | "doc" | "config" | "other";

const SOURCE_EXT =
  /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|py|rs|go|java|kt|kts|scala|rb|php|cs|c|h|cc|cpp|hpp|swift|m|ex|exs|erl|clj|lua|sh|bash|zsh|sql|vue|svelte|dart)$/i;
const DOC_EXT = /\.(md|mdx|rst|adoc|txt)$/i;
const CONFIG_NAMES =
  /(^|\/)(package\.json|tsconfig[^/]*\.json|biome\.json|\.eslintrc[^/]*|\.prettierrc[^/]*|[^/]*\.config\.[a-z]+|Cargo\.toml|go\.mod|pyproject\.toml|setup\.cfg|setup\.py|requirements[^/]*\.txt|pom\.xml|build\.gradle(\.kts)?|Gemfile|Makefile|Dockerfile|docker-compose\.ya?ml|\.gitignore|\.gitattributes|\.editorconfig)$/;
const CONFIG_EXT = /\.(json|ya?ml|toml|ini|cfg|conf|env|properties|xml)$/i;

export function classifyFile(file: string): AssetKind {
  const lower = file.toLowerCase();
  if (
    /(^|\/)(test|tests|__tests__|spec|specs)\//.test(lower) ||
    /[._-](test|spec)\.[a-z0-9]+$/.test(lower) ||
    /(^|\/)test_[^/]+\.py$/.test(lower)
  ) {
    return "test";
  }
  if (CONFIG_NAMES.test(file)) return "config";
  if (DOC_EXT.test(file) || /(^|\/)(docs?|documentation)\//.test(lower)) return "doc";
  if (SOURCE_EXT.test(file)) return "source";
  if (CONFIG_EXT.test(file)) return "config";
  return "other";
}

export interface FileScore {
  score: number;
  path_hits: string[];
  content_hits: number;
  /** The plan's text names this file's path. */
  named: boolean;
}

/** What a file named in the plan's text weighs: more than any keyword match can add up to. */
const NAMED_SCORE = 20;

/** Words of a path: folders, name and extension split on punctuation and camelCase. */
function pathWords(file: string): Set<string> {
  const spaced = file.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return new Set(spaced.split(/[^a-z0-9]+/).filter((w) => w !== ""));
}

/**
 * Raw relevance of one file: 3 per keyword in its path (words, or a prefix of a path word such as
 * `auth` in `authentication`), plus its content mentions, at most 5 a keyword, plus a fixed
 * weight when the plan names the file outright.
 */
export function scoreFile(
  file: string,
  content: string | null,
  keywords: readonly string[],
  named = false,
): FileScore {
  const words = pathWords(file);
  const pathHits: string[] = [];
  for (const k of keywords) {
    if (words.has(k) || [...words].some((w) => w.length > k.length && w.startsWith(k))) {
      pathHits.push(k);
    }
  }
  let contentHits = 0;
  if (content !== null && keywords.length > 0) {
    const text = content.length > 65536 ? content.slice(0, 65536) : content;
    const lower = text.toLowerCase();
    for (const k of keywords) {
      let n = 0;
      let at = lower.indexOf(k);
      while (at !== -1 && n < 5) {
        n++;
        at = lower.indexOf(k, at + k.length);
      }
      contentHits += n;
    }
  }
  return {
    score: pathHits.length * 3 + contentHits + (named ? NAMED_SCORE : 0),
    path_hits: pathHits,
    content_hits: contentHits,
    named,
  };
}

export interface RankedAsset {
  path: string;
  kind: AssetKind;
  /** 0..1, relative to the most relevant file. */
  relevance: number;
  matched: string[];
  named: boolean;
}

/** Files with a non-zero score, most relevant first (ties by path), relevance scaled to 0..1. */
export function rankAssets(
  scored: readonly { path: string; score: FileScore }[],
  limit = 200,
): RankedAsset[] {
  const hits = scored.filter((s) => s.score.score > 0);
  const max = hits.reduce((m, s) => Math.max(m, s.score.score), 0);
  return hits
    .sort((a, b) => b.score.score - a.score.score || (a.path < b.path ? -1 : 1))
    .slice(0, limit)
    .map((s) => ({
      path: s.path,
      kind: classifyFile(s.path),
      relevance: Math.round((s.score.score / max) * 1000) / 1000,
      matched: s.score.path_hits,
      named: s.score.named,
    }));
}

// ---- manifests ----

export const MANIFESTS: Record<string, { language: string; ecosystem: string }> = {
  "package.json": { language: "JavaScript/TypeScript", ecosystem: "npm" },
  "Cargo.toml": { language: "Rust", ecosystem: "cargo" },
  "go.mod": { language: "Go", ecosystem: "go" },
  "pyproject.toml": { language: "Python", ecosystem: "pypi" },
  "requirements.txt": { language: "Python", ecosystem: "pypi" },
  "setup.py": { language: "Python", ecosystem: "pypi" },
  "pom.xml": { language: "Java", ecosystem: "maven" },
  "build.gradle": { language: "Java/Kotlin", ecosystem: "gradle" },
  "build.gradle.kts": { language: "Kotlin", ecosystem: "gradle" },
  Gemfile: { language: "Ruby", ecosystem: "rubygems" },
  "composer.json": { language: "PHP", ecosystem: "composer" },
  "mix.exs": { language: "Elixir", ecosystem: "hex" },
};

export function isManifest(file: string): boolean {
  const name = file.slice(file.lastIndexOf("/") + 1);
  return Object.hasOwn(MANIFESTS, name);
}

export interface ManifestFacts {
  file: string;
  language: string;
  ecosystem: string;
  dependencies: string[];
  dev_dependencies: string[];
}

/** Dependency names declared by a manifest; unknown or unreadable text gives empty lists. */
export function parseManifest(file: string, text: string): ManifestFacts | null {
  const name = file.slice(file.lastIndexOf("/") + 1);
  const kind = MANIFESTS[name];
  if (!kind) return null;
  const facts: ManifestFacts = { file, ...kind, dependencies: [], dev_dependencies: [] };
  const uniq = (xs: string[]) => [...new Set(xs)].sort();
  if (name === "package.json" || name === "composer.json") {
    try {
      const data = JSON.parse(text) as Record<string, Record<string, string> | undefined>;
      const keys = (k: string) => Object.keys(data[k] ?? {});
      facts.dependencies = uniq([
        ...keys(name === "package.json" ? "dependencies" : "require"),
        ...keys("peerDependencies"),
      ]);
      facts.dev_dependencies = uniq(
        keys(name === "package.json" ? "devDependencies" : "require-dev"),
      );
    } catch {
      // Not JSON: reported with no dependencies.
    }
  } else if (name === "Cargo.toml") {
    facts.dependencies = uniq(tomlSectionKeys(text, /^\[(.*\.)?dependencies\]$/));
    facts.dev_dependencies = uniq(tomlSectionKeys(text, /^\[(.*\.)?dev-dependencies\]$/));
  } else if (name === "go.mod") {
    const deps: string[] = [];
    let inBlock = false;
    for (const line of text.split("\n").map((l) => l.trim())) {
      if (line.startsWith("require (")) inBlock = true;
      else if (inBlock && line === ")") inBlock = false;
      else if (inBlock && line !== "" && !line.startsWith("//"))
        deps.push(line.split(/\s+/)[0] as string);
      else if (line.startsWith("require ")) deps.push(line.split(/\s+/)[1] as string);
    }
    facts.dependencies = uniq(deps);
  } else if (name === "requirements.txt") {
    facts.dependencies = uniq(
      text
        .split("\n")
        .map((l) => l.replace(/#.*/, "").trim())
        .filter((l) => l !== "" && !l.startsWith("-"))
        .map((l) => pyName(l)),
    );
  } else if (name === "pyproject.toml") {
    const deps: string[] = [];
    const list = /(^|\n)\s*dependencies\s*=\s*\[([^\]]*)\]/.exec(text);
    if (list)
      for (const m of (list[2] as string).matchAll(/["']([^"']+)["']/g))
        deps.push(pyName(m[1] as string));
    deps.push(
      ...tomlSectionKeys(text, /^\[tool\.poetry\.dependencies\]$/).filter((d) => d !== "python"),
    );
    facts.dependencies = uniq(deps);
    facts.dev_dependencies = uniq(
      tomlSectionKeys(text, /^\[tool\.poetry\.(dev-dependencies|group\.dev\.dependencies)\]$/),
    );
  } else if (name === "pom.xml") {
    const deps: string[] = [];
    for (const m of text.matchAll(
      /<dependency>[\s\S]*?<groupId>([^<]+)<\/groupId>[\s\S]*?<artifactId>([^<]+)<\/artifactId>[\s\S]*?<\/dependency>/g,
    )) {
      deps.push(`${(m[1] as string).trim()}:${(m[2] as string).trim()}`);
    }
    facts.dependencies = uniq(deps);
  } else if (name === "Gemfile") {
    facts.dependencies = uniq(
      [...text.matchAll(/^\s*gem\s+["']([^"']+)["']/gm)].map((m) => m[1] as string),
    );
  }
  return facts;
}

function pyName(spec: string): string {
  return (spec.split(/[<>=!~;[\s@]/)[0] as string).trim().toLowerCase();
}

function tomlSectionKeys(text: string, header: RegExp): string[] {
  const keys: string[] = [];
  let inside = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("[")) {
      inside = header.test(line);
      continue;
    }
    if (!inside || line === "" || line.startsWith("#")) continue;
    const key = /^([A-Za-z0-9_.-]+)\s*=/.exec(line);
    if (key) keys.push(key[1] as string);
  }
  return keys;
}

// ---- imports ----

const JS_EXT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|vue|svelte)$/i;

export function isJsLike(file: string): boolean {
  return JS_EXT.test(file);
}

/** Module specifiers a TS/JS file imports, re-exports or requires, in order, once each. */
export function parseImports(content: string): string[] {
  const out = new Set<string>();
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?["']([^"'\n]+)["']/g,
    /\bexport\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s+from\s+["']([^"'\n]+)["']/g,
    /\brequire\(\s*["']([^"'\n]+)["']\s*\)/g,
    /\bimport\(\s*["']([^"'\n]+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of content.matchAll(re)) out.add(m[1] as string);
  return [...out];
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or null for a relative one. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith(".") || specifier.startsWith("/")) return null;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string);
}

/** Resolves a relative specifier from `from` against the known files (extension and index guessing). */
export function resolveInternal(
  from: string,
  specifier: string,
  known: ReadonlySet<string>,
): string | null {
  const dir = from.includes("/") ? from.slice(0, from.lastIndexOf("/")) : "";
  const parts = (dir === "" ? [] : dir.split("/")).concat(specifier.split("/"));
  const stack: string[] = [];
  for (const p of parts) {
    if (p === "" || p === ".") continue;
    if (p === "..") stack.pop();
    else stack.push(p);
  }
  const base = stack.join("/");
  const stem = base.replace(/\.(js|mjs|cjs|jsx)$/, "");
  const candidates = [
    base,
    ...[".ts", ".tsx", ".mts", ".js", ".jsx", ".mjs", ".cjs"].map((e) => `${stem}${e}`),
    ...["index.ts", "index.tsx", "index.js"].map((i) => `${base}/${i}`),
  ];
  return candidates.find((c) => known.has(c)) ?? null;
}
