import { asBatonError, type BatonError, type ErrorClass, type ErrorJson } from "../core/errors.ts";
import { fitJson } from "./cap.ts";
import { ErrorCode } from "./jsonrpc.ts";
import { inToolWords } from "./words.ts";

/** What tools/call answers: the result as JSON text, or a refusal marked isError. */
export interface ToolResult {
  isError?: boolean;
  content: { type: "text"; text: string }[];
}

/**
 * A Baton error as the server sends it: `{code, message, hint}`, `details` when it has them,
 * and the commands its hint names as tool calls.
 */
export function errorData(error: BatonError): ErrorJson {
  return inToolWords(error.toJSON());
}

/**
 * A failed tool call: `isError` with the error's data as its text, within the size cap too (a
 * refused task list names every problem it found).
 */
export function errorResult(error: unknown): ToolResult {
  const text = fitJson(errorData(asBatonError(error)), {
    hint: "the CLI prints the whole message",
  });
  return { isError: true, content: [{ type: "text", text }] };
}

/** MCP's code for a resource that does not exist (the JSON-RPC codes have none). */
export const RESOURCE_NOT_FOUND = -32002;

/**
 * A failed request other than a tool call (a resource read, a prompt, a message refused by the
 * transport) as a JSON-RPC error whose `data` is the error's data every tool reports; the
 * server sends its numeric `code`, `message` and `data` as they are.
 */
export class RpcError extends Error {
  readonly code: number;
  readonly data: ErrorJson;

  constructor(error: BatonError) {
    super(error.message);
    this.name = "RpcError";
    this.code = rpcCodeOf(error);
    this.data = errorData(error);
  }
}

const CLASS_RPC: Readonly<Record<ErrorClass, number>> = {
  not_found: RESOURCE_NOT_FOUND,
  usage: ErrorCode.InvalidParams,
  state: ErrorCode.InternalError,
  data: ErrorCode.InternalError,
  busy: ErrorCode.InternalError,
  io: ErrorCode.InternalError,
  internal: ErrorCode.InternalError,
};

/** Not found is MCP's resource code, bad input invalid params, anything else internal. */
export function rpcCodeOf(error: BatonError): number {
  return CLASS_RPC[error.errorClass];
}
