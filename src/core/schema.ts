import { BatonError, corruptFile } from "./errors.ts";

/** The schema version this build writes and understands, per file kind. */
export const SCHEMA_VERSION = 1;

/**
 * Checks a parsed file's `schema_version`. A newer version is refused, never overwritten: an
 * older Baton must not destroy data a newer one wrote.
 */
export function checkSchemaVersion(
  data: unknown,
  file: string,
  /** The line of `file` the record is (a JSON Lines file). */
  line?: number,
): Record<string, unknown> {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw corruptFile(
      file,
      "does not hold an object",
      `restore it from git (git checkout -- ${file}) or fix it by hand; Baton left it untouched`,
      line,
    );
  }
  const record = data as Record<string, unknown>;
  const version = record.schema_version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    throw corruptFile(
      file,
      "has no valid schema_version",
      `restore it from git (git checkout -- ${file}) or add schema_version: 1`,
      line,
    );
  }
  if (version > SCHEMA_VERSION) {
    const where = line === undefined ? file : `${file}: line ${line}`;
    throw new BatonError(
      "SCHEMA_TOO_NEW",
      `${where} has schema_version ${version}; this Baton understands up to ${SCHEMA_VERSION}`,
      "upgrade Baton (npm install -g baton@latest); the file was left untouched",
      line === undefined ? { path: file } : { path: file, line },
    );
  }
  return record;
}
