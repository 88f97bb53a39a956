/**
 * The topic text flags (`--body T`, `--file F`) for commands still written by hand (`plan run`);
 * derived commands take them from the planning noun's BODY field (src/app/planning/fields.ts).
 */
import { BatonError } from "../../core/errors.ts";
import type { Invocation, OptionSpec } from "../spec.ts";
import { readInputText } from "./inputs.ts";

export const BODY_OPTIONS: OptionSpec[] = [
  { name: "body", type: "string", value: "<text>", description: "the topic's text" },
  {
    name: "file",
    type: "string",
    value: "<path>",
    description: "read the topic's text from a file (- for stdin)",
  },
];

export function bodyFrom(inv: Invocation): string | undefined {
  const body = inv.options.body as string | undefined;
  const file = inv.options.file as string | undefined;
  if (body !== undefined && file !== undefined) {
    throw new BatonError(
      "USAGE",
      "--body and --file cannot be used together",
      "pass the text one way",
    );
  }
  if (file === undefined) return body;
  return readInputText(inv.flags.cwd, file, "--file");
}
