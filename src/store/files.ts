import fs from "node:fs";
import path from "node:path";
import { BatonError } from "../core/errors.ts";
import { checkSchemaVersion, SCHEMA_VERSION } from "../core/schema.ts";
import { parseYaml } from "../core/yaml.ts";
import { ioError, writeFileAtomic } from "./atomic.ts";

/** Reads a text file, or null when it does not exist. Other failures are IO errors. */
export function readTextOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw ioError(error, `read ${file}`);
  }
}

/**
 * Reads a JSON file Baton owns: null when absent; CORRUPT_FILE when unparseable; SCHEMA_TOO_NEW
 * when written by a newer Baton. A corrupt file is reported, never silently replaced.
 */
export function readJsonOrNull(file: string, shown: string): Record<string, unknown> | null {
  const text = readTextOrNull(file);
  if (text === null) return null;
  return checkSchemaVersion(parseJsonText(text, shown), shown);
}

/** JSON.parse with the failure reported as CORRUPT_FILE naming the file. */
export function parseJsonText(text: string, shown: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BatonError(
      "CORRUPT_FILE",
      `${shown} is not valid JSON (${reason})`,
      `restore it from git (git checkout -- ${shown}) or fix it by hand; Baton left it untouched`,
    );
  }
}

/** YAML parsing with the failure reported as CORRUPT_FILE naming the file. */
export function parseYamlText(text: string, shown: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new BatonError(
      "CORRUPT_FILE",
      `${shown} is not valid YAML (${reason})`,
      "fix the YAML or restore the file from git; Baton left it untouched",
    );
  }
}

export function writeJson(file: string, data: { schema_version: number }): void {
  writeFileAtomic(file, jsonText(data));
}

/** The bytes writeJson writes: pretty JSON of this build's schema version, nothing else. */
export function jsonText(data: { schema_version: number }): string {
  if (data.schema_version !== SCHEMA_VERSION) {
    throw new BatonError(
      "INTERNAL",
      `refusing to write schema_version ${data.schema_version}`,
      "report this bug",
    );
  }
  return `${JSON.stringify(data, null, 2)}\n`;
}

/**
 * `absolute` relative to `root` (with `/`), or null when it lies outside. An existing path is
 * judged by where it really is, so a symlink inside the root that points out counts as outside.
 */
export function pathWithin(root: string, absolute: string): string | null {
  const inside = (base: string, target: string) => {
    const rel = path.relative(base, target);
    return rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)
      ? null
      : rel.split(path.sep).join("/");
  };
  let real: string | null = null;
  try {
    real = fs.realpathSync(absolute);
  } catch {
    // Not there (yet): only its spelling can be judged.
  }
  const direct = inside(root, absolute);
  if (real === null) return direct;
  let realRoot = root;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    // A root that does not resolve is compared as spelled.
  }
  const actual = inside(realRoot, real);
  if (actual === null) return null;
  return direct ?? actual;
}
