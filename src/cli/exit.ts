/**
 * The CLI's exit codes: one per error class, so a script can branch on the kind of failure
 * without parsing text. The numbers are part of the CLI's interface and never change.
 */
import { type BatonError, type ErrorClass, type ErrorCode, errorClassOf } from "../core/errors.ts";

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

const CLASS_EXIT: Readonly<Record<ErrorClass, ExitCode>> = {
  usage: EXIT.usage,
  not_found: EXIT.notFound,
  state: EXIT.state,
  data: EXIT.data,
  busy: EXIT.busy,
  io: EXIT.io,
  internal: EXIT.internal,
};

export function exitCodeOfClass(errorClass: ErrorClass): ExitCode {
  return CLASS_EXIT[errorClass];
}

export function exitCodeFor(code: ErrorCode): ExitCode {
  return CLASS_EXIT[errorClassOf(code)];
}

export function exitCodeOf(error: BatonError): ExitCode {
  return CLASS_EXIT[error.errorClass];
}
