/** The fields `baton work …` verbs share. */
import { BatonError } from "../../core/errors.ts";
import type { Field } from "../../core/fields.ts";
import { assertPrintable } from "../../core/text.ts";

/** The spec a verb works on: its first word. */
export const WORK_SPEC = {
  type: "string",
  min: 1,
  required: true,
  description: "the spec",
  cli: { positional: true, value: "<spec>" },
} as const satisfies Field;

/** The work session a verb acts for: its first word. */
export const WORK_SESSION = {
  type: "string",
  min: 1,
  required: true,
  description: "the work session, e.g. ws-k3x9q2ab",
  apiDescription: "work session id, e.g. ws-k3x9q2ab",
  cli: { positional: true, value: "<ws>" },
} as const satisfies Field;

/** One task of the spec the verb is about. */
export const WORK_TASK = {
  type: "string",
  min: 1,
  description: "the task's id as tasks.md writes it, e.g. 1.2",
  apiDescription: "task id, e.g. 1.2",
  cli: { value: "<id>" },
} as const satisfies Field;

/** The fencing token a claim gave; a stale one is refused with LEASE_LOST. */
export const WORK_TOKEN = {
  type: "int",
  min: 1,
  example: 1,
  description:
    "the fencing token the claim gave (refused with LEASE_LOST when it is not the claim's)",
  apiDescription: "fencing token from the claim; a stale one is LEASE_LOST",
  cli: { value: "<n>" },
} as const satisfies Field;

/** Text given on one line (a name, a reason, a link): trimmed, blank as absent, printable only. */
export function oneLineText(value: string | undefined, what: string, max = 200): string | null {
  if (value === undefined) return null;
  const text = assertPrintable(value.trim(), what);
  if (text === "") return null;
  if (text.length > max) {
    throw new BatonError(
      "INVALID_INPUT",
      `the ${what} is ${text.length} characters long; at most ${max} are kept`,
      `give a shorter ${what}`,
    );
  }
  return text;
}

/** Text that may run over lines (a description, a summary, a message). */
export function longText(value: string | undefined, what: string, max = 4000): string | null {
  if (value === undefined) return null;
  const text = assertPrintable(value.trim(), what, true);
  if (text === "") return null;
  if (text.length > max) {
    throw new BatonError(
      "INVALID_INPUT",
      `the ${what} is ${text.length} characters long; at most ${max} are kept`,
      `give a shorter ${what}, or write the rest to a file and link it`,
    );
  }
  return text;
}
