import { BatonError } from "../core/errors.ts";
import { ErrorCode, isJsonRpcMessage, type JsonRpcMessage, type RequestId } from "./jsonrpc.ts";

/** A message channel the server speaks MCP over. */
export interface Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JsonRpcMessage) => void;
  start(): Promise<void>;
  send(message: JsonRpcMessage): Promise<void>;
  close(): Promise<void>;
}

/** The largest message read, in bytes (the SDK's own stdio limit). */
export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

const NEWLINE = 0x0a;

interface Stdio {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Told of every message refused, for stderr: the client sees only its error answer. */
  notice(message: string): void;
  max?: number;
}

/**
 * MCP over stdio, one JSON-RPC message per line, as the SDK's StdioServerTransport speaks it,
 * except where a message is refused: the SDK's transport closes on a line over its size limit,
 * so the server exits 0 with no answer and nothing on stderr, and it drops a line that is not
 * JSON without a word. Here a line over the limit is skipped as it streams past (never held
 * in memory) and answered with an Invalid Request error naming the request's id, found by
 * scanning the line's top level; a line that is not JSON or not a JSON-RPC message gets
 * Parse error or Invalid Request. Each error carries Baton's `{code, message, hint}` as data,
 * and the server goes on serving.
 */
export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JsonRpcMessage) => void;

  private readonly io: Stdio;
  private readonly max: number;
  private chunks: Buffer[] = [];
  private size = 0;
  /** Set while the line being read is over the limit: its bytes are scanned, not kept. */
  private over: IdScanner | null = null;
  private overSize = 0;

  constructor(io: Stdio) {
    this.io = io;
    this.max = io.max ?? MAX_MESSAGE_BYTES;
  }

  private readonly ondata = (chunk: Buffer | string) => {
    const data = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    let start = 0;
    while (start <= data.length) {
      const newline = data.indexOf(NEWLINE, start);
      const end = newline === -1 ? data.length : newline;
      if (end > start) this.take(data.subarray(start, end));
      if (newline === -1) break;
      this.endLine();
      start = newline + 1;
    }
  };

  private readonly onreaderror = (error: Error) => this.onerror?.(error);

  async start(): Promise<void> {
    this.io.input.on("data", this.ondata);
    this.io.input.on("error", this.onreaderror);
  }

  send(message: JsonRpcMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.io.output.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.io.output.once("drain", resolve);
    });
  }

  async close(): Promise<void> {
    this.io.input.off("data", this.ondata);
    this.io.input.off("error", this.onreaderror);
    if (this.io.input.listenerCount("data") === 0) this.io.input.pause();
    this.chunks = [];
    this.size = 0;
    this.over = null;
    this.onclose?.();
  }

  private take(piece: Buffer): void {
    if (this.over) {
      this.over.feed(piece);
      this.overSize += piece.length;
      return;
    }
    if (this.size + piece.length <= this.max) {
      this.chunks.push(piece);
      this.size += piece.length;
      return;
    }
    // Over the limit: what was kept is scanned once, and from here on nothing is kept.
    const scanner = new IdScanner();
    for (const kept of this.chunks) scanner.feed(kept);
    scanner.feed(piece);
    this.over = scanner;
    this.overSize = this.size + piece.length;
    this.chunks = [];
    this.size = 0;
  }

  private endLine(): void {
    const over = this.over;
    if (over) {
      this.over = null;
      this.refuseOversize(over, this.overSize);
      return;
    }
    const line = Buffer.concat(this.chunks, this.size).toString("utf8").replace(/\r$/, "");
    this.chunks = [];
    this.size = 0;
    if (line.trim() === "") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.refuse(
        null,
        ErrorCode.ParseError,
        new BatonError(
          "INVALID_INPUT",
          `an MCP message is not JSON (${reason.slice(0, 120)})`,
          "send one JSON-RPC message per line, as UTF-8 JSON",
        ),
      );
      return;
    }
    if (!isJsonRpcMessage(parsed)) {
      const id = idOf(parsed);
      // A notification (no id) gets no answer, whatever is wrong with it.
      if (id === undefined) {
        this.io.notice("ignored an MCP message that is not a JSON-RPC request or notification");
        return;
      }
      this.refuse(
        id,
        ErrorCode.InvalidRequest,
        new BatonError(
          "INVALID_INPUT",
          "an MCP message is not a valid JSON-RPC 2.0 request",
          'a request is {"jsonrpc": "2.0", "id": <number or string>, "method": <string>, "params": <object>}',
        ),
      );
      return;
    }
    this.onmessage?.(parsed);
  }

  private refuseOversize(scanner: IdScanner, bytes: number): void {
    const limit = `${Math.round(this.max / 1024 / 1024)} MiB`;
    const error = new BatonError(
      "INVALID_INPUT",
      `an MCP message of ${bytes} bytes is over the ${limit} limit and was not read`,
      "send less in one call: pass large task lists or documents in parts, or write them to a file and pass its path",
    );
    if (scanner.isObject && !scanner.hasId) {
      this.io.notice(`ignored an MCP notification of ${bytes} bytes: over the ${limit} limit`);
      return;
    }
    this.refuse(scanner.id ?? null, ErrorCode.InvalidRequest, error);
  }

  private refuse(id: RequestId | null, code: number, error: BatonError): void {
    this.io.notice(`refused an MCP message: ${error.message}`);
    const answer = {
      jsonrpc: "2.0" as const,
      id,
      error: { code, message: error.message, data: error.toJSON() },
    };
    // JSON-RPC answers an unknown id with null, which the SDK's message type does not spell.
    this.send(answer as unknown as JsonRpcMessage).catch((e: unknown) => {
      this.onerror?.(e instanceof Error ? e : new Error(String(e)));
    });
  }
}

