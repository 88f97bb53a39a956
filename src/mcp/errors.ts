import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { asBatonError } from "../core/errors.ts";
import { fitJson } from "./cap.ts";

/**
 * A failed tool call: `isError` with `{code, message, hint}` as its text, within the size cap
 * too (a refused task list names every problem it found).
 */
export function errorResult(error: unknown): CallToolResult {
  const text = fitJson(asBatonError(error).toJSON(), { hint: "the CLI prints the whole message" });
  return { isError: true, content: [{ type: "text", text }] };
}
