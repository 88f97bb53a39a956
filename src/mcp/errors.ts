import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { BatonError } from "../core/errors.ts";
import { fitJson } from "./cap.ts";

/** The error every tool and resource reports: the same codes, messages and hints as the CLI. */
export function toBatonError(error: unknown): BatonError {
  if (error instanceof BatonError) return error;
  return new BatonError(
    "INTERNAL",
    error instanceof Error ? error.message : String(error),
    "this is a bug in Baton; run with BATON_DEBUG=1 for the stack",
  );
}

/**
 * A failed tool call: `isError` with `{code, message, hint}` as its text, within the size cap
 * too (a refused task list names every problem it found).
 */
export function errorResult(error: unknown): CallToolResult {
  const { code, message, hint } = toBatonError(error).toJSON();
  const text = fitJson({ code, message, hint }, { hint: "the CLI prints the whole message" });
  return { isError: true, content: [{ type: "text", text }] };
}
