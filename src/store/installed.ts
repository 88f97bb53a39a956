import fs from "node:fs";
import path from "node:path";
import { readUserFile } from "./files.ts";

/** The file names npm gives a package's `baton` bin on this platform. */
const BIN_NAMES = process.platform === "win32" ? ["baton.cmd", "baton.exe", "baton"] : ["baton"];

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Where `npx --no baton` would find a Baton to run from `root`, or null when it would find none
 * and stop. npm's exec looks for the command in the project's own package.json `bin` (Baton's
 * own checkout), then in `node_modules/.bin` of the folder and of every parent, then in npm's
 * global bin. That global folder is on PATH wherever a global install can be run, so PATH
 * stands in for it (a `baton` on PATH that npm did not install is taken as found).
 */
export function findNpxBaton(root: string, envPath = process.env.PATH ?? ""): string | null {
  if (ownsBatonBin(path.join(root, "package.json"))) return path.join(root, "package.json");
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    for (const name of BIN_NAMES) {
      const bin = path.join(dir, "node_modules", ".bin", name);
      if (isFile(bin)) return bin;
    }
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of envPath.split(path.delimiter)) {
    if (dir === "") continue;
    for (const name of BIN_NAMES) {
      const bin = path.join(dir, name);
      if (isFile(bin)) return bin;
    }
  }
  return null;
}

/** The package.json declares a `baton` bin (`bin: {baton: …}`, or `bin: "…"` with name baton). */
function ownsBatonBin(file: string): boolean {
  let data: unknown;
  try {
    data = JSON.parse(readUserFile(file) ?? "null");
  } catch {
    // Unreadable or not JSON: npm would not find a bin in it either.
    return false;
  }
  if (data === null || typeof data !== "object") return false;
  const { bin, name } = data as { bin?: unknown; name?: unknown };
  if (typeof bin === "string") return name === "baton";
  return bin !== null && typeof bin === "object" && "baton" in bin;
}
