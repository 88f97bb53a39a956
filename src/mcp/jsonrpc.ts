/**
 * The JSON-RPC 2.0 messages MCP is made of, checked by hand: a request has a method and an id,
 * a notification a method and no id, a response an id and a result or an error. Small enough
 * that the server needs no schema library, which was most of `baton mcp`'s start-up.
 */
export type RequestId = string | number;

export interface JsonRpcRequest {
  jsonrpc: "2.0";
  id: RequestId;
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcNotification {
  jsonrpc: "2.0";
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcResponse {
  jsonrpc: "2.0";
  id: RequestId | null;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
} as const;

function isId(value: unknown): value is RequestId {
  return typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
}

/** Whether `value` is a JSON-RPC 2.0 message of any kind. */
export function isJsonRpcMessage(value: unknown): value is JsonRpcMessage {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const m = value as Record<string, unknown>;
  if (m.jsonrpc !== "2.0") return false;
  if (m.params !== undefined && (m.params === null || typeof m.params !== "object")) return false;
  if (typeof m.method === "string") return m.id === undefined || isId(m.id);
  if (!isId(m.id) && m.id !== null) return false;
  return "result" in m || (typeof m.error === "object" && m.error !== null);
}

export function isRequest(m: JsonRpcMessage): m is JsonRpcRequest {
  return "method" in m && "id" in m && m.id !== undefined;
}

export function isNotification(m: JsonRpcMessage): m is JsonRpcNotification {
  return "method" in m && !("id" in m && m.id !== undefined);
}
