import type { Field } from "../../core/fields.ts";

/** The text of a seed, spike or plan: `--body T` or `--file F` (`-`: stdin) on the CLI. */
export const BODY = {
  type: "string",
  description: "the topic's text",
  apiDescription: "Markdown body of the document",
  cli: {
    value: "<text>",
    file: {
      flag: "file",
      value: "<path>",
      description: "read the topic's text from a file (- for stdin)",
    },
  },
} as const satisfies Field;
