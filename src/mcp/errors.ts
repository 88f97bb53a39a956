import { asBatonError, type BatonError, EXIT } from "../core/errors.ts";
import { fitJson } from "./cap.ts";
import { ErrorCode } from "./jsonrpc.ts";

/** What tools/call answers: the result as JSON text, or a refusal marked isError. */
export interface ToolResult {
  isError?: boolean;
  content: { type: "text"; text: string }[];
}

/**
 * A failed tool call: `isError` with `{code, message, hint}` as its text, within the size cap
 * too (a refused task list names every problem it found).
 */
export function errorResult(error: unknown): ToolResult {
  const text = fitJson(asBatonError(error).toJSON(), { hint: "the CLI prints the whole message" });
  return { isError: true, content: [{ type: "text", text }] };
}

/** MCP's code for a resource that does not exist (the JSON-RPC codes have none). */
export const RESOURCE_NOT_FOUND = -32002;

/**
 * A failed request other than a tool call (a resource read, a prompt, a message refused by the
 * transport) as a JSON-RPC error whose `data` is the `{code, message, hint}` every tool and the
 * CLI report; the server sends its numeric `code`, `message` and `data` as they are.
 */
export class RpcError extends Error {
  readonly code: number;
  readonly data: { code: string; message: string; hint: string };

  constructor(error: BatonError) {
    super(error.message);
    this.name = "RpcError";
    this.code = rpcCodeOf(error);
    this.data = error.toJSON();
  }
}

/** Not found (exit 3) is MCP's resource code, bad input (exit 2) invalid params, else internal. */
export function rpcCodeOf(error: BatonError): number {
  const exit = error.exitCode;
  return exit === EXIT.notFound
    ? RESOURCE_NOT_FOUND
    : exit === EXIT.usage
      ? ErrorCode.InvalidParams
      : ErrorCode.InternalError;
}
