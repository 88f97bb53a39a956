/**
 * The server's side of RFC 6455, as much as a feed of messages needs: the handshake's accept
 * key, unmasked frames out, masked frames in (close answered, ping ponged, data ignored). A
 * library would be as large as the rest of the server.
 */
import { createHash } from "node:crypto";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export const OPCODE = { text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** A client's frame may carry no more than this: the server reads no data from clients. */
export const MAX_CLIENT_PAYLOAD = 64 * 1024;

/** Close codes the server sends. */
export const CLOSE = { normal: 1000, goingAway: 1001, protocol: 1002, tooBig: 1009 } as const;

/** `Sec-WebSocket-Accept` for a client's `Sec-WebSocket-Key`. */
export function acceptKey(key: string): string {
  return createHash("sha1").update(`${key}${GUID}`).digest("base64");
}

/** A key is 16 random bytes in base64. */
export function isClientKey(key: string | undefined): key is string {
  return key !== undefined && /^[A-Za-z0-9+/]{22}==$/.test(key);
}

/** One whole unmasked frame, as a server sends it. */
export function encodeFrame(opcode: number, payload: Uint8Array): Buffer {
  const n = payload.length;
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(head + n);
  out[0] = 0x80 | opcode;
  if (n < 126) out[1] = n;
  else if (n < 65536) {
    out[1] = 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 127;
    out.writeBigUInt64BE(BigInt(n), 2);
  }
  out.set(payload, head);
  return out;
}

export function textFrame(text: string): Buffer {
  return encodeFrame(OPCODE.text, Buffer.from(text, "utf8"));
}

export function closeFrame(code: number, reason = ""): Buffer {
  const body = Buffer.alloc(2 + Buffer.byteLength(reason));
  body.writeUInt16BE(code, 0);
  body.write(reason, 2);
  return encodeFrame(OPCODE.close, body);
}

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** Why a client's bytes are not a frame this server takes: the close code and its reason. */
export class FrameError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

/** Frames from a client's bytes, as they arrive in chunks. */
export class FrameReader {
  #buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const out: Frame[] = [];
    for (;;) {
      const frame = this.#next();
      if (!frame) return out;
      out.push(frame);
    }
  }

  #next(): Frame | null {
    const b = this.#buffer;
    if (b.length < 2) return null;
    const first = b[0] as number;
    const second = b[1] as number;
    if ((first & 0x70) !== 0) throw new FrameError(CLOSE.protocol, "reserved bits set");
    if ((second & 0x80) === 0)
      throw new FrameError(CLOSE.protocol, "a client's frame must be masked");
    let length = second & 0x7f;
    let at = 2;
    if (length === 126) {
      if (b.length < 4) return null;
      length = b.readUInt16BE(2);
      at = 4;
    } else if (length === 127) {
      if (b.length < 10) return null;
      const big = b.readBigUInt64BE(2);
      if (big > BigInt(MAX_CLIENT_PAYLOAD)) throw new FrameError(CLOSE.tooBig, "frame too large");
      length = Number(big);
      at = 10;
    }
    if (length > MAX_CLIENT_PAYLOAD) throw new FrameError(CLOSE.tooBig, "frame too large");
    if (b.length < at + 4 + length) return null;
    const mask = b.subarray(at, at + 4);
    const payload = Buffer.from(b.subarray(at + 4, at + 4 + length));
    for (let i = 0; i < payload.length; i++)
      payload[i] = (payload[i] as number) ^ (mask[i & 3] as number);
    this.#buffer = b.subarray(at + 4 + length);
    return { fin: (first & 0x80) !== 0, opcode: first & 0x0f, payload };
  }
}
