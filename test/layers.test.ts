/**
 * The layer rules of docs/architecture.md, checked on every import in src/:
 * - core imports nothing outside core (no `node:*` module, no package) and uses no `process`;
 * - only store imports `node:fs` (and the CLI's module for its own descriptors, listed below);
 * - app imports no `node:*` module: paths and files are the store's (pure work on `/` paths is
 *   core/rel-path.ts);
 * - store imports neither app nor a face; app imports no face;
 * - the faces (cli, mcp, http, web) never import each other;
 * - web (the dashboard, run in a browser) speaks HTTP only: it imports nothing of src/ outside
 *   itself, no `node:*` module and no package but Preact.
 * Add a forbidden import anywhere in src/ and this test names it.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { REPO_ROOT } from "./helpers.ts";

const SRC = path.join(REPO_ROOT, "src");
const FACES = ["cli", "mcp", "http", "web"];

/** Modules outside store that may import node:fs, and why. */
const FS_OUTSIDE_STORE: Record<string, string> = {
  "src/cli/write.ts": "writes the process's own stdout and stderr descriptors",
  "src/cli/style.ts": "asks whether the process's own descriptors are a terminal",
};

interface Import {
  file: string;
  specifier: string;
}

/** Every static import, export-from, require and literal dynamic import of a module. */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,]+\s+from\s+)?["']([^"']+)["']/gm,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\bgetBuiltinModule\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) out.push(m[1] as string);
  return out;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(full));
    else if (/\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

function layerOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0] as string;
}

function allImports(): Import[] {
  return sources(SRC).flatMap((file) =>
    importsOf(fs.readFileSync(file, "utf8")).map((specifier) => ({ file, specifier })),
  );
}

/** The layer an import lands in: a src layer, `node:x`, or `pkg:x` for a package. */
function target(imp: Import): string {
  if (imp.specifier.startsWith("node:")) return imp.specifier;
  if (!imp.specifier.startsWith(".")) return `pkg:${imp.specifier}`;
  const resolved = path.resolve(path.dirname(imp.file), imp.specifier);
  const rel = path.relative(SRC, resolved);
  return rel.startsWith("..") ? "outside" : (rel.split(path.sep)[0] as string);
}

const shown = (imp: Import) => `${path.relative(REPO_ROOT, imp.file)} -> ${imp.specifier}`;

export function violations(imports: readonly Import[]): string[] {
  const out: string[] = [];
  for (const imp of imports) {
    const from = layerOf(imp.file);
    const to = target(imp);
    const rel = path.relative(REPO_ROOT, imp.file).split(path.sep).join("/");
    if (from === "core" && to !== "core") {
      out.push(`core imports outside core: ${shown(imp)}`);
    }
    if (to === "node:fs" && from !== "store" && FS_OUTSIDE_STORE[rel] === undefined) {
      out.push(`only store touches the disk: ${shown(imp)}`);
    }
    if (from === "store" && (to === "app" || FACES.includes(to))) {
      out.push(`store imports a layer above it: ${shown(imp)}`);
    }
    if (from === "app" && to.startsWith("node:")) {
      out.push(`app imports no node:* module (ask store): ${shown(imp)}`);
    }
    if (from === "app" && FACES.includes(to)) out.push(`app imports a face: ${shown(imp)}`);
    if (FACES.includes(from) && FACES.includes(to) && from !== to) {
      out.push(`faces never import each other: ${shown(imp)}`);
    }
    if (from === "web" && to !== "web" && !/^pkg:preact(\/|$)/.test(to)) {
      out.push(`the dashboard speaks HTTP only: ${shown(imp)}`);
    }
  }
  return out;
}

describe("layers", () => {
  test("every import in src/ keeps the layer rules", () => {
    assert.deepEqual(violations(allImports()), []);
  });

  test("core uses no process global", () => {
    const found = sources(path.join(SRC, "core")).filter((f) =>
      /\bprocess\./.test(fs.readFileSync(f, "utf8")),
    );
    assert.deepEqual(
      found.map((f) => path.relative(REPO_ROOT, f)),
      [],
    );
  });

  test("a forbidden import is caught", () => {
    const file = (p: string) => path.join(SRC, ...p.split("/"));
    const bad: Import[] = [
      { file: file("core/x.ts"), specifier: "node:fs" },
      { file: file("core/x.ts"), specifier: "../store/files.ts" },
      { file: file("app/x.ts"), specifier: "node:fs" },
      { file: file("app/x.ts"), specifier: "node:path" },
      { file: file("app/x.ts"), specifier: "../cli/main.ts" },
      { file: file("store/x.ts"), specifier: "../app/open.ts" },
      { file: file("mcp/x.ts"), specifier: "../cli/registry.ts" },
      { file: file("http/x.ts"), specifier: "../mcp/server.ts" },
      { file: file("cli/x.ts"), specifier: "../http/main.ts" },
      { file: file("http/x.ts"), specifier: "node:fs" },
      { file: file("web/x.tsx"), specifier: "../core/errors.ts" },
      { file: file("web/x.tsx"), specifier: "node:path" },
      { file: file("web/x.tsx"), specifier: "react" },
    ];
    for (const imp of bad) assert.ok(violations([imp]).length > 0, shown(imp));
    assert.deepEqual(importsOf('import type { A } from "./a.ts";\nconst x = require("node:fs");'), [
      "./a.ts",
      "node:fs",
    ]);
  });
});
