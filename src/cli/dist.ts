import path from "node:path";

/** Where this bundle lies below dist/: "." for the whole CLI, ".." for a word's (dist/cli/). */
declare const BATON_DIST: string;

/** A file of the built package's dist/ folder, from whichever bundle asks. */
export function distFile(name: string): string {
  return path.join(__dirname, BATON_DIST, name);
}
