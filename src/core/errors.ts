/**
 * Every failure Baton reports carries a stable code, a one-line message, a hint and, where it
 * helps a program, structured details (the file and line of a corrupt file). Core says what
 * kind of failure a code is, its class; each face maps the classes its own way (the CLI to exit
 * codes, MCP to JSON-RPC codes), so no face's words or numbers live here.
 */

/** What kind of failure a code is: the faces map these, never the codes one by one. */
export type ErrorClass = "usage" | "not_found" | "state" | "data" | "busy" | "io" | "internal";

export const ERROR_CLASSES: readonly ErrorClass[] = [
  "usage",
  "not_found",
  "state",
  "data",
  "busy",
  "io",
  "internal",
];

const CODE_CLASS = {
  USAGE: "usage",
  INVALID_ID: "usage",
  INVALID_INPUT: "usage",
  NO_WORKSPACE: "not_found",
  TOPIC_NOT_FOUND: "not_found",
  SESSION_NOT_FOUND: "not_found",
  TICKET_NOT_FOUND: "not_found",
  /** A plan or spec has no task with that id. */
  TASK_NOT_FOUND: "not_found",
  SPEC_NOT_FOUND: "not_found",
  FILE_NOT_FOUND: "not_found",
  NO_ACTIVE_SESSION: "state",
  STATE_CONFLICT: "state",
  NO_TASKS: "state",
  /**
   * A work session's claim on a task was taken over after its lease expired (or the fencing
   * token given is not the claim's): the command is refused and changes nothing.
   */
  LEASE_LOST: "state",
  /** `baton merge-driver` cannot merge a file: git reports the conflict instead. */
  MERGE_CONFLICT: "state",
  CORRUPT_FILE: "data",
  SCHEMA_TOO_NEW: "data",
  CONFIG_INVALID: "data",
  /** A path under the repository is a symlink leading outside it (or to nothing). */
  UNSAFE_PATH: "data",
  /** `spec lint` / `spec trace` found errors; the JSON result carries the findings. */
  LINT_FAILED: "data",
  /** A plan's task list was refused (`plan tasks`) or `plan verify` found errors. */
  PLAN_INVALID: "data",
  /** `baton doctor` found errors (`--fix` repaired what it could); the result lists them. */
  INTEGRITY_ERRORS: "data",
  LOCK_TIMEOUT: "busy",
  IO_ERROR: "io",
  INTERNAL: "internal",
} as const satisfies Record<string, ErrorClass>;

export type ErrorCode = keyof typeof CODE_CLASS;

export const ERROR_CODES = Object.keys(CODE_CLASS) as ErrorCode[];

/** A JSON value: what details may hold, so every face can send them as they are. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** Facts about a failure for programs (`{path, line}` of a corrupt file): plain JSON. */
export type ErrorDetails = Readonly<Record<string, JsonValue>>;

export interface ErrorJson {
  code: ErrorCode;
  message: string;
  hint: string;
  details?: ErrorDetails;
}

export function errorClassOf(code: ErrorCode): ErrorClass {
  return CODE_CLASS[code];
}

export class BatonError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, hint: string, details?: ErrorDetails) {
    super(message);
    this.name = "BatonError";
    this.code = code;
    this.hint = hint;
    this.details = details;
  }

  get errorClass(): ErrorClass {
    return CODE_CLASS[this.code];
  }

  toJSON(): ErrorJson {
    const out: ErrorJson = { code: this.code, message: this.message, hint: this.hint };
    if (this.details !== undefined) out.details = this.details;
    return out;
  }
}

const DEFAULT_CORRUPT_HINT = "restore the file from git or fix it by hand; Baton left it untouched";

/**
 * A file Baton cannot read as what it should be: CORRUPT_FILE naming it, with `{path, line}` in
 * the details. The message is the path (and line), then the cause: a cause that says something
 * of the file itself (`is not valid JSON`, `has no name`) follows it as a sentence, any other
 * (`field status is missing`) after a colon.
 */
export function corruptFile(path: string, cause: string, hint?: string, line?: number): BatonError {
  const where = line === undefined ? path : `${path}: line ${line}`;
  const joined = /^(is|has|does|did|sets|holds)\b/.test(cause) ? " " : ": ";
  const details: Record<string, JsonValue> = { path };
  if (line !== undefined) details.line = line;
  return new BatonError(
    "CORRUPT_FILE",
    `${where}${joined}${cause}`,
    hint ?? DEFAULT_CORRUPT_HINT,
    details,
  );
}

/** Any thrown value as a BatonError: an unexpected one is INTERNAL, a bug to report. */
export function asBatonError(error: unknown): BatonError {
  if (error instanceof BatonError) return error;
  return new BatonError(
    "INTERNAL",
    error instanceof Error ? error.message : String(error),
    "this is a bug in Baton; run with BATON_DEBUG=1 for the stack",
  );
}

export function isBatonError(value: unknown): value is BatonError {
  return value instanceof BatonError;
}
