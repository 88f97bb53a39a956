/**
 * Where the shared corpus of real spec files lives: next to the repository, never copied into it.
 * Tests that read it skip with a visible message when the folder is absent (e.g. a fresh clone),
 * except where BATON_REQUIRE_CORPUS=1 (CI, which always has it): there an absent corpus fails
 * every test file that reads it instead of passing them by skipping.
 */
import fs from "node:fs";
import path from "node:path";

export const REPO_ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
export const CORPUS_DIR = path.resolve(REPO_ROOT, "..", "shared", "corpus");
export const CORPUS_PRESENT = fs.existsSync(CORPUS_DIR);
export const CORPUS_ABSENT_MESSAGE = `corpus folder absent: ${CORPUS_DIR}`;

if (!CORPUS_PRESENT && process.env.BATON_REQUIRE_CORPUS === "1") {
  throw new Error(`${CORPUS_ABSENT_MESSAGE} (BATON_REQUIRE_CORPUS=1: the corpus tests must run)`);
}

/** Corpus-relative paths (`kiro/…tasks.md`) of the files `keep` accepts, sorted. */
export function corpusFiles(keep: (relative: string) => boolean): string[] {
  if (!CORPUS_PRESENT) return [];
  const found: string[] = [];
  for (const entry of fs.readdirSync(CORPUS_DIR, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const file of fs.readdirSync(path.join(CORPUS_DIR, entry.name))) {
      const relative = `${entry.name}/${file}`;
      if (keep(relative)) found.push(relative);
    }
  }
  return found.sort();
}

export function readCorpus(relative: string): string {
  return fs.readFileSync(path.join(CORPUS_DIR, relative), "utf8");
}

/** The one corpus file whose name contains every fragment; fails loudly if that is ambiguous. */
export function corpusFile(...fragments: string[]): string {
  const matches = corpusFiles((name) => fragments.every((f) => name.includes(f)));
  if (matches.length !== 1) {
    throw new Error(
      `expected one corpus file matching ${fragments.join(" + ")}, got ${matches.length}`,
    );
  }
  return matches[0] as string;
}
