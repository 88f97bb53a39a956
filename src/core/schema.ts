import { BatonError } from "./errors.ts";

/** The schema version this build writes and understands, per file kind. */
export const SCHEMA_VERSION = 1;

/**
 * Checks a parsed file's `schema_version`. A newer version is refused, never overwritten: an
 * older Baton must not destroy data a newer one wrote.
 */
export function checkSchemaVersion(data: unknown, file: string): Record<string, unknown> {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new BatonError(
      "CORRUPT_FILE",
      `${file} does not hold an object`,
      `restore it from git (git checkout -- ${file}) or fix it by hand; Baton left it untouched`,
    );
  }
  const record = data as Record<string, unknown>;
  const version = record.schema_version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    throw new BatonError(
      "CORRUPT_FILE",
      `${file} has no valid schema_version`,
      `restore it from git (git checkout -- ${file}) or add schema_version: 1`,
    );
  }
  if (version > SCHEMA_VERSION) {
    throw new BatonError(
      "SCHEMA_TOO_NEW",
      `${file} has schema_version ${version}; this Baton understands up to ${SCHEMA_VERSION}`,
      "upgrade Baton (npm install -g baton@latest); the file was left untouched",
    );
  }
  return record;
}
