import assert from "node:assert/strict";
import { test } from "node:test";
import {
  acceptKey,
  CLOSE,
  encodeFrame,
  FrameError,
  FrameReader,
  MAX_CLIENT_PAYLOAD,
  OPCODE,
} from "../../src/http/websocket.ts";

/** A client's frame: masked, as RFC 6455 requires of clients. */
function clientFrame(opcode: number, payload: Buffer, mask = Buffer.from([1, 2, 3, 4])): Buffer {
  const n = payload.length;
  const head = n < 126 ? [0x80 | opcode, 0x80 | n] : [0x80 | opcode, 0x80 | 126, n >> 8, n & 255];
  const body = Buffer.from(payload.map((b, i) => b ^ (mask[i & 3] as number)));
  return Buffer.concat([Buffer.from(head), mask, body]);
}

test("the accept key of RFC 6455's example", () => {
  assert.equal(acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
});

test("frames out: the length in 7, 16 or 64 bits, unmasked", () => {
  for (const [n, head] of [
    [125, 2],
    [126, 4],
    [65535, 4],
    [65536, 10],
  ] as const) {
    const frame = encodeFrame(OPCODE.text, Buffer.alloc(n, 0x61));
    assert.equal(frame.length, head + n);
    assert.equal(frame[0], 0x81);
    assert.equal((frame[1] as number) & 0x80, 0, "a server's frame is not masked");
  }
});

test("frames in: unmasked, split across chunks, several in one", () => {
  const reader = new FrameReader();
  const ping = clientFrame(OPCODE.ping, Buffer.from("hi"));
  const text = clientFrame(OPCODE.text, Buffer.alloc(300, 0x62));
  const both = Buffer.concat([ping, text]);
  assert.deepEqual(reader.push(both.subarray(0, 5)), []);
  const frames = reader.push(both.subarray(5));
  assert.equal(frames.length, 2);
  assert.equal(frames[0]?.opcode, OPCODE.ping);
  assert.equal(frames[0]?.payload.toString(), "hi");
  assert.equal(frames[1]?.payload.length, 300);
  assert.ok(frames[1]?.payload.every((b) => b === 0x62));
});

test("frames in: an unmasked frame and a too large one are refused with their close codes", () => {
  const unmasked = Buffer.from([0x81, 0x02, 0x61, 0x62]);
  assert.throws(
    () => new FrameReader().push(unmasked),
    (e: unknown) => e instanceof FrameError && e.code === CLOSE.protocol,
  );
  const big = Buffer.alloc(10);
  big[0] = 0x81;
  big[1] = 0x80 | 127;
  big.writeBigUInt64BE(BigInt(MAX_CLIENT_PAYLOAD + 1), 2);
  assert.throws(
    () => new FrameReader().push(big),
    (e: unknown) => e instanceof FrameError && e.code === CLOSE.tooBig,
  );
});
