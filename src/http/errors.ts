/**
 * What a failed request answers: `{error: {code, message, hint}}`, the words every face reports,
 * with the HTTP status of the error's class (src/core/errors.ts); this table is the one place that
 * says which status each class gets.
 */
import { asBatonError, type ErrorClass, type ErrorJson } from "../core/errors.ts";

/** The HTTP status of each error class. */
export const STATUS_OF_CLASS: Readonly<Record<ErrorClass, number>> = {
  usage: 400,
  not_found: 404,
  state: 409,
  data: 422,
  busy: 503,
  io: 500,
  internal: 500,
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
  error: ErrorJson | { code: string; message: string; hint: string };
}

export interface Failure {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

/** Any thrown value as the answer to send: its status by class, and Retry-After when busy. */
export function failureOf(error: unknown): Failure {
  const baton = asBatonError(error);
  return {
    status: STATUS_OF_CLASS[baton.errorClass],
    body: { error: baton.toJSON() },
    headers: baton.errorClass === "busy" ? { "retry-after": String(RETRY_AFTER_SECONDS) } : {},
  };
}

export function refusal(code: RefusalCode, message: string, hint: string): Failure {
  return { status: REFUSALS[code], body: { error: { code, message, hint } }, headers: {} };
}
