/**
 * The files that ship with Baton itself (package.json "files": `agents/`, `dist/`), read where
 * the package is installed: not the repository's, so not under the repository's path guard.
 */
import fs from "node:fs";
import path from "node:path";
import url from "node:url";
import { BatonError } from "../core/errors.ts";

/**
 * The folder `agents/` that ships with Baton: found by walking up from this module, which is
 * `src/store/` when run from source and `dist/` in the bundled CLI (where esbuild defines
 * `import.meta.url` as the bundle's path).
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

/** The folder of the Baton running now (its package.json, agents/ and dist/). */
export function packageRoot(): string {
  return path.dirname(agentsSourceDir());
}

/** One shipped file's text (`rel` below `dir`, with forward slashes). */
export function readPackageFile(dir: string, rel: string): string {
  return fs.readFileSync(path.join(dir, ...rel.split("/")), "utf8");
}

/** The names of the Markdown files in a shipped folder, without `.md`, sorted. */
export function packageDocs(dir: string, sub: string): string[] {
  return fs
    .readdirSync(path.join(dir, sub))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => f.slice(0, -3));
}

/**
 * The dashboard's built files (`dist/web/`, written by the build), found like `agents/`: from
 * `dist/` in the bundle, from `src/store/` in a checkout. Null when it was not built.
 */
export function webAssetsDir(): string | null {
  const here = import.meta.url;
  let dir = path.dirname(here.startsWith("file:") ? url.fileURLToPath(here) : here);
  for (;;) {
    for (const candidate of [path.join(dir, "web"), path.join(dir, "dist", "web")])
      if (fs.existsSync(path.join(candidate, "app.js"))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