function idOf(value: unknown): RequestId | null | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  if (!("id" in value)) return undefined;
  const id = (value as { id: unknown }).id;
  return typeof id === "string" || typeof id === "number" ? id : null;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
/** A key or id longer than this is no id Baton could answer with. */
const MAX_CAPTURE = 256;

/**
 * Reads the top-level `id` of a JSON object as its bytes stream past, keeping only the bytes
 * of top-level keys and of the id's value. Clients put the id anywhere (the SDK's client
 * writes it last, after the params that made the message large), so the whole line is scanned.
 * Bytes of multi-byte UTF-8 characters are never a JSON delimiter, so bytes are scanned as is.
 */
class IdScanner {
  /** The first character was `{`. */
  isObject = false;
  /** A top-level key `id` was seen. */
  hasId = false;
  id: RequestId | null | undefined = undefined;

  private started = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** At depth 1: a key is next, then its colon, its value (a string or a scalar), then a comma. */
  private phase: "key" | "colon" | "value" | "string" | "scalar" | "after" = "key";
  private lastKey = "";
  private key: number[] | null = null;
  private capture: number[] | null = null;

  feed(bytes: Buffer): void {
    // Only an object has a top-level id (a batch is not MCP): nothing more to find.
    if (this.started && !this.isObject) return;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i] as number;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) {
          this.inString = false;
          this.endString();
          continue;
        }
        this.keep(b);
        continue;
      }
      if (!this.started) {
        if (SPACE.has(b)) continue;
        this.started = true;
        this.isObject = b === OPEN_OBJECT;
        if (!this.isObject) return;
        this.depth = 1;
        continue;
      }
      if (b === QUOTE) {
        this.inString = true;
        if (this.depth === 1 && this.phase === "key") this.key = [];
        else if (this.depth === 1 && this.phase === "value") {
          this.phase = "string";
          this.capture = this.lastKey === "id" ? [] : null;
        }
      } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
        if (this.depth === 1 && this.phase === "value") this.phase = "after";
        this.depth++;
      } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
        this.endScalar();
        this.depth--;
      } else if (b === COLON) {
        if (this.depth === 1 && this.phase === "colon") this.phase = "value";
      } else if (b === COMMA) {
        this.endScalar();
        if (this.depth === 1) this.phase = "key";
      } else if (SPACE.has(b)) {
        this.endScalar();
      } else if (this.depth === 1 && this.phase === "value") {
        this.phase = "scalar";
        this.capture = this.lastKey === "id" ? [b] : null;
      } else if (this.depth === 1 && this.phase === "scalar") {
        this.keep(b);
      }
    }
  }

  private keep(b: number): void {
    const into = this.key ?? this.capture;
    if (into && into.length < MAX_CAPTURE) into.push(b);
  }

  private endString(): void {
    if (this.key) {
      this.lastKey = Buffer.from(this.key).toString("utf8");
      this.key = null;
      this.phase = "colon";
      if (this.lastKey === "id") this.hasId = true;
      return;
    }
    if (this.depth !== 1 || this.phase !== "string") return;
    if (this.capture) {
      try {
        this.id = JSON.parse(`"${Buffer.from(this.capture).toString("utf8")}"`) as string;
      } catch {
        this.id = null;
      }
    }
    this.capture = null;
    this.phase = "after";
  }

  private endScalar(): void {
    if (this.depth !== 1 || this.phase !== "scalar") return;
    if (this.capture) {
      const literal = Buffer.from(this.capture).toString("utf8");
      this.id = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(literal) ? Number(literal) : null;
    }
    this.capture = null;
    this.phase = "after";
  }
}
