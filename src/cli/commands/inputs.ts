import path from "node:path";
import { BatonError } from "../../core/errors.ts";
import { readUserInput } from "../../store/files.ts";
import type { Invocation } from "../spec.ts";

/** The positional every `baton plan <phase>` command takes. */
export const PLAN_ID = {
  name: "plan-id",
  required: true,
  description: "the plan topic, e.g. plan-oauth",
};

/** Exactly one plan id, or a usage error naming the command's form. */
export function onlyPlanId(inv: Invocation, usage: string): string {
  const [first, ...rest] = inv.positionals;
  if (first === undefined || first.trim() === "") {
    throw new BatonError("USAGE", "a plan id is required", usage);
  }
  if (rest.length > 0) {
    throw new BatonError(
      "USAGE",
      `expected one plan id, got ${inv.positionals.length} words`,
      usage,
    );
  }
  return first;
}

/**
 * The text of a file given to `flag` (a path relative to the working folder, or - for stdin):
 * a folder or a missing file is a clear error naming the flag.
 */
export function readInputText(cwd: string, from: string, flag: string): string {
  try {
    return readUserInput(from === "-" ? null : path.resolve(cwd, from));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EISDIR") {
      throw new BatonError(
        "INVALID_INPUT",
        `${from} is a folder, not a file`,
        `pass the file holding the text to ${flag} (or - for standard input)`,
      );
    }
    throw new BatonError(
      "FILE_NOT_FOUND",
      `cannot read ${from}`,
      `check the path passed to ${flag}`,
    );
  }
}
