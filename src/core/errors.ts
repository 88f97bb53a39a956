/**
 * Every failure Baton reports carries a stable code, a one-line message and a hint. Faces (CLI,
 * MCP, server) map the same codes; the exit code is chosen from the code's class so scripts can
 * branch on it without parsing text.
 */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  notFound: 3,
  state: 4,
  data: 5,
  busy: 6,
  io: 7,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const CODE_EXIT = {
  USAGE: EXIT.usage,
  INVALID_ID: EXIT.usage,
  INVALID_INPUT: EXIT.usage,
  NO_WORKSPACE: EXIT.notFound,
  TOPIC_NOT_FOUND: EXIT.notFound,
  SESSION_NOT_FOUND: EXIT.notFound,
  TICKET_NOT_FOUND: EXIT.notFound,
  /** A plan or spec has no task with that id. */
  TASK_NOT_FOUND: EXIT.notFound,
  SPEC_NOT_FOUND: EXIT.notFound,
  FILE_NOT_FOUND: EXIT.notFound,
  NO_ACTIVE_SESSION: EXIT.state,
  STATE_CONFLICT: EXIT.state,
  NO_TASKS: EXIT.state,
  /**
   * A work session's claim on a task was taken over after its lease expired (or the fencing
   * token given is not the claim's): the command is refused and changes nothing.
   */
  LEASE_LOST: EXIT.state,
  CORRUPT_FILE: EXIT.data,
  SCHEMA_TOO_NEW: EXIT.data,
  CONFIG_INVALID: EXIT.data,
  /** A path under the repository is a symlink leading outside it (or to nothing). */
  UNSAFE_PATH: EXIT.data,
  /** `spec lint` / `spec trace` found errors; the JSON result carries the findings. */
  LINT_FAILED: EXIT.data,
  /** A plan's task list was refused (`plan tasks`) or `plan verify` found errors. */
  PLAN_INVALID: EXIT.data,
  LOCK_TIMEOUT: EXIT.busy,
  IO_ERROR: EXIT.io,
  INTERNAL: EXIT.internal,
} as const satisfies Record<string, ExitCode>;

export type ErrorCode = keyof typeof CODE_EXIT;

export const ERROR_CODES = Object.keys(CODE_EXIT) as ErrorCode[];

export class BatonError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;

  constructor(code: ErrorCode, message: string, hint: string) {
    super(message);
    this.name = "BatonError";
    this.code = code;
    this.hint = hint;
  }

  get exitCode(): ExitCode {
    return CODE_EXIT[this.code];
  }

  toJSON(): { code: ErrorCode; message: string; hint: string } {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

export function exitCodeFor(code: ErrorCode): ExitCode {
  return CODE_EXIT[code];
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
