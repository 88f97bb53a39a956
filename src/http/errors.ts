/**
 * What a failed request answers: `{error: {code, message, hint}}`, the words every face reports,
 * with the HTTP status of the error's class. The class is read from the exit code the CLI would
 * give today; this table is the one place that says which status each class gets.
 */
import { asBatonError, EXIT, type ExitCode } from "../core/errors.ts";

/** The HTTP status of each error class, by the CLI's exit code for it. */
export const STATUS_OF_CLASS: Readonly<Record<ExitCode, number>> = {
  [EXIT.ok]: 200,
  [EXIT.usage]: 400,
  [EXIT.notFound]: 404,
  [EXIT.state]: 409,
  [EXIT.data]: 422,
  [EXIT.busy]: 503,
  [EXIT.io]: 500,
  [EXIT.internal]: 500,
};

/** A busy workspace (the lock was held too long) is worth asking again after this many seconds. */
export const RETRY_AFTER_SECONDS = 1;

/**
 * Refusals of the HTTP layer itself, before any operation runs: a request that is not allowed
 * in, or does not name a route. Their codes are the server's, beside Baton's own.
 */
export const REFUSALS = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UPGRADE_REQUIRED: 426,
} as const;

export type RefusalCode = keyof typeof REFUSALS;

export interface ErrorBody {
  error: { code: string; message: string; hint: string };
}

export interface Failure {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

/** Any thrown value as the answer to send: its status by class, and Retry-After when busy. */
export function failureOf(error: unknown): Failure {
  const baton = asBatonError(error);
  const exit = baton.exitCode;
  return {
    status: STATUS_OF_CLASS[exit],
    body: { error: baton.toJSON() },
    headers: exit === EXIT.busy ? { "retry-after": String(RETRY_AFTER_SECONDS) } : {},
  };
}

export function refusal(code: RefusalCode, message: string, hint: string): Failure {
  return { status: REFUSALS[code], body: { error: { code, message, hint } }, headers: {} };
}
