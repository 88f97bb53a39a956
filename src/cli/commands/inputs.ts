import path from "node:path";
import { BatonError } from "../../core/errors.ts";
import { readUserInput } from "../../store/files.ts";

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
